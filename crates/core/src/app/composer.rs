//! The reply and note composer: text that is never lost, and never goes to the wrong place.
//!
//! A reply and a note are separate drafts of a conversation: `R` opens the reply's, `P` the note's. Every
//! change asks the runtime to save the draft soon; the draft is removed only once the server has confirmed
//! the message; a failed send keeps the text and says why; a send whose answer was lost is said to be
//! unknown, and the thread is read again before anything is resent; a message from the customer or a
//! colleague that arrived since the agent started writing is shown and must be confirmed before sending.

use super::{AppState, Draft, Effect, Load, MessageKind, Pane, Purpose};
use crate::domain::{Clean, Direction, Message};
use crate::protocol::Request;
use crate::protocol::{BackendError, NewMessage, PageReq};

/// The send key: Ctrl-S works in every terminal and over SSH (raw mode turns flow control off), and
/// leaves Enter for new lines.
pub const SEND_KEY: &str = "Ctrl-S";

/// A send whose answer was lost: the message may or may not be on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// The text that was sent.
    pub text: String,
    /// True once the thread has been read again since, and shown.
    pub checked: bool,
}

/// An open composer.
#[derive(Debug, Clone)]
pub struct Composer {
    /// The conversation it writes to.
    pub conversation_id: Clean,
    /// A reply or a private note.
    pub kind: MessageKind,
    /// The text. The editing widget lives at the terminal's edge and reports every change.
    pub text: String,
    /// Bumped whenever the core itself replaces the text (a draft, `$EDITOR`), so the widget reloads it.
    pub revision: u64,
    /// A send is in flight.
    pub sending: bool,
    /// Why the last send failed, or what is uncertain about it.
    pub error: Option<String>,
    /// The key this text is sent with (kept across retries of the same text).
    pub idempotency_key: String,
    /// The newest message from anyone but me the agent had seen when writing; `None` until the thread loaded.
    pub seen_other: Option<Option<Clean>>,
    /// Waiting for the agent to confirm sending after a newer message from the customer or a colleague.
    pub confirm_newer: Option<String>,
    /// The last send's answer was lost.
    pub unknown: Option<Unknown>,
}

impl Composer {
    /// The text as it stands.
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// True when typing may change the text (not while sending or asking).
    pub fn accepts_input(&self) -> bool {
        !self.sending && self.confirm_newer.is_none()
    }

    /// True for a private note.
    pub fn is_note(&self) -> bool {
        self.kind.is_note()
    }

    /// The draft to save.
    pub fn draft(&self) -> Draft {
        Draft {
            conversation_id: self.conversation_id.clone(),
            kind: self.kind,
            text: self.text(),
            idempotency_key: self.idempotency_key.clone(),
        }
    }
}

/// The newest message shown in the thread that the agent did not write: the customer's, or a colleague's
/// reply. `None` while the thread is not loaded.
fn newest_other(state: &AppState, conversation_id: &Clean) -> Option<Option<(Clean, String)>> {
    let t = state.thread.as_ref().filter(|t| t.conversation_id == conversation_id)?;
    let Load::Ready(messages) = &t.messages else { return None };
    let me = state.account.me.as_ref().map(|m| m.id.as_str());
    let other = messages.iter().rev().find(|m| {
        !m.private
            && match m.direction {
                Direction::Incoming => true,
                Direction::Outgoing => m.author.as_ref().is_some_and(|a| Some(a.id.as_str()) != me),
                Direction::Other(_) => false,
            }
    });
    Some(other.map(|m| {
        let who = match (&m.direction, &m.author) {
            (Direction::Outgoing, Some(a)) => format!("{} replied", a.name),
            _ => "A new customer message arrived".to_string(),
        };
        (m.id.clone(), who)
    }))
}

fn newest_other_id(state: &AppState, conversation_id: &Clean) -> Option<Option<Clean>> {
    newest_other(state, conversation_id).map(|o| o.map(|(id, _)| id))
}

/// The thread loaded: what it shows now is what the agent has seen, and a lost send can be looked for.
pub fn thread_loaded(state: &mut AppState) -> Vec<Effect> {
    let Some(cid) = state.composer.as_ref().map(|c| c.conversation_id.clone()) else { return vec![] };
    let newest = newest_other_id(state, &cid);
    let found = state.composer.as_ref().and_then(|c| c.unknown.as_ref()).and_then(|u| {
        let t = state.thread.as_ref()?;
        let kind = state.composer.as_ref()?.kind;
        // Only a recent one: the same words sent yesterday are not the message whose answer was lost.
        let recent = state.now - chrono::TimeDelta::minutes(2);
        let messages = t.messages.ready()?.iter().rev().take(20);
        messages.filter(|m| m.created_at.is_none_or(|at| at >= recent)).find(|m| is_ours(m, &u.text, kind)).cloned()
    });
    let Some(c) = state.composer.as_mut() else { return vec![] };
    if c.seen_other.is_none() {
        c.seen_other = newest;
    }
    let Some(u) = c.unknown.as_mut() else { return vec![] };
    u.checked = true;
    if let Some(m) = found {
        // It did arrive: the draft is done with.
        let kind = c.kind;
        return sent(state, &cid, kind, m);
    }
    c.error =
        Some(format!("The thread above does not show it: it was most likely not sent. {SEND_KEY} sends it (once)."));
    vec![]
}

fn is_ours(m: &Message, text: &str, kind: MessageKind) -> bool {
    m.direction == Direction::Outgoing && m.private == kind.is_note() && m.text.trim() == text.trim()
}

fn new_key(state: &mut AppState) -> String {
    let n = state.request_id();
    format!("{}-{n}", state.nonce)
}

/// `R` (reply) or `P` (private note): opens that kind's composer on the target conversation, with that
/// kind's draft. The other kind's draft is saved and stays apart.
pub fn open(state: &mut AppState, kind: MessageKind) -> Vec<Effect> {
    let target = state
        .thread
        .as_ref()
        .map(|t| t.conversation_id.clone())
        .or_else(|| (state.focus == Pane::List).then(|| state.list.selected().map(|c| c.id.clone())).flatten());
    let Some(conversation_id) = target else {
        state.set_error("Select a conversation to reply to.");
        return vec![];
    };
    let mut effects = Vec::new();
    if state.thread.as_ref().is_none_or(|t| t.conversation_id != conversation_id) {
        effects.extend(super::thread::open(state, conversation_id.clone()));
    }
    if state.composer.as_ref().is_some_and(|c| c.conversation_id == conversation_id && c.kind == kind) {
        return effects;
    }
    if let Some(other) = state.composer.take() {
        // A note never turns into a reply: the open text stays with its own kind.
        let draft = other.draft();
        if !draft.text.trim().is_empty() {
            state.drafts.insert(draft.key(), draft.clone());
        }
        effects.push(Effect::SaveDraft(draft));
    }
    let saved = state.drafts.remove(&(conversation_id.clone(), kind));
    let revision = state.request_id();
    let key = match &saved {
        Some(d) if !d.idempotency_key.is_empty() => d.idempotency_key.clone(),
        _ => new_key(state),
    };
    state.composer = Some(Composer {
        kind,
        conversation_id: conversation_id.clone(),
        text: saved.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
        revision,
        sending: false,
        error: None,
        idempotency_key: key,
        seen_other: newest_other_id(state, &conversation_id),
        confirm_newer: None,
        unknown: None,
    });
    effects
}

/// The agent typed: the widget reports the text as it now stands.
pub fn edited(state: &mut AppState, text: String) -> Vec<Effect> {
    let Some(c) = state.composer.as_mut().filter(|c| c.accepts_input()) else { return vec![] };
    if c.text == text {
        return vec![];
    }
    c.text = text;
    if c.unknown.is_none() {
        c.error = None;
    }
    vec![Effect::SaveDraftSoon]
}

/// Replaces the text (after editing it in `$EDITOR`).
pub fn replace_text(state: &mut AppState, text: &str) -> Vec<Effect> {
    let Some(c) = state.composer.as_mut() else { return vec![] };
    c.text = text.trim_end_matches('\n').to_string();
    c.revision += 1;
    vec![Effect::SaveNow]
}

/// Esc: closes the composer; the draft stays on disk and comes back when the composer reopens.
pub fn close(state: &mut AppState) -> Vec<Effect> {
    if let Some(c) = state.composer.as_mut().filter(|c| c.confirm_newer.is_some()) {
        // Esc answers "not yet": back to editing, with the new message counted as seen.
        c.confirm_newer = None;
        let cid = c.conversation_id.clone();
        let newest = newest_other_id(state, &cid);
        if let Some(c) = state.composer.as_mut() {
            c.seen_other = newest;
        }
        return vec![];
    }
    let Some(c) = state.composer.take() else { return vec![] };
    let draft = c.draft();
    if !draft.text.trim().is_empty() {
        let again = if c.is_note() { "P" } else { "R" };
        state.tell(format!("Draft kept — {again} brings it back"));
        state.drafts.insert(draft.key(), draft.clone());
    }
    vec![Effect::SaveDraft(draft)]
}

/// Ctrl-S: sends, unless a newer message must be seen first or a lost send has not been looked for yet.
pub fn send(state: &mut AppState, confirmed: bool) -> Vec<Effect> {
    let Some(cid) = state.composer.as_ref().map(|c| c.conversation_id.clone()) else { return vec![] };
    let newest = newest_other(state, &cid);
    let fresh_key = new_key(state);
    let Some(c) = state.composer.as_mut() else { return vec![] };
    if c.sending {
        return vec![];
    }
    let text = c.text();
    if text.trim().is_empty() {
        c.error = Some("Nothing to send yet.".into());
        return vec![];
    }
    if let Some(u) = &c.unknown {
        if !u.checked {
            c.error = Some("Still reading the thread to see whether the last send arrived…".into());
            return vec![];
        }
        if u.text.trim() != text.trim() {
            // Changed after the agent saw the thread: a new message, under a new key.
            c.idempotency_key = fresh_key;
        }
    }
    // Unknown on either side (thread not loaded): nothing newer can have been shown.
    let newer = match (&newest, &c.seen_other) {
        (Some(Some((id, who))), Some(seen)) if seen.as_deref() != Some(id.as_str()) => Some((id.clone(), who.clone())),
        _ => None,
    };
    if !confirmed
        && !c.is_note()
        && let Some((id, who)) = newer
    {
        c.confirm_newer = Some(who);
        c.seen_other = Some(Some(id));
        return vec![];
    }
    c.confirm_newer = None;
    c.unknown = None;
    c.sending = true;
    c.error = None;
    let message = NewMessage {
        text: text.trim_end().to_string(),
        private: c.is_note(),
        idempotency_key: c.idempotency_key.clone(),
    };
    let kind = c.kind;
    // Saved first, so a crash while sending still has the text and its key.
    let send = state
        .send(Purpose::Send { conversation_id: cid.clone(), kind }, Request::Send { conversation_id: cid, message });
    vec![Effect::SaveNow, send]
}

/// The server confirmed the message: the composer of that conversation and kind closes and its draft goes.
pub fn sent(state: &mut AppState, conversation_id: &Clean, kind: MessageKind, m: Message) -> Vec<Effect> {
    if state.composer.as_ref().is_some_and(|c| c.conversation_id == conversation_id && c.kind == kind) {
        state.composer = None;
    }
    state.drafts.remove(&(conversation_id.clone(), kind));
    state.tell(if kind.is_note() { "Note added" } else { "Reply sent" });
    super::thread::message_created(state, m);
    vec![Effect::ClearDraft(conversation_id.clone(), kind)]
}

/// The send failed. A refusal keeps the text with the reason; a lost answer is said as unknown and the
/// thread is read again before anything is resent.
pub fn failed(state: &mut AppState, conversation_id: &Clean, kind: MessageKind, e: &BackendError) -> Vec<Effect> {
    let what = if kind.is_note() { "note" } else { "reply" };
    let open = state.composer.as_mut().filter(|c| c.conversation_id == conversation_id && c.kind == kind);
    let Some(c) = open else {
        // The composer was closed meanwhile: the draft is on disk; the status line says what happened.
        let name = state.list.items.iter().find(|c| c.id == conversation_id).map(|c| c.contact.name.clone());
        let to = name.map(|n| format!(" to {n}")).unwrap_or_default();
        state.set_error(if e.outcome_unknown() {
            format!("The {what}{to} may have been sent (the answer was lost); its draft is kept")
        } else {
            format!("The {what}{to} was not sent: {}; its draft is kept", super::actions::reason(e))
        });
        return vec![];
    };
    c.sending = false;
    if !e.outcome_unknown() {
        c.error = Some(format!("Not sent: {}. Your text is kept; {SEND_KEY} tries again.", super::actions::reason(e)));
        return vec![];
    }
    c.unknown = Some(Unknown { text: c.text(), checked: false });
    c.error = Some(format!(
        "The answer was lost ({e}): this {what} may have been sent. Reading the thread again before anything is resent…"
    ));
    let request = Request::Messages(conversation_id.clone(), PageReq { page: 1, limit: 100 });
    if let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == conversation_id) {
        t.scroll = 0;
    }
    vec![state.send(Purpose::Thread(conversation_id.clone()), request)]
}
