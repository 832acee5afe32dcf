//! Taking the next waiting conversation from the server's queue (Whatomate's transfers).

use super::{AppState, Effect, Purpose};
use crate::domain::Conversation;
use crate::protocol::BackendError;
use crate::protocol::Request;

/// Asks the server for the conversation that has waited longest; one request at a time.
pub fn take_next(state: &mut AppState) -> Vec<Effect> {
    if state.awaits(|p| *p == Purpose::TakeNext) {
        state.tell("Still taking the next conversation…");
        return vec![];
    }
    state.next_action();
    state.tell("Taking the next waiting conversation…");
    vec![state.send(Purpose::TakeNext, Request::TakeNext)]
}

/// The server gave us a conversation (now ours), or said nobody is waiting: open it, as an agent who asked
/// for work expects to start on it at once.
pub fn taken(state: &mut AppState, taken: Option<Conversation>) -> Vec<Effect> {
    let Some(c) = taken else {
        state.tell("Nobody is waiting in the queue.");
        return vec![];
    };
    state.tell(format!("Took {} from the queue", c.contact.name));
    let conversation_id = c.id.clone();
    let mut effects = super::filters::upsert(state, c);
    if let Some(i) = state.list.items.iter().position(|x| x.id == conversation_id) {
        effects.extend(super::navigation::select(state, i));
    }
    effects.extend(super::thread::open(state, conversation_id));
    effects.extend(super::filters::request_counts(state));
    effects
}

/// Taking failed. When the answer was lost, a conversation may have become ours: Mine is read again.
pub fn failed(state: &mut AppState, e: &BackendError) -> Vec<Effect> {
    if e.outcome_unknown() {
        state.set_error(format!(
            "Taking the next conversation: {e} — one may have become yours; Mine is read again (press 1)"
        ));
        return super::filters::request_counts(state);
    }
    state.set_error(format!("Could not take the next conversation: {}", super::actions::reason(e)));
    vec![]
}
