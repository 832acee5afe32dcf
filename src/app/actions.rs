//! Triage actions: assign, status, priority, labels, on the selected conversation or on every marked one.
//!
//! Each change shows at once (optimistically), is confirmed by the server's answer, and is rolled back
//! with the reason in words when the server refuses. A conversation that no longer belongs in the view
//! leaves it and the selection moves on to the next one.

use super::{AppState, Batch, Effect, Pane, Pending, filters};
use crate::backend::{BackendError, ConversationPatch};
use crate::domain::{ConvStatus, Conversation, PersonRef, Priority};
use crate::worker::Request;

/// The conversations an action applies to: the marked ones (in list order), else the open thread's or the
/// selected one.
pub fn targets(state: &AppState) -> Vec<Conversation> {
    if !state.marked.is_empty() {
        return state.list.items.iter().filter(|c| state.marked.contains(&c.id)).cloned().collect();
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
fn act(
    state: &mut AppState,
    what: String,
    change: impl Fn(&mut Conversation),
    request: impl Fn(&Conversation) -> Request,
) -> Vec<Effect> {
    let targets = targets(state);
    if targets.is_empty() {
        state.error = Some("Nothing selected.".into());
        return vec![];
    }
    state.error = None;
    state.notice = None;
    state.batch =
        (targets.len() > 1).then(|| Batch { what: what.clone(), total: targets.len(), done: 0, failed: vec![] });
    let mut effects = Vec::new();
    for before in targets {
        let mut after = before.clone();
        change(&mut after);
        let id = state.request_id();
        effects.push(Effect::Send { id, key: None, request: request(&after) });
        state.pending.insert(id, Pending::Change { before: Box::new(before), what: what.clone() });
        effects.extend(filters::upsert(state, after));
    }
    state.marked.clear();
    state.mark_anchor = None;
    effects
}

/// Assigns the targets to `agent` (or unassigns them with `None`).
pub fn assign(state: &mut AppState, agent: Option<PersonRef>) -> Vec<Effect> {
    let what = match &agent {
        Some(a) if state.me.as_ref().is_some_and(|m| m.id == a.id) => "assign to you".to_string(),
        Some(a) => format!("assign to {}", a.name),
        None => "unassign".to_string(),
    };
    let to = agent.clone();
    act(
        state,
        what,
        move |c| c.assignee = to.clone(),
        |c| Request::Assign { conversation_id: c.id.clone(), agent_id: c.assignee.as_ref().map(|a| a.id.clone()) },
    )
}

/// Assigns the targets to the signed-in agent.
pub fn assign_to_me(state: &mut AppState) -> Vec<Effect> {
    let Some(me) = state.me.as_ref().map(|m| PersonRef { id: m.id.clone(), name: m.name.clone() }) else {
        state.error = Some("Still signing in; try again in a moment.".into());
        return vec![];
    };
    assign(state, Some(me))
}

/// Sets the targets' status.
pub fn set_status(state: &mut AppState, status: ConvStatus) -> Vec<Effect> {
    let verb = match status {
        ConvStatus::Open => "reopen",
        ConvStatus::Closed => "close",
        ConvStatus::Archived => "archive",
        ConvStatus::Other(_) => "change status of",
    };
    let s = status.clone();
    act(
        state,
        verb.into(),
        move |c| c.status = s.clone(),
        |c| patch(c, ConversationPatch { status: Some(c.status.to_string()), ..Default::default() }),
    )
}

/// Sets the targets' priority.
pub fn set_priority(state: &mut AppState, priority: Priority) -> Vec<Effect> {
    let p = priority.clone();
    act(
        state,
        format!("set priority {priority} on"),
        move |c| c.priority = p.clone(),
        |c| patch(c, ConversationPatch { priority: Some(c.priority.to_string()), ..Default::default() }),
    )
}

/// Adds `add` and removes `remove` from each target's labels.
pub fn change_labels(state: &mut AppState, add: Vec<String>, remove: Vec<String>) -> Vec<Effect> {
    let what = match (add.is_empty(), remove.is_empty()) {
        (false, true) => format!("label [{}]", add.join(", ")),
        (true, false) => format!("remove [{}] from", remove.join(", ")),
        _ => "change labels of".to_string(),
    };
    act(
        state,
        what,
        move |c| {
            c.labels.retain(|l| !remove.contains(l));
            for l in &add {
                if !c.labels.contains(l) {
                    c.labels.push(l.clone());
                }
            }
        },
        |c| patch(c, ConversationPatch { labels: Some(c.labels.clone()), ..Default::default() }),
    )
}

fn patch(c: &Conversation, patch: ConversationPatch) -> Request {
    Request::Patch { conversation_id: c.id.clone(), patch }
}

fn name_of(c: &Conversation) -> String {
    c.contact.name.clone()
}

fn past(what: &str) -> String {
    // "assign to X" -> "Assigned to X"; "close" -> "Closed"; "label [x]" -> "Labelled [x]"
    let (verb, rest) = what.split_once(' ').unwrap_or((what, ""));
    let done = match verb {
        "assign" => "Assigned",
        "unassign" => "Unassigned",
        "close" => "Closed",
        "reopen" => "Reopened",
        "archive" => "Archived",
        "label" => "Labelled",
        "remove" => "Removed",
        "set" => "Set",
        _ => "Changed",
    };
    if rest.is_empty() { done.to_string() } else { format!("{done} {rest}") }
}

/// The server confirmed a change: its version replaces the local one.
pub fn confirmed(state: &mut AppState, what: &str, c: Conversation) -> Vec<Effect> {
    let name = name_of(&c);
    let mut effects = filters::upsert(state, c);
    effects.extend(filters::request_counts(state));
    match state.batch.as_mut() {
        Some(b) => {
            b.done += 1;
            finish_batch(state);
        }
        None => state.notice = Some(with_name(&past(what), &name)),
    }
    effects
}

/// "Removed [vip] from Marta Ruiz", "Closed — Marta Ruiz": a phrase that ends in a preposition takes the name.
fn with_name(phrase: &str, name: &str) -> String {
    let joins = ["from", "on", "of"].iter().any(|p| phrase.ends_with(&format!(" {p}")));
    if joins { format!("{phrase} {name}") } else { format!("{phrase} — {name}") }
}

/// The server refused a change: the conversation goes back to how it was, and the agent is told why.
pub fn refused(state: &mut AppState, what: &str, before: Conversation, e: &BackendError) -> Vec<Effect> {
    let name = name_of(&before);
    let reason = reason(e);
    let mut effects = filters::upsert(state, before);
    effects.extend(filters::request_counts(state));
    match state.batch.as_mut() {
        Some(b) => {
            b.done += 1;
            b.failed.push((name, reason));
            finish_batch(state);
        }
        None => {
            state.notice = None;
            state.error = Some(format!("{}: {reason}", with_name(&format!("Could not {what}"), &name)));
        }
    }
    effects
}

/// Why a change failed, in words that say what happened.
pub fn reason(e: &BackendError) -> String {
    match e {
        BackendError::Forbidden(m) => format!("not allowed: {m}"),
        BackendError::NotFound(_) => "it no longer exists on the server".into(),
        BackendError::Conflict(m) => format!("someone changed it first ({m})"),
        BackendError::Network(_) => "the server could not be reached; nothing was changed".into(),
        other => other.to_string(),
    }
}

fn finish_batch(state: &mut AppState) {
    let Some(b) = &state.batch else { return };
    if b.done < b.total {
        return;
    }
    let ok = b.total - b.failed.len();
    if b.failed.is_empty() {
        state.notice = Some(format!("{} — {} conversations", past(&b.what), b.total));
        state.error = None;
    } else {
        let (name, why) = &b.failed[0];
        let more = if b.failed.len() > 1 { format!(" and {} more", b.failed.len() - 1) } else { String::new() };
        state.error = Some(format!("{} {ok} of {}; failed: {name} ({why}){more}", past(&b.what), b.total));
        state.notice = None;
    }
    state.batch = None;
}

/// Space: marks or unmarks the selected row and moves down.
pub fn toggle_mark(state: &mut AppState) -> Vec<Effect> {
    let Some(c) = state.list.selected() else { return vec![] };
    let id = c.id.clone();
    if !state.marked.remove(&id) {
        state.marked.insert(id);
    }
    state.mark_anchor = Some(state.list.selected);
    super::navigation::move_by(state, 1)
}

/// v: marks every row from the last mark to the selection.
pub fn mark_range(state: &mut AppState) {
    let here = state.list.selected;
    let from = state.mark_anchor.unwrap_or(here);
    let (a, b) = if from <= here { (from, here) } else { (here, from) };
    for c in state.list.items.iter().skip(a).take(b - a + 1) {
        state.marked.insert(c.id.clone());
    }
    state.mark_anchor = Some(here);
}

/// *: marks every loaded row in the view.
pub fn mark_all(state: &mut AppState) {
    state.marked = state.list.items.iter().map(|c| c.id.clone()).collect();
}
