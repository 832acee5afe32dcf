//! The native API's wire shapes and their mapping into the domain model.
//!
//! Reading is tolerant: optional fields may be missing, both `phone`/`phone_number` and `full_name`/`name`
//! are accepted, ids may be numbers, and a malformed item in a page is skipped and counted. Every
//! string is sanitized here, so nothing downstream ever sees raw server text.

use crate::backend::{BackendError, BackendResult};
use crate::domain::*;
use crate::text::{Clean, CleanText, clean_opt};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Accepts a string or a number as an id.
pub fn de_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) if !s.is_empty() => Ok(Clean::new(&s).to_string()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!("expected an id, found {other}"))),
    }
}

/// Reads a counter leniently: a number of any kind (negative → 0, fractional → floored, too large →
/// clamped) or a numeric string; anything else is 0. One odd counter never costs the item.
pub fn de_count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(count_of(&Value::deserialize(d)?))
}

/// A counter from any JSON value, as [`de_count`] reads it.
pub fn count_of(v: &Value) -> u32 {
    let n = match v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse::<f64>().unwrap_or(0.0),
        _ => 0.0,
    };
    if n.is_nan() { 0 } else { n.clamp(0.0, u32::MAX as f64) as u32 }
}

/// Reads a time leniently: RFC 3339 text, or a Unix time in seconds or milliseconds; anything else is
/// no time (the item still reads).
pub fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => time(&Some(s)),
        Value::Number(n) => n.as_f64().and_then(|t| {
            // Past the year 33658 in seconds it can only be milliseconds.
            let secs = if t.abs() > 1e12 { t / 1000.0 } else { t };
            chrono::DateTime::from_timestamp(secs.clamp(i64::MIN as f64, i64::MAX as f64) as i64, 0)
        }),
        _ => None,
    })
}

/// Parses an RFC 3339 time, ignoring what cannot be read.
pub fn time(s: &Option<String>) -> Option<Time> {
    s.as_deref().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&chrono::Utc))
}

/// The first non-empty string among `keys` (the products name the same field differently).
pub fn text_at<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| v.get(*k).and_then(Value::as_str)).filter(|s| !s.is_empty())
}

/// An id at `key` that may be a string or a number.
pub fn id_at(v: &Value, key: &str) -> Option<Clean> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(Clean::new(s)),
        Value::Number(n) => Some(Clean::new(&n.to_string())),
        _ => None,
    }
}

/// The time at the first of `keys` that holds text.
pub fn time_at(v: &Value, keys: &[&str]) -> Option<Time> {
    time(&text_at(v, keys).map(String::from))
}

/// A name from a string, or from an object's `name`/`display_name`/`full_name`.
pub fn person_name(v: &Value) -> Option<Clean> {
    match v {
        Value::String(s) => clean_opt(Some(s)),
        Value::Object(o) => ["name", "display_name", "full_name"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str))
            .and_then(|s| clean_opt(Some(s))),
        _ => None,
    }
}

/// A person reference from an object `{id, name}` or a bare id.
pub fn person_ref(v: &Value) -> Option<PersonRef> {
    match v {
        Value::String(id) if !id.is_empty() => Some(PersonRef { id: Clean::new(id), name: Clean::new(id) }),
        Value::Object(o) => {
            let id = match o.get("id").or_else(|| o.get("_id"))? {
                Value::String(s) => Clean::new(s),
                Value::Number(n) => n.to_string().into(),
                _ => return None,
            };
            let name = person_name(v).unwrap_or_else(|| id.clone());
            Some(PersonRef { id, name })
        }
        _ => None,
    }
}

fn strings(v: Option<Vec<Value>>) -> Vec<Clean> {
    v.unwrap_or_default().iter().filter_map(|s| s.as_str().map(Clean::new)).filter(|s| !s.is_empty()).collect()
}

/// A contact as the native API sends it (seed 001 and seed 002 fields both accepted).
#[derive(Debug, Deserialize)]
pub struct WireContact {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    phone: Option<String>,
    phone_number: Option<String>,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    full_name: Option<String>,
    name: Option<String>,
    display_name: Option<String>,
    profile_name: Option<String>,
    preferred_channel: Option<String>,
    metadata: Option<Value>,
    status: Option<String>,
    assigned_to: Option<Value>,
    account_id: Option<String>,
    avatar_url: Option<String>,
    #[serde(default, deserialize_with = "de_time")]
    created_at: Option<Time>,
    #[serde(default, deserialize_with = "de_time")]
    updated_at: Option<Time>,
    #[serde(default, deserialize_with = "de_time")]
    last_contacted: Option<Time>,
    #[serde(default, deserialize_with = "de_time")]
    last_message_at: Option<Time>,
}

impl WireContact {
    /// Maps into the domain contact.
    pub fn into_domain(self) -> Contact {
        let first_name = clean_opt(self.first_name.as_deref());
        let last_name = clean_opt(self.last_name.as_deref());
        let profile_name = clean_opt(self.profile_name.as_deref());
        let phone = clean_opt(self.phone.as_deref().or(self.phone_number.as_deref()));
        let email = clean_opt(self.email.as_deref());
        let joined = match (&first_name, &last_name) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (Some(f), None) => Some(f.to_string()),
            _ => None,
        };
        let name = clean_opt(self.full_name.as_deref())
            .or_else(|| clean_opt(self.name.as_deref()))
            .or_else(|| clean_opt(self.display_name.as_deref()))
            .or(joined.map(Clean::from))
            .or_else(|| profile_name.clone())
            .or_else(|| phone.clone())
            .or_else(|| email.clone())
            .unwrap_or_else(|| "(no name)".to_string().into());
        let metadata = match self.metadata {
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (Clean::new(k), Clean::new(&value_text(v)))).collect(),
            _ => Default::default(),
        };
        Contact {
            id: self.id.into(),
            name,
            first_name,
            last_name,
            profile_name,
            phone,
            email,
            preferred_channel: self.preferred_channel.map(Channel::from),
            metadata,
            status: self.status.map(ContactStatus::from),
            assigned_to: self.assigned_to.as_ref().and_then(person_ref).map(|p| p.id),
            account_id: clean_opt(self.account_id.as_deref()),
            avatar_url: clean_opt(self.avatar_url.as_deref()),
            last_contacted: self.last_contacted,
            last_message_at: self.last_message_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A conversation as the native API sends it (seed 001 plus `waiting_since`).
#[derive(Debug, Deserialize)]
pub struct WireConversation {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    contact_id: Option<Value>,
    contact: Option<WireContact>,
    channel: Option<String>,
    subject: Option<String>,
    status: Option<String>,
    priority: Option<String>,
    assigned_to: Option<Value>,
    labels: Option<Vec<Value>>,
    tags: Option<Vec<Value>>,
    #[serde(default, deserialize_with = "de_count")]
    message_count: u32,
    #[serde(default, deserialize_with = "de_count")]
    unread_count: u32,
    #[serde(default, deserialize_with = "de_time")]
    created_at: Option<Time>,
    #[serde(default, deserialize_with = "de_time")]
    updated_at: Option<Time>,
    #[serde(default, deserialize_with = "de_time")]
    last_message_at: Option<Time>,
    last_message_preview: Option<String>,
    #[serde(default, deserialize_with = "de_time")]
    waiting_since: Option<Time>,
    /// Absent on servers without the field; `null` when the customer never wrote.
    #[serde(default)]
    last_inbound_at: Option<Value>,
}

impl WireConversation {
    /// Maps into the domain conversation.
    pub fn into_domain(self) -> Conversation {
        let contact = self.contact.map(WireContact::into_domain).unwrap_or_default();
        let channel = Channel::from(self.channel.unwrap_or_else(|| "unknown".into()));
        let contact_id = match self.contact_id {
            Some(Value::String(s)) => Clean::new(&s),
            Some(Value::Number(n)) => n.to_string().into(),
            _ => contact.id.clone(),
        };
        Conversation {
            id: self.id.into(),
            contact_id,
            contact,
            service_window: window(&channel, self.last_inbound_at.as_ref()),
            channel,
            subject: clean_opt(self.subject.as_deref()),
            status: self.status.map(ConvStatus::from).unwrap_or_default(),
            priority: self.priority.map(Priority::from).unwrap_or_default(),
            assignee: self.assigned_to.as_ref().and_then(person_ref),
            labels: strings(self.labels),
            tags: strings(self.tags),
            message_count: self.message_count,
            unread_count: self.unread_count,
            created_at: self.created_at,
            updated_at: self.updated_at,
            last_message_at: self.last_message_at,
            last_message_preview: clean_opt(self.last_message_preview.as_deref()),
            waiting_since: self.waiting_since,
        }
    }
}

/// WhatsApp's 24-hour window from the customer's last message, where the server says when that was.
fn window(channel: &Channel, last_inbound: Option<&Value>) -> Option<ServiceWindow> {
    if *channel != Channel::Whatsapp {
        return None;
    }
    let at = match last_inbound? {
        Value::String(s) => Some(time(&Some(s.clone()))?),
        _ => None,
    };
    let open = at.is_some_and(|t| chrono::Utc::now() < t + ServiceWindow::LENGTH);
    Some(ServiceWindow { open, last_inbound_at: at })
}

/// An approved template `{name, language, category, body}`.
pub fn template(v: Value) -> Option<Template> {
    Some(Template {
        name: clean_opt(text_at(&v, &["name"]))?,
        language: Clean::new(text_at(&v, &["language"]).unwrap_or("")),
        category: Clean::new(text_at(&v, &["category"]).unwrap_or("")),
        body: CleanText::new(text_at(&v, &["body"]).filter(|b| !b.trim().is_empty())?),
    })
}

/// A canned response `{id, name, shortcut, content}`.
pub fn canned(v: Value) -> Option<Canned> {
    Some(Canned {
        id: id_at(&v, "id")?,
        name: clean_opt(text_at(&v, &["name"]))?,
        shortcut: Clean::new(text_at(&v, &["shortcut"]).unwrap_or("")),
        content: CleanText::new(text_at(&v, &["content"]).filter(|c| !c.trim().is_empty())?),
    })
}

/// A message as the native API sends it.
#[derive(Debug, Deserialize)]
pub struct WireMessage {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    conversation_id: Option<Value>,
    direction: Option<String>,
    #[serde(default)]
    private: bool,
    author: Option<Value>,
    text: Option<String>,
    content: Option<Value>,
    status: Option<String>,
    error: Option<String>,
    #[serde(default, deserialize_with = "de_time")]
    created_at: Option<Time>,
}

impl WireMessage {
    /// Maps into the domain message.
    pub fn into_domain(self) -> Message {
        let body = self.text.or_else(|| {
            self.content.as_ref().and_then(|c| c.get("body").or(Some(c))).and_then(Value::as_str).map(String::from)
        });
        Message {
            id: self.id.into(),
            conversation_id: self.conversation_id.as_ref().map(value_text).unwrap_or_default().into(),
            direction: Direction::from(self.direction.unwrap_or_else(|| "incoming".into())),
            private: self.private,
            author: self.author.as_ref().and_then(person_ref),
            text: CleanText::new(body.as_deref().unwrap_or("")),
            status: DeliveryStatus::from(self.status.unwrap_or_else(|| "sent".into())),
            error: self.error.filter(|e| !e.trim().is_empty()).map(|e| CleanText::new(&e)),
            created_at: self.created_at,
        }
    }
}

/// A notification as the native API sends it.
#[derive(Debug, Deserialize)]
pub struct WireNotification {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    title: Option<String>,
    body: Option<String>,
    conversation_id: Option<String>,
    contact_id: Option<String>,
    actor: Option<Value>,
    #[serde(default)]
    is_read: bool,
    #[serde(default, deserialize_with = "de_time")]
    created_at: Option<Time>,
}

impl WireNotification {
    /// Maps into the domain notification.
    pub fn into_domain(self) -> Notification {
        Notification {
            id: self.id.into(),
            kind: NotificationKind::from(self.kind.unwrap_or_else(|| "other".into())),
            title: Clean::new(self.title.as_deref().unwrap_or("")),
            body: CleanText::new(self.body.as_deref().unwrap_or("")),
            conversation_id: clean_opt(self.conversation_id.as_deref()),
            contact_id: clean_opt(self.contact_id.as_deref()),
            actor: self.actor.as_ref().and_then(person_name),
            is_read: self.is_read,
            created_at: self.created_at,
        }
    }
}

/// An agent as the native API sends it.
#[derive(Debug, Deserialize)]
pub struct WireAgent {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    name: Option<String>,
    full_name: Option<String>,
    email: Option<String>,
    #[serde(default)]
    available: bool,
    #[serde(default, deserialize_with = "de_count")]
    open_conversations: u32,
}

impl WireAgent {
    /// Maps into the domain agent.
    pub fn into_domain(self) -> Agent {
        let email = Clean::new(self.email.as_deref().unwrap_or(""));
        let name = clean_opt(self.name.as_deref())
            .or_else(|| clean_opt(self.full_name.as_deref()))
            .unwrap_or_else(|| if email.is_empty() { self.id.clone().into() } else { email.clone() });
        Agent {
            id: self.id.into(),
            name,
            email,
            available: self.available,
            open_conversations: self.open_conversations,
            cannot: vec![],
        }
    }
}

/// An activity entry.
#[derive(Debug, Deserialize)]
pub struct WireActivity {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    actor: Option<Value>,
    detail: Option<String>,
    #[serde(default, deserialize_with = "de_time")]
    created_at: Option<Time>,
}

impl WireActivity {
    /// Maps into the domain activity.
    pub fn into_domain(self) -> Activity {
        Activity {
            id: self.id.into(),
            kind: Clean::new(self.kind.as_deref().unwrap_or("")),
            actor: self.actor.as_ref().and_then(person_name),
            detail: CleanText::new(self.detail.as_deref().unwrap_or("")),
            created_at: self.created_at,
        }
    }
}

/// A contact comment.
#[derive(Debug, Deserialize)]
pub struct WireComment {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    text: Option<String>,
    author: Option<Value>,
    #[serde(default, deserialize_with = "de_time")]
    created_at: Option<Time>,
}

impl WireComment {
    /// Maps into the domain comment.
    pub fn into_domain(self) -> Comment {
        Comment {
            id: self.id.into(),
            text: CleanText::new(self.text.as_deref().unwrap_or("")),
            author: self.author.as_ref().and_then(person_name),
            created_at: self.created_at,
        }
    }
}

/// A file reference.
#[derive(Debug, Deserialize)]
pub struct WireFile {
    #[serde(deserialize_with = "de_id", alias = "_id")]
    id: String,
    name: Option<String>,
    url: Option<String>,
    size: Option<f64>,
}

impl WireFile {
    /// Maps into the domain file reference.
    pub fn into_domain(self) -> FileRef {
        FileRef {
            name: clean_opt(self.name.as_deref()).unwrap_or_else(|| self.id.clone().into()),
            id: self.id.into(),
            url: clean_opt(self.url.as_deref()),
            size: self.size.filter(|s| s.is_finite() && *s >= 0.0).map(|s| s as u64),
        }
    }
}

/// Reads a label from `{name, color}` or a bare string.
pub fn label(v: &Value) -> Option<Label> {
    match v {
        Value::String(s) => Some(Label { name: Clean::new(s), color: ColorRole::Default }),
        Value::Object(o) => Some(Label {
            name: o.get("name").and_then(Value::as_str).map(Clean::new)?,
            color: o.get("color").and_then(Value::as_str).map(ColorRole::from).unwrap_or(ColorRole::Default),
        }),
        _ => None,
    }
}

/// Reads one item, mapping it into the domain.
pub fn item<W: DeserializeOwned, T>(v: Value, map: impl Fn(W) -> T) -> BackendResult<T> {
    serde_json::from_value::<W>(v).map(map).map_err(|e| BackendError::BadResponse(e.to_string().into()))
}

/// Reads a page `{items, total, page, limit, total_pages}`, skipping and counting malformed items.
pub fn page<W: DeserializeOwned, T>(data: Value, map: impl Fn(W) -> T) -> BackendResult<Page<T>> {
    let (raw, meta) = match data {
        Value::Object(mut o) => (o.remove("items"), Value::Object(o)),
        Value::Array(a) => (Some(Value::Array(a)), Value::Null),
        other => return Err(BackendError::BadResponse(format!("expected a page, found {}", kind_of(&other)).into())),
    };
    let Some(Value::Array(raw)) = raw else {
        return Err(BackendError::BadResponse("the page has no list of items".into()));
    };
    let count = raw.len();
    let items: Vec<T> = raw.into_iter().filter_map(|v| serde_json::from_value::<W>(v).ok().map(&map)).collect();
    let skipped = count - items.len();
    if skipped > 0 {
        tracing::warn!(skipped, "skipped malformed items in a page");
    }
    let num = |k: &str| meta.get(k).and_then(Value::as_u64);
    let total = num("total").unwrap_or(count as u64);
    let limit = num("limit").map(|l| l as u32).unwrap_or(count.max(1) as u32).max(1);
    let total_pages = num("total_pages").map(|t| t as u32).unwrap_or_else(|| total.div_ceil(limit as u64) as u32);
    Ok(Page { items, total, page: num("page").unwrap_or(1) as u32, limit, total_pages, skipped })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
