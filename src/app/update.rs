//! The pure update function.

use super::{Action, AppState, Connection, Effect, Msg};
use crate::backend::{Cached, ConversationQuery, PageReq};
use crate::domain::{Conversation, LiveEvent};
use crate::worker::{LiveStatus, Reply, Request, RequestKey, WorkerEvent};

/// Rows per page of the conversation list.
pub const PAGE_SIZE: u32 = 50;
/// Load the next page when the selection comes this close to the end.
const PREFETCH: usize = 10;

fn request(state: &mut AppState, key: Option<RequestKey>, request: Request) -> (u64, Effect) {
    let id = state.next_request;
    state.next_request += 1;
    (id, Effect::Send { id, key, request })
}

/// The list's query for page `page`.
pub fn list_query(page: u32) -> ConversationQuery {
    ConversationQuery { page, limit: PAGE_SIZE, status: Some("open".into()), ..Default::default() }
}

fn load_page(state: &mut AppState, page: u32) -> Effect {
    let etag = if page == 1 { state.list.etag.clone() } else { None };
    let (id, effect) = request(state, Some(RequestKey::List), Request::Conversations { query: list_query(page), etag });
    state.list.pending = Some(id);
    effect
}

/// The effects that load everything at start.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let me = request(state, None, Request::Me).1;
    let list = load_page(state, 1);
    let notes = request(state, None, Request::Notifications(PageReq { page: 1, limit: 50 })).1;
    vec![me, list, notes, Effect::StartLive]
}

fn belongs(c: &Conversation) -> bool {
    c.status == crate::domain::ConvStatus::Open
}

fn move_to(state: &mut AppState, index: usize) -> Vec<Effect> {
    let len = state.list.items.len();
    if len == 0 {
        return vec![];
    }
    state.list.selected = index.min(len - 1);
    if state.list.has_more && state.list.pending.is_none() && state.list.selected + PREFETCH >= len {
        let next = state.list.page + 1;
        return vec![load_page(state, next)];
    }
    vec![]
}

/// Folds `msg` into `state`, returning what must be done outside it.
pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Tick(now) => {
            state.now = now;
            vec![]
        }
        Msg::Action(a) => match a {
            Action::Quit => vec![Effect::Quit],
            Action::Down => move_to(state, state.list.selected.saturating_add(1)),
            Action::Up => move_to(state, state.list.selected.saturating_sub(1)),
            Action::First => move_to(state, 0),
            Action::Last => move_to(state, usize::MAX),
            Action::Refresh => {
                state.list.etag = None;
                vec![load_page(state, 1)]
            }
        },
        Msg::Worker(WorkerEvent::Reply { id, result }) => match result {
            Ok(reply) => on_reply(state, id, reply),
            Err(e) => {
                if state.list.pending == Some(id) {
                    state.list.pending = None;
                }
                state.error = Some(e.to_string());
                vec![]
            }
        },
        Msg::Worker(WorkerEvent::Live(status)) => {
            state.connection = match status {
                LiveStatus::Live => Connection::Live,
                LiveStatus::Polling => Connection::Polling,
                LiveStatus::Retrying { error, retry_in } => {
                    let since = match state.connection {
                        Connection::Offline { since, .. } => since,
                        _ => state.now,
                    };
                    state.error = Some(error.to_string());
                    let retry_at = state.now + chrono::Duration::from_std(retry_in).unwrap_or_default();
                    Connection::Offline { since, retry_at }
                }
            };
            vec![]
        }
        Msg::Worker(WorkerEvent::Event(ev)) => {
            on_event(state, ev);
            vec![]
        }
    }
}

fn on_reply(state: &mut AppState, id: u64, reply: Reply) -> Vec<Effect> {
    match reply {
        Reply::Me(me) => state.me = Some(me),
        Reply::Conversations { query, page } => {
            if state.list.pending != Some(id) {
                return vec![];
            }
            state.list.pending = None;
            state.error = None;
            let Cached::Fresh { value, etag } = page else { return vec![] };
            let keep = state.list.selected().map(|c| c.id.clone());
            let has_more = value.has_more();
            if query.page <= 1 {
                state.list.items = value.items;
                state.list.etag = etag;
            } else {
                let known: std::collections::HashSet<String> = state.list.items.iter().map(|c| c.id.clone()).collect();
                state.list.items.extend(value.items.into_iter().filter(|c| !known.contains(&c.id)));
            }
            state.list.page = value.page;
            state.list.total = value.total;
            state.list.has_more = has_more;
            reselect(state, keep);
        }
        Reply::Notifications(page) => state.notifications = page.items,
        _ => {}
    }
    vec![]
}

/// Keeps the selection on the same conversation (by id) after the rows changed.
fn reselect(state: &mut AppState, keep: Option<String>) {
    let len = state.list.items.len();
    if let Some(i) = keep.and_then(|id| state.list.items.iter().position(|c| c.id == id)) {
        state.list.selected = i;
    } else {
        state.list.selected = state.list.selected.min(len.saturating_sub(1));
    }
}

fn on_event(state: &mut AppState, ev: LiveEvent) {
    match ev {
        LiveEvent::ConversationUpdated(c) => {
            let keep = state.list.selected().map(|c| c.id.clone());
            let pos = state.list.items.iter().position(|x| x.id == c.id);
            match (pos, belongs(&c)) {
                (Some(i), true) => state.list.items[i] = *c,
                (Some(i), false) => {
                    state.list.items.remove(i);
                    state.list.total = state.list.total.saturating_sub(1);
                }
                (None, true) => {
                    state.list.items.insert(0, *c);
                    state.list.total += 1;
                }
                (None, false) => {}
            }
            // Newest activity first, as the list is sorted.
            state.list.items.sort_by_key(|c| std::cmp::Reverse(c.last_message_at));
            reselect(state, keep);
        }
        LiveEvent::NotificationCreated(n) => {
            if !state.notifications.iter().any(|x| x.id == n.id) {
                state.notifications.insert(0, *n);
            }
        }
        LiveEvent::MessageCreated(_) => {}
    }
}
