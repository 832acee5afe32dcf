//! Moving around: the list's selection and scroll, the other panes' cursors, focus.

use super::{AppState, Effect, Pane, detail, update};
use crate::domain::Clean;
use crate::domain::Conversation;

/// Load the next page when the selection comes this close to the end.
const PREFETCH: usize = 10;

/// Rows the list shows at the current terminal size.
pub fn list_rows(state: &AppState) -> usize {
    super::viewport::list_rows(state.size.0, state.size.1).max(1)
}

/// Keeps the selected row inside the visible window.
pub fn keep_visible(state: &mut AppState) {
    let rows = list_rows(state);
    let l = &mut state.list;
    if l.selected < l.offset {
        l.offset = l.selected;
    } else if l.selected >= l.offset + rows {
        l.offset = l.selected + 1 - rows;
    }
    l.offset = l.offset.min(l.items.len().saturating_sub(rows)).min(l.selected);
}

/// Selects row `index` (clamped), loading the next page when near the end and the details once it rests.
pub fn select(state: &mut AppState, index: usize) -> Vec<Effect> {
    let len = state.list.items.len();
    if len == 0 {
        return vec![];
    }
    state.list.selected = index.min(len - 1);
    keep_visible(state);
    let mut effects = detail::follow_selection(state);
    let loading = state.awaits(|p| *p == super::Purpose::ListPage);
    if state.list.has_more && !loading && state.list.selected + PREFETCH >= len {
        let next = state.list.page + 1;
        effects.push(update::load_page(state, next));
    }
    effects
}

/// Keeps the selection on the conversation `keep` (by id) after the rows changed.
pub fn reselect(state: &mut AppState, keep: Option<Clean>) -> Vec<Effect> {
    let i = keep.and_then(|id| state.list.items.iter().position(|c: &Conversation| c.id == id));
    let index = i.unwrap_or(state.list.selected);
    if state.list.items.is_empty() {
        state.list.selected = 0;
        state.list.offset = 0;
        return detail::follow_selection(state);
    }
    select(state, index)
}

/// Moves the cursor of the focused pane by `delta` rows (`isize::MIN`/`MAX` for first/last).
pub fn move_by(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let step = |at: usize, len: usize| -> usize {
        if len == 0 {
            return 0;
        }
        (at as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize
    };
    if state.thread.is_some() && state.focus == Pane::List {
        // In the thread, moving scrolls: down goes toward the newest message.
        return super::thread::scroll(state, delta);
    }
    match state.focus {
        Pane::List => {
            let to = step(state.list.selected, state.list.items.len());
            select(state, to)
        }
        Pane::Notifications => {
            state.notifications.selected = step(state.notifications.selected, state.notifications.items.len());
            vec![]
        }
        Pane::Session => {
            let sections = state.detail.session.ready().map(|s| s.panel.sections.len()).unwrap_or(0);
            state.detail.section = step(state.detail.section, sections);
            vec![]
        }
        Pane::Contact => {
            // Clamped when drawn: the panel knows how many lines it has.
            state.detail.contact_scroll =
                (state.detail.contact_scroll as isize).saturating_add(delta).clamp(0, 10_000) as usize;
            vec![]
        }
    }
}

/// Half the list's height, for Ctrl-d / Ctrl-u.
pub fn half_page(state: &AppState) -> isize {
    (list_rows(state) / 2).max(1) as isize
}

/// Moves focus `by` panes along the Tab order.
pub fn cycle_focus(state: &mut AppState, by: isize) {
    let n = Pane::ORDER.len() as isize;
    let at = Pane::ORDER.iter().position(|p| *p == state.focus).unwrap_or(0) as isize;
    state.focus = Pane::ORDER[(at + by).rem_euclid(n) as usize];
}
