//! update() for taking the next waiting conversation, for backends without status, and for notifications
//! that update in place.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::sample;

use sample::{act, conv, inbox, reply, sent};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::BackendError;
use tinbox_core::protocol::*;

#[test]
fn take_next_asks_once_then_opens_what_the_queue_gave_as_mine() {
    let mut s = inbox(View::All);
    let asked = sent(&act(&mut s, Action::TakeNext));
    assert_eq!(asked.len(), 1);
    let (id, request) = asked[0].clone();
    assert_eq!(request, Request::TakeNext);
    assert!(sent(&act(&mut s, Action::TakeNext)).is_empty(), "a second press while waiting takes nothing more");

    let mut taken = conv("q9", 300);
    taken.assignee = Some(PersonRef { id: "agt_alice".into(), name: "Alice Martin".into() });
    let effects = reply(&mut s, id, Ok(Reply::Taken(Some(Box::new(taken)))));
    assert_eq!(s.list.selected().map(|c| c.id.as_str()), Some("q9"), "the taken conversation is selected");
    assert_eq!(s.thread.as_ref().map(|t| t.conversation_id.as_str()), Some("q9"), "and opened");
    assert!(sent(&effects).iter().any(|(_, r)| matches!(r, Request::Messages(c, _) if c == "q9")));
    assert_eq!(s.status.notice.as_deref(), Some("Took Name q9 from the queue"));

    // The queue is empty next time; a refusal is said in words and the next press asks again.
    let (id, _) = sent(&act(&mut s, Action::TakeNext))[0].clone();
    reply(&mut s, id, Ok(Reply::Taken(None)));
    assert_eq!(s.status.notice.as_deref(), Some("Nobody is waiting in the queue."));
    let (id, _) = sent(&act(&mut s, Action::TakeNext))[0].clone();
    reply(&mut s, id, Err(BackendError::Forbidden("no team".into())));
    assert_eq!(s.status.error.as_deref(), Some("Could not take the next conversation: not allowed: no team"));
    assert_eq!(sent(&act(&mut s, Action::TakeNext)).len(), 1);
}

#[test]
fn a_server_without_status_or_queue_refuses_those_keys_with_a_reason() {
    let mut s = inbox(View::All);
    s.account.backend_kind = "whatomate";
    s.account.unavailable = vec![tinbox_core::domain::Capability::Status, tinbox_core::domain::Capability::Priority];
    for a in [Action::Close, Action::Reopen, Action::Archive, Action::CycleStatus] {
        assert!(act(&mut s, a).is_empty(), "{a:?}");
        assert_eq!(s.status.error.as_deref(), Some("Not available on this whatomate server: status"));
    }
    assert_eq!(s.list.items[0].status, ConvStatus::Open);
    s.account.backend_kind = "imbrace";
    s.account.unavailable = vec![tinbox_core::domain::Capability::TakeNext];
    assert!(act(&mut s, Action::TakeNext).is_empty());
    assert_eq!(s.status.error.as_deref(), Some("Not available on this imbrace server: take next"));
}

fn notice_on(id: &str, body: &str, conversation: &str) -> Notification {
    Notification {
        id: id.into(),
        kind: NotificationKind::NewMessage,
        title: "New message from Lena".into(),
        body: body.into(),
        conversation_id: Some(conversation.into()),
        contact_id: None,
        actor: None,
        is_read: false,
        created_at: None,
    }
}

fn live_notice(s: &mut AppState, n: Notification) {
    update(s, Msg::Worker(WorkerEvent::Event(LiveEvent::NotificationCreated(Box::new(n)))));
}

#[test]
fn a_notification_with_a_known_id_is_updated_and_moves_to_the_top() {
    let mut s = inbox(View::All);
    live_notice(&mut s, notice_on("ws-1", "first", "c1"));
    live_notice(&mut s, notice_on("ws-2", "other", "c2"));
    live_notice(&mut s, notice_on("ws-1", "second", "c1"));
    let shown: Vec<(&str, &str)> = s.notifications.items.iter().map(|n| (n.id.as_str(), n.body.as_str())).collect();
    assert_eq!(shown, [("ws-1", "second"), ("ws-2", "other")]);
    // The cursor stays on the notification it was on.
    s.notifications.selected = 1;
    live_notice(&mut s, notice_on("ws-3", "third", "c3"));
    assert_eq!(s.notifications.current().unwrap().id, "ws-2");
    live_notice(&mut s, notice_on("ws-2", "again", "c2"));
    assert_eq!(s.notifications.current().unwrap().id, "ws-2");
    assert_eq!(s.notifications.selected, 0, "its group moved to the top, and the cursor with it");
}

/// Several notifications about one conversation are one line, newest first with a count; the keys act on all.
#[test]
fn notifications_about_one_conversation_are_grouped_and_acted_on_together() {
    let mut s = inbox(View::All);
    live_notice(&mut s, notice_on("n1", "hello", "c3"));
    live_notice(&mut s, notice_on("n2", "about my order", "c4"));
    live_notice(&mut s, notice_on("n3", "are you there?", "c3"));
    live_notice(&mut s, notice_on("n4", "hello??", "c3"));
    let groups = s.notifications.groups();
    let shown: Vec<(&str, usize, usize)> = groups.iter().map(|g| (g.newest.id.as_str(), g.count(), g.unread)).collect();
    assert_eq!(shown, [("n4", 3, 3), ("n2", 1, 1)], "newest first, with how many");
    s.focus = Pane::Notifications;
    let sent = act(&mut s, Action::MarkRead);
    let ids: Vec<Vec<String>> = sent
        .iter()
        .filter_map(|e| match e {
            Effect::Send { request: Request::MarkNotificationsRead(ids), .. } => {
                Some(ids.iter().map(|i| i.to_string()).collect())
            }
            _ => None,
        })
        .collect();
    assert_eq!(ids, [vec!["n4", "n3", "n1"]], "x marks the whole group read, in one request");
    assert_eq!(s.notifications.groups()[0].unread, 0);
    assert_eq!(s.unread_notifications(), 1);
    let sent = act(&mut s, Action::Dismiss);
    let dismissed: Vec<String> = sent
        .iter()
        .filter_map(|e| match e {
            Effect::Send { request: Request::DismissNotification(id), .. } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(dismissed, ["n4", "n3", "n1"], "d dismisses every notification of the group");
    assert_eq!(s.notifications.items.len(), 1);
    assert_eq!(s.notifications.current().unwrap().id, "n2");
    // Many arriving never grow the pane without bound.
    for i in 0..700 {
        live_notice(&mut s, notice_on(&format!("x{i}"), "spam", &format!("c{i}")));
    }
    assert_eq!(s.notifications.items.len(), tinbox_core::app::MAX_NOTIFICATIONS);
}

#[test]
fn the_agent_picker_shows_open_counts_only_where_the_server_counts_them() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Assign);
    assert_eq!(s.overlays.picker.as_ref().unwrap().items[1].detail, "available · 2 open");
    act(&mut s, Action::Back);
    s.account.unavailable = vec![tinbox_core::domain::Capability::OpenCounts];
    act(&mut s, Action::Assign);
    assert_eq!(s.overlays.picker.as_ref().unwrap().items[1].detail, "available", "no misleading \"0 open\"");
}
