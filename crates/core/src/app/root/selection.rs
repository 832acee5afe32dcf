//! Moving around: the list's selection (which the panels follow), the thread's scroll, the other panes'
//! cursors, focus.

use super::AppState;
use crate::app::{Effect, Pane, Purpose, viewport};
use crate::domain::Clean;

impl AppState {
    /// Rows the list shows at the current size.
    pub(super) fn list_rows(&self) -> usize {
        viewport::list_rows(self.size.0, self.size.1).max(1)
    }

    /// Half a screen of rows (Ctrl-D / Ctrl-U).
    pub(super) fn half_page(&self) -> isize {
        (self.list_rows() / 2).max(1) as isize
    }

    /// The panels follow the shown conversation: at once while a thread is open, else once the selection
    /// rests.
    pub(super) fn follow_selection(&mut self) -> Vec<Effect> {
        let shown = self.shown();
        let effects = self.detail.follow(shown, self.thread.is_some(), self.now, &mut self.requests);
        self.detail.handler = self.shown_conversation().and_then(|c| c.assignee.clone());
        effects
    }

    /// The selection rested on conversation `id`: the panels load it, if it is still the one shown.
    pub(super) fn rested(&mut self, id: &str) -> Vec<Effect> {
        if self.shown().map(|(c, _)| c).as_deref() != Some(id) {
            return vec![];
        }
        self.detail.rested(id, &mut self.requests)
    }

    /// Selects row `index`; near the end of what is loaded, the next page is asked for.
    pub(super) fn select(&mut self, index: usize) -> Vec<Effect> {
        let rows = self.list_rows();
        if !self.list.select(index, rows) {
            return self.follow_selection();
        }
        let mut effects = self.follow_selection();
        let loading = self.requests.awaits(|p| *p == Purpose::ListPage);
        if let Some(next) = self.list.next_page_wanted(loading) {
            effects.push(self.list.load_page(next, &mut self.requests));
        }
        effects
    }

    /// After the rows changed: the selection stays on conversation `keep`, else on the same row.
    pub(super) fn reselect(&mut self, keep: Option<Clean>) -> Vec<Effect> {
        let index = keep.and_then(|id| self.list.position(&id)).unwrap_or(self.list.selected);
        self.select(index)
    }

    /// j/k and friends, in the focused pane.
    pub(super) fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        if self.focus == Pane::List
            && let Some(t) = self.thread.as_mut()
        {
            // In the thread, moving scrolls: down goes toward the newest message.
            let max = viewport::thread_max_scroll(self.size, t, self.compose.open.is_some());
            return t.scroll(delta, max, &mut self.requests);
        }
        match self.focus {
            Pane::List => self.select(self.list.step(delta)),
            Pane::Notifications => {
                self.notifications.move_by(delta);
                vec![]
            }
            Pane::Session => {
                self.detail.move_section(delta);
                vec![]
            }
            Pane::Contact => {
                self.detail.scroll_contact(delta);
                vec![]
            }
        }
    }

    /// Tab / Shift-Tab.
    pub(super) fn cycle_focus(&mut self, by: isize) {
        let n = Pane::ORDER.len() as isize;
        let at = Pane::ORDER.iter().position(|p| *p == self.focus).unwrap_or(0) as isize;
        self.focus = Pane::ORDER[(at + by).rem_euclid(n) as usize];
    }
}
