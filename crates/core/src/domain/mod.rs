//! The model every backend maps into and every screen draws from. Strings here are already sanitized.

mod capability;
mod kinds;
mod panel;
mod template;

pub use capability::Capability;
pub use kinds::*;
pub use panel::*;
pub use template::{Canned, Template, TemplateSend, fill, placeholders};

pub use crate::text::{Clean, CleanText};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A point in time from the server.
pub type Time = DateTime<Utc>;

/// A support agent (a user of the inbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// Server id.
    pub id: Clean,
    /// Display name.
    pub name: Clean,
    /// Email address.
    pub email: Clean,
    /// Whether the agent takes new conversations now.
    pub available: bool,
    /// How many open conversations the agent holds.
    pub open_conversations: u32,
    /// What this agent's role may not do on the server (read from its permissions where the server has them).
    #[serde(default)]
    pub cannot: Vec<Capability>,
}

/// A short reference to a person, as conversations and comments name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    /// Server id.
    pub id: Clean,
    /// Display name.
    pub name: Clean,
}

/// A label agents put on conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The label text, as conversations carry it.
    pub name: Clean,
    /// A colour role for display.
    pub color: ColorRole,
}

/// A customer (or lead) the inbox talks to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// Server id.
    pub id: Clean,
    /// Best name to show (full name, then name, then profile name, then phone).
    pub name: Clean,
    /// First name, when known.
    pub first_name: Option<Clean>,
    /// Last name, when known.
    pub last_name: Option<Clean>,
    /// The name from the customer's channel profile.
    pub profile_name: Option<Clean>,
    /// Phone in E.164.
    pub phone: Option<Clean>,
    /// Email address.
    pub email: Option<Clean>,
    /// Where the customer prefers to be reached.
    pub preferred_channel: Option<Channel>,
    /// Free-form key/value data, values rendered as text.
    pub metadata: BTreeMap<Clean, Clean>,
    /// Lifecycle status.
    pub status: Option<ContactStatus>,
    /// Id of the agent who owns the contact.
    pub assigned_to: Option<Clean>,
    /// Account (channel account) the contact belongs to.
    pub account_id: Option<Clean>,
    /// Avatar image address.
    pub avatar_url: Option<Clean>,
    /// When an agent last contacted them.
    pub last_contacted: Option<Time>,
    /// When the last message was exchanged.
    pub last_message_at: Option<Time>,
    /// Creation time.
    pub created_at: Option<Time>,
    /// Last change.
    pub updated_at: Option<Time>,
}

impl Contact {
    /// Takes what `newer` knows, keeping what it does not: an embedded or partial contact never erases
    /// fields the full one had.
    pub fn merge_from(&mut self, newer: &Contact) {
        if newer.name != "(no name)" && !newer.name.is_empty() {
            self.name = newer.name.clone();
        }
        macro_rules! keep {
            ($($f:ident),*) => { $( if newer.$f.is_some() { self.$f = newer.$f.clone(); } )* };
        }
        keep!(
            first_name,
            last_name,
            profile_name,
            phone,
            email,
            preferred_channel,
            status,
            assigned_to,
            account_id,
            avatar_url,
            last_contacted,
            last_message_at,
            created_at,
            updated_at
        );
        if !newer.metadata.is_empty() {
            self.metadata = newer.metadata.clone();
        }
    }
}

/// A conversation: the unit agents triage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Server id.
    pub id: Clean,
    /// The contact's id.
    pub contact_id: Clean,
    /// The contact, as embedded in the conversation.
    pub contact: Contact,
    /// Channel.
    pub channel: Channel,
    /// Subject line, if any.
    pub subject: Option<Clean>,
    /// Open, closed, archived, or a server's own value.
    pub status: ConvStatus,
    /// Priority.
    pub priority: Priority,
    /// The agent it is assigned to.
    pub assignee: Option<PersonRef>,
    /// Labels.
    pub labels: Vec<Clean>,
    /// Tags (free-form, from the channel).
    pub tags: Vec<Clean>,
    /// Number of messages.
    pub message_count: u32,
    /// Messages the agents have not read.
    pub unread_count: u32,
    /// Creation time.
    pub created_at: Option<Time>,
    /// Last change of any kind.
    pub updated_at: Option<Time>,
    /// Time of the last message.
    pub last_message_at: Option<Time>,
    /// A one-line preview of the last message.
    pub last_message_preview: Option<Clean>,
    /// Time of the oldest customer message not yet answered.
    pub waiting_since: Option<Time>,
    /// The channel's customer-service window, where the channel has one (WhatsApp's 24 hours).
    #[serde(default)]
    pub service_window: Option<ServiceWindow>,
}

/// WhatsApp's customer-service window: free-form replies are allowed only within 24 hours of the
/// customer's last message; after that only approved templates go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceWindow {
    /// Whether free-form replies are allowed now.
    pub open: bool,
    /// The customer's last message, which opened the window.
    pub last_inbound_at: Option<Time>,
}

impl ServiceWindow {
    /// How long the window stays open after the customer's last message.
    pub const LENGTH: chrono::TimeDelta = chrono::TimeDelta::hours(24);

    /// When the window closes (or closed), if the last inbound message is known.
    pub fn closes_at(&self) -> Option<Time> {
        self.last_inbound_at.map(|t| t + Self::LENGTH)
    }

    /// Whether free-form replies are allowed at `now`: the server's word, unless the known last inbound
    /// message has aged past the window since it was said.
    pub fn open_at(&self, now: Time) -> bool {
        self.open && self.closes_at().is_none_or(|c| now < c)
    }
}

/// One message in a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Server id.
    pub id: Clean,
    /// The conversation it belongs to.
    pub conversation_id: Clean,
    /// Customer to agent, or agent to customer.
    pub direction: Direction,
    /// A private note, never shown to the customer.
    pub private: bool,
    /// Who wrote it (none for the customer).
    pub author: Option<PersonRef>,
    /// The text, possibly multi-line.
    pub text: CleanText,
    /// Delivery state.
    pub status: DeliveryStatus,
    /// Why it failed, in the server's words (only for a failed message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<CleanText>,
    /// When it was created.
    pub created_at: Option<Time>,
}

/// A message's delivery changed (sent, delivered, read, failed), as the live stream reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The message.
    pub message_id: Clean,
    /// Its conversation, when the server says (WhatsApp's own later receipts do not).
    pub conversation_id: Option<Clean>,
    /// The new state.
    pub status: DeliveryStatus,
    /// Why it failed, in the server's words.
    pub error: Option<CleanText>,
}

/// Something that happened to a conversation (assigned, status changed, note added, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Server id.
    pub id: Clean,
    /// What kind of change.
    pub kind: Clean,
    /// Who did it.
    pub actor: Option<Clean>,
    /// A human-readable description.
    pub detail: CleanText,
    /// When.
    pub created_at: Option<Time>,
}

/// An internal comment on a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    /// Server id.
    pub id: Clean,
    /// Text, possibly multi-line.
    pub text: CleanText,
    /// Author's name.
    pub author: Option<Clean>,
    /// When.
    pub created_at: Option<Time>,
}

/// A file attached to a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRef {
    /// Server id.
    pub id: Clean,
    /// File name.
    pub name: Clean,
    /// Download address.
    pub url: Option<Clean>,
    /// Size in bytes.
    pub size: Option<u64>,
}

/// A notification for the current agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// Server id.
    pub id: Clean,
    /// Why it was raised.
    pub kind: NotificationKind,
    /// Short title.
    pub title: Clean,
    /// Longer text.
    pub body: CleanText,
    /// The conversation it is about.
    pub conversation_id: Option<Clean>,
    /// The contact it is about.
    pub contact_id: Option<Clean>,
    /// Who caused it.
    pub actor: Option<Clean>,
    /// Whether the agent has read it.
    pub is_read: bool,
    /// When.
    pub created_at: Option<Time>,
}

/// A page of a list, plus how many items were unreadable and skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items that could be read.
    pub items: Vec<T>,
    /// Total across all pages.
    pub total: u64,
    /// This page's number (from 1).
    pub page: u32,
    /// Page size.
    pub limit: u32,
    /// Number of pages.
    pub total_pages: u32,
    /// Items on this page that were malformed and skipped.
    pub skipped: usize,
}

impl<T> Page<T> {
    /// True when pages follow this one.
    pub fn has_more(&self) -> bool {
        self.page < self.total_pages
    }
}

/// Something the live stream (or polling) reports.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// A conversation changed (or appeared).
    ConversationUpdated(Box<Conversation>),
    /// A message was added to a conversation.
    MessageCreated(Box<Message>),
    /// A message's delivery changed.
    MessageStatus(Box<StatusChange>),
    /// A message's text changed (a colleague edited a note): it replaces the one shown.
    MessageEdited(Box<Message>),
    /// A message was deleted (a colleague deleted a note).
    MessageRemoved {
        /// Its conversation.
        conversation_id: Clean,
        /// The message.
        message_id: Clean,
    },
    /// A notification for this agent.
    NotificationCreated(Box<Notification>),
}
