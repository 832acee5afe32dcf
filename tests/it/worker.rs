//! The worker: superseded answers never arrive, the live stream reconnects, polling takes over.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use tinbox::backend::*;
use tinbox::domain::*;
use tinbox::server::ServerOptions;
use tinbox::worker::*;

/// A backend whose contact lookups take as long as the id says ("slow" or "fast").
struct Timed;

#[async_trait]
impl Backend for Timed {
    fn kind(&self) -> &'static str {
        "timed"
    }

    async fn contact(&self, id: &str) -> BackendResult<Contact> {
        let ms = if id == "slow" { 300 } else { 10 };
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(Contact { id: id.into(), name: id.into(), ..Default::default() })
    }
}

fn fast_live() -> WorkerOptions {
    WorkerOptions {
        poll_every: Duration::from_millis(100),
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        ..Default::default()
    }
}

/// The ids of the requests that were answered, in order.
fn reply_ids(events: &[WorkerEvent]) -> Vec<u64> {
    events.iter().filter_map(|e| if let WorkerEvent::Reply { id, .. } = e { Some(*id) } else { None }).collect()
}

async fn collect(rx: &mut tokio::sync::mpsc::UnboundedReceiver<WorkerEvent>, for_ms: u64) -> Vec<WorkerEvent> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(for_ms);
    while let Ok(Some(ev)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        out.push(ev);
    }
    out
}

async fn wait_for(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<WorkerEvent>,
    what: &str,
    pred: impl Fn(&WorkerEvent) -> bool,
) -> Vec<WorkerEvent> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(ev)) => {
                let hit = pred(&ev);
                seen.push(ev);
                if hit {
                    return seen;
                }
            }
            _ => panic!("timed out waiting for {what}; saw {seen:?}"),
        }
    }
}

// Virtual time: the backend's delays and the wait cost no real time, and the order is exact.
#[tokio::test(start_paused = true)]
async fn a_superseded_request_never_answers() {
    let (worker, mut rx) = Worker::spawn(Arc::new(Timed), fast_live());
    worker.send(1, Some(RequestKey::Contact), Request::Contact("slow".into()));
    worker.send(2, Some(RequestKey::Contact), Request::Contact("fast".into()));
    // Unkeyed requests are independent: both answer.
    worker.send(3, None, Request::Contact("slow".into()));
    worker.send(4, None, Request::Contact("fast".into()));
    let events = collect(&mut rx, 700).await;
    let ids = reply_ids(&events);
    assert!(!ids.contains(&1), "the superseded answer was dropped: {ids:?}");
    assert!(ids.contains(&2) && ids.contains(&3) && ids.contains(&4), "{ids:?}");
}

// Virtual time: the backend's delays and the wait cost no real time, and the order is exact.
#[tokio::test(start_paused = true)]
async fn holding_a_key_down_answers_only_the_last_request() {
    let (worker, mut rx) = Worker::spawn(Arc::new(Timed), fast_live());
    for id in 1..=50 {
        worker.send(id, Some(RequestKey::Contact), Request::Contact(if id == 50 { "fast" } else { "slow" }.into()));
    }
    let events = collect(&mut rx, 600).await;
    let ids = reply_ids(&events);
    assert_eq!(ids, [50]);
}

// Virtual time: the backend's delays and the wait cost no real time, and the order is exact.
#[tokio::test(start_paused = true)]
async fn unsupported_operations_say_so() {
    let (worker, mut rx) = Worker::spawn(Arc::new(Timed), fast_live());
    worker.send(1, None, Request::Labels);
    let events = collect(&mut rx, 200).await;
    assert!(
        matches!(&events[..], [WorkerEvent::Reply { id: 1, result: Err(BackendError::Unsupported(_)) }]),
        "{events:?}"
    );
}

#[tokio::test]
async fn the_stream_reconnects_after_a_drop_and_loses_nothing() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let (worker, mut rx) = Worker::spawn(Arc::new(common::client(&s, "bruno")), fast_live());
    worker.start_live();
    wait_for(&mut rx, "live", |e| *e == WorkerEvent::Live(LiveStatus::Live)).await;

    s.drop_streams();
    // Made while the stream is down: must arrive after the reconnect, through Last-Event-ID.
    let convs = alice
        .conversations(
            &ConversationQuery { page: 1, limit: 5, assigned_to: Some(Assigned::Nobody), ..Default::default() },
            false,
        )
        .await
        .unwrap();
    let Listed::Fresh(value) = convs else { panic!() };
    let id = value.items[0].id.clone();
    alice.assign(&id, Some("agt_bruno")).await.unwrap();

    let seen = wait_for(&mut rx, "the assignment", |e| matches!(e, WorkerEvent::Event(LiveEvent::NotificationCreated(n)) if n.conversation_id.as_deref() == Some(id.as_str()))).await;
    assert!(
        seen.iter().any(|e| matches!(e, WorkerEvent::Live(LiveStatus::Retrying { .. }))),
        "the drop was reported: {seen:?}"
    );
    assert!(seen.contains(&WorkerEvent::Live(LiveStatus::Live)), "and the reconnect");
}

#[tokio::test]
async fn polling_takes_over_when_the_server_has_no_stream() {
    let s = common::server(ServerOptions { events: false, ..Default::default() }).await;
    let alice = common::client(&s, "alice");
    let (worker, mut rx) = Worker::spawn(Arc::new(common::client(&s, "bruno")), fast_live());
    worker.start_live();
    wait_for(&mut rx, "polling", |e| *e == WorkerEvent::Live(LiveStatus::Polling)).await;
    let Listed::Fresh(value) =
        alice.conversations(&ConversationQuery { page: 1, limit: 5, ..Default::default() }, false).await.unwrap()
    else {
        panic!()
    };
    let id = value.items[2].id.clone();
    alice.assign(&id, Some("agt_bruno")).await.unwrap();
    wait_for(
        &mut rx,
        "the polled change",
        |e| matches!(e, WorkerEvent::Event(LiveEvent::ConversationUpdated(c)) if c.id == id),
    )
    .await;
    wait_for(&mut rx, "the polled notification", |e| matches!(e, WorkerEvent::Event(LiveEvent::NotificationCreated(n)) if n.conversation_id.as_deref() == Some(id.as_str()))).await;
}

#[tokio::test]
async fn an_unreachable_server_is_reported_with_a_retry_time() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let backend = tinbox::backend::native::NativeBackend::new(
        &format!("http://127.0.0.1:{port}"),
        tinbox::secret::Secret::new("t"),
    )
    .unwrap();
    let (worker, mut rx) = Worker::spawn(Arc::new(backend), fast_live());
    worker.start_live();
    let seen = wait_for(&mut rx, "retrying", |e| matches!(e, WorkerEvent::Live(LiveStatus::Retrying { .. }))).await;
    let Some(WorkerEvent::Live(LiveStatus::Retrying { error, retry_in })) = seen.last() else { panic!() };
    assert!(matches!(error, BackendError::Network(_)));
    assert!(*retry_in <= Duration::from_millis(200));
}
