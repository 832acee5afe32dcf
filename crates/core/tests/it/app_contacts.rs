//! update() for the contact panel's forms and for what a backend cannot do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::sample;

use sample::{act, inbox, reply};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::BackendError;
use tinbox_core::protocol::*;

fn contact_focus(s: &mut AppState) {
    s.detail.conversation_id = Some("c0".into());
    s.detail.contact_id = Some("cnt_c0".into());
    s.detail.contact = Load::Ready(Contact { id: "cnt_c0".into(), name: "Ana".into(), ..Default::default() });
    s.focus = Pane::Contact;
}

fn type_form(s: &mut AppState, text: &str) {
    for c in text.chars() {
        act(s, Action::SearchInput(c));
    }
}

#[test]
fn the_contact_form_validates_before_sending_and_keeps_input_on_refusal() {
    let mut s = inbox(View::All);
    contact_focus(&mut s);
    act(&mut s, Action::EditContact);
    assert_eq!(s.input_mode(), InputMode::Form);
    act(&mut s, Action::Down);
    type_form(&mut s, "ana@");
    act(&mut s, Action::Down);
    type_form(&mut s, "0701234");
    assert!(act(&mut s, Action::Open).is_empty(), "bad input is explained, not sent");
    let f = s.overlays.form.as_ref().unwrap();
    assert!(f.fields[1].error.as_ref().unwrap().contains("not an email address"));
    assert!(f.fields[2].error.as_ref().unwrap().contains("international format"));
    act(&mut s, Action::Up);
    type_form(&mut s, "example.com");
    act(&mut s, Action::Down);
    for _ in 0..7 {
        act(&mut s, Action::SearchBackspace);
    }
    type_form(&mut s, "+46701234567");
    let effects = act(&mut s, Action::Open);
    let Some(Effect::Send { id, request: Request::UpdateContact { edit, .. }, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(edit.email, "ana@example.com");
    assert_eq!(edit.phone, "+46701234567");
    reply(&mut s, *id, Err(BackendError::Invalid("phone taken".into())));
    let f = s.overlays.form.as_ref().unwrap();
    assert_eq!(f.fields[1].value, "ana@example.com", "what was typed stays");
    assert!(f.error.as_ref().unwrap().contains("phone taken"));
    let effects = act(&mut s, Action::Open);
    let Some(Effect::Send { id, .. }) = effects.first() else { panic!() };
    let saved = Contact {
        id: "cnt_c0".into(),
        name: "Ana".into(),
        email: Some("ana@example.com".into()),
        ..Default::default()
    };
    reply(&mut s, *id, Ok(Reply::Contact(Box::new(saved))));
    assert!(s.overlays.form.is_none());
    assert_eq!(s.detail.contact.ready().unwrap().email.as_deref(), Some("ana@example.com"));
    assert_eq!(s.status.notice.as_deref(), Some("Contact saved"));
}

#[test]
fn comments_are_added_from_the_contact_panel() {
    let mut s = inbox(View::All);
    contact_focus(&mut s);
    s.detail.comments = Load::Ready(vec![]);
    act(&mut s, Action::Comment);
    assert!(act(&mut s, Action::Open).is_empty(), "an empty comment is not sent");
    type_form(&mut s, "@bruno please call back");
    let effects = act(&mut s, Action::Open);
    let Some(Effect::Send { id, request: Request::AddComment { text, .. }, .. }) = effects.first() else { panic!() };
    assert_eq!(text, "@bruno please call back");
    let c =
        Comment { id: "k1".into(), text: text.clone().into(), author: Some("Alice Martin".into()), created_at: None };
    reply(&mut s, *id, Ok(Reply::Comment(Box::new(c))));
    assert_eq!(s.detail.comments.ready().unwrap().len(), 1);
    assert_eq!(s.status.notice.as_deref(), Some("Comment added"));
}

#[test]
fn e164_and_email_rules() {
    for ok in ["+14155550123", "+442071838750", "+8613800138000"] {
        assert!(is_e164(ok), "{ok}");
    }
    for bad in ["14155550123", "+0123456789", "+1 415 555", "+123", "+1234567890123456"] {
        assert!(!is_e164(bad), "{bad}");
    }
    assert!(is_email("a.b@example.co.uk"));
    for bad in ["a@b", "@x.com", "a b@x.com", "a@x.", "a@@x.com"] {
        assert!(!is_email(bad), "{bad}");
    }
}

#[test]
fn what_the_backend_cannot_do_is_refused_at_once_with_a_reason() {
    let mut s = inbox(View::All);
    s.account.unavailable =
        vec![tinbox_core::domain::Capability::Labels, tinbox_core::domain::Capability::PrivateNotes];
    s.account.backend_kind = "imbrace";
    assert!(act(&mut s, Action::Labels).is_empty());
    assert!(s.overlays.picker.is_none(), "no picker for something the server cannot do");
    assert_eq!(s.status.error.as_deref(), Some("Not available on this imbrace server: labels"));
    assert!(act(&mut s, Action::Note).is_empty());
    assert!(s.compose.open.is_none());
    act(&mut s, Action::Priority);
    assert!(s.overlays.picker.is_some(), "what it can do still works");
}
