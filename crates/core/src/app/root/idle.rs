//! A key that does nothing where the focus is: the status line says why, and where it would work, so a
//! pressed key is never met with silence.

use super::AppState;
use crate::app::{Action, Effect, Pane};

impl AppState {
    /// `a` has no effect in the focused pane: says why.
    pub(super) fn does_nothing(&mut self, a: Action) -> Vec<Effect> {
        let thread = self.thread.is_some();
        let why = match a {
            // Short enough for the status line at 80 columns, beside the agent's name and the unread count.
            Action::Toggle | Action::MarkRange | Action::MarkAll if thread => "Marks are for the list: Esc goes back",
            Action::Toggle => "Space marks in the list, folds sections",
            Action::MarkRange | Action::MarkAll => "Marks are for the list: Tab to it",
            Action::MarkRead | Action::Dismiss => "That is for notifications: Tab to them",
            Action::EditContact | Action::Comment => "That is for the contact pane: Tab to it",
            Action::Open if thread && self.focus == Pane::List => "Already open: R replies, Esc goes back",
            Action::Open if thread => "Esc back to the list to open another",
            Action::Open if self.list.items.is_empty() => "No conversation here to open",
            Action::Send | Action::Editor | Action::Canned => "That works while writing (R or P)",
            Action::Activities => "Activities are for an open thread",
            _ => return vec![],
        };
        self.tell(why);
        vec![]
    }

    /// A key bound to nothing at all was pressed (`label` as help writes keys).
    pub(super) fn unbound(&mut self, label: &str) -> Vec<Effect> {
        self.tell(format!("{label} does nothing · ? lists the keys"));
        vec![]
    }
}
