//! The offline cache across features: what a snapshot gives the account, the list, the notifications
//! and the panels at start, and what is kept of them on the way out.

use super::AppState;
use crate::app::{Filters, Load, Snapshot, View};

impl AppState {
    /// Keeps page 1 of the list under the plain filters, for the offline cache.
    pub fn remember_first_page(&mut self) {
        if let Some((view, rows)) = self.list.first_page() {
            self.offline.first_pages.insert(view, rows);
        }
    }

    /// Shows a cached inbox (marked stale) until the server answers.
    pub fn apply_snapshot(&mut self, s: Snapshot) {
        self.account.me = self.account.me.take().or(s.me);
        self.account.agents = s.agents;
        self.notifications.items = s.notifications;
        self.offline.contacts = s.contacts;
        self.offline.sessions = s.sessions;
        for view in View::ALL {
            if let Some(n) = s.counts.get(view.label()) {
                self.list.counts.by_view.insert(view, *n);
            }
            if let Some(rows) = s.views.get(view.label()) {
                self.offline.first_pages.insert(view, rows.clone());
            }
        }
        // Older caches kept only the rows of the view in use.
        if s.views.is_empty()
            && let Some(view) = View::ALL.into_iter().find(|v| v.label() == s.view)
        {
            self.offline.first_pages.insert(view, s.conversations);
        }
        // Rows of another view, or of another status filter, must not show under this view's title.
        let f = &self.list.filters;
        let plain = f.search.is_empty() && f.status == Filters::default().status;
        let rows = self.offline.first_pages.get(&f.view).filter(|r| !r.is_empty() && plain);
        if let Some(rows) = rows {
            self.list.total = self.list.counts.by_view.get(&f.view).copied().unwrap_or(rows.len() as u64);
            self.list.items = rows.clone();
            self.list.loaded = true;
            self.offline.cached_at = s.saved_at;
        }
    }

    /// What the offline cache keeps of this state: everything it was started with, plus what is fresh, so
    /// quitting while offline never leaves it with less than it had.
    pub fn snapshot(&self) -> Snapshot {
        let mut contacts = self.offline.contacts.clone();
        let mut sessions = self.offline.sessions.clone();
        if let (Load::Ready(c), Some(id)) = (&self.detail.contact, &self.detail.contact_id) {
            contacts.insert(id.clone(), c.clone());
        }
        if let (Load::Ready(s), Some(id)) = (&self.detail.session, &self.detail.contact_id) {
            sessions.insert(id.clone(), s.clone());
        }
        Snapshot {
            saved_at: Some(self.offline.synced_at.unwrap_or(self.now)),
            view: self.list.filters.view.label().to_string(),
            views: self.offline.first_pages.iter().map(|(v, rows)| (v.label().to_string(), rows.clone())).collect(),
            status: Filters::default().status,
            counts: self.list.counts.by_view.iter().map(|(v, n)| (v.label().to_string(), *n)).collect(),
            me: self.account.me.clone(),
            agents: self.account.agents.clone(),
            conversations: vec![],
            notifications: self.notifications.items.clone(),
            contacts,
            sessions,
        }
    }
}
