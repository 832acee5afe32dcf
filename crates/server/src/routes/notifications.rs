//! Notification endpoints (seed 003's operations), scoped to the token's agent.

use crate::Shared;
use crate::api::{self, Agent, ApiError, ApiResult, Params, body};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};
use std::sync::Arc;

/// GET /api/notifications (newest first; `unread=true` for unread only)
pub async fn list(State(s): State<Arc<Shared>>, Agent(me): Agent, Query(q): Query<Params>, h: HeaderMap) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let unread = q.get("unread").map(String::as_str) == Some("true");
    let store = s.read();
    let mut mine: Vec<_> =
        store.notifications.iter().filter(|n| n.recipient == me && (!unread || !n.is_read)).collect();
    mine.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    let items = mine.into_iter().map(|n| store.notification_json(n)).collect();
    api::list(&h, api::page_of(items, page, limit))
}

/// PUT /api/notifications/read `{"notification_id":[ids]}` or `{"all": true}`
pub async fn mark_read(State(s): State<Arc<Shared>>, Agent(me): Agent, raw: Bytes) -> ApiResult {
    let b = body(&raw)?;
    let all = b.get("all").and_then(Value::as_bool) == Some(true);
    let ids: Vec<String> = match b.get("notification_id") {
        Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
        Some(Value::String(one)) => vec![one.clone()],
        None | Some(Value::Null) if all => Vec::new(),
        _ => return Err(ApiError::invalid("notification_id must be a list of ids (or send \"all\": true)")),
    };
    let mut store = s.lock();
    let mut updated = 0;
    for n in store.notifications.iter_mut().filter(|n| n.recipient == me && !n.is_read) {
        if all || ids.contains(&n.id) {
            n.is_read = true;
            updated += 1;
        }
    }
    api::ok(json!({ "updated": updated }))
}

/// DELETE /api/notifications/{id}
pub async fn dismiss(State(s): State<Arc<Shared>>, Agent(me): Agent, Path(id): Path<String>) -> ApiResult {
    let mut store = s.lock();
    let before = store.notifications.len();
    store.notifications.retain(|n| !(n.id == id && n.recipient == me));
    if store.notifications.len() == before {
        return Err(ApiError::not_found(format!("there is no notification {id}")));
    }
    api::ok(Value::Null)
}

/// DELETE /api/notifications
pub async fn dismiss_all(State(s): State<Arc<Shared>>, Agent(me): Agent) -> ApiResult {
    let mut store = s.lock();
    let before = store.notifications.len();
    store.notifications.retain(|n| n.recipient != me);
    api::ok(json!({ "dismissed": before - store.notifications.len() }))
}
