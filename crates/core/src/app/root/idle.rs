//! A key that does nothing where the focus is: the status line says why, and where it would work, so a
//! pressed key is never met with silence.

use super::AppState;
use crate::app::{Action, Effect, Pane};

impl AppState {
    /// `a` has no effect in the focused pane: says why.
    pub(super) fn does_nothing(&mut self, a: Action) -> Vec<Effect> {
        let thread = self.thread.is_some();
        let why = match a {
            Action::Toggle | Action::MarkRange | Action::MarkAll if thread => {
                "Marks are made in the conversation list: Esc goes back to it"
            }
            Action::Toggle => "Space marks rows in the conversation list and folds sections in the session panel",
            Action::MarkRange | Action::MarkAll => "Marks are made in the conversation list: Tab to it",
            Action::MarkRead | Action::Dismiss => "That acts on a notification: Tab to the notifications pane",
            Action::EditContact | Action::Comment => "That acts on the contact: Tab to the contact pane",
            Action::Open if thread && self.focus == Pane::List => "This conversation is open: R replies, Esc goes back",
            Action::Open if thread => "Esc goes back to the list to open another conversation",
            Action::Open if self.list.items.is_empty() => "No conversation here to open",
            Action::Send | Action::Editor | Action::Canned => "That works while writing a reply or a note",
            Action::Activities => "Activities show in an open conversation: Enter opens one",
            _ => return vec![],
        };
        self.tell(why);
        vec![]
    }

    /// A key bound to nothing at all was pressed (`label` as help writes keys).
    pub(super) fn unbound(&mut self, label: &str) -> Vec<Effect> {
        self.tell(format!("{label} does nothing here · ? lists the keys"));
        vec![]
    }
}
