//! The live loop: the stream kept open and resumed, or polling when the server has none.

use super::{LiveStatus, Pending, WorkerEvent, WorkerOptions};
use crate::backend::{Backend, BackendError, BackendResult, ConversationQuery, Listed, PageReq};
use crate::domain::{Clean, LiveEvent, Time};
use backon::BackoffBuilder;
use futures::StreamExt;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::mpsc;

fn backoff(live: &WorkerOptions) -> backon::ExponentialBackoff {
    backon::ExponentialBuilder::default()
        .with_min_delay(live.min_backoff)
        .with_max_delay(live.max_backoff)
        .with_jitter()
        .without_max_times()
        .build()
}

/// Live events waiting for the UI, and the bounded channel they go through.
struct Feed {
    pending: Pending,
    out: mpsc::Sender<WorkerEvent>,
}

impl Feed {
    /// Waits for `fut`, handing waiting events to the UI whenever the channel has room; `None` once the
    /// UI is gone. Events are read as fast as they come and wait here, coalesced and capped, not in memory
    /// without bound.
    async fn while_waiting<T>(&mut self, fut: impl Future<Output = T>) -> Option<T> {
        tokio::pin!(fut);
        loop {
            tokio::select! {
                biased;
                permit = self.out.reserve(), if !self.pending.is_empty() => {
                    let permit = permit.ok()?;
                    if let Some(ev) = self.pending.pop() {
                        permit.send(ev);
                    }
                }
                done = &mut fut => return Some(done),
            }
        }
    }
}

pub(super) async fn live_loop(
    backend: Arc<dyn Backend>,
    opts: WorkerOptions,
    out: mpsc::UnboundedSender<WorkerEvent>,
    live_out: mpsc::Sender<WorkerEvent>,
) {
    let mut feed = Feed { pending: Pending::new(opts.pending_cap), out: live_out };
    let mut last_id: Option<String> = None;
    let mut delays = backoff(&opts);
    loop {
        let opened = match feed.while_waiting(backend.live(last_id.as_deref())).await {
            Some(opened) => opened,
            None => return,
        };
        let error = match opened {
            Ok(mut stream) => {
                let _ = out.send(WorkerEvent::Live(LiveStatus::Live));
                delays = backoff(&opts);
                let mut ended = BackendError::Network("the live stream closed".into());
                loop {
                    match feed.while_waiting(stream.next()).await {
                        None => return,
                        Some(None) => break,
                        Some(Some(Ok(item))) => {
                            if let Some(id) = item.id {
                                last_id = Some(id);
                            }
                            if let Some(ev) = item.event {
                                feed.pending.push(ev);
                            }
                        }
                        Some(Some(Err(e))) => {
                            ended = e;
                            break;
                        }
                    }
                }
                ended
            }
            Err(BackendError::NotFound(_) | BackendError::Unsupported(_)) => {
                return poll_loop(backend, opts, out, feed).await;
            }
            // Refused, not down: asking again gets the same answer, so the agent is told and tinbox polls.
            Err(BackendError::Forbidden(why)) => {
                tracing::info!(%why, "live connection refused; polling");
                if out.send(WorkerEvent::Live(LiveStatus::Refused(why))).is_err() {
                    return;
                }
                return poll_loop(backend, opts, out, feed).await;
            }
            Err(e) => e,
        };
        tracing::info!(error = %error, "live stream down");
        let retry_in = match &error {
            BackendError::RateLimited { retry_after: Some(d) } => (*d).clamp(opts.min_backoff, opts.max_backoff * 4),
            _ => delays.next().unwrap_or(opts.max_backoff),
        };
        if out.send(WorkerEvent::Live(LiveStatus::Retrying { error, retry_in })).is_err() {
            return;
        }
        if feed.while_waiting(tokio::time::sleep(retry_in)).await.is_none() {
            return;
        }
    }
}

/// Polls for changes when the server has no stream: conversations changed since the last poll (with an
/// entity tag, so an unchanged list costs nothing) and notifications not seen before.
async fn poll_loop(
    backend: Arc<dyn Backend>,
    opts: WorkerOptions,
    out: mpsc::UnboundedSender<WorkerEvent>,
    mut feed: Feed,
) {
    let mut since: Option<Time> = None;
    let mut seen: Option<HashSet<Clean>> = None;
    let mut delays = backoff(&opts);
    loop {
        let Some(result) = feed.while_waiting(poll_once(backend.as_ref(), &mut since, &mut seen)).await else {
            return;
        };
        let (status, wait) = match result {
            Ok(events) => {
                for ev in events {
                    feed.pending.push(ev);
                }
                delays = backoff(&opts);
                (LiveStatus::Polling, opts.poll_every)
            }
            Err(error) => {
                let retry_in = delays.next().unwrap_or(opts.max_backoff).max(opts.poll_every);
                (LiveStatus::Retrying { error, retry_in }, retry_in)
            }
        };
        if out.send(WorkerEvent::Live(status)).is_err() {
            return;
        }
        if feed.while_waiting(tokio::time::sleep(wait)).await.is_none() {
            return;
        }
    }
}

async fn poll_once(
    backend: &dyn Backend,
    since: &mut Option<Time>,
    seen: &mut Option<HashSet<Clean>>,
) -> BackendResult<Vec<LiveEvent>> {
    let mut events = Vec::new();
    let query = ConversationQuery { page: 1, limit: 100, updated_since: *since, ..Default::default() };
    // Until something changes, the same query is asked again and answered "unchanged".
    if let Listed::Fresh(value) = backend.conversations(&query, true).await? {
        let newest = value.items.iter().filter_map(|c| c.updated_at).max();
        // The first poll only sets the baseline: the UI already loaded the list.
        if since.is_some() {
            events.extend(value.items.into_iter().map(|c| LiveEvent::ConversationUpdated(Box::new(c))));
        }
        *since = newest.or(*since).or_else(|| Some(chrono::Utc::now()));
    }
    let page = backend.notifications(PageReq { page: 1, limit: 50 }, true).await?;
    match seen {
        None => *seen = Some(page.items.iter().map(|n| n.id.clone()).collect()),
        Some(known) => {
            for n in page.items.into_iter().rev() {
                if known.insert(n.id.clone()) {
                    events.push(LiveEvent::NotificationCreated(Box::new(n)));
                }
            }
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn reconnect_delays_grow_jittered_and_stay_under_ten_seconds() {
        let opts = WorkerOptions::default();
        let mut delays = backoff(&opts);
        let seen: Vec<Duration> = (0..200).map(|_| delays.next().unwrap_or(opts.max_backoff)).collect();
        assert!(seen[0] < Duration::from_secs(1), "the first retry is quick: {:?}", seen[0]);
        assert!(seen.iter().all(|d| *d < Duration::from_secs(10)), "never 10 s or more: {seen:?}");
        let late = &seen[20..];
        assert!(late.iter().all(|d| *d >= opts.max_backoff), "the delay grows to the cap and stays there");
        let distinct: HashSet<Duration> = late.iter().copied().collect();
        assert!(distinct.len() > 10, "jittered, so clients that lost the server together do not return together");
    }
}
