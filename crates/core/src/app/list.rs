//! The conversation list's own update: pages arriving, a changed row, the selection and its scroll, marks
//! read, the filters cycling. What it needs of other features comes in as arguments.

use super::filters::{compare, list_query};
use super::{ConversationList, Effect, Filters, PAGE_ROWS_CACHED, Purpose, Requests, SORT_CYCLE, View};
use crate::domain::{Clean, Contact, Conversation, Page};
use crate::protocol::Request;
use std::collections::{HashMap, HashSet};

/// The most rows the list holds, whatever the server announces (search narrows it).
pub const MAX_ROWS: usize = 10_000;

/// Live changes remembered while page 1 is on its way (the oldest go first).
const HEARD_CAP: usize = 500;

/// Rows per page of the conversation list.
pub const PAGE_SIZE: u32 = 50;

/// Rows ahead of the selection at which the next page is asked for.
const PREFETCH: usize = 10;

/// What [`ConversationList::upsert`] did with a changed conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    /// Its row was updated, or it joined the list.
    Kept,
    /// It no longer belongs under the filters: its row went.
    Left,
    /// It is not listed and does not join.
    Absent,
}

impl ConversationList {
    /// Empties the list for new filters: rows of another view must never show under this view's title.
    pub fn clear(&mut self) {
        self.items.clear();
        self.selected = 0;
        self.offset = 0;
        self.has_more = false;
        self.revalidate = false;
        self.loaded = false;
        self.skipped = 0;
        self.failed = None;
    }

    /// Loading a page failed: the empty list says why, never that nothing matches.
    pub fn load_failed(&mut self, reason: &str) {
        self.loaded = true;
        self.failed = Some(reason.to_string());
    }

    /// Page `page_no` arrived fresh.
    pub fn page_arrived(&mut self, page_no: u32, value: Page<Conversation>) {
        let has_more = value.has_more();
        self.failed = None;
        if page_no <= 1 {
            let (mut items, repeated) = distinct(value.items, HashSet::new());
            // What was heard live since this page was asked for may be newer than the page, which may have
            // been read before it: the newer copy stays, and a change that made a row fit is not lost.
            let heard = std::mem::take(&mut self.heard);
            if !heard.is_empty() {
                let mut newest: HashMap<Clean, (Conversation, bool)> = HashMap::new();
                for (c, fits) in heard {
                    newest.insert(c.id.clone(), (c, fits));
                }
                let mut left = HashSet::new();
                for row in items.iter_mut() {
                    if let Some((c, fits)) = newest.get(&row.id)
                        && row.updated_at.is_some()
                        && c.updated_at > row.updated_at
                    {
                        if *fits {
                            *row = c.clone();
                        } else {
                            left.insert(row.id.clone());
                        }
                    }
                }
                items.retain(|row| !left.contains(&row.id));
                let shown: HashSet<Clean> = items.iter().map(|c| c.id.clone()).collect();
                let arrived =
                    newest.into_values().filter(|(c, fits)| *fits && !shown.contains(&c.id) && !left.contains(&c.id));
                items.extend(arrived.map(|(c, _)| c));
                let sort = self.filters.sort;
                items.sort_by(|a, b| compare(sort, a, b));
            }
            self.items = items;
            self.revalidate = true;
            self.skipped = value.skipped + repeated;
        } else {
            let (items, repeated) = distinct(value.items, self.items.iter().map(|c| c.id.clone()).collect());
            self.skipped += value.skipped + repeated;
            self.items.extend(items);
        }
        self.page = value.page;
        self.total = value.total;
        self.has_more = has_more;
        self.counts.by_view.insert(self.filters.view, value.total);
    }

    /// Page 1 under the plain filters (no search), for the offline cache; `None` under other filters.
    pub fn first_page(&self) -> Option<(View, Vec<Conversation>)> {
        let plain = self.filters.search.trim().is_empty() && self.filters.status == Filters::default().status;
        plain.then(|| (self.filters.view, self.items.iter().take(PAGE_ROWS_CACHED).cloned().collect()))
    }

    /// A conversation changed; `fits` says whether it belongs under the filters. The rows stay sorted.
    pub fn upsert(&mut self, c: Conversation, fits: bool) -> Upserted {
        if self.heard.len() >= HEARD_CAP {
            self.heard.remove(0);
        }
        self.heard.push((c.clone(), fits));
        let pos = self.items.iter().position(|x| x.id == c.id);
        let done = match (pos, fits) {
            (Some(i), true) => {
                self.items[i] = c;
                Upserted::Kept
            }
            (Some(i), false) => {
                self.items.remove(i);
                self.total = self.total.saturating_sub(1);
                Upserted::Left
            }
            // A stream of new conversations stops adding rows at the same cap as paging does.
            (None, true) if self.loaded && self.items.len() < MAX_ROWS => {
                self.items.push(c);
                self.total += 1;
                Upserted::Kept
            }
            (None, true) if self.loaded => {
                self.total += 1;
                Upserted::Absent
            }
            _ => Upserted::Absent,
        };
        let sort = self.filters.sort;
        self.items.sort_by(|a, b| compare(sort, a, b));
        done
    }

    /// The listed conversation `id`, if any.
    pub fn get(&self, id: &str) -> Option<&Conversation> {
        self.items.iter().find(|c| c.id == id)
    }

    /// The index of the listed conversation `id`, if any.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|c| c.id == id)
    }

    /// Keeps the selection within the `rows` visible.
    pub fn keep_visible(&mut self, rows: usize) {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(self.items.len().saturating_sub(rows)).min(self.selected);
    }

    /// Selects row `index` (clamped); false when there are no rows.
    pub fn select(&mut self, index: usize, rows: usize) -> bool {
        if self.items.is_empty() {
            self.selected = 0;
            self.offset = 0;
            return false;
        }
        self.selected = index.min(self.items.len() - 1);
        self.keep_visible(rows);
        true
    }

    /// The page to ask for next, when the selection nears the end of what is loaded and none is on its way.
    /// A server whose pages never run out is stopped at the total it announced, and at [`MAX_ROWS`].
    pub fn next_page_wanted(&self, loading: bool) -> Option<u32> {
        let room = (self.items.len() as u64) < self.total && self.items.len() < MAX_ROWS;
        (self.has_more && room && !loading && self.selected + PREFETCH >= self.items.len()).then_some(self.page + 1)
    }

    /// The row where the selection lands `delta` rows away.
    pub fn step(&self, delta: isize) -> usize {
        step(self.selected, self.items.len(), delta)
    }

    /// The conversation was read: its row shows no unread count.
    pub fn mark_read(&mut self, id: &str) {
        if let Some(c) = self.items.iter_mut().find(|c| c.id == id) {
            c.unread_count = 0;
        }
    }

    /// A contact was saved: every row of it shows the new details.
    pub fn contact_saved(&mut self, c: &Contact) {
        for conv in self.items.iter_mut().filter(|x| x.contact_id == c.id) {
            conv.contact = c.clone();
        }
    }

    /// Asks for page `page` under the current filters.
    pub fn load_page(&mut self, page: u32, out: &mut Requests) -> Effect {
        let revalidate = page == 1 && self.revalidate;
        if page == 1 {
            self.heard.clear();
        }
        let query = list_query(&self.filters, self.filters.view, page, PAGE_SIZE);
        out.send(Purpose::ListPage, Request::Conversations { query, revalidate })
    }

    /// Asks for the three view counts, unless some are still in flight (then asks again when they land).
    pub fn request_counts(&mut self, out: &mut Requests) -> Vec<Effect> {
        if out.awaits(|p| matches!(p, Purpose::Count(_))) {
            self.counts.stale = true;
            return vec![];
        }
        self.counts.stale = false;
        View::ALL
            .iter()
            .map(|&view| {
                let query = list_query(&self.filters, view, 1, 1);
                out.send(Purpose::Count(view), Request::Conversations { query, revalidate: false })
            })
            .collect()
    }

    /// A count arrived; if the counts went stale meanwhile, they are asked for again.
    pub fn count_arrived(&mut self, view: View, total: Option<u64>, out: &mut Requests) -> Vec<Effect> {
        if let Some(total) = total {
            self.counts.by_view.insert(view, total);
        }
        if self.counts.stale && !out.awaits(|p| matches!(p, Purpose::Count(_))) {
            return self.request_counts(out);
        }
        vec![]
    }

    /// `s`: the next of the server's `statuses`, then every status.
    pub fn cycle_status(&mut self, statuses: &[&str]) {
        let next = match self.filters.status.as_deref() {
            None => statuses.first(),
            Some(now) => statuses.iter().skip_while(|s| **s != now).nth(1),
        };
        self.filters.status = next.map(|s| s.to_string());
    }

    /// `o`: the next sort.
    pub fn cycle_sort(&mut self) {
        let at = SORT_CYCLE.iter().position(|s| *s == self.filters.sort).unwrap_or(0);
        self.filters.sort = SORT_CYCLE[(at + 1) % SORT_CYCLE.len()];
        self.revalidate = false;
    }
}

/// Moves a cursor at `at` among `len` items by `delta`, within bounds.
pub fn step(at: usize, len: usize, delta: isize) -> usize {
    if len == 0 {
        return 0;
    }
    (at as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize
}

/// `items` without an id already `seen` or repeated among them (two customers must never share a row, and
/// an action on a row must reach one conversation), with how many were left out.
fn distinct(items: Vec<Conversation>, mut seen: HashSet<Clean>) -> (Vec<Conversation>, usize) {
    let before = items.len();
    let kept: Vec<Conversation> = items.into_iter().filter(|c| seen.insert(c.id.clone())).collect();
    let repeated = before - kept.len();
    (kept, repeated)
}
