//! The palette runs what keys run (and what they cannot: arguments), a change on many is shown and asked
//! first, `U` takes the last change set back, `y` copies, and alerts call back an agent who looks away.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::sample::{act, agent, conv, inbox, reply, sent};
use chrono::TimeDelta;
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::*;

fn typed(s: &mut AppState, line: &str) -> Vec<Effect> {
    act(s, Action::Palette);
    let mut effects = Vec::new();
    for c in line.chars() {
        effects.extend(act(s, Action::SearchInput(c)));
    }
    effects
}

fn run(s: &mut AppState, line: &str) -> Vec<Effect> {
    let mut effects = typed(s, line);
    effects.extend(act(s, Action::Open));
    effects
}

fn writes(effects: &[Effect]) -> Vec<Request> {
    sent(effects).into_iter().map(|(_, r)| r).filter(Request::is_write).collect()
}

fn labelled() -> AppState {
    let mut s = inbox(View::All);
    s.account.labels =
        ["billing", "vip", "urgent"].map(|n| Label { name: n.into(), color: ColorRole::Default }).to_vec();
    s
}

#[test]
fn a_command_with_arguments_does_what_its_key_would() {
    let mut s = labelled();
    let effects = run(&mut s, "assign br");
    assert!(s.overlays.palette.is_none(), "ran and closed");
    let w = writes(&effects);
    assert!(
        matches!(&w[..], [Request::Assign { conversation_id, agent_id: Some(a) }] if conversation_id == "c0" && a == "agt_bruno"),
        "{w:?}"
    );
    let w = writes(&run(&mut s, "label +vip -billing"));
    assert!(matches!(&w[..], [Request::Update { update: Update::Labels(l), .. }] if *l == ["vip"]), "{w:?}");
    let w = writes(&run(&mut s, "priority high"));
    assert!(matches!(&w[..], [Request::Update { update: Update::Priority(Priority::High), .. }]), "{w:?}");
    assert_eq!(s.overlays.history, ["assign br", "label +vip -billing", "priority high"]);
}

#[test]
fn a_name_typed_in_part_runs_the_best_match_and_tab_completes() {
    let mut s = labelled();
    typed(&mut s, "clos");
    let p = s.overlays.palette.as_ref().unwrap();
    assert_eq!(p.shown[0].text, "close", "{:?}", p.shown);
    let w = writes(&act(&mut s, Action::Open));
    assert!(matches!(&w[..], [Request::Update { update: Update::Status(ConvStatus::Closed), .. }]), "{w:?}");

    // A command that needs arguments gets its space instead of running; Tab completes a label.
    typed(&mut s, "lab");
    act(&mut s, Action::Open);
    assert_eq!(s.overlays.palette.as_ref().unwrap().input, "label ");
    for c in "+v".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    act(&mut s, Action::Toggle);
    assert_eq!(s.overlays.palette.as_ref().unwrap().input, "label +vip ");
    act(&mut s, Action::Back);
    // Agents complete by first name.
    typed(&mut s, "assign ch");
    act(&mut s, Action::Toggle);
    assert_eq!(s.overlays.palette.as_ref().unwrap().input, "assign chloé");
}

#[test]
fn a_wrong_line_stays_open_and_says_why() {
    let mut s = labelled();
    s.account.agents.push(agent("agt_bruna", "Bruna Costa"));
    for (line, why) in [
        ("assign zed", "No agent called"),
        ("assign bru", "type more of the name"),
        ("status pending", "No status"),
        ("label +gold", "No label"),
        ("filter colour=red", "Cannot filter by"),
        ("sort sideways", "No sort"),
    ] {
        let effects = run(&mut s, line);
        let p = s.overlays.palette.as_ref().unwrap_or_else(|| panic!("{line} closed the palette"));
        assert!(p.error.as_deref().is_some_and(|e| e.contains(why)), "{line}: {:?}", p.error);
        assert!(writes(&effects).is_empty(), "{line} sent something");
        act(&mut s, Action::Back);
    }
}

#[test]
fn filters_from_the_palette_reach_the_query_and_the_history_comes_back() {
    let mut s = labelled();
    let effects = run(&mut s, "filter channel=sms label=billing status=any");
    assert_eq!(s.list.filters.channel, Some(Channel::Sms));
    assert_eq!(s.list.filters.label.as_deref(), Some("billing"));
    assert_eq!(s.list.filters.status, None);
    let query = sent(&effects).into_iter().find_map(|(_, r)| match r {
        Request::Conversations { query, .. } if query.limit > 1 => Some(query),
        _ => None,
    });
    let q = query.expect("the list reloads");
    assert_eq!((q.channel.as_deref(), q.label.as_deref(), q.status), (Some("sms"), Some("billing"), None));
    assert!(filters_label(&s.list.filters, true).contains("channel: sms · label: billing"));
    run(&mut s, "view mine");
    assert_eq!(s.list.filters.view, View::Mine);
    // ↑ on an empty line: the last line run, then the one before.
    act(&mut s, Action::Palette);
    act(&mut s, Action::Up);
    assert_eq!(s.overlays.palette.as_ref().unwrap().input, "view mine");
    act(&mut s, Action::Up);
    assert_eq!(s.overlays.palette.as_ref().unwrap().input, "filter channel=sms label=billing status=any");
    // `f` and `F` cycle the same filters.
    act(&mut s, Action::Back);
    act(&mut s, Action::CycleChannel);
    assert_eq!(s.list.filters.channel, Some(Channel::Email));
    act(&mut s, Action::CycleLabel);
    assert_eq!(s.list.filters.label.as_deref(), Some("vip"));
}

#[test]
fn five_or_more_are_shown_and_asked_first_fewer_go_at_once() {
    let mut s = labelled();
    act(&mut s, Action::MarkAll);
    let effects = act(&mut s, Action::Archive);
    assert!(writes(&effects).is_empty(), "nothing is sent before the answer");
    let q = s.overlays.confirm.as_ref().expect("asked first");
    assert!(q.question.starts_with("Archive 5 conversations: Name c0, Name c1, Name c2 and 2 more?"), "{}", q.question);
    assert!(writes(&act(&mut s, Action::No)).is_empty());
    assert!(s.list.items.iter().all(|c| c.status == ConvStatus::Open), "no is nothing");
    act(&mut s, Action::MarkAll);
    act(&mut s, Action::Archive);
    assert_eq!(writes(&act(&mut s, Action::Yes)).len(), 5);

    let mut s = labelled();
    s.list.items.truncate(4);
    act(&mut s, Action::MarkAll);
    assert_eq!(writes(&act(&mut s, Action::Close)).len(), 4, "four go at once");
    assert!(s.overlays.confirm.is_none());
}

/// Answers every write in `effects` as the server would (the conversation with the change made).
fn confirm_all(s: &mut AppState, effects: &[Effect]) {
    for (id, r) in sent(effects).into_iter().filter(|(_, r)| r.is_write()) {
        let Some(Purpose::Change { before, change }) = s.purpose_of(id).cloned() else { continue };
        let mut after = *before;
        change.apply(&mut after);
        let _ = r;
        reply(s, id, Ok(Reply::Conversation(Box::new(after))));
    }
}

#[test]
fn undo_sends_the_inverse_changes_once_within_a_minute() {
    let mut s = labelled();
    s.list.items[0].assignee = Some(PersonRef { id: "agt_chloe".into(), name: "Chloé Dubois".into() });
    let effects = run(&mut s, "assign bruno");
    confirm_all(&mut s, &effects);
    let w = writes(&act(&mut s, Action::Undo));
    assert!(
        matches!(&w[..], [Request::Assign { agent_id: Some(a), .. }] if a == "agt_chloe"),
        "back to Chloé, not to nobody: {w:?}"
    );
    act(&mut s, Action::Undo);
    assert_eq!(s.status.error.as_deref(), Some("Nothing to undo"), "an undo is not undone");

    // Labels: only what the change did is taken back.
    let mut s = labelled();
    let effects = run(&mut s, "label +vip -billing");
    confirm_all(&mut s, &effects);
    let w = writes(&act(&mut s, Action::Undo));
    assert!(matches!(&w[..], [Request::Update { update: Update::Labels(l), .. }] if *l == ["billing"]), "{w:?}");

    // Bulk: asked first, like any change on five.
    let mut s = labelled();
    act(&mut s, Action::MarkAll);
    act(&mut s, Action::Close);
    let effects = act(&mut s, Action::Yes);
    confirm_all(&mut s, &effects);
    assert!(writes(&act(&mut s, Action::Undo)).is_empty());
    assert!(s.overlays.confirm.as_ref().unwrap().question.starts_with("Undo the last change on 5 conversations"));
    let w = writes(&act(&mut s, Action::Yes));
    assert_eq!(w.len(), 5);
    assert!(w.iter().all(|r| matches!(r, Request::Update { update: Update::Status(ConvStatus::Open), .. })));

    // Too late after a minute.
    let mut s = labelled();
    let effects = act(&mut s, Action::Close);
    confirm_all(&mut s, &effects);
    s.now += TimeDelta::seconds(61);
    assert!(writes(&act(&mut s, Action::Undo)).is_empty());
    assert!(s.status.error.as_deref().unwrap().contains("Too late"));
}

#[test]
fn a_refused_change_is_not_undone_and_a_sent_message_says_it_cannot_be() {
    let mut s = labelled();
    let effects = act(&mut s, Action::Close);
    let (id, _) = sent(&effects).into_iter().find(|(_, r)| r.is_write()).unwrap();
    reply(&mut s, id, Err(BackendError::Forbidden("no".into())));
    assert!(writes(&act(&mut s, Action::Undo)).is_empty());
    assert!(s.status.error.as_deref().unwrap().contains("refused"), "{:?}", s.status.error);

    let mut s = labelled();
    act(&mut s, Action::Open);
    act(&mut s, Action::Reply);
    update(&mut s, Msg::ComposerText("Hello".into()));
    let effects = act(&mut s, Action::Send);
    let (id, _) = sent(&effects).into_iter().find(|(_, r)| matches!(r, Request::Send { .. })).unwrap();
    let message = Message {
        id: "m1".into(),
        conversation_id: "c0".into(),
        direction: Direction::Outgoing,
        private: false,
        author: None,
        text: "Hello".into(),
        status: DeliveryStatus::Sent,
        error: None,
        created_at: None,
    };
    reply(&mut s, id, Ok(Reply::Sent(Box::new(message))));
    act(&mut s, Action::Undo);
    assert!(s.status.error.as_deref().unwrap().contains("cannot be undone"), "{:?}", s.status.error);
}

#[test]
fn y_copies_what_is_focused_and_says_what() {
    let mut s = inbox(View::All);
    assert_eq!(act(&mut s, Action::Copy), [Effect::Copy("c0".into())]);
    assert!(s.status.notice.as_deref().unwrap().contains("Copied conversation id"));
    s.list.items[0].contact.phone = Some("+351912345678".into());
    s.focus = Pane::Contact;
    assert_eq!(act(&mut s, Action::Copy), [Effect::Copy("+351912345678".into())]);
}

#[test]
fn alerts_for_an_assignment_by_someone_else_and_a_customer_writing_while_away() {
    let mut s = inbox(View::All);
    let mut c = conv("c2", 2);
    c.assignee = Some(PersonRef { id: "agt_alice".into(), name: "Alice Martin".into() });
    let effects = update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(c.clone())))));
    assert!(effects.contains(&Effect::Alert("Assigned to you: Name c2".into())), "{effects:?}");
    // Already mine: no second alert.
    let effects = update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(c)))));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Alert(_))));
    // Taken with `n`: the server's event may come before its answer, and it is still my own doing.
    act(&mut s, Action::TakeNext);
    let mut taken = conv("c3", 3);
    taken.assignee = Some(PersonRef { id: "agt_alice".into(), name: "Alice Martin".into() });
    let effects = update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(taken)))));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Alert(_))), "{effects:?}");

    let message = Message {
        id: "m9".into(),
        conversation_id: "c2".into(),
        direction: Direction::Incoming,
        private: false,
        author: None,
        text: "Any news?".into(),
        status: DeliveryStatus::Delivered,
        error: None,
        created_at: None,
    };
    let event = || Msg::Worker(WorkerEvent::Event(LiveEvent::MessageCreated(Box::new(message.clone()))));
    assert!(!update(&mut s, event()).iter().any(|e| matches!(e, Effect::Alert(_))), "the agent is looking");
    update(&mut s, Msg::Focus(false));
    assert!(update(&mut s, event()).contains(&Effect::Alert("Name c2 wrote: Any news?".into())));
}

/// A dry run may wait while the server changes a row: `U` puts back what was there when the change was made.
#[test]
fn undo_restores_what_the_change_replaced_not_what_the_question_saw() {
    let mut s = labelled();
    act(&mut s, Action::MarkAll);
    run(&mut s, "priority high");
    assert!(s.overlays.confirm.is_some(), "five: asked first");
    let mut moved = s.list.items[0].clone();
    moved.priority = Priority::Low;
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(moved)))));
    let effects = act(&mut s, Action::Yes);
    confirm_all(&mut s, &effects);
    let effects = act(&mut s, Action::Undo);
    let effects = if s.overlays.confirm.is_some() { act(&mut s, Action::Yes) } else { effects };
    let back: Vec<(String, Priority)> = sent(&effects)
        .into_iter()
        .filter_map(|(_, r)| match r {
            Request::Update { conversation_id, update: Update::Priority(p) } => Some((conversation_id.to_string(), p)),
            _ => None,
        })
        .collect();
    assert_eq!(back.len(), 5, "{back:?}");
    assert!(back.contains(&("c0".to_string(), Priority::Low)), "c0 was low when it was made high: {back:?}");
    assert!(back.iter().filter(|(id, _)| id != "c0").all(|(_, p)| *p == Priority::Medium), "{back:?}");
}
