//! Roles and permissions as Whatomate's default roles have them (internal/models/roles.go), and `/api/me`
//! in its real shape: a role object whose permissions are `{resource, action}` pairs with zero ids.

use super::{Caller, Emu, Shared, ok};
use axum::extract::State;
use axum::response::Response;
use serde_json::{Value, json};

/// The default agent role (checked against a live server).
const AGENT: &[&str] = &[
    "accounts:read",
    "chat:read",
    "chat:write",
    "contacts:read",
    "tags:read",
    "transfers:read",
    "transfers:write",
    "transfers:pickup",
    "canned_responses:read",
    "analytics:read",
];

/// Everything an admin may do that the emulator checks.
const ADMIN: &[&str] = &[
    "accounts:read",
    "chat:read",
    "chat:write",
    "contacts:read",
    "contacts:write",
    "tags:read",
    "tags:write",
    "transfers:read",
    "transfers:write",
    "transfers:pickup",
    "canned_responses:read",
    "users:read",
    "teams:read",
];

/// A custom role: tags contacts, but creates no tags.
const CURATOR: &[&str] =
    &["chat:read", "chat:write", "contacts:read", "contacts:write", "tags:read", "canned_responses:read"];

fn role_name(e: &Emu, user: &str) -> String {
    e.users.iter().find(|u| u["id"] == user).and_then(|u| u["role"].as_str()).unwrap_or("agent").to_string()
}

/// The permissions `user`'s role holds, as `resource:action`.
pub fn permissions(e: &Emu, user: &str) -> &'static [&'static str] {
    match role_name(e, user).as_str() {
        "admin" => ADMIN,
        "curator" => CURATOR,
        _ => AGENT,
    }
}

/// True when `user` may do `perm` (`resource:action`).
pub fn can(e: &Emu, user: &str, perm: &str) -> bool {
    permissions(e, user).contains(&perm)
}

/// GET /api/me
pub async fn me(State(s): State<Shared>, axum::Extension(Caller(u)): axum::Extension<Caller>) -> Response {
    let e = s.lock().unwrap();
    let Some(user) = e.users.iter().find(|x| x["id"] == u.as_str()) else { return ok(Value::Null) };
    let perms: Vec<Value> = permissions(&e, &u)
        .iter()
        .filter_map(|p| p.split_once(':'))
        .map(|(resource, action)| {
            json!({"id": "00000000-0000-0000-0000-000000000000", "resource": resource, "action": action})
        })
        .collect();
    let name = role_name(&e, &u);
    let system = name != "curator";
    ok(json!({
        "id": user["id"], "email": user["email"], "full_name": user["full_name"],
        "is_available": user["is_available"], "is_super_admin": false, "organization_id": "org_acme",
        "role": {"id": format!("role_{name}"), "name": name, "is_system": system, "permissions": perms},
    }))
}
