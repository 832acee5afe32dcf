//! The reply and note composer: text that is never lost, and never goes to the wrong place.
//!
//! A reply and a note are separate drafts of a conversation: `R` opens the reply's, `P` the note's. Every
//! change asks the runtime to save the draft soon; the draft is removed only once the server has confirmed
//! the message; a failed send keeps the text and says why; a send whose answer was lost is said to be
//! unknown, and the thread is read again before anything is resent; a message from the customer or a
//! colleague that arrived since the agent started writing is shown and must be confirmed before sending.

use super::{Draft, DraftKey, Effect, MessageKind, Purpose, Requests, Thread};
use crate::domain::{Clean, Message, Time};
use crate::protocol::{BackendError, NewMessage, Request};
use std::collections::HashMap;

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

/// The composer feature: the open composer and the saved drafts not open in it.
#[derive(Debug, Clone, Default)]
pub struct Compose {
    /// The open composer, if any.
    pub open: Option<Composer>,
    /// Saved drafts not open in the composer, by conversation and kind (loaded from disk at start).
    pub drafts: HashMap<DraftKey, Draft>,
}

/// How a failed send leaves the composer.
#[derive(Debug, Clone, PartialEq)]
pub enum SendFailed {
    /// The composer was closed meanwhile: the draft is on disk, the status line must say what happened.
    Closed,
    /// Refused: the text is kept and the composer says why.
    Refused,
    /// The answer was lost: the thread must be read again before anything is resent.
    Unknown,
}

impl Compose {
    /// True when a draft (reply or note) waits in conversation `id`, saved or open.
    pub fn has_draft(&self, id: &str) -> bool {
        self.drafts.keys().any(|(d, _)| d == id)
            || self.open.as_ref().is_some_and(|c| c.conversation_id == id && !c.text().trim().is_empty())
    }

    /// Words announcing the drafts kept for conversation `id`, if any.
    pub fn kept_drafts(&self, id: &Clean) -> Option<&'static str> {
        let reply = self.drafts.contains_key(&(id.clone(), MessageKind::Reply));
        let note = self.drafts.contains_key(&(id.clone(), MessageKind::Note));
        match (reply, note) {
            (true, true) => Some("Drafts kept — R continues the reply, P the note"),
            (true, false) => Some("Draft kept — R to continue"),
            (false, true) => Some("Note draft kept — P to continue"),
            (false, false) => None,
        }
    }

    /// Opens the `kind` composer on conversation `id`, with its saved draft; `seen` is the newest message
    /// from someone else the agent can see now. Another open composer is saved as its own kind.
    pub fn open(
        &mut self,
        id: Clean,
        kind: MessageKind,
        seen: Option<Option<Clean>>,
        out: &mut Requests,
    ) -> Vec<Effect> {
        if self.open.as_ref().is_some_and(|c| c.conversation_id == id && c.kind == kind) {
            return vec![];
        }
        let mut effects = Vec::new();
        if let Some(other) = self.open.take() {
            // A note never turns into a reply: the open text stays with its own kind.
            let draft = other.draft();
            if !draft.text.trim().is_empty() {
                self.drafts.insert(draft.key(), draft.clone());
            }
            effects.push(Effect::SaveDraft(draft));
        }
        let saved = self.drafts.remove(&(id.clone(), kind));
        let revision = out.id();
        let key = match &saved {
            Some(d) if !d.idempotency_key.is_empty() => d.idempotency_key.clone(),
            _ => out.fresh_key(),
        };
        self.open = Some(Composer {
            kind,
            conversation_id: id,
            text: saved.map(|d| d.text).unwrap_or_default(),
            revision,
            sending: false,
            error: None,
            idempotency_key: key,
            seen_other: seen,
            confirm_newer: None,
            unknown: None,
        });
        effects
    }

    /// The agent typed: the text as it now stands.
    pub fn edited(&mut self, text: String) -> Vec<Effect> {
        let Some(c) = self.open.as_mut().filter(|c| c.accepts_input()) else { return vec![] };
        if c.text == text {
            return vec![];
        }
        c.text = text;
        if c.unknown.is_none() {
            c.error = None;
        }
        vec![Effect::SaveDraftSoon]
    }

    /// Text inserted into the open composer (a canned response): after what is typed, on its own line when
    /// what is typed ends a line, else after a space.
    pub fn insert(&mut self, text: &str) -> Vec<Effect> {
        let Some(c) = self.open.as_mut().filter(|c| c.accepts_input()) else { return vec![] };
        let gap = match c.text.chars().last() {
            None => "",
            Some(last) if last.is_whitespace() => "",
            Some(_) => " ",
        };
        c.text = format!("{}{gap}{text}", c.text);
        c.revision += 1;
        if c.unknown.is_none() {
            c.error = None;
        }
        vec![Effect::SaveDraftSoon]
    }

    /// `$EDITOR` returned this text.
    pub fn replace_text(&mut self, text: &str) -> Vec<Effect> {
        let Some(c) = self.open.as_mut() else { return vec![] };
        c.text = text.trim_end_matches('\n').to_string();
        c.revision += 1;
        vec![Effect::SaveNow]
    }

    /// `$EDITOR` could not run.
    pub fn editor_failed(&mut self, why: &str) {
        if let Some(c) = self.open.as_mut() {
            c.error = Some(format!("$EDITOR could not run: {why}"));
        }
    }

    /// Esc: answers "not yet" to a collision question (the newest message `seen` now counts as seen), or
    /// closes the composer keeping its draft; the words to confirm that, if any.
    pub fn close(&mut self, seen: Option<Option<Clean>>) -> (Vec<Effect>, Option<String>) {
        if let Some(c) = self.open.as_mut().filter(|c| c.confirm_newer.is_some()) {
            c.confirm_newer = None;
            c.seen_other = seen;
            return (vec![], None);
        }
        let Some(c) = self.open.take() else { return (vec![], None) };
        let draft = c.draft();
        let mut notice = None;
        if !draft.text.trim().is_empty() {
            let again = if c.is_note() { "P" } else { "R" };
            notice = Some(format!("Draft kept — {again} brings it back"));
            self.drafts.insert(draft.key(), draft.clone());
        }
        (vec![Effect::SaveDraft(draft)], notice)
    }

    /// Ctrl-S (`confirmed`: after y to a collision question). `newest` is the newest message from someone
    /// else in the open thread: one the agent has not seen is shown and asked about first.
    pub fn send(
        &mut self,
        confirmed: bool,
        newest: Option<Option<(Clean, String)>>,
        out: &mut Requests,
    ) -> Vec<Effect> {
        let Some(c) = self.open.as_mut() else { return vec![] };
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
                c.idempotency_key = out.fresh_key();
            }
        }
        // Unknown on either side (thread not loaded): nothing newer can have been shown.
        let newer = match (&newest, &c.seen_other) {
            (Some(Some((id, who))), Some(seen)) if seen.as_deref() != Some(id.as_str()) => {
                Some((id.clone(), who.clone()))
            }
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
        let (conversation_id, kind) = (c.conversation_id.clone(), c.kind);
        let purpose = Purpose::Send { conversation_id: conversation_id.clone(), kind };
        // Saved first, so a crash while sending still has the text and its key.
        vec![Effect::SaveNow, out.send(purpose, Request::Send { conversation_id, message })]
    }

    /// The server confirmed the message: its composer closes and its draft goes.
    pub fn sent(&mut self, id: &Clean, kind: MessageKind) -> Vec<Effect> {
        if self.open.as_ref().is_some_and(|c| c.conversation_id == *id && c.kind == kind) {
            self.open = None;
        }
        self.drafts.remove(&(id.clone(), kind));
        vec![Effect::ClearDraft(id.clone(), kind)]
    }

    /// The send failed with `e`.
    pub fn failed(&mut self, id: &Clean, kind: MessageKind, e: &BackendError) -> SendFailed {
        let what = if kind.is_note() { "note" } else { "reply" };
        let Some(c) = self.open.as_mut().filter(|c| c.conversation_id == *id && c.kind == kind) else {
            return SendFailed::Closed;
        };
        c.sending = false;
        if !e.outcome_unknown() {
            c.error =
                Some(format!("Not sent: {}. Your text is kept; {SEND_KEY} tries again.", super::status::reason(e)));
            return SendFailed::Refused;
        }
        c.unknown = Some(Unknown { text: c.text(), checked: false });
        c.error = Some(format!(
            "The answer was lost ({e}): this {what} may have been sent. Reading the thread again before anything is resent…"
        ));
        SendFailed::Unknown
    }

    /// The open thread's newest messages arrived: the composer learns what the agent has seen, and a send
    /// whose answer was lost is looked for among recent messages. The message found, if any (it did arrive).
    pub fn thread_loaded(
        &mut self,
        thread: &Thread,
        me: Option<&str>,
        now: Time,
    ) -> Option<(Clean, MessageKind, Message)> {
        let c = self.open.as_mut().filter(|c| thread.is(&c.conversation_id))?;
        if c.seen_other.is_none() {
            c.seen_other = thread.newest_other(me).map(|o| o.map(|(id, _)| id));
        }
        let u = c.unknown.as_mut()?;
        u.checked = true;
        // Only a recent one: the same words sent yesterday are not the message whose answer was lost.
        let recent = now - chrono::TimeDelta::minutes(2);
        if let Some(m) = thread.recent_match(&u.text, c.kind.is_note(), recent) {
            return Some((c.conversation_id.clone(), c.kind, m));
        }
        c.error = Some(format!(
            "The thread above does not show it: it was most likely not sent. {SEND_KEY} sends it (once)."
        ));
        None
    }

    /// A reply the server took failed later (`why`): its `text` goes back into conversation `id`'s composer
    /// of that kind, or its saved draft, ahead of anything written there since. True when it is open.
    pub fn restore(
        &mut self,
        id: &Clean,
        kind: MessageKind,
        text: &str,
        why: &str,
        out: &mut Requests,
    ) -> (Vec<Effect>, bool) {
        let merge = |now: &str| {
            if now.trim().is_empty() || now.contains(text.trim()) {
                if now.trim().is_empty() { text.to_string() } else { now.to_string() }
            } else {
                format!("{text}\n\n{now}")
            }
        };
        if let Some(c) = self.open.as_mut().filter(|c| c.conversation_id == *id && c.kind == kind) {
            c.text = merge(&c.text);
            c.revision += 1;
            // It is a new message now: the failed one keeps its own key.
            c.idempotency_key = out.fresh_key();
            c.error = Some(format!("Not delivered: {why}. Your text is back; {SEND_KEY} sends it again."));
            return (vec![Effect::SaveNow], true);
        }
        let key = (id.clone(), kind);
        let draft = match self.drafts.remove(&key) {
            Some(d) => Draft { text: merge(&d.text), idempotency_key: out.fresh_key(), ..d },
            None => {
                Draft { conversation_id: id.clone(), kind, text: text.to_string(), idempotency_key: out.fresh_key() }
            }
        };
        self.drafts.insert(key, draft.clone());
        (vec![Effect::SaveDraft(draft)], false)
    }

    /// The thread of conversation `id` could not be read: a send being checked says it cannot be.
    pub fn thread_unreadable(&mut self, id: &str, reason: &str) {
        if let Some(c) = self.open.as_mut().filter(|c| c.conversation_id == id)
            && c.unknown.as_ref().is_some_and(|u| !u.checked)
        {
            c.error = Some(format!(
                "The last send may have arrived, and the thread cannot be read to check ({reason}). Press r to try again."
            ));
        }
    }
}
