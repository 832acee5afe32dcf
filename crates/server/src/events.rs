//! `GET /api/events`: the live Server-Sent Events stream, resumable with `Last-Event-ID`.

use super::Shared;
use super::api::{Agent, ApiError};
use super::store::EventRec;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How often an idle stream sends a keep-alive comment (clients treat 45 s of silence as a dead link).
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

struct Follow {
    shared: Arc<Shared>,
    agent: String,
    last: u64,
    pending: VecDeque<EventRec>,
    wake: broadcast::Receiver<()>,
    cut: watch::Receiver<u64>,
}

/// GET /api/events
pub async fn stream(State(s): State<Arc<Shared>>, Agent(me): Agent, headers: HeaderMap) -> Result<Response, ApiError> {
    if !s.options.events {
        return Err(ApiError::not_found("this server has no live stream; poll with updated_since"));
    }
    // Subscribe before reading the log, so nothing appended in between is missed.
    let wake = s.wake_tx.subscribe();
    let cut = s.cut_tx.subscribe();
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let last = resume.unwrap_or_else(|| s.read().last_event_id());
    // The first event names the stream position, so a client that has seen nothing yet can still resume.
    let ready = EventRec { id: last, kind: "ready", recipient: None, data: serde_json::json!({}) };
    let follow = Follow { shared: s.clone(), agent: me, last, pending: VecDeque::from([ready]), wake, cut };
    Ok(Sse::new(events(follow)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response())
}

fn events(f: Follow) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold(f, |mut f| async move {
        loop {
            if let Some(e) = f.pending.pop_front() {
                let ev = Event::default().id(e.id.to_string()).event(e.kind).data(e.data.to_string());
                return Some((Ok(ev), f));
            }
            let fresh = f.shared.read().events_after(f.last, &f.agent);
            if let Some(newest) = fresh.last() {
                f.last = newest.id;
                f.pending.extend(fresh);
                continue;
            }
            tokio::select! {
                r = f.wake.recv() => if let Err(broadcast::error::RecvError::Closed) = r { return None },
                _ = f.cut.changed() => return None,
            }
        }
    })
}
