//! The pure update function: dispatch of actions, worker answers and live events.

use super::filters::{self, request_counts};
use super::navigation::{self as nav, half_page, move_by};
use super::queue;
use super::{
    Action, AppState, Connection, Effect, ErrorAbout, InputMode, MessageKind, Msg, Pane, Purpose, SORT_CYCLE,
    STATUS_CYCLE, View, actions, answer, composer, detail, form, notifications, picker, thread,
};
use crate::domain::ConvStatus;
use crate::domain::LiveEvent;
use crate::protocol::{LiveStatus, Request, WorkerEvent};

/// Rows per page of the conversation list.
pub const PAGE_SIZE: u32 = 50;

/// Asks for page `page` of the list under the current filters.
pub fn load_page(state: &mut AppState, page: u32) -> Effect {
    let revalidate = page == 1 && state.list.revalidate;
    let query = filters::list_query(&state.list.filters, state.list.filters.view, page, PAGE_SIZE);
    state.send(Purpose::ListPage, Request::Conversations { query, revalidate })
}

/// Empties the list for new filters: rows of another view must never show under this view's title.
fn clear_rows(state: &mut AppState) -> Vec<Effect> {
    state.list.items.clear();
    state.list.selected = 0;
    state.list.offset = 0;
    state.list.has_more = false;
    state.list.revalidate = false;
    state.list.loaded = false;
    state.triage.marked.clear();
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
    let me = state.send(Purpose::Me, Request::Me);
    let agents = state.send(Purpose::Agents, Request::Agents);
    let labels = state.send(Purpose::Labels, Request::Labels);
    let mut effects = vec![me, agents, labels, load_page(state, 1)];
    effects.extend(request_counts(state));
    effects.push(notifications::load(state));
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
            state.fade();
            vec![]
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            nav::keep_visible(state);
            vec![]
        }
        Msg::Rested(id) => detail::rested(state, &id),
        Msg::EditorDone(Ok(text)) => composer::replace_text(state, &text),
        Msg::ComposerText(text) => composer::edited(state, text),
        Msg::EditorDone(Err(why)) => {
            if let Some(c) = state.composer.as_mut() {
                c.error = Some(format!("$EDITOR could not run: {why}"));
            }
            vec![]
        }
        Msg::Action(a) => on_action(state, a),
        Msg::Worker(WorkerEvent::Reply { id, result }) => answer::route(state, id, result),
        Msg::Worker(WorkerEvent::Retrying { id, attempt, error, retry_in }) => {
            let secs = retry_in.as_secs_f64().ceil().max(1.0) as u64;
            state.status.retrying.insert(id, format!("{error} — trying again in {secs}s (attempt {})", attempt + 1));
            vec![]
        }
        Msg::Worker(WorkerEvent::Live(status)) => on_live(state, status),
        Msg::Worker(WorkerEvent::Event(ev)) => {
            state.offline.synced_at = Some(state.now);
            on_event(state, ev)
        }
    }
}

fn set_view(state: &mut AppState, view: View) -> Vec<Effect> {
    if state.list.filters.view == view {
        return vec![];
    }
    state.list.filters.view = view;
    let mut effects = clear_rows(state);
    effects.push(load_page(state, 1));
    effects
}

fn on_action(state: &mut AppState, a: Action) -> Vec<Effect> {
    match state.input_mode() {
        InputMode::Confirm => {
            let newer = state.composer.as_ref().is_some_and(|c| c.confirm_newer.is_some());
            return match (a, newer) {
                (Action::Yes, true) => composer::send(state, true),
                (Action::No, true) => composer::close(state),
                (Action::Yes, false) => notifications::answer(state, true),
                (Action::No, false) => notifications::answer(state, false),
                (Action::Quit, _) => vec![Effect::SaveNow, Effect::Quit],
                _ => vec![],
            };
        }
        _ if state.overlays.help => {
            if matches!(a, Action::Help | Action::Back | Action::Quit) {
                state.overlays.help = false;
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
                Action::Quit => vec![Effect::SaveNow, Effect::Quit],
                _ => vec![],
            };
        }
        InputMode::Search => return on_search_key(state, a),
        InputMode::Normal => {}
    }
    if !matches!(a, Action::Help) {
        state.next_action();
    }
    if let Some(cap) = super::capability(a).filter(|c| state.account.unavailable.contains(c)) {
        state.set_error(format!("Not available on this {} server: {cap}", state.account.backend_kind));
        return vec![];
    }
    let in_list = state.focus == Pane::List && state.thread.is_none();
    let in_notes = state.focus == Pane::Notifications;
    match a {
        Action::Quit if state.thread.is_some() => thread::close(state),
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
            let at = STATUS_CYCLE.iter().position(|s| *s == state.list.filters.status.as_deref()).unwrap_or(0);
            state.list.filters.status = STATUS_CYCLE[(at + 1) % STATUS_CYCLE.len()].map(String::from);
            reload(state)
        }
        Action::CycleSort => {
            let at = SORT_CYCLE.iter().position(|s| *s == state.list.filters.sort).unwrap_or(0);
            state.list.filters.sort = SORT_CYCLE[(at + 1) % SORT_CYCLE.len()];
            state.list.revalidate = false;
            vec![load_page(state, 1)]
        }
        Action::Search => {
            state.list.searching = true;
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
            state.list.revalidate = false;
            let mut effects = vec![load_page(state, 1)];
            effects.extend(request_counts(state));
            if let Some(t) = &state.thread {
                // An unreadable thread (or one to check after a lost send) is read again.
                let id = t.conversation_id.clone();
                let request = Request::Messages(id.clone(), crate::protocol::PageReq { page: 1, limit: 100 });
                effects.push(state.send(Purpose::Thread(id), request));
            }
            effects
        }
        Action::Help => {
            state.overlays.help = true;
            vec![]
        }
        Action::Back => {
            if !state.triage.marked.is_empty() {
                state.triage.marked.clear();
                state.triage.mark_anchor = None;
            } else if state.thread.is_some() {
                return thread::close(state);
            } else if !state.list.filters.search.is_empty() {
                state.list.filters.search.clear();
                return reload(state);
            }
            vec![]
        }
        Action::Assign => picker::open_assign(state),
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
        Action::Labels => picker::open_labels(state),
        Action::Reply => composer::open(state, MessageKind::Reply),
        Action::Note => composer::open(state, MessageKind::Note),
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
            state.list.filters.search.push(c);
            reload(state)
        }
        Action::SearchBackspace => {
            if state.list.filters.search.pop().is_none() {
                return vec![];
            }
            reload(state)
        }
        Action::SearchAccept => {
            state.list.searching = false;
            vec![]
        }
        Action::Back => {
            state.list.searching = false;
            if state.list.filters.search.is_empty() {
                return vec![];
            }
            state.list.filters.search.clear();
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
            let target =
                state.notifications.items.get(state.notifications.selected).and_then(|n| n.conversation_id.clone());
            target.map(|id| thread::open(state, id)).unwrap_or_default()
        }
        Pane::List | Pane::Contact if state.thread.is_none() => {
            let id = state.list.selected().map(|c| c.id.clone());
            id.map(|id| thread::open(state, id)).unwrap_or_default()
        }
        _ => vec![],
    }
}

fn on_live(state: &mut AppState, status: LiveStatus) -> Vec<Effect> {
    let was_down = matches!(state.connection, Connection::Offline { .. }) || state.offline.cached_at.is_some();
    match status {
        LiveStatus::Live => state.connection = Connection::Live,
        LiveStatus::Polling => state.connection = Connection::Polling,
        LiveStatus::Retrying { error, retry_in } => {
            let since = match state.connection {
                Connection::Offline { since, .. } => since,
                _ => state.now,
            };
            state.set_error_about(ErrorAbout::Connection, error.to_string());
            let retry_at = state.now + chrono::Duration::from_std(retry_in).unwrap_or_default();
            state.connection = Connection::Offline { since, retry_at };
            return vec![];
        }
    }
    if !was_down {
        return vec![];
    }
    // Back from offline (or from a cached start): everything shown may be stale, so it is asked for again.
    state.clear_error_about(ErrorAbout::Connection);
    state.list.revalidate = false;
    let mut effects = vec![load_page(state, 1)];
    effects.extend(request_counts(state));
    effects.push(notifications::load(state));
    if state.account.me.is_none() || state.account.agents.is_empty() {
        effects.push(state.send(Purpose::Me, Request::Me));
        effects.push(state.send(Purpose::Agents, Request::Agents));
    }
    effects
}

fn on_event(state: &mut AppState, ev: LiveEvent) -> Vec<Effect> {
    match ev {
        LiveEvent::ConversationUpdated(c) => {
            // A change we are still waiting to hear back about keeps its local look until the answer comes.
            if state.awaits(|p| p.changes_conversation() == Some(c.id.as_str())) {
                return vec![];
            }
            let mut effects = filters::upsert(state, *c);
            effects.extend(request_counts(state));
            effects
        }
        LiveEvent::NotificationCreated(n) => {
            // A known id is an update (another message on the same thread): it moves to the top.
            let old = state.notifications.items.iter().position(|x| x.id == n.id);
            if let Some(i) = old {
                state.notifications.items.remove(i);
            }
            state.notifications.items.insert(0, *n);
            let sel = state.notifications.selected;
            if sel > 0 && old.is_none_or(|i| i > sel) {
                // Keep the cursor on the same notification.
                state.notifications.selected += 1;
            } else if old == Some(sel) {
                state.notifications.selected = 0;
            }
            vec![]
        }
        LiveEvent::MessageCreated(m) => {
            thread::message_created(state, *m);
            vec![]
        }
    }
}
