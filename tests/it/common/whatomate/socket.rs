//! The emulator's WebSocket: an auth frame within 5 s (an access token or a ws-token, never an API key),
//! close 1008 when it is bad, `{"type":"ping"}` answered with a pong, and events sent to every socket.

use super::{Shared, token_user};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use std::time::Duration;

pub async fn upgrade(State(s): State<Shared>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve(socket, s))
}

async fn serve(mut socket: WebSocket, s: Shared) {
    let first = tokio::time::timeout(Duration::from_secs(5), socket.recv()).await;
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
