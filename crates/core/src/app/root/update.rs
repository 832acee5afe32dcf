//! The pure update function: each message goes to the features it concerns.

use super::AppState;
use crate::app::{Action, Effect, InputMode, MessageKind, Msg, Notifications, Pane, Purpose, View};
use crate::domain::ConvStatus;
use crate::protocol::{Request, WorkerEvent};

/// The effects that load everything at start.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let me = state.send(Purpose::Me, Request::Me);
    let agents = state.send(Purpose::Agents, Request::Agents);
    let mut effects = vec![me, agents];
    // A server without labels is not asked for them (and no error about it greets the agent).
    if !state.account.unavailable.contains(&crate::domain::Capability::Labels) {
        effects.push(state.send(Purpose::Labels, Request::Labels));
    }
    effects.push(state.list.load_page(1, &mut state.requests));
    effects.extend(state.list.request_counts(&mut state.requests));
    effects.push(Notifications::load(&mut state.requests));
    effects.push(Effect::StartLive);
    // Rows from the offline cache are selectable at once: the panels follow them as they would live rows.
    effects.extend(state.follow_selection());
    effects
}

/// Folds `msg` into `state`, returning what must be done outside it.
pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Tick(now) => {
            state.now = now;
            state.status.fade(now);
            vec![]
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            let rows = state.list_rows();
            state.list.keep_visible(rows);
            if let Some(t) = &mut state.thread {
                t.set_columns(crate::app::viewport::thread_columns(w));
            }
            vec![]
        }
        Msg::Rested(id) => state.rested(&id),
        Msg::CountsDue => state.list.counts_due(state.now, &mut state.requests),
        Msg::EditorDone(Ok(text)) => state.compose.replace_text(&text),
        Msg::EditorDone(Err(why)) => {
            state.compose.editor_failed(&why);
            vec![]
        }
        Msg::ComposerText(text) => state.compose.edited(text),
        Msg::Paste(text) => state.pasted(&text),
        Msg::Focus(focused) => {
            state.away = !focused;
            vec![]
        }
        Msg::Action(a) => state.on_action(a),
        Msg::Unbound(label) if state.input_mode() == InputMode::Normal && !state.overlays.help => state.unbound(&label),
        Msg::Unbound(_) => vec![],
        Msg::Worker(WorkerEvent::Reply { id, result }) => state.route(id, result),
        Msg::Worker(WorkerEvent::Retrying { id, attempt, error, retry_in }) => {
            let secs = retry_in.as_secs_f64().ceil().max(1.0) as u64;
            state.status.retrying.insert(id, format!("{error} — trying again in {secs}s (attempt {})", attempt + 1));
            vec![]
        }
        Msg::Worker(WorkerEvent::Live(status)) => state.on_live(status),
        Msg::Worker(WorkerEvent::Event(ev)) => state.on_event(ev),
        Msg::Worker(WorkerEvent::Overwhelmed { dropped }) => state.on_overwhelmed(dropped),
    }
}

impl AppState {
    /// Pasted text goes into the line being typed (search, picker, form) as if typed, on one line; anywhere
    /// else it is refused in words, so a paste can never act as a stream of commands.
    fn pasted(&mut self, text: &str) -> Vec<Effect> {
        match self.input_mode() {
            InputMode::Search | InputMode::Picker | InputMode::Form | InputMode::Palette => {
                let line = crate::text::clean_line(text);
                line.chars().flat_map(|c| self.on_action(Action::SearchInput(c))).collect()
            }
            // The composer takes a paste itself (at the edge, in its widget); here only while it cannot.
            InputMode::Composer => {
                self.set_error("Not pasted: the composer is sending or asking — paste again when it is done");
                vec![]
            }
            _ => {
                self.set_error(
                    "Pasted text is not a command: paste into a reply (R), a note (P), a search (/) or a form",
                );
                vec![]
            }
        }
    }

    /// Empties the list for new filters (and the marks with it); the panels follow.
    fn clear_rows(&mut self) -> Vec<Effect> {
        self.list.clear();
        self.triage.marked.clear();
        self.follow_selection()
    }

    /// Reloads the list from page 1 (filters changed): the old rows go, the selection returns to the top.
    pub(super) fn reload(&mut self) -> Vec<Effect> {
        let mut effects = self.clear_rows();
        effects.push(self.list.load_page(1, &mut self.requests));
        effects.extend(self.list.request_counts(&mut self.requests));
        effects
    }

    pub(super) fn set_view(&mut self, view: View) -> Vec<Effect> {
        if self.list.filters.view == view {
            return vec![];
        }
        self.list.filters.view = view;
        let mut effects = self.clear_rows();
        effects.push(self.list.load_page(1, &mut self.requests));
        effects
    }

    pub(super) fn on_action(&mut self, a: Action) -> Vec<Effect> {
        match self.input_mode() {
            InputMode::Confirm => {
                let newer = self.compose.open.as_ref().is_some_and(|c| c.confirm_newer.is_some());
                return match (a, newer) {
                    (Action::Yes, true) => self.send_composer(true),
                    (Action::No, true) => self.close_composer(),
                    (Action::Yes, false) => self.answer_question(true),
                    (Action::No, false) => self.answer_question(false),
                    (Action::Quit, _) => vec![Effect::SaveNow, Effect::Quit],
                    _ => vec![],
                };
            }
            _ if self.overlays.help => {
                let by = self.half_page();
                let scroll = &mut self.overlays.help_scroll;
                // Help longer than the screen scrolls; drawing stops it at the end.
                match a {
                    Action::Help | Action::Back | Action::Quit => self.overlays.help = false,
                    Action::Down => *scroll += 1,
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::HalfDown | Action::Last => *scroll += by.unsigned_abs(),
                    Action::HalfUp => *scroll = scroll.saturating_sub(by.unsigned_abs()),
                    Action::First => *scroll = 0,
                    _ => {}
                }
                // Help is under a hundred lines: more than that scrolls nothing and would only need undoing.
                *scroll = (*scroll).min(100);
                return vec![];
            }
            InputMode::Form | InputMode::Picker if a == Action::Quit => return vec![Effect::SaveNow, Effect::Quit],
            InputMode::Palette => return self.palette_action(a),
            InputMode::Form => return self.form_action(a),
            InputMode::Picker => return self.picker_action(a),
            InputMode::Composer => {
                return match a {
                    Action::Send => self.send_composer(false),
                    Action::Editor => {
                        self.compose.open.as_ref().map(|c| vec![Effect::OpenEditor(c.text())]).unwrap_or_default()
                    }
                    Action::Back => self.close_composer(),
                    Action::Templates => self.open_templates(),
                    Action::Canned => self.open_canned(),
                    Action::Quit => vec![Effect::SaveNow, Effect::Quit],
                    _ => vec![],
                };
            }
            InputMode::Search => return self.on_search_key(a),
            InputMode::Normal => {}
        }
        if !matches!(a, Action::Help) {
            self.status.next_action();
        }
        // Any other key takes the selection back from the pages following one another to the end.
        if a != Action::Last {
            self.list.to_end = false;
        }
        // Said before trying (from the server's capabilities and the role it gave this agent), not after a
        // refusal; and a read-only session sends no change at all.
        if let Some(why) = self.refusal(a) {
            self.set_error(why);
            return vec![];
        }
        let in_list = self.focus == Pane::List && self.thread.is_none();
        let in_notes = self.focus == Pane::Notifications;
        match a {
            Action::Quit if self.thread.is_some() => self.close_thread(),
            Action::Quit => vec![Effect::Quit],
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::First => self.move_by(isize::MIN),
            Action::Last => {
                // In the list, the end is the server's last conversation, not the last one loaded so far.
                self.list.to_end = in_list && self.list.has_more;
                let effects = self.move_by(isize::MAX);
                self.list.to_end &= self.requests.awaits(|p| *p == Purpose::ListPage);
                effects
            }
            Action::HalfDown => self.move_by(self.half_page()),
            Action::HalfUp => self.move_by(-self.half_page()),
            Action::NextPane => {
                self.cycle_focus(1);
                vec![]
            }
            Action::PrevPane => {
                self.cycle_focus(-1);
                vec![]
            }
            Action::ViewMine => self.set_view(View::Mine),
            Action::ViewUnassigned => self.set_view(View::Unassigned),
            Action::ViewAll => self.set_view(View::All),
            Action::CycleStatus => {
                self.list.cycle_status(self.account.statuses);
                self.reload()
            }
            Action::CycleChannel => {
                self.list.cycle_channel();
                self.reload()
            }
            Action::CycleLabel => {
                if self.account.labels.is_empty() {
                    self.set_error("No labels on this server to filter by");
                    return vec![];
                }
                self.list.cycle_label(&self.account.labels);
                self.reload()
            }
            Action::CycleSort => {
                self.list.cycle_sort();
                vec![self.list.load_page(1, &mut self.requests)]
            }
            Action::Search => {
                self.list.searching = true;
                self.focus = Pane::List;
                vec![]
            }
            Action::Open if in_notes => self.open_notification(),
            Action::Open => self.open(),
            Action::Toggle if self.focus == Pane::Session => {
                self.detail.toggle_section();
                vec![]
            }
            Action::Toggle if in_list => self.toggle_mark(),
            Action::MarkRange if in_list => {
                self.triage.mark_range(&self.list.items, self.list.selected);
                vec![]
            }
            Action::MarkAll if in_list => {
                self.triage.mark_all(&self.list.items);
                vec![]
            }
            Action::Refresh => self.refresh(),
            Action::Palette => self.open_palette(),
            Action::Undo => self.undo(),
            Action::Copy => self.copy(),
            Action::Activities => self.toggle_activities(),
            Action::Help => {
                self.overlays.help = true;
                self.overlays.help_scroll = 0;
                vec![]
            }
            Action::Back => {
                if !self.triage.marked.is_empty() {
                    self.triage.clear();
                } else if self.thread.is_some() {
                    return self.close_thread();
                } else if !self.list.filters.search.is_empty() {
                    self.list.filters.search.clear();
                    return self.reload();
                }
                vec![]
            }
            Action::Assign | Action::Priority | Action::Labels => self.open_picker(a),
            Action::AssignMe => self.assign_to_me(),
            Action::TakeNext => self.take_next(),
            Action::Templates => self.open_templates(),
            Action::Unassign => self.act(crate::app::Change::Assign { to: None, me: false }),
            Action::Close => self.act(crate::app::Change::Status(ConvStatus::Closed)),
            Action::Reopen => self.act(crate::app::Change::Status(ConvStatus::Open)),
            Action::Archive => self.act(crate::app::Change::Status(ConvStatus::Archived)),
            Action::Reply => self.open_composer(MessageKind::Reply),
            Action::Note => self.open_composer(MessageKind::Note),
            Action::MarkRead if in_notes => self.notifications.mark_read(&mut self.requests),
            Action::MarkAllRead => self.mark_all_notifications_read(),
            Action::Dismiss if in_notes => self.notifications.dismiss(&mut self.requests),
            Action::DismissAll => self.ask_dismiss_all(),
            Action::EditContact if self.focus == Pane::Contact => {
                self.open_contact_form();
                vec![]
            }
            Action::Comment if self.focus == Pane::Contact => {
                self.open_comment_form();
                vec![]
            }
            _ => self.does_nothing(a),
        }
    }

    fn on_search_key(&mut self, a: Action) -> Vec<Effect> {
        match a {
            Action::SearchInput(c) => {
                self.list.filters.search.push(c);
                self.reload()
            }
            Action::SearchBackspace => {
                if self.list.filters.search.pop().is_none() {
                    return vec![];
                }
                self.reload()
            }
            Action::ClearInput => {
                if self.list.filters.search.is_empty() {
                    return vec![];
                }
                self.list.filters.search.clear();
                self.reload()
            }
            Action::SearchAccept => {
                self.list.searching = false;
                vec![]
            }
            Action::Back => {
                self.list.searching = false;
                if self.list.filters.search.is_empty() {
                    return vec![];
                }
                self.list.filters.search.clear();
                self.reload()
            }
            Action::Quit => vec![Effect::Quit],
            _ => vec![],
        }
    }

    /// Enter outside the notifications pane: folds a session section, or opens the selected thread.
    fn open(&mut self) -> Vec<Effect> {
        match self.focus {
            Pane::Session => {
                self.detail.toggle_section();
                vec![]
            }
            Pane::List | Pane::Contact if self.thread.is_none() => match self.list.selected().map(|c| c.id.clone()) {
                Some(id) => self.open_thread(id),
                None => self.does_nothing(Action::Open),
            },
            _ => self.does_nothing(Action::Open),
        }
    }
}
