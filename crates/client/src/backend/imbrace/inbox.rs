//! imBrace's team conversations as tinbox's views: Mine is `view=yours`, All is no view, their counts come from
//! the views-count call; Unassigned (no member in the conversation) has no view of its own and is filtered
//! from the newest conversations. Membership is the assignment; take next goes to the outstanding list.

use super::{ImbraceBackend, enc, wire};
use crate::backend::{Assigned, Backend, BackendError, BackendResult, ConversationQuery, PageReq, SortOrder};
use crate::domain::*;
use serde_json::{Value, json};

/// Pages of 100 read for Unassigned, which no server view gives.
const UNASSIGNED_SCAN_PAGES: u32 = 10;

/// A page of the list the query names.
pub async fn conversations(b: &ImbraceBackend, q: &ConversationQuery) -> BackendResult<Page<Conversation>> {
    let mut filters = Vec::new();
    filters.extend(q.status.as_deref().map(|s| ("status", wire::status_out(s).to_string())));
    filters.extend(q.search.clone().map(|s| ("search", s)));
    let view = match &q.assigned_to {
        Some(Assigned::Me) => Some("yours"),
        Some(Assigned::Nobody) => return unassigned(b, q, &filters).await,
        Some(Assigned::To(_)) => return Err(BackendError::Unsupported("someone else's conversations")),
        None => None,
    };
    // A count (one row, no filters): the views-count call answers both views at once.
    if q.limit == 1 && filters.is_empty() {
        let v = b.get("/v1/team_conversations/_views_count", &[]).await?;
        let counts = v.get("data").filter(|d| d.is_object()).unwrap_or(&v);
        if let Some(total) = counts.get(view.unwrap_or("all")).and_then(Value::as_u64) {
            return Ok(Page { items: vec![], total, page: 1, limit: 1, total_pages: total as u32, skipped: 0 });
        }
    }
    filters.extend(view.map(|v| ("view", v.to_string())));
    let mut page = b
        .page_of("/v1/team_conversations", PageReq { page: q.page, limit: q.limit }, &filters, wire::conversation)
        .await?;
    sort(&mut page.items, q.sort);
    Ok(page)
}

/// The list has no sort parameter: each page is put in the order asked for.
fn sort(items: &mut [Conversation], order: SortOrder) {
    match order {
        SortOrder::Oldest => items.sort_by_key(|c| c.last_message_at),
        _ => items.sort_by_key(|c| std::cmp::Reverse(c.last_message_at)),
    }
}

/// Conversations nobody is in, from the newest `UNASSIGNED_SCAN_PAGES` pages.
async fn unassigned(
    b: &ImbraceBackend,
    q: &ConversationQuery,
    filters: &[(&str, String)],
) -> BackendResult<Page<Conversation>> {
    let mut found = Vec::new();
    let mut skipped = 0;
    for page in 1..=UNASSIGNED_SCAN_PAGES {
        let p = b.page_of("/v1/team_conversations", PageReq { page, limit: 100 }, filters, wire::conversation).await?;
        skipped += p.skipped;
        let last = !p.has_more() || p.items.is_empty();
        found.extend(p.items.into_iter().filter(|c| c.assignee.is_none()));
        if last {
            break;
        }
    }
    sort(&mut found, q.sort);
    let limit = q.limit.max(1);
    let total = found.len() as u64;
    let items = found.into_iter().skip(((q.page.max(1) - 1) * limit) as usize).take(limit as usize).collect();
    Ok(Page { items, total, page: q.page.max(1), limit, total_pages: total.div_ceil(limit as u64) as u32, skipped })
}

/// The conversation's members are who handles it: the new one is added, then whoever else was in it removed,
/// so the row shows one agent as tinbox shows it.
pub async fn assign(b: &ImbraceBackend, id: &str, agent_id: Option<&str>) -> BackendResult<Conversation> {
    let raw = b.get(&format!("/v1/team_conversations/{}", enc(id)), &[]).await?;
    let members = wire::member_ids(raw.get("data").filter(|d| d.is_object()).unwrap_or(&raw));
    if let Some(agent) = agent_id {
        b.post("/v1/team_conversations/assign_team_member", json!({"conversation_id": id, "user_id": agent})).await?;
    }
    for old in members.iter().filter(|m| Some(m.as_str()) != agent_id) {
        b.post("/v1/team_conversations/remove_team_member", json!({"conversation_id": id, "user_id": old})).await?;
    }
    b.conversation(id).await
}

/// The outstanding conversation (awaiting a reply) that has waited longest with nobody in it becomes mine.
pub async fn take_next(b: &ImbraceBackend) -> BackendResult<Option<Conversation>> {
    let me = b.me_cached().await?.id;
    let q = [("limit", "100".to_string()), ("skip", "0".to_string())];
    let waiting = wire::list(b.get("/v1/team_conversations/_outstanding", &q).await?, 0, 100, wire::conversation)?;
    let Some(next) = waiting.items.into_iter().filter(|c| c.assignee.is_none()).min_by_key(|c| c.last_message_at)
    else {
        return Ok(None);
    };
    b.post("/v1/team_conversations/assign_team_member", json!({"conversation_id": next.id, "user_id": me})).await?;
    b.conversation(&next.id).await.map(Some)
}

/// A conversation's messages, newest first, each drawn as its author's (`from` against the conversation's
/// contact and members), with the notes written on them.
pub async fn messages(b: &ImbraceBackend, id: &str, p: PageReq) -> BackendResult<Page<Message>> {
    let conversation = b.conversation(id).await?;
    // Without knowing who I am, my own replies would be drawn as a bot's: one try, then the thread anyway.
    let me = b.me_cached().await.ok();
    let mut page = b
        .page_of("/v1/conversation_messages", p, &[("conversation_id", id.to_string())], |m| {
            wire::message(m, &conversation, me.as_ref())
        })
        .await?;
    if p.page <= 1 {
        // Notes are comments on messages; the spec lists them by contact. Without that call the thread still shows.
        let path = format!("/v1/contacts/{}/message_comments", enc(&conversation.contact_id));
        if let Ok(v) = b.get(&path, &[]).await
            && let Ok(notes) = wire::list(v, 0, 1000, |c| {
                let on_this = c.get("conversation_id").and_then(Value::as_str).is_none_or(|cid| cid == id);
                on_this.then(|| wire::note(c, id, me.as_ref())).flatten()
            })
        {
            page.items.extend(notes.items);
        }
    }
    page.items.sort_by_key(|m| std::cmp::Reverse(m.created_at));
    Ok(page)
}
