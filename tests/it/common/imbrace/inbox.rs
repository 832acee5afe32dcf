//! The emulator's team conversations and messages: the v1 list with `view`/`status`/`search`, the v2 list where
//! `type`/`q` select a field, view counts, the outstanding list, membership, statuses, messages authored by
//! `from`, and comments on messages (imBrace's private notes).

use super::{Caller, Shared, body, find, paged, refuse};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;

/// imBrace's statuses; `closed` is not among them.
const STATUSES: [&str; 5] = ["open", "pending", "resolved", "archived", "overdue"];

fn has_member(c: &Value, user: &str) -> bool {
    c["users"].as_array().is_some_and(|u| u.iter().any(|x| x["id"] == user))
}

fn newest_first(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by(|a, b| b["timestamp"].as_str().cmp(&a["timestamp"].as_str()));
    items
}

/// `GET /v1/team_conversations?status&view&search&limit&skip`: `view=joined|yours` keeps the caller's own.
pub async fn list_v1(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let e = s.lock().unwrap();
    let view = q.get("view").map(String::as_str);
    if view.is_some_and(|v| v != "joined" && v != "yours") {
        return refuse(StatusCode::BAD_REQUEST, "view must be joined or yours");
    }
    let needle = q.get("search").map(|s| s.to_lowercase());
    let items: Vec<Value> = e
        .conversations
        .iter()
        .filter(|c| view.is_none() || has_member(c, &u))
        .filter(|c| q.get("status").is_none_or(|st| c["status"] == st.as_str()))
        .filter(|c| needle.as_ref().is_none_or(|n| c["name"].as_str().unwrap_or("").to_lowercase().contains(n)))
        .cloned()
        .collect();
    axum::Json(paged(newest_first(items), &q)).into_response()
}

/// `GET /v2/team_conversations?type&q`: `type` names a field and `q` is its value; it is no view or status.
pub async fn list_v2(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let e = s.lock().unwrap();
    let want = q.get("q").cloned().unwrap_or_default();
    let field = match q.get("type").map(String::as_str) {
        None => None,
        Some(f @ ("conversation_id" | "business_unit_id" | "channel_id" | "contact_id")) => Some(f),
        Some("text") => Some("name"),
        Some(other) => return refuse(StatusCode::BAD_REQUEST, &format!("unknown type {other}")),
    };
    let items: Vec<Value> = e
        .conversations
        .iter()
        .filter(|c| match field {
            None => true,
            Some("conversation_id") => c["id"] == want.as_str(),
            Some("name") => c["name"].as_str().unwrap_or("").to_lowercase().contains(&want.to_lowercase()),
            Some(f) => c[f] == want.as_str(),
        })
        .cloned()
        .collect();
    axum::Json(paged(newest_first(items), &q)).into_response()
}

/// `GET /v1/team_conversations/_views_count` → `{data: {all, joined, yours}}`.
pub async fn views_count(State(s): State<Shared>, axum::Extension(Caller(u)): axum::Extension<Caller>) -> Response {
    let e = s.lock().unwrap();
    let mine = e.conversations.iter().filter(|c| has_member(c, &u)).count();
    axum::Json(json!({"data": {"all": e.conversations.len(), "joined": mine, "yours": mine}})).into_response()
}

/// `GET /v1/team_conversations/_outstanding`: open conversations whose newest message is the customer's,
/// longest waiting first.
pub async fn outstanding(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let e = s.lock().unwrap();
    let mut items: Vec<Value> = e
        .conversations
        .iter()
        .filter(|c| c["status"] == "open")
        .filter(|c| {
            let newest = e
                .messages
                .iter()
                .filter(|m| m["conversation_id"] == c["id"])
                .max_by(|a, b| a["created_at"].as_str().cmp(&b["created_at"].as_str()));
            newest.is_some_and(|m| m["from"] == c["contact_id"])
        })
        .cloned()
        .collect();
    items.sort_by(|a, b| a["timestamp"].as_str().cmp(&b["timestamp"].as_str()));
    axum::Json(paged(items, &q)).into_response()
}

pub async fn get_conversation(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let e = s.lock().unwrap();
    match find(&e.conversations, &id) {
        Some(i) => axum::Json(e.conversations[i].clone()).into_response(),
        None => refuse(StatusCode::NOT_FOUND, "not found"),
    }
}

pub async fn assign(State(s): State<Shared>, b: Bytes) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let user = e.users.iter().find(|u| u["id"] == v["user_id"]).cloned();
    let (Some(i), Some(u)) = (find(&e.conversations, v["conversation_id"].as_str().unwrap_or("")), user) else {
        return axum::Json(json!({"success": false, "message": "no such conversation or user"})).into_response();
    };
    let entry = json!({"object_name": "simple_user", "id": u["id"], "display_name": u["display_name"]});
    if let Some(users) = e.conversations[i]["users"].as_array_mut()
        && !users.iter().any(|x| x["id"] == u["id"])
    {
        users.push(entry);
    }
    axum::Json(json!({"success": true})).into_response()
}

pub async fn remove(State(s): State<Shared>, b: Bytes) -> Response {
    let v = body(&b);
    if v["user_id"].is_null() || v["conversation_id"].is_null() {
        return refuse(StatusCode::BAD_REQUEST, "conversation_id and user_id are required");
    }
    let mut e = s.lock().unwrap();
    if let Some(i) = find(&e.conversations, v["conversation_id"].as_str().unwrap_or(""))
        && let Some(users) = e.conversations[i]["users"].as_array_mut()
    {
        users.retain(|u| u["id"] != v["user_id"]);
    }
    axum::Json(json!({"success": true})).into_response()
}

pub async fn status(State(s): State<Shared>, b: Bytes) -> Response {
    let v = body(&b);
    let wanted = v["status"].as_str().unwrap_or("");
    if !STATUSES.contains(&wanted) {
        return refuse(StatusCode::BAD_REQUEST, &format!("invalid status: {wanted}"));
    }
    let mut e = s.lock().unwrap();
    let Some(i) = find(&e.conversations, v["conversation_id"].as_str().unwrap_or("")) else {
        return refuse(StatusCode::NOT_FOUND, "not found");
    };
    e.conversations[i]["status"] = json!(wanted);
    let c = e.conversations[i].clone();
    axum::Json(json!({"success": true, "conversation": c})).into_response()
}

/// The spec's form: `conversation_id` is required.
pub async fn messages(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let Some(id) = q.get("conversation_id") else {
        return refuse(StatusCode::BAD_REQUEST, "conversation_id is required");
    };
    let e = s.lock().unwrap();
    let mut items: Vec<Value> = e.messages.iter().filter(|m| m["conversation_id"] == id.as_str()).cloned().collect();
    items.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
    axum::Json(paged(items, &q)).into_response()
}

pub async fn send(State(s): State<Shared>, axum::Extension(Caller(u)): axum::Extension<Caller>, b: Bytes) -> Response {
    let v = body(&b);
    let (Some(cid), Some(text)) = (v["conversation_id"].as_str(), v["text"].as_str()) else {
        return refuse(StatusCode::BAD_REQUEST, "conversation_id and text are required");
    };
    let mut e = s.lock().unwrap();
    let now = chrono::Utc::now().to_rfc3339();
    let m = json!({"object_name": "message", "id": format!("m_{}", e.messages.len() + 10), "organization_id": super::ORG,
        "conversation_id": cid, "from": u, "type": "text", "content": {"text": text}, "created_at": now, "updated_at": now});
    e.messages.push(m.clone());
    axum::Json(m).into_response()
}

/// A comment on a message (the SDK's `{text}`): imBrace's private note.
pub async fn comment_on_message(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path((cid, mid)): Path<(String, String)>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let Some(text) = v["text"].as_str().or(v["content"].as_str()).filter(|t| !t.trim().is_empty()) else {
        return refuse(StatusCode::BAD_REQUEST, "text is required");
    };
    let mut e = s.lock().unwrap();
    let Some(m) = find(&e.messages, &mid).filter(|i| e.messages[*i]["conversation_id"] == cid.as_str()) else {
        return refuse(StatusCode::NOT_FOUND, "message not found");
    };
    let contact = find(&e.conversations, &cid).map(|i| e.conversations[i]["contact_id"].clone()).unwrap_or_default();
    let created = e.messages[m]["created_at"].clone();
    let c = json!({"_id": format!("mc_{}", e.comments.len() + 1), "text": text, "user_id": u, "conversation_id": cid,
        "message_id": mid, "contact_id": contact, "created_at": chrono::Utc::now().to_rfc3339(), "message_created_at": created});
    e.comments.push(c.clone());
    axum::Json(c).into_response()
}

/// The spec's list of a contact's message comments.
pub async fn message_comments(State(s): State<Shared>, Path(id): Path<String>) -> impl IntoResponse {
    let e = s.lock().unwrap();
    let list: Vec<Value> =
        e.comments.iter().filter(|c| c["contact_id"] == id.as_str() && !c["message_id"].is_null()).cloned().collect();
    axum::Json(Value::Array(list))
}
