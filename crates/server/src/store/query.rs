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
        let needle = f.search.as_ref().map(|s| s.to_lowercase());
        let one_of = |want: &Option<String>, have: &str| {
            want.as_ref().is_none_or(|w| w.split(',').any(|w| w.trim().eq_ignore_ascii_case(have)))
        };
        let mut out: Vec<&ConvRec> = self
            .conversations
            .iter()
            .filter(|c| one_of(&f.status, &c.status))
            .filter(|c| one_of(&f.channel, &c.channel))
            .filter(|c| one_of(&f.priority, &c.priority))
            .filter(|c| f.assigned_to.as_ref().is_none_or(|a| a.as_deref() == c.assignee.as_deref()))
            .filter(|c| f.label.as_ref().is_none_or(|l| c.labels.iter().any(|x| x.eq_ignore_ascii_case(l))))
            .filter(|c| !f.unread || c.unread_count > 0)
            .filter(|c| f.updated_since.is_none_or(|t| c.updated_at > t))
            .filter(|c| {
                needle.as_deref().is_none_or(|n| {
                    contains(c.subject.as_deref(), n)
                        || contains(c.last_message_preview.as_deref(), n)
                        || self.contact(&c.contact_id).is_some_and(|ct| contact_matches(ct, n))
                })
            })
            .collect();
        let activity = |c: &ConvRec| c.last_message_at.unwrap_or(c.updated_at);
        let rank = |p: &str| match p {
            "high" => 0,
            "medium" => 1,
            "low" => 2,
            _ => 3,
        };
        match f.sort.as_str() {
            "oldest" => out.sort_by(|a, b| activity(a).cmp(&activity(b)).then(a.id.cmp(&b.id))),
            "waiting" => out.sort_by(|a, b| match (a.waiting_since, b.waiting_since) {
                (Some(x), Some(y)) => x.cmp(&y).then(a.id.cmp(&b.id)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => activity(b).cmp(&activity(a)).then(a.id.cmp(&b.id)),
            }),
            "priority" => out.sort_by(|a, b| {
                rank(&a.priority).cmp(&rank(&b.priority)).then(activity(b).cmp(&activity(a))).then(a.id.cmp(&b.id))
            }),
            _ => out.sort_by(|a, b| activity(b).cmp(&activity(a)).then(a.id.cmp(&b.id))),
        }
        out
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
