//! Under injected faults (5xx, 429, slow, malformed and dropped answers) a scripted session of
//! assignments, status changes and replies leaves the server exactly as intended: nothing lost, nothing twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tinbox::backend::{BackendError, NewMessage};
use tinbox::server::ServerOptions;
use tinbox::worker::*;

fn fault_kind(e: &BackendError) -> &'static str {
    match e {
        BackendError::Network(_) => "dropped connection",
        BackendError::BadResponse(_) => "malformed answer",
        BackendError::Server { .. } => "5xx",
        BackendError::RateLimited { .. } => "429",
        _ => "other",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_session_under_faults_ends_exactly_as_intended() {
    let faults = "error=0.15,latency=20ms,malformed=0.12,drop=0.12,rate_limit=0.1,seed=7".parse().unwrap();
    let s = common::server(ServerOptions { faults: Some(faults), ..Default::default() }).await;
    let targets: Vec<String> = s.with_store(|st| st.conversations.iter().take(12).map(|c| c.id.clone()).collect());
    let agents = ["agt_bruno", "agt_chloe", "agt_alice"];
    let opts = WorkerOptions {
        min_backoff: Duration::from_millis(10),
        max_retry_wait: Duration::from_millis(150),
        attempts: 10,
        ..Default::default()
    };
    let (worker, mut rx) = Worker::spawn(Arc::new(common::client(&s, "alice")), opts);

    let mut plan = Vec::new();
    for (i, id) in targets.iter().enumerate() {
        plan.push(Request::Assign { conversation_id: id.clone().into(), agent_id: Some(agents[i % 3].into()) });
        let status = if i % 2 == 0 { "closed" } else { "archived" };
        plan.push(Request::Update { conversation_id: id.clone().into(), update: Update::Status(status.into()) });
        let message = NewMessage {
            text: format!("Reply {i} under faults"),
            private: i % 4 == 0,
            idempotency_key: format!("faults-{i}"),
        };
        plan.push(Request::Send { conversation_id: id.clone().into(), message });
    }
    // One request at a time, so the seeded faults fall the same way on every run.
    let mut kinds: HashMap<&'static str, usize> = HashMap::new();
    for (n, request) in plan.iter().enumerate() {
        let id = n as u64 + 1;
        worker.send(id, None, request.clone());
        loop {
            match tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("an answer in time").unwrap() {
                WorkerEvent::Retrying { id: r, error, .. } if r == id => {
                    *kinds.entry(fault_kind(&error)).or_default() += 1
                }
                WorkerEvent::Reply { id: r, result } if r == id => {
                    result.unwrap_or_else(|e| panic!("{request:?} failed for good: {e}"));
                    break;
                }
                _ => {}
            }
        }
    }
    eprintln!("faults the client retried through: {kinds:?}");
    for kind in ["dropped connection", "malformed answer", "5xx", "429"] {
        assert!(kinds.get(kind).copied().unwrap_or(0) > 0, "the session met {kind}: {kinds:?}");
    }

    s.with_store(|st| {
        for (i, id) in targets.iter().enumerate() {
            let c = st.conversations.iter().find(|c| &c.id == id).unwrap();
            assert_eq!(c.assignee.as_deref(), Some(agents[i % 3]), "no lost assignment on {id}");
            assert_eq!(c.status, if i % 2 == 0 { "closed" } else { "archived" }, "status on {id}");
            let text = format!("Reply {i} under faults");
            let copies = st.messages[id].iter().filter(|m| m.text == text).count();
            assert_eq!(copies, 1, "exactly one copy of {text:?} on {id}");
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_honoured_and_a_hopeless_request_gives_up_with_the_reason() {
    let faults = "rate_limit=1.0,seed=1".parse().unwrap();
    let s = common::server(ServerOptions { faults: Some(faults), ..Default::default() }).await;
    let opts = WorkerOptions {
        min_backoff: Duration::from_millis(10),
        max_retry_wait: Duration::from_secs(2),
        attempts: 3,
        ..Default::default()
    };
    let (worker, mut rx) = Worker::spawn(Arc::new(common::client(&s, "alice")), opts);
    let start = std::time::Instant::now();
    worker.send(1, None, Request::Me);
    let mut waits = Vec::new();
    let result = loop {
        match rx.recv().await.unwrap() {
            WorkerEvent::Retrying { retry_in, .. } => waits.push(retry_in),
            WorkerEvent::Reply { result, .. } => break result,
            _ => {}
        }
    };
    assert_eq!(waits, [Duration::from_secs(1), Duration::from_secs(1)], "the server's Retry-After: 1");
    assert!(start.elapsed() >= Duration::from_secs(2));
    assert!(matches!(result, Err(BackendError::RateLimited { .. })), "{result:?}");
}
