//! Live events on their way from the stream to the screen: coalesced by what they are about, held in a
//! bounded queue, and given up for one reload when more arrive than the screen takes — so a flood never
//! grows memory and never leaves the screen minutes behind.

use super::WorkerEvent;
use crate::domain::{Clean, LiveEvent};
use std::collections::{HashMap, VecDeque};

/// Live events handed to the UI task at a time (the channel between them).
pub const LIVE_CHANNEL: usize = 256;

/// Events waiting for room in the channel before the rest are dropped for a reload.
pub const DEFAULT_PENDING_CAP: usize = 2_000;

/// What an event is about: a newer event about the same thing replaces the older.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum About {
    Conversation(Clean),
    Message(Clean),
    Notification(Clean),
    /// A newer mark replaces an older one; a failure is never replaced by a later receipt.
    Status(Clean, bool),
}

fn about(ev: &LiveEvent) -> About {
    match ev {
        LiveEvent::ConversationUpdated(c) => About::Conversation(c.id.clone()),
        // A later edit or deletion of the same message supersedes what waits about it.
        LiveEvent::MessageCreated(m) | LiveEvent::MessageEdited(m) => About::Message(m.id.clone()),
        LiveEvent::MessageRemoved { message_id, .. } => About::Message(message_id.clone()),
        LiveEvent::NotificationCreated(n) => About::Notification(n.id.clone()),
        LiveEvent::MessageStatus(s) => {
            About::Status(s.message_id.clone(), s.status == crate::domain::DeliveryStatus::Failed)
        }
    }
}

/// Events read from the stream that the UI task has not taken yet, oldest first, one per thing.
#[derive(Debug)]
pub struct Pending {
    order: VecDeque<About>,
    events: HashMap<About, LiveEvent>,
    dropped: usize,
    cap: usize,
}

impl Pending {
    /// An empty queue holding at most `cap` events.
    pub fn new(cap: usize) -> Self {
        Pending { order: VecDeque::new(), events: HashMap::new(), dropped: 0, cap: cap.max(1) }
    }

    /// Queues `ev`: it replaces a waiting event about the same thing in place; past the cap everything
    /// waiting is dropped and the UI will be told to reload instead.
    pub fn push(&mut self, ev: LiveEvent) {
        let key = about(&ev);
        if let Some(waiting) = self.events.get_mut(&key) {
            *waiting = ev;
            return;
        }
        if self.events.len() >= self.cap {
            self.dropped += self.events.len() + 1;
            self.events.clear();
            self.order.clear();
            return;
        }
        self.order.push_back(key.clone());
        self.events.insert(key, ev);
    }

    /// The next thing for the UI: first word of a drop, then the oldest waiting event.
    pub fn pop(&mut self) -> Option<WorkerEvent> {
        if self.dropped > 0 {
            return Some(WorkerEvent::Overwhelmed { dropped: std::mem::take(&mut self.dropped) });
        }
        let key = self.order.pop_front()?;
        self.events.remove(&key).map(WorkerEvent::Event)
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.dropped == 0 && self.order.is_empty()
    }

    /// Events waiting.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    fn conv(id: &str, subject: &str) -> LiveEvent {
        LiveEvent::ConversationUpdated(Box::new(Conversation {
            id: id.into(),
            contact_id: "k".into(),
            contact: Contact::default(),
            channel: Channel::Whatsapp,
            subject: Some(subject.into()),
            status: ConvStatus::Open,
            priority: Priority::Medium,
            assignee: None,
            labels: vec![],
            tags: vec![],
            message_count: 0,
            unread_count: 0,
            created_at: None,
            updated_at: None,
            last_message_at: None,
            last_message_preview: None,
            waiting_since: None,
            service_window: None,
        }))
    }

    fn subject(ev: Option<WorkerEvent>) -> String {
        match ev {
            Some(WorkerEvent::Event(LiveEvent::ConversationUpdated(c))) => {
                format!("{}:{}", c.id, c.subject.as_deref().unwrap_or(""))
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn updates_to_one_conversation_are_coalesced_in_place() {
        let mut p = Pending::new(10);
        p.push(conv("a", "1"));
        p.push(conv("b", "1"));
        p.push(conv("a", "2"));
        assert_eq!(p.len(), 2);
        assert_eq!(subject(p.pop()), "a:2", "the newest data, in the older place");
        assert_eq!(subject(p.pop()), "b:1");
        assert!(p.pop().is_none() && p.is_empty());
    }

    #[test]
    fn past_the_cap_everything_waiting_becomes_one_reload() {
        let mut p = Pending::new(3);
        for i in 0..4 {
            p.push(conv(&i.to_string(), "x"));
        }
        assert!(!p.is_empty(), "a drop waits to be told");
        assert_eq!(p.len(), 0);
        p.push(conv("late", "y"));
        assert_eq!(p.pop(), Some(WorkerEvent::Overwhelmed { dropped: 4 }));
        assert_eq!(subject(p.pop()), "late:y", "what came after the drop is still shown");
        assert!(p.is_empty());
    }
}
