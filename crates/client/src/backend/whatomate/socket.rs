//! Whatomate's WebSocket: the auth frame, ping/pong, and its events turned into live events and into
//! notifications (Whatomate has no notifications API; its web UI makes them from these same events).

use super::WhatomateBackend;
use super::wire::{id_at, message, text_at};
use crate::backend::{BackendError, BackendResult, LiveItem, LiveStream};
use crate::domain::{DeliveryStatus, LiveEvent, Notification, NotificationKind, StatusChange};
use crate::text::{CleanText, clean_opt};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// How often tinbox pings; the server pings every 54 s, so this keeps idle proxies from closing the link.
pub const PING_EVERY: Duration = Duration::from_secs(30);
/// A refused auth frame closes the socket at once; this long without a close means it was accepted.
const AUTH_GRACE: Duration = Duration::from_millis(500);

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The socket's address: the server's, with ws(s) for http(s), at `/ws`.
fn socket_url(base: &str) -> String {
    let rest = base.strip_prefix("https://").map(|r| format!("wss://{r}"));
    let url =
        rest.or_else(|| base.strip_prefix("http://").map(|r| format!("ws://{r}"))).unwrap_or_else(|| base.to_string());
    format!("{url}/ws")
}

fn socket_error(e: tokio_tungstenite::tungstenite::Error) -> BackendError {
    tracing::debug!(error = %e, "socket failed");
    use tokio_tungstenite::tungstenite::Error as E;
    BackendError::Network(
        match e {
            E::Http(resp) if resp.status() == 401 => return BackendError::Unauthorized,
            E::Http(resp) if resp.status() == 404 => return BackendError::NotFound("no live socket at /ws".into()),
            // Whatomate refuses an upgrade it will not take (an Origin it does not allow) with a 500: trying
            // again gets the same answer, so tinbox polls instead and says why.
            E::Http(resp) => {
                let said = resp.body().as_deref().map(String::from_utf8_lossy).unwrap_or_default();
                let said = crate::text::Clean::new(said.trim());
                let said = if said.is_empty() { String::new() } else { format!(": {said}") };
                return BackendError::Forbidden(
                    format!("socket refused (HTTP {}{said})", resp.status().as_u16()).into(),
                );
            }
            E::Tls(_) => "the secure connection for live updates failed",
            E::Io(_) => "the live connection could not be made",
            _ => "the live connection broke",
        }
        .into(),
    )
}

/// The origin Whatomate's web app is served from: the server's own (scheme, host and port), which is what its
/// `allowed_origins` lists.
fn origin(base: &str) -> Option<String> {
    let url = reqwest::Url::parse(base).ok()?;
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// Connects, authenticates and returns the stream of events.
pub async fn open(backend: WhatomateBackend) -> BackendResult<LiveStream> {
    let credential = backend.auth.socket_token().await?;
    let token = match &credential {
        super::auth::Credential::Bearer(t) | super::auth::Credential::ApiKey(t) => t.clone(),
    };
    let mut request = socket_url(&backend.base)
        .into_client_request()
        .map_err(|_| BackendError::Network("the server's address cannot carry a live connection".into()))?;
    if let Some(origin) = origin(&backend.base).and_then(|o| o.parse().ok()) {
        request.headers_mut().insert("Origin", origin);
    }
    // One message (or frame) past the live stream's cap drops the connection instead of filling memory.
    let cap = Some(crate::backend::net::caps().stream);
    let config =
        tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default().max_message_size(cap).max_frame_size(cap);
    let connect = tokio_tungstenite::connect_async_with_config(request, Some(config), false);
    let (mut ws, _) = tokio::time::timeout(crate::backend::native::http::REQUEST_TIMEOUT, connect)
        .await
        .map_err(|_| BackendError::Network("the live connection timed out".into()))?
        .map_err(socket_error)?;
    let auth = json!({"type": "auth", "payload": {"token": token.expose()}});
    ws.send(Frame::Text(auth.to_string().into())).await.map_err(socket_error)?;
    // Success sends nothing; a refusal closes with 1008 straight away.
    let mut early = VecDeque::new();
    if let Ok(next) = tokio::time::timeout(AUTH_GRACE, ws.next()).await {
        match next {
            Some(Ok(Frame::Close(frame))) => {
                if frame.is_some_and(|f| f.code == CloseCode::Policy) {
                    backend.auth.refused(&credential).await;
                    return Err(BackendError::Unauthorized);
                }
                return Err(BackendError::Network("the live connection was closed".into()));
            }
            Some(Ok(frame)) => early.push_back(frame),
            Some(Err(e)) => return Err(socket_error(e)),
            None => return Err(BackendError::Network("the live connection was closed".into())),
        }
    }
    if backend.me_id().is_none() {
        // Notifications are about "me": without knowing who that is, none could be made.
        let _ = crate::backend::Backend::me(&backend).await;
    }
    let every = backend.ping_every;
    let ping = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let state = State { ws, backend, early, out: VecDeque::new(), credential, ping };
    Ok(futures::stream::unfold(state, next_item).boxed())
}

struct State {
    ws: Socket,
    backend: WhatomateBackend,
    /// Frames read while waiting out the auth grace.
    early: VecDeque<Frame>,
    /// Items made from one frame and not handed out yet.
    out: VecDeque<LiveItem>,
    credential: super::auth::Credential,
    ping: tokio::time::Interval,
}

async fn next_item(mut st: State) -> Option<(BackendResult<LiveItem>, State)> {
    let idle_limit = st.backend.ping_every * 2 + Duration::from_secs(15);
    loop {
        if let Some(item) = st.out.pop_front() {
            return Some((Ok(item), st));
        }
        let frame = match st.early.pop_front() {
            Some(f) => f,
            None => {
                let read = tokio::time::timeout(idle_limit, st.ws.next());
                tokio::select! {
                    _ = st.ping.tick() => {
                        if let Err(e) = st.ws.send(Frame::Text(json!({"type": "ping"}).to_string().into())).await {
                            return Some((Err(socket_error(e)), st));
                        }
                        continue;
                    }
                    r = read => match r {
                        Err(_) => return Some((Err(BackendError::Network("the live connection went silent".into())), st)),
                        Ok(None) => return None,
                        Ok(Some(Err(e))) => return Some((Err(socket_error(e)), st)),
                        Ok(Some(Ok(f))) => f,
                    }
                }
            }
        };
        match frame {
            Frame::Text(text) => {
                let Ok(v) = serde_json::from_slice::<Value>(&crate::backend::repair::repair(text.as_bytes())) else {
                    continue;
                };
                if v.get("type").and_then(Value::as_str) == Some("ping") {
                    let _ = st.ws.send(Frame::Text(json!({"type": "pong"}).to_string().into())).await;
                    continue;
                }
                let events = events_of(&st.backend, &v).await;
                st.out.extend(events.into_iter().map(|e| LiveItem { id: None, event: Some(e) }));
            }
            Frame::Close(frame) => {
                if frame.as_ref().is_some_and(|f| f.code == CloseCode::Policy) {
                    // The session's token was refused (expired, or revoked): renew it before reconnecting.
                    st.backend.auth.refused(&st.credential).await;
                    return Some((Err(BackendError::Unauthorized), st));
                }
                return None;
            }
            // Pings are answered by the socket library itself; binary frames are not Whatomate's.
            _ => {}
        }
    }
}

/// What one socket frame means to tinbox: the changed conversation (re-read, so the row is whole), the new
/// message, and a notification when it concerns this agent.
async fn events_of(backend: &WhatomateBackend, frame: &Value) -> Vec<LiveEvent> {
    let kind = frame.get("type").and_then(Value::as_str).unwrap_or("");
    let payload = frame.get("payload").unwrap_or(&Value::Null);
    if kind == "status_update" {
        return status_change(payload).map(|c| LiveEvent::MessageStatus(Box::new(c))).into_iter().collect();
    }
    if let Some(event) = note_event(kind, payload) {
        return vec![event];
    }
    let me = backend.me_id();
    let is_me = |key: &str| me.is_some() && id_at(payload, key) == me;
    let Some(contact_id) = id_at(payload, "contact_id") else { return vec![] };
    if !matches!(
        kind,
        "new_message"
            | "agent_transfer"
            | "agent_transfer_assign"
            | "agent_transfer_resume"
            | "transfer_escalation"
            | "transfer_expired"
    ) {
        return vec![];
    }
    if kind != "new_message" {
        // Someone else's hand-over changes who is in Mine and Unassigned.
        backend.scan.changed();
    }
    let mut events = Vec::new();
    if kind == "new_message" {
        events.extend(message(payload, &contact_id).map(|m| LiveEvent::MessageCreated(Box::new(m))));
    }
    let conversation = crate::backend::Backend::conversation(backend, &contact_id).await.ok();
    // Transfer events carry ids only: the name comes from the contact just read.
    let name = conversation
        .as_ref()
        .map(|c| c.contact.name.clone())
        .or_else(|| clean_opt(text_at(payload, &["contact_name", "profile_name", "phone_number"])))
        .unwrap_or_else(|| "a customer".into());
    events.extend(conversation.map(|c| LiveEvent::ConversationUpdated(Box::new(c))));
    let notification = match kind {
        "new_message" => {
            (text_at(payload, &["direction"]) == Some("incoming") && is_me("assigned_user_id")).then(|| {
                let body = payload.get("content").and_then(|c| text_at(c, &["body"])).unwrap_or("");
                (NotificationKind::NewMessage, format!("New message from {name}"), CleanText::new(body))
            })
        }
        // A transfer to me, also one assigned at creation; one this agent made itself (`n`, `m`) needs no notice.
        "agent_transfer" | "agent_transfer_assign" => (is_me("agent_id") && !backend.forget_taken(&contact_id))
            .then(|| (NotificationKind::Assigned, format!("Transferred to you: {name}"), CleanText::default())),
        // Escalations go to the users the SLA settings name, not to the handler.
        "transfer_escalation" => {
            let listed = payload.get("escalation_notify_ids").and_then(Value::as_array).is_some_and(|ids| {
                ids.iter().any(|i| i.as_str().is_some_and(|i| me.as_ref().is_some_and(|m| m.as_str() == i)))
            });
            listed.then(|| {
                let level = text_at(payload, &["level_name"]).map(String::from).unwrap_or_else(|| {
                    format!("level {}", payload.get("escalation_level").and_then(Value::as_u64).unwrap_or(1))
                });
                (
                    NotificationKind::Other("escalation".into()),
                    format!("Escalated: {name}"),
                    CleanText::new(&format!("{level}: waiting for an agent too long")),
                )
            })
        }
        _ => None,
    };
    if let Some((kind, title, body)) = notification {
        let n = backend.inbox.push(Notification {
            id: String::new().into(),
            kind,
            title: title.into(),
            body,
            conversation_id: Some(contact_id.clone()),
            contact_id: Some(contact_id),
            actor: None,
            is_read: false,
            created_at: Some(chrono::Utc::now()),
        });
        events.push(LiveEvent::NotificationCreated(Box::new(n)));
    }
    events
}

/// `conversation_note_created`/`_updated` (the full note) and `_deleted` (`{id, contact_id}`): notes in the
/// thread, kept as a colleague writes, edits and deletes them.
fn note_event(kind: &str, payload: &Value) -> Option<LiveEvent> {
    let note = |p: &Value| super::wire::note(p, "");
    match kind {
        "conversation_note_created" => {
            note(payload).filter(|n| !n.conversation_id.is_empty()).map(|n| LiveEvent::MessageCreated(Box::new(n)))
        }
        "conversation_note_updated" => {
            note(payload).filter(|n| !n.conversation_id.is_empty()).map(|n| LiveEvent::MessageEdited(Box::new(n)))
        }
        "conversation_note_deleted" => Some(LiveEvent::MessageRemoved {
            conversation_id: id_at(payload, "contact_id")?,
            message_id: id_at(payload, "id")?,
        }),
        _ => None,
    }
}

/// `status_update`: `{message_id, contact_id?, status, wamid?, error_message?}`; WhatsApp's own later receipts
/// carry no `contact_id`.
fn status_change(payload: &Value) -> Option<StatusChange> {
    let status = text_at(payload, &["status"]).filter(|s| !s.is_empty())?;
    Some(StatusChange {
        message_id: id_at(payload, "message_id")?,
        conversation_id: id_at(payload, "contact_id"),
        status: DeliveryStatus::from(status),
        error: text_at(payload, &["error_message"]).filter(|e| !e.trim().is_empty()).map(CleanText::new),
    })
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_wss_handshake_that_fails_is_an_error_in_words_not_a_panic() {
        // This builds the TLS client configuration, which panics if no crypto provider is compiled in.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                drop(sock);
            }
        });
        let e = tokio_tungstenite::connect_async(format!("wss://{addr}/ws")).await.err().unwrap();
        assert!(matches!(super::socket_error(e), crate::backend::BackendError::Network(_)));
    }

    #[test]
    fn the_origin_is_the_servers_own() {
        assert_eq!(super::origin("https://wa.example.com/base").as_deref(), Some("https://wa.example.com"));
        assert_eq!(super::origin("http://127.0.0.1:9").as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(super::origin("not a url"), None);
    }

    #[test]
    fn the_socket_sits_beside_the_api() {
        assert_eq!(super::socket_url("https://wa.example.com"), "wss://wa.example.com/ws");
        assert_eq!(super::socket_url("http://127.0.0.1:9"), "ws://127.0.0.1:9/ws");
    }
}
