//! Small domain values for update() tests.
#![allow(dead_code)]

use chrono::{Duration, Utc};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::BackendError;
use tinbox_core::protocol::*;

/// An open, unassigned WhatsApp conversation whose last message was `minutes_ago`.
pub fn conversation(id: &str, minutes_ago: i64) -> Conversation {
    let t = Utc::now() - Duration::minutes(minutes_ago);
    Conversation {
        id: id.into(),
        contact_id: format!("cnt_{id}").into(),
        contact: Contact { id: format!("cnt_{id}").into(), name: format!("Name {id}").into(), ..Default::default() },
        channel: Channel::Whatsapp,
        subject: Some(format!("Subject {id}").into()),
        status: ConvStatus::Open,
        priority: Priority::Medium,
        assignee: None,
        labels: vec![],
        tags: vec![],
        message_count: 1,
        unread_count: 0,
        created_at: Some(t),
        updated_at: Some(t),
        last_message_at: Some(t),
        last_message_preview: None,
        waiting_since: None,
        service_window: None,
    }
}

/// For triage tests: an SMS conversation labelled billing, with one unread message.
pub fn conv(id: &str, minutes_ago: i64) -> Conversation {
    Conversation {
        channel: Channel::Sms,
        subject: None,
        labels: vec!["billing".into()],
        unread_count: 1,
        ..conversation(id, minutes_ago)
    }
}

pub fn agent(id: &str, name: &str) -> Agent {
    Agent {
        id: id.into(),
        name: name.into(),
        email: String::new().into(),
        available: true,
        open_conversations: 2,
        cannot: vec![],
    }
}

/// An inbox showing `view` with five unassigned open conversations, signed in as Alice.
pub fn inbox(view: View) -> AppState {
    let mut s = AppState::new("t", Utc::now());
    s.account.me = Some(agent("agt_alice", "Alice Martin"));
    s.account.agents =
        vec![agent("agt_alice", "Alice Martin"), agent("agt_bruno", "Bruno Silva"), agent("agt_chloe", "Chloé Dubois")];
    s.list.filters.view = view;
    s.list.items = (0..5).map(|i| conv(&format!("c{i}"), i)).collect();
    s.list.total = 5;
    s.list.loaded = true;
    s
}

pub fn act(s: &mut AppState, a: Action) -> Vec<Effect> {
    update(s, Msg::Action(a))
}

pub fn reply(s: &mut AppState, id: u64, result: Result<Reply, BackendError>) -> Vec<Effect> {
    update(s, Msg::Worker(WorkerEvent::Reply { id, result }))
}

/// Every request among `effects`, with its id.
pub fn sent(effects: &[Effect]) -> Vec<(u64, Request)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { id, request, .. } => Some((*id, request.clone())),
            _ => None,
        })
        .collect()
}
