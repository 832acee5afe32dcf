//! Taking the next waiting conversation from the server's queue (Whatomate's transfers).

use super::{AppState, Effect, Pending};
use crate::domain::Conversation;
use crate::worker::{Request, RequestKey};

/// Asks the server for the conversation that has waited longest; one request at a time.
pub fn take_next(state: &mut AppState) -> Vec<Effect> {
    if state.pending.values().any(|p| matches!(p, Pending::TakeNext)) {
        state.notice = Some("Still taking the next conversation…".into());
        return vec![];
    }
    let id = state.request_id();
    state.pending.insert(id, Pending::TakeNext);
    state.notice = Some("Taking the next waiting conversation…".into());
    state.error = None;
    vec![Effect::Send { id, key: Some(RequestKey::Named("take-next".into())), request: Request::TakeNext }]
}

/// The server gave us a conversation (now ours), or said nobody is waiting: open it, as an agent who asked
/// for work expects to start on it at once.
pub fn taken(state: &mut AppState, id: u64, taken: Option<Conversation>) -> Vec<Effect> {
    state.pending.remove(&id);
    let Some(c) = taken else {
        state.notice = Some("Nobody is waiting in the queue.".into());
        return vec![];
    };
    state.notice = Some(format!("Took {} from the queue: it is yours now.", c.contact.name));
    let conversation_id = c.id.clone();
    let mut effects = super::filters::upsert(state, c);
    if let Some(i) = state.list.items.iter().position(|x| x.id == conversation_id) {
        effects.extend(super::navigation::select(state, i));
    }
    effects.extend(super::detail::open_thread(state, conversation_id));
    effects
}
