//! Backends: one async trait that speaks the domain model, implemented per server product.

pub mod detail;
pub mod export;
pub mod imbrace;
pub mod native;
pub mod net;
pub mod repair;
pub mod sse;
pub mod whatomate;

pub use tinbox_core::protocol::error;
pub use tinbox_core::protocol::{
    Assigned, BackendError, BackendResult, ConversationQuery, DetailParts, Earlier, Listed, NewMessage, PageReq,
    SortOrder,
};

use crate::domain::{
    Activity, Agent, Clean, Comment, Contact, Conversation, FileRef, Label, LiveEvent, Message, Notification, Page,
    SessionData,
};
use async_trait::async_trait;
use futures::stream::BoxStream;
use serde::Serialize;

/// Which contacts to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactQuery {
    /// Page and size.
    pub page: PageReq,
    /// Search by name, phone or email.
    pub search: Option<String>,
    /// Filter by channel account.
    pub account_id: Option<String>,
}

/// Changes to a conversation; `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ConversationPatch {
    /// New status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// New priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// The full new label set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// New subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// Fields of a contact to create or change; `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ContactDraft {
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone, E.164.
    #[serde(skip_serializing_if = "Option::is_none", rename = "phone_number")]
    pub phone: Option<String>,
    /// Channel account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Free-form data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One item from the live stream: the event (if tinbox knows its type) and its id for resuming.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveItem {
    /// The stream position, sent back as `Last-Event-ID` on reconnect.
    pub id: Option<String>,
    /// The event, or `None` for a type this version does not handle.
    pub event: Option<LiveEvent>,
}

/// A live stream of updates; it ends (or yields an error) when the connection drops.
pub type LiveStream = BoxStream<'static, BackendResult<LiveItem>>;

/// Every operation tinbox performs on an inbox server. Operations a backend lacks keep the default,
/// which answers [`BackendError::Unsupported`], so the UI can say so instead of failing silently.
#[async_trait]
#[allow(unused_variables)]
pub trait Backend: Send + Sync {
    /// A short name for the status line ("native", "whatomate", ...).
    fn kind(&self) -> &'static str;
    /// Operations this backend cannot do, as help names them ("labels", "priority", ...), so the UI marks
    /// them unavailable instead of failing silently.
    fn unavailable(&self) -> &'static [crate::domain::Capability] {
        &[]
    }
    /// The conversation statuses the server has, as the status filter offers them.
    fn statuses(&self) -> &'static [&'static str] {
        tinbox_core::app::STATUSES
    }
    /// What a search looks in on this server, in words for the search line.
    fn search_covers(&self) -> &'static str {
        "subject, text, contact"
    }
    /// True when a resent message with the same idempotency key cannot arrive twice.
    fn idempotent_sends(&self) -> bool {
        false
    }
    /// The most conversations one page of the list may ask for (the server's maximum).
    fn page_limit(&self) -> u32 {
        50
    }
    /// The agent the token belongs to.
    async fn me(&self) -> BackendResult<Agent> {
        Err(BackendError::Unsupported("me"))
    }
    /// All agents.
    async fn agents(&self) -> BackendResult<Vec<Agent>> {
        Err(BackendError::Unsupported("agents"))
    }
    /// All labels.
    async fn labels(&self) -> BackendResult<Vec<Label>> {
        Err(BackendError::Unsupported("labels"))
    }
    /// A page of conversations; with `revalidate`, the server may say "unchanged since the last answer to
    /// the same query" (each backend knows how its server says so).
    async fn conversations(
        &self,
        query: &ConversationQuery,
        revalidate: bool,
    ) -> BackendResult<Listed<Page<Conversation>>> {
        Err(BackendError::Unsupported("conversations"))
    }
    /// One conversation.
    async fn conversation(&self, id: &str) -> BackendResult<Conversation> {
        Err(BackendError::Unsupported("conversation"))
    }
    /// Changes status, priority, labels or subject.
    async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> BackendResult<Conversation> {
        Err(BackendError::Unsupported("update conversation"))
    }
    /// Assigns to an agent, or unassigns with `None`.
    async fn assign(&self, id: &str, agent_id: Option<&str>) -> BackendResult<Conversation> {
        Err(BackendError::Unsupported("assign"))
    }
    /// The approved templates that can be sent to conversation `id` (its channel's account).
    async fn templates(&self, id: &str) -> BackendResult<Vec<crate::domain::Template>> {
        Err(BackendError::Unsupported("templates"))
    }
    /// Sends a template to conversation `id`.
    async fn send_template(&self, id: &str, template: &crate::domain::TemplateSend) -> BackendResult<Message> {
        Err(BackendError::Unsupported("templates"))
    }
    /// The canned responses agents may insert, most used first.
    async fn canned_responses(&self) -> BackendResult<Vec<crate::domain::Canned>> {
        Err(BackendError::Unsupported("canned responses"))
    }
    /// Counts one use of canned response `id`.
    async fn canned_used(&self, id: &str) -> BackendResult<()> {
        Err(BackendError::Unsupported("canned responses"))
    }
    /// Takes the conversation that has waited longest in the queue, assigning it to me; `None` when
    /// nobody is waiting.
    async fn take_next(&self) -> BackendResult<Option<Conversation>> {
        Err(BackendError::Unsupported("take next"))
    }
    /// Marks the conversation read.
    async fn mark_read(&self, id: &str) -> BackendResult<Conversation> {
        Err(BackendError::Unsupported("mark read"))
    }
    /// A page of messages, newest first.
    async fn messages(&self, id: &str, page: PageReq) -> BackendResult<Page<Message>> {
        Err(BackendError::Unsupported("messages"))
    }
    /// The messages (and notes) before those shown, newest first; by page number unless the server reads
    /// backwards from an item.
    async fn earlier_messages(&self, id: &str, earlier: &Earlier) -> BackendResult<Page<Message>> {
        self.messages(id, earlier.page).await
    }
    /// Sends a reply or a private note.
    async fn send_message(&self, id: &str, message: &NewMessage) -> BackendResult<Message> {
        Err(BackendError::Unsupported("send message"))
    }
    /// The conversation's activity log.
    async fn activities(&self, id: &str, page: PageReq) -> BackendResult<Page<Activity>> {
        Err(BackendError::Unsupported("activities"))
    }
    /// A page of contacts.
    async fn contacts(&self, query: &ContactQuery) -> BackendResult<Page<Contact>> {
        Err(BackendError::Unsupported("contacts"))
    }
    /// One contact.
    async fn contact(&self, id: &str) -> BackendResult<Contact> {
        Err(BackendError::Unsupported("contact"))
    }
    /// A contact with its session, comments and files, for the panels. With the `version` they were read
    /// at, a server that can tell answers "unchanged"; others read all four again.
    async fn detail(&self, contact_id: &str, version: Option<&str>) -> BackendResult<Listed<Box<DetailParts>>> {
        let _ = version;
        Ok(Listed::Fresh(Box::new(detail::read_parts(self, contact_id).await?)))
    }
    /// Creates a contact.
    async fn create_contact(&self, draft: &ContactDraft) -> BackendResult<Contact> {
        Err(BackendError::Unsupported("create contact"))
    }
    /// Changes a contact.
    async fn update_contact(&self, id: &str, draft: &ContactDraft) -> BackendResult<Contact> {
        Err(BackendError::Unsupported("update contact"))
    }
    /// Deletes a contact.
    async fn delete_contact(&self, id: &str) -> BackendResult<()> {
        Err(BackendError::Unsupported("delete contact"))
    }
    /// Assigns a contact to an agent, or unassigns with `None`.
    async fn assign_contact(&self, id: &str, agent_id: Option<&str>) -> BackendResult<Contact> {
        Err(BackendError::Unsupported("assign contact"))
    }
    /// The contact's chatbot session data and panel layout (empty when there is no session).
    async fn session_data(&self, contact_id: &str) -> BackendResult<SessionData> {
        Err(BackendError::Unsupported("session data"))
    }
    /// The contact's conversations.
    async fn contact_conversations(&self, contact_id: &str, page: PageReq) -> BackendResult<Page<Conversation>> {
        Err(BackendError::Unsupported("contact conversations"))
    }
    /// Internal comments on the contact.
    async fn comments(&self, contact_id: &str, page: PageReq) -> BackendResult<Page<Comment>> {
        Err(BackendError::Unsupported("comments"))
    }
    /// Adds a comment (`@name` mentions notify that agent).
    async fn add_comment(&self, contact_id: &str, text: &str) -> BackendResult<Comment> {
        Err(BackendError::Unsupported("add comment"))
    }
    /// Files attached to the contact.
    async fn files(&self, contact_id: &str) -> BackendResult<Vec<FileRef>> {
        Err(BackendError::Unsupported("files"))
    }
    /// All contacts as CSV text.
    async fn export_contacts_csv(&self) -> BackendResult<String> {
        Err(BackendError::Unsupported("export contacts csv"))
    }
    /// A page of notifications, optionally only unread ones.
    async fn notifications(&self, page: PageReq, unread_only: bool) -> BackendResult<Page<Notification>> {
        Err(BackendError::Unsupported("notifications"))
    }
    /// Marks notifications read.
    async fn mark_notifications_read(&self, ids: &[Clean]) -> BackendResult<()> {
        Err(BackendError::Unsupported("mark notifications read"))
    }
    /// Dismisses one notification.
    async fn dismiss_notification(&self, id: &str) -> BackendResult<()> {
        Err(BackendError::Unsupported("dismiss notification"))
    }
    /// Dismisses every notification.
    async fn dismiss_all_notifications(&self) -> BackendResult<()> {
        Err(BackendError::Unsupported("dismiss all notifications"))
    }
    /// Opens the live stream, resuming after `last_event_id`. `NotFound` or `Unsupported` means "poll instead".
    async fn live(&self, last_event_id: Option<&str>) -> BackendResult<LiveStream> {
        Err(BackendError::Unsupported("live"))
    }
}
