//! update() for what an agent must be able to trust: nothing goes to the wrong place, the screen says what
//! the server holds, and what is unknown is said as unknown (issue 10, part 2).

use crate::sample;

use chrono::Utc;
use sample::{act, agent, conv, inbox, reply, sent};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::BackendError;
use tinbox_core::protocol::*;

fn find(effects: &[Effect], f: impl Fn(&Request) -> bool) -> Option<(u64, Request)> {
    sent(effects).into_iter().find(|(_, r)| f(r))
}

/// Types `text` at the end of the composer's text (as the editing widget reports it).
fn type_text(s: &mut AppState, text: &str) -> Vec<Effect> {
    let mut now = s.compose.open.as_ref().map(|c| c.text()).unwrap_or_default();
    now.push_str(text);
    update(s, Msg::ComposerText(now))
}

fn msg(id: &str, direction: Direction, author: Option<(&str, &str)>, text: &str) -> Message {
    Message {
        id: id.into(),
        conversation_id: "c0".into(),
        direction,
        private: false,
        author: author.map(|(id, name)| PersonRef { id: id.into(), name: name.into() }),
        text: text.into(),
        status: DeliveryStatus::Sent,
        error: None,
        created_at: Some(Utc::now()),
    }
}

fn page<T>(items: Vec<T>) -> Page<T> {
    Page { total: items.len() as u64, items, page: 1, limit: 100, total_pages: 1, skipped: 0 }
}

/// Opens the selected conversation's thread with `messages` (oldest first) loaded.
fn open_with(s: &mut AppState, messages: Vec<Message>) -> Vec<Effect> {
    let effects = act(s, Action::Open);
    let (id, _) = find(&effects, |r| matches!(r, Request::Messages(..))).unwrap();
    let mut newest_first = messages;
    newest_first.reverse();
    reply(s, id, Ok(Reply::Messages { conversation_id: "c0".into(), page: page(newest_first) }));
    effects
}

#[test]
fn a_note_never_becomes_a_reply() {
    let mut s = inbox(View::All);
    open_with(&mut s, vec![msg("m1", Direction::Incoming, None, "hi")]);
    act(&mut s, Action::Note);
    type_text(&mut s, "internal: approve refund");
    // Esc, then R: the note is put away as a note, and the reply starts empty.
    let effects = act(&mut s, Action::Back);
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveDraft(d) if d.kind == MessageKind::Note)));
    assert_eq!(s.status.notice.as_deref(), Some("Draft kept — P brings it back"));
    act(&mut s, Action::Reply);
    let c = s.compose.open.as_ref().unwrap();
    assert_eq!(c.kind, MessageKind::Reply);
    assert_eq!(c.text(), "", "R never opens a note's text");
    type_text(&mut s, "Your refund is approved");
    act(&mut s, Action::Back);
    // P brings the note back, R the reply: each its own.
    act(&mut s, Action::Note);
    assert_eq!(s.compose.open.as_ref().unwrap().text(), "internal: approve refund");
    let sent_note = sent(&act(&mut s, Action::Send));
    let (_, Request::Send { message, .. }) = &sent_note[0] else { panic!() };
    assert!(message.private, "the note goes out as a note");
    let mut s2 = inbox(View::All);
    s2.compose.drafts = s.compose.drafts.clone();
    open_with(&mut s2, vec![]);
    act(&mut s2, Action::Reply);
    assert_eq!(s2.compose.open.as_ref().unwrap().text(), "Your refund is approved");
    let sent_reply = sent(&act(&mut s2, Action::Send));
    let (_, Request::Send { message, .. }) = &sent_reply[0] else { panic!() };
    assert!(!message.private, "the reply goes out as a reply");
}

#[test]
fn the_panels_and_contact_actions_follow_the_open_thread() {
    let mut s = inbox(View::Unassigned);
    // A thread opened from a notification, about a conversation the list does not hold.
    s.notifications.items = vec![Notification {
        id: "n1".into(),
        kind: NotificationKind::Assigned,
        title: "Assigned".into(),
        body: String::new().into(),
        contact_id: None,
        conversation_id: Some("elsewhere".into()),
        actor: None,
        is_read: false,
        created_at: Some(Utc::now()),
    }];
    s.focus = Pane::Notifications;
    let effects = act(&mut s, Action::Open);
    let (id, _) = find(&effects, |r| matches!(r, Request::Conversation(c) if c == "elsewhere")).unwrap();
    let effects = reply(&mut s, id, Ok(Reply::Conversation(Box::new(conv("elsewhere", 3)))));
    // The panels load the thread's contact at once, not the selected row's.
    assert_eq!(s.detail.contact_id.as_deref(), Some("cnt_elsewhere"));
    assert!(
        find(&effects, |r| matches!(r, Request::Detail { contact_id, .. } if contact_id == "cnt_elsewhere")).is_some()
    );
    s.focus = Pane::Contact;
    act(&mut s, Action::EditContact);
    assert_eq!(s.overlays.form.as_ref().unwrap().kind, FormKind::EditContact("cnt_elsewhere".into()));
    act(&mut s, Action::Back);
    act(&mut s, Action::Back);
    assert!(s.thread.is_none());
    assert_eq!(s.detail.contact_id.as_deref(), Some("cnt_c0"), "back on the list, the panels follow the selection");

    // Act and advance with a thread open: the list moves on, the panels stay with the open thread.
    let mut s = inbox(View::Unassigned);
    open_with(&mut s, vec![]);
    act(&mut s, Action::AssignMe);
    assert_eq!(s.list.selected().unwrap().id, "c1", "c0 left Unassigned and the selection moved on");
    assert_eq!(s.thread.as_ref().unwrap().conversation_id, "c0");
    assert_eq!(s.detail.contact_id.as_deref(), Some("cnt_c0"), "the panels still show the open thread's contact");
    s.focus = Pane::Contact;
    act(&mut s, Action::Comment);
    assert_eq!(s.overlays.form.as_ref().unwrap().kind, FormKind::Comment("cnt_c0".into()));
}

#[test]
fn a_lost_answer_is_said_as_unknown_and_the_thread_is_read_before_any_resend() {
    let mut s = inbox(View::All);
    s.requests.nonce = "run".into();
    open_with(&mut s, vec![msg("m1", Direction::Incoming, None, "hi")]);
    act(&mut s, Action::Reply);
    type_text(&mut s, "On its way");
    let (id, first) = sent(&act(&mut s, Action::Send))[0].clone();
    let Request::Send { message: first, .. } = first else { panic!() };
    let effects = reply(&mut s, id, Err(BackendError::Network("the connection dropped".into())));
    let c = s.compose.open.as_ref().unwrap();
    let said = c.error.clone().unwrap();
    assert!(said.contains("may have been sent"), "{said}");
    assert!(!said.contains("Not sent") && !said.contains("nothing was changed"), "{said}");
    assert_ne!(s.status.notice.as_deref(), Some("Reply sent"));
    let (reload, _) =
        find(&effects, |r| matches!(r, Request::Messages(c, _) if c == "c0")).expect("the thread is read");
    // Before the thread is back, Ctrl-S sends nothing.
    assert!(sent(&act(&mut s, Action::Send)).is_empty());
    // The thread does not show it (the same words sent yesterday are another message): the same text goes
    // again under the same key (it cannot arrive twice).
    let mut yesterday = msg("m0", Direction::Outgoing, Some(("agt_alice", "Alice Martin")), "On its way");
    yesterday.created_at = Some(Utc::now() - chrono::TimeDelta::days(1));
    let thread = page(vec![msg("m1", Direction::Incoming, None, "hi"), yesterday]);
    reply(&mut s, reload, Ok(Reply::Messages { conversation_id: "c0".into(), page: thread }));
    assert!(s.compose.open.as_ref().unwrap().error.as_ref().unwrap().contains("does not show it"));
    // The agent changes the text after seeing the thread: a new message, under a new key.
    type_text(&mut s, "!");
    let (_, again) = sent(&act(&mut s, Action::Send))[0].clone();
    let Request::Send { message: again, .. } = again else { panic!() };
    assert_eq!(again.text, "On its way!");
    assert_ne!(again.idempotency_key, first.idempotency_key, "changed text is a new message");
}

#[test]
fn a_lost_answer_found_in_the_thread_is_done() {
    let mut s = inbox(View::All);
    open_with(&mut s, vec![]);
    act(&mut s, Action::Reply);
    type_text(&mut s, "Done deal");
    let (id, _) = sent(&act(&mut s, Action::Send))[0].clone();
    let effects = reply(&mut s, id, Err(BackendError::Server { status: 502, message: "bad gateway".into() }));
    let (reload, _) = find(&effects, |r| matches!(r, Request::Messages(..))).unwrap();
    let mine = msg("m7", Direction::Outgoing, Some(("agt_alice", "Alice Martin")), "Done deal");
    let effects = reply(&mut s, reload, Ok(Reply::Messages { conversation_id: "c0".into(), page: page(vec![mine]) }));
    assert!(s.compose.open.is_none(), "it did arrive: nothing to resend");
    assert!(effects.contains(&Effect::ClearDraft("c0".into(), MessageKind::Reply)));
}

#[test]
fn a_colleagues_reply_since_the_composer_opened_must_be_confirmed() {
    let mut s = inbox(View::All);
    open_with(&mut s, vec![msg("m1", Direction::Incoming, None, "hi")]);
    act(&mut s, Action::Reply);
    type_text(&mut s, "Let me check");
    let colleague = msg("m2", Direction::Outgoing, Some(("agt_bruno", "Bruno Silva")), "Already refunded!");
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::MessageCreated(Box::new(colleague)))));
    assert!(sent(&act(&mut s, Action::Send)).is_empty(), "not sent yet");
    assert_eq!(s.compose.open.as_ref().unwrap().confirm_newer.as_deref(), Some("Bruno Silva replied"));
    assert_eq!(s.input_mode(), InputMode::Confirm);
    let effects = act(&mut s, Action::Yes);
    assert!(find(&effects, |r| matches!(r, Request::Send { .. })).is_some(), "y sends");
    // My own earlier reply is no collision.
    let mut s = inbox(View::All);
    open_with(&mut s, vec![msg("m1", Direction::Incoming, None, "hi")]);
    act(&mut s, Action::Reply);
    type_text(&mut s, "And one more thing");
    let mine = msg("m3", Direction::Outgoing, Some(("agt_alice", "Alice Martin")), "First part");
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::MessageCreated(Box::new(mine)))));
    assert!(find(&act(&mut s, Action::Send), |r| matches!(r, Request::Send { .. })).is_some());
}

#[test]
fn a_picker_opened_before_its_list_loaded_says_so_and_works_once_it_arrives() {
    let mut s = inbox(View::Unassigned);
    s.account.agents.clear();
    let effects = act(&mut s, Action::Assign);
    let (agents_id, _) = find(&effects, |r| *r == Request::Agents).expect("the agents are asked for");
    assert!(s.overlays.picker.as_ref().unwrap().loading);
    for c in "bruno".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    let effects = act(&mut s, Action::Open);
    assert!(sent(&effects).is_empty(), "Enter before the agents arrived assigns nobody");
    let p = s.overlays.picker.as_ref().expect("and the picker stays open");
    assert!(p.error.as_ref().unwrap().contains("Still loading the agents"));
    let agents = vec![agent("agt_alice", "Alice Martin"), agent("agt_bruno", "Bruno Silva")];
    reply(&mut s, agents_id, Ok(Reply::Agents(agents)));
    let p = s.overlays.picker.as_ref().unwrap();
    assert!(!p.loading);
    assert_eq!(p.current().unwrap().label, "Bruno Silva", "the typed filter applies to what arrived");
    let effects = act(&mut s, Action::Open);
    assert!(find(&effects, |r| matches!(r, Request::Assign { agent_id: Some(a), .. } if a == "agt_bruno")).is_some());
}

#[test]
fn the_assign_picker_starts_on_the_assignee_or_the_first_agent_never_on_nobody() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Assign);
    assert_eq!(s.overlays.picker.as_ref().unwrap().current().unwrap().label, "Alice Martin (you)");
    act(&mut s, Action::Back);
    s.list.items[0].assignee = Some(PersonRef { id: "agt_chloe".into(), name: "Chloé Dubois".into() });
    act(&mut s, Action::Assign);
    assert_eq!(s.overlays.picker.as_ref().unwrap().current().unwrap().label, "Chloé Dubois");
}

#[test]
fn after_an_assignment_the_contact_is_read_again() {
    let mut s = inbox(View::All);
    s.detail.contact_id = Some("cnt_c0".into());
    s.detail.conversation_id = Some("c0".into());
    s.detail.contact = Load::Ready(Contact { id: "cnt_c0".into(), name: "Name c0".into(), ..Default::default() });
    let (id, request) = sent(&act(&mut s, Action::AssignMe))[0].clone();
    let Request::Assign { .. } = request else { panic!() };
    let mut after = conv("c0", 0);
    after.assignee = Some(PersonRef { id: "agt_alice".into(), name: "Alice Martin".into() });
    let effects = reply(&mut s, id, Ok(Reply::Conversation(Box::new(after))));
    let (cid, _) = find(&effects, |r| matches!(r, Request::Contact(c) if c == "cnt_c0")).expect("re-read");
    assert!(s.detail.contact.ready().is_some(), "the panel keeps what it shows until the answer");
    let fresh = Contact { id: "cnt_c0".into(), assigned_to: Some("agt_alice".into()), ..Default::default() };
    reply(&mut s, cid, Ok(Reply::Contact(Box::new(fresh))));
    assert_eq!(s.detail.contact.ready().unwrap().assigned_to.as_deref(), Some("agt_alice"));
}

#[test]
fn notices_fade_and_the_status_line_never_says_two_things() {
    let mut s = inbox(View::All);
    let (id, _) = sent(&act(&mut s, Action::Close))[0].clone();
    assert_eq!(s.status.notice.as_deref(), Some("Closing — Name c0…"), "said at once");
    let mut closed = conv("c0", 0);
    closed.status = ConvStatus::Closed;
    reply(&mut s, id, Ok(Reply::Conversation(Box::new(closed))));
    assert_eq!(s.status.notice.as_deref(), Some("Closed — Name c0"));
    let later = s.now + NOTICE_FOR;
    update(&mut s, Msg::Tick(later));
    assert_eq!(s.status.notice, None, "a confirmation fades after a few seconds");
    // At the next action too.
    s.tell("Assigned");
    act(&mut s, Action::Down);
    assert_eq!(s.status.notice, None);
    // An error replaces a confirmation, and a confirmation replaces an action's error.
    s.tell("Assigned");
    s.set_error("Could not close");
    assert_eq!((s.status.notice.as_deref(), s.status.error.as_deref()), (None, Some("Could not close")));
    s.tell("Reopened");
    assert_eq!((s.status.notice.as_deref(), s.status.error.as_deref()), (Some("Reopened"), None));
    // A standing error (the connection) stays across actions until it no longer holds.
    update(
        &mut s,
        Msg::Worker(WorkerEvent::Live(LiveStatus::Retrying {
            error: BackendError::Network("down".into()),
            retry_in: std::time::Duration::from_secs(2),
        })),
    );
    act(&mut s, Action::Down);
    assert!(s.status.error.as_deref().unwrap().contains("down"), "still down, still said");
    update(&mut s, Msg::Worker(WorkerEvent::Live(LiveStatus::Live)));
    assert_eq!(s.status.error, None, "the link is back: the error goes");
}

#[test]
fn a_saved_draft_is_announced_not_typed_into_and_marked_on_its_row() {
    let mut s = inbox(View::All);
    let d = Draft {
        conversation_id: "c0".into(),
        kind: MessageKind::Note,
        text: "check the invoice".into(),
        idempotency_key: "k".into(),
    };
    s.compose.drafts.insert(d.key(), d);
    assert!(s.has_draft("c0") && !s.has_draft("c1"), "the row shows a draft marker");
    act(&mut s, Action::Open);
    assert!(s.compose.open.is_none());
    assert_eq!(s.input_mode(), InputMode::Normal, "keys stay with the thread");
    assert_eq!(s.status.notice.as_deref(), Some("Note draft kept — P to continue"));
    act(&mut s, Action::Reply);
    assert_eq!(s.compose.open.as_ref().unwrap().text(), "", "R is not the note's draft");
}

#[test]
fn the_offline_cache_keeps_every_view_it_had() {
    // A run that used Mine and Unassigned.
    let mut s = inbox(View::Mine);
    s.list.items = vec![conv("m1", 1)];
    s.remember_first_page();
    s.list.filters.view = View::Unassigned;
    s.list.items = vec![conv("u1", 1), conv("u2", 2)];
    s.remember_first_page();
    s.offline.synced_at = Some(s.now);
    let saved = s.snapshot();
    // Started offline in All, which was never cached: no rows, and quitting keeps what the cache had.
    let mut offline = AppState::new("t", Utc::now());
    offline.list.filters.view = View::All;
    offline.apply_snapshot(saved.clone());
    assert!(offline.list.items.is_empty(), "rows of another view never show under All");
    let again = offline.snapshot();
    assert_eq!(again.views.len(), 2, "nothing lost on the way out");
    // Started offline in Unassigned: its rows show.
    let mut offline = AppState::new("t", Utc::now());
    offline.list.filters.view = View::Unassigned;
    offline.apply_snapshot(saved);
    let ids: Vec<_> = offline.list.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2"]);
    assert!(offline.offline.cached_at.is_some(), "marked as cached");
}

#[test]
fn read_stays_read_after_leaving_the_thread() {
    let mut s = inbox(View::All);
    let effects = open_with(&mut s, vec![]);
    let (read, _) = find(&effects, |r| matches!(r, Request::MarkRead(c) if c == "c0")).unwrap();
    let mut marked = conv("c0", 0);
    marked.unread_count = 0;
    reply(&mut s, read, Ok(Reply::Conversation(Box::new(marked))));
    // A customer message arrives while the thread is open: the server counts it unread.
    let mut newer = conv("c0", 0);
    newer.unread_count = 1;
    let effects = update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(newer)))));
    assert!(find(&effects, |r| matches!(r, Request::MarkRead(c) if c == "c0")).is_some(), "seen, so read");
    act(&mut s, Action::Back);
    assert!(s.thread.is_none());
    assert_eq!(s.list.items.iter().find(|c| c.id == "c0").unwrap().unread_count, 0, "not unread again");
}
