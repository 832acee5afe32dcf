//! A Whatomate thread: the contact's messages and its conversation notes, two lists each read backwards from
//! an item (`before_id`, `before`), merged into one page so that nothing shown has a gap above it.

use super::{MAX_LIMIT, WhatomateBackend, enc, wire};
use crate::backend::{BackendError, BackendResult, Earlier, PageReq};
use crate::domain::{Message, Page};
use serde_json::{Value, json};

/// A note window as large as the server gives.
const NOTES_LIMIT: u32 = 100;

/// A message id no message has: cursor mode with an unknown id reads the newest messages without marking them
/// read (page mode would).
const NO_MESSAGE: &str = "00000000-0000-0000-0000-000000000000";

/// One list's window, newest last, and whether older items exist.
struct Window {
    items: Vec<Message>,
    more: bool,
}

/// The newest messages and notes: the read an agent makes by opening the thread (page mode, which marks the
/// customer's messages read, as opening the thread does anyway).
pub async fn newest(b: &WhatomateBackend, id: &str, p: PageReq) -> BackendResult<Page<Message>> {
    let q = [("page", "1".to_string()), ("limit", p.limit.clamp(1, MAX_LIMIT).to_string())];
    let data = b.get(&format!("/api/contacts/{}/messages", enc(id)), &q).await?;
    let messages = window(&data, "messages", |m| wire::message(m, id))?;
    let notes = notes(b, id, None).await;
    Ok(merge(messages, notes, 1))
}

/// The messages and notes before those shown, read backwards from each (cursor mode: never marks read).
pub async fn earlier(b: &WhatomateBackend, id: &str, e: &Earlier) -> BackendResult<Page<Message>> {
    let before = e.message.as_deref().unwrap_or(NO_MESSAGE).to_string();
    let q = [("before_id", before), ("limit", e.page.limit.clamp(1, MAX_LIMIT).to_string())];
    let data = b.get(&format!("/api/contacts/{}/messages", enc(id)), &q).await?;
    // With no message shown yet (all were older than the notes shown), these are the newest, read unmarked.
    let messages = window(&data, "messages", |m| wire::message(m, id))?;
    let notes = notes(b, id, e.note.as_deref()).await;
    Ok(merge(messages, notes, e.page.page.max(2)))
}

/// The notes before note `before` (the newest without it). A server without notes (before February 2026)
/// or a refused read leaves the thread without them rather than failing it.
async fn notes(b: &WhatomateBackend, id: &str, before: Option<&str>) -> Window {
    let mut q = vec![("limit", NOTES_LIMIT.to_string())];
    q.extend(before.map(|n| ("before", n.to_string())));
    match b.get(&format!("/api/contacts/{}/notes", enc(id)), &q).await {
        Ok(data) => window(&data, "notes", |n| wire::note(n, id)).unwrap_or(Window { items: vec![], more: false }),
        Err(e) => {
            tracing::info!(error = %e, "notes unreadable: the thread shows the messages only");
            Window { items: vec![], more: false }
        }
    }
}

/// A list answer `{<key>: [...], has_more}`, oldest first on the wire.
fn window(data: &Value, key: &str, map: impl Fn(&Value) -> Option<Message>) -> BackendResult<Window> {
    let list = data
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| BackendError::BadResponse(format!("no {key} in the answer").into()))?;
    let items = list.iter().filter_map(map).collect();
    Ok(Window { items, more: data.get("has_more").and_then(Value::as_bool).unwrap_or(false) })
}

/// One page from two windows: a list with older items is complete only back to its oldest item, so anything
/// older than the newest such point waits for the next page (it is read again from the oldest item shown).
fn merge(messages: Window, notes: Window, page: u32) -> Page<Message> {
    let oldest = |w: &Window| w.items.iter().map(|m| m.created_at).min();
    let boundary = [&messages, &notes].into_iter().filter(|w| w.more).filter_map(oldest).max();
    let mut more = messages.more || notes.more;
    let mut items: Vec<Message> = messages.items.into_iter().chain(notes.items).collect();
    if let Some(boundary) = boundary {
        let before = items.len();
        items.retain(|m| m.created_at >= boundary);
        more |= items.len() < before;
    }
    items.sort_by_key(|m| std::cmp::Reverse(m.created_at));
    let n = items.len() as u64;
    Page { items, total: n, page, limit: n as u32, total_pages: if more { page + 1 } else { page }, skipped: 0 }
}

/// Writes a conversation note (Whatomate's private notes).
pub async fn add_note(b: &WhatomateBackend, id: &str, text: &str) -> BackendResult<Message> {
    let path = format!("/api/contacts/{}/notes", enc(id));
    let v = b.call(reqwest::Method::POST, &path, &[], Some(json!({"content": text}))).await?;
    wire::note(&v, id).ok_or_else(|| BackendError::BadResponse("unexpected note".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DeliveryStatus, Direction};

    fn at(minute: i64, id: &str, private: bool) -> Message {
        Message {
            id: id.into(),
            conversation_id: "c".into(),
            direction: Direction::Outgoing,
            private,
            author: None,
            text: Default::default(),
            status: DeliveryStatus::Sent,
            error: None,
            created_at: chrono::DateTime::from_timestamp(minute * 60, 0),
        }
    }

    fn ids(p: &Page<Message>) -> Vec<&str> {
        p.items.iter().map(|m| m.id.as_str()).collect()
    }

    #[test]
    fn notes_older_than_the_messages_read_wait_for_the_next_page() {
        // Messages 10..12 with older ones on the server; notes at 1 and 11, none older.
        let messages = Window { items: vec![at(10, "m10", false), at(12, "m12", false)], more: true };
        let notes = Window { items: vec![at(1, "n1", true), at(11, "n11", true)], more: false };
        let page = merge(messages, notes, 1);
        assert_eq!(ids(&page), ["m12", "n11", "m10"]);
        assert!(page.has_more());
    }

    #[test]
    fn messages_older_than_the_notes_read_wait_too_and_the_last_page_has_everything() {
        let messages = Window { items: vec![at(2, "m2", false), at(20, "m20", false)], more: false };
        let notes = Window { items: vec![at(15, "n15", true), at(30, "n30", true)], more: true };
        assert_eq!(ids(&merge(messages, notes, 1)), ["n30", "m20", "n15"]);
        let messages = Window { items: vec![at(2, "m2", false)], more: false };
        let notes = Window { items: vec![at(3, "n3", true)], more: false };
        let last = merge(messages, notes, 2);
        assert_eq!(ids(&last), ["n3", "m2"]);
        assert!(!last.has_more());
    }
}
