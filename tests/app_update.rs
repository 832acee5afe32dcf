//! update() is pure: every behaviour of the app is a test here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use std::time::Duration as StdDuration;
use tinbox::app::*;
use tinbox::backend::{BackendError, Cached};
use tinbox::domain::*;
use tinbox::worker::*;

fn conv(id: &str, minutes_ago: i64) -> Conversation {
    let t = Utc::now() - Duration::minutes(minutes_ago);
    Conversation {
        id: id.into(),
        contact_id: format!("cnt_{id}"),
        contact: Contact { id: format!("cnt_{id}"), name: format!("Name {id}"), ..Default::default() },
        channel: Channel::Whatsapp,
        subject: Some(format!("Subject {id}")),
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
    }
}

fn page(items: Vec<Conversation>, page: u32, total: u64) -> Page<Conversation> {
    Page { total_pages: total.div_ceil(50) as u32, items, total, page, limit: 50, skipped: 0 }
}

fn list_request(effects: &[Effect]) -> Option<(u64, u32)> {
    effects.iter().find_map(|e| match e {
        Effect::Send { id, request: Request::Conversations { query, .. }, .. } => Some((*id, query.page)),
        _ => None,
    })
}

/// A state with `n` conversations loaded from page 1 of `total`.
fn loaded(n: usize, total: u64) -> AppState {
    let mut s = AppState::new("test", Utc::now());
    let effects = start(&mut s);
    let (id, _) = list_request(&effects).unwrap();
    let items = (0..n).map(|i| conv(&format!("c{i:03}"), i as i64)).collect();
    let reply = Reply::Conversations {
        query: update_query(1),
        page: Cached::Fresh { value: page(items, 1, total), etag: None },
    };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id, result: Ok(reply) }));
    s
}

fn update_query(p: u32) -> tinbox::backend::ConversationQuery {
    tinbox::backend::ConversationQuery { page: p, limit: 50, status: Some("open".into()), ..Default::default() }
}

#[test]
fn start_asks_for_me_the_list_notifications_and_the_stream() {
    let mut s = AppState::new("test", Utc::now());
    let effects = start(&mut s);
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { request: Request::Me, .. })));
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { request: Request::Notifications(_), .. })));
    assert!(effects.contains(&Effect::StartLive));
    assert_eq!(list_request(&effects).map(|(_, p)| p), Some(1));
}

#[test]
fn navigation_stays_in_bounds() {
    let mut s = loaded(5, 5);
    update(&mut s, Msg::Action(Action::Up));
    assert_eq!(s.list.selected, 0);
    for _ in 0..10 {
        update(&mut s, Msg::Action(Action::Down));
    }
    assert_eq!(s.list.selected, 4);
    update(&mut s, Msg::Action(Action::First));
    assert_eq!(s.list.selected, 0);
    update(&mut s, Msg::Action(Action::Last));
    assert_eq!(s.list.selected, 4);
    assert_eq!(update(&mut s, Msg::Action(Action::Quit)), vec![Effect::Quit]);
}

#[test]
fn an_answer_to_an_older_list_request_is_ignored() {
    let mut s = loaded(3, 3);
    let refresh = update(&mut s, Msg::Action(Action::Refresh));
    let (newest, _) = list_request(&refresh).unwrap();
    let stale = Reply::Conversations {
        query: update_query(1),
        page: Cached::Fresh { value: page(vec![conv("zzz", 0)], 1, 1), etag: None },
    };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id: newest - 1, result: Ok(stale) }));
    assert!(s.list.items.iter().all(|c| c.id != "zzz"));
    assert_eq!(s.list.pending, Some(newest));
}

#[test]
fn the_next_page_loads_as_the_selection_nears_the_end_and_only_once() {
    let mut s = loaded(50, 120);
    assert!(s.list.has_more);
    let mut asked = Vec::new();
    for _ in 0..45 {
        asked.extend(list_request(&update(&mut s, Msg::Action(Action::Down))));
    }
    assert_eq!(asked.len(), 1, "holding j never piles up page requests");
    let (id, p) = asked[0];
    assert_eq!(p, 2);
    let more = (50..100).map(|i| conv(&format!("c{i:03}"), i)).collect();
    let reply =
        Reply::Conversations { query: update_query(2), page: Cached::Fresh { value: page(more, 2, 120), etag: None } };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id, result: Ok(reply) }));
    assert_eq!(s.list.items.len(), 100);
    assert_eq!(s.list.selected, 45, "the selection did not move");
}

#[test]
fn live_updates_change_rows_in_place_and_keep_the_selection_by_id() {
    let mut s = loaded(5, 5);
    update(&mut s, Msg::Action(Action::Down));
    update(&mut s, Msg::Action(Action::Down));
    let selected = s.list.selected().unwrap().id.clone();
    // A newer message on the last row moves it to the top; the selection follows its conversation.
    let mut bumped = conv("c004", 0);
    bumped.last_message_at = Some(Utc::now() + Duration::seconds(1));
    bumped.subject = Some("bumped".into());
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(bumped)))));
    assert_eq!(s.list.items[0].subject.as_deref(), Some("bumped"));
    assert_eq!(s.list.items.len(), 5);
    assert_eq!(s.list.selected().unwrap().id, selected);
    // A conversation closed elsewhere leaves the open list; the selection stays on its conversation.
    let mut closed = conv("c000", 0);
    closed.status = ConvStatus::Closed;
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(closed)))));
    assert!(s.list.items.iter().all(|c| c.id != "c000"));
    assert_eq!(s.list.selected().unwrap().id, selected);
    assert_eq!(s.list.total, 4);
}

#[test]
fn notifications_arrive_once_and_count_as_unread() {
    let mut s = loaded(1, 1);
    let n = Notification {
        id: "n1".into(),
        kind: NotificationKind::Assigned,
        title: "t".into(),
        body: "b".into(),
        conversation_id: None,
        contact_id: None,
        actor: None,
        is_read: false,
        created_at: None,
    };
    for _ in 0..2 {
        update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::NotificationCreated(Box::new(n.clone())))));
    }
    assert_eq!(s.unread_notifications(), 1);
}

#[test]
fn connection_state_and_errors_in_words() {
    let mut s = loaded(1, 1);
    let now = s.now;
    let down = LiveStatus::Retrying { error: BackendError::Network("x".into()), retry_in: StdDuration::from_secs(4) };
    update(&mut s, Msg::Worker(WorkerEvent::Live(down.clone())));
    let Connection::Offline { since, retry_at } = s.connection.clone() else { panic!() };
    assert_eq!(since, now);
    assert_eq!(retry_at, now + Duration::seconds(4));
    // A second failure keeps the original "offline since".
    update(&mut s, Msg::Tick(now + Duration::seconds(5)));
    update(&mut s, Msg::Worker(WorkerEvent::Live(down)));
    assert!(matches!(s.connection, Connection::Offline { since: t, .. } if t == now));
    assert!(s.error.as_deref().unwrap().contains("cannot reach the server"));
    update(&mut s, Msg::Worker(WorkerEvent::Live(LiveStatus::Live)));
    assert_eq!(s.connection, Connection::Live);
}
