//! The notifications pane's own update: loading, new ones arriving, marking read, dismissing. Notifications
//! about the same conversation are one line (a group): the newest first, with how many there are; the cursor,
//! marking read, dismissing and opening act on a whole group.

use super::{Effect, Notifications, Purpose, Requests};
use crate::domain::{Clean, Notification};
use crate::protocol::{PageReq, Request};
use std::collections::HashMap;

/// The most notifications held: live ones arriving push the oldest out.
pub const MAX_NOTIFICATIONS: usize = 500;

/// Notifications about one conversation (or one notification about none), newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// The newest of them: the one the pane shows.
    pub newest: &'a Notification,
    /// Every member's id, newest first.
    pub ids: Vec<Clean>,
    /// How many of them are unread.
    pub unread: usize,
}

impl Group<'_> {
    /// How many notifications the group holds.
    pub fn count(&self) -> usize {
        self.ids.len()
    }
}

/// What groups notification `n` with others: its conversation, else only itself.
fn group_key(n: &Notification) -> (bool, &str) {
    match &n.conversation_id {
        Some(c) => (true, c.as_str()),
        None => (false, n.id.as_str()),
    }
}

impl Notifications {
    /// The groups, in the order of their newest member (the items are newest first).
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut at: HashMap<(bool, &str), usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        for n in &self.items {
            let i = *at.entry(group_key(n)).or_insert_with(|| {
                groups.push(Group { newest: n, ids: Vec::new(), unread: 0 });
                groups.len() - 1
            });
            groups[i].ids.push(n.id.clone());
            groups[i].unread += usize::from(!n.is_read);
        }
        groups
    }

    /// The selected group's key, to find it again after the items changed.
    fn selected_key(&self) -> Option<(bool, String)> {
        self.groups().get(self.selected).map(|g| {
            let (k, v) = group_key(g.newest);
            (k, v.to_string())
        })
    }

    /// Puts the cursor back on group `key` (else keeps it within the groups).
    fn reselect(&mut self, key: Option<(bool, String)>) {
        let groups = self.groups();
        let found = key.and_then(|(k, v)| groups.iter().position(|g| group_key(g.newest) == (k, v.as_str())));
        self.selected = found.unwrap_or(self.selected).min(groups.len().saturating_sub(1));
    }

    /// Asks for the newest notifications.
    pub fn load(out: &mut Requests) -> Effect {
        out.send(Purpose::Notifications, Request::Notifications(PageReq { page: 1, limit: 100 }))
    }

    /// Notifications arrived.
    pub fn loaded(&mut self, mut items: Vec<Notification>) {
        let key = self.selected_key();
        items.truncate(MAX_NOTIFICATIONS);
        self.items = items;
        self.reselect(key);
    }

    /// One arrived live; a known id is an update (another message on the same thread): it moves to the top,
    /// and its group with it. The cursor stays on the group it was on.
    pub fn arrived(&mut self, n: Notification) {
        let key = self.selected_key();
        self.items.retain(|x| x.id != n.id);
        self.items.insert(0, n);
        self.items.truncate(MAX_NOTIFICATIONS);
        // At the top the cursor meets what arrives; further down it stays on its group.
        self.reselect(if self.selected == 0 { None } else { key });
    }

    /// The selected group's newest notification.
    pub fn current(&self) -> Option<&Notification> {
        self.groups().get(self.selected).map(|g| g.newest)
    }

    /// Moves the cursor over the groups.
    pub fn move_by(&mut self, delta: isize) {
        self.selected = super::list::step(self.selected, self.groups().len(), delta);
    }

    /// The ids in the selected group.
    fn selected_ids(&self) -> Vec<Clean> {
        self.groups().into_iter().nth(self.selected).map(|g| g.ids).unwrap_or_default()
    }

    /// Marks the selected group read.
    pub fn mark_read(&mut self, out: &mut Requests) -> Vec<Effect> {
        let ids = self.selected_ids();
        let unread: Vec<Clean> =
            self.items.iter().filter(|n| !n.is_read && ids.contains(&n.id)).map(|n| n.id.clone()).collect();
        if unread.is_empty() {
            return vec![];
        }
        for n in self.items.iter_mut().filter(|n| unread.contains(&n.id)) {
            n.is_read = true;
        }
        vec![out.send(Purpose::NotificationAction, Request::MarkNotificationsRead(unread))]
    }

    /// Marks every one read: how many were unread, and the request.
    pub fn mark_all_read(&mut self, out: &mut Requests) -> Option<(usize, Effect)> {
        let ids: Vec<Clean> = self.items.iter().filter(|n| !n.is_read).map(|n| n.id.clone()).collect();
        if ids.is_empty() {
            return None;
        }
        for n in &mut self.items {
            n.is_read = true;
        }
        Some((ids.len(), out.send(Purpose::NotificationAction, Request::MarkNotificationsRead(ids))))
    }

    /// Dismisses the selected group (one request per notification: the API dismisses one at a time).
    pub fn dismiss(&mut self, out: &mut Requests) -> Vec<Effect> {
        let ids = self.selected_ids();
        self.items.retain(|n| !ids.contains(&n.id));
        self.selected = self.selected.min(self.groups().len().saturating_sub(1));
        ids.into_iter().map(|id| out.send(Purpose::NotificationAction, Request::DismissNotification(id))).collect()
    }

    /// Dismisses every one: how many there were, and the request.
    pub fn dismiss_all(&mut self, out: &mut Requests) -> (usize, Effect) {
        let n = self.items.len();
        self.items.clear();
        self.selected = 0;
        (n, out.send(Purpose::NotificationAction, Request::DismissAllNotifications))
    }

    /// Unread notifications.
    pub fn unread(&self) -> usize {
        self.items.iter().filter(|n| !n.is_read).count()
    }
}
