//! Prepared text: WhatsApp's approved templates (the only message a closed 24-hour window lets through) and
//! canned responses (text agents insert into any reply).

use super::conversations::conv_index;
use crate::api::{self, Agent, ApiError, ApiResult, Params, body};
use crate::{Shared, delivery};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};
use std::sync::Arc;
use tinbox_core::domain::{fill, placeholders};

/// GET /api/templates (paged)
pub async fn templates(
    State(s): State<Arc<Shared>>,
    Agent(_): Agent,
    Query(q): Query<Params>,
    h: HeaderMap,
) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    let items = store
        .templates
        .iter()
        .map(|t| json!({"name": t.name, "language": t.language, "category": t.category, "body": t.body}))
        .collect();
    api::list(&h, api::page_of(items, page, limit))
}

/// POST /api/conversations/{id}/templates {"name","language","params":{name: value}}
pub async fn send_template(
    State(s): State<Arc<Shared>>,
    Agent(me): Agent,
    Path(id): Path<String>,
    raw: Bytes,
) -> ApiResult {
    let b = body(&raw)?;
    let name = b.get("name").and_then(Value::as_str).unwrap_or("");
    let language = b.get("language").and_then(Value::as_str);
    let params = b.get("params").cloned().unwrap_or(json!({}));
    let now = s.now();
    let out = {
        let mut store = s.lock();
        let idx = conv_index(&store, &id)?;
        if store.conversations[idx].channel != "whatsapp" {
            return Err(ApiError::invalid("templates are WhatsApp's: this conversation is not on WhatsApp"));
        }
        let Some(t) = store.templates.iter().find(|t| t.name == name && language.is_none_or(|l| t.language == l))
        else {
            return Err(ApiError::invalid(format!("no approved template named {name:?}")));
        };
        let values: Vec<(String, String)> = placeholders(&t.body)
            .into_iter()
            .map(|p| (p.clone(), params.get(&p).and_then(Value::as_str).unwrap_or("").trim().to_string()))
            .collect();
        let missing: Vec<&str> = values.iter().filter(|(_, v)| v.is_empty()).map(|(p, _)| p.as_str()).collect();
        if !missing.is_empty() {
            return Err(ApiError::invalid(format!("missing template parameters: {}", missing.join(", "))));
        }
        let text = fill(&t.body, &values);
        let m = store.add_message(idx, Some(&me), false, &text, now);
        (store.message_json(&m), m.id)
    };
    delivery::schedule(&s, id, out.1, true);
    s.wake();
    api::created(out.0)
}

/// GET /api/canned-responses (paged, most used first; `search` in name, shortcut and content)
pub async fn canned(State(s): State<Arc<Shared>>, Agent(_): Agent, Query(q): Query<Params>, h: HeaderMap) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let needle = q.get("search").map(|n| n.to_lowercase());
    let store = s.read();
    let mut list: Vec<_> = store
        .canned
        .iter()
        .filter(|c| {
            needle
                .as_ref()
                .is_none_or(|n| [&c.name, &c.shortcut, &c.content].iter().any(|f| f.to_lowercase().contains(n)))
        })
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.uses));
    let items = list
        .iter()
        .map(|c| json!({"id": c.id, "name": c.name, "shortcut": c.shortcut, "content": c.content, "uses": c.uses}))
        .collect();
    api::list(&h, api::page_of(items, page, limit))
}

/// POST /api/canned-responses/{id}/use
pub async fn canned_used(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>) -> ApiResult {
    let mut store = s.lock();
    let c =
        store.canned.iter_mut().find(|c| c.id == id).ok_or_else(|| ApiError::not_found("no such canned response"))?;
    c.uses += 1;
    api::ok(json!({"uses": c.uses}))
}
