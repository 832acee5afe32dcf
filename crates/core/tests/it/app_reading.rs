//! Reading the inbox: keys that do nothing say why, the thread's activities, and the list keeping its place
//! as rows arrive above the selection.

use crate::sample;

use chrono::{Duration, Utc};
use sample::{act, conv, inbox, reply, sent};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::*;

/// What the status line says now (a notice, else an error).
fn said(s: &AppState) -> String {
    s.status.notice.clone().or(s.status.error.clone()).unwrap_or_default()
}

#[test]
fn a_key_that_does_nothing_where_the_focus_is_says_why() {
    let mut s = inbox(View::All);
    s.focus = Pane::List;
    for (a, words) in [
        (Action::MarkRead, "That is for notifications: Tab to them"),
        (Action::Dismiss, "That is for notifications: Tab to them"),
        (Action::EditContact, "That is for the contact pane: Tab to it"),
        (Action::Comment, "That is for the contact pane: Tab to it"),
        (Action::Activities, "Activities are for an open thread"),
    ] {
        assert!(act(&mut s, a).is_empty(), "{a:?} sends nothing");
        assert!(said(&s).contains(words), "{a:?}: {:?}", said(&s));
        assert!(said(&s).chars().count() <= 40, "fits the status line at 80 columns: {:?}", said(&s));
    }
    s.focus = Pane::Contact;
    act(&mut s, Action::Toggle);
    assert!(said(&s).contains("Space marks in the list"), "{:?}", said(&s));
    act(&mut s, Action::MarkAll);
    assert!(said(&s).contains("Marks are for the list: Tab to it"), "{:?}", said(&s));
    assert!(s.triage.marked.is_empty());
    // In an open thread, Enter and marks say where they work.
    s.focus = Pane::List;
    act(&mut s, Action::Open);
    act(&mut s, Action::Open);
    assert!(said(&s).contains("Already open"), "{:?}", said(&s));
    act(&mut s, Action::Toggle);
    assert!(said(&s).contains("Esc goes back"), "{:?}", said(&s));
    // A key bound to nothing at all.
    update(&mut s, Msg::Unbound("z".into()));
    assert_eq!(said(&s), "z does nothing · ? lists the keys");
    // Not while typing, where keys are text: the line being typed is not overwritten.
    act(&mut s, Action::Back);
    act(&mut s, Action::Search);
    s.status.notice = None;
    update(&mut s, Msg::Unbound("z".into()));
    assert_eq!(s.status.notice, None);
}

fn activity(id: &str, minutes_ago: i64, detail: &str) -> Activity {
    Activity {
        id: id.into(),
        kind: "assigned".into(),
        actor: Some("agt_bruno".into()),
        detail: detail.into(),
        created_at: Some(Utc::now() - Duration::minutes(minutes_ago)),
    }
}

fn activities_request(effects: &[Effect]) -> Option<u64> {
    sent(effects).into_iter().find_map(|(id, r)| matches!(r, Request::Activities(ref c) if c == "c0").then_some(id))
}

#[test]
fn activities_are_asked_for_once_shown_among_the_messages_and_follow_changes() {
    let mut s = inbox(View::All);
    update(&mut s, Msg::Resize(80, 24));
    // Already read: no mark-read in flight to hold back the live change below.
    s.list.items[0].unread_count = 0;
    act(&mut s, Action::Open);
    let id = activities_request(&act(&mut s, Action::Activities)).expect("H asks for the activities");
    assert!(said(&s).contains("Activities shown"));
    let t = s.thread.as_ref().unwrap();
    assert!(t.shown_activities().is_empty(), "nothing shown before they arrive");
    let before = t.lines();
    // The server sends them newest first; the thread reads oldest first.
    let items = vec![activity("a2", 1, "Assigned to Alice"), activity("a1", 30, "Closed")];
    let page = Page { items, total: 2, page: 1, limit: 100, total_pages: 1, skipped: 0 };
    reply(&mut s, id, Ok(Reply::Activities { conversation_id: "c0".into(), page }));
    let t = s.thread.as_ref().unwrap();
    let shown: Vec<&str> = t.shown_activities().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(shown, ["a1", "a2"]);
    assert_eq!(t.lines(), before + 2, "one line each, counted in the thread's scroll");
    // Hidden, then shown again: no second request for what is already here.
    assert!(activities_request(&act(&mut s, Action::Activities)).is_none());
    assert!(s.thread.as_ref().unwrap().shown_activities().is_empty());
    assert!(activities_request(&act(&mut s, Action::Activities)).is_none());
    assert_eq!(s.thread.as_ref().unwrap().shown_activities().len(), 2);
    // A new message alone (the row's time moves) is nothing the log records: not read again.
    let mut bumped = s.thread.as_ref().unwrap().conversation.ready().unwrap().clone();
    bumped.last_message_at = Some(Utc::now());
    let effects = update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(bumped)))));
    assert!(activities_request(&effects).is_none(), "a message is not an activity");
    // Someone changes the conversation: the shown activities are read again.
    let mut changed = conv("c0", 0);
    changed.unread_count = 0;
    changed.assignee = Some(PersonRef { id: "agt_bruno".into(), name: "Bruno Silva".into() });
    let effects = update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(changed)))));
    let again = activities_request(&effects).expect("a change reads them again");
    // A failure says so and hides them, never showing a stale list as current.
    reply(&mut s, again, Err(BackendError::Network("reset".into())));
    assert!(said(&s).starts_with("Activities could not be read"), "{:?}", said(&s));
    assert!(s.thread.as_ref().unwrap().shown_activities().is_empty());
    assert!(!s.thread.as_ref().unwrap().show_activities);
    assert!(!s.activities, "after a failure the next thread does not ask again");
}

#[test]
fn activities_shown_once_stay_shown_in_the_next_thread() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Open);
    assert!(activities_request(&act(&mut s, Action::Activities)).is_some());
    act(&mut s, Action::Back);
    act(&mut s, Action::Down);
    let effects = act(&mut s, Action::Open);
    let asked = sent(&effects).into_iter().any(|(_, r)| matches!(r, Request::Activities(ref c) if c == "c1"));
    assert!(asked, "the next thread asks for its own activities at once");
    assert!(s.thread.as_ref().unwrap().show_activities);
    act(&mut s, Action::Activities);
    act(&mut s, Action::Back);
    let effects = act(&mut s, Action::Open);
    assert!(!sent(&effects).into_iter().any(|(_, r)| matches!(r, Request::Activities(_))), "hidden stays hidden");
}

#[test]
fn a_server_without_activities_refuses_the_key_in_words() {
    let mut s = inbox(View::All);
    s.account.unavailable = vec![Capability::Activities];
    act(&mut s, Action::Open);
    assert!(activities_request(&act(&mut s, Action::Activities)).is_none());
    assert!(said(&s).contains("activities"), "{:?}", said(&s));
}

#[test]
fn rows_arriving_above_never_move_the_selection_off_its_conversation() {
    let mut s = inbox(View::All);
    update(&mut s, Msg::Resize(80, 24));
    act(&mut s, Action::Down);
    act(&mut s, Action::Down);
    let chosen = s.list.selected().unwrap().id.clone();
    assert_eq!(chosen, "c2");
    // A new conversation arrives live, newest of all: it goes on top, the selection stays on c2.
    let fresh = conv("new1", -1);
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(fresh)))));
    assert_eq!(s.list.items[0].id, "new1");
    assert_eq!(s.list.selected().unwrap().id, chosen);
    assert_eq!(s.list.selected, 3);
    // A reload brings two more above it: still on c2.
    let effects = act(&mut s, Action::Refresh);
    let (id, query) = sent(&effects)
        .into_iter()
        .find_map(|(id, r)| match r {
            Request::Conversations { query, .. } if query.limit > 1 => Some((id, query)),
            _ => None,
        })
        .unwrap();
    let mut rows = vec![conv("new3", -3), conv("new2", -2), conv("new1", -1)];
    rows.extend((0..5).map(|i| conv(&format!("c{i}"), i)));
    let page = Page { total: 8, page: 1, limit: query.limit, total_pages: 1, skipped: 0, items: rows };
    reply(&mut s, id, Ok(Reply::Conversations { query, page: Listed::Fresh(page) }));
    assert_eq!(s.list.items.len(), 8);
    assert_eq!(s.list.selected().unwrap().id, chosen, "the selection follows its conversation");
    assert_eq!(s.list.selected, 5);
}
