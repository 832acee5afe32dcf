//! Notifications kept by tinbox itself: Whatomate has no notifications API, so (as its web UI does) they
//! are made from socket events and live for the session.

use crate::backend::PageReq;
use crate::domain::{Clean, Notification, Page};
use std::sync::Mutex;

/// How many notifications are kept; the oldest go first.
const KEEP: usize = 200;

/// The session's notifications, newest first.
#[derive(Debug, Default)]
pub struct Inbox {
    items: Mutex<(u64, Vec<Notification>)>,
}

impl Inbox {
    fn with<T>(&self, f: impl FnOnce(&mut (u64, Vec<Notification>)) -> T) -> T {
        // A poisoned lock only means another task panicked mid-update; the list itself is still usable.
        let mut guard = self.items.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }

    /// Files a new notification, giving it an id. An unread one of the same kind about the same
    /// conversation is replaced (keeping its id), so ten messages from one customer make one line.
    pub fn push(&self, mut n: Notification) -> Notification {
        self.with(|(next, items)| {
            let same = |x: &Notification| !x.is_read && x.kind == n.kind && x.conversation_id == n.conversation_id;
            match items.iter().position(same) {
                Some(i) => n.id = items.remove(i).id,
                None => {
                    *next += 1;
                    n.id = format!("ws-{next}").into();
                }
            }
            items.insert(0, n.clone());
            items.truncate(KEEP);
            n
        })
    }

    /// A page, newest first.
    pub fn page(&self, p: PageReq, unread_only: bool) -> Page<Notification> {
        self.with(|(_, items)| {
            let all: Vec<&Notification> = items.iter().filter(|n| !unread_only || !n.is_read).collect();
            let limit = p.limit.max(1);
            let start = ((p.page.max(1) - 1) * limit) as usize;
            let total = all.len() as u64;
            Page {
                items: all.into_iter().skip(start).take(limit as usize).cloned().collect(),
                total,
                page: p.page.max(1),
                limit,
                total_pages: total.div_ceil(limit as u64) as u32,
                skipped: 0,
            }
        })
    }

    /// Marks these read (all of them when `ids` is empty).
    pub fn mark_read(&self, ids: &[Clean]) {
        self.with(|(_, items)| {
            items.iter_mut().filter(|n| ids.is_empty() || ids.contains(&n.id)).for_each(|n| n.is_read = true)
        });
    }

    /// Forgets one; false when there was no such notification.
    pub fn dismiss(&self, id: &str) -> bool {
        self.with(|(_, items)| {
            let before = items.len();
            items.retain(|n| n.id != id);
            items.len() < before
        })
    }

    /// Forgets them all.
    pub fn clear(&self) {
        self.with(|(_, items)| items.clear());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NotificationKind;

    fn n(title: &str) -> Notification {
        Notification {
            id: String::new().into(),
            kind: NotificationKind::NewMessage,
            title: title.into(),
            body: String::new().into(),
            conversation_id: None,
            contact_id: None,
            actor: None,
            is_read: false,
            created_at: None,
        }
    }

    #[test]
    fn newest_first_read_and_dismissed() {
        let inbox = Inbox::default();
        let a = inbox.push(Notification { conversation_id: Some("c1".into()), ..n("a") });
        let b = inbox.push(n("b"));
        let again = inbox.push(Notification { conversation_id: Some("c1".into()), ..n("a2") });
        assert_eq!(again.id, a.id, "a second message on c1 updates the first notice");
        let a = again;
        assert_ne!(a.id, b.id);
        let page = inbox.page(PageReq { page: 1, limit: 10 }, false);
        assert_eq!(page.items.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(), ["a2", "b"]);
        inbox.mark_read(std::slice::from_ref(&a.id));
        assert_eq!(inbox.page(PageReq::default(), true).items.len(), 1);
        let later = inbox.push(Notification { conversation_id: Some("c1".into()), ..n("a3") });
        assert_ne!(later.id, a.id, "once read, a new message is news again");
        assert!(inbox.dismiss(&b.id) && !inbox.dismiss(&b.id));
        inbox.clear();
        assert_eq!(inbox.page(PageReq::default(), false).total, 0);
    }
}
