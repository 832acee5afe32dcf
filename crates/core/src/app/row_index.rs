//! The ids of the list's rows, hashed: a page is merged, and a live change finds its row, in time that
//! depends on the page, not on how many rows are loaded.

use crate::domain::Conversation;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// How many rows hold each id hash (a hash can stand for several ids, so a hit is checked on the rows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowIndex {
    counts: HashMap<u64, u32>,
    rows: usize,
}

fn key(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl RowIndex {
    /// The index of `items`, built anew.
    pub fn of(items: &[Conversation]) -> RowIndex {
        let mut index = RowIndex::default();
        for c in items {
            index.add(&c.id);
        }
        index
    }

    /// How many rows it counts.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// False when no row has id `id`; true when one may.
    pub fn may_hold(&self, id: &str) -> bool {
        self.counts.contains_key(&key(id))
    }

    /// A row with id `id` was added.
    pub fn add(&mut self, id: &str) {
        *self.counts.entry(key(id)).or_insert(0) += 1;
        self.rows += 1;
    }

    /// A row with id `id` went.
    pub fn remove(&mut self, id: &str) {
        let k = key(id);
        if let Some(n) = self.counts.get_mut(&k) {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(&k);
            }
            self.rows -= 1;
        }
    }
}
