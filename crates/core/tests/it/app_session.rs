//! How a session is run: read-only refuses every change before anything is sent; Ctrl-U clears a line.

use crate::sample::{act, conv, inbox, sent};
use tinbox_core::app::*;
use tinbox_core::domain::*;

/// Every action there is (the compiler keeps `Action::writes` exhaustive; this list feeds the test).
const EVERY: &[Action] = &[
    Action::Down,
    Action::Up,
    Action::First,
    Action::Last,
    Action::HalfDown,
    Action::HalfUp,
    Action::NextPane,
    Action::PrevPane,
    Action::ViewMine,
    Action::ViewUnassigned,
    Action::ViewAll,
    Action::CycleStatus,
    Action::CycleSort,
    Action::Search,
    Action::Open,
    Action::Toggle,
    Action::Refresh,
    Action::Help,
    Action::Back,
    Action::SearchBackspace,
    Action::ClearInput,
    Action::SearchAccept,
    Action::Assign,
    Action::AssignMe,
    Action::Unassign,
    Action::TakeNext,
    Action::Close,
    Action::Reopen,
    Action::Archive,
    Action::Priority,
    Action::Labels,
    Action::MarkRange,
    Action::MarkAll,
    Action::Reply,
    Action::Note,
    Action::Send,
    Action::Editor,
    Action::Templates,
    Action::Canned,
    Action::MarkRead,
    Action::MarkAllRead,
    Action::Dismiss,
    Action::DismissAll,
    Action::Yes,
    Action::No,
    Action::EditContact,
    Action::Comment,
];

fn notification(id: &str, conversation: &str) -> Notification {
    Notification {
        id: id.into(),
        kind: NotificationKind::Assigned,
        title: "Assigned to you".into(),
        body: "".into(),
        conversation_id: Some(conversation.into()),
        contact_id: None,
        actor: None,
        is_read: false,
        created_at: None,
    }
}

fn read_only() -> AppState {
    let mut s = inbox(View::All);
    s.account.read_only = true;
    s.account.labels = vec![Label { name: "vip".into(), color: ColorRole::Info }];
    s.notifications.items = vec![notification("n1", "c0"), notification("n2", "c1")];
    s
}

#[test]
fn a_read_only_session_sends_no_write_whatever_is_pressed_wherever() {
    let writes = |effects: &[Effect]| sent(effects).into_iter().filter(|(_, r)| r.is_write()).count();
    for pane in [Pane::List, Pane::Contact, Pane::Session, Pane::Notifications] {
        for thread_open in [false, true] {
            for &a in EVERY {
                let mut s = read_only();
                s.detail.contact_id = Some("cnt_c0".into());
                if thread_open {
                    let effects = act(&mut s, Action::Open);
                    assert_eq!(writes(&effects), 0, "opening a thread marks nothing read: {effects:?}");
                }
                s.focus = pane;
                let mut effects = act(&mut s, a);
                if a.writes() {
                    let e = s.status.error.clone().unwrap_or_default();
                    assert!(e.contains("Read-only"), "{a:?} in {pane:?} says why: {e:?}");
                }
                // Whatever it opened, Enter and y would be next.
                effects.extend(act(&mut s, Action::Open));
                effects.extend(act(&mut s, Action::Yes));
                assert_eq!(writes(&effects), 0, "{a:?} in {pane:?} (thread {thread_open}): {effects:?}");
                assert!(s.compose.open.is_none() && s.overlays.form.is_none(), "{a:?} opened an editor");
            }
        }
    }
}

#[test]
fn read_only_still_reads_moves_and_filters() {
    let mut s = read_only();
    act(&mut s, Action::Down);
    assert_eq!(s.list.selected, 1);
    let effects = act(&mut s, Action::CycleStatus);
    assert!(sent(&effects).iter().any(|(_, r)| matches!(r, tinbox_core::protocol::Request::Conversations { .. })));
    assert!(s.status.error.is_none(), "{:?}", s.status.error);
    // A notification opens its conversation without marking it read on the server.
    s.focus = Pane::Notifications;
    let effects = act(&mut s, Action::Open);
    assert!(s.thread.as_ref().is_some_and(|t| t.is("c0")), "{effects:?}");
    assert!(sent(&effects).iter().all(|(_, r)| !r.is_write()), "{effects:?}");
    // Opened from the list: the server is not told, so the row does not claim it was read.
    let mut s = read_only();
    assert_eq!(s.list.get("c0").map(|c| c.unread_count), Some(1));
    let effects = act(&mut s, Action::Open);
    assert!(sent(&effects).iter().all(|(_, r)| !r.is_write()), "{effects:?}");
    assert_eq!(s.list.get("c0").map(|c| c.unread_count), Some(1));
}

#[test]
fn ctrl_u_clears_the_line_being_typed_and_stays_in_it() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Search);
    for c in "ana".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    let effects = act(&mut s, Action::ClearInput);
    assert_eq!(s.list.filters.search, "");
    assert_eq!(s.input_mode(), InputMode::Search, "still typing");
    assert!(!sent(&effects).is_empty(), "the list reloads without the search");

    s.list.searching = false;
    s.account.labels = vec![Label { name: "vip".into(), color: ColorRole::Info }];
    s.list.items = vec![conv("c0", 1)];
    act(&mut s, Action::Labels);
    act(&mut s, Action::SearchInput('v'));
    act(&mut s, Action::ClearInput);
    let p = s.overlays.picker.as_ref().expect("the picker stays open");
    assert_eq!(p.filter, "");

    s.overlays.picker = None;
    s.detail.contact_id = Some("cnt_c0".into());
    s.focus = Pane::Contact;
    act(&mut s, Action::Comment);
    act(&mut s, Action::SearchInput('x'));
    act(&mut s, Action::ClearInput);
    let f = s.overlays.form.as_ref().expect("the form stays open");
    assert_eq!(f.fields[0].value, "");
}
