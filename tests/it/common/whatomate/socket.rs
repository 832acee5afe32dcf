//! The emulator's WebSocket: the Origin check (`allowed_origins`; a refused upgrade is an HTTP 500), an auth
//! frame within 5 s (an access token or a ws-token, never an API key), close 1008 when it is bad, close 1009
//! for any client frame over 512 bytes, `{"type":"ping"}` answered with a pong, and events sent to every socket.

use super::{Shared, token_user};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::time::Duration;

/// The largest frame a client may send (Whatomate's read limit).
const MAX_CLIENT_FRAME: usize = 512;

pub async fn upgrade(State(s): State<Shared>, headers: HeaderMap, ws: WebSocketUpgrade) -> Response {
    let origin = headers.get("origin").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let allowed = s.lock().unwrap().allowed_origins.clone();
    if allowed.is_some_and(|list| !list.contains(&origin)) {
        s.lock().unwrap().calls.push(format!("WS upgrade refused for Origin {origin:?}"));
        return (StatusCode::INTERNAL_SERVER_ERROR, "WebSocket upgrade failed").into_response();
    }
    s.lock().unwrap().calls.push(format!("WS upgrade from Origin {origin:?}"));
    ws.on_upgrade(move |socket| serve(socket, s))
}

/// Closes with 1009 when a client frame is over the limit; true when it did.
async fn too_big(socket: &mut WebSocket, s: &Shared, text: &str) -> bool {
    if text.len() <= MAX_CLIENT_FRAME {
        return false;
    }
    s.lock().unwrap().calls.push(format!("WS frame of {} bytes refused (1009)", text.len()));
    let close = CloseFrame { code: 1009, reason: "message too big".into() };
    let _ = socket.send(Message::Close(Some(close))).await;
    true
}

async fn serve(mut socket: WebSocket, s: Shared) {
    let first = tokio::time::timeout(Duration::from_secs(5), socket.recv()).await;
    if let Ok(Some(Ok(Message::Text(t)))) = &first
        && too_big(&mut socket, &s, t).await
    {
        return;
    }
    let token = match first {
        Ok(Some(Ok(Message::Text(t)))) => serde_json::from_str::<Value>(&t)
            .ok()
            .filter(|v| v["type"] == "auth")
            .and_then(|v| v["payload"]["token"].as_str().map(String::from)),
        _ => None,
    };
    let user = token.as_deref().and_then(|t| token_user(&s.lock().unwrap(), t));
    let Some(user) = user else {
        s.lock().unwrap().calls.push("WS auth refused (1008)".into());
        let close = CloseFrame { code: 1008, reason: "Unauthorized".into() };
        let _ = socket.send(Message::Close(Some(close))).await;
        return;
    };
    let (mut events, mut kick) = {
        let mut e = s.lock().unwrap();
        e.calls.push(format!("WS auth {user} with {}", token.unwrap_or_default().split('-').next().unwrap_or("")));
        (e.events.subscribe(), e.kick.subscribe())
    };
    // Success sends nothing.
    loop {
        tokio::select! {
            ev = events.recv() => {
                let Ok(ev) = ev else { return };
                if socket.send(Message::Text(ev.to_string().into())).await.is_err() {
                    return;
                }
            }
            _ = kick.recv() => {
                let _ = socket.send(Message::Close(Some(CloseFrame { code: 1001, reason: "going away".into() }))).await;
                return;
            }
            msg = socket.recv() => match msg {
                Some(Ok(Message::Text(t))) => {
                    if too_big(&mut socket, &s, &t).await {
                        return;
                    }
                    let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
                    if v["type"] == "ping" {
                        s.lock().unwrap().pings += 1;
                        let _ = socket.send(Message::Text(json!({"type": "pong"}).to_string().into())).await;
                    }
                }
                Some(Ok(_)) => {}
                _ => return,
            }
        }
    }
}
