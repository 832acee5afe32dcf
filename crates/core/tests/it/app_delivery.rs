//! update() for delivery (issue 12): a reply the server only queued is watched; when the server later says it
//! failed, the thread and the list say so with the server's reason and the text comes back to be resent.

use crate::sample;

use sample::{act, inbox, reply, sent};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::*;

fn message(id: &str, direction: Direction, text: &str, status: DeliveryStatus) -> Message {
    Message {
        id: id.into(),
        conversation_id: "c0".into(),
        direction,
        private: false,
        author: None,
        text: text.into(),
        status,
        error: None,
        created_at: None,
    }
}

fn status(id: &str, status: DeliveryStatus, error: Option<&str>) -> Msg {
    let change = StatusChange {
        message_id: id.into(),
        conversation_id: Some("c0".into()),
        status,
        error: error.map(Into::into),
    };
    Msg::Worker(WorkerEvent::Event(LiveEvent::MessageStatus(Box::new(change))))
}

/// Opens c0's thread with one customer message, writes `text` as a reply and sends it; the server answers
/// with the message in `answered` state.
fn send_reply(s: &mut AppState, text: &str, answered: DeliveryStatus) {
    let effects = act(s, Action::Open);
    let (id, _) = sent(&effects).into_iter().find(|(_, r)| matches!(r, Request::Messages(..))).unwrap();
    let page = Page {
        items: vec![message("m1", Direction::Incoming, "hi", DeliveryStatus::Received)],
        total: 1,
        page: 1,
        limit: 100,
        total_pages: 1,
        skipped: 0,
    };
    reply(s, id, Ok(Reply::Messages { conversation_id: "c0".into(), page }));
    act(s, Action::Reply);
    update(s, Msg::ComposerText(text.into()));
    let (id, _) = sent(&act(s, Action::Send))[0].clone();
    reply(s, id, Ok(Reply::Sent(Box::new(message("m2", Direction::Outgoing, text, answered)))));
}

/// The sample inbox, its conversations on WhatsApp (templates are WhatsApp's).
fn whatsapp_inbox() -> AppState {
    let mut s = inbox(View::All);
    s.list.items.iter_mut().for_each(|c| c.channel = Channel::Whatsapp);
    s
}

#[test]
fn a_template_is_offered_only_on_whatsapp() {
    let mut s = inbox(View::All); // SMS conversations
    assert!(sent(&act(&mut s, Action::Templates)).is_empty());
    assert!(s.status.error.as_deref().unwrap().contains("Templates are WhatsApp's"));
    assert!(s.overlays.picker.is_none());
}

fn shown(s: &AppState, id: &str) -> Message {
    s.thread.as_ref().unwrap().messages.ready().unwrap().iter().find(|m| m.id == id).unwrap().clone()
}

#[test]
fn a_pending_reply_that_later_fails_says_why_and_its_text_comes_back() {
    let mut s = inbox(View::All);
    send_reply(&mut s, "Your refund is on its way", DeliveryStatus::Pending);
    assert!(s.compose.open.is_none());
    let said = s.status.notice.clone().unwrap();
    assert!(!said.contains("Reply sent"), "a queued reply is not said to be sent: {said}");
    assert_eq!(shown(&s, "m2").status, DeliveryStatus::Pending);

    let why = "more than 24 hours have passed since the customer last replied";
    let effects = update(&mut s, status("m2", DeliveryStatus::Failed, Some(why)));
    let m = shown(&s, "m2");
    assert_eq!((m.status, m.error.as_deref()), (DeliveryStatus::Failed, Some(why)));
    let error = s.status.error.clone().unwrap();
    assert!(error.contains(why) && error.contains("R brings its text back"), "{error}");
    assert!(s.delivery.has_failed("c0"), "the row says it too");
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveDraft(d) if d.text == "Your refund is on its way")));
    // R: the text is back in the reply composer, ready to edit and send again, under a new key.
    act(&mut s, Action::Reply);
    let c = s.compose.open.as_ref().unwrap();
    assert_eq!((c.kind, c.text()), (MessageKind::Reply, "Your refund is on its way".to_string()));
    let (_, again) = sent(&act(&mut s, Action::Send))[0].clone();
    let Request::Send { message, .. } = again else { panic!() };
    assert_eq!(message.text, "Your refund is on its way");
}

#[test]
fn a_failure_while_writing_the_next_reply_puts_the_text_ahead_of_it_not_over_it() {
    let mut s = inbox(View::All);
    send_reply(&mut s, "First answer", DeliveryStatus::Pending);
    act(&mut s, Action::Reply);
    update(&mut s, Msg::ComposerText("Second thought".into()));
    update(&mut s, status("m2", DeliveryStatus::Failed, Some("Invalid parameter")));
    let c = s.compose.open.as_ref().unwrap();
    assert_eq!(c.text(), "First answer\n\nSecond thought");
    assert!(c.error.as_deref().is_some_and(|e| e.contains("Invalid parameter")));
}

#[test]
fn receipts_move_the_mark_forward_and_one_heard_before_its_message_is_kept_for_it() {
    let mut s = inbox(View::All);
    // The outcome can come before the answer to the send (or before the message's own event).
    send_reply(&mut s, "Hello", DeliveryStatus::Pending);
    update(&mut s, status("m2", DeliveryStatus::Read, None));
    update(&mut s, status("m2", DeliveryStatus::Delivered, None));
    assert_eq!(shown(&s, "m2").status, DeliveryStatus::Read, "a late receipt does not move it back");
    update(&mut s, status("m3", DeliveryStatus::Sent, None));
    let live = message("m3", Direction::Outgoing, "from the phone", DeliveryStatus::Pending);
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::MessageCreated(Box::new(live)))));
    assert_eq!(shown(&s, "m3").status, DeliveryStatus::Sent);
    assert!(s.status.error.is_none() && !s.delivery.has_failed("c0"));
}

#[test]
fn a_template_is_picked_fuzzily_filled_previewed_and_sent_and_the_reply_draft_stays() {
    let mut s = whatsapp_inbox();
    send_reply(&mut s, "Still there?", DeliveryStatus::Pending);
    update(&mut s, status("m2", DeliveryStatus::Failed, Some("window closed")));
    act(&mut s, Action::Reply);
    // Ctrl-T from the composer: the reply is kept as its draft, the picker loads the approved templates.
    let effects = act(&mut s, Action::Templates);
    assert!(s.compose.open.is_none() && s.compose.drafts.values().any(|d| d.text == "Still there?"));
    let (id, request) = sent(&effects).into_iter().find(|(_, r)| matches!(r, Request::Templates(_))).unwrap();
    assert_eq!(request, Request::Templates("c0".into()));
    let template = |name: &str, body: &str| Template {
        name: name.into(),
        language: "en".into(),
        category: "UTILITY".into(),
        body: body.into(),
    };
    let list =
        vec![template("follow_up", "Anything else?"), template("order_update", "Hi {{1}}, order {{2}} shipped.")];
    reply(&mut s, id, Ok(Reply::Templates(list)));
    for c in "ordr".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    assert_eq!(s.overlays.picker.as_ref().unwrap().current().unwrap().id, "order_update");
    act(&mut s, Action::Open);
    let form = s.overlays.form.as_ref().unwrap();
    assert_eq!(form.fields.iter().map(|f| f.label.as_str()).collect::<Vec<_>>(), ["1", "2"]);
    // Enter with a parameter missing sends nothing.
    assert!(sent(&act(&mut s, Action::Open)).is_empty());
    for c in "Ana".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    act(&mut s, Action::NextPane);
    for c in "A-1".chars() {
        act(&mut s, Action::SearchInput(c));
    }
    let (id, request) = sent(&act(&mut s, Action::Open))[0].clone();
    let Request::SendTemplate { conversation_id, template: send } = request else { panic!() };
    assert_eq!(conversation_id, "c0");
    assert_eq!(send.params, [("1".to_string(), "Ana".to_string()), ("2".to_string(), "A-1".to_string())]);
    let m = Message {
        text: "Hi Ana, order A-1 shipped.".into(),
        ..message("m3", Direction::Outgoing, "", DeliveryStatus::Pending)
    };
    reply(&mut s, id, Ok(Reply::Sent(Box::new(m))));
    assert!(s.overlays.form.is_none());
    assert!(s.status.notice.as_deref().is_some_and(|n| n.starts_with("Template handed to the server")));
    assert_eq!(shown(&s, "m3").text, "Hi Ana, order A-1 shipped.");
    assert!(s.compose.drafts.values().any(|d| d.text == "Still there?"), "the reply's draft is still there");
}

#[test]
fn templates_answered_for_another_conversation_are_never_offered_for_this_one() {
    let mut s = whatsapp_inbox();
    let first = sent(&act(&mut s, Action::Templates));
    let (old, _) = first.into_iter().find(|(_, r)| matches!(r, Request::Templates(_))).unwrap();
    act(&mut s, Action::Back);
    act(&mut s, Action::Down);
    let second = sent(&act(&mut s, Action::Templates));
    let (_, request) = second.into_iter().find(|(_, r)| matches!(r, Request::Templates(_))).unwrap();
    assert_eq!(request, Request::Templates("c1".into()));
    let t = Template { name: "hello".into(), language: "en".into(), category: "UTILITY".into(), body: "Hi".into() };
    // The first picker's answer (for c0) comes late: the picker for c1 does not take it.
    reply(&mut s, old, Ok(Reply::Templates(vec![t])));
    let p = s.overlays.picker.as_ref().unwrap();
    assert!(p.loading && p.items.is_empty());
    assert!(sent(&act(&mut s, Action::Open)).is_empty(), "nothing can be sent to the wrong customer");
}

#[test]
fn a_template_that_fails_later_says_so_and_puts_nothing_into_a_reply() {
    let mut s = whatsapp_inbox();
    send_reply(&mut s, "hello", DeliveryStatus::Sent);
    let (id, _) =
        sent(&act(&mut s, Action::Templates)).into_iter().find(|(_, r)| matches!(r, Request::Templates(_))).unwrap();
    let t =
        Template { name: "hello".into(), language: "en".into(), category: "UTILITY".into(), body: "Hi there".into() };
    reply(&mut s, id, Ok(Reply::Templates(vec![t])));
    let (id, _) = sent(&act(&mut s, Action::Open))[0].clone();
    let m = Message { text: "Hi there".into(), ..message("m9", Direction::Outgoing, "", DeliveryStatus::Pending) };
    reply(&mut s, id, Ok(Reply::Sent(Box::new(m))));
    let effects = update(&mut s, status("m9", DeliveryStatus::Failed, Some("Template paused")));
    assert!(s.status.error.as_deref().is_some_and(|e| e.contains("The template") && e.contains("Template paused")));
    assert!(effects.is_empty() && s.compose.drafts.is_empty(), "a template's text never becomes a reply draft");
    assert!(s.delivery.has_failed("c0"));
}

#[test]
fn a_colleagues_note_is_edited_and_deleted_in_place_and_older_pages_start_before_what_is_shown() {
    let mut s = inbox(View::All);
    send_reply(&mut s, "On it", DeliveryStatus::Sent);
    let at =
        |h: u32| chrono::DateTime::parse_from_rfc3339(&format!("2026-11-21T{h:02}:00:00Z")).ok().map(|t| t.to_utc());
    let note = |id: &str, text: &str, h: u32| Message {
        private: true,
        created_at: at(h),
        author: Some(PersonRef { id: "u_ben".into(), name: "Ben Okoro".into() }),
        ..message(id, Direction::Outgoing, text, DeliveryStatus::Sent)
    };
    let ev = |e: LiveEvent| Msg::Worker(WorkerEvent::Event(e));
    update(&mut s, ev(LiveEvent::MessageCreated(Box::new(note("n1", "Called the courier", 9)))));
    update(&mut s, ev(LiveEvent::MessageEdited(Box::new(note("n1", "Called the courier twice", 9)))));
    let texts = |s: &AppState| -> Vec<String> {
        s.thread.as_ref().unwrap().messages.ready().unwrap().iter().map(|m| m.text.to_string()).collect()
    };
    assert_eq!(texts(&s), ["hi", "On it", "Called the courier twice"], "edited in place, not added");
    // An edit of a note on another conversation changes nothing here.
    let elsewhere = Message { conversation_id: "c9".into(), ..note("n5", "elsewhere", 10) };
    update(&mut s, ev(LiveEvent::MessageEdited(Box::new(elsewhere))));
    assert_eq!(texts(&s).len(), 3);
    update(&mut s, ev(LiveEvent::MessageRemoved { conversation_id: "c0".into(), message_id: "n1".into() }));
    assert_eq!(texts(&s), ["hi", "On it"]);

    // Scrolling to the top asks for what is before the oldest message and the oldest note shown.
    s.thread.as_mut().unwrap().has_more = true;
    update(&mut s, ev(LiveEvent::MessageCreated(Box::new(note("n2", "older note", 1)))));
    let effects = act(&mut s, Action::Up);
    let earlier = sent(&effects).into_iter().find_map(|(_, r)| match r {
        Request::EarlierMessages(c, e) => Some((c, e)),
        _ => None,
    });
    let (c, e) = earlier.expect("an older page is asked for");
    assert_eq!((c.as_str(), e.message.as_deref(), e.note.as_deref(), e.page.page), ("c0", Some("m1"), Some("n2"), 2));
}
