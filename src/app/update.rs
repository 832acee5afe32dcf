//! The pure update function: dispatch of actions, worker answers and live events.

use super::filters::{self, compare, request_counts};
use super::navigation::{self as nav, half_page, move_by};
use super::{Action, AppState, Connection, Effect, Load, Msg, Pane, SORT_CYCLE, STATUS_CYCLE, View, detail};
use crate::backend::{BackendError, Cached, PageReq};
use crate::domain::LiveEvent;
use crate::worker::{LiveStatus, Reply, Request, RequestKey, WorkerEvent};

/// Rows per page of the conversation list.
pub const PAGE_SIZE: u32 = 50;

/// Asks for page `page` of the list under the current filters.
pub fn load_page(state: &mut AppState, page: u32) -> Effect {
    let etag = if page == 1 { state.list.etag.clone() } else { None };
    let query = filters::list_query(&state.filters, state.filters.view, page, PAGE_SIZE);
    let id = state.request_id();
    state.list.pending = Some(id);
    Effect::Send { id, key: Some(RequestKey::List), request: Request::Conversations { query, etag } }
}

/// Reloads the list from page 1 (filters changed): the old rows go, the selection returns to the top.
fn reload(state: &mut AppState) -> Vec<Effect> {
    state.list.etag = None;
    state.list.loaded = false;
    let mut effects = vec![load_page(state, 1)];
    effects.extend(request_counts(state));
    effects
}

/// The effects that load everything at start.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let me = Effect::Send { id: state.request_id(), key: None, request: Request::Me };
    let agents = Effect::Send { id: state.request_id(), key: None, request: Request::Agents };
    let mut effects = vec![me, agents, load_page(state, 1)];
    effects.extend(request_counts(state));
    let id = state.request_id();
    effects.push(Effect::Send { id, key: None, request: Request::Notifications(PageReq { page: 1, limit: 100 }) });
    effects.push(Effect::StartLive);
    effects
}

/// Folds `msg` into `state`, returning what must be done outside it.
pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Tick(now) => {
            state.now = now;
            vec![]
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            nav::keep_visible(state);
            vec![]
        }
        Msg::Rested(id) => detail::rested(state, &id),
        Msg::Action(a) => on_action(state, a),
        Msg::Worker(WorkerEvent::Reply { id, result }) => match result {
            Ok(reply) => on_reply(state, id, reply),
            Err(e) => on_failure(state, id, e),
        },
        Msg::Worker(WorkerEvent::Live(status)) => {
            on_live(state, status);
            vec![]
        }
        Msg::Worker(WorkerEvent::Event(ev)) => on_event(state, ev),
    }
}

fn set_view(state: &mut AppState, view: View) -> Vec<Effect> {
    if state.filters.view == view {
        return vec![];
    }
    state.filters.view = view;
    state.list.etag = None;
    state.list.loaded = false;
    vec![load_page(state, 1)]
}

fn on_action(state: &mut AppState, a: Action) -> Vec<Effect> {
    if state.help {
        if matches!(a, Action::Help | Action::Back | Action::Quit) {
            state.help = false;
        }
        return vec![];
    }
    if state.searching {
        return on_search_key(state, a);
    }
    match a {
        Action::Quit if state.thread.is_some() => {
            state.thread = None;
            vec![]
        }
        Action::Quit => vec![Effect::Quit],
        Action::Down => move_by(state, 1),
        Action::Up => move_by(state, -1),
        Action::First => move_by(state, isize::MIN),
        Action::Last => move_by(state, isize::MAX),
        Action::HalfDown => move_by(state, half_page(state)),
        Action::HalfUp => move_by(state, -half_page(state)),
        Action::NextPane => {
            nav::cycle_focus(state, 1);
            vec![]
        }
        Action::PrevPane => {
            nav::cycle_focus(state, -1);
            vec![]
        }
        Action::ViewMine => set_view(state, View::Mine),
        Action::ViewUnassigned => set_view(state, View::Unassigned),
        Action::ViewAll => set_view(state, View::All),
        Action::CycleStatus => {
            let at = STATUS_CYCLE.iter().position(|s| *s == state.filters.status.as_deref()).unwrap_or(0);
            state.filters.status = STATUS_CYCLE[(at + 1) % STATUS_CYCLE.len()].map(String::from);
            reload(state)
        }
        Action::CycleSort => {
            let at = SORT_CYCLE.iter().position(|s| *s == state.filters.sort).unwrap_or(0);
            state.filters.sort = SORT_CYCLE[(at + 1) % SORT_CYCLE.len()];
            state.list.etag = None;
            vec![load_page(state, 1)]
        }
        Action::Search => {
            state.searching = true;
            state.focus = Pane::List;
            vec![]
        }
        Action::Open => open(state),
        Action::Toggle => {
            if state.focus == Pane::Session {
                detail::toggle_section(state);
            }
            vec![]
        }
        Action::Refresh => {
            state.list.etag = None;
            state.error = None;
            let mut effects = vec![load_page(state, 1)];
            effects.extend(request_counts(state));
            effects
        }
        Action::Help => {
            state.help = true;
            vec![]
        }
        Action::Back => {
            if state.thread.take().is_none() && !state.filters.search.is_empty() {
                state.filters.search.clear();
                return reload(state);
            }
            vec![]
        }
        Action::SearchInput(_) | Action::SearchBackspace | Action::SearchAccept => vec![],
    }
}

fn on_search_key(state: &mut AppState, a: Action) -> Vec<Effect> {
    match a {
        Action::SearchInput(c) => {
            state.filters.search.push(c);
            reload(state)
        }
        Action::SearchBackspace => {
            if state.filters.search.pop().is_none() {
                return vec![];
            }
            reload(state)
        }
        Action::SearchAccept => {
            state.searching = false;
            vec![]
        }
        Action::Back => {
            state.searching = false;
            if state.filters.search.is_empty() {
                return vec![];
            }
            state.filters.search.clear();
            reload(state)
        }
        Action::Quit => vec![Effect::Quit],
        _ => vec![],
    }
}

fn open(state: &mut AppState) -> Vec<Effect> {
    match state.focus {
        Pane::Session => {
            detail::toggle_section(state);
            vec![]
        }
        Pane::Notifications => {
            let target = state.notifications.get(state.notification_selected).and_then(|n| n.conversation_id.clone());
            target.map(|id| detail::open_thread(state, id)).unwrap_or_default()
        }
        Pane::List | Pane::Contact if state.thread.is_none() => {
            let id = state.list.selected().map(|c| c.id.clone());
            id.map(|id| detail::open_thread(state, id)).unwrap_or_default()
        }
        _ => vec![],
    }
}

fn on_failure(state: &mut AppState, id: u64, e: BackendError) -> Vec<Effect> {
    let reason = e.to_string();
    if state.list.pending == Some(id) {
        state.list.pending = None;
        state.list.loaded = true;
    }
    if state.counts.pending.remove(&id).is_some() {
        // A count that cannot be read is shown as unknown; it does not deserve the status line.
        return vec![];
    }
    detail::failed(state, id, &reason);
    state.error = Some(reason);
    vec![]
}

fn on_reply(state: &mut AppState, id: u64, reply: Reply) -> Vec<Effect> {
    match reply {
        Reply::Me(me) => state.me = Some(me),
        Reply::Conversations { query, page } => {
            if let Some(view) = state.counts.pending.remove(&id) {
                if let Cached::Fresh { value, .. } = page {
                    state.counts.by_view.insert(view, value.total);
                }
                if state.counts.pending.is_empty() && state.counts.stale {
                    return request_counts(state);
                }
                return vec![];
            }
            if state.list.pending != Some(id) {
                return vec![];
            }
            state.list.pending = None;
            state.list.loaded = true;
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
            state.counts.by_view.insert(state.filters.view, value.total);
            return nav::reselect(state, keep);
        }
        Reply::Contact(c) => detail::contact_loaded(state, id, *c),
        Reply::SessionData { data, .. } => detail::session_loaded(state, id, *data),
        Reply::Notifications(page) => state.notifications = page.items,
        Reply::Messages { conversation_id, page } => detail::messages_loaded(state, id, &conversation_id, page.items),
        Reply::Agents(agents) => state.agents = agents,
        Reply::Conversation(c) => detail::conversation_loaded(state, id, *c),
        Reply::Labels(_) => {}
    }
    vec![]
}

fn on_live(state: &mut AppState, status: LiveStatus) {
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
}

fn on_event(state: &mut AppState, ev: LiveEvent) -> Vec<Effect> {
    match ev {
        LiveEvent::ConversationUpdated(c) => {
            let keep = state.list.selected().map(|c| c.id.clone());
            let pos = state.list.items.iter().position(|x| x.id == c.id);
            let fits = super::filters::belongs(state, &c);
            if let Load::Ready(contact) = &mut state.detail.contact
                && contact.id == c.contact_id
            {
                *contact = c.contact.clone();
            }
            if let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == c.id) {
                t.conversation = Load::Ready((*c).clone());
            }
            match (pos, fits) {
                (Some(i), true) => state.list.items[i] = *c,
                (Some(i), false) => {
                    state.list.items.remove(i);
                    state.list.total = state.list.total.saturating_sub(1);
                }
                (None, true) if state.list.loaded => {
                    state.list.items.push(*c);
                    state.list.total += 1;
                }
                _ => {}
            }
            let sort = state.filters.sort;
            state.list.items.sort_by(|a, b| compare(sort, a, b));
            let mut effects = nav::reselect(state, keep);
            effects.extend(request_counts(state));
            effects
        }
        LiveEvent::NotificationCreated(n) => {
            if !state.notifications.iter().any(|x| x.id == n.id) {
                state.notifications.insert(0, *n);
                if state.notification_selected > 0 {
                    // Keep the cursor on the same notification.
                    state.notification_selected += 1;
                }
            }
            vec![]
        }
        LiveEvent::MessageCreated(m) => {
            detail::message_created(state, *m);
            vec![]
        }
    }
}
