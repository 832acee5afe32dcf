//! What a server may be unable to do: a closed set, so a typo cannot hide an action that should be refused.

use serde::{Deserialize, Serialize};

/// An operation some servers lack; a backend lists the ones it cannot do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Capability {
    /// Labels (tags) on conversations.
    Labels,
    /// Creating a new label (a tag everyone can pick).
    CreateLabels,
    /// Taking the next waiting conversation from a queue.
    TakeNext,
    /// Conversation status (open, closed, archived).
    Status,
    /// Conversation priority.
    Priority,
    /// Private notes in the thread.
    PrivateNotes,
    /// Comments on a contact (separate from the thread's notes).
    Comments,
    /// Editing a contact.
    ContactEditing,
    /// Creating and deleting contacts.
    ContactCreateDelete,
    /// Files attached to a contact.
    Files,
    /// Agents' open-conversation counts.
    OpenCounts,
    /// Chatbot session data.
    ChatbotSession,
    /// Marking a conversation read.
    MarkRead,
    /// WhatsApp templates (for a closed 24-hour window).
    Templates,
    /// Canned responses to insert into a reply.
    CannedResponses,
    /// Listing one channel's conversations only.
    ChannelFilter,
    /// A conversation's activity log.
    Activities,
}

impl Capability {
    /// How help and messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Capability::Labels => "labels",
            Capability::CreateLabels => "new labels",
            Capability::TakeNext => "take next",
            Capability::Status => "status",
            Capability::Priority => "priority",
            Capability::PrivateNotes => "private notes",
            Capability::Comments => "contact comments",
            Capability::ContactEditing => "contact editing",
            Capability::ContactCreateDelete => "contact create/delete",
            Capability::Files => "files",
            Capability::OpenCounts => "open counts",
            Capability::ChatbotSession => "chatbot session",
            Capability::MarkRead => "mark read",
            Capability::Templates => "templates",
            Capability::CannedResponses => "canned responses",
            Capability::ChannelFilter => "the channel filter",
            Capability::Activities => "activities",
        }
    }
}

impl std::fmt::Display for Capability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
