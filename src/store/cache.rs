//! The offline cache: the last-seen inbox per server, so a start without a network shows something true
//! (marked stale, with its age) instead of an empty screen.

use super::files::{create_private_dir, write_private};
use crate::domain::{Agent, Contact, Conversation, Notification, SessionData, Time};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What is kept of one server's inbox.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// When it was taken.
    pub saved_at: Option<Time>,
    /// The signed-in agent.
    pub me: Option<Agent>,
    /// Every agent.
    pub agents: Vec<Agent>,
    /// The view the rows belong to ("Mine", "Unassigned", "All").
    #[serde(default)]
    pub view: String,
    /// View counts by view name.
    #[serde(default)]
    pub counts: HashMap<String, u64>,
    /// The conversation rows last shown.
    pub conversations: Vec<Conversation>,
    /// Notifications.
    pub notifications: Vec<Notification>,
    /// Contacts seen in the contact panel, by id.
    pub contacts: HashMap<String, Contact>,
    /// Session data seen in the session panel, by contact id.
    pub sessions: HashMap<String, SessionData>,
}

/// The cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

fn file_name(server: &str) -> String {
    let safe: String = server
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect();
    format!("{safe}.json")
}

impl Cache {
    /// A cache in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf() }
    }

    /// The snapshot for `server`, if one was saved and can be read.
    pub fn load(&self, server: &str) -> Option<Snapshot> {
        let bytes = std::fs::read(self.dir.join(file_name(server))).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Saves the snapshot for `server`.
    pub fn save(&self, server: &str, snapshot: &Snapshot) -> std::io::Result<()> {
        create_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec(snapshot).map_err(std::io::Error::other)?;
        write_private(&self.dir.join(file_name(server)), &bytes)
    }
}
