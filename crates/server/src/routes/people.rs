//! The current agent, the agent list and the label list.

use crate::Shared;
use crate::api::{self, Agent, ApiError, ApiResult, Params};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde_json::json;
use std::sync::Arc;

/// GET /api/me
pub async fn me(State(s): State<Arc<Shared>>, Agent(me): Agent) -> ApiResult {
    let store = s.read();
    let a = store.agent(&me).ok_or_else(|| ApiError::not_found("the token's agent is gone"))?;
    api::ok(store.agent_json(a))
}

/// GET /api/agents
pub async fn agents(State(s): State<Arc<Shared>>, Agent(_): Agent, Query(q): Query<Params>, h: HeaderMap) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    let items = store.agents.iter().map(|a| store.agent_json(a)).collect();
    api::list(&h, api::page_of(items, page, limit))
}

/// GET /api/labels
pub async fn labels(State(s): State<Arc<Shared>>, Agent(_): Agent, Query(q): Query<Params>, h: HeaderMap) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    let items = store.labels.iter().map(|l| json!({"name": l.name, "color": l.color})).collect();
    api::list(&h, api::page_of(items, page, limit))
}
