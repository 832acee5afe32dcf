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

async fn collect(rx: &mut Events, for_ms: u64) -> Vec<WorkerEvent> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(for_ms);
    while let Ok(Some(ev)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        out.push(ev);
    }
    out
}

async fn wait_for(rx: &mut Events, what: &str, pred: impl Fn(&WorkerEvent) -> bool) -> Vec<WorkerEvent> {
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

/// A server that, once, sends `n` conversation updates as fast as it can, to `ids` distinct conversations
/// (the subject says which update it was), then stays quiet.
struct Flood {
    n: usize,
    ids: usize,
    sent: std::sync::atomic::AtomicBool,
}

#[async_trait]
impl Backend for Flood {
    fn kind(&self) -> &'static str {
        "flood"
    }

    async fn live(&self, _last: Option<&str>) -> BackendResult<LiveStream> {
        use futures::StreamExt;
        if self.sent.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Ok(futures::stream::pending().boxed());
        }
        let (n, ids) = (self.n, self.ids);
        let base = common::fixture::conversations(&common::fixture::store()).remove(0);
        let events = (0..n).map(move |i| {
            let mut c = base.clone();
            c.id = format!("c{}", i % ids).into();
            c.subject = Some(i.to_string().into());
            Ok(LiveItem { id: Some(i.to_string()), event: Some(LiveEvent::ConversationUpdated(Box::new(c))) })
        });
        Ok(futures::stream::iter(events).chain(futures::stream::pending()).boxed())
    }
}

fn flood(n: usize, ids: usize) -> Arc<Flood> {
    Arc::new(Flood { n, ids, sent: false.into() })
}

/// Waits (without reading) while the flood arrives, then takes everything the UI would get.
async fn after_a_flood(rx: &mut Events) -> Vec<WorkerEvent> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    collect(rx, 300).await.into_iter().filter(|e| !matches!(e, WorkerEvent::Live(_))).collect()
}

#[tokio::test]
async fn a_flood_of_updates_to_a_few_conversations_is_coalesced_to_their_newest() {
    let (worker, mut rx) = Worker::spawn(flood(10_000, 10), fast_live());
    worker.start_live();
    let got = after_a_flood(&mut rx).await;
    // The UI never holds more than the channel, and each conversation's last word is the newest update.
    assert!(got.len() <= LIVE_CHANNEL + 10, "{} events reached the UI", got.len());
    assert!(!got.iter().any(|e| matches!(e, WorkerEvent::Overwhelmed { .. })));
    let mut newest = std::collections::HashMap::new();
    for e in &got {
        if let WorkerEvent::Event(LiveEvent::ConversationUpdated(c)) = e {
            newest.insert(c.id.to_string(), c.subject.as_deref().unwrap_or("").parse::<usize>().unwrap());
        }
    }
    assert_eq!(newest.len(), 10);
    for (id, last) in newest {
        let i: usize = id.trim_start_matches('c').parse().unwrap();
        assert_eq!(last, 9_990 + i, "{id} ends on its newest update");
    }
}

#[tokio::test]
async fn a_flood_past_the_cap_becomes_one_reload_not_a_replay() {
    let opts = WorkerOptions { pending_cap: 500, ..fast_live() };
    let (worker, mut rx) = Worker::spawn(flood(10_000, 10_000), opts);
    worker.start_live();
    let got = after_a_flood(&mut rx).await;
    let dropped: usize =
        got.iter().map(|e| if let WorkerEvent::Overwhelmed { dropped } = e { *dropped } else { 0 }).sum();
    let shown = got.iter().filter(|e| matches!(e, WorkerEvent::Event(_))).count();
    assert!(dropped > 0, "the UI is told to reload");
    assert_eq!(dropped + shown, 10_000, "every event is either shown or counted as dropped");
    assert!(got.len() <= LIVE_CHANNEL + 500 + 1, "{} events reached the UI", got.len());
}

/// The last guard of `--read-only`: whatever the screen asked, the worker sends no write; reads go through.
#[tokio::test]
async fn a_read_only_worker_sends_the_server_no_write() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let query = ConversationQuery { page: 1, limit: 5, assigned_to: Some(Assigned::Nobody), ..Default::default() };
    let Listed::Fresh(page) = alice.conversations(&query, false).await.unwrap() else { panic!() };
    let before = page.items[0].clone();
    let id = before.id.clone();
    let bruno_before = brunos(&alice).await;
    let options = WorkerOptions { read_only: true, ..fast_live() };
    let (worker, mut rx) = Worker::spawn(Arc::new(common::client(&s, "bruno")), options);
    worker.send(1, None, Request::Assign { conversation_id: id.clone(), agent_id: Some("agt_bruno".into()) });
    worker.send(2, None, Request::TakeNext);
    worker.send(3, None, Request::MarkRead(id.clone()));
    worker.send(4, None, Request::Update { conversation_id: id.clone(), update: Update::Status(ConvStatus::Closed) });
    worker.send(5, None, Request::Conversation(id.clone()));
    worker.send(6, None, Request::Activities(id.clone()));
    let mut answers = std::collections::HashMap::new();
    while answers.len() < 6 {
        if let Some(WorkerEvent::Reply { id, result }) = rx.recv().await {
            answers.insert(id, result);
        }
    }
    for n in 1..=4 {
        assert!(matches!(answers[&n], Err(BackendError::Forbidden(_))), "{n}: {:?}", answers[&n]);
    }
    assert!(matches!(answers[&5], Ok(Reply::Conversation(_))), "reads go through: {:?}", answers[&5]);
    // The thread's activities are a read, answered for the conversation asked about.
    assert!(
        matches!(&answers[&6], Ok(Reply::Activities { conversation_id, .. }) if *conversation_id == id),
        "{:?}",
        answers[&6]
    );
    let after = alice.conversation(&id).await.unwrap();
    assert_eq!(
        (after.assignee, after.status, after.unread_count),
        (before.assignee, before.status, before.unread_count)
    );
    assert_eq!(brunos(&alice).await, bruno_before, "nothing was taken");
}

async fn brunos(client: &tinbox::backend::native::NativeBackend) -> u64 {
    let query = ConversationQuery {
        page: 1,
        limit: 1,
        assigned_to: Some(Assigned::To("agt_bruno".into())),
        ..Default::default()
    };
    let Listed::Fresh(page) = client.conversations(&query, false).await.unwrap() else { panic!() };
    page.total
}
