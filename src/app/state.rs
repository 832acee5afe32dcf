//! What the UI task owns.

use crate::domain::*;
use crate::worker::RequestId;

/// How the live connection stands, as the status line says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    /// Not yet connected.
    Connecting,
    /// The live stream is open.
    Live,
    /// Polling (the server has no stream).
    Polling,
    /// Down since `since`; next attempt at `retry_at`.
    Offline {
        /// When the link went down.
        since: Time,
        /// When the next attempt happens.
        retry_at: Time,
    },
}

/// The conversation list and its loading state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConversationList {
    /// Rows loaded so far.
    pub items: Vec<Conversation>,
    /// Index of the selected row.
    pub selected: usize,
    /// Total on the server for the current filters.
    pub total: u64,
    /// Last page loaded.
    pub page: u32,
    /// More pages exist.
    pub has_more: bool,
    /// The request whose answer we wait for.
    pub pending: Option<RequestId>,
    /// The list's entity tag (page 1), for cheap refreshes.
    pub etag: Option<String>,
}

impl ConversationList {
    /// The selected conversation.
    pub fn selected(&self) -> Option<&Conversation> {
        self.items.get(self.selected)
    }
}

/// Everything the screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The server's address, for the status line.
    pub server: String,
    /// The signed-in agent.
    pub me: Option<Agent>,
    /// The conversation list.
    pub list: ConversationList,
    /// Notifications, newest first.
    pub notifications: Vec<Notification>,
    /// Live connection state.
    pub connection: Connection,
    /// The last error, in words.
    pub error: Option<String>,
    /// The clock, as of the last message that carried it.
    pub now: Time,
    /// The id the next request gets.
    pub next_request: RequestId,
}

impl AppState {
    /// A fresh state for `server` at time `now`.
    pub fn new(server: impl Into<String>, now: Time) -> Self {
        Self {
            server: server.into(),
            me: None,
            list: ConversationList::default(),
            notifications: Vec::new(),
            connection: Connection::Connecting,
            error: None,
            now,
            next_request: 1,
        }
    }

    /// Unread notifications.
    pub fn unread_notifications(&self) -> usize {
        self.notifications.iter().filter(|n| !n.is_read).count()
    }
}
