//! `tinbox status`: one line for a tmux status bar — unread notifications, conversations waiting on me,
//! the longest wait — printed well within a second: from the server when it answers in time, else from
//! the offline cache, marked as such.

use crate::backend::{Backend, PageReq};
use crate::cli::ConnectArgs;
use crate::domain::{ConvStatus, Conversation, Notification, Time};
use crate::protocol::{Assigned, ConversationQuery, Listed, SortOrder};
use crate::store::{cache::Cache, owner::Identities, owner::Owner};
use std::time::Duration;

/// How long the server gets before the cache answers instead.
const DEADLINE: Duration = Duration::from_millis(600);

/// What the line says.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Unread notifications.
    pub unread: usize,
    /// My open conversations whose customer waits for an answer (at least; `more` when a page held more);
    /// `None` when the cache never held my open conversations.
    pub waiting: Option<usize>,
    /// More of mine wait than one page could count.
    pub more: bool,
    /// Since when the longest-waiting customer waits.
    pub longest: Option<Time>,
    /// Read from the cache, as of this time, because the server did not answer in time.
    pub cached: Option<Time>,
}

impl Summary {
    /// From my open conversations and my notifications.
    pub fn of(mine: &[Conversation], more: bool, notifications: &[Notification]) -> Summary {
        let waiting: Vec<Time> =
            mine.iter().filter(|c| c.status == ConvStatus::Open).filter_map(|c| c.waiting_since).collect();
        Summary {
            unread: notifications.iter().filter(|n| !n.is_read).count(),
            waiting: Some(waiting.len()),
            more,
            longest: waiting.iter().min().copied(),
            cached: None,
        }
    }

    /// The line, as of `now`.
    pub fn line(&self, now: Time) -> String {
        let plus = if self.more { "+" } else { "" };
        // Unknown is said as unknown, never as none.
        let waiting = self.waiting.map(|n| n.to_string()).unwrap_or_else(|| "?".into());
        let mut line = format!("{} unread · {waiting}{plus} waiting on me", self.unread);
        if let Some(since) = self.longest {
            line.push_str(&format!(" · longest {}", crate::ui::age(since, now)));
        }
        if let Some(at) = self.cached {
            line.push_str(&format!(" · cached {}", crate::ui::age(at, now)));
        }
        line
    }
}

/// Asks the server, all at once.
async fn ask(backend: &dyn Backend) -> anyhow::Result<Summary> {
    let query = ConversationQuery {
        page: 1,
        limit: backend.page_limit(),
        status: Some("open".into()),
        assigned_to: Some(Assigned::Me),
        sort: SortOrder::Waiting,
        ..Default::default()
    };
    let (mine, notes) = tokio::join!(
        backend.conversations(&query, false),
        backend.notifications(PageReq { page: 1, limit: 100 }, true)
    );
    let Listed::Fresh(mine) = mine? else { anyhow::bail!("the server answered 'unchanged' to a fresh question") };
    let more = mine.total > mine.items.len() as u64;
    Ok(Summary::of(&mine.items, more, &notes?.items))
}

/// From the cache this credential's agent left on this server, if any.
fn cached(conn: &crate::config::Connection) -> Option<Summary> {
    let agent = Identities::new(&crate::config::data_dir()).agent_for(&crate::run::credential(conn))?;
    let owner = Owner { server: conn.server.clone(), agent };
    let snapshot = Cache::new(&crate::config::cache_dir()).load(&owner)?;
    // The cached first page of Mine counts only if it was read under the open filter (or none).
    let open = snapshot.status.as_deref().is_none_or(|s| s == "open");
    let mine = snapshot.views.get(crate::app::View::Mine.label()).filter(|_| open);
    let mut summary = Summary::of(mine.map(Vec::as_slice).unwrap_or_default(), false, &snapshot.notifications);
    if mine.is_none() {
        summary = Summary { waiting: None, longest: None, ..summary };
    }
    summary.cached = snapshot.saved_at;
    Some(summary)
}

fn from_cache(conn: &crate::config::Connection, why: &str) -> anyhow::Result<Summary> {
    cached(conn).ok_or_else(|| anyhow::anyhow!("{}: {why}, and nothing is cached", conn.server))
}

/// Prints the line; fails (with a reason on standard error) only when neither server nor cache can say.
pub async fn print(args: &ConnectArgs) -> anyhow::Result<()> {
    let conn = crate::config::resolve(args)?;
    conn.limits.apply();
    crate::run::check_server(&conn.server, args.insecure_http)?;
    let backend = crate::run::connect_to(&conn)?;
    let now = chrono::Utc::now();
    let summary = match tokio::time::timeout(DEADLINE, ask(backend.as_ref())).await {
        Ok(Ok(summary)) => summary,
        Ok(Err(e)) => from_cache(&conn, &format!("{e}"))?,
        Err(_) => from_cache(&conn, &format!("no answer within {} ms", DEADLINE.as_millis()))?,
    };
    println!("{}", summary.line(now));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn the_line_counts_open_waiting_conversations_and_unread_notifications() {
        let now = chrono::Utc::now();
        let conv = |status: ConvStatus, waiting: Option<i64>| Conversation {
            id: "c".into(),
            contact_id: "k".into(),
            contact: Default::default(),
            channel: crate::domain::Channel::Whatsapp,
            subject: None,
            status,
            priority: Default::default(),
            assignee: None,
            labels: vec![],
            tags: vec![],
            message_count: 1,
            unread_count: 0,
            created_at: None,
            updated_at: None,
            last_message_at: None,
            last_message_preview: None,
            waiting_since: waiting.map(|m| now - TimeDelta::minutes(m)),
            service_window: None,
        };
        let mine = [
            conv(ConvStatus::Open, Some(42)),
            conv(ConvStatus::Open, Some(3)),
            conv(ConvStatus::Open, None),
            conv(ConvStatus::Closed, Some(500)),
        ];
        let s = Summary::of(&mine, false, &[]);
        assert_eq!(s.line(now), "0 unread · 2 waiting on me · longest 42m");
        let s = Summary { cached: Some(now - TimeDelta::hours(2)), more: true, ..s };
        assert_eq!(s.line(now), "0 unread · 2+ waiting on me · longest 42m · cached 2h");
        assert_eq!(Summary::of(&[], false, &[]).line(now), "0 unread · 0 waiting on me");
        let unknown = Summary { waiting: None, ..Summary::of(&[], false, &[]) };
        assert_eq!(unknown.line(now), "0 unread · ? waiting on me");
    }
}
