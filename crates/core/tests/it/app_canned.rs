//! update() for canned responses (issue 12): Ctrl-G in the composer picks one (fuzzy), what tinbox knows is
//! filled in, anything else is asked for, and the text lands in the composer it was opened from.

use crate::sample;

use sample::{act, inbox, reply, sent};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::*;

fn canned(id: &str, shortcut: &str, content: &str) -> Canned {
    Canned { id: id.into(), name: format!("Name of {id}").into(), shortcut: shortcut.into(), content: content.into() }
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        act(s, Action::SearchInput(c));
    }
}

fn composer_text(s: &AppState) -> String {
    s.compose.open.as_ref().unwrap().text()
}

/// Opens c0's reply composer with `text` typed, then the canned picker, answered with the server's list.
fn picker_over_reply(s: &mut AppState, text: &str) {
    act(s, Action::Reply);
    update(s, Msg::ComposerText(text.into()));
    let effects = act(s, Action::Canned);
    let (id, _) = sent(&effects).into_iter().find(|(_, r)| *r == Request::CannedResponses).expect("asked for");
    let list = vec![
        canned("cr1", "/hi", "Hi {{contact_name}}, this is {{agent_name}}."),
        canned("cr2", "/refund", "Refunds reach you within {{days}} working days."),
    ];
    reply(s, id, Ok(Reply::Canned(list)));
}

#[test]
fn a_canned_response_is_filled_with_what_tinbox_knows_and_inserted_after_the_text() {
    let mut s = inbox(View::All);
    picker_over_reply(&mut s, "Thanks for waiting.");
    let p = s.overlays.picker.as_ref().unwrap();
    assert_eq!((p.kind, p.items.len()), (PickerKind::Canned, 2));
    typed(&mut s, "/hi");
    let effects = act(&mut s, Action::Open);
    assert!(sent(&effects).iter().any(|(_, r)| *r == Request::CannedUsed("cr1".into())), "its use is counted");
    assert!(s.overlays.picker.is_none() && s.overlays.form.is_none());
    assert_eq!(composer_text(&s), "Thanks for waiting. Hi Name c0, this is Alice Martin.");
    assert!(effects.contains(&Effect::SaveDraftSoon), "the draft keeps it");
    assert_eq!(s.compose.open.as_ref().unwrap().kind, MessageKind::Reply, "still the reply");
}

#[test]
fn a_placeholder_tinbox_cannot_know_is_asked_for_and_nothing_is_inserted_until_it_is_filled() {
    let mut s = inbox(View::All);
    picker_over_reply(&mut s, "");
    typed(&mut s, "refnd");
    act(&mut s, Action::Open);
    let form = s.overlays.form.as_ref().expect("a form for {{days}}");
    assert_eq!(form.fields.iter().map(|f| f.label.as_str()).collect::<Vec<_>>(), ["days"]);
    act(&mut s, Action::Open);
    assert!(s.overlays.form.as_ref().unwrap().fields[0].error.is_some(), "empty: refused with words");
    assert_eq!(composer_text(&s), "", "nothing inserted yet");
    typed(&mut s, "5");
    act(&mut s, Action::Open);
    assert!(s.overlays.form.is_none());
    assert_eq!(composer_text(&s), "Refunds reach you within 5 working days.");
    // Esc in a picker or form leaves the composer as it was.
    act(&mut s, Action::Canned);
    act(&mut s, Action::Back);
    assert!(s.overlays.picker.is_none());
    assert_eq!(composer_text(&s), "Refunds reach you within 5 working days.");
}

#[test]
fn where_the_server_has_none_the_agent_is_told_and_nothing_is_asked() {
    let mut s = inbox(View::All);
    s.account.unavailable = vec![Capability::CannedResponses];
    act(&mut s, Action::Reply);
    let effects = act(&mut s, Action::Canned);
    assert!(sent(&effects).is_empty());
    assert!(s.status.error.as_deref().unwrap().contains("canned responses are not available"));
}
