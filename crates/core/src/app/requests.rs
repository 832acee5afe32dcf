//! The requests in flight: each one's purpose, so its answer goes back to what asked, and the ids they get.
//!
//! Every feature that asks the server something is handed this (never the whole state), so what a feature
//! may send is visible in its signature.

use super::{Effect, Purpose};
use crate::protocol::{Request, RequestId};
use std::collections::HashMap;

/// Requests in flight and the ids the next ones get.
#[derive(Debug, Clone, PartialEq)]
pub struct Requests {
    /// Every request in flight, with what it is for: its answer goes back to that purpose.
    pub inflight: HashMap<RequestId, Purpose>,
    /// The id the next request gets.
    pub next: RequestId,
    /// Unique to this run, so message idempotency keys never repeat across runs.
    pub nonce: String,
}

impl Default for Requests {
    fn default() -> Self {
        Self { inflight: HashMap::new(), next: 1, nonce: "run".into() }
    }
}

impl Requests {
    /// Sends `request` for `purpose`: the answer comes back to it, and an older request of the same key is
    /// forgotten (the worker drops it too).
    pub fn send(&mut self, purpose: Purpose, request: Request) -> Effect {
        let id = self.id();
        let key = purpose.key();
        if let Some(k) = &key {
            self.inflight.retain(|_, p| p.key().as_ref() != Some(k));
        }
        self.inflight.insert(id, purpose);
        Effect::Send { id, key, request }
    }

    /// True while a request whose purpose satisfies `f` is in flight.
    pub fn awaits(&self, f: impl Fn(&Purpose) -> bool) -> bool {
        self.inflight.values().any(f)
    }

    /// The purpose of request `id`, while it is in flight.
    pub fn purpose_of(&self, id: RequestId) -> Option<&Purpose> {
        self.inflight.get(&id)
    }

    /// Request `id` was answered (or given up on): its purpose, if it still counts.
    pub fn answered(&mut self, id: RequestId) -> Option<Purpose> {
        self.inflight.remove(&id)
    }

    /// Takes the next id (also used for composer revisions).
    pub fn id(&mut self) -> RequestId {
        let id = self.next;
        self.next += 1;
        id
    }

    /// A message idempotency key no other run or message shares.
    pub fn fresh_key(&mut self) -> String {
        let n = self.id();
        format!("{}-{n}", self.nonce)
    }
}
