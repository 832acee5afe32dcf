//! The contact panels of contacts seen lately, so coming back to a row shows its panels at once and costs
//! one revalidation, and the panels shown before the selection moved, kept until the new ones arrive.

use super::Load;
use crate::domain::{Clean, Comment, Contact, FileRef, SessionData, Time};
use std::collections::HashMap;

/// The most contacts whose panels are kept.
pub const CACHE_CAP: usize = 200;

/// How long cached panels are shown (while they are checked); older ones are read anew.
pub const CACHE_FOR: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// One contact's four panels, as loaded (or not).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Panes {
    /// The contact.
    pub contact: Load<Contact>,
    /// Its chatbot session.
    pub session: Load<SessionData>,
    /// Its comments.
    pub comments: Load<Vec<Comment>>,
    /// Its files.
    pub files: Load<Vec<FileRef>>,
    /// Folded session sections.
    pub collapsed: HashMap<Clean, bool>,
}

/// A contact's panels as last read, with the server's version of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Cached {
    /// The four parts, all read.
    pub panes: Panes,
    /// The version they were read at, when the server gives one.
    pub version: Option<Clean>,
    /// When they were read or last found unchanged.
    pub at: Time,
}

/// Panels by contact id, bounded in number and age.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailCache {
    entries: HashMap<Clean, Cached>,
}

impl DetailCache {
    /// The panels of `contact_id`, unless there are none or they are older than [`CACHE_FOR`].
    pub fn get(&self, contact_id: &str, now: Time) -> Option<&Cached> {
        self.entries.get(contact_id).filter(|c| now - c.at < CACHE_FOR)
    }

    /// The panels of `contact_id` whatever their age.
    pub fn get_any(&self, contact_id: &str) -> Option<&Cached> {
        self.entries.get(contact_id)
    }

    /// Keeps `panes` of `contact_id` read at `version`; the oldest entry goes when full, expired ones too.
    pub fn put(&mut self, contact_id: Clean, panes: Panes, version: Option<Clean>, now: Time) {
        self.entries.retain(|_, c| now - c.at < CACHE_FOR);
        if self.entries.len() >= CACHE_CAP
            && !self.entries.contains_key(&contact_id)
            && let Some(oldest) = self.entries.iter().min_by_key(|(_, c)| c.at).map(|(id, _)| id.clone())
        {
            self.entries.remove(&oldest);
        }
        self.entries.insert(contact_id, Cached { panes, version, at: now });
    }

    /// The server said the panels of `contact_id` are unchanged: they count as read `now`.
    pub fn confirmed(&mut self, contact_id: &str, now: Time) {
        if let Some(c) = self.entries.get_mut(contact_id) {
            c.at = now;
        }
    }

    /// Something of `contact_id` changed here (a save, a comment): its cached panels take `change`, and
    /// lose their version, so the next look reads them anew.
    pub fn changed(&mut self, contact_id: &str, change: impl FnOnce(&mut Panes)) {
        if let Some(c) = self.entries.get_mut(contact_id) {
            change(&mut c.panes);
            c.version = None;
        }
    }

    /// How many contacts are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when none is.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
