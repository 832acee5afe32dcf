//! Where every answer goes: one `match` on the purpose its request was sent for.
//!
//! An answer whose request is no longer in flight (superseded by a newer one of the same purpose, or
//! from before a reload) is dropped here, so no feature ever asks "was that mine?".

use super::{
    AppState, Effect, Load, Purpose, actions, composer, detail, filters, form, navigation as nav, notifications,
    picker, queue, thread,
};
use crate::domain::Clean;
use crate::protocol::{BackendError, Listed};
use crate::protocol::{Reply, RequestId};

/// Hands the answer to request `id` to the feature that asked.
pub fn route(state: &mut AppState, id: RequestId, result: Result<Reply, BackendError>) -> Vec<Effect> {
    // Answered at last (or given up on): its retry note goes.
    state.status.retrying.remove(&id);
    let Some(purpose) = state.inflight.remove(&id) else { return vec![] };
    let result = match result {
        Ok(reply) => reply,
        Err(e) => return failed(state, purpose, e),
    };
    match (purpose, result) {
        (Purpose::Me, Reply::Me(me)) => state.account.me = Some(me),
        (Purpose::Agents, Reply::Agents(agents)) => {
            state.account.agents = agents;
            picker::agents_arrived(state);
        }
        (Purpose::Labels, Reply::Labels(labels)) => {
            state.account.labels = labels;
            picker::labels_arrived(state);
        }
        (Purpose::ListPage, Reply::Conversations { query, page }) => return list_page(state, query.page, page),
        (Purpose::Count(view), Reply::Conversations { page, .. }) => {
            if let Listed::Fresh(value) = page {
                state.list.counts.by_view.insert(view, value.total);
            }
            if state.list.counts.stale && !state.awaits(|p| matches!(p, Purpose::Count(_))) {
                return filters::request_counts(state);
            }
        }
        (Purpose::Notifications, Reply::Notifications(page)) => notifications::loaded(state, page.items),
        (Purpose::Contact(cid), Reply::Contact(c)) => detail::contact_loaded(state, &cid, *c),
        (Purpose::Session(cid), Reply::SessionData { data, .. }) => detail::session_loaded(state, &cid, *data),
        (Purpose::Comments(cid), Reply::Comments { page, .. }) => detail::comments_loaded(state, &cid, page.items),
        (Purpose::Files(cid), Reply::Files { files, .. }) => detail::files_loaded(state, &cid, files),
        (Purpose::ThreadConversation(cid), Reply::Conversation(c)) => {
            thread::conversation_loaded(state, &cid, *c);
            return detail::follow_selection(state);
        }
        (Purpose::Thread(cid), Reply::Messages { page, .. }) => return thread::messages_loaded(state, &cid, page),
        (Purpose::OlderMessages(cid), Reply::Messages { page, .. }) => thread::older_loaded(state, &cid, page),
        (Purpose::Send { conversation_id, kind }, Reply::Sent(m)) => {
            return composer::sent(state, &conversation_id, kind, *m);
        }
        (Purpose::SaveContact(_), Reply::Contact(c)) => form::contact_saved(state, *c),
        (Purpose::AddComment(_), Reply::Comment(c)) => form::comment_added(state, *c),
        (Purpose::Change { change, .. }, Reply::Conversation(c)) => return actions::confirmed(state, &change, *c),
        (Purpose::Reread(_), Reply::Conversation(c)) => return filters::upsert(state, *c),
        (Purpose::MarkRead(_), Reply::Conversation(c)) => return thread::read_confirmed(state, *c),
        (Purpose::NotificationAction, _) => {}
        (Purpose::TakeNext, Reply::Taken(c)) => return queue::taken(state, c.map(|c| *c)),
        (purpose, reply) => {
            // A backend answered with another shape than its request asks for: a bug, never shown as data.
            tracing::warn!(?purpose, reply = reply_name(&reply), "an answer did not fit its request");
        }
    }
    vec![]
}

fn reply_name(r: &Reply) -> &'static str {
    match r {
        Reply::Me(_) => "me",
        Reply::Agents(_) => "agents",
        Reply::Labels(_) => "labels",
        Reply::Conversations { .. } => "conversations",
        Reply::Conversation(_) => "conversation",
        Reply::Contact(_) => "contact",
        Reply::SessionData { .. } => "session",
        Reply::Notifications(_) => "notifications",
        Reply::Messages { .. } => "messages",
        Reply::Sent(_) => "sent",
        Reply::Done => "done",
        Reply::Comments { .. } => "comments",
        Reply::Comment(_) => "comment",
        Reply::Files { .. } => "files",
        Reply::Taken(_) => "taken",
    }
}

/// A page of the list arrived.
fn list_page(
    state: &mut AppState,
    page_no: u32,
    page: Listed<crate::domain::Page<crate::domain::Conversation>>,
) -> Vec<Effect> {
    state.list.loaded = true;
    state.clear_error_about(super::ErrorAbout::List);
    state.offline.synced_at = Some(state.now);
    state.offline.cached_at = None;
    let Listed::Fresh(value) = page else { return vec![] };
    let keep = state.list.selected().map(|c| c.id.clone());
    let has_more = value.has_more();
    if page_no <= 1 {
        state.list.items = value.items;
        state.list.revalidate = true;
    } else {
        let known: std::collections::HashSet<Clean> = state.list.items.iter().map(|c| c.id.clone()).collect();
        state.list.items.extend(value.items.into_iter().filter(|c| !known.contains(&c.id)));
    }
    state.list.page = value.page;
    state.list.total = value.total;
    state.list.has_more = has_more;
    state.list.counts.by_view.insert(state.list.filters.view, value.total);
    state.remember_first_page();
    nav::reselect(state, keep)
}

/// A request failed: the feature that sent it decides what the agent is told.
fn failed(state: &mut AppState, purpose: Purpose, e: BackendError) -> Vec<Effect> {
    let reason = e.to_string();
    match purpose {
        Purpose::Change { before, change } => return actions::refused(state, &change, *before, &e),
        Purpose::NotificationAction => return notifications::failed(state, &actions::reason(&e)),
        Purpose::MarkRead(_) | Purpose::Reread(_) => {}
        Purpose::TakeNext => return queue::failed(state, &e),
        Purpose::Send { conversation_id, kind } => return composer::failed(state, &conversation_id, kind, &e),
        Purpose::SaveContact(_) | Purpose::AddComment(_) => form::refused(state, actions::reason(&e)),
        // A count that cannot be read is shown as unknown; it does not deserve the status line.
        Purpose::Count(_) => {}
        Purpose::ListPage => {
            state.list.loaded = true;
            state.set_error_about(super::ErrorAbout::List, reason);
        }
        Purpose::Contact(cid) => detail::contact_failed(state, &cid, &reason),
        Purpose::Session(cid) => detail::session_failed(state, &cid, &reason),
        Purpose::Comments(cid) => {
            if state.detail.contact_id.as_deref() == Some(cid.as_str()) {
                state.detail.comments = Load::Failed(reason);
            }
        }
        Purpose::Files(cid) => {
            if state.detail.contact_id.as_deref() == Some(cid.as_str()) {
                state.detail.files = Load::Failed(reason);
            }
        }
        Purpose::Thread(cid) => thread::messages_failed(state, &cid, &reason),
        Purpose::ThreadConversation(cid) => {
            if let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == cid) {
                t.conversation = Load::Failed(reason);
            }
        }
        Purpose::OlderMessages(_) => state.set_error(reason),
        Purpose::Me | Purpose::Agents | Purpose::Labels | Purpose::Notifications => {
            picker::list_failed(state, &reason);
            state.set_error(reason);
        }
    }
    vec![]
}
