//! The conversation list's own update: pages arriving, a changed row, the selection and its scroll, marks
//! read, the filters cycling. What it needs of other features comes in as arguments.

use super::filters::{compare, list_query};
use super::{ConversationList, Effect, Filters, PAGE_ROWS_CACHED, Purpose, Requests, RowIndex, SORT_CYCLE, View};
use crate::domain::{Clean, Contact, Conversation, Page, Time};
use crate::protocol::Request;
use std::collections::{HashMap, HashSet};

/// The most rows the list holds, whatever the server announces (search narrows it).
pub const MAX_ROWS: usize = 200_000;

/// Live changes remembered while page 1 is on its way (the oldest go first).
const HEARD_CAP: usize = 500;

/// Rows per page of the conversation list, unless the backend allows more ([`ConversationList::page_size`]).
pub const PAGE_SIZE: u32 = 50;

/// The least time between two batches of view counts asked for because of live changes.
const COUNTS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

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
        self.index = RowIndex::default();
        self.selected = 0;
        self.offset = 0;
        self.has_more = false;
        self.revalidate = false;
        self.loaded = false;
        self.skipped = 0;
        self.failed = None;
        self.to_end = false;
    }

    /// Loading a page failed: the empty list says why, never that nothing matches.
    pub fn load_failed(&mut self, reason: &str) {
        self.loaded = true;
        self.to_end = false;
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
            self.index = RowIndex::of(&items);
            self.items = items;
            self.revalidate = true;
            self.skipped = value.skipped + repeated;
        } else {
            let repeated = self.append(value.items);
            self.skipped += value.skipped + repeated;
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
        self.sync_index();
        let pos = self.position(&c.id);
        let sort = self.filters.sort;
        match (pos, fits) {
            (Some(i), true) => {
                self.items[i] = c;
                self.keep_sorted(i);
                Upserted::Kept
            }
            (Some(i), false) => {
                let gone = self.items.remove(i);
                self.index.remove(&gone.id);
                self.total = self.total.saturating_sub(1);
                Upserted::Left
            }
            // A stream of new conversations stops adding rows at the same cap as paging does.
            (None, true) if self.loaded && self.items.len() < MAX_ROWS => {
                let at = self.items.partition_point(|x| compare(sort, x, &c) != std::cmp::Ordering::Greater);
                self.index.add(&c.id);
                self.items.insert(at, c);
                self.total += 1;
                Upserted::Kept
            }
            (None, true) if self.loaded => {
                self.total += 1;
                Upserted::Absent
            }
            _ => Upserted::Absent,
        }
    }

    /// Row `i` changed: it stays where it is when it still sorts there, else moves to its place (no
    /// re-sort of the whole list).
    fn keep_sorted(&mut self, i: usize) {
        use std::cmp::Ordering::Greater;
        let sort = self.filters.sort;
        let after_prev = i == 0 || compare(sort, &self.items[i - 1], &self.items[i]) != Greater;
        let before_next = i + 1 >= self.items.len() || compare(sort, &self.items[i], &self.items[i + 1]) != Greater;
        if after_prev && before_next {
            return;
        }
        let row = self.items.remove(i);
        let at = self.items.partition_point(|x| compare(sort, x, &row) != Greater);
        self.items.insert(at, row);
    }

    /// Appends a later page's rows, leaving out any id already listed or repeated among them (two
    /// customers must never share a row, and an action on a row must reach one conversation); how many
    /// were left out. Costs what the page costs, however many rows are loaded.
    pub fn append(&mut self, page: Vec<Conversation>) -> usize {
        self.sync_index();
        let mut repeated = 0;
        for c in page {
            // A hash hit is checked on the rows themselves: only a true repeat is left out.
            if self.index.may_hold(&c.id) && self.items.iter().any(|x| x.id == c.id) {
                repeated += 1;
                continue;
            }
            self.index.add(&c.id);
            self.items.push(c);
        }
        repeated
    }

    /// Rebuilds the index when the rows were set without it (a cached start, a test).
    fn sync_index(&mut self) {
        if self.index.rows() != self.items.len() {
            self.index = RowIndex::of(&self.items);
        }
    }

    /// The listed conversation `id`, if any.
    pub fn get(&self, id: &str) -> Option<&Conversation> {
        self.position(id).map(|i| &self.items[i])
    }

    /// The index of the listed conversation `id`, if any (at once when it is not listed).
    pub fn position(&self, id: &str) -> Option<usize> {
        let indexed = self.index.rows() == self.items.len();
        if indexed && !self.index.may_hold(id) {
            return None;
        }
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
        // A page and a half ahead: the next page is on its way well before the selection reaches the end,
        // and an agent waiting at the end sees pages follow one another (at most two ahead, one at a time).
        let ahead = self.page_rows() as usize * 3 / 2;
        (self.has_more && room && !loading && self.selected + ahead >= self.items.len()).then_some(self.page + 1)
    }

    /// Rows asked for per page: the backend's maximum, else [`PAGE_SIZE`].
    fn page_rows(&self) -> u32 {
        if self.page_size == 0 { PAGE_SIZE } else { self.page_size }
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
        let query = list_query(&self.filters, self.filters.view, page, self.page_rows());
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

    /// Something changed that may move the counts (a live event): they are asked for at most once a
    /// second, however many changes come; the rest wait for [`Self::counts_due`].
    pub fn counts_changed(&mut self, now: Time, out: &mut Requests) -> Vec<Effect> {
        self.counts.stale = true;
        let since = self.counts.asked_at.map(|at| (now - at).to_std().unwrap_or_default());
        match since {
            Some(since) if since < COUNTS_EVERY => {
                if self.counts.due {
                    return vec![];
                }
                self.counts.due = true;
                vec![Effect::Debounce { delay: COUNTS_EVERY - since, msg: Box::new(super::Msg::CountsDue) }]
            }
            _ if out.awaits(|p| matches!(p, Purpose::Count(_))) => vec![],
            _ => self.ask_counts(now, out),
        }
    }

    /// The second between batches passed: stale counts are asked for, unless a batch is still in flight
    /// (its landing asks again).
    pub fn counts_due(&mut self, now: Time, out: &mut Requests) -> Vec<Effect> {
        self.counts.due = false;
        if !self.counts.stale || out.awaits(|p| matches!(p, Purpose::Count(_))) {
            return vec![];
        }
        self.ask_counts(now, out)
    }

    fn ask_counts(&mut self, now: Time, out: &mut Requests) -> Vec<Effect> {
        self.counts.asked_at = Some(now);
        self.request_counts(out)
    }

    /// A count arrived; if the counts went stale meanwhile, they are asked for again (within the pace of
    /// [`Self::counts_changed`]).
    pub fn count_arrived(&mut self, view: View, total: Option<u64>, now: Time, out: &mut Requests) -> Vec<Effect> {
        if let Some(total) = total {
            self.counts.by_view.insert(view, total);
        }
        if self.counts.stale && !out.awaits(|p| matches!(p, Purpose::Count(_))) {
            return self.counts_changed(now, out);
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

    /// `f`: the next channel, then every channel again.
    pub fn cycle_channel(&mut self) {
        use crate::domain::Channel;
        let at = self.filters.channel.as_ref().and_then(|c| Channel::KNOWN.iter().position(|k| k == c));
        self.filters.channel = match at {
            None => Channel::KNOWN.first().cloned(),
            Some(i) => Channel::KNOWN.get(i + 1).cloned(),
        };
    }

    /// `F`: the next of the server's labels, then any label again.
    pub fn cycle_label(&mut self, labels: &[crate::domain::Label]) {
        let at = self.filters.label.as_ref().and_then(|l| labels.iter().position(|k| k.name == *l));
        self.filters.label = match at {
            None => labels.first().map(|l| l.name.clone()),
            Some(i) => labels.get(i + 1).map(|l| l.name.clone()),
        };
    }

    /// `o`: the next sort.
    pub fn cycle_sort(&mut self) {
        let at = SORT_CYCLE.iter().position(|s| *s == self.filters.sort).unwrap_or(0);
        self.set_sort(SORT_CYCLE[(at + 1) % SORT_CYCLE.len()]);
    }

    /// A new sort: the next page 1 is a fresh answer, not "unchanged".
    pub fn set_sort(&mut self, sort: crate::protocol::SortOrder) {
        self.filters.sort = sort;
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
