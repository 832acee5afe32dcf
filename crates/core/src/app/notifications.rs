//! The notifications pane's own update: loading, new ones arriving, marking read, dismissing.

use super::{Effect, Notifications, Purpose, Requests};
use crate::domain::{Clean, Notification};
use crate::protocol::{PageReq, Request};

impl Notifications {
    /// Asks for the newest notifications.
    pub fn load(out: &mut Requests) -> Effect {
        out.send(Purpose::Notifications, Request::Notifications(PageReq { page: 1, limit: 100 }))
    }

    /// Notifications arrived.
    pub fn loaded(&mut self, items: Vec<Notification>) {
        self.items = items;
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }

    /// One arrived live; a known id is an update (another message on the same thread): it moves to the top.
    pub fn arrived(&mut self, n: Notification) {
        let old = self.items.iter().position(|x| x.id == n.id);
        if let Some(i) = old {
            self.items.remove(i);
        }
        self.items.insert(0, n);
        let sel = self.selected;
        if sel > 0 && old.is_none_or(|i| i > sel) {
            // Keep the cursor on the same notification.
            self.selected += 1;
        } else if old == Some(sel) {
            self.selected = 0;
        }
    }

    /// The selected notification.
    pub fn current(&self) -> Option<&Notification> {
        self.items.get(self.selected)
    }

    /// Moves the cursor.
    pub fn move_by(&mut self, delta: isize) {
        self.selected = super::list::step(self.selected, self.items.len(), delta);
    }

    /// Marks the selected one read.
    pub fn mark_read(&mut self, out: &mut Requests) -> Vec<Effect> {
        match self.items.get_mut(self.selected) {
            Some(n) if !n.is_read => n.is_read = true,
            _ => return vec![],
        }
        let id = self.items[self.selected].id.clone();
        vec![out.send(Purpose::NotificationAction, Request::MarkNotificationsRead(vec![id]))]
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

    /// Dismisses the selected one.
    pub fn dismiss(&mut self, out: &mut Requests) -> Vec<Effect> {
        let Some(id) = self.current().map(|n| n.id.clone()) else { return vec![] };
        self.items.retain(|n| n.id != id);
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
        vec![out.send(Purpose::NotificationAction, Request::DismissNotification(id))]
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
