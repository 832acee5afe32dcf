//! What happens to a reply after the server took it: like a real channel, it goes out a moment later (`sent`,
//! then `delivered`), or the channel refuses it — WhatsApp refuses free-form text once the customer's 24-hour
//! window has closed — and the message is marked `failed` with the reason. Each change is a `message.status`
//! event.

use super::Shared;
use super::store::Store;
use serde_json::json;
use std::sync::{Arc, Weak};

/// Why WhatsApp refuses a reply after the window closed, as the agent reads it.
pub const WINDOW_CLOSED: &str =
    "WhatsApp refused it: more than 24 hours have passed since the customer last wrote. Send an approved template.";

/// Follows message `message_id` of conversation `conversation_id` out: `template` messages go through a closed
/// window, free-form replies do not.
pub fn schedule(s: &Arc<Shared>, conversation_id: String, message_id: String, template: bool) {
    let (weak, after) = (Arc::downgrade(s), s.options.delivery_after);
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        let out = if template { Outcome::TemplateOut } else { Outcome::Out };
        let refused = step(&weak, &conversation_id, &message_id, out);
        if !refused {
            tokio::time::sleep(after * 3).await;
            step(&weak, &conversation_id, &message_id, Outcome::Delivered);
        }
    });
}

#[derive(Clone, Copy)]
enum Outcome {
    /// A free-form reply reaches the channel: refused when the window is closed.
    Out,
    /// A template reaches the channel: the window does not matter.
    TemplateOut,
    Delivered,
}

/// Moves the message on; true when the channel refused it.
fn step(weak: &Weak<Shared>, conversation_id: &str, message_id: &str, outcome: Outcome) -> bool {
    let Some(s) = weak.upgrade() else { return false };
    let now = s.now();
    let refused = {
        let mut store = s.lock();
        let Some(idx) = store.conv_index(conversation_id) else { return false };
        let c = &store.conversations[idx];
        let window_closed =
            c.channel == "whatsapp" && c.last_inbound_at.is_none_or(|t| now - t > chrono::TimeDelta::hours(24));
        let (status, error) = match outcome {
            Outcome::Out if window_closed => ("failed", Some(WINDOW_CLOSED.to_string())),
            Outcome::Out | Outcome::TemplateOut => ("sent", None),
            Outcome::Delivered => ("delivered", None),
        };
        set_status(&mut store, conversation_id, message_id, status, error);
        status == "failed"
    };
    s.wake();
    refused
}

/// Records the message's new status and tells every agent.
fn set_status(store: &mut Store, conversation_id: &str, message_id: &str, status: &str, error: Option<String>) {
    let Some(m) = store.messages.get_mut(conversation_id).and_then(|l| l.iter_mut().find(|m| m.id == message_id))
    else {
        return;
    };
    m.status = status.to_string();
    m.error = error.clone();
    let data = json!({"message_id": message_id, "conversation_id": conversation_id, "status": status, "error": error});
    store.push_event("message.status", None, data);
}
