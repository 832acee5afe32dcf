//! The list's filters: the queries they make, whether a changed conversation still belongs, the sort,
//! and the view counts in the header.

use super::{Filters, View};
use crate::domain::{Agent, ConvStatus, Conversation};
use crate::protocol::{ConversationQuery, SortOrder};
use std::cmp::Ordering;

/// The list's query for `page` under `filters` and `view`.
pub fn list_query(filters: &Filters, view: View, page: u32, limit: u32) -> ConversationQuery {
    let search = filters.search.trim();
    ConversationQuery {
        page,
        limit,
        status: filters.status.clone(),
        assigned_to: view.assigned_to(),
        search: (!search.is_empty()).then(|| search.to_string()),
        sort: filters.sort,
        channel: filters.channel.as_ref().map(|c| c.as_str().to_string()),
        label: filters.label.as_ref().map(|l| l.to_string()),
        ..Default::default()
    }
}

fn contains(hay: Option<&str>, needle: &str) -> bool {
    hay.is_some_and(|h| h.to_lowercase().contains(needle))
}

/// Whether `c` belongs in the list under the current filters (for live updates; the server decides on load).
pub fn belongs(f: &Filters, me: Option<&Agent>, c: &Conversation) -> bool {
    let view_ok = match f.view {
        View::All => true,
        View::Unassigned => c.assignee.is_none(),
        View::Mine => match (me, &c.assignee) {
            (Some(me), Some(a)) => me.id == a.id,
            _ => false,
        },
    };
    let status_ok = f.status.as_deref().is_none_or(|s| c.status == ConvStatus::from(s));
    let needle = f.search.trim().to_lowercase();
    let search_ok = needle.is_empty()
        || contains(c.subject.as_deref(), &needle)
        || contains(Some(&c.contact.name), &needle)
        || contains(c.contact.phone.as_deref(), &needle)
        || contains(c.contact.email.as_deref(), &needle)
        || contains(c.last_message_preview.as_deref(), &needle);
    let channel_ok = f.channel.as_ref().is_none_or(|ch| c.channel == *ch);
    let label_ok = f.label.as_ref().is_none_or(|l| c.labels.contains(l));
    view_ok && status_ok && search_ok && channel_ok && label_ok
}

/// The list's order under `sort`, as the server sorts.
pub fn compare(sort: SortOrder, a: &Conversation, b: &Conversation) -> Ordering {
    let activity = |c: &Conversation| c.last_message_at.or(c.updated_at);
    let latest = || activity(b).cmp(&activity(a)).then_with(|| a.id.cmp(&b.id));
    match sort {
        SortOrder::Latest => latest(),
        SortOrder::Oldest => activity(a).cmp(&activity(b)).then_with(|| a.id.cmp(&b.id)),
        SortOrder::Waiting => match (a.waiting_since, b.waiting_since) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.id.cmp(&b.id)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => latest(),
        },
        SortOrder::Priority => a.priority.rank().cmp(&b.priority.rank()).then_with(latest),
    }
}

/// The label of the status filter.
pub fn status_label(f: &Filters) -> &str {
    f.status.as_deref().unwrap_or("any")
}

/// The label of the sort.
pub fn sort_label(s: SortOrder) -> &'static str {
    match s {
        SortOrder::Latest => "latest",
        SortOrder::Oldest => "oldest",
        SortOrder::Waiting => "waiting longest",
        SortOrder::Priority => "priority",
    }
}

/// The filters as the list's footer says them; `with_status` is false where the server has no status.
pub fn filters_label(f: &Filters, with_status: bool) -> String {
    let mut s = format!("sort: {}", sort_label(f.sort));
    if with_status {
        s = format!("status: {} · {s}", status_label(f));
    }
    if let Some(c) = &f.channel {
        s.push_str(&format!(" · channel: {}", c.as_str()));
    }
    if let Some(l) = &f.label {
        s.push_str(&format!(" · label: {l}"));
    }
    if !f.search.is_empty() {
        s.push_str(&format!(" · search: {}", f.search));
    }
    s
}
