//! A paste is text, never keys: into the line being typed as if typed, refused in words anywhere else.

use crate::sample::{act, inbox};
use tinbox_core::app::*;
use tinbox_core::domain::*;

#[test]
fn a_paste_over_the_list_acts_as_nothing_and_says_why() {
    let mut s = inbox(View::All);
    let before = (s.list.selected, s.list.filters.clone());
    // "lj" typed would open the label picker; pasted, it must not.
    let effects = update(&mut s, Msg::Paste("lj\nc".into()));
    assert!(effects.is_empty(), "nothing is sent: {effects:?}");
    assert!(s.overlays.picker.is_none() && s.compose.open.is_none());
    assert_eq!((s.list.selected, s.list.filters.clone()), before);
    assert!(s.status.error.as_deref().is_some_and(|e| e.contains("not a command")), "{:?}", s.status.error);
}

#[test]
fn a_paste_into_a_search_or_a_picker_is_typed_on_one_line() {
    let mut s = inbox(View::All);
    act(&mut s, Action::Search);
    update(&mut s, Msg::Paste("Ana\r\nSouza\x1b[31m".into()));
    assert_eq!(s.list.filters.search, "Ana Souza", "line breaks become spaces, escapes go");

    let mut s = inbox(View::All);
    s.account.labels = vec![Label { name: "vip".into(), color: ColorRole::Info }];
    act(&mut s, Action::Labels);
    update(&mut s, Msg::Paste("vi".into()));
    let p = s.overlays.picker.as_ref().expect("the picker stays open");
    assert_eq!(p.filter, "vi");
    assert!(s.status.error.is_none(), "{:?}", s.status.error);
}
