//! imBrace's shapes (its public SDK's types) mapped into the domain model, tolerantly and sanitized.

use crate::backend::native::wire::{id_at, person_name, text_at as s, time_at as t};
use crate::backend::{BackendError, BackendResult};
use crate::domain::*;
use crate::text::{Clean, CleanText, clean_opt};
use serde_json::Value;

fn id(v: &Value) -> Option<Clean> {
    id_at(v, "id").or_else(|| id_at(v, "_id"))
}

/// A contact `{id, display_name?, email?, phone_number?, avatar_url?, created_at, updated_at}`.
pub fn contact(v: &Value) -> Option<Contact> {
    let phone = clean_opt(s(v, &["phone_number", "phone"]));
    let email = clean_opt(s(v, &["email"]));
    let name = clean_opt(s(v, &["display_name", "name"])).or_else(|| phone.clone()).or_else(|| email.clone());
    Some(Contact {
        id: id(v)?,
        name: name.unwrap_or_else(|| "(no name)".into()),
        phone,
        email,
        avatar_url: clean_opt(s(v, &["avatar_url"])),
        account_id: clean_opt(s(v, &["organization_id"])),
        created_at: t(v, &["created_at"]),
        updated_at: t(v, &["updated_at"]),
        ..Default::default()
    })
}

/// A team conversation `{id, contact_id, channel_type, status, name, timestamp, users:[{id, display_name}]}`.
pub fn conversation(v: &Value) -> Option<Conversation> {
    let id = id(v)?;
    let contact_id = clean_opt(s(v, &["contact_id"])).unwrap_or_default();
    let name = clean_opt(s(v, &["name", "contact_name"])).unwrap_or_else(|| "(no name)".into());
    let assignee = v
        .get("users")
        .and_then(Value::as_array)
        .and_then(|u| u.first())
        .and_then(|u| Some(PersonRef { id: id_of(u)?, name: person_name(u).unwrap_or_default() }));
    let when = t(v, &["timestamp", "updated_at", "last_message_at"]);
    Some(Conversation {
        contact: Contact { id: contact_id.clone(), name, ..Default::default() },
        contact_id,
        channel: Channel::from(s(v, &["channel_type"]).unwrap_or("unknown")),
        subject: None,
        status: s(v, &["status"]).map(ConvStatus::from).unwrap_or_default(),
        priority: Priority::Medium,
        assignee,
        labels: vec![],
        tags: vec![],
        message_count: v.get("message_count").map(crate::backend::native::wire::count_of).unwrap_or(0),
        unread_count: v.get("unread_count").map(crate::backend::native::wire::count_of).unwrap_or(0),
        created_at: t(v, &["created_at"]),
        updated_at: when,
        last_message_at: when,
        last_message_preview: clean_opt(s(v, &["last_message", "preview"])),
        waiting_since: None,
        service_window: None,
        id,
    })
}

fn id_of(v: &Value) -> Option<Clean> {
    id(v).or_else(|| v.as_str().map(Clean::new))
}

/// The ids of the team members in a conversation (`users[].id`).
pub fn member_ids(v: &Value) -> Vec<Clean> {
    v.get("users").and_then(Value::as_array).map(|u| u.iter().filter_map(id_of).collect()).unwrap_or_default()
}

/// A user `{id, email, display_name?, role, is_active}` (`users/_me`, the user list) as an agent.
pub fn user(v: &Value) -> Option<Agent> {
    let id = id(v)?;
    let email = clean_opt(s(v, &["email"]));
    let name = person_name(v).or_else(|| email.clone()).unwrap_or_else(|| id.clone());
    Some(Agent {
        id,
        name,
        email: email.unwrap_or_default(),
        available: v.get("is_active").and_then(Value::as_bool).unwrap_or(true),
        open_conversations: 0,
        cannot: vec![],
    })
}

/// The status imBrace is sent: tinbox's "closed" (`c`) is imBrace's `resolved`, which has no `closed`.
pub fn status_out(status: &str) -> &str {
    if status == "closed" { "resolved" } else { status }
}

/// A message. `from` is the only author marker: the conversation's contact is the customer; `me` or a member
/// of the conversation is that agent; anyone else is a bot or the system. The text is at `content.text`.
pub fn message(v: &Value, conversation: &Conversation, me: Option<&Agent>) -> Option<Message> {
    let text = v.get("content").and_then(|c| s(c, &["text", "caption", "title", "url"])).or_else(|| s(v, &["text"]));
    let text = match (text, s(v, &["type"])) {
        (Some(t), _) => t.to_string(),
        (None, Some(kind)) if kind != "text" => format!("[{kind}]"),
        _ => String::new(),
    };
    let from = id_at(v, "from");
    let (direction, author) = match from {
        Some(f) if f == conversation.contact_id => (Direction::Incoming, None),
        Some(f) => {
            let name = match (me, &conversation.assignee) {
                (Some(me), _) if me.id == f => me.name.clone(),
                (_, Some(a)) if a.id == f => a.name.clone(),
                _ => Clean::new("bot"),
            };
            (Direction::Outgoing, Some(PersonRef { id: f, name }))
        }
        None => (Direction::Incoming, None),
    };
    Some(Message {
        id: id(v)?,
        conversation_id: clean_opt(s(v, &["conversation_id"])).unwrap_or_else(|| conversation.id.clone()),
        direction,
        private: false,
        author,
        text: CleanText::new(&text),
        status: DeliveryStatus::from(s(v, &["status"]).unwrap_or("sent")),
        error: None,
        created_at: message_time(v),
    })
}

/// A message's id.
pub fn message_id(v: &Value) -> Option<Clean> {
    id(v)
}

/// When a message was written.
pub fn message_time(v: &Value) -> Option<Time> {
    t(v, &["created_at", "timestamp"])
}

/// A comment on a message `{_id, text, user_id, created_at}`: a private note in the thread.
pub fn note(v: &Value, conversation_id: &str, me: Option<&Agent>) -> Option<Message> {
    let by = id_at(v, "user_id");
    let name = match (me, &by) {
        (Some(me), Some(by)) if me.id == *by => me.name.clone(),
        (_, Some(by)) => by.clone(),
        _ => Clean::new("agent"),
    };
    Some(Message {
        id: id(v)?,
        conversation_id: conversation_id.to_string().into(),
        direction: Direction::Outgoing,
        private: true,
        author: Some(PersonRef { id: by.unwrap_or_default(), name }),
        text: CleanText::new(s(v, &["text", "content"]).unwrap_or("")),
        status: DeliveryStatus::Sent,
        error: None,
        created_at: t(v, &["created_at"]),
    })
}

/// A notification: `content` is free-form; its title, message, body or text is shown, whichever it has, and
/// a conversation it names is linked.
pub fn notification(v: &Value) -> Option<Notification> {
    let content = v.get("content").cloned().unwrap_or(Value::Null);
    let title = s(&content, &["title", "subject"]).or_else(|| s(v, &["title"]));
    let body = s(&content, &["message", "body", "text"]);
    let (title, body) = match (title, body) {
        (Some(t), b) => (t, b.unwrap_or("")),
        (None, Some(b)) => (b, ""),
        (None, None) => ("Notification", ""),
    };
    Some(Notification {
        id: id(v)?,
        kind: NotificationKind::from(s(v, &["type"]).unwrap_or("other")),
        title: Clean::new(title),
        body: CleanText::new(body),
        conversation_id: clean_opt(s(&content, &["conversation_id", "conversationId"])),
        contact_id: clean_opt(s(&content, &["contact_id", "contactId"])),
        actor: content.get("from").and_then(person_name),
        is_read: v.get("is_read").and_then(Value::as_bool).unwrap_or(false),
        created_at: t(v, &["created_at"]),
    })
}

/// A comment `{_id, text, created_at}`.
pub fn comment(v: &Value) -> Option<Comment> {
    Some(Comment {
        id: id(v)?,
        text: CleanText::new(s(v, &["text", "content"]).unwrap_or("")),
        author: v.get("user").or_else(|| v.get("author")).and_then(person_name),
        created_at: t(v, &["created_at"]),
    })
}

/// A file `{_id, name, url, size}`.
pub fn file(v: &Value) -> Option<FileRef> {
    let id = id(v)?;
    Some(FileRef {
        name: clean_opt(s(v, &["name"])).unwrap_or_else(|| id.clone()),
        url: clean_opt(s(v, &["url"])),
        size: v.get("size").and_then(Value::as_f64).filter(|x| x.is_finite() && *x >= 0.0).map(|x| x as u64),
        id,
    })
}

/// An activity `{_id, type, created_at, ...}`.
pub fn activity(v: &Value) -> Option<Activity> {
    Some(Activity {
        id: id(v)?,
        kind: Clean::new(s(v, &["type"]).unwrap_or("")),
        actor: v.get("user").or_else(|| v.get("actor")).and_then(person_name),
        detail: CleanText::new(s(v, &["description", "detail", "message", "type"]).unwrap_or("")),
        created_at: t(v, &["created_at"]),
    })
}

/// A list: `{data:[...], total, page, limit}` or a bare array; unreadable items are skipped and counted.
pub fn list<T>(v: Value, skip: u32, limit: u32, map: impl Fn(&Value) -> Option<T>) -> BackendResult<Page<T>> {
    let (raw, total) = match &v {
        Value::Array(a) => (a.as_slice(), None),
        Value::Object(o) => match o.get("data") {
            Some(Value::Array(a)) => (a.as_slice(), o.get("total").and_then(Value::as_u64)),
            _ => return Err(BackendError::BadResponse("expected a list in data".into())),
        },
        _ => return Err(BackendError::BadResponse("expected a list".into())),
    };
    let items: Vec<T> = raw.iter().filter_map(&map).collect();
    let skipped = raw.len() - items.len();
    let limit = limit.max(1);
    // A bare array has no total: a full page may have more behind it.
    let more = u64::from(raw.len() as u64 >= limit as u64);
    let total = total.unwrap_or(skip as u64 + raw.len() as u64 + more);
    let page = skip / limit + 1;
    Ok(Page { items, total, page, limit, total_pages: total.div_ceil(limit as u64) as u32, skipped })
}
