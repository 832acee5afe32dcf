//! Mine and Unassigned on a server that cannot filter by assignee: the newest contacts are scanned once,
//! and the scan is shared for a moment by the list and the view counts, which ask at the same time.

use super::handlers::Handlers;
use super::{MAX_LIMIT, WhatomateBackend};
use crate::backend::{BackendResult, ConversationQuery};
use crate::domain::Conversation;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Server pages scanned at most (the newest 1,000 contacts).
pub const SCAN_PAGES: u32 = 10;
/// How long a scan serves later requests, unless this client changed something since.
const FRESH_FOR: Duration = Duration::from_secs(3);

/// The newest contacts under one search and tag filter.
#[derive(Debug, Clone)]
pub struct Scan {
    key: (Option<String>, Option<String>),
    generation: u64,
    at: Instant,
    /// The rows, newest first.
    pub rows: Vec<Conversation>,
    /// True when the scan reached the last contact.
    pub complete: bool,
    /// Unreadable rows skipped.
    pub skipped: usize,
}

/// The last scan and the last read of who handles what, and a counter of changes that makes them stale.
#[derive(Debug, Default)]
pub struct ScanCache {
    last: tokio::sync::Mutex<Option<Scan>>,
    handlers: tokio::sync::Mutex<Option<(u64, Instant, Arc<Handlers>)>>,
    generation: AtomicU64,
}

impl ScanCache {
    /// Something changed on the server through this client: the next request scans again.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    /// Who handles what (the active transfers), reusing a fresh read: a list and its counts cost one.
    pub async fn handlers(&self, backend: &WhatomateBackend) -> BackendResult<Arc<Handlers>> {
        let mut last = self.handlers.lock().await;
        let generation = self.generation.load(Ordering::Relaxed);
        if let Some((_, _, h)) = last.as_ref().filter(|(g, at, _)| *g == generation && at.elapsed() < FRESH_FOR) {
            return Ok(h.clone());
        }
        let read = Arc::new(Handlers::read(backend).await?);
        *last = Some((generation, Instant::now(), read.clone()));
        Ok(read)
    }

    /// The scan for `q`'s search and tag, reusing a fresh one. Requests wait for each other, so the list
    /// and two counts asked together cost one scan.
    pub async fn get(&self, backend: &WhatomateBackend, q: &ConversationQuery) -> BackendResult<Scan> {
        let key = (q.search.clone().filter(|s| !s.is_empty()), q.label.clone());
        let mut last = self.last.lock().await;
        let generation = self.generation.load(Ordering::Relaxed);
        if let Some(s) =
            last.as_ref().filter(|s| s.key == key && s.generation == generation && s.at.elapsed() < FRESH_FOR)
        {
            return Ok(s.clone());
        }
        let mut scan = Scan { key, generation, at: Instant::now(), rows: Vec::new(), complete: false, skipped: 0 };
        for page in 1..=SCAN_PAGES {
            let p = backend.contacts_page(q, page, MAX_LIMIT).await?;
            scan.skipped += p.skipped;
            let end = !p.has_more() || p.items.is_empty();
            scan.rows.extend(p.items);
            if end {
                scan.complete = true;
                break;
            }
        }
        *last = Some(scan.clone());
        Ok(scan)
    }
}
