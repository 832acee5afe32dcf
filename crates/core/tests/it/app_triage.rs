//! update() for triage: every action shows at once, is confirmed or rolled back with the reason, acts and
//! advances, and works in bulk with per-item failures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::sample;

use chrono::Utc;
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::BackendError;
use tinbox_core::protocol::*;

use sample::{act, conv, inbox, reply};

/// The write requests among `effects`, with their ids.
fn writes(effects: &[Effect]) -> Vec<(u64, Request)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { id, request, .. }
                if matches!(request, Request::Assign { .. } | Request::Update { .. } | Request::Send { .. }) =>
            {
                Some((*id, request.clone()))
            }
            _ => None,
        })
        .collect()
}

/// What the server would answer for a write: the conversation with the change applied.
fn server_answer(before: &Conversation, r: &Request, agents: &[Agent]) -> Conversation {
    let mut c = before.clone();
    match r {
        Request::Assign { agent_id, .. } => {
            c.assignee = agent_id.as_ref().map(|id| {
                let a = agents.iter().find(|a| a.id == id).unwrap();
                PersonRef { id: a.id.clone(), name: a.name.clone() }
            })
        }
        Request::Update { update, .. } => match update {
            Update::Status(x) => c.status = x.clone(),
            Update::Priority(x) => c.priority = x.clone(),
            Update::Labels(x) => c.labels = x.clone(),
        },
        _ => {}
    }
    c
}

#[test]
fn assign_to_me_shows_at_once_is_confirmed_and_acts_and_advances() {
    let mut s = inbox(View::Unassigned);
    act(&mut s, Action::Down);
    let effects = act(&mut s, Action::AssignMe);
    let w = writes(&effects);
    assert!(
        matches!(&w[..], [(_, Request::Assign { conversation_id, agent_id: Some(a) })] if conversation_id == "c1" && a == "agt_alice")
    );
    // At once: c1 is no longer unassigned, so it left the view and the selection moved to the next one.
    assert!(s.list.items.iter().all(|c| c.id != "c1"));
    assert_eq!(s.list.selected().unwrap().id, "c2");
    let before = conv("c1", 1);
    let answer = server_answer(&before, &w[0].1, &s.account.agents);
    reply(&mut s, w[0].0, Ok(Reply::Conversation(Box::new(answer))));
    assert!(s.requests.inflight.values().all(|p| !matches!(p, Purpose::Change { .. })));
    assert_eq!(s.status.notice.as_deref(), Some("Assigned to you — Name c1"));
    assert_eq!(s.list.selected().unwrap().id, "c2", "the confirmation does not move the selection");
}

#[test]
fn every_kind_of_refusal_rolls_back_with_the_reason() {
    let refusals = [
        (BackendError::Forbidden("agents may not assign".into()), "not allowed: agents may not assign"),
        (BackendError::NotFound("gone".into()), "it no longer exists on the server"),
        (BackendError::Conflict("assigned meanwhile".into()), "someone changed it first (assigned meanwhile)"),
        (
            BackendError::Network(tinbox_core::protocol::error::NOT_CONNECTED.into()),
            "cannot reach the server: the connection was refused or could not be made; nothing was changed",
        ),
        // The answer was lost: nobody knows whether it was done, and the screen never claims it was not.
        (
            BackendError::Network("timeout".into()),
            "cannot reach the server: timeout — the answer was lost, so it may have been done; showing what the server holds",
        ),
        (
            BackendError::Server { status: 500, message: "boom".into() },
            "the server failed (500): boom — the answer was lost, so it may have been done; showing what the server holds",
        ),
    ];
    for (error, words) in refusals {
        let mut s = inbox(View::Unassigned);
        act(&mut s, Action::Down);
        let w = writes(&act(&mut s, Action::AssignMe));
        assert_eq!(s.list.items.len(), 4);
        let unknown = error.outcome_unknown();
        let effects = reply(&mut s, w[0].0, Err(error));
        let reread =
            effects.iter().any(|e| matches!(e, Effect::Send { request: Request::Conversation(id), .. } if id == "c1"));
        assert_eq!(reread, unknown, "an unknown outcome is read again from the server, a known one is not");
        assert_eq!(s.list.items.len(), 5, "the conversation is back in Unassigned");
        assert!(s.list.items.iter().any(|c| c.id == "c1" && c.assignee.is_none()));
        assert_eq!(s.status.error.as_deref(), Some(format!("Could not assign to you — Name c1: {words}").as_str()));
        assert!(s.requests.inflight.values().all(|p| !matches!(p, Purpose::Change { .. })));
    }
}

#[test]
fn status_and_priority_changes_show_at_once_and_roll_back() {
    let mut s = inbox(View::All);
    let w = writes(&act(&mut s, Action::Close));
    assert!(matches!(&w[0].1, Request::Update { update: Update::Status(ConvStatus::Closed), .. }));
    assert!(s.list.items.iter().all(|c| c.id != "c0"), "closed leaves the open list");
    reply(&mut s, w[0].0, Err(BackendError::Forbidden("no".into())));
    assert_eq!(s.list.items[0].id, "c0");
    assert_eq!(s.list.items[0].status, ConvStatus::Open);

    // Priority through its picker.
    act(&mut s, Action::Priority);
    assert_eq!(s.input_mode(), InputMode::Picker);
    act(&mut s, Action::SearchInput('h'));
    let w = writes(&act(&mut s, Action::Open));
    assert!(matches!(&w[0].1, Request::Update { update: Update::Priority(Priority::High), .. }));
    // The selection stayed where act-and-advance had moved it (c1) when c0 came back.
    assert_eq!(s.list.selected().unwrap().id, "c1");
    assert_eq!(s.list.selected().unwrap().priority, Priority::High, "shown at once");
    assert!(s.overlays.picker.is_none());
}

#[test]
fn reopen_and_archive_in_a_view_of_closed_conversations() {
    let mut s = inbox(View::All);
    s.list.filters.status = Some("closed".into());
    for c in &mut s.list.items {
        c.status = ConvStatus::Closed;
    }
    let w = writes(&act(&mut s, Action::Reopen));
    assert!(matches!(&w[0].1, Request::Update { update: Update::Status(ConvStatus::Open), .. }));
    let w = writes(&act(&mut s, Action::Archive));
    assert!(matches!(&w[0].1, Request::Update { update: Update::Status(ConvStatus::Archived), .. }));
    assert_eq!(s.list.items.len(), 3);
}

#[test]
fn the_agent_picker_filters_fuzzily_and_assigns() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Assign);
    let p = s.overlays.picker.as_ref().unwrap();
    assert_eq!(p.kind, PickerKind::Assign);
    assert_eq!(p.shown.len(), 4, "nobody + three agents");
    for c in "chl".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    assert_eq!(s.overlays.picker.as_ref().unwrap().current().unwrap().id, "agt_chloe", "fuzzy: chl finds Chloé");
    let w = writes(&act(&mut s, Action::Open));
    assert!(matches!(&w[0].1, Request::Assign { agent_id: Some(a), .. } if a == "agt_chloe"));
    assert_eq!(s.list.items[0].assignee.as_ref().unwrap().name, "Chloé Dubois");
    // Esc cancels without a request.
    act(&mut s, Action::Assign);
    assert!(act(&mut s, Action::Back).is_empty() && s.overlays.picker.is_none());
}

#[test]
fn the_label_picker_toggles_several_and_creates_new_ones() {
    let mut s = inbox(View::All);
    s.account.labels = vec![
        Label { name: "billing".into(), color: ColorRole::Info },
        Label { name: "vip".into(), color: ColorRole::Success },
    ];
    act(&mut s, Action::Labels);
    let p = s.overlays.picker.as_ref().unwrap();
    assert!(p.items.iter().find(|i| i.id == "billing").unwrap().checked, "labels already on it start ticked");
    act(&mut s, Action::Toggle); // untick billing
    act(&mut s, Action::Down);
    act(&mut s, Action::Toggle); // tick vip
    let w = writes(&act(&mut s, Action::Open));
    assert!(matches!(&w[0].1, Request::Update { update: Update::Labels(l), .. } if l == &["vip".to_string()]));
    act(&mut s, Action::Labels);
    for c in "refund-2026".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    let w = writes(&act(&mut s, Action::Open));
    assert!(
        matches!(&w[0].1, Request::Update { update: Update::Labels(l), .. } if l.iter().any(|x| x == "refund-2026"))
    );
}

#[test]
fn marks_space_range_all_and_esc() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Toggle);
    assert_eq!(s.list.selected, 1, "Space marks and moves on");
    act(&mut s, Action::Down);
    act(&mut s, Action::MarkRange);
    assert_eq!(s.triage.marked.len(), 3, "c0..c2");
    act(&mut s, Action::Back);
    assert!(s.triage.marked.is_empty());
    act(&mut s, Action::MarkAll);
    assert_eq!(s.triage.marked.len(), 5);
}

#[test]
fn bulk_actions_show_progress_and_report_failures_without_undoing_successes() {
    let mut s = inbox(View::Unassigned);
    act(&mut s, Action::MarkAll);
    act(&mut s, Action::Assign);
    for c in "bruno".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    assert!(writes(&act(&mut s, Action::Open)).is_empty(), "five are shown and asked about first");
    let w = writes(&act(&mut s, Action::Yes));
    assert_eq!(w.len(), 5);
    assert!(s.list.items.is_empty(), "all five left Unassigned at once");
    assert!(s.triage.marked.is_empty(), "marks are used up");
    let b = s.triage.batch.as_ref().unwrap();
    assert_eq!((b.done, b.total), (0, 5));
    let agents = s.account.agents.clone();
    for (i, (id, r)) in w.iter().enumerate() {
        let before = conv(&format!("c{i}"), i as i64);
        let result = if i == 3 {
            Err(BackendError::Forbidden("locked".into()))
        } else {
            Ok(Reply::Conversation(Box::new(server_answer(&before, r, &agents))))
        };
        reply(&mut s, *id, result);
        if i < 4 {
            assert_eq!(s.triage.batch.as_ref().unwrap().done, i + 1, "progress n/N");
        }
    }
    assert!(s.triage.batch.is_none());
    assert_eq!(
        s.list.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["c3"],
        "only the refused one came back"
    );
    assert_eq!(
        s.status.error.as_deref(),
        Some("Assigned to Bruno Silva 4 of 5; failed: Name c3 (not allowed: locked)")
    );
}

#[test]
fn a_live_update_does_not_undo_a_change_still_in_flight() {
    let mut s = inbox(View::All);
    let w = writes(&act(&mut s, Action::AssignMe));
    // The server's stream still shows the old state of c0 (sent before our change landed).
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(conv("c0", 0))))));
    assert_eq!(s.list.items.iter().find(|c| c.id == "c0").unwrap().assignee.as_ref().unwrap().id, "agt_alice");
    assert_eq!(w.len(), 1);
}

fn thread_with(s: &mut AppState, messages: Vec<Message>) {
    let effects = act(s, Action::Open);
    let id = effects.iter().find_map(|e| match e {
        Effect::Send { id, request: Request::Messages(..), .. } => Some(*id),
        _ => None,
    });
    let mut page_items = messages;
    page_items.reverse();
    let page =
        Page { total: page_items.len() as u64, items: page_items, page: 1, limit: 100, total_pages: 1, skipped: 0 };
    reply(s, id.unwrap(), Ok(Reply::Messages { conversation_id: "c0".into(), page }));
}

fn msg(id: &str, incoming: bool) -> Message {
    Message {
        id: id.into(),
        conversation_id: "c0".into(),
        direction: if incoming { Direction::Incoming } else { Direction::Outgoing },
        private: false,
        author: None,
        text: "hi".into(),
        status: DeliveryStatus::Sent,
        error: None,
        created_at: Some(Utc::now()),
    }
}

/// Types `text` at the end of the composer's text (as the editing widget reports it).
fn type_text(s: &mut AppState, text: &str) -> Vec<Effect> {
    let mut now = s.compose.open.as_ref().map(|c| c.text()).unwrap_or_default();
    now.push_str(text);
    update(s, Msg::ComposerText(now))
}

#[test]
fn opening_marks_read_and_replies_are_sent_once_with_a_stable_key() {
    let mut s = inbox(View::All);
    s.requests.nonce = "run1".into();
    let effects = act(&mut s, Action::Open);
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { request: Request::MarkRead(id), .. } if id == "c0")));
    assert_eq!(s.list.items[0].unread_count, 0, "the unread marker goes at once");
    s.thread = None;
    thread_with(&mut s, vec![msg("m1", true)]);
    act(&mut s, Action::Reply);
    let saves = type_text(&mut s, "Hello\nthere");
    assert!(saves.contains(&Effect::SaveDraftSoon), "typing asks for the draft to be saved");
    assert_eq!(s.compose.open.as_ref().unwrap().text(), "Hello\nthere", "Enter is a new line");
    let effects = act(&mut s, Action::Send);
    assert_eq!(effects[0], Effect::SaveNow, "the draft is on disk before the send goes out");
    let w = writes(&effects);
    let (id, Request::Send { message, .. }) = &w[0] else { panic!() };
    assert_eq!(message.text, "Hello\nthere");
    assert!(message.idempotency_key.starts_with("run1-"));
    assert!(act(&mut s, Action::Send).is_empty(), "a second Ctrl-S while sending sends nothing");
    let sent = Message { text: "Hello\nthere".into(), ..msg("m2", false) };
    let effects = reply(&mut s, *id, Ok(Reply::Sent(Box::new(sent))));
    assert_eq!(
        effects,
        vec![Effect::ClearDraft("c0".into(), MessageKind::Reply)],
        "the draft goes only once the server confirmed"
    );
    assert!(s.compose.open.is_none());
    assert_eq!(s.status.notice.as_deref(), Some("Reply sent"));
}

#[test]
fn a_failed_send_keeps_the_text_and_the_key_and_says_why() {
    let mut s = inbox(View::All);
    thread_with(&mut s, vec![msg("m1", true)]);
    act(&mut s, Action::Note);
    type_text(&mut s, "internal");
    let w = writes(&act(&mut s, Action::Send));
    let (id, Request::Send { message: first, .. }) = &w[0] else { panic!() };
    assert!(first.private);
    let refused = BackendError::Network(tinbox_core::protocol::error::NOT_CONNECTED.into());
    let effects = reply(&mut s, *id, Err(refused));
    assert!(!effects.iter().any(|e| matches!(e, Effect::ClearDraft(..))));
    let c = s.compose.open.as_ref().unwrap();
    assert_eq!(c.text(), "internal");
    assert!(c.error.as_ref().unwrap().contains("Not sent: cannot reach the server"), "{:?}", c.error);
    let w = writes(&act(&mut s, Action::Send));
    let (_, Request::Send { message: again, .. }) = &w[0] else { panic!() };
    assert_eq!(again.idempotency_key, first.idempotency_key, "a retry of the same text can never duplicate it");
}

#[test]
fn a_newer_customer_message_is_shown_and_must_be_confirmed() {
    let mut s = inbox(View::All);
    thread_with(&mut s, vec![msg("m1", true)]);
    act(&mut s, Action::Reply);
    type_text(&mut s, "Sure");
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::MessageCreated(Box::new(msg("m9", true))))));
    assert!(writes(&act(&mut s, Action::Send)).is_empty(), "not sent yet");
    assert_eq!(s.input_mode(), InputMode::Confirm);
    // n: back to editing; the new message now counts as seen, so the next Ctrl-S sends.
    act(&mut s, Action::No);
    assert_eq!(s.input_mode(), InputMode::Composer);
    assert_eq!(writes(&act(&mut s, Action::Send)).len(), 1);
    // And y sends at once.
    let mut s = inbox(View::All);
    thread_with(&mut s, vec![msg("m1", true)]);
    act(&mut s, Action::Reply);
    type_text(&mut s, "Sure");
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::MessageCreated(Box::new(msg("m9", true))))));
    act(&mut s, Action::Send);
    assert_eq!(writes(&act(&mut s, Action::Yes)).len(), 1);
}

#[test]
fn esc_keeps_the_draft_and_reply_brings_it_back() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Reply);
    type_text(&mut s, "later");
    let effects = act(&mut s, Action::Back);
    assert!(matches!(&effects[..], [Effect::SaveDraft(d)] if d.text == "later" && d.conversation_id == "c0"));
    assert!(s.compose.open.is_none());
    act(&mut s, Action::Reply);
    assert_eq!(s.compose.open.as_ref().unwrap().text(), "later");
    let effects = act(&mut s, Action::Quit);
    assert_eq!(effects, vec![Effect::SaveNow, Effect::Quit], "quitting from the composer saves first");
}

fn notes(n: usize) -> Vec<Notification> {
    (0..n)
        .map(|i| Notification {
            id: format!("n{i}").into(),
            kind: NotificationKind::Assigned,
            title: format!("t{i}").into(),
            body: String::new().into(),
            conversation_id: Some(format!("c{i}").into()),
            contact_id: None,
            actor: None,
            is_read: false,
            created_at: None,
        })
        .collect()
}

#[test]
fn notification_keys_mark_read_dismiss_and_dismiss_all_after_asking() {
    let mut s = inbox(View::All);
    s.notifications.items = notes(3);
    s.focus = Pane::Notifications;
    let effects = act(&mut s, Action::MarkRead);
    assert!(
        matches!(&effects[..], [Effect::Send { request: Request::MarkNotificationsRead(ids), .. }] if ids == &["n0"])
    );
    assert_eq!(s.unread_notifications(), 2);
    act(&mut s, Action::Down);
    let effects = act(&mut s, Action::Dismiss);
    assert!(matches!(&effects[..], [Effect::Send { request: Request::DismissNotification(id), .. }] if id == "n1"));
    assert_eq!(s.notifications.items.len(), 2);
    act(&mut s, Action::MarkAllRead);
    assert_eq!(s.unread_notifications(), 0);
    assert!(act(&mut s, Action::DismissAll).is_empty(), "asks first");
    assert_eq!(s.input_mode(), InputMode::Confirm);
    act(&mut s, Action::No);
    assert_eq!(s.notifications.items.len(), 2, "n keeps them");
    act(&mut s, Action::DismissAll);
    let effects = act(&mut s, Action::Yes);
    assert!(matches!(&effects[..], [Effect::Send { request: Request::DismissAllNotifications, .. }]));
    assert!(s.notifications.items.is_empty());
}

#[test]
fn a_refused_notification_action_reloads_the_truth() {
    let mut s = inbox(View::All);
    s.notifications.items = notes(2);
    s.focus = Pane::Notifications;
    let effects = act(&mut s, Action::Dismiss);
    let Effect::Send { id, .. } = &effects[0] else { panic!() };
    let effects = reply(&mut s, *id, Err(BackendError::Forbidden("no".into())));
    assert!(matches!(&effects[..], [Effect::Send { request: Request::Notifications(_), .. }]));
    assert!(s.status.error.as_ref().unwrap().starts_with("Notifications:"));
}

#[test]
fn counts_refresh_after_a_confirmed_change() {
    let mut s = inbox(View::All);
    let w = writes(&act(&mut s, Action::AssignMe));
    let c = server_answer(&conv("c0", 0), &w[0].1, &s.account.agents.clone());
    let effects = reply(&mut s, w[0].0, Ok(Reply::Conversation(Box::new(c))));
    let counts = effects
        .iter()
        .filter(|e| matches!(e, Effect::Send { request: Request::Conversations { query, .. }, .. } if query.limit == 1))
        .count();
    assert_eq!(counts, 3);
}

#[test]
fn scrolling_to_the_top_of_a_thread_loads_older_messages_once() {
    let mut s = inbox(View::All);
    let effects = act(&mut s, Action::Open);
    let id = effects.iter().find_map(|e| match e {
        Effect::Send { id, request: Request::Messages(_, p), .. } if p.page == 1 => Some(*id),
        _ => None,
    });
    let newest: Vec<Message> = (50..52).rev().map(|i| msg(&format!("m{i}"), i % 2 == 0)).collect();
    let page = Page { items: newest, total: 52, page: 1, limit: 2, total_pages: 26, skipped: 0 };
    reply(&mut s, id.unwrap(), Ok(Reply::Messages { conversation_id: "c0".into(), page }));
    let effects = act(&mut s, Action::Up);
    let older: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { id, request: Request::EarlierMessages(_, e), .. } => Some((*id, e.page.page)),
            _ => None,
        })
        .collect();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].1, 2);
    assert!(act(&mut s, Action::Up).is_empty(), "one older page at a time");
    let page = Page {
        items: vec![msg("m49", true), msg("m48", false)],
        total: 52,
        page: 2,
        limit: 2,
        total_pages: 26,
        skipped: 0,
    };
    reply(&mut s, older[0].0, Ok(Reply::Messages { conversation_id: "c0".into(), page }));
    let t = s.thread.as_ref().unwrap();
    let ids: Vec<&str> = t.messages.ready().unwrap().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m48", "m49", "m50", "m51"], "older on top, oldest first");
    assert!(!s.awaits(|p| matches!(p, Purpose::OlderMessages(_))) && t.has_more);
}

#[test]
fn a_long_thread_is_wrapped_once_to_the_pane_and_again_only_when_it_changes() {
    let mut s = inbox(View::All);
    update(&mut s, Msg::Resize(80, 24));
    let effects = act(&mut s, Action::Open);
    let id = effects.iter().find_map(|e| match e {
        Effect::Send { id, request: Request::Messages(_, p), .. } if p.page == 1 => Some(*id),
        _ => None,
    });
    let long = |i: usize| Message { text: "word ".repeat(200).as_str().into(), ..msg(&format!("m{i}"), true) };
    let page =
        Page { items: (0..3).rev().map(long).collect(), total: 3, page: 1, limit: 100, total_pages: 1, skipped: 0 };
    reply(&mut s, id.unwrap(), Ok(Reply::Messages { conversation_id: "c0".into(), page }));
    // 80 columns: 78 inside the pane, 76 of text after the indent; 200 five-letter words take 14 lines each.
    let t = s.thread.as_ref().unwrap();
    assert_eq!(t.layout.total(), 3 * (14 + 2));
    assert!(t.layout.fits(t.messages.ready().unwrap(), 78));
    // Scrolling is bounded by the laid-out lines: 48 less the 20 rows the pane shows under its header line.
    for _ in 0..100 {
        act(&mut s, Action::Up);
    }
    assert_eq!(s.thread.as_ref().unwrap().scroll, 48 - 20);
    // A live message is laid out as it arrives; a resize wraps everything to the new width.
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::MessageCreated(Box::new(msg("m9", true))))));
    assert_eq!(s.thread.as_ref().unwrap().layout.total(), 48 + 3);
    update(&mut s, Msg::Resize(200, 50));
    let t = s.thread.as_ref().unwrap();
    assert!(t.layout.fits(t.messages.ready().unwrap(), 118));
    assert!(t.layout.total() < 48, "wider pane, fewer lines: {}", t.layout.total());
}
