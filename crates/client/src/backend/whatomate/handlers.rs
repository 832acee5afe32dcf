//! Who handles a conversation, as Whatomate has it: the agent of the contact's active transfer (a chatbot
//! hand-over); an active transfer with no agent waits in the queue. The contact's pin (`assigned_user_id`) is a
//! separate relationship-manager link: it is what the row shows only while no transfer is active.

use super::{MAX_LIMIT, WhatomateBackend, wire};
use crate::backend::{Assigned, BackendResult};
use crate::domain::{Clean, Conversation, PersonRef};
use serde_json::Value;
use std::collections::HashMap;

/// Pages of active transfers read at most (10,000 transfers).
const TRANSFER_PAGES: usize = 100;

/// The active transfers: contact id → the agent handling it (`None`: waiting in the queue).
#[derive(Debug, Clone, Default)]
pub struct Handlers {
    by_contact: HashMap<Clean, Option<Clean>>,
}

impl Handlers {
    /// Reads every active transfer the caller may see.
    pub async fn read(backend: &WhatomateBackend) -> BackendResult<Handlers> {
        let mut by_contact = HashMap::new();
        for page in 0..TRANSFER_PAGES {
            let offset = (page as u32 * MAX_LIMIT).to_string();
            let q = [("status", "active".to_string()), ("limit", MAX_LIMIT.to_string()), ("offset", offset)];
            let data = backend.get("/api/chatbot/transfers", &q).await?;
            let list = data.get("transfers").and_then(Value::as_array).cloned().unwrap_or_default();
            for t in &list {
                if let Some(contact) = wire::id_at(t, "contact_id") {
                    by_contact.insert(contact, wire::id_at(t, "agent_id"));
                }
            }
            let total = data.get("total_count").and_then(Value::as_u64).unwrap_or(0) as usize;
            if list.len() < MAX_LIMIT as usize || (page + 1) * MAX_LIMIT as usize >= total {
                break;
            }
        }
        Ok(Handlers { by_contact })
    }

    /// The agent handling `contact` through an active transfer: `Some(None)` while it waits in the queue,
    /// `None` with no active transfer.
    pub fn of(&self, contact: &str) -> Option<Option<&Clean>> {
        self.by_contact.get(contact).map(Option::as_ref)
    }

    /// Whether a row (still showing its pin) belongs to the view asked for: Mine is what I handle and what is
    /// pinned to me; Unassigned is the queue; an agent's view is what they handle, else what is pinned to them.
    pub fn belongs(&self, c: &Conversation, wanted: &Assigned, me: Option<&str>) -> bool {
        let pin = c.assignee.as_ref().map(|a| a.id.as_str());
        let handler = self.of(&c.id);
        match wanted {
            Assigned::Nobody => handler == Some(None),
            Assigned::Me => me.is_some() && (pin == me || handler.flatten().map(Clean::as_str) == me),
            Assigned::To(id) => match handler {
                Some(agent) => agent.map(Clean::as_str) == Some(id.as_str()),
                None => pin == Some(id.as_str()),
            },
        }
    }

    /// Shows the handler on the row: the transfer's agent, nobody while queued, else the pin.
    pub fn apply(&self, c: &mut Conversation, names: &HashMap<Clean, Clean>) {
        if let Some(agent) = self.of(&c.id) {
            c.assignee = agent
                .map(|id| PersonRef { name: names.get(id).cloned().unwrap_or_else(|| id.clone()), id: id.clone() });
        }
    }
}

impl super::WhatomateBackend {
    /// This agent handed `contact_id` to itself; remembered until its transfer event comes (a few hundred at
    /// most, for events that never come while the socket is down).
    pub(super) fn took(&self, contact_id: Clean) {
        if let Ok(mut taken) = self.taken.lock() {
            if taken.len() >= 256 {
                taken.clear();
            }
            taken.insert(contact_id);
        }
    }

    /// True (once) when this agent took `contact_id` from the queue itself.
    pub(super) fn forget_taken(&self, contact_id: &str) -> bool {
        self.taken.lock().map(|mut t| t.remove(contact_id)).unwrap_or(false)
    }
}
