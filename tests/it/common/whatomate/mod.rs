//! An in-process Whatomate emulator, as strict as `shared/docs/whatomate.md`: the shapes its server code sends
//! and its quirks (a `contacts` key with no `total_pages`, roles and permissions from `/api/me` with 403s where
//! the agent role lacks one, the transfer assignment model, session tokens only in Set-Cookie and single-use
//! refresh tokens, page-mode message reads that mark messages read, close 1008 on a bad socket auth), plus a
//! log of every call it received.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod canned;
mod messages;
mod notes;
mod roles;
mod socket;
pub mod tags;
mod templates;
mod transfers;

pub use auth::token_user;
use auth::{authenticate, login, refresh, ws_token};
use roles::{can, me};
use transfers::{assign_transfer, pick, transfers};

pub use messages::outcome;
pub use notes::long_history;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::broadcast;

/// Ana's API key (the default agent role: no contacts:write, tags:write or users:read).
pub const AGENT_KEY: &str = "whm_0123456789abcdef0123456789abcdef";
/// Cara's API key (an admin).
pub const ADMIN_KEY: &str = "whm_fedcba9876543210fedcba9876543210";
/// Dan's API key (a custom role that may tag contacts but not create tags).
pub const CURATOR_KEY: &str = "whm_dddddddddddddddddddddddddddddddd";
/// Ana's sign-in.
pub const EMAIL: &str = "ana@acme.test";
/// Ana's password.
pub const PASSWORD: &str = "correct horse";

pub struct Emu {
    pub users: Vec<Value>,
    pub contacts: Vec<Value>,
    pub messages: Vec<Value>,
    pub notes: Vec<Value>,
    pub transfers: Vec<Value>,
    pub templates: Vec<Value>,
    pub tags: Vec<Value>,
    pub canned: Vec<Value>,
    pub calls: Vec<String>,
    /// How long access tokens live, in seconds.
    pub token_life: u64,
    /// How long ws-tokens live (30 s on Whatomate).
    pub ws_token_life: std::time::Duration,
    /// Live tokens: access and ws tokens → (user id, expiry).
    pub tokens: HashMap<String, (String, Instant)>,
    /// Refresh tokens not used yet → user id.
    pub refresh: HashMap<String, String>,
    pub issued: u32,
    /// Pings received on sockets.
    pub pings: u32,
    /// Sends to store and then answer with a 502, as if the answer was lost on the way.
    pub lose_send_answers: u32,
    /// Sends that WhatsApp later refuses, with this `error_message` (Whatomate answers every send `pending`
    /// and reports the outcome only over the socket).
    pub fail_sends: Option<String>,
    /// How long after a send its outcome is reported.
    pub outcome_after: std::time::Duration,
    /// The chatbot setting that pins a contact to the first agent who takes it (on in a settings row).
    pub assign_to_same_agent: bool,
    /// `server.allowed_origins`: when set, a socket upgrade needs one of these `Origin`s (else HTTP 500).
    pub allowed_origins: Option<Vec<String>>,
    /// Frames sent to every open socket.
    pub events: broadcast::Sender<Value>,
    /// Closes every open socket (a server restart, a proxy timeout).
    pub kick: broadcast::Sender<()>,
}

pub type Shared = Arc<Mutex<Emu>>;

fn seed() -> Emu {
    let users = vec![
        json!({"id": "u_ana", "email": EMAIL, "full_name": "Ana Lima", "role": "agent", "is_active": true, "is_available": true}),
        json!({"id": "u_ben", "email": "ben@acme.test", "full_name": "Ben Okoro", "role": "agent", "is_active": true, "is_available": false}),
        json!({"id": "u_cara", "email": "cara@acme.test", "full_name": "Cara Diaz", "role": "admin", "is_active": true, "is_available": true}),
        json!({"id": "u_dan", "email": "dan@acme.test", "full_name": "Dan Park", "role": "curator", "is_active": true, "is_available": true}),
    ];
    let names = ["Marta Ruiz", "Omar Haddad", "Yuki Sato", "Lena Vogel", "Ravi Iyer", "Sofia Rossi"];
    let contacts: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            // c5 is the newest; c1 last wrote 30 hours ago, so its window has closed.
            let hour = 10 + i;
            let inbound = if i == 1 { "2026-11-20T04:00:00Z".to_string() } else { format!("2026-11-21T{hour}:00:00Z") };
            let assigned = match i { 3 => json!("u_ana"), 4 => json!("u_ben"), _ => Value::Null };
            json!({"id": format!("c{i}"), "phone_number": format!("4915112345{i:02}"), "name": n, "profile_name": n,
                "status": "active", "tags": if i == 0 { json!(["vip"]) } else { json!([]) }, "metadata": {"plan": "pro"},
                "last_message_at": format!("2026-11-21T{hour}:00:00Z"), "last_message_preview": format!("Hi, this is {n}"),
                "unread_count": 1, "assigned_user_id": assigned, "whatsapp_account": "acme-main", "last_inbound_at": inbound,
                "service_window_open": i != 1, "marketing_opt_out": false,
                "created_at": "2026-10-01T10:00:00Z", "updated_at": format!("2026-11-21T{hour}:00:00Z")})
        })
        .collect();
    let messages = (0..6)
        .flat_map(|i| {
            [
                json!({"id": format!("m{i}a"), "contact_id": format!("c{i}"), "direction": "incoming", "message_type": "text",
                    "content": {"body": format!("Hi, this is {}", names[i])}, "status": "received", "created_at": format!("2026-11-21T{:02}:00:00Z", 9 + i)}),
                json!({"id": format!("m{i}b"), "contact_id": format!("c{i}"), "direction": "incoming", "message_type": "image",
                    "content": {}, "status": "received", "created_at": format!("2026-11-21T{:02}:00:00Z", 10 + i)}),
            ]
        })
        .collect();
    let notes = vec![json!({"id": "n1", "contact_id": "c5", "created_by_id": "u_ben", "created_by_name": "Ben Okoro",
        "content": "Asked for a refund twice", "created_at": "2026-11-21T08:00:00Z", "updated_at": "2026-11-21T08:00:00Z"})];
    // Sofia (c5, the newest) and Yuki (c2) wait in the queue; Yuki has waited longer.
    let transfers = vec![
        json!({"id": "tr_5", "contact_id": "c5", "contact_name": "Sofia Rossi", "status": "active", "source": "flow",
            "agent_id": null, "transferred_at": "2026-11-21T15:00:00Z", "escalation_level": 0, "sla_breached": false}),
        json!({"id": "tr_2", "contact_id": "c2", "contact_name": "Yuki Sato", "status": "active", "source": "flow",
            "agent_id": null, "transferred_at": "2026-11-21T12:00:00Z", "escalation_level": 0, "sla_breached": false}),
    ];
    Emu {
        users,
        contacts,
        messages,
        notes,
        transfers,
        templates: templates::seed(),
        tags: tags::seed(),
        canned: canned::seed(),
        calls: vec![],
        token_life: 900,
        ws_token_life: std::time::Duration::from_secs(30),
        tokens: HashMap::new(),
        refresh: HashMap::new(),
        issued: 0,
        pings: 0,
        lose_send_answers: 0,
        fail_sends: None,
        outcome_after: std::time::Duration::from_millis(300),
        assign_to_same_agent: true,
        allowed_origins: None,
        events: broadcast::channel(64).0,
        kick: broadcast::channel(4).0,
    }
}

/// Starts the emulator on a free loopback port; returns its base URL and state.
pub async fn start() -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(seed()));
    let api = Router::new()
        .route("/api/me", get(me))
        .route("/api/auth/ws-token", get(ws_token))
        .route("/api/users", get(users))
        .route("/api/teams", get(teams))
        .route("/api/teams/{id}/members", get(members))
        .route("/api/tags", get(tags::list).post(tags::create))
        .route("/api/contacts", get(contacts))
        .route("/api/contacts/{id}", get(contact).put(update_contact))
        .route("/api/contacts/{id}/assign", put(assign))
        .route("/api/contacts/{id}/tags", put(tags::set))
        .route("/api/contacts/{id}/session-data", get(session_data))
        .route("/api/contacts/{id}/messages", get(messages::messages).post(messages::send))
        .route("/api/contacts/{id}/mark-read", post(messages::mark_read))
        .route("/api/contacts/{id}/notes", get(notes::list).post(notes::add))
        .route("/api/contacts/{id}/notes/{note_id}", put(notes::edit).delete(notes::delete))
        .route("/api/canned-responses", get(canned::list))
        .route("/api/canned-responses/{id}/use", post(canned::used))
        .route("/api/templates", get(templates::list))
        .route("/api/messages/template", post(templates::send))
        .route("/api/chatbot/transfers", get(transfers))
        .route("/api/chatbot/transfers/pick", post(pick))
        .route("/api/chatbot/transfers/{id}/assign", put(assign_transfer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), authenticate));
    let app = Router::new()
        .route("/api/auth/login", post(login))
        .route("/api/auth/refresh", post(refresh))
        .route("/ws", get(socket::upgrade))
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

/// Sends a frame to every open socket.
pub fn emit(s: &Shared, kind: &str, payload: Value) {
    let _ = s.lock().unwrap().events.send(json!({"type": kind, "payload": payload}));
}

pub fn ok(data: Value) -> Response {
    axum::Json(json!({"status": "success", "data": data})).into_response()
}

pub fn err(code: StatusCode, message: &str) -> Response {
    (code, axum::Json(json!({"status": "error", "message": message, "data": null}))).into_response()
}

/// Logs the call as "METHOD /path?query body".
async fn record(State(s): State<Shared>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("").to_string();
    let line = format!("{} {} {}", parts.method, path, String::from_utf8_lossy(&bytes)).trim_end().to_string();
    s.lock().unwrap().calls.push(line);
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

#[derive(Clone)]
pub struct Caller(pub String);

fn role(e: &Emu, user: &str) -> String {
    e.users.iter().find(|u| u["id"] == user).and_then(|u| u["role"].as_str()).unwrap_or("agent").to_string()
}

/// The caller's full name, as Whatomate records it on what they write.
pub fn full_name(e: &Emu, user: &str) -> Value {
    e.users.iter().find(|u| u["id"] == user).map(|u| u["full_name"].clone()).unwrap_or(Value::Null)
}

pub fn body(b: &Bytes) -> Value {
    serde_json::from_slice(b).unwrap_or(Value::Null)
}

async fn users(State(s): State<Shared>, axum::Extension(Caller(u)): axum::Extension<Caller>) -> Response {
    let e = s.lock().unwrap();
    if !can(&e, &u, "users:read") {
        return err(StatusCode::FORBIDDEN, "Insufficient permissions");
    }
    let n = e.users.len();
    ok(json!({"users": e.users, "total": n, "page": 1, "limit": 50, "online_count": 2}))
}

async fn teams() -> Response {
    ok(json!({"teams": [{"id": "t1", "name": "Support"}]}))
}

async fn members(State(s): State<Shared>) -> Response {
    let e = s.lock().unwrap();
    let members: Vec<Value> = e
        .users
        .iter()
        .filter(|u| u["role"] == "agent")
        .map(|u| {
            json!({"id": format!("tm_{}", u["id"].as_str().unwrap()), "user_id": u["id"], "full_name": u["full_name"],
            "email": u["email"], "role": "member", "is_available": u["is_available"]})
        })
        .collect();
    ok(json!({"members": members}))
}

pub fn page_of(items: Vec<Value>, key: &str, q: &HashMap<String, String>) -> Value {
    let page: usize = q.get("page").and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    // An out-of-range limit falls back to 50, as Whatomate does.
    let limit: usize = q.get("limit").and_then(|s| s.parse().ok()).filter(|l| (1..=100).contains(l)).unwrap_or(50);
    let total = items.len();
    let data: Vec<Value> = items.into_iter().skip((page - 1) * limit).take(limit).collect();
    // No `items`, no `total_pages`: the key names the list.
    json!({key: data, "total": total, "page": page, "limit": limit})
}

async fn contacts(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let e = s.lock().unwrap();
    let needle = q.get("search").map(|s| s.to_lowercase());
    let tag = q.get("tags");
    let mut items: Vec<Value> = e
        .contacts
        .iter()
        .filter(|c| {
            needle.as_ref().is_none_or(|n| {
                c["profile_name"].as_str().unwrap_or("").to_lowercase().contains(n)
                    || c["phone_number"].as_str().unwrap_or("").contains(n)
            })
        })
        .filter(|c| tag.is_none_or(|t| c["tags"].as_array().is_some_and(|a| a.iter().any(|x| x == t.as_str()))))
        .cloned()
        .collect();
    items.sort_by(|a, b| b["last_message_at"].as_str().cmp(&a["last_message_at"].as_str()));
    ok(page_of(items, "contacts", &q))
}

pub fn find(list: &[Value], id: &str) -> Option<usize> {
    list.iter().position(|c| c["id"] == id)
}

async fn contact(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let e = s.lock().unwrap();
    match find(&e.contacts, &id) {
        Some(i) => ok(e.contacts[i].clone()),
        None => err(StatusCode::NOT_FOUND, "Contact not found"),
    }
}

async fn update_contact(
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
    let fields = ["profile_name", "whatsapp_account", "tags", "metadata", "assigned_user_id", "clear_assigned_agent"];
    if !fields.iter().any(|f| v.get(f).is_some_and(|x| !x.is_null())) {
        return err(StatusCode::BAD_REQUEST, "No fields to update");
    }
    if let Some(name) = v["profile_name"].as_str() {
        e.contacts[i]["profile_name"] = json!(name);
        e.contacts[i]["name"] = json!(name);
    }
    ok(e.contacts[i].clone())
}

async fn assign(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    if !can(&e, &u, "contacts:write") {
        // The default agent role lacks contacts:write.
        return err(StatusCode::FORBIDDEN, "You do not have permission to assign contacts");
    }
    let Some(i) = find(&e.contacts, &id) else { return err(StatusCode::NOT_FOUND, "Contact not found") };
    e.contacts[i]["assigned_user_id"] = v["user_id"].clone();
    ok(json!({"message": "Contact assigned", "assigned_user_id": v["user_id"]}))
}

async fn session_data(Path(id): Path<String>) -> Response {
    if id != "c5" {
        // No session: an empty object and empty sections.
        return ok(json!({"session_data": {}, "panel_config": {"sections": []}}));
    }
    ok(json!({"session_id": "s1", "flow_id": "f1", "flow_name": "Refunds bot",
        "session_data": {"order_id": "A-1042", "reason": "damaged", "refund_status": "pending"},
        "panel_config": {"sections": [
            {"id": "order", "label": "Order", "columns": 2, "order": 1, "fields": [
                {"key": "order_id", "label": "Order", "order": 1},
                {"key": "refund_status", "label": "Refund", "order": 2, "display_type": "badge", "color": "warning"}]},
            {"id": "why", "label": "Reason", "columns": 1, "order": 2, "collapsible": true, "fields": [
                {"key": "reason", "label": "Reason", "order": 1, "display_type": "tag", "color": "error"}]}]}}))
}
