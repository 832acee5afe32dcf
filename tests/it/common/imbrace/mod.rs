//! An in-process imBrace emulator, as strict as `shared/docs/imbrace.md`: credentials as the SDKs send them
//! (an API key, a JWT with its organisation as Bearer, an opaque token as x-access-token), who am I and the
//! user list from the platform service, team conversations whose `users` say who is in them (views
//! `joined`/`yours`, their counts, the outstanding list), `type`/`q` as a field selector, imBrace's statuses
//! (`closed` is not one), messages whose only author marker is `from`, message comments, contact updates that
//! take what is sent (a null wipes), and a log of every call it received.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

mod inbox;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Ana's API key.
pub const KEY: &str = "imb_key_123";
/// Ana's organisation-scoped access token (a JWT: sent as Bearer with x-organization-id).
pub const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoidV9hbmEifQ.c2lnbmF0dXJl";
/// The organisation.
pub const ORG: &str = "org_1";

#[derive(Default)]
pub struct Emu {
    pub conversations: Vec<Value>,
    pub contacts: Vec<Value>,
    pub users: Vec<Value>,
    pub messages: Vec<Value>,
    pub comments: Vec<Value>,
    pub notifications: Vec<Value>,
    pub calls: Vec<String>,
}

pub type Shared = Arc<Mutex<Emu>>;

/// The caller, as the gateway knows them.
#[derive(Clone)]
pub struct Caller(pub String);

fn seed() -> Emu {
    let users = vec![
        json!({"id": "u_ana", "email": "ana@acme.test", "display_name": "Ana Lima", "role": "agent", "is_active": true}),
        json!({"id": "u_ben", "email": "ben@acme.test", "display_name": "Ben Okoro", "role": "agent", "is_active": true}),
        json!({"id": "u_chen", "email": "chen@acme.test", "display_name": "Chen Wei", "role": "admin", "is_active": true}),
    ];
    let contacts: Vec<Value> = ["Marta Ruiz", "Omar Haddad", "Yuki Sato", "Lena Vogel"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            json!({"object_name": "contact", "id": format!("ct_{i}"), "organization_id": ORG, "display_name": n,
            "email": format!("c{i}@mail.test"), "phone_number": format!("+4915112345{i:02}"),
            "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-11-20T10:00:00Z"})
        })
        .collect();
    // Ana is in the odd ones; Ben in cv_4; cv_0 and cv_2 have nobody.
    let conversations: Vec<Value> = (0..6)
        .map(|i| {
            let users: Vec<Value> = match i {
                1 | 3 | 5 => vec![json!({"object_name": "simple_user", "id": "u_ana", "display_name": "Ana Lima"})],
                4 => vec![json!({"object_name": "simple_user", "id": "u_ben", "display_name": "Ben Okoro"})],
                _ => vec![],
            };
            let channel = ["whatsapp", "instagram", "web", "email", "line", "wechat"][i];
            json!({"object_name": "conversation", "id": format!("cv_{i}"), "organization_id": ORG,
                "business_unit_id": "bu_1", "channel_id": "ch_1", "channel_type": channel,
                "contact_id": format!("ct_{}", i % 4), "status": "open", "name": contacts[i % 4]["display_name"],
                "timestamp": format!("2026-11-21T1{i}:00:00Z"), "users": users})
        })
        .collect();
    // Every conversation opens with the customer; Ana has answered in cv_1.
    let mut messages: Vec<Value> = (0..6)
        .map(|i| {
            json!({"object_name": "message", "id": format!("m_{i}"), "organization_id": ORG, "business_unit_id": "bu_1",
            "conversation_id": format!("cv_{i}"), "from": format!("ct_{}", i % 4), "type": "text",
            "content": {"text": format!("Hello from conversation {i}")}, "created_at": format!("2026-11-21T0{i}:00:00Z"),
            "updated_at": format!("2026-11-21T0{i}:00:00Z")})
        })
        .collect();
    messages.push(json!({"object_name": "message", "id": "m_1r", "organization_id": ORG, "conversation_id": "cv_1",
        "from": "u_ana", "type": "text", "content": {"text": "Looking into it now"},
        "created_at": "2026-11-21T01:30:00Z", "updated_at": "2026-11-21T01:30:00Z"}));
    let notifications = vec![
        json!({"object_name": "notification", "id": "n_1", "organization_id": ORG, "user_id": "u_ana", "type": "assigned",
            "content": {"title": "You were assigned", "conversation_id": "cv_1"}, "is_read": false, "created_at": "2026-11-21T08:00:00Z"}),
        json!({"object_name": "notification", "id": "n_2", "organization_id": ORG, "user_id": "u_ana", "type": "message",
            "content": {"message": "Omar wrote again"}, "is_read": false, "created_at": "2026-11-21T07:00:00Z"}),
        json!({"object_name": "notification", "id": "n_3", "organization_id": ORG, "user_id": "u_ana", "type": "system",
            "content": {"text": "Weekly report ready"}, "is_read": true, "created_at": "2026-11-20T07:00:00Z"}),
    ];
    Emu { conversations, contacts, users, messages, comments: vec![], notifications, calls: vec![] }
}

/// Starts the emulator on a free loopback port; returns its gateway URL and state.
pub async fn start() -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(seed()));
    let cs = |p: &str| format!("/channel-service{p}");
    let app = Router::new()
        .route("/platform/v1/users/_me", get(me))
        .route("/platform/v1/users", get(list_users))
        .route("/platform/v1/users/_all", get(all_users))
        .route(&cs("/v1/team_conversations"), get(inbox::list_v1))
        .route(&cs("/v2/team_conversations"), get(inbox::list_v2))
        .route(&cs("/v1/team_conversations/_views_count"), get(inbox::views_count))
        .route(&cs("/v1/team_conversations/_outstanding"), get(inbox::outstanding))
        .route(&cs("/v1/team_conversations/{id}"), get(inbox::get_conversation))
        .route(&cs("/v1/team_conversations/{id}/users"), get(invitable))
        .route(&cs("/v1/team_conversations/assign_team_member"), post(inbox::assign))
        .route(&cs("/v1/team_conversations/remove_team_member"), post(inbox::remove))
        .route(&cs("/v1/team_conversations/_update_status"), post(inbox::status))
        .route(&cs("/v1/conversation_messages"), get(inbox::messages).post(inbox::send))
        .route(&cs("/v1/conversations/{cid}/conversation_messages/{mid}/comments"), post(inbox::comment_on_message))
        .route(&cs("/v1/contacts"), get(contacts))
        .route(&cs("/v1/contacts/_search"), get(contacts))
        .route(&cs("/v1/contacts/_export_csv"), get(export))
        .route(&cs("/v1/contacts/{id}"), get(contact).put(update_contact))
        .route(&cs("/v1/contacts/{id}/comments"), get(comments).post(add_comment))
        .route(&cs("/v1/contacts/{id}/message_comments"), get(inbox::message_comments))
        .route(&cs("/v1/contacts/{id}/conversations"), get(contact_conversations))
        .route(&cs("/v1/contact/{id}/files"), get(files))
        .route(&cs("/v1/conversations_activities/{id}"), get(activities))
        .route(&cs("/v1/notifications"), get(notifications))
        .route(&cs("/v1/notifications/read"), put(read))
        .route(&cs("/v1/notifications/dismiss"), axum::routing::delete(dismiss))
        .route(&cs("/v1/notifications/dismiss/all"), axum::routing::delete(dismiss_all))
        .layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

/// Who the headers say is calling: an API key; a JWT as Bearer with its organisation; an opaque token as
/// x-access-token. A Bearer JWT without x-organization-id is refused.
fn caller(h: &HeaderMap) -> Option<String> {
    let header = |k: &str| h.get(k).and_then(|v| v.to_str().ok());
    if let Some(key) = header("x-api-key") {
        return (key == KEY).then(|| "u_ana".into());
    }
    if let Some(bearer) = header("authorization").and_then(|v| v.strip_prefix("Bearer ")) {
        return (bearer == JWT && header("x-organization-id") == Some(ORG)).then(|| "u_ana".into());
    }
    header("x-access-token").filter(|t| t.starts_with("acc_")).map(|_| "u_ana".into())
}

/// Checks the credential and logs the call as "METHOD /path {body}" (the service prefix dropped for the
/// channel service).
async fn record(State(s): State<Shared>, mut req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let Some(user) = caller(req.headers()) else {
        s.lock().unwrap().calls.push(format!("refused {}", req.uri().path()));
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "Unauthorized"}))).into_response();
    };
    req.extensions_mut().insert(Caller(user));
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let path =
        parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("").trim_start_matches("/channel-service").to_string();
    let line = format!("{} {} {}", parts.method, path, String::from_utf8_lossy(&bytes)).trim_end().to_string();
    s.lock().unwrap().calls.push(line);
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

/// `{data, total, page, limit}` over `skip`/`limit`.
pub fn paged(items: Vec<Value>, q: &HashMap<String, String>) -> Value {
    let skip: usize = q.get("skip").and_then(|s| s.parse().ok()).unwrap_or(0);
    let limit: usize = q.get("limit").and_then(|s| s.parse().ok()).unwrap_or(20);
    let total = items.len();
    let data: Vec<Value> = items.into_iter().skip(skip).take(limit).collect();
    json!({"data": data, "total": total, "page": skip / limit.max(1) + 1, "limit": limit})
}

pub fn find(list: &[Value], id: &str) -> Option<usize> {
    list.iter().position(|c| c["id"] == id || c["_id"] == id)
}

pub fn body(b: &Bytes) -> Value {
    serde_json::from_slice(b).unwrap_or(Value::Null)
}

pub fn refuse(code: StatusCode, message: &str) -> Response {
    (code, axum::Json(json!({"success": false, "message": message}))).into_response()
}

async fn me(State(s): State<Shared>, axum::Extension(Caller(u)): axum::Extension<Caller>) -> Response {
    let e = s.lock().unwrap();
    let user = e.users.iter().find(|x| x["id"] == u.as_str()).cloned().unwrap_or(Value::Null);
    axum::Json(user).into_response()
}

async fn list_users(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    axum::Json(paged(s.lock().unwrap().users.clone(), &q)).into_response()
}

async fn all_users(State(s): State<Shared>) -> Response {
    axum::Json(Value::Array(s.lock().unwrap().users.clone())).into_response()
}

async fn invitable(State(s): State<Shared>) -> Response {
    let e = s.lock().unwrap();
    let users: Vec<Value> =
        e.users.iter().map(|u| json!({"_id": u["id"], "name": u["display_name"], "email": u["email"]})).collect();
    axum::Json(Value::Array(users)).into_response()
}

async fn contacts(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> impl IntoResponse {
    let e = s.lock().unwrap();
    let needle = q.get("q").map(|s| s.to_lowercase());
    let items = e.contacts.iter().filter(|c| {
        needle.as_ref().is_none_or(|n| c["display_name"].as_str().unwrap_or("").to_lowercase().contains(n))
    });
    axum::Json(paged(items.cloned().collect(), &q))
}

async fn contact(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let e = s.lock().unwrap();
    match find(&e.contacts, &id) {
        Some(i) => axum::Json(e.contacts[i].clone()).into_response(),
        None => refuse(StatusCode::NOT_FOUND, "not found"),
    }
}

/// Takes what is sent, by the SDK's names: a null is stored as null (nothing says it means "unchanged").
async fn update_contact(State(s): State<Shared>, Path(id): Path<String>, b: Bytes) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let Some(i) = find(&e.contacts, &id) else { return refuse(StatusCode::NOT_FOUND, "not found") };
    for (from, to) in [("name", "display_name"), ("email", "email"), ("phone", "phone_number")] {
        if let Some(x) = v.get(from) {
            e.contacts[i][to] = x.clone();
        }
    }
    axum::Json(e.contacts[i].clone()).into_response()
}

async fn comments(State(s): State<Shared>, Path(id): Path<String>) -> impl IntoResponse {
    let e = s.lock().unwrap();
    let mut list =
        vec![json!({"_id": "cm_1", "text": format!("VIP customer ({id})"), "created_at": "2026-11-01T10:00:00Z"})];
    list.extend(e.comments.iter().filter(|c| c["contact_id"] == id.as_str() && c["message_id"].is_null()).cloned());
    axum::Json(Value::Array(list))
}

/// The spec's contact comment: `{content}` (required).
async fn add_comment(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let Some(text) = v["content"].as_str().filter(|t| !t.trim().is_empty()) else {
        return refuse(StatusCode::BAD_REQUEST, "content is required");
    };
    let mut e = s.lock().unwrap();
    let c = json!({"_id": format!("cm_{}", e.comments.len() + 10), "contact_id": id, "text": text, "user_id": u,
        "created_at": "2026-11-21T12:00:00Z"});
    e.comments.push(c.clone());
    axum::Json(c).into_response()
}

async fn contact_conversations(State(s): State<Shared>, Path(id): Path<String>) -> impl IntoResponse {
    let e = s.lock().unwrap();
    axum::Json(Value::Array(e.conversations.iter().filter(|c| c["contact_id"] == id.as_str()).cloned().collect()))
}

async fn files(Path(_id): Path<String>) -> impl IntoResponse {
    axum::Json(json!([{"_id": "f_1", "name": "invoice.pdf", "url": "https://files.acme.test/f_1", "size": 20480}]))
}

async fn activities(Path(id): Path<String>) -> impl IntoResponse {
    axum::Json(
        json!([{"_id": "a_1", "type": "assigned", "description": format!("assigned {id}"), "created_at": "2026-11-21T08:00:00Z"}]),
    )
}

async fn export() -> impl IntoResponse {
    "id,display_name,email\nct_0,Marta Ruiz,c0@mail.test\n"
}

async fn notifications(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> impl IntoResponse {
    axum::Json(paged(s.lock().unwrap().notifications.clone(), &q))
}

async fn read(State(s): State<Shared>, b: Bytes) -> impl IntoResponse {
    let ids: Vec<String> = body(&b)["notification_id"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .unwrap_or_default();
    for n in s.lock().unwrap().notifications.iter_mut() {
        if ids.iter().any(|i| n["id"] == i.as_str()) {
            n["is_read"] = json!(true);
        }
    }
    axum::Json(json!({"success": true}))
}

async fn dismiss(State(s): State<Shared>, b: Bytes) -> impl IntoResponse {
    let id = body(&b)["notification_id"].as_str().map(String::from);
    let Some(id) = id else {
        return axum::Json(json!({"success": false, "message": "notification_id is required in the body"}));
    };
    s.lock().unwrap().notifications.retain(|n| n["id"] != id.as_str());
    axum::Json(json!({"success": true}))
}

async fn dismiss_all(State(s): State<Shared>) -> impl IntoResponse {
    s.lock().unwrap().notifications.clear();
    axum::Json(json!({"success": true}))
}
