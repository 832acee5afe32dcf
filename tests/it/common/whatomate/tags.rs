//! Tags (§12): a paged list sorted by name (`tags:read`) with Whatomate's six colours or none, created with
//! `tags:write` (409 for a duplicate, 400 for a bad colour or a long name), and put on a contact with
//! `contacts:write`; a name nobody created stays on that contact only.

use super::roles::can;
use super::{Caller, Shared, body, err, find, ok, page_of};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The colours a tag may have ("" is shown as gray).
const COLOURS: &[&str] = &["blue", "red", "green", "yellow", "purple", "gray", ""];

fn tag(name: &str, color: &str) -> Value {
    json!({"name": name, "color": color, "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z"})
}

pub fn seed() -> Vec<Value> {
    vec![tag("vip", "yellow"), tag("refund", "red"), tag("wholesale", "")]
}

/// Adds `n` more tags named `bulk-000`…, so the list needs more than one page.
pub fn many(s: &Shared, n: usize) {
    let mut e = s.lock().unwrap();
    for k in 0..n {
        e.tags.push(tag(&format!("bulk-{k:03}"), COLOURS[k % 6]));
    }
}

/// GET /api/tags?search&page&limit
pub async fn list(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let e = s.lock().unwrap();
    if !can(&e, &u, "tags:read") {
        return err(StatusCode::FORBIDDEN, "Insufficient permissions");
    }
    let needle = q.get("search").map(|s| s.to_lowercase());
    let mut items: Vec<Value> = e
        .tags
        .iter()
        .filter(|t| needle.as_ref().is_none_or(|n| t["name"].as_str().unwrap_or("").to_lowercase().contains(n)))
        .cloned()
        .collect();
    items.sort_by_key(|t| t["name"].as_str().unwrap_or("").to_string());
    ok(page_of(items, "tags", &q))
}

/// POST /api/tags {"name","color"}
pub async fn create(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    if !can(&e, &u, "tags:write") {
        return err(StatusCode::FORBIDDEN, "Insufficient permissions");
    }
    let name = v["name"].as_str().unwrap_or("").trim().to_string();
    if name.is_empty() || name.chars().count() > 50 {
        return err(StatusCode::BAD_REQUEST, "Tag name is required (at most 50 characters)");
    }
    let color = v["color"].as_str().unwrap_or("");
    if !COLOURS.contains(&color) {
        return err(StatusCode::BAD_REQUEST, "Invalid color");
    }
    if e.tags.iter().any(|t| t["name"] == name.as_str()) {
        return err(StatusCode::CONFLICT, "Tag already exists");
    }
    let t = tag(&name, color);
    e.tags.push(t.clone());
    ok(t)
}

/// PUT /api/contacts/{id}/tags {"tags":[…]}
pub async fn set(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    if !can(&e, &u, "contacts:write") {
        return err(StatusCode::FORBIDDEN, "Insufficient permissions");
    }
    let Some(i) = find(&e.contacts, &id) else { return err(StatusCode::NOT_FOUND, "Contact not found") };
    e.contacts[i]["tags"] = v["tags"].clone();
    ok(json!({"message": "Tags updated"}))
}
