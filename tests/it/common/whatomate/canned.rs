//! Canned responses (§10): listed most used first (`canned_responses:read`, which every role has), searched in
//! name, content and shortcut, only the active ones with `active_only=true`; `…/{id}/use` counts a use.

use super::roles::can;
use super::{Caller, Shared, err, find, ok, page_of};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;

fn canned(id: &str, name: &str, shortcut: &str, content: &str, active: bool, used: u64) -> Value {
    json!({"id": id, "name": name, "shortcut": shortcut, "content": content, "category": "support", "is_active": active,
        "usage_count": used, "buttons": [], "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z"})
}

pub fn seed() -> Vec<Value> {
    vec![
        canned("cr1", "Greeting", "/hi", "Hi {{contact_name}}, this is {{agent_name}}. How can I help?", true, 12),
        canned(
            "cr2",
            "Refund timeline",
            "/refund",
            "Refunds reach your account within {{days}} working days.",
            true,
            30,
        ),
        canned("cr3", "Closing", "/bye", "Thanks for writing to us, {{contact_name}}!", true, 5),
        canned("cr4", "Old promo", "/promo", "Our spring promo has ended.", false, 99),
    ]
}

/// GET /api/canned-responses?search&category&active_only&page&limit
pub async fn list(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let e = s.lock().unwrap();
    if !can(&e, &u, "canned_responses:read") {
        return err(StatusCode::FORBIDDEN, "Insufficient permissions");
    }
    let needle = q.get("search").map(|s| s.to_lowercase());
    let active_only = q.get("active_only").is_some_and(|a| a == "true");
    let text = |c: &Value, k: &str| c[k].as_str().unwrap_or("").to_lowercase();
    let mut items: Vec<Value> = e
        .canned
        .iter()
        .filter(|c| !active_only || c["is_active"] == true)
        .filter(|c| q.get("category").is_none_or(|cat| c["category"] == cat.as_str()))
        .filter(|c| {
            needle.as_ref().is_none_or(|n| ["name", "content", "shortcut"].iter().any(|k| text(c, k).contains(n)))
        })
        .cloned()
        .collect();
    items.sort_by_key(|c| std::cmp::Reverse(c["usage_count"].as_u64().unwrap_or(0)));
    ok(page_of(items, "canned_responses", &q))
}

/// POST /api/canned-responses/{id}/use
pub async fn used(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let mut e = s.lock().unwrap();
    let Some(k) = find(&e.canned, &id) else { return err(StatusCode::NOT_FOUND, "Canned response not found") };
    let n = e.canned[k]["usage_count"].as_u64().unwrap_or(0) + 1;
    e.canned[k]["usage_count"] = json!(n);
    ok(json!({"message": "Usage tracked"}))
}
