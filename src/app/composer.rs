//! The reply and note composer: text that is never lost.
//!
//! Every change asks the runtime to save the draft soon; the draft is removed only once the server has
//! confirmed the message; a failed send keeps the text and says why; a customer message that arrived
//! since the agent started writing is shown and must be confirmed before sending.

use super::{AppState, Effect, Load, Pane};
use crate::backend::NewMessage;
use crate::domain::{Direction, Message};
use crate::store::drafts::Draft;
use crate::worker::{Request, RequestId};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

/// The send key: Ctrl-S works in every terminal and over SSH (raw mode turns flow control off), and
/// leaves Enter for new lines.
pub const SEND_KEY: &str = "Ctrl-S";

/// An open composer.
#[derive(Debug, Clone)]
pub struct Composer {
    /// The conversation it writes to.
    pub conversation_id: String,
    /// A private note rather than a reply.
    pub private: bool,
    /// The editor.
    pub editor: TextArea<'static>,
    /// The send in flight.
    pub sending: Option<RequestId>,
    /// Why the last send failed.
    pub error: Option<String>,
    /// The key this text is sent with (kept across retries).
    pub idempotency_key: String,
    /// The newest customer message the agent had seen when writing; `None` until the thread has loaded.
    pub seen_incoming: Option<Option<String>>,
    /// Waiting for the agent to confirm sending after a newer customer message.
    pub confirm_newer: bool,
}

impl Composer {
    /// The text as it stands.
    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// The draft to save.
    pub fn draft(&self) -> Draft {
        Draft {
            conversation_id: self.conversation_id.clone(),
            private: self.private,
            text: self.text(),
            idempotency_key: self.idempotency_key.clone(),
        }
    }
}

/// The newest customer message shown in the thread: `None` while the thread is not loaded.
fn newest_incoming(state: &AppState, conversation_id: &str) -> Option<Option<String>> {
    let t = state.thread.as_ref().filter(|t| t.conversation_id == conversation_id)?;
    let Load::Ready(messages) = &t.messages else { return None };
    Some(messages.iter().rev().find(|m| m.direction == Direction::Incoming && !m.private).map(|m| m.id.clone()))
}

/// The thread loaded: what it shows now is what the agent has seen.
pub fn thread_loaded(state: &mut AppState) {
    let newest = state.composer.as_ref().and_then(|c| newest_incoming(state, &c.conversation_id));
    if let Some(c) = state.composer.as_mut().filter(|c| c.seen_incoming.is_none()) {
        c.seen_incoming = newest;
    }
}

fn new_key(state: &mut AppState) -> String {
    let n = state.request_id();
    format!("{}-{n}", state.nonce)
}

/// `R` (reply) or `P` (private note): opens the composer on the target conversation, with its saved draft.
pub fn open(state: &mut AppState, private: bool) -> Vec<Effect> {
    let target = state
        .thread
        .as_ref()
        .map(|t| t.conversation_id.clone())
        .or_else(|| (state.focus == Pane::List).then(|| state.list.selected().map(|c| c.id.clone())).flatten());
    let Some(conversation_id) = target else {
        state.error = Some("Select a conversation to reply to.".into());
        return vec![];
    };
    let mut effects = Vec::new();
    if state.thread.as_ref().is_none_or(|t| t.conversation_id != conversation_id) {
        effects.extend(super::detail::open_thread(state, conversation_id.clone()));
    }
    if let Some(c) = state.composer.as_mut().filter(|c| c.conversation_id == conversation_id) {
        // Switching between reply and note keeps the text.
        c.private = private;
        effects.push(Effect::SaveDraftSoon);
        return effects;
    }
    let saved = state.drafts.remove(&conversation_id);
    let key = match &saved {
        Some(d) if !d.idempotency_key.is_empty() => d.idempotency_key.clone(),
        _ => new_key(state),
    };
    let lines: Vec<String> = saved.as_ref().map(|d| d.text.split('\n').map(String::from).collect()).unwrap_or_default();
    let mut editor = TextArea::new(lines);
    editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    state.composer = Some(Composer {
        private: saved.as_ref().map(|d| d.private && private).unwrap_or(private),
        conversation_id: conversation_id.clone(),
        editor,
        sending: None,
        error: None,
        idempotency_key: key,
        seen_incoming: newest_incoming(state, &conversation_id),
        confirm_newer: false,
    });
    effects
}

/// A key typed into the composer.
pub fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(c) = state.composer.as_mut() else { return vec![] };
    if c.sending.is_some() {
        return vec![];
    }
    if c.confirm_newer {
        return vec![];
    }
    if c.editor.input(key) {
        c.error = None;
        return vec![Effect::SaveDraftSoon];
    }
    vec![]
}

/// Replaces the text (after editing it in `$EDITOR`).
pub fn replace_text(state: &mut AppState, text: &str) -> Vec<Effect> {
    let Some(c) = state.composer.as_mut() else { return vec![] };
    let mut editor = TextArea::new(text.trim_end_matches('\n').split('\n').map(String::from).collect());
    editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    c.editor = editor;
    vec![Effect::SaveNow]
}

/// Esc: closes the composer; the draft stays on disk and comes back when the composer reopens.
pub fn close(state: &mut AppState) -> Vec<Effect> {
    let Some(c) = state.composer.take() else { return vec![] };
    if c.confirm_newer {
        // Esc answers "not yet": back to editing.
        state.composer =
            Some(Composer { confirm_newer: false, seen_incoming: newest_incoming(state, &c.conversation_id), ..c });
        return vec![];
    }
    let draft = c.draft();
    if !draft.text.trim().is_empty() {
        state.notice = Some("Draft kept — R or P brings it back".into());
        state.drafts.insert(draft.conversation_id.clone(), draft.clone());
    }
    vec![Effect::SaveDraft(draft)]
}

/// Ctrl-S: sends, unless a newer customer message must be seen first.
pub fn send(state: &mut AppState, confirmed: bool) -> Vec<Effect> {
    let newest = state.composer.as_ref().and_then(|c| newest_incoming(state, &c.conversation_id));
    let Some(c) = state.composer.as_mut() else { return vec![] };
    if c.sending.is_some() {
        return vec![];
    }
    // Unknown on either side (thread not loaded): nothing newer can have been shown.
    let newer = matches!((&newest, &c.seen_incoming), (Some(now), Some(seen)) if now != seen);
    let text = c.text();
    if text.trim().is_empty() {
        c.error = Some("Nothing to send yet.".into());
        return vec![];
    }
    if !confirmed && !c.private && newer {
        c.confirm_newer = true;
        c.seen_incoming = newest;
        return vec![];
    }
    c.confirm_newer = false;
    let message = NewMessage {
        text: text.trim_end().to_string(),
        private: c.private,
        idempotency_key: c.idempotency_key.clone(),
    };
    let conversation_id = c.conversation_id.clone();
    let id = state.request_id();
    if let Some(c) = state.composer.as_mut() {
        c.sending = Some(id);
        c.error = None;
    }
    // Saved first, so a crash while sending still has the text and its key.
    vec![Effect::SaveNow, Effect::Send { id, key: None, request: Request::Send { conversation_id, message } }]
}

/// The server confirmed the message: the composer closes and the draft goes.
pub fn sent(state: &mut AppState, id: RequestId, m: Message) -> Vec<Effect> {
    let Some(c) = state.composer.as_ref().filter(|c| c.sending == Some(id)) else {
        super::detail::message_created(state, m);
        return vec![];
    };
    let conversation_id = c.conversation_id.clone();
    state.notice = Some(if m.private { "Note added".into() } else { "Reply sent".into() });
    state.error = None;
    state.composer = None;
    state.drafts.remove(&conversation_id);
    super::detail::message_created(state, m);
    vec![Effect::ClearDraft(conversation_id)]
}

/// The send failed: the text stays, with the reason.
pub fn failed(state: &mut AppState, id: RequestId, reason: String) -> bool {
    match state.composer.as_mut().filter(|c| c.sending == Some(id)) {
        Some(c) => {
            c.sending = None;
            c.error = Some(format!("Not sent: {reason}. Your text is kept; {SEND_KEY} tries again."));
            true
        }
        None => false,
    }
}
