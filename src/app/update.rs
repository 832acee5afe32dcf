//! The pure update function: dispatch of actions, worker answers and live events.

use super::filters::{self, request_counts};
use super::navigation::{self as nav, half_page, move_by};
use super::queue;
use super::{
    Action, AppState, Connection, Effect, InputMode, Msg, Pane, Pending, SORT_CYCLE, STATUS_CYCLE, View, actions,
    composer, detail, form, notifications, picker,
};
use crate::backend::{BackendError, Cached, PageReq};
use crate::domain::ConvStatus;
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

/// Empties the list for new filters: rows of another view must never show under this view's title.
fn clear_rows(state: &mut AppState) -> Vec<Effect> {
    state.list.items.clear();
    state.list.selected = 0;
    state.list.offset = 0;
    state.list.has_more = false;
    state.list.etag = None;
    state.list.loaded = false;
    state.marked.clear();
    detail::follow_selection(state)
}

/// Reloads the list from page 1 (filters changed): the old rows go, the selection returns to the top.
fn reload(state: &mut AppState) -> Vec<Effect> {
    let mut effects = clear_rows(state);
    effects.push(load_page(state, 1));
    effects.extend(request_counts(state));
    effects
}

/// The effects that load everything at start.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let me = Effect::Send { id: state.request_id(), key: None, request: Request::Me };
    let agents = Effect::Send { id: state.request_id(), key: None, request: Request::Agents };
    let labels = Effect::Send { id: state.request_id(), key: None, request: Request::Labels };
    let mut effects = vec![me, agents, labels, load_page(state, 1)];
    effects.extend(request_counts(state));
    let id = state.request_id();
    effects.push(Effect::Send { id, key: None, request: Request::Notifications(PageReq { page: 1, limit: 100 }) });
    effects.push(Effect::StartLive);
    // Rows from the offline cache are selectable at once: the panels follow them as they would live rows.
    effects.extend(detail::follow_selection(state));
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
        Msg::EditorDone(Ok(text)) => composer::replace_text(state, &text),
        Msg::EditorDone(Err(why)) => {
            if let Some(c) = state.composer.as_mut() {
                c.error = Some(format!("$EDITOR could not run: {why}"));
            }
            vec![]
        }
        Msg::Action(a) => on_action(state, a),
        Msg::Worker(WorkerEvent::Reply { id, result }) => {
            // Answered at last (or given up on): its retry note goes.
            state.retrying.remove(&id);
            match result {
                Ok(reply) => on_reply(state, id, reply),
                Err(e) => on_failure(state, id, e),
            }
        }
        Msg::Worker(WorkerEvent::Retrying { id, attempt, error, retry_in }) => {
            let secs = retry_in.as_secs_f64().ceil().max(1.0) as u64;
            state.retrying.insert(id, format!("{error} — trying again in {secs}s (attempt {})", attempt + 1));
            vec![]
        }
        Msg::Worker(WorkerEvent::Live(status)) => on_live(state, status),
        Msg::Worker(WorkerEvent::Event(ev)) => {
            state.synced_at = Some(state.now);
            on_event(state, ev)
        }
    }
}

fn set_view(state: &mut AppState, view: View) -> Vec<Effect> {
    if state.filters.view == view {
        return vec![];
    }
    state.filters.view = view;
    let mut effects = clear_rows(state);
    effects.push(load_page(state, 1));
    effects
}

fn on_action(state: &mut AppState, a: Action) -> Vec<Effect> {
    match state.input_mode() {
        InputMode::Confirm => {
            let newer = state.composer.as_ref().is_some_and(|c| c.confirm_newer);
            return match (a, newer) {
                (Action::Yes, true) => composer::send(state, true),
                (Action::No, true) => composer::close(state),
                (Action::Yes, false) => notifications::answer(state, true),
                (Action::No, false) => notifications::answer(state, false),
                (Action::Quit, _) => vec![Effect::SaveNow, Effect::Quit],
                _ => vec![],
            };
        }
        _ if state.help => {
            if matches!(a, Action::Help | Action::Back | Action::Quit) {
                state.help = false;
            }
            return vec![];
        }
        InputMode::Form if a == Action::Quit => return vec![Effect::SaveNow, Effect::Quit],
        InputMode::Form => return form::on_action(state, a),
        InputMode::Picker if a == Action::Quit => return vec![Effect::SaveNow, Effect::Quit],
        InputMode::Picker => return picker::on_action(state, a),
        InputMode::Composer => {
            return match a {
                Action::Send => composer::send(state, false),
                Action::Editor => {
                    state.composer.as_ref().map(|c| vec![Effect::OpenEditor(c.text())]).unwrap_or_default()
                }
                Action::Back => composer::close(state),
                Action::Edit(k) => composer::key(state, k),
                Action::Quit => vec![Effect::SaveNow, Effect::Quit],
                _ => vec![],
            };
        }
        InputMode::Search => return on_search_key(state, a),
        InputMode::Normal => {}
    }
    if let Some(cap) = super::capability(a).filter(|c| state.unavailable.contains(c)) {
        state.error = Some(format!("Not available on this {} server: {cap}", state.backend_kind));
        return vec![];
    }
    let in_list = state.focus == Pane::List && state.thread.is_none();
    let in_notes = state.focus == Pane::Notifications;
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
        Action::Open if in_notes => notifications::open(state),
        Action::Open => open(state),
        Action::Toggle if state.focus == Pane::Session => {
            detail::toggle_section(state);
            vec![]
        }
        Action::Toggle if in_list => actions::toggle_mark(state),
        Action::MarkRange if in_list => {
            actions::mark_range(state);
            vec![]
        }
        Action::MarkAll if in_list => {
            actions::mark_all(state);
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
            if !state.marked.is_empty() {
                state.marked.clear();
                state.mark_anchor = None;
            } else if state.thread.take().is_none() && !state.filters.search.is_empty() {
                state.filters.search.clear();
                return reload(state);
            }
            vec![]
        }
        Action::Assign => {
            picker::open_assign(state);
            vec![]
        }
        Action::AssignMe => actions::assign_to_me(state),
        Action::TakeNext => queue::take_next(state),
        Action::Unassign => actions::assign(state, None),
        Action::Close => actions::set_status(state, ConvStatus::Closed),
        Action::Reopen => actions::set_status(state, ConvStatus::Open),
        Action::Archive => actions::set_status(state, ConvStatus::Archived),
        Action::Priority => {
            picker::open_priority(state);
            vec![]
        }
        Action::Labels => {
            picker::open_labels(state);
            vec![]
        }
        Action::Reply => composer::open(state, false),
        Action::Note => composer::open(state, true),
        Action::MarkRead if in_notes => notifications::mark_read(state),
        Action::MarkAllRead => notifications::mark_all_read(state),
        Action::Dismiss if in_notes => notifications::dismiss(state),
        Action::DismissAll => notifications::ask_dismiss_all(state),
        Action::EditContact if state.focus == Pane::Contact => {
            form::open_edit(state);
            vec![]
        }
        Action::Comment if state.focus == Pane::Contact => {
            form::open_comment(state);
            vec![]
        }
        _ => vec![],
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
    match state.pending.remove(&id) {
        Some(Pending::Change { before, what }) => return actions::refused(state, &what, *before, &e),
        Some(Pending::Notification) => return notifications::failed(state, &actions::reason(&e)),
        Some(Pending::Read(_)) => return vec![],
        Some(Pending::TakeNext) => state.notice = None,
        None => {}
    }
    if composer::failed(state, id, actions::reason(&e)) || form::refused(state, id, actions::reason(&e)) {
        return vec![];
    }
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
            state.synced_at = Some(state.now);
            state.cached_at = None;
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
        Reply::Contact(c) => {
            if form::saved(state, id) {
                // The saved contact replaces what the panel and the list show.
                let cid = c.id.clone();
                for conv in state.list.items.iter_mut().filter(|x| x.contact_id == cid) {
                    conv.contact = (*c).clone();
                }
                state.detail.contact = super::Load::Ready(*c);
            } else {
                detail::contact_loaded(state, id, *c);
            }
        }
        Reply::SessionData { data, .. } => detail::session_loaded(state, id, *data),
        Reply::Notifications(page) => state.notifications = page.items,
        Reply::Messages { conversation_id, page } => detail::messages_loaded(state, id, &conversation_id, page),
        Reply::Agents(agents) => state.agents = agents,
        Reply::Conversation(c) => match state.pending.remove(&id) {
            Some(Pending::Change { what, .. }) => return actions::confirmed(state, &what, *c),
            Some(Pending::Read(_)) => return filters::upsert(state, *c),
            _ => detail::conversation_loaded(state, id, *c),
        },
        Reply::Sent(m) => return composer::sent(state, id, *m),
        Reply::Done => {
            state.pending.remove(&id);
        }
        Reply::Comments { contact_id, page } => detail::comments_loaded(state, id, &contact_id, page.items),
        Reply::Comment(c) => {
            form::saved(state, id);
            if let super::Load::Ready(list) = &mut state.detail.comments {
                list.insert(0, *c);
            }
        }
        Reply::Files { contact_id, files } => detail::files_loaded(state, id, &contact_id, files),
        Reply::Labels(labels) => state.labels = labels,
        Reply::Taken(c) => return queue::taken(state, id, c.map(|c| *c)),
    }
    vec![]
}

fn on_live(state: &mut AppState, status: LiveStatus) -> Vec<Effect> {
    let was_down = matches!(state.connection, Connection::Offline { .. }) || state.cached_at.is_some();
    match status {
        LiveStatus::Live => state.connection = Connection::Live,
        LiveStatus::Polling => state.connection = Connection::Polling,
        LiveStatus::Retrying { error, retry_in } => {
            let since = match state.connection {
                Connection::Offline { since, .. } => since,
                _ => state.now,
            };
            state.error = Some(error.to_string());
            let retry_at = state.now + chrono::Duration::from_std(retry_in).unwrap_or_default();
            state.connection = Connection::Offline { since, retry_at };
            return vec![];
        }
    }
    if !was_down {
        return vec![];
    }
    // Back from offline (or from a cached start): everything shown may be stale, so it is asked for again.
    state.error = None;
    state.list.etag = None;
    let mut effects = vec![load_page(state, 1)];
    effects.extend(request_counts(state));
    let id = state.request_id();
    effects.push(Effect::Send { id, key: None, request: Request::Notifications(PageReq { page: 1, limit: 100 }) });
    if state.me.is_none() || state.agents.is_empty() {
        effects.push(Effect::Send { id: state.request_id(), key: None, request: Request::Me });
        effects.push(Effect::Send { id: state.request_id(), key: None, request: Request::Agents });
    }
    effects
}

fn on_event(state: &mut AppState, ev: LiveEvent) -> Vec<Effect> {
    match ev {
        LiveEvent::ConversationUpdated(c) => {
            // A change we are still waiting to hear back about keeps its local look until the answer comes.
            if state.pending.values().any(|p| p.conversation_id() == Some(c.id.as_str())) {
                return vec![];
            }
            let mut effects = filters::upsert(state, *c);
            effects.extend(request_counts(state));
            effects
        }
        LiveEvent::NotificationCreated(n) => {
            // A known id is an update (another message on the same thread): it moves to the top.
            let old = state.notifications.iter().position(|x| x.id == n.id);
            if let Some(i) = old {
                state.notifications.remove(i);
            }
            state.notifications.insert(0, *n);
            let sel = state.notification_selected;
            if sel > 0 && old.is_none_or(|i| i > sel) {
                // Keep the cursor on the same notification.
                state.notification_selected += 1;
            } else if old == Some(sel) {
                state.notification_selected = 0;
            }
            vec![]
        }
        LiveEvent::MessageCreated(m) => {
            detail::message_created(state, *m);
            vec![]
        }
    }
}
