//! Triage's own update: marking conversations for bulk actions, and a bulk action's progress.

use super::{Batch, Change, Triage};
use crate::domain::{Clean, Conversation};

/// Where an answer to a change leaves a bulk action.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// No bulk action: the single change speaks for itself.
    Single,
    /// More answers to come.
    Pending,
    /// All answered, every one done: the words to say.
    Done(String),
    /// All answered, some failed: the words to say.
    Failed(String),
}

impl Triage {
    /// Space: marks or unmarks conversation `id` at row `index`.
    pub fn toggle(&mut self, id: &Clean, index: usize) {
        if !self.marked.remove(id) {
            self.marked.insert(id.clone());
        }
        self.mark_anchor = Some(index);
    }

    /// `V`: marks every row from the anchor to row `here` of `rows`.
    pub fn mark_range(&mut self, rows: &[Conversation], here: usize) {
        let from = self.mark_anchor.unwrap_or(here);
        let (a, b) = if from <= here { (from, here) } else { (here, from) };
        for c in rows.iter().skip(a).take(b - a + 1) {
            self.marked.insert(c.id.clone());
        }
        self.mark_anchor = Some(here);
    }

    /// Marks every row.
    pub fn mark_all(&mut self, rows: &[Conversation]) {
        self.marked = rows.iter().map(|c| c.id.clone()).collect();
    }

    /// Unmarks everything.
    pub fn clear(&mut self) {
        self.marked.clear();
        self.mark_anchor = None;
    }

    /// The marked conversations among `rows`.
    pub fn marked_in(&self, rows: &[Conversation]) -> Vec<Conversation> {
        rows.iter().filter(|c| self.marked.contains(&c.id)).cloned().collect()
    }

    /// A change starts on `n` conversations: more than one is a bulk action whose progress is counted.
    pub fn start(&mut self, change: &Change, n: usize, undo: bool) {
        self.batch = (n > 1).then(|| Batch { change: change.clone(), total: n, done: 0, failed: vec![], undo });
        self.clear();
    }

    /// One change was answered: `failed` names the conversation and the reason when it was refused.
    pub fn answered(&mut self, failed: Option<(Clean, String)>) -> Progress {
        let Some(b) = self.batch.as_mut() else { return Progress::Single };
        b.done += 1;
        b.failed.extend(failed);
        if b.done < b.total {
            return Progress::Pending;
        }
        let ok = b.total - b.failed.len();
        let done = if b.undo { "Undone".to_string() } else { b.change.done_bulk() };
        let progress = match b.failed.first() {
            None => Progress::Done(format!("{done} — {} conversations", b.total)),
            Some((name, why)) => {
                let more = if b.failed.len() > 1 { format!(" and {} more", b.failed.len() - 1) } else { String::new() };
                Progress::Failed(format!("{done} {ok} of {}; failed: {name} ({why}){more}", b.total))
            }
        };
        self.batch = None;
        progress
    }
}
