//! What lies over the screen, across features: the contact forms (about the contact the panels show),
//! the y/n question, and the notification actions that open threads or ask first.

use super::AppState;
use crate::app::{Confirm, ConfirmAction, Effect, Form, Notifications, Pane};
use crate::domain::{Comment, Contact};

impl AppState {
    /// `e` in the contact panel: the form for the contact shown, filled from the panel (or, while it
    /// loads, from the shown conversation — never another row's).
    pub(super) fn open_contact_form(&mut self) {
        let Some(id) = self.detail.contact_id.clone() else { return };
        let embedded = self.shown_conversation().map(|c| c.contact.clone());
        let contact = self.detail.contact.ready().cloned().or(embedded);
        self.overlays.form = Some(Form::edit_contact(id, contact));
    }

    /// `C` in the contact panel: the comment form for the contact shown.
    pub(super) fn open_comment_form(&mut self) {
        if let Some(id) = self.detail.contact_id.clone() {
            self.overlays.form = Some(Form::comment(id));
        }
    }

    /// The server saved the contact: every row of it, and the panel, show the new details.
    pub(super) fn contact_saved(&mut self, c: Contact) {
        self.list.contact_saved(&c);
        let id = c.id.clone();
        self.detail.contact_loaded(&id, c);
        self.form_done("Contact saved");
    }

    /// The server added the comment.
    pub(super) fn comment_added(&mut self, c: Comment) {
        self.detail.comment_added(c);
        self.form_done("Comment added");
    }

    fn form_done(&mut self, words: &str) {
        self.overlays.form = None;
        self.focus = Pane::Contact;
        self.tell(words);
    }

    /// Enter in the notifications pane: marks it read and opens its conversation.
    pub(super) fn open_notification(&mut self) -> Vec<Effect> {
        let Some(target) = self.notifications.current().map(|n| n.conversation_id.clone()) else { return vec![] };
        let mut effects =
            if self.account.read_only { vec![] } else { self.notifications.mark_read(&mut self.requests) };
        match target {
            Some(id) => effects.extend(self.open_thread(id)),
            None => self.tell("This notification is not about a conversation."),
        }
        effects
    }

    /// `m` anywhere: every notification read.
    pub(super) fn mark_all_notifications_read(&mut self) -> Vec<Effect> {
        let Some((n, effect)) = self.notifications.mark_all_read(&mut self.requests) else { return vec![] };
        self.tell(format!("Marked {n} notifications read"));
        vec![effect]
    }

    /// `X`: asks before dismissing every notification.
    pub(super) fn ask_dismiss_all(&mut self) -> Vec<Effect> {
        let n = self.notifications.items.len();
        if n > 0 {
            let question = format!("Dismiss all {n} notifications? y/n");
            self.overlays.confirm = Some(Confirm { question, on_yes: ConfirmAction::DismissAll });
        }
        vec![]
    }

    /// y or n to the question.
    pub(super) fn answer_question(&mut self, yes: bool) -> Vec<Effect> {
        let Some(c) = self.overlays.confirm.take() else { return vec![] };
        if !yes {
            return vec![];
        }
        match c.on_yes {
            ConfirmAction::DismissAll => {
                let (n, effect) = self.notifications.dismiss_all(&mut self.requests);
                self.tell(format!("Dismissed {n} notifications"));
                vec![effect]
            }
            ConfirmAction::Apply { items, words, undo } => self.apply(items, &words, undo),
        }
    }

    /// A notification action failed: said, and the notifications read again.
    pub(super) fn notification_failed(&mut self, reason: &str) -> Vec<Effect> {
        self.set_error(format!("Notifications: {reason}"));
        vec![Notifications::load(&mut self.requests)]
    }
}
