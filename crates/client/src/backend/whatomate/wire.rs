//! Whatomate's shapes (as its server code sends them) mapped into the domain model, tolerantly and
//! sanitized. A contact is the thread: it maps both to a [`Contact`] and to a [`Conversation`].

use crate::backend::native::wire::time_at;
pub use crate::backend::native::wire::{id_at, text_at};
use crate::backend::{BackendError, BackendResult};
use crate::domain::*;
use crate::text::{Clean, CleanText, clean_opt};
use serde_json::Value;
use std::collections::HashMap;

fn tags(v: &Value) -> Vec<Clean> {
    v.get("tags")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(Clean::new).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

fn count(v: &Value, key: &str) -> u32 {
    v.get(key).map(crate::backend::native::wire::count_of).unwrap_or(0)
}

/// The contact's best name: `profile_name`, then `name`, then the phone number.
fn name(v: &Value) -> Clean {
    clean_opt(text_at(v, &["profile_name", "name"]))
        .or_else(|| clean_opt(text_at(v, &["phone_number"])))
        .unwrap_or_else(|| "(no name)".into())
}

/// A contact `{id, phone_number, profile_name, status, tags, metadata, assigned_user_id, ...}`.
pub fn contact(v: &Value) -> Option<Contact> {
    let metadata = match v.get("metadata") {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (Clean::new(k), Clean::new(&value_text(v)))).collect(),
        _ => Default::default(),
    };
    Some(Contact {
        id: id_at(v, "id")?,
        name: name(v),
        profile_name: clean_opt(text_at(v, &["profile_name"])),
        phone: clean_opt(text_at(v, &["phone_number"]))
            .map(|p| if p.starts_with('+') { p } else { Clean::new(&format!("+{p}")) }),
        preferred_channel: Some(Channel::Whatsapp),
        metadata,
        status: text_at(v, &["status"]).map(ContactStatus::from),
        assigned_to: id_at(v, "assigned_user_id"),
        account_id: clean_opt(text_at(v, &["whatsapp_account"])),
        avatar_url: clean_opt(text_at(v, &["avatar_url"])),
        last_message_at: time_at(v, &["last_message_at"]),
        created_at: time_at(v, &["created_at"]),
        updated_at: time_at(v, &["updated_at"]),
        ..Default::default()
    })
}

/// The same contact as the thread tinbox lists; `names` turns the assignee's id into a name.
pub fn conversation(v: &Value, names: &HashMap<Clean, Clean>) -> Option<Conversation> {
    let contact = contact(v)?;
    let assignee = contact
        .assigned_to
        .clone()
        .map(|id| PersonRef { name: names.get(&id).cloned().unwrap_or_else(|| id.clone()), id });
    let last_inbound = time_at(v, &["last_inbound_at"]);
    let last_message = time_at(v, &["last_message_at"]);
    // The customer spoke last: they are waiting since then (Whatomate keeps no older marker).
    let waiting_since = last_inbound.filter(|i| last_message.is_none_or(|m| *i >= m - chrono::TimeDelta::seconds(1)));
    let service_window = match (v.get("service_window_open").and_then(Value::as_bool), last_inbound) {
        (Some(open), at) => Some(ServiceWindow { open, last_inbound_at: at }),
        (None, Some(at)) => {
            Some(ServiceWindow { open: chrono::Utc::now() < at + ServiceWindow::LENGTH, last_inbound_at: Some(at) })
        }
        (None, None) => None,
    };
    Some(Conversation {
        id: contact.id.clone(),
        contact_id: contact.id.clone(),
        channel: Channel::Whatsapp,
        subject: None,
        status: ConvStatus::Open,
        priority: Priority::Medium,
        assignee,
        labels: tags(v),
        tags: vec![],
        message_count: count(v, "message_count"),
        unread_count: count(v, "unread_count"),
        created_at: contact.created_at,
        updated_at: contact.updated_at.max(last_message),
        last_message_at: last_message,
        last_message_preview: clean_opt(text_at(v, &["last_message_preview"])),
        waiting_since,
        service_window,
        contact,
    })
}

/// A message `{id, contact_id, direction, message_type, content{body}, status, created_at}`.
pub fn message(v: &Value, contact_id: &str) -> Option<Message> {
    let kind = text_at(v, &["message_type"]).unwrap_or("text");
    let body =
        v.get("content").and_then(|c| text_at(c, &["body", "caption"])).or_else(|| text_at(v, &["body", "text"]));
    let text = match (body, kind) {
        (Some(b), _) => CleanText::new(b),
        (None, "text") => String::new().into(),
        // Media and templates without a caption: say what it was rather than show nothing.
        (None, other) => format!("[{}]", Clean::new(other)).into(),
    };
    Some(Message {
        id: id_at(v, "id")?,
        conversation_id: id_at(v, "contact_id").unwrap_or_else(|| contact_id.to_string().into()),
        direction: Direction::from(text_at(v, &["direction"]).unwrap_or("incoming")),
        private: false,
        author: None,
        text,
        status: DeliveryStatus::from(text_at(v, &["status"]).unwrap_or("sent")),
        error: text_at(v, &["error_message"]).filter(|e| !e.trim().is_empty()).map(CleanText::new),
        created_at: time_at(v, &["created_at"]),
    })
}

/// An approved template `{name, display_name, language, category, status, body_content}`.
pub fn template(v: &Value) -> Option<Template> {
    Some(Template {
        name: clean_opt(text_at(v, &["name"]))?,
        language: Clean::new(text_at(v, &["language"]).unwrap_or("")),
        category: Clean::new(text_at(v, &["category"]).unwrap_or("")),
        body: CleanText::new(text_at(v, &["body_content", "body"]).unwrap_or("")),
    })
}

/// A canned response `{id, name, shortcut, content}`.
pub fn canned(v: &Value) -> Option<Canned> {
    Some(Canned {
        id: id_at(v, "id")?,
        name: clean_opt(text_at(v, &["name"]))?,
        shortcut: Clean::new(text_at(v, &["shortcut"]).unwrap_or("")),
        content: CleanText::new(text_at(v, &["content"]).filter(|c| !c.trim().is_empty())?),
    })
}

/// A conversation note `{id, contact_id, created_by_id, created_by_name, content, created_at}`: a private note
/// in the thread, by its author.
pub fn note(v: &Value, contact_id: &str) -> Option<Message> {
    let by = id_at(v, "created_by_id").unwrap_or_default();
    let name = clean_opt(text_at(v, &["created_by_name"])).unwrap_or_else(|| Clean::new("an agent"));
    Some(Message {
        id: id_at(v, "id")?,
        conversation_id: id_at(v, "contact_id").unwrap_or_else(|| contact_id.to_string().into()),
        direction: Direction::Outgoing,
        private: true,
        author: Some(PersonRef { id: by, name }),
        text: CleanText::new(text_at(v, &["content"]).unwrap_or("")),
        status: DeliveryStatus::Sent,
        error: None,
        created_at: time_at(v, &["created_at"]),
    })
}

/// A user `{id, full_name, email, is_available}`, or a team member `{user_id, full_name, ...}`.
pub fn agent(v: &Value) -> Option<Agent> {
    let id = id_at(v, "user_id").or_else(|| id_at(v, "id"))?;
    Some(Agent {
        name: clean_opt(text_at(v, &["full_name", "name", "email"])).unwrap_or_else(|| id.clone()),
        email: clean_opt(text_at(v, &["email"])).unwrap_or_default(),
        available: v.get("is_available").and_then(Value::as_bool).unwrap_or(true),
        open_conversations: 0,
        cannot: role_lacks(v),
        id,
    })
}

/// What a user's role (`/api/me`'s `role.permissions`, `{resource, action}` pairs) does not allow, of what
/// tinbox offers; nothing when the answer names no role (a team member) or the user is a super admin.
fn role_lacks(v: &Value) -> Vec<Capability> {
    let Some(perms) = v.get("role").and_then(|r| r.get("permissions")).and_then(Value::as_array) else {
        return vec![];
    };
    if v.get("is_super_admin").and_then(Value::as_bool) == Some(true) {
        return vec![];
    }
    let has = |want: &str| {
        perms.iter().any(|p| {
            let (r, a) = (text_at(p, &["resource"]).unwrap_or(""), text_at(p, &["action"]).unwrap_or(""));
            format!("{r}:{a}") == want
        })
    };
    let mut lacks = Vec::new();
    // Tags on a contact and contact edits both need contacts:write (§4).
    if !has("contacts:write") {
        lacks.extend([Capability::Labels, Capability::ContactEditing]);
    }
    if !has("tags:write") {
        lacks.push(Capability::CreateLabels);
    }
    if !has("chat:write") {
        lacks.push(Capability::PrivateNotes);
    }
    lacks
}

/// A list `{<key>:[...], total, page, limit}`: there is no `total_pages`, so it is worked out here.
/// Unreadable items are skipped and counted.
pub fn list<T>(data: &Value, key: &str, map: impl Fn(&Value) -> Option<T>) -> BackendResult<Page<T>> {
    let raw = match data.get(key) {
        Some(Value::Array(a)) => a.as_slice(),
        // Go encodes an empty slice as null.
        Some(Value::Null) | None if data.is_object() => &[],
        _ => return Err(BackendError::BadResponse(format!("expected a list of {key}").into())),
    };
    let items: Vec<T> = raw.iter().filter_map(&map).collect();
    let skipped = raw.len() - items.len();
    let limit = data.get("limit").and_then(Value::as_u64).filter(|l| *l > 0).unwrap_or(50) as u32;
    let page = data.get("page").and_then(Value::as_u64).filter(|p| *p > 0).unwrap_or(1) as u32;
    let total = data.get("total").and_then(Value::as_u64).unwrap_or_else(|| {
        // No total (the notes list): `has_more` says whether one more page exists.
        let more = data.get("has_more").and_then(Value::as_bool).unwrap_or(false);
        (page as u64 - 1) * limit as u64 + raw.len() as u64 + u64::from(more)
    });
    Ok(Page { items, total, page, limit, total_pages: total.div_ceil(limit as u64) as u32, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_contact_is_a_whatsapp_thread_with_tags_as_labels_and_the_assignee_named() {
        let names = HashMap::from([(Clean::new("u1"), Clean::new("Ana Agent"))]);
        let v = json!({"id":"c1","phone_number":"15550001","profile_name":"Jo\u{1b}[31m","tags":["vip",7],
            "assigned_user_id":"u1","unread_count":2,"service_window_open":false,
            "last_inbound_at":"2026-01-01T10:00:00Z","last_message_at":"2026-01-01T10:00:00Z"});
        let c = conversation(&v, &names).unwrap();
        assert_eq!((c.id.as_str(), c.contact_id.as_str()), ("c1", "c1"));
        assert_eq!(c.channel, Channel::Whatsapp);
        assert_eq!(c.labels, vec!["vip"]);
        assert_eq!(c.assignee.unwrap().name, "Ana Agent");
        assert_eq!(c.contact.name, "Jo");
        assert_eq!(c.contact.phone.as_deref(), Some("+15550001"));
        assert_eq!(c.service_window.map(|w| w.open), Some(false));
        assert!(c.waiting_since.is_some());
    }

    #[test]
    fn lists_work_out_pages_without_total_pages() {
        let data = json!({"contacts":[{"id":"a"},{"nope":1},{"id":"b"}],"total":120,"page":2,"limit":50});
        let p = list(&data, "contacts", contact).unwrap();
        assert_eq!((p.items.len(), p.skipped, p.total_pages, p.page), (2, 1, 3, 2));
        assert!(p.has_more());
        let empty = list(&json!({"contacts":null,"total":0}), "contacts", contact).unwrap();
        assert!(empty.items.is_empty() && !empty.has_more());
        assert!(list(&json!([1]), "contacts", contact).is_err());
    }

    #[test]
    fn media_without_a_caption_says_what_it_was() {
        let m = message(&json!({"id":"m","message_type":"image","content":{}}), "c").unwrap();
        assert_eq!(m.text, "[image]");
    }
}
