//! Taking the next waiting conversation from the server's queue (Whatomate's transfers): it joins the
//! list, is selected and its thread opens.

use super::AppState;
use crate::app::{Effect, Purpose};
use crate::domain::Conversation;
use crate::protocol::{BackendError, Request};

impl AppState {
    /// `n`: asks the server for the next waiting conversation.
    pub(super) fn take_next(&mut self) -> Vec<Effect> {
        if self.awaits(|p| *p == Purpose::TakeNext) {
            self.tell("Still taking the next conversation…");
            return vec![];
        }
        self.status.next_action();
        self.tell("Taking the next waiting conversation…");
        vec![self.send(Purpose::TakeNext, Request::TakeNext)]
    }

    /// The server gave the agent `taken` (or nobody was waiting).
    pub(super) fn taken(&mut self, taken: Option<Conversation>) -> Vec<Effect> {
        let Some(c) = taken else {
            self.tell("Nobody is waiting in the queue.");
            return vec![];
        };
        self.tell(format!("Took {} from the queue", c.contact.name));
        let id = c.id.clone();
        let mut effects = self.upsert(c);
        if let Some(i) = self.list.position(&id) {
            effects.extend(self.select(i));
        }
        effects.extend(self.open_thread(id));
        effects.extend(self.list.request_counts(&mut self.requests));
        effects
    }

    /// Taking failed; with a lost answer, one may have become the agent's.
    pub(super) fn take_failed(&mut self, e: &BackendError) -> Vec<Effect> {
        if e.outcome_unknown() {
            self.set_error(format!(
                "Taking the next conversation: {e} — one may have become yours; Mine is read again (press 1)"
            ));
            return self.list.request_counts(&mut self.requests);
        }
        self.set_error(format!("Could not take the next conversation: {}", crate::app::status::reason(e)));
        vec![]
    }
}
