//! Messages (§8): the two read modes, the asynchronous send whose outcome comes later over the socket, and
//! mark-read.

use super::roles::can;
use super::{Caller, Shared, body, err, find, ok, page_of};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;

/// GET …/messages (§8). Page mode (no `before_id`): `page` counts from the newest end, each page oldest →
/// newest, and the read marks the customer's messages read. Cursor mode: the `limit` messages before that one,
/// `{messages,total,has_more}` with `has_more` = a full page, never marking read; an unknown id gives the newest.
pub async fn messages(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut e = s.lock().unwrap();
    let items: Vec<Value> = e.messages.iter().filter(|m| m["contact_id"] == id.as_str()).cloned().collect();
    let limit: usize = q.get("limit").and_then(|s| s.parse().ok()).filter(|l| (1..=100).contains(l)).unwrap_or(50);
    if let Some(before) = q.get("before_id") {
        let end = items.iter().position(|m| m["id"] == before.as_str()).unwrap_or(items.len());
        let list: Vec<Value> = items[end.saturating_sub(limit)..end].to_vec();
        let more = list.len() == limit;
        return ok(json!({"messages": list, "total": items.len(), "has_more": more}));
    }
    // The quirk: reading in page mode marks the customer's messages read.
    for m in e.messages.iter_mut().filter(|m| m["contact_id"] == id.as_str() && m["direction"] == "incoming") {
        m["status"] = json!("read");
    }
    if let Some(i) = find(&e.contacts, &id) {
        e.contacts[i]["unread_count"] = json!(0);
    }
    e.calls.push(format!("(page-mode read marked {id} read)"));
    let mut newest_first = items;
    newest_first.reverse();
    let mut page = page_of(newest_first, "messages", &q);
    if let Some(list) = page["messages"].as_array_mut() {
        list.reverse();
    }
    let more =
        page["total"].as_u64().unwrap_or(0) > page["page"].as_u64().unwrap_or(1) * page["limit"].as_u64().unwrap_or(50);
    page["has_more"] = json!(more);
    ok(page)
}

/// Nothing is validated and the 24-hour window is not checked: the send is stored `pending`, broadcast as
/// `new_message`, and its outcome comes later as `status_update` (sent with a wamid, or failed with why).
pub async fn send(
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
    let Some(i) = find(&e.contacts, &id) else { return err(StatusCode::NOT_FOUND, "Contact not found") };
    let m = json!({"id": format!("m{}", e.messages.len() + 100), "contact_id": id, "direction": "outgoing",
        "message_type": v["type"].as_str().unwrap_or("text"), "content": {"body": v["content"]["body"]}, "status": "pending",
        "wamid": "", "error_message": "", "created_at": chrono::Utc::now().to_rfc3339()});
    e.messages.push(m.clone());
    let assigned = e.contacts[i]["assigned_user_id"].as_str().unwrap_or("").to_string();
    let mut announced = m.clone();
    announced["assigned_user_id"] = json!(assigned);
    announced["profile_name"] = e.contacts[i]["profile_name"].clone();
    let _ = e.events.send(json!({"type": "new_message", "payload": announced}));
    let window_closed = e.contacts[i]["service_window_open"] == false;
    let failure = e.fail_sends.clone().or_else(|| {
        window_closed.then(|| "Message failed to send because more than 24 hours have passed since the customer last replied to this number".to_string())
    });
    let (shared, mid, after) = (s.clone(), m["id"].as_str().unwrap().to_string(), e.outcome_after);
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        outcome(&shared, &mid, &id, failure);
    });
    if e.lose_send_answers > 0 {
        e.lose_send_answers -= 1;
        return err(StatusCode::BAD_GATEWAY, "upstream timed out");
    }
    ok(m)
}

/// WhatsApp's answer to a send, as Whatomate broadcasts it.
pub fn outcome(s: &Shared, mid: &str, contact: &str, failure: Option<String>) {
    let mut e = s.lock().unwrap();
    let Some(k) = find(&e.messages, mid) else { return };
    let payload = match failure {
        Some(why) => {
            e.messages[k]["status"] = json!("failed");
            e.messages[k]["error_message"] = json!(why);
            json!({"message_id": mid, "contact_id": contact, "status": "failed", "error_message": why})
        }
        None => {
            let wamid = format!("wamid.{mid}");
            e.messages[k]["status"] = json!("sent");
            e.messages[k]["wamid"] = json!(wamid);
            json!({"message_id": mid, "contact_id": contact, "status": "sent", "wamid": wamid})
        }
    };
    let _ = e.events.send(json!({"type": "status_update", "payload": payload}));
}

pub async fn mark_read(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let mut e = s.lock().unwrap();
    if let Some(i) = find(&e.contacts, &id) {
        e.contacts[i]["unread_count"] = json!(0);
    }
    ok(json!({"status": "ok"}))
}
