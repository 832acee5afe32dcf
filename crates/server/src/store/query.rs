//! Filtering and sorting of conversations and contacts for list endpoints.

use super::{ContactRec, ConvRec, Store, Time};

/// The conversation list's filters, already validated.
#[derive(Debug, Default, Clone)]
pub struct ConversationFilter {
    pub status: Option<String>,
    pub channel: Option<String>,
    pub priority: Option<String>,
    /// `Some(None)` means unassigned; `Some(Some(id))` that agent.
    pub assigned_to: Option<Option<String>>,
    pub label: Option<String>,
    pub unread: bool,
    pub search: Option<String>,
    pub sort: String,
    pub updated_since: Option<Time>,
}

/// How many list orders are kept (the list's and the three views' counts, with room for a search).
const ORDERS_KEPT: usize = 8;

/// The conversation list's orders, each with the store revision and filter it was computed for.
#[derive(Debug, Default)]
pub(crate) struct Ordered {
    entries: std::collections::VecDeque<(u64, String, Vec<usize>)>,
}

impl Ordered {
    /// The order for `filter` at `revision`, if computed.
    fn get(&self, revision: u64, filter: &str) -> Option<&[usize]> {
        self.entries.iter().find(|(r, f, _)| *r == revision && f == filter).map(|(_, _, rows)| rows.as_slice())
    }

    /// Keeps an order (the oldest, and any of an older revision, go); returns it.
    fn put(&mut self, revision: u64, filter: String, rows: Vec<usize>) -> &[usize] {
        self.entries.retain(|(r, _, _)| *r == revision);
        if self.entries.len() >= ORDERS_KEPT {
            self.entries.pop_front();
        }
        self.entries.push_back((revision, filter, rows));
        self.entries.back().map_or(&[], |(_, _, rows)| rows.as_slice())
    }
}

/// A comma-separated filter value as its items.
fn split(want: &Option<String>) -> Option<Vec<&str>> {
    want.as_ref().map(|w| w.split(',').map(str::trim).collect())
}

fn contains(hay: Option<&str>, needle: &str) -> bool {
    hay.is_some_and(|h| h.to_lowercase().contains(needle))
}

fn contact_matches(c: &ContactRec, needle: &str) -> bool {
    contains(Some(&c.full_name()), needle)
        || contains(c.phone.as_deref(), needle)
        || contains(c.email.as_deref(), needle)
        || contains(c.profile_name.as_deref(), needle)
}

impl Store {
    /// Conversations matching `f`, in the order it asks for.
    pub fn filter_conversations(&self, f: &ConversationFilter) -> Vec<&ConvRec> {
        self.ordered_rows(f).into_iter().filter_map(|i| self.conversations.get(i)).collect()
    }

    /// How many conversations match `f`, and rows `start..start + limit` of them in its order. The order is
    /// computed once per revision of the store and filter, so each further page costs only itself.
    pub fn conversations_page(&self, f: &ConversationFilter, start: usize, limit: usize) -> (usize, Vec<&ConvRec>) {
        let key = format!("{f:?}");
        let mut ordered = self.ordered.borrow_mut();
        let rows = match ordered.get(self.revision, &key) {
            Some(rows) => rows,
            None => ordered.put(self.revision, key, self.ordered_rows(f)),
        };
        let total = rows.len();
        let page = rows.iter().skip(start).take(limit).filter_map(|&i| self.conversations.get(i)).collect();
        (total, page)
    }

    /// The positions in `conversations` of those matching `f`, in its order.
    fn ordered_rows(&self, f: &ConversationFilter) -> Vec<usize> {
        let mut rows = self.matching(f);
        let order = Order::of(&f.sort);
        let convs = &self.conversations;
        rows.sort_by(|&a, &b| order.cmp(&convs[a], &convs[b]));
        rows
    }

    /// The positions of the conversations matching `f`, in no particular order.
    fn matching(&self, f: &ConversationFilter) -> Vec<usize> {
        let needle = f.search.as_ref().map(|s| s.to_lowercase());
        // Each comma-separated list is split once, not once per conversation.
        let (status, channel, priority) = (split(&f.status), split(&f.channel), split(&f.priority));
        let one_of = |want: &Option<Vec<&str>>, have: &str| {
            want.as_ref().is_none_or(|w| w.iter().any(|w| w.eq_ignore_ascii_case(have)))
        };
        self.conversations
            .iter()
            .enumerate()
            .filter(|(_, c)| one_of(&status, &c.status))
            .filter(|(_, c)| one_of(&channel, &c.channel))
            .filter(|(_, c)| one_of(&priority, &c.priority))
            .filter(|(_, c)| f.assigned_to.as_ref().is_none_or(|a| a.as_deref() == c.assignee.as_deref()))
            .filter(|(_, c)| f.label.as_ref().is_none_or(|l| c.labels.iter().any(|x| x.eq_ignore_ascii_case(l))))
            .filter(|(_, c)| !f.unread || c.unread_count > 0)
            .filter(|(_, c)| f.updated_since.is_none_or(|t| c.updated_at > t))
            .filter(|(_, c)| {
                needle.as_deref().is_none_or(|n| {
                    contains(c.subject.as_deref(), n)
                        || contains(c.last_message_preview.as_deref(), n)
                        || self.contact(&c.contact_id).is_some_and(|ct| contact_matches(ct, n))
                })
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Contacts matching a search (name, phone, email) and account, newest first.
    pub fn filter_contacts(&self, search: Option<&str>, account: Option<&str>) -> Vec<&ContactRec> {
        let needle = search.map(str::to_lowercase);
        let mut out: Vec<&ContactRec> = self
            .contacts
            .iter()
            .filter(|c| account.is_none_or(|a| c.account_id.as_deref() == Some(a)))
            .filter(|c| needle.as_deref().is_none_or(|n| contact_matches(c, n)))
            .collect();
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        out
    }
}

/// The list's orders; ties go by id, so every order is total and a page never repeats or skips a row.
#[derive(Clone, Copy)]
enum Order {
    Latest,
    Oldest,
    Waiting,
    Priority,
}

impl Order {
    /// The order the `sort` parameter names (latest when unknown: the route has checked it).
    fn of(sort: &str) -> Order {
        match sort {
            "oldest" => Order::Oldest,
            "waiting" => Order::Waiting,
            "priority" => Order::Priority,
            _ => Order::Latest,
        }
    }

    fn cmp(self, a: &ConvRec, b: &ConvRec) -> std::cmp::Ordering {
        use std::cmp::Ordering::{Greater, Less};
        let activity = |c: &ConvRec| c.last_message_at.unwrap_or(c.updated_at);
        let rank = |p: &str| match p {
            "high" => 0,
            "medium" => 1,
            "low" => 2,
            _ => 3,
        };
        // Ids only on a tie: comparing them costs more than comparing times.
        let by_id = || a.id.cmp(&b.id);
        match self {
            Order::Oldest => activity(a).cmp(&activity(b)).then_with(by_id),
            Order::Waiting => match (a.waiting_since, b.waiting_since) {
                (Some(x), Some(y)) => x.cmp(&y).then_with(by_id),
                (Some(_), None) => Less,
                (None, Some(_)) => Greater,
                (None, None) => activity(b).cmp(&activity(a)).then_with(by_id),
            },
            Order::Priority => {
                rank(&a.priority).cmp(&rank(&b.priority)).then_with(|| activity(b).cmp(&activity(a))).then_with(by_id)
            }
            Order::Latest => activity(b).cmp(&activity(a)).then_with(by_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_the_same_slice_a_full_sort_gives() {
        let mut store = crate::demo::load(chrono::Utc::now()).expect("demo data");
        // Ties on every time, so the order rests on ids alone for some rows.
        let t = store.conversations[0].updated_at;
        for c in store.conversations.iter_mut().step_by(3) {
            c.last_message_at = Some(t);
            c.waiting_since = Some(t);
        }
        for sort in ["latest", "oldest", "waiting", "priority"] {
            for status in [None, Some("open".to_string())] {
                let f = ConversationFilter { sort: sort.into(), status, ..Default::default() };
                let all: Vec<&str> = store.filter_conversations(&f).iter().map(|c| c.id.as_str()).collect();
                assert!(all.len() > 20, "the demo holds enough rows to page through");
                for limit in [1, 7, 50] {
                    for start in (0..all.len() + 3).step_by(5) {
                        let (total, page) = store.conversations_page(&f, start, limit);
                        let page: Vec<&str> = page.iter().map(|c| c.id.as_str()).collect();
                        let want = &all[start.min(all.len())..(start + limit).min(all.len())];
                        assert_eq!(total, all.len());
                        assert_eq!(page, want, "sort {sort}, rows {start}..+{limit}");
                    }
                }
            }
        }
    }
}
