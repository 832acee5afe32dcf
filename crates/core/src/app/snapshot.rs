//! What the offline cache keeps of an inbox: plain data, written and read by the store at the edge.

use crate::domain::{Agent, Clean, Contact, Conversation, Notification, SessionData, Time};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What is kept of one server's inbox.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// When it was taken.
    pub saved_at: Option<Time>,
    /// The signed-in agent.
    pub me: Option<Agent>,
    /// Every agent.
    pub agents: Vec<Agent>,
    /// The view the agent was in ("Mine", "Unassigned", "All").
    #[serde(default)]
    pub view: String,
    /// The first page of every view the agent used, by view name, under the status filter in `status`.
    #[serde(default)]
    pub views: HashMap<String, Vec<Conversation>>,
    /// The status filter those pages were read under (`None`: any status).
    #[serde(default)]
    pub status: Option<String>,
    /// View counts by view name.
    #[serde(default)]
    pub counts: HashMap<String, u64>,
    /// The conversation rows last shown (older versions kept only these).
    #[serde(default)]
    pub conversations: Vec<Conversation>,
    /// Notifications.
    pub notifications: Vec<Notification>,
    /// Contacts seen in the contact panel, by id.
    pub contacts: HashMap<Clean, Contact>,
    /// Session data seen in the session panel, by contact id.
    pub sessions: HashMap<Clean, SessionData>,
}
