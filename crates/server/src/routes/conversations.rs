//! Conversation endpoints: list, get, patch, assign, read, messages, activities.

use crate::Shared;
use crate::api::{self, Agent, ApiError, ApiResult, Params, body, opt_str};
use crate::store::{ConversationFilter, Patch, Store};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde_json::Value;
use std::sync::Arc;

/// The index of conversation `id`, or 404.
pub fn conv_index(store: &Store, id: &str) -> Result<usize, ApiError> {
    store.conv_index(id).ok_or_else(|| ApiError::not_found(format!("there is no conversation {id}")))
}

fn filter(q: &Params, me: &str) -> Result<ConversationFilter, ApiError> {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let sort = get("sort").unwrap_or_else(|| "latest".into());
    if !["latest", "oldest", "waiting", "priority"].contains(&sort.as_str()) {
        return Err(ApiError::bad_request("sort must be latest, oldest, waiting or priority"));
    }
    let updated_since = match get("updated_since") {
        None => None,
        Some(t) => Some(
            chrono::DateTime::parse_from_rfc3339(&t)
                .map_err(|_| ApiError::bad_request("updated_since must be an RFC 3339 time"))?
                .with_timezone(&chrono::Utc),
        ),
    };
    Ok(ConversationFilter {
        status: get("status"),
        channel: get("channel"),
        priority: get("priority"),
        assigned_to: get("assigned_to").map(|a| match a.as_str() {
            "me" => Some(me.to_string()),
            "none" => None,
            other => Some(other.to_string()),
        }),
        label: get("label"),
        unread: get("unread").as_deref() == Some("true"),
        search: get("search"),
        sort,
        updated_since,
    })
}

/// GET /api/conversations
pub async fn list(
    State(s): State<Arc<Shared>>,
    Agent(me): Agent,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let f = filter(&q, &me)?;
    let store = s.read();
    // Only the page asked for is sorted and turned into JSON: a page of 100,000 conversations costs a page.
    let (total, rows) = store.conversations_page(&f, (page - 1).saturating_mul(limit), limit);
    let items = rows.iter().map(|c| store.conversation_json(c)).collect();
    api::list(&headers, api::page_of_slice(items, total, page, limit))
}

/// GET /api/conversations/{id}
pub async fn get(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>) -> ApiResult {
    let store = s.read();
    let idx = conv_index(&store, &id)?;
    api::ok(store.conversation_json(&store.conversations[idx]))
}

/// PATCH /api/conversations/{id}
pub async fn patch(State(s): State<Arc<Shared>>, Agent(me): Agent, Path(id): Path<String>, raw: Bytes) -> ApiResult {
    let b = body(&raw)?;
    let labels = match b.get("labels") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|v| v.as_str().map(|s| s.trim().to_string()))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| ApiError::invalid("labels must be a list of strings"))?,
        ),
        Some(_) => return Err(ApiError::invalid("labels must be a list of strings")),
    };
    let p = Patch {
        status: opt_str(&b, "status")?,
        priority: opt_str(&b, "priority")?,
        labels,
        subject: opt_str(&b, "subject")?,
    };
    let now = s.now();
    let out = {
        let mut store = s.lock();
        let idx = conv_index(&store, &id)?;
        store.patch(idx, p, &me, now)?;
        store.conversation_json(&store.conversations[idx])
    };
    s.wake();
    api::ok(out)
}

/// PUT /api/conversations/{id}/assign
pub async fn assign(State(s): State<Arc<Shared>>, Agent(me): Agent, Path(id): Path<String>, raw: Bytes) -> ApiResult {
    let b = body(&raw)?;
    if !b.contains_key("user_id") {
        return Err(ApiError::invalid("user_id is required (an agent id, or null to unassign)"));
    }
    let user = opt_str(&b, "user_id")?.filter(|u| !u.is_empty());
    let now = s.now();
    let out = {
        let mut store = s.lock();
        let idx = conv_index(&store, &id)?;
        store.assign(idx, user, &me, now)?;
        store.conversation_json(&store.conversations[idx])
    };
    s.wake();
    api::ok(out)
}

/// POST /api/conversations/take-next: assigns the open, unassigned conversation whose customer has waited
/// longest to the caller; `data: null` when nobody is waiting.
pub async fn take_next(State(s): State<Arc<Shared>>, Agent(me): Agent) -> ApiResult {
    let now = s.now();
    let out = {
        let mut store = s.lock();
        let next = store
            .conversations
            .iter()
            .enumerate()
            .filter(|(_, c)| c.status == "open" && c.assignee.is_none())
            .filter_map(|(i, c)| c.waiting_since.map(|w| (w, i)))
            .min()
            .map(|(_, i)| i);
        match next {
            Some(idx) => {
                store.assign(idx, Some(me.clone()), &me, now)?;
                store.conversation_json(&store.conversations[idx])
            }
            None => serde_json::Value::Null,
        }
    };
    s.wake();
    api::ok(out)
}

/// POST /api/conversations/{id}/read
pub async fn read(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>) -> ApiResult {
    let now = s.now();
    let out = {
        let mut store = s.lock();
        let idx = conv_index(&store, &id)?;
        store.mark_read(idx, now);
        store.conversation_json(&store.conversations[idx])
    };
    s.wake();
    api::ok(out)
}

/// GET /api/conversations/{id}/messages (newest first)
pub async fn messages(
    State(s): State<Arc<Shared>>,
    Agent(_): Agent,
    Path(id): Path<String>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    conv_index(&store, &id)?;
    let items = store.messages.get(&id).map(|m| m.iter().rev().map(|m| store.message_json(m)).collect());
    api::list(&headers, api::page_of(items.unwrap_or_default(), page, limit))
}

/// POST /api/conversations/{id}/messages
pub async fn send(
    State(s): State<Arc<Shared>>,
    Agent(me): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> ApiResult {
    let b = body(&raw)?;
    let text = api::required_text(&b, "text")?;
    let private = match b.get("private") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(p)) => *p,
        Some(_) => return Err(ApiError::invalid("private must be true or false")),
    };
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    let now = s.now();
    let out = {
        let mut store = s.lock();
        let idx = conv_index(&store, &id)?;
        let slot = key.map(|k| (me.clone(), id.clone(), k));
        let earlier = slot.as_ref().and_then(|k| store.idempotency.get(k)).cloned();
        let found = earlier.and_then(|mid| store.messages.get(&id)?.iter().find(|m| m.id == mid).cloned());
        match found {
            Some(m) => {
                return Ok(([("idempotent-replayed", "true")], api::created(store.message_json(&m))?).into_response());
            }
            None => {
                let m = store.add_message(idx, Some(&me), private, &text, now);
                if let Some(k) = slot {
                    store.idempotency.insert(k, m.id.clone());
                }
                (store.message_json(&m), (!private).then_some(m.id))
            }
        }
    };
    if let Some(mid) = out.1 {
        crate::delivery::schedule(&s, id, mid, false);
    }
    s.wake();
    api::created(out.0)
}

/// GET /api/conversations/{id}/activities (newest first)
pub async fn activities(
    State(s): State<Arc<Shared>>,
    Agent(_): Agent,
    Path(id): Path<String>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    conv_index(&store, &id)?;
    let items = store.activities.get(&id).map(|a| a.iter().rev().map(|a| store.activity_json(a)).collect());
    api::list(&headers, api::page_of(items.unwrap_or_default(), page, limit))
}
