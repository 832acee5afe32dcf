//! Replies the server took but has not delivered yet. Whatomate answers a send `pending` and reports the
//! outcome later over its socket (and WhatsApp's receipts later still): until then the reply's text is kept
//! here, so a reply that fails can go back into a composer instead of being lost with its closed draft.

use super::MessageKind;
use crate::domain::{Clean, DeliveryStatus, Message, StatusChange};
use std::collections::VecDeque;

/// How many pending replies, early status changes and failed rows are remembered (oldest forgotten first).
const KEEP: usize = 64;

/// A reply the server holds as `pending`.
#[derive(Debug, Clone, PartialEq)]
pub struct Awaiting {
    /// The message's server id.
    pub message_id: Clean,
    /// Its conversation.
    pub conversation_id: Clean,
    /// A reply or a note.
    pub kind: MessageKind,
    /// The text as the agent wrote it, to put back if it fails; `None` for a template (there is nothing to
    /// edit, and its text must not become a free-form reply).
    pub text: Option<String>,
}

/// The delivery feature: pending replies, status changes heard before their message, and the
/// conversations whose newest reply failed.
#[derive(Debug, Clone, Default)]
pub struct Deliveries {
    awaiting: VecDeque<Awaiting>,
    /// Changes for messages not seen yet (a status can arrive before its message does).
    early: VecDeque<StatusChange>,
    /// Conversations whose last reply failed, shown as such in the list until a reply goes out.
    failed: VecDeque<Clean>,
}

fn push_bounded<T>(q: &mut VecDeque<T>, item: T) {
    if q.len() >= KEEP {
        q.pop_front();
    }
    q.push_back(item);
}

impl Deliveries {
    /// The server answered a send with `m`: a reply not yet out (pending, or failed already) is watched, with
    /// the `text` to put back. A reply that did go out clears the conversation's failed mark.
    pub fn sent(&mut self, m: &Message, kind: MessageKind, text: Option<&str>) {
        if kind.is_note() {
            return;
        }
        self.failed.retain(|c| *c != m.conversation_id);
        if matches!(m.status, DeliveryStatus::Pending | DeliveryStatus::Failed) {
            let waiting = Awaiting {
                message_id: m.id.clone(),
                conversation_id: m.conversation_id.clone(),
                kind,
                text: text.map(str::to_string),
            };
            push_bounded(&mut self.awaiting, waiting);
        }
    }

    /// A status change for a message not shown anywhere yet: kept until its message arrives.
    pub fn early(&mut self, change: StatusChange) {
        push_bounded(&mut self.early, change);
    }

    /// Applies any change heard before message `m` arrived.
    pub fn catch_up(&mut self, m: &mut Message) {
        while let Some(i) = self.early.iter().position(|c| c.message_id == m.id) {
            if let Some(c) = self.early.remove(i) {
                apply(m, &c);
            }
        }
    }

    /// A status change: a watched reply that failed comes back, with its text; one that went out is done.
    pub fn changed(&mut self, change: &StatusChange) -> Option<Awaiting> {
        let i = self.awaiting.iter().position(|a| a.message_id == change.message_id);
        match change.status {
            DeliveryStatus::Failed => {
                let conversation = i.and_then(|i| self.awaiting.get(i)).map(|a| a.conversation_id.clone());
                if let Some(c) = conversation.or_else(|| change.conversation_id.clone()) {
                    self.failed.retain(|x| *x != c);
                    push_bounded(&mut self.failed, c);
                }
                i.and_then(|i| self.awaiting.remove(i))
            }
            DeliveryStatus::Sent | DeliveryStatus::Delivered | DeliveryStatus::Read => {
                if let Some(i) = i {
                    self.awaiting.remove(i);
                }
                None
            }
            _ => None,
        }
    }

    /// True when message `id` is a reply still waiting for its outcome.
    pub fn is_awaited(&self, id: &str) -> bool {
        self.awaiting.iter().any(|a| a.message_id == id)
    }

    /// True when conversation `id`'s last reply failed.
    pub fn has_failed(&self, id: &str) -> bool {
        self.failed.iter().any(|c| c == id)
    }
}

/// Where a message's delivery stands after `change`: a failure overrides anything; otherwise marks only move
/// forward (pending → sent → delivered → read), since receipts can arrive out of order.
pub fn apply(m: &mut Message, change: &StatusChange) {
    let rank = |s: &DeliveryStatus| match s {
        DeliveryStatus::Pending => 1,
        DeliveryStatus::Sent => 2,
        DeliveryStatus::Delivered => 3,
        DeliveryStatus::Read => 4,
        DeliveryStatus::Failed => 5,
        _ => 0,
    };
    if change.status == DeliveryStatus::Failed || rank(&change.status) > rank(&m.status) {
        m.status = change.status.clone();
        if change.error.is_some() {
            m.error = change.error.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Direction;

    fn reply(id: &str, status: DeliveryStatus) -> Message {
        Message {
            id: id.into(),
            conversation_id: "c1".into(),
            direction: Direction::Outgoing,
            private: false,
            author: None,
            text: "hi".into(),
            status,
            error: None,
            created_at: None,
        }
    }

    fn change(id: &str, status: DeliveryStatus) -> StatusChange {
        StatusChange { message_id: id.into(), conversation_id: None, status, error: Some("no".into()) }
    }

    #[test]
    fn marks_move_forward_and_a_failure_overrides_them() {
        let mut m = reply("m1", DeliveryStatus::Pending);
        apply(&mut m, &change("m1", DeliveryStatus::Read));
        apply(&mut m, &change("m1", DeliveryStatus::Delivered));
        assert_eq!(m.status, DeliveryStatus::Read);
        apply(&mut m, &change("m1", DeliveryStatus::Failed));
        assert_eq!((m.status, m.error.map(|e| e.to_string())), (DeliveryStatus::Failed, Some("no".into())));
    }

    #[test]
    fn a_failed_pending_reply_comes_back_once_and_marks_its_row() {
        let mut d = Deliveries::default();
        d.sent(&reply("m1", DeliveryStatus::Pending), MessageKind::Reply, Some("Your refund is on its way"));
        assert!(d.is_awaited("m1"));
        let back = d.changed(&change("m1", DeliveryStatus::Failed)).expect("the text comes back");
        assert_eq!((back.text.as_deref(), back.conversation_id.as_str()), (Some("Your refund is on its way"), "c1"));
        assert!(d.has_failed("c1"));
        assert!(d.changed(&change("m1", DeliveryStatus::Failed)).is_none());
        // The next reply that goes out clears the row's mark.
        d.sent(&reply("m2", DeliveryStatus::Sent), MessageKind::Reply, Some("again"));
        assert!(!d.has_failed("c1") && !d.is_awaited("m2"));
    }

    #[test]
    fn what_is_remembered_is_bounded() {
        let mut d = Deliveries::default();
        for i in 0..1000 {
            d.sent(&reply(&format!("m{i}"), DeliveryStatus::Pending), MessageKind::Reply, Some("x"));
            d.early(change(&format!("x{i}"), DeliveryStatus::Sent));
        }
        assert!(d.awaiting.len() <= KEEP && d.early.len() <= KEEP);
        assert!(d.is_awaited("m999") && !d.is_awaited("m0"));
    }
}
