//! Conversation notes (§11): internal notes on a contact, listed newest-first in windows of `limit` (default 30)
//! older than `before`, each window oldest → newest; written with `chat:write`, edited and deleted by their
//! author only, and announced on the socket as `conversation_note_*`.

use super::roles::can;
use super::{Caller, Emu, Shared, body, err, find, full_name, ok};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;

/// GET /api/contacts/{id}/notes?limit&before
pub async fn list(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let e = s.lock().unwrap();
    if !can(&e, &u, "chat:read") {
        return err(StatusCode::FORBIDDEN, "Insufficient permissions");
    }
    let limit: usize = q.get("limit").and_then(|s| s.parse().ok()).filter(|l| (1..=100).contains(l)).unwrap_or(30);
    let mut items: Vec<Value> = e.notes.iter().filter(|n| n["contact_id"] == id.as_str()).cloned().collect();
    items.sort_by_key(|n| n["created_at"].as_str().unwrap_or("").to_string());
    let end = q.get("before").and_then(|b| items.iter().position(|n| n["id"] == b.as_str())).unwrap_or(items.len());
    let window: Vec<Value> = items[end.saturating_sub(limit)..end].to_vec();
    let more = window.len() == limit;
    ok(json!({"notes": window, "total": items.len(), "has_more": more}))
}

fn announce(e: &Emu, kind: &str, payload: Value) {
    let _ = e.events.send(json!({"type": kind, "payload": payload}));
}

/// POST /api/contacts/{id}/notes {"content"}
pub async fn add(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    if !can(&e, &u, "chat:write") {
        return err(StatusCode::FORBIDDEN, "Insufficient permissions");
    }
    if find(&e.contacts, &id).is_none() {
        return err(StatusCode::NOT_FOUND, "Contact not found");
    }
    if v["content"].as_str().is_none_or(|c| c.trim().is_empty()) {
        return err(StatusCode::BAD_REQUEST, "Content is required");
    }
    let now = chrono::Utc::now().to_rfc3339();
    let note = json!({"id": format!("n{}", e.notes.len() + 1), "contact_id": id, "created_by_id": u,
        "created_by_name": full_name(&e, &u), "content": v["content"], "created_at": now, "updated_at": now});
    e.notes.push(note.clone());
    announce(&e, "conversation_note_created", note.clone());
    ok(note)
}

/// PUT /api/contacts/{id}/notes/{note_id} {"content"}: the author only.
pub async fn edit(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path((id, note_id)): Path<(String, String)>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let Some(k) = find(&e.notes, &note_id).filter(|&k| e.notes[k]["contact_id"] == id.as_str()) else {
        return err(StatusCode::NOT_FOUND, "Note not found");
    };
    if e.notes[k]["created_by_id"] != u.as_str() {
        return err(StatusCode::FORBIDDEN, "You can only edit your own notes");
    }
    if v["content"].as_str().is_none_or(|c| c.trim().is_empty()) {
        return err(StatusCode::BAD_REQUEST, "Content is required");
    }
    e.notes[k]["content"] = v["content"].clone();
    e.notes[k]["updated_at"] = json!(chrono::Utc::now().to_rfc3339());
    let note = e.notes[k].clone();
    announce(&e, "conversation_note_updated", note.clone());
    ok(note)
}

/// DELETE /api/contacts/{id}/notes/{note_id}: the author only.
pub async fn delete(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path((id, note_id)): Path<(String, String)>,
) -> Response {
    let mut e = s.lock().unwrap();
    let Some(k) = find(&e.notes, &note_id).filter(|&k| e.notes[k]["contact_id"] == id.as_str()) else {
        return err(StatusCode::NOT_FOUND, "Note not found");
    };
    if e.notes[k]["created_by_id"] != u.as_str() {
        return err(StatusCode::FORBIDDEN, "You can only delete your own notes");
    }
    e.notes.remove(k);
    announce(&e, "conversation_note_deleted", json!({"id": note_id, "contact_id": id}));
    ok(json!({"message": "Note deleted"}))
}

/// Gives contact `id` a long history: `messages` customer messages and `notes` colleague notes, a minute apart
/// and interleaved (one note after every `messages / notes` messages), all older than anything seeded.
pub fn long_history(s: &Shared, id: &str, messages: usize, notes: usize) {
    let mut e = s.lock().unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap();
    let every = (messages / notes.max(1)).max(1);
    let mut history = Vec::new();
    let mut written = 0;
    for k in 0..messages {
        let at = (start + chrono::Duration::minutes(2 * k as i64)).to_rfc3339();
        history.push(json!({"id": format!("h{k}"), "contact_id": id, "direction": "incoming", "message_type": "text",
            "content": {"body": format!("history {k}")}, "status": "read", "created_at": at}));
        if (k + 1) % every == 0 && written < notes {
            let at = (start + chrono::Duration::minutes(2 * k as i64 + 1)).to_rfc3339();
            e.notes.push(json!({"id": format!("hn{written}"), "contact_id": id, "created_by_id": "u_ben",
                "created_by_name": "Ben Okoro", "content": format!("note {written}"), "created_at": at, "updated_at": at}));
            written += 1;
        }
    }
    // Older than the seeded messages, so they go first in the contact's order.
    history.append(&mut e.messages);
    e.messages = history;
}
