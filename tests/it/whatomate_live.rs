//! The Whatomate adapter's live side against the emulator: the socket (ws-token, Origin, the 512-byte frame
//! limit, 1008), its events as live events and notifications, delivery outcomes, and the worker around it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::whatomate::{self as wa, AGENT_KEY, PASSWORD};
use futures::StreamExt;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tinbox::backend::whatomate::WhatomateBackend;
use tinbox::backend::whatomate::auth::Credentials;
use tinbox::backend::*;
use tinbox::domain::*;
use tinbox::secret::Secret;
use tinbox::worker::*;

fn with_key(url: &str, key: &str) -> WhatomateBackend {
    WhatomateBackend::new(url, Credentials::ApiKey(Secret::new(key))).unwrap()
}

fn with_password(url: &str, password: &str) -> WhatomateBackend {
    WhatomateBackend::new(url, Credentials::Password { email: wa::EMAIL.into(), password: Secret::new(password) })
        .unwrap()
}

fn calls(s: &wa::Shared) -> Vec<String> {
    std::mem::take(&mut s.lock().unwrap().calls)
}

/// The next event from a live stream, within a few seconds.
async fn next_event(stream: &mut LiveStream) -> LiveEvent {
    loop {
        let item =
            tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an event").unwrap().unwrap();
        if let Some(ev) = item.event {
            return ev;
        }
    }
}

#[tokio::test]
async fn the_socket_authenticates_with_a_ws_token_pings_and_makes_notifications_for_me() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY).with_ping_every(Duration::from_millis(150));
    let mut stream = b.live(None).await.unwrap();
    let log = calls(&s);
    assert!(log.iter().any(|c| c.starts_with("GET /api/auth/ws-token")), "{log:#?}");
    assert!(log.iter().any(|c| c == "WS auth u_ana with ws"), "an API key is not accepted on the socket: {log:#?}");

    // A customer writes on my contact (c3 is Ana's): the message, the row, and a notification.
    let payload = json!({"id": "m9", "contact_id": "c3", "assigned_user_id": "u_ana", "profile_name": "Lena Vogel",
        "direction": "incoming", "message_type": "text", "content": {"body": "Any news?"}, "status": "received",
        "created_at": "2026-11-21T16:00:00Z"});
    wa::emit(&s, "new_message", payload);
    assert!(matches!(next_event(&mut stream).await, LiveEvent::MessageCreated(m) if m.text == "Any news?"));
    assert!(matches!(next_event(&mut stream).await, LiveEvent::ConversationUpdated(c) if c.id == "c3"));
    let LiveEvent::NotificationCreated(n) = next_event(&mut stream).await else { panic!("a notification") };
    assert_eq!((n.title.as_str(), n.body.as_str()), ("New message from Lena Vogel", "Any news?"));
    assert_eq!(n.conversation_id.as_deref(), Some("c3"));

    // Ben's contact: no notification for me. Then a transfer to me and an escalation: both notify.
    wa::emit(
        &s,
        "new_message",
        json!({"id": "m10", "contact_id": "c4", "assigned_user_id": "u_ben", "direction": "incoming", "content": {"body": "hi"}}),
    );
    assert!(matches!(next_event(&mut stream).await, LiveEvent::MessageCreated(_)));
    assert!(matches!(next_event(&mut stream).await, LiveEvent::ConversationUpdated(c) if c.id == "c4"));
    wa::emit(
        &s,
        "agent_transfer_assign",
        json!({"id": "tr_9", "contact_id": "c0", "status": "active", "agent_id": "u_ana", "team_id": null}),
    );
    assert!(matches!(next_event(&mut stream).await, LiveEvent::ConversationUpdated(c) if c.id == "c0"));
    assert!(
        matches!(next_event(&mut stream).await, LiveEvent::NotificationCreated(n) if n.title == "Transferred to you: Marta Ruiz")
    );
    // Escalations name whom to tell in `escalation_notify_ids` (there is no agent_id): Cara only, then Ana too.
    let escalation = |ids: serde_json::Value| {
        json!({"id": "tr_5", "contact_id": "c5", "contact_name": "Sofia Rossi", "phone_number": "491511234505",
            "escalation_level": 2, "level_name": "critical", "waiting_since": "2026-11-21T15:00:00Z",
            "escalation_notify_ids": ids})
    };
    wa::emit(&s, "transfer_escalation", escalation(json!(["u_cara"])));
    assert!(matches!(next_event(&mut stream).await, LiveEvent::ConversationUpdated(_)));
    wa::emit(&s, "transfer_escalation", escalation(json!(["u_cara", "u_ana"])));
    assert!(matches!(next_event(&mut stream).await, LiveEvent::ConversationUpdated(_)));
    assert!(matches!(next_event(&mut stream).await, LiveEvent::NotificationCreated(n) if n.body.contains("critical")));
    // A transfer created already assigned to me notifies too.
    wa::emit(
        &s,
        "agent_transfer",
        json!({"id": "tr_10", "contact_id": "c1", "contact_name": "Omar Haddad", "phone_number": "491511234501",
            "status": "active", "source": "flow", "notes": "", "transferred_at": "2026-11-21T16:00:00Z", "agent_id": "u_ana"}),
    );
    assert!(matches!(next_event(&mut stream).await, LiveEvent::ConversationUpdated(c) if c.id == "c1"));
    assert!(
        matches!(next_event(&mut stream).await, LiveEvent::NotificationCreated(n) if n.title == "Transferred to you: Omar Haddad")
    );

    // Taking a conversation with `n` makes a transfer event too, but no notice: the agent did it.
    assert_eq!(b.take_next().await.unwrap().unwrap().id, "c2");
    assert!(matches!(next_event(&mut stream).await, LiveEvent::ConversationUpdated(c) if c.id == "c2"));

    // The notifications pane reads them back; read and dismiss work on them.
    let all = b.notifications(PageReq::default(), false).await.unwrap();
    assert_eq!(all.items.len(), 4, "none for Ben's contact, Cara's escalation or my own pick");
    b.mark_notifications_read(&[all.items[0].id.clone()]).await.unwrap();
    assert_eq!(b.notifications(PageReq::default(), true).await.unwrap().items.len(), 3);
    b.dismiss_notification(&all.items[1].id).await.unwrap();
    b.dismiss_all_notifications().await.unwrap();
    assert_eq!(b.notifications(PageReq::default(), false).await.unwrap().total, 0);
    // Quiet for a while: tinbox pings, and the pong that comes back is no event.
    assert!(tokio::time::timeout(Duration::from_millis(400), stream.next()).await.is_err());
    assert!(s.lock().unwrap().pings >= 1, "tinbox pings");
}

#[tokio::test]
async fn a_send_is_pending_and_its_outcome_comes_over_the_socket_a_failure_with_its_reason() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    let mut stream = b.live(None).await.unwrap();
    let reply = |text: &str| NewMessage { text: text.into(), private: false, idempotency_key: "k".into() };
    let sent = b.send_message("c5", &reply("On it")).await.unwrap();
    assert_eq!(sent.status, DeliveryStatus::Pending, "the answer to a send is only `pending`");
    let mut statuses = Vec::new();
    while statuses.is_empty() {
        if let LiveEvent::MessageStatus(c) = next_event(&mut stream).await {
            statuses.push(*c);
        }
    }
    assert_eq!((statuses[0].message_id.as_str(), &statuses[0].status), (sent.id.as_str(), &DeliveryStatus::Sent));

    // The window of c1 closed 30 hours ago: the server still answers `pending`, and WhatsApp refuses it later.
    let late = b.send_message("c1", &reply("Still there?")).await.unwrap();
    assert_eq!(late.status, DeliveryStatus::Pending);
    let failed = loop {
        if let LiveEvent::MessageStatus(c) = next_event(&mut stream).await {
            break c;
        }
    };
    assert_eq!((failed.message_id.as_str(), &failed.status), (late.id.as_str(), &DeliveryStatus::Failed));
    assert!(failed.error.as_ref().is_some_and(|e| e.contains("24 hours")), "{failed:?}");
    assert_eq!(failed.conversation_id.as_deref(), Some("c1"));
    // WhatsApp's own later receipts carry no contact id.
    wa::emit(&s, "status_update", json!({"message_id": sent.id.as_str(), "status": "read"}));
    let read = loop {
        if let LiveEvent::MessageStatus(c) = next_event(&mut stream).await {
            break c;
        }
    };
    assert_eq!((read.status, read.conversation_id), (DeliveryStatus::Read, None));
    // Read back, the failed message keeps its reason.
    let thread = b.messages("c1", PageReq { page: 1, limit: 10 }).await.unwrap();
    let m = thread.items.iter().find(|m| m.id == late.id).unwrap();
    assert_eq!(m.status, DeliveryStatus::Failed);
    assert!(m.error.as_ref().is_some_and(|e| e.contains("24 hours")));
}

#[tokio::test]
async fn a_refused_socket_auth_closes_with_1008_and_is_unauthorized() {
    let (url, s) = wa::start().await;
    let b = with_password(&url, PASSWORD);
    b.me().await.unwrap();
    // A ws-token that has expired by the time it is presented is refused with 1008.
    s.lock().unwrap().ws_token_life = Duration::ZERO;
    assert_eq!(b.live(None).await.err(), Some(BackendError::Unauthorized));
    assert!(calls(&s).iter().any(|c| c == "WS auth refused (1008)"));
    s.lock().unwrap().ws_token_life = Duration::from_secs(30);
    // The session is revoked: the ws-token is refused, the session renewed, and the next attempt gets in.
    s.lock().unwrap().tokens.clear();
    assert_eq!(b.live(None).await.err(), Some(BackendError::Unauthorized));
    assert!(b.live(None).await.is_ok());
    let log = calls(&s);
    assert!(log.iter().any(|c| c.starts_with("POST /api/auth/refresh")), "{log:#?}");
    assert!(log.iter().any(|c| c == "WS auth u_ana with ws"), "always the ws-token: {log:#?}");
}

#[tokio::test]
async fn the_socket_sends_the_servers_origin_and_a_long_email_still_fits_the_frame_limit() {
    let (url, s) = wa::start().await;
    let email = format!("ana.lima.{}@acme-support.test", "x".repeat(41));
    assert_eq!(email.len(), 68);
    {
        let mut e = s.lock().unwrap();
        e.users[0]["email"] = json!(email);
        e.allowed_origins = Some(vec![url.clone()]);
    }
    let b = WhatomateBackend::new(&url, Credentials::Password { email, password: Secret::new(PASSWORD) }).unwrap();
    b.me().await.unwrap();
    let _stream = b.live(None).await.unwrap();
    let log = calls(&s);
    assert!(log.iter().any(|c| *c == format!("WS upgrade from Origin {url:?}")), "{log:#?}");
    assert!(log.iter().any(|c| c == "WS auth u_ana with ws"), "{log:#?}");

    // The emulator is as strict as the server: the access token itself would not fit in one frame.
    let token = s.lock().unwrap().tokens.keys().find(|t| t.starts_with("acc-")).cloned().unwrap();
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
        "{}/ws",
        url.replacen("http", "ws", 1)
    ))
    .unwrap();
    request.headers_mut().insert("Origin", url.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    use futures::SinkExt;
    let frame = json!({"type": "auth", "payload": {"token": token}}).to_string();
    assert!(frame.len() > 512, "{}", frame.len());
    ws.send(tokio_tungstenite::tungstenite::Message::Text(frame.into())).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.unwrap();
    assert!(
        matches!(closed, Some(Ok(tokio_tungstenite::tungstenite::Message::Close(Some(ref f)))) if u16::from(f.code) == 1009),
        "{closed:?}"
    );
}

#[tokio::test]
async fn a_refused_upgrade_falls_back_to_polling_and_says_why() {
    let (url, s) = wa::start().await;
    s.lock().unwrap().allowed_origins = Some(vec!["https://wa.example.com".into()]);
    let b = with_key(&url, AGENT_KEY);
    let refused = b.live(None).await.err().unwrap();
    assert!(
        matches!(&refused, BackendError::Forbidden(why) if why.contains("HTTP 500") && why.contains("WebSocket upgrade failed")),
        "{refused:?}"
    );
    let opts = WorkerOptions { poll_every: Duration::from_millis(100), ..Default::default() };
    let (worker, mut rx) = Worker::spawn(Arc::new(b), opts);
    worker.start_live();
    let mut saw = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !saw.contains(&"polling") {
        match tokio::time::timeout_at(deadline, rx.recv()).await.expect("it polls").unwrap() {
            WorkerEvent::Live(LiveStatus::Refused(why)) => {
                assert!(why.contains("socket refused"), "{why}");
                saw.push("refused");
            }
            WorkerEvent::Live(LiveStatus::Polling) => saw.push("polling"),
            WorkerEvent::Live(other) => panic!("no retrying as offline: {other:?}"),
            _ => {}
        }
    }
    assert_eq!(saw, ["refused", "polling"]);
}

#[tokio::test]
async fn a_server_from_before_february_2026_is_named() {
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/api/auth/login",
        post(|| async {
            axum::Json(
                json!({"status": "success", "data": {"access_token": "a", "refresh_token": "r", "expires_in": 900}}),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let e = with_password(&url, PASSWORD).me().await.err().unwrap();
    assert!(e.to_string().contains("older than February 2026"), "{e}");
}

#[tokio::test]
async fn the_worker_reconnects_when_the_socket_drops_and_a_tls_failure_is_an_error_not_a_crash() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    let opts = WorkerOptions {
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        ..Default::default()
    };
    let (worker, mut rx) = Worker::spawn(Arc::new(b), opts);
    worker.start_live();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while seen.iter().filter(|e| **e == "live").count() < 2 {
        let ev = tokio::time::timeout_at(deadline, rx.recv()).await.expect("the socket comes back").unwrap();
        match ev {
            WorkerEvent::Live(LiveStatus::Live) => {
                seen.push("live");
                if seen.len() == 1 {
                    let _ = s.lock().unwrap().kick.send(());
                }
            }
            WorkerEvent::Live(LiveStatus::Retrying { .. }) => seen.push("retrying"),
            _ => {}
        }
    }
    assert_eq!(seen, ["live", "retrying", "live"]);

    // wss to something that is not TLS: the handshake fails with words, and nothing panics.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            drop(sock);
        }
    });
    let tls = WhatomateBackend::new(&format!("https://{addr}"), Credentials::ApiKey(Secret::new(AGENT_KEY))).unwrap();
    assert!(matches!(tls.me().await, Err(BackendError::Network(_))));
}

#[tokio::test]
async fn a_colleagues_notes_arrive_change_and_go_over_the_socket() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    let mut stream = b.live(None).await.unwrap();
    let note = json!({"id": "n7", "contact_id": "c5", "created_by_id": "u_ben", "created_by_name": "Ben Okoro",
        "content": "Customer called", "created_at": "2026-11-21T16:00:00Z", "updated_at": "2026-11-21T16:00:00Z"});
    wa::emit(&s, "conversation_note_created", note.clone());
    let LiveEvent::MessageCreated(m) = next_event(&mut stream).await else { panic!("the note") };
    assert!(m.private && m.conversation_id == "c5" && m.text == "Customer called");
    assert_eq!(m.author.as_ref().map(|a| a.name.as_str()), Some("Ben Okoro"));
    let mut edited = note.clone();
    edited["content"] = json!("Customer called twice");
    wa::emit(&s, "conversation_note_updated", edited);
    let LiveEvent::MessageEdited(m) = next_event(&mut stream).await else { panic!("the edit") };
    assert_eq!((m.id.as_str(), m.text.as_str()), ("n7", "Customer called twice"));
    wa::emit(&s, "conversation_note_deleted", json!({"id": "n7", "contact_id": "c5"}));
    let LiveEvent::MessageRemoved { conversation_id, message_id } = next_event(&mut stream).await else {
        panic!("the deletion")
    };
    assert_eq!((conversation_id.as_str(), message_id.as_str()), ("c5", "n7"));
    // My own note comes back the same way, and the thread keeps it once (same id as the answer).
    let mine = b
        .send_message("c5", &NewMessage { text: "Refund approved".into(), private: true, idempotency_key: "k".into() })
        .await
        .unwrap();
    let LiveEvent::MessageCreated(echo) = next_event(&mut stream).await else { panic!("the echo") };
    assert_eq!(echo.id, mine.id);
}
