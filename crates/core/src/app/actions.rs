//! Triage actions: assign, status, priority, labels, on the selected conversation or on every marked one.
//!
//! Each change shows at once (optimistically), is confirmed by the server's answer, and is rolled back
//! with the reason in words when the server refuses. A conversation that no longer belongs in the view
//! leaves it and the selection moves on to the next one.

use super::{AppState, Batch, Change, Effect, Pane, Purpose, filters};
use crate::domain::Clean;
use crate::domain::{ConvStatus, Conversation, PersonRef, Priority};
use crate::protocol::BackendError;

/// The conversations an action applies to: the marked ones (in list order), else the open thread's or the
/// selected one.
pub fn targets(state: &AppState) -> Vec<Conversation> {
    if !state.triage.marked.is_empty() {
        return state.list.items.iter().filter(|c| state.triage.marked.contains(&c.id)).cloned().collect();
    }
    if let Some(c) = state.thread.as_ref().and_then(|t| t.conversation.ready()) {
        return vec![c.clone()];
    }
    if state.focus == Pane::Notifications {
        return vec![];
    }
    state.list.selected().cloned().into_iter().collect()
}

/// Applies `change` to every target locally and asks the server to do the same.
pub fn act(state: &mut AppState, change: Change) -> Vec<Effect> {
    let targets = targets(state);
    if targets.is_empty() {
        state.set_error("Nothing selected.");
        return vec![];
    }
    state.next_action();
    state.triage.batch =
        (targets.len() > 1).then(|| Batch { change: change.clone(), total: targets.len(), done: 0, failed: vec![] });
    if targets.len() == 1 {
        // Said at once, so the agent sees the request is on its way; the answer replaces it.
        let name = targets[0].contact.name.clone();
        state.tell(change.doing(&name));
    }
    let mut effects = Vec::new();
    for before in targets {
        let mut after = before.clone();
        change.apply(&mut after);
        let request = change.request(&after);
        effects.push(state.send(Purpose::Change { before: Box::new(before), change: change.clone() }, request));
        effects.extend(filters::upsert(state, after));
    }
    state.triage.marked.clear();
    state.triage.mark_anchor = None;
    effects
}

/// Assigns the targets to `agent` (or unassigns them with `None`).
pub fn assign(state: &mut AppState, agent: Option<PersonRef>) -> Vec<Effect> {
    let me = agent.as_ref().is_some_and(|a| state.account.me.as_ref().is_some_and(|m| m.id == a.id));
    act(state, Change::Assign { to: agent, me })
}

/// Assigns the targets to the signed-in agent.
pub fn assign_to_me(state: &mut AppState) -> Vec<Effect> {
    let Some(me) = state.account.me.as_ref().map(|m| PersonRef { id: m.id.clone(), name: m.name.clone() }) else {
        state.set_error("Still signing in; try again in a moment.");
        return vec![];
    };
    assign(state, Some(me))
}

/// Sets the targets' status.
pub fn set_status(state: &mut AppState, status: ConvStatus) -> Vec<Effect> {
    act(state, Change::Status(status))
}

/// Sets the targets' priority.
pub fn set_priority(state: &mut AppState, priority: Priority) -> Vec<Effect> {
    act(state, Change::Priority(priority))
}

/// Adds `add` and removes `remove` from each target's labels.
pub fn change_labels(state: &mut AppState, add: Vec<Clean>, remove: Vec<Clean>) -> Vec<Effect> {
    act(state, Change::Labels { add, remove })
}

/// The server confirmed a change: its version replaces the local one, and what the change touched is read
/// again (the contact's assignee follows an assignment).
pub fn confirmed(state: &mut AppState, change: &Change, c: Conversation) -> Vec<Effect> {
    let name = c.contact.name.clone();
    let contact_id = c.contact_id.clone();
    let mut effects = filters::upsert(state, c);
    effects.extend(filters::request_counts(state));
    if change.touches_assignee() {
        effects.extend(super::detail::reread_contact(state, &contact_id));
    }
    match state.triage.batch.as_mut() {
        Some(b) => {
            b.done += 1;
            finish_batch(state);
        }
        None => state.tell(change.done(&name)),
    }
    effects
}

/// The server refused a change: the conversation goes back to how it was, and the agent is told why. When
/// the answer was lost, nobody knows whether it was done: the conversation is read again and the agent is
/// told exactly that.
pub fn refused(state: &mut AppState, change: &Change, before: Conversation, e: &BackendError) -> Vec<Effect> {
    let name = before.contact.name.clone();
    let reason = reason(e);
    let unknown = e.outcome_unknown();
    let id = before.id.clone();
    let mut effects = filters::upsert(state, before);
    effects.extend(filters::request_counts(state));
    if unknown {
        effects.push(state.send(Purpose::Reread(id.clone()), crate::protocol::Request::Conversation(id)));
    }
    match state.triage.batch.as_mut() {
        Some(b) => {
            b.done += 1;
            b.failed.push((name, reason));
            finish_batch(state);
        }
        None => state.set_error(format!("{}: {reason}", change.failed(&name))),
    }
    effects
}

/// Why a change failed, in words that say what happened.
pub fn reason(e: &BackendError) -> String {
    match e {
        BackendError::Forbidden(m) => format!("not allowed: {m}"),
        BackendError::NotFound(_) => "it no longer exists on the server".into(),
        BackendError::Conflict(m) => format!("someone changed it first ({m})"),
        e if e.outcome_unknown() => {
            format!("{e} — the answer was lost, so it may have been done; showing what the server holds")
        }
        BackendError::Network(_) => format!("{e}; nothing was changed"),
        other => other.to_string(),
    }
}

fn finish_batch(state: &mut AppState) {
    let Some(b) = &state.triage.batch else { return };
    if b.done < b.total {
        return;
    }
    let ok = b.total - b.failed.len();
    let done = b.change.done_bulk();
    if b.failed.is_empty() {
        let text = format!("{done} — {} conversations", b.total);
        state.triage.batch = None;
        state.tell(text);
    } else {
        let (name, why) = &b.failed[0];
        let more = if b.failed.len() > 1 { format!(" and {} more", b.failed.len() - 1) } else { String::new() };
        let text = format!("{done} {ok} of {}; failed: {name} ({why}){more}", b.total);
        state.triage.batch = None;
        state.set_error(text);
    }
}

/// Space: marks or unmarks the selected row and moves down.
pub fn toggle_mark(state: &mut AppState) -> Vec<Effect> {
    let Some(c) = state.list.selected() else { return vec![] };
    let id = c.id.clone();
    if !state.triage.marked.remove(&id) {
        state.triage.marked.insert(id);
    }
    state.triage.mark_anchor = Some(state.list.selected);
    super::navigation::move_by(state, 1)
}

/// v: marks every row from the last mark to the selection.
pub fn mark_range(state: &mut AppState) {
    let here = state.list.selected;
    let from = state.triage.mark_anchor.unwrap_or(here);
    let (a, b) = if from <= here { (from, here) } else { (here, from) };
    for c in state.list.items.iter().skip(a).take(b - a + 1) {
        state.triage.marked.insert(c.id.clone());
    }
    state.triage.mark_anchor = Some(here);
}

/// *: marks every loaded row in the view.
pub fn mark_all(state: &mut AppState) {
    state.triage.marked = state.list.items.iter().map(|c| c.id.clone()).collect();
}
