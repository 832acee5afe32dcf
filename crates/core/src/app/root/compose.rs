//! The composer across features: it opens on the open thread (or the selected row's, opening it), checks
//! the thread for messages the agent has not seen before sending, and hears of the send's answer.

use super::AppState;
use crate::app::composer::SendFailed;
use crate::app::{Effect, MessageKind, Pane, SEND_KEY};
use crate::domain::{Clean, DeliveryStatus, Message, StatusChange};
use crate::protocol::BackendError;

impl AppState {
    /// The newest message from someone other than the agent in conversation `id`'s open thread.
    fn newest_other(&self, id: &str) -> Option<Option<(Clean, String)>> {
        let me = self.account.me.as_ref().map(|m| m.id.as_str());
        self.thread.as_ref().filter(|t| t.is(id)).and_then(|t| t.newest_other(me))
    }

    /// `R` / `P`: opens the reply or note composer on the open thread, or on the selected row's.
    pub(super) fn open_composer(&mut self, kind: MessageKind) -> Vec<Effect> {
        let target = match &self.thread {
            Some(t) => Some(t.conversation_id.clone()),
            None if self.focus == Pane::List => self.list.selected().map(|c| c.id.clone()),
            None => None,
        };
        let Some(id) = target else {
            self.set_error("Select a conversation to reply to.");
            return vec![];
        };
        let mut effects = Vec::new();
        if self.thread.as_ref().is_none_or(|t| !t.is(&id)) {
            effects.extend(self.open_thread(id.clone()));
        }
        let seen = self.newest_other(&id).map(|o| o.map(|(m, _)| m));
        effects.extend(self.compose.open(id, kind, seen, &mut self.requests));
        effects
    }

    /// Esc in the composer.
    pub(super) fn close_composer(&mut self) -> Vec<Effect> {
        let open = self.compose.open.as_ref().map(|c| c.conversation_id.clone());
        let seen = open.and_then(|id| self.newest_other(&id)).map(|o| o.map(|(m, _)| m));
        let (effects, notice) = self.compose.close(seen);
        if let Some(words) = notice {
            self.tell(words);
        }
        effects
    }

    /// Ctrl-S (`confirmed`: y to the question about a newer message).
    pub(super) fn send_composer(&mut self, confirmed: bool) -> Vec<Effect> {
        let Some(id) = self.compose.open.as_ref().map(|c| c.conversation_id.clone()) else { return vec![] };
        let newest = self.newest_other(&id);
        self.compose.send(confirmed, newest, &mut self.requests)
    }

    /// The server has the message: the draft goes, the thread shows it. A reply the server only queued
    /// (`pending`) is watched, its text kept, until the server says whether it went out.
    pub(super) fn message_sent(&mut self, id: &Clean, kind: MessageKind, mut m: Message) -> Vec<Effect> {
        let open = self.compose.open.as_ref().filter(|c| c.conversation_id == *id && c.kind == kind);
        let text = open.map(|c| c.text.trim_end().to_string()).unwrap_or_else(|| m.text.to_string());
        self.delivery.catch_up(&mut m);
        let effects = self.compose.sent(id, kind);
        // What `U` would otherwise take back is older than this message, which cannot be called back.
        self.triage.undo = Some(crate::app::Undo::Sent);
        self.tell(match (kind.is_note(), &m.status) {
            (true, _) => "Note added",
            (false, DeliveryStatus::Pending) => "Reply handed to the server: the thread shows when it goes out",
            (false, DeliveryStatus::Failed) => "The reply failed: its text is kept",
            (false, _) => "Reply sent",
        });
        // Failed already: handled as the failure it would have been reported as.
        let failed = (m.status == DeliveryStatus::Failed).then(|| StatusChange {
            message_id: m.id.clone(),
            conversation_id: Some(id.clone()),
            status: DeliveryStatus::Failed,
            error: m.error.clone(),
        });
        self.delivery.sent(&m, kind, Some(&text));
        if let Some(t) = self.thread.as_mut() {
            t.message_created(m);
        }
        let mut effects = effects;
        if let Some(change) = failed {
            effects.extend(self.delivery_changed(change));
        }
        effects
    }

    /// A message's delivery changed: the thread's mark follows; a reply that failed says why and its text goes
    /// back into the composer (or its draft), ready to be edited and sent again.
    pub(super) fn delivery_changed(&mut self, change: StatusChange) -> Vec<Effect> {
        let shown = self.thread.as_mut().is_some_and(|t| t.status_changed(&change));
        if !shown && !self.delivery.is_awaited(&change.message_id) {
            self.delivery.early(change.clone());
        }
        let Some(back) = self.delivery.changed(&change) else { return vec![] };
        let why = change.error.map(|e| e.to_string()).unwrap_or_else(|| "the server gave no reason".into());
        let to = self.list.get(&back.conversation_id).map(|c| format!(" to {}", c.contact.name)).unwrap_or_default();
        let Some(text) = back.text else {
            // A template: nothing goes into a composer, where it would become a free-form reply.
            self.set_error(format!("The template{to} was not delivered: {why}. T picks one again"));
            return vec![];
        };
        let (effects, open) = self.compose.restore(&back.conversation_id, back.kind, &text, &why, &mut self.requests);
        let next = if open { format!("{SEND_KEY} sends it again") } else { "R brings its text back".into() };
        self.set_error(format!("The reply{to} was not delivered: {why}. {next}"));
        effects
    }

    /// The send failed: a lost answer reads the thread again before anything is resent.
    pub(super) fn message_failed(&mut self, id: &Clean, kind: MessageKind, e: &BackendError) -> Vec<Effect> {
        match self.compose.failed(id, kind, e) {
            SendFailed::Refused => vec![],
            SendFailed::Unknown => match self.thread.as_mut().filter(|t| t.is(id)) {
                Some(t) => {
                    t.to_newest();
                    vec![t.read_again(&mut self.requests)]
                }
                None => vec![],
            },
            SendFailed::Closed => {
                // The draft is on disk; the status line says what happened.
                let what = if kind.is_note() { "note" } else { "reply" };
                let to = self.list.get(id).map(|c| format!(" to {}", c.contact.name)).unwrap_or_default();
                self.set_error(if e.outcome_unknown() {
                    format!("The {what}{to} may have been sent (the answer was lost); its draft is kept")
                } else {
                    format!("The {what}{to} was not sent: {}; its draft is kept", crate::app::status::reason(e))
                });
                vec![]
            }
        }
    }

    /// The open thread's newest messages arrived: the composer checks them.
    pub(super) fn thread_arrived(&mut self) -> Vec<Effect> {
        let Some(t) = self.thread.as_ref() else { return vec![] };
        let me = self.account.me.as_ref().map(|m| m.id.as_str());
        match self.compose.thread_loaded(t, me, self.now) {
            // It did arrive: the draft is done with.
            Some((id, kind, m)) => self.message_sent(&id, kind, m),
            None => vec![],
        }
    }
}
