//! Contract tests for what the real products taught the native API (issue 12, part 4): WhatsApp's 24-hour
//! window, delivery outcomes on the live stream (a refused reply with its reason), templates for a closed
//! window and canned responses — the native backend against the reference server over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use futures::StreamExt;
use std::time::Duration;
use tinbox::backend::*;
use tinbox::domain::*;
use tinbox::server::ServerOptions;

/// A WhatsApp conversation whose window is open (`true`) or closed.
async fn whatsapp(b: &dyn Backend, open: bool) -> Conversation {
    for page in 1..=20 {
        let q = ConversationQuery { page, limit: 100, channel: Some("whatsapp".into()), ..Default::default() };
        let Listed::Fresh(p) = b.conversations(&q, false).await.unwrap() else { panic!("fresh") };
        if let Some(c) = p.items.into_iter().find(|c| c.service_window.is_some_and(|w| w.open == open)) {
            return c;
        }
    }
    panic!("the demo has a WhatsApp conversation with its window {}", if open { "open" } else { "closed" });
}

/// The next delivery change on the stream for message `id`.
async fn outcome(stream: &mut LiveStream, id: &str) -> StatusChange {
    loop {
        let item = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an outcome").unwrap();
        if let Some(LiveEvent::MessageStatus(c)) = item.unwrap().event
            && c.message_id == id
        {
            return *c;
        }
    }
}

fn reply(text: &str, key: &str) -> NewMessage {
    NewMessage { text: text.into(), private: false, idempotency_key: key.into() }
}

#[tokio::test]
async fn a_reply_goes_out_later_and_one_into_a_closed_window_is_refused_with_its_reason() {
    let s = common::server(ServerOptions { delivery_after: Duration::from_millis(50), ..Default::default() }).await;
    let alice = common::client(&s, "alice");
    let mut stream = alice.live(None).await.unwrap();
    let open = whatsapp(&alice, true).await;
    let w = open.service_window.unwrap();
    assert!(w.last_inbound_at.is_some_and(|t| t + ServiceWindow::LENGTH > chrono::Utc::now()));
    let m = alice.send_message(&open.id, &reply("On it", "k1")).await.unwrap();
    assert_eq!(m.status, DeliveryStatus::Pending, "taken, not sent yet");
    assert_eq!(outcome(&mut stream, &m.id).await.status, DeliveryStatus::Sent);
    assert_eq!(outcome(&mut stream, &m.id).await.status, DeliveryStatus::Delivered);

    let closed = whatsapp(&alice, false).await;
    let late = alice.send_message(&closed.id, &reply("Still there?", "k2")).await.unwrap();
    let refused = outcome(&mut stream, &late.id).await;
    assert_eq!(
        (refused.status.clone(), refused.conversation_id.as_deref()),
        (DeliveryStatus::Failed, Some(closed.id.as_str()))
    );
    assert!(refused.error.as_deref().is_some_and(|e| e.contains("24 hours")), "{refused:?}");
    // Read back, it keeps its reason; a private note never goes through a channel.
    let thread = alice.messages(&closed.id, PageReq { page: 1, limit: 5 }).await.unwrap();
    let m = thread.items.iter().find(|m| m.id == late.id).unwrap();
    assert!(m.status == DeliveryStatus::Failed && m.error.is_some());
    let note = NewMessage { text: "Customer asked twice".into(), private: true, idempotency_key: "k3".into() };
    assert_eq!(alice.send_message(&closed.id, &note).await.unwrap().status, DeliveryStatus::Sent);
    // Email has no window.
    let q = ConversationQuery { page: 1, limit: 5, channel: Some("email".into()), ..Default::default() };
    let Listed::Fresh(mail) = alice.conversations(&q, false).await.unwrap() else { panic!("fresh") };
    assert!(mail.items.iter().all(|c| c.service_window.is_none()));
}

#[tokio::test]
async fn a_template_goes_through_a_closed_window_with_its_parameters() {
    let s = common::server(ServerOptions { delivery_after: Duration::from_millis(50), ..Default::default() }).await;
    let alice = common::client(&s, "alice");
    let mut stream = alice.live(None).await.unwrap();
    let closed = whatsapp(&alice, false).await;
    let templates = alice.templates(&closed.id).await.unwrap();
    let order = templates.iter().find(|t| t.name == "order_update").unwrap();
    assert_eq!(order.params(), ["1", "2"]);
    let missing = TemplateSend { name: order.name.clone(), language: order.language.clone(), params: vec![] };
    let Err(BackendError::Invalid(why)) = alice.send_template(&closed.id, &missing).await else { panic!("refused") };
    assert!(why.contains("missing template parameters: 1, 2"), "{why}");
    let params = vec![("1".to_string(), "Ana".to_string()), ("2".to_string(), "A-1042".to_string())];
    let send = TemplateSend { params, ..missing };
    let m = alice.send_template(&closed.id, &send).await.unwrap();
    assert_eq!((m.text.as_str(), m.status), ("Hi Ana, your order A-1042 has shipped.", DeliveryStatus::Pending));
    assert_eq!(outcome(&mut stream, &m.id).await.status, DeliveryStatus::Sent, "a template is not refused");
    assert!(!alice.unavailable().contains(&Capability::Templates));
}

#[tokio::test]
async fn canned_responses_come_most_used_first_and_a_use_counts() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let list = alice.canned_responses().await.unwrap();
    let ids: Vec<&str> = list.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cr_refund", "cr_greeting", "cr_closing", "cr_tracking"]);
    assert_eq!(list[0].shortcut, "/refund");
    for _ in 0..40 {
        alice.canned_used("cr_tracking").await.unwrap();
    }
    assert_eq!(alice.canned_responses().await.unwrap()[0].id, "cr_tracking");
    assert!(matches!(alice.canned_used("nope").await, Err(BackendError::NotFound(_))));
}
