//! The native live stream: Server-Sent Events from `/api/events`, resumable with `Last-Event-ID`.

use super::http::{Http, check, network_error};
use super::wire::{WireConversation, WireMessage, WireNotification, item};
use crate::backend::sse::Sse;
use crate::backend::{BackendError, BackendResult, LiveItem, LiveStream};
use crate::domain::LiveEvent;
use futures::StreamExt;
use reqwest::{Method, header};
use std::time::Duration;

/// The server sends a keep-alive well within this; silence longer than it means the link is dead.
pub const IDLE_LIMIT: Duration = Duration::from_secs(45);

/// Opens the stream, resuming after `last_event_id` when given.
pub async fn open(http: &Http, last_event_id: Option<&str>) -> BackendResult<LiveStream> {
    let mut req = http.build(Method::GET, "/api/events").header(header::ACCEPT, "text/event-stream");
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id);
    }
    // No total timeout: the stream is meant to stay open. Idle silence is caught per event below.
    let resp = tokio::time::timeout(super::http::REQUEST_TIMEOUT, req.send())
        .await
        .map_err(|_| BackendError::Network("the server did not answer in time".into()))?
        .map_err(network_error)?;
    let resp = check(resp).await?;
    Ok(follow(crate::backend::sse::events(resp.bytes_stream())))
}

/// The live items of an event stream. Any word from the server, a keep-alive comment too, is life;
/// silence past [`IDLE_LIMIT`] is not.
fn follow(
    events: impl futures::Stream<Item = Result<Sse, crate::backend::net::StreamError>> + Send + 'static,
) -> LiveStream {
    let stream = futures::stream::unfold(Box::pin(events), |mut events| async move {
        loop {
            return match tokio::time::timeout(IDLE_LIMIT, events.next()).await {
                Err(_) => Some((Err(BackendError::Network("the live stream went silent".into())), events)),
                Ok(None) => None,
                Ok(Some(Err(e))) => {
                    Some((Err(BackendError::Network(format!("the live stream broke: {e}").into())), events))
                }
                Ok(Some(Ok(Sse::Alive))) => continue,
                Ok(Some(Ok(Sse::Event { kind, data, id }))) => Some((Ok(decode(&kind, &data, &id)), events)),
            };
        }
    });
    stream.boxed()
}

/// `message.status`: `{message_id, conversation_id, status, error}`.
fn status_change(v: &serde_json::Value) -> Option<crate::domain::StatusChange> {
    use crate::backend::native::wire::{id_at, text_at};
    let data = v.get("data").filter(|d| d.is_object()).unwrap_or(v);
    let status = text_at(data, &["status"]).filter(|s| !s.is_empty())?;
    Some(crate::domain::StatusChange {
        message_id: id_at(data, "message_id")?,
        conversation_id: id_at(data, "conversation_id"),
        status: crate::domain::DeliveryStatus::from(status),
        error: text_at(data, &["error"]).filter(|e| !e.trim().is_empty()).map(crate::domain::CleanText::new),
    })
}

/// Decodes one SSE event; unknown types and unreadable data still carry their id so the stream can resume.
pub fn decode(event: &str, data: &str, id: &str) -> LiveItem {
    let id = (!id.is_empty()).then(|| id.to_string());
    let value = serde_json::from_slice::<serde_json::Value>(&crate::backend::repair::repair(data.as_bytes())).ok();
    let event = value.and_then(|v| match event {
        "conversation.updated" => {
            item(v, WireConversation::into_domain).ok().map(|c| LiveEvent::ConversationUpdated(Box::new(c)))
        }
        "message.created" => item(v, WireMessage::into_domain).ok().map(|m| LiveEvent::MessageCreated(Box::new(m))),
        "message.status" => status_change(&v).map(|c| LiveEvent::MessageStatus(Box::new(c))),
        "notification.created" => {
            item(v, WireNotification::into_domain).ok().map(|n| LiveEvent::NotificationCreated(Box::new(n)))
        }
        _ => None,
    });
    LiveItem { id, event }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep_alives_then(after: Duration) -> impl futures::Stream<Item = Result<Sse, crate::backend::net::StreamError>> {
        let alive = futures::stream::unfold(Duration::ZERO, move |waited| async move {
            if waited >= after {
                return None;
            }
            tokio::time::sleep(Duration::from_secs(15)).await;
            Some((Ok(Sse::Alive), waited + Duration::from_secs(15)))
        });
        let event = Sse::Event { kind: "ready".into(), data: "{}".into(), id: "7".into() };
        alive.chain(futures::stream::iter([Ok(event)]))
    }

    #[tokio::test(start_paused = true)]
    async fn keep_alives_every_15_seconds_keep_a_quiet_stream_alive_for_ten_minutes() {
        let mut stream = follow(keep_alives_then(Duration::from_secs(600)));
        let first = stream.next().await.expect("an item");
        let item = first.expect("never declared silent");
        assert_eq!(item.id.as_deref(), Some("7"));
    }

    #[tokio::test(start_paused = true)]
    async fn silence_past_the_limit_ends_the_stream() {
        let silent = futures::stream::pending::<Result<Sse, crate::backend::net::StreamError>>();
        let mut stream = follow(silent);
        let first = stream.next().await.expect("an item");
        assert!(matches!(first, Err(BackendError::Network(why)) if why.contains("silent")));
    }
}
