//! A draft: the text of a reply or of a note, kept apart per conversation and per kind.

use super::MessageKind;
use serde::{Deserialize, Serialize};

/// An unsent text, as the composer and the disk keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The conversation it belongs to.
    pub conversation_id: crate::domain::Clean,
    /// A reply or a private note: a note's draft never reopens as a reply, nor the other way round.
    pub kind: MessageKind,
    /// The text.
    pub text: String,
    /// The key the send uses, kept so a send retried after a crash creates one message.
    pub idempotency_key: String,
}

/// Where a draft belongs: its conversation and its kind.
pub type DraftKey = (crate::domain::Clean, MessageKind);

impl Draft {
    /// Its place among the drafts.
    pub fn key(&self) -> DraftKey {
        (self.conversation_id.clone(), self.kind)
    }
}
