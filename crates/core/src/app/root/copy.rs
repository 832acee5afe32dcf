//! `y`: what is focused goes to the clipboard (the edge writes it as OSC 52), and the status line says what.

use super::AppState;
use crate::app::{Effect, Pane};

impl AppState {
    /// The focused thing worth copying: the contact's phone (else email) in the contact pane, the newest
    /// message in an open thread, a notification's or the selected row's conversation id elsewhere.
    pub(super) fn copy(&mut self) -> Vec<Effect> {
        let found = match (self.focus, &self.thread) {
            (Pane::Contact, _) => {
                let contact = self.detail.contact.ready().or(self.shown_conversation().map(|c| &c.contact));
                contact.and_then(|c| {
                    let phone = c.phone.as_ref().filter(|p| !p.is_empty()).map(|p| ("phone", p.to_string()));
                    phone.or_else(|| c.email.as_ref().filter(|e| !e.is_empty()).map(|e| ("email", e.to_string())))
                })
            }
            (Pane::List, Some(t)) => {
                t.messages.ready().and_then(|m| m.last()).map(|m| ("the newest message", m.text.to_string()))
            }
            (Pane::Notifications, _) => self
                .notifications
                .current()
                .and_then(|n| n.conversation_id.as_ref())
                .map(|id| ("conversation id", id.to_string())),
            _ => self.list.selected().map(|c| ("conversation id", c.id.to_string())),
        };
        let Some((what, text)) = found else {
            self.set_error("Nothing to copy here");
            return vec![];
        };
        let shown: String = crate::text::truncate(&crate::text::clean_line(&text), 40);
        self.tell(format!("Copied {what}: {shown}"));
        vec![Effect::Copy(text)]
    }
}
