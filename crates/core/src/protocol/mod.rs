//! The request/answer protocol between the core and the worker: what the core asks for, what comes back,
//! and the typed values both speak. No wire body, no transport: each backend words these for its server.

mod detail;
pub mod error;

pub use detail::DetailParts;
pub use error::{BackendError, BackendResult};

use crate::domain::*;
use crate::text::Clean;
use serde::Serialize;
use std::time::Duration;

/// Sort orders for the conversation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Most recent activity first.
    #[default]
    Latest,
    /// Oldest activity first.
    Oldest,
    /// Waiting longest first.
    Waiting,
    /// High priority first.
    Priority,
}

/// Whose conversations a list asks for. Each backend words it for its server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assigned {
    /// The signed-in agent's.
    Me,
    /// Nobody's (the queue).
    Nobody,
    /// This agent's.
    To(Clean),
}

/// Which conversations to list. Every field left `None` means "no filter".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConversationQuery {
    /// Page number, from 1.
    pub page: u32,
    /// Page size, 1–100.
    pub limit: u32,
    /// Status filter (`open`, `closed`, ...).
    pub status: Option<String>,
    /// Channel filter.
    pub channel: Option<String>,
    /// Priority filter.
    pub priority: Option<String>,
    /// Whose conversations (`None`: everyone's).
    pub assigned_to: Option<Assigned>,
    /// Label filter.
    pub label: Option<String>,
    /// Only conversations with unread messages.
    pub unread: bool,
    /// Free-text search.
    pub search: Option<String>,
    /// Sort order.
    pub sort: SortOrder,
    /// Only conversations changed since this time.
    pub updated_since: Option<crate::domain::Time>,
}

/// A paged request for a sub-list (messages, comments, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageReq {
    /// Page number, from 1.
    pub page: u32,
    /// Page size, 1–100.
    pub limit: u32,
}

impl Default for PageReq {
    fn default() -> Self {
        Self { page: 1, limit: 50 }
    }
}

/// A message to send.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// The text.
    pub text: String,
    /// A private note rather than a reply.
    pub private: bool,
    /// Makes retries safe: the same key never creates two messages.
    pub idempotency_key: String,
}

/// A list answer that may be "unchanged since you last asked" (how a server tells, an entity tag or
/// otherwise, stays in its backend).
#[derive(Debug, Clone, PartialEq)]
pub enum Listed<T> {
    /// New content.
    Fresh(T),
    /// Nothing changed since the last answer to the same question.
    Unchanged,
}

/// Where the next older page of a thread starts: its page number, for servers that page by number, and the
/// oldest message and private note shown, for servers that read backwards from an item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Earlier {
    /// The page after those shown (page 1 is the newest).
    pub page: PageReq,
    /// The oldest public message shown.
    pub message: Option<Clean>,
    /// The oldest private note shown.
    pub note: Option<Clean>,
}

/// Identifies a request so its answer can be matched (and dropped when stale).
pub type RequestId = u64;

/// Requests that supersede one another: only the newest of a key is answered. Each is a purpose of the
/// core's (see `app::Purpose::key`), never a free-form name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKey {
    /// The conversation list (a newer filter or page request replaces the old one).
    List,
    /// The contact panel.
    Contact,
    /// The contact and session panels together.
    Detail,
    /// The open thread's conversation.
    ThreadConversation,
    /// The open thread's newest messages.
    Thread,
    /// An older page of the open thread.
    OlderMessages,
    /// Taking the next waiting conversation.
    TakeNext,
    /// The open thread's activities.
    Activities,
}

/// A change of status, priority or labels, as the core asks a backend for it; each backend words it for
/// its own wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// The new status.
    Status(ConvStatus),
    /// The new priority.
    Priority(Priority),
    /// The full new label set.
    Labels(Vec<Clean>),
}

/// A contact's name, email and phone as the agent typed them (validated; empty email or phone clears it).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactEdit {
    /// The name.
    pub name: String,
    /// The email ("" for none).
    pub email: String,
    /// The E.164 phone ("" for none).
    pub phone: String,
}

/// Something the UI asks of the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Who am I.
    Me,
    /// All agents.
    Agents,
    /// All labels.
    Labels,
    /// A page of conversations.
    Conversations {
        /// The filters and page.
        query: ConversationQuery,
        /// The answer may be "unchanged" (the rows of the last answer are still on screen).
        revalidate: bool,
    },
    /// One conversation.
    Conversation(Clean),
    /// One contact.
    Contact(Clean),
    /// A contact with its session, comments and files, for the panels; with the `version` they were last
    /// read at, the answer may be "unchanged".
    Detail {
        /// Whose.
        contact_id: Clean,
        /// The version cached, if any.
        version: Option<Clean>,
    },
    /// A contact's session data.
    SessionData(Clean),
    /// A page of notifications.
    Notifications(PageReq),
    /// A page of a conversation's messages, newest first.
    Messages(Clean, PageReq),
    /// The messages (and notes) before those shown, newest first.
    EarlierMessages(Clean, Earlier),
    /// Assign a conversation (or unassign with `None`); answers the updated conversation.
    Assign {
        /// Which.
        conversation_id: Clean,
        /// To whom.
        agent_id: Option<Clean>,
    },
    /// Change status, priority or labels; answers the updated conversation.
    Update {
        /// Which.
        conversation_id: Clean,
        /// The change.
        update: Update,
    },
    /// Mark a conversation read; answers the updated conversation.
    MarkRead(Clean),
    /// Send a reply or a private note; answers the created message.
    Send {
        /// Where.
        conversation_id: Clean,
        /// What.
        message: NewMessage,
    },
    /// Mark notifications read (an empty list: all of them).
    MarkNotificationsRead(Vec<Clean>),
    /// Dismiss one notification.
    DismissNotification(Clean),
    /// Dismiss every notification.
    DismissAllNotifications,
    /// Change a contact; answers the updated contact.
    UpdateContact {
        /// Which.
        contact_id: Clean,
        /// The new values.
        edit: ContactEdit,
    },
    /// A contact's comments.
    Comments(Clean),
    /// A conversation's activities (who assigned, closed, labelled it), newest first.
    Activities(Clean),
    /// Add a comment to a contact.
    AddComment {
        /// Which contact.
        contact_id: Clean,
        /// The text (`@name` mentions notify).
        text: String,
    },
    /// A contact's files.
    Files(Clean),
    /// Take the conversation that has waited longest, assigning it to me.
    TakeNext,
    /// The approved templates that can be sent to a conversation.
    Templates(Clean),
    /// The canned responses agents may insert, most used first.
    CannedResponses,
    /// Count one use of a canned response (the server orders them by use).
    CannedUsed(Clean),
    /// Send a template (the only message a closed 24-hour window lets through); answers the created message.
    SendTemplate {
        /// Where.
        conversation_id: Clean,
        /// Which template, filled in.
        template: TemplateSend,
    },
}

impl Reply {
    /// The answer's kind, for logs (never what it carries).
    pub fn name(&self) -> &'static str {
        match self {
            Reply::Me(_) => "me",
            Reply::Agents(_) => "agents",
            Reply::Labels(_) => "labels",
            Reply::Conversations { .. } => "conversations",
            Reply::Conversation(_) => "conversation",
            Reply::Contact(_) => "contact",
            Reply::Detail { .. } => "contact panels",
            Reply::SessionData { .. } => "session",
            Reply::Notifications(_) => "notifications",
            Reply::Messages { .. } => "messages",
            Reply::Sent(_) => "sent",
            Reply::Done => "done",
            Reply::Comments { .. } => "comments",
            Reply::Activities { .. } => "activities",
            Reply::Comment(_) => "comment",
            Reply::Files { .. } => "files",
            Reply::Taken(_) => "taken",
            Reply::Templates(_) => "templates",
            Reply::Canned(_) => "canned responses",
        }
    }
}

impl Request {
    /// The request's name, for logs (which never hold what it carries: ids, search terms, text).
    pub fn name(&self) -> &'static str {
        match self {
            Request::Me => "me",
            Request::Agents => "agents",
            Request::Labels => "labels",
            Request::Conversations { .. } => "conversations",
            Request::Conversation(_) => "conversation",
            Request::Contact(_) => "contact",
            Request::Detail { .. } => "contact panels",
            Request::SessionData(_) => "session data",
            Request::Notifications(_) => "notifications",
            Request::Messages(..) => "messages",
            Request::EarlierMessages(..) => "earlier messages",
            Request::Assign { .. } => "assign",
            Request::Update { .. } => "update",
            Request::MarkRead(_) => "mark read",
            Request::Send { .. } => "send",
            Request::MarkNotificationsRead(_) => "mark notifications read",
            Request::DismissNotification(_) => "dismiss notification",
            Request::DismissAllNotifications => "dismiss all notifications",
            Request::UpdateContact { .. } => "update contact",
            Request::Comments(_) => "comments",
            Request::Activities(_) => "activities",
            Request::AddComment { .. } => "add comment",
            Request::Files(_) => "files",
            Request::TakeNext => "take next",
            Request::Templates(_) => "templates",
            Request::SendTemplate { .. } => "send template",
            Request::CannedResponses => "canned responses",
            Request::CannedUsed(_) => "canned used",
        }
    }

    /// True when the request changes something on the server (never sent in a read-only session).
    pub fn is_write(&self) -> bool {
        match self {
            Request::Assign { .. }
            | Request::Update { .. }
            | Request::MarkRead(_)
            | Request::Send { .. }
            | Request::MarkNotificationsRead(_)
            | Request::DismissNotification(_)
            | Request::DismissAllNotifications
            | Request::UpdateContact { .. }
            | Request::AddComment { .. }
            | Request::TakeNext
            | Request::SendTemplate { .. }
            | Request::CannedUsed(_) => true,
            Request::Me
            | Request::Agents
            | Request::Labels
            | Request::Conversations { .. }
            | Request::Conversation(_)
            | Request::Contact(_)
            | Request::Detail { .. }
            | Request::SessionData(_)
            | Request::Notifications(_)
            | Request::Messages(..)
            | Request::EarlierMessages(..)
            | Request::Comments(_)
            | Request::Activities(_)
            | Request::Files(_)
            | Request::Templates(_)
            | Request::CannedResponses => false,
        }
    }
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The current agent.
    Me(Agent),
    /// All agents.
    Agents(Vec<Agent>),
    /// All labels.
    Labels(Vec<Label>),
    /// A page of conversations, for the query it answers.
    Conversations {
        /// The query this answers.
        query: ConversationQuery,
        /// The page, or "unchanged".
        page: Listed<Page<Conversation>>,
    },
    /// One conversation.
    Conversation(Box<Conversation>),
    /// One contact.
    Contact(Box<Contact>),
    /// A contact's panels, or "unchanged since the version asked with".
    Detail {
        /// Whose.
        contact_id: Clean,
        /// The four parts, or "unchanged".
        parts: Listed<Box<DetailParts>>,
    },
    /// A contact's session data.
    SessionData {
        /// Whose.
        contact_id: Clean,
        /// The data (empty when there is no session).
        data: Box<SessionData>,
    },
    /// A page of notifications.
    Notifications(Page<Notification>),
    /// A page of a conversation's messages, newest first.
    Messages {
        /// Whose.
        conversation_id: Clean,
        /// The page.
        page: Page<Message>,
    },
    /// A message was created.
    Sent(Box<Message>),
    /// Done; nothing to show.
    Done,
    /// A contact's comments, newest first.
    Comments {
        /// Whose.
        contact_id: Clean,
        /// The comments.
        page: Page<Comment>,
    },
    /// A comment was added.
    Comment(Box<Comment>),
    /// A conversation's activities, newest first.
    Activities {
        /// Whose.
        conversation_id: Clean,
        /// The activities.
        page: Page<Activity>,
    },
    /// A contact's files.
    Files {
        /// Whose.
        contact_id: Clean,
        /// The files.
        files: Vec<FileRef>,
    },
    /// The conversation taken from the queue, or `None` when nobody was waiting.
    Taken(Option<Box<Conversation>>),
    /// The approved templates.
    Templates(Vec<Template>),
    /// The canned responses.
    Canned(Vec<Canned>),
}

/// How the live connection stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveStatus {
    /// The stream is open.
    Live,
    /// No stream on this server: polling every so often.
    Polling,
    /// The server refused the live connection (why, in words): polling instead, for the rest of the session.
    Refused(Clean),
    /// The link is down; the next attempt is in `retry_in`.
    Retrying {
        /// Why it is down.
        error: BackendError,
        /// When the next attempt is.
        retry_in: Duration,
    },
}

/// What the worker sends back to the UI task.
// A few messages a second pass through here; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerEvent {
    /// The answer to a request.
    Reply {
        /// The request's id.
        id: RequestId,
        /// Its answer.
        result: BackendResult<Reply>,
    },
    /// The live connection changed state.
    Live(LiveStatus),
    /// A request failed for a passing reason and will be tried again.
    Retrying {
        /// The request.
        id: RequestId,
        /// The attempt that failed (1 for the first).
        attempt: usize,
        /// Why.
        error: BackendError,
        /// When the next attempt is.
        retry_in: Duration,
    },
    /// Something happened on the server.
    Event(LiveEvent),
    /// More live events arrived than could be handled one by one: `dropped` were given up, and
    /// everything shown must be read again.
    Overwhelmed {
        /// How many events were dropped.
        dropped: usize,
    },
}
