//! An in-process imBrace emulator: the documented shapes and quirks, and a log of every call it received.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const KEY: &str = "imb_key_123";

#[derive(Default)]
pub struct Emu {
    pub conversations: Vec<Value>,
    pub contacts: Vec<Value>,
    pub users: Vec<Value>,
    pub messages: Vec<Value>,
    pub notifications: Vec<Value>,
    pub calls: Vec<String>,
}

pub type Shared = Arc<Mutex<Emu>>;

fn seed() -> Emu {
    let users = vec![
        json!({"_id": "u_ana", "name": "Ana Lima", "email": "ana@acme.test"}),
        json!({"_id": "u_ben", "name": "Ben Okoro", "email": "ben@acme.test"}),
        json!({"_id": "u_chen", "name": "Chen Wei", "email": "chen@acme.test"}),
    ];
    let contacts: Vec<Value> = ["Marta Ruiz", "Omar Haddad", "Yuki Sato", "Lena Vogel"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            json!({"object_name": "contact", "id": format!("ct_{i}"), "organization_id": "org_1", "display_name": n,
            "email": format!("c{i}@mail.test"), "phone_number": format!("+4915112345{i:02}"),
            "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-11-20T10:00:00Z"})
        })
        .collect();
    let conversations: Vec<Value> = (0..6)
        .map(|i| {
            let users: Vec<Value> =
                if i % 2 == 0 { vec![] } else { vec![json!({"id": "u_ana", "display_name": "Ana Lima"})] };
            let channel = ["whatsapp", "instagram", "web", "email", "line", "wechat"][i];
            json!({"object_name": "conversation", "id": format!("cv_{i}"), "organization_id": "org_1",
                "business_unit_id": "bu_1", "channel_id": "ch_1", "channel_type": channel,
                "contact_id": format!("ct_{}", i % 4), "status": "open", "name": contacts[i % 4]["display_name"],
                "timestamp": format!("2026-11-21T1{i}:00:00Z"), "users": users})
        })
        .collect();
    let messages = (0..6)
        .map(|i| {
            json!({"_id": format!("m_{i}"), "conversation_id": format!("cv_{i}"), "type": "text",
            "text": format!("Hello from conversation {i}"), "created_at": "2026-11-21T09:00:00Z"})
        })
        .collect();
    let notifications = vec![
        json!({"object_name": "notification", "id": "n_1", "organization_id": "org_1", "user_id": "u_ana", "type": "assigned",
            "content": {"title": "You were assigned", "conversation_id": "cv_1"}, "is_read": false, "created_at": "2026-11-21T08:00:00Z"}),
        json!({"object_name": "notification", "id": "n_2", "organization_id": "org_1", "user_id": "u_ana", "type": "message",
            "content": {"message": "Omar wrote again"}, "is_read": false, "created_at": "2026-11-21T07:00:00Z"}),
        json!({"object_name": "notification", "id": "n_3", "organization_id": "org_1", "user_id": "u_ana", "type": "system",
            "content": {"text": "Weekly report ready"}, "is_read": true, "created_at": "2026-11-20T07:00:00Z"}),
    ];
    Emu { conversations, contacts, users, messages, notifications, calls: vec![] }
}

/// Starts the emulator on a free loopback port; returns its gateway URL and state.
pub async fn start() -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(seed()));
    let app = Router::new()
        .route("/channel-service/v2/team_conversations", get(list_conversations))
        .route("/channel-service/v1/team_conversations/{id}", get(get_conversation))
        .route("/channel-service/v1/team_conversations/{id}/users", get(users))
        .route("/channel-service/v1/team_conversations/assign_team_member", post(assign))
        .route("/channel-service/v1/team_conversations/remove_team_member", post(remove))
        .route("/channel-service/v1/team_conversations/_update_status", post(status))
        .route("/channel-service/v1/conversation_messages", get(messages).post(send))
        .route("/channel-service/v1/contacts", get(contacts))
        .route("/channel-service/v1/contacts/_search", get(contacts))
        .route("/channel-service/v1/contacts/_export_csv", get(export))
        .route("/channel-service/v1/contacts/{id}", get(contact).put(update_contact))
        .route("/channel-service/v1/contacts/{id}/comments", get(comments))
        .route("/channel-service/v1/contacts/{id}/conversations", get(contact_conversations))
        .route("/channel-service/v1/contact/{id}/files", get(files))
        .route("/channel-service/v1/conversations_activities/{id}", get(activities))
        .route("/channel-service/v1/notifications", get(notifications))
        .route("/channel-service/v1/notifications/read", put(read))
        .route("/channel-service/v1/notifications/dismiss", axum::routing::delete(dismiss))
        .route("/channel-service/v1/notifications/dismiss/all", axum::routing::delete(dismiss_all))
        .layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

/// Checks the key and logs the call as "METHOD /path {body}".
async fn record(State(s): State<Shared>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let key = req.headers().get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if key != KEY {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "invalid api key"}))).into_response();
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let path =
        parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("").trim_start_matches("/channel-service").to_string();
    s.lock()
        .unwrap()
        .calls
        .push(format!("{} {} {}", parts.method, path, String::from_utf8_lossy(&bytes)).trim_end().to_string());
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

fn paged(items: Vec<Value>, q: &HashMap<String, String>) -> Value {
    let skip: usize = q.get("skip").and_then(|s| s.parse().ok()).unwrap_or(0);
    let limit: usize = q.get("limit").and_then(|s| s.parse().ok()).unwrap_or(20);
    let total = items.len();
    let data: Vec<Value> = items.into_iter().skip(skip).take(limit).collect();
    json!({"data": data, "total": total, "page": skip / limit.max(1) + 1, "limit": limit})
}

async fn list_conversations(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> impl IntoResponse {
    let e = s.lock().unwrap();
    let items = e.conversations.iter().filter(|c| {
        let users = c["users"].as_array().map(|u| u.len()).unwrap_or(0);
        match q.get("type").map(String::as_str) {
            Some("mine") => c["users"].as_array().is_some_and(|u| u.iter().any(|x| x["id"] == "u_ana")),
            Some("unassigned") => users == 0,
            _ => true,
        }
    });
    let needle = q.get("q").map(|s| s.to_lowercase());
    let items =
        items.filter(|c| needle.as_ref().is_none_or(|n| c["name"].as_str().unwrap_or("").to_lowercase().contains(n)));
    let mut items: Vec<Value> = items.cloned().collect();
    if q.get("sort").map(String::as_str) == Some("-timestamp") {
        items.sort_by(|a, b| b["timestamp"].as_str().cmp(&a["timestamp"].as_str()));
    }
    axum::Json(paged(items, &q))
}

fn find(list: &[Value], id: &str) -> Option<usize> {
    list.iter().position(|c| c["id"] == id || c["_id"] == id)
}

async fn get_conversation(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let e = s.lock().unwrap();
    match find(&e.conversations, &id) {
        Some(i) => axum::Json(e.conversations[i].clone()).into_response(),
        None => (StatusCode::NOT_FOUND, axum::Json(json!({"message": "not found"}))).into_response(),
    }
}

async fn users(State(s): State<Shared>) -> impl IntoResponse {
    axum::Json(Value::Array(s.lock().unwrap().users.clone()))
}

fn body(b: &Bytes) -> Value {
    serde_json::from_slice(b).unwrap_or(Value::Null)
}

async fn assign(State(s): State<Shared>, b: Bytes) -> impl IntoResponse {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let user = e.users.iter().find(|u| u["_id"] == v["user_id"]).cloned();
    let (Some(i), Some(u)) = (find(&e.conversations, v["conversation_id"].as_str().unwrap_or("")), user) else {
        return axum::Json(json!({"success": false, "message": "no such conversation or user"}));
    };
    let entry = json!({"id": u["_id"], "display_name": u["name"]});
    if let Some(users) = e.conversations[i]["users"].as_array_mut() {
        users.push(entry);
    }
    axum::Json(json!({"success": true}))
}

async fn remove(State(s): State<Shared>, b: Bytes) -> impl IntoResponse {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    if let Some(i) = find(&e.conversations, v["conversation_id"].as_str().unwrap_or(""))
        && let Some(users) = e.conversations[i]["users"].as_array_mut()
    {
        users.retain(|u| u["id"] != v["user_id"]);
    }
    axum::Json(json!({"success": true}))
}

async fn status(State(s): State<Shared>, b: Bytes) -> impl IntoResponse {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    if let Some(i) = find(&e.conversations, v["conversation_id"].as_str().unwrap_or("")) {
        e.conversations[i]["status"] = v["status"].clone();
    }
    axum::Json(json!({"success": true}))
}

async fn messages(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> impl IntoResponse {
    let e = s.lock().unwrap();
    let id = q.get("conversation_id").cloned().unwrap_or_default();
    let mut items: Vec<Value> = e.messages.iter().filter(|m| m["conversation_id"] == id.as_str()).cloned().collect();
    items.reverse();
    axum::Json(paged(items, &q))
}

async fn send(State(s): State<Shared>, b: Bytes) -> impl IntoResponse {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let m = json!({"_id": format!("m_{}", e.messages.len()), "conversation_id": v["conversation_id"], "type": "text",
        "text": v["text"], "user_id": "u_ana", "user": {"id": "u_ana", "display_name": "Ana Lima"}, "created_at": "2026-11-21T12:00:00Z"});
    e.messages.push(m.clone());
    axum::Json(m)
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
        None => (StatusCode::NOT_FOUND, axum::Json(json!({"message": "not found"}))).into_response(),
    }
}

async fn update_contact(State(s): State<Shared>, Path(id): Path<String>, b: Bytes) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let Some(i) = find(&e.contacts, &id) else { return StatusCode::NOT_FOUND.into_response() };
    for (from, to) in [("name", "display_name"), ("email", "email"), ("phone", "phone_number")] {
        if let Some(x) = v.get(from).filter(|x| !x.is_null()) {
            e.contacts[i][to] = x.clone();
        }
    }
    axum::Json(e.contacts[i].clone()).into_response()
}

async fn comments(Path(id): Path<String>) -> impl IntoResponse {
    axum::Json(json!([{"_id": "cm_1", "text": format!("VIP customer ({id})"), "created_at": "2026-11-01T10:00:00Z"}]))
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

async fn dismiss(State(s): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, b: Bytes) -> impl IntoResponse {
    let _ = (method, uri, headers);
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
