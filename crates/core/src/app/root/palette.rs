//! The palette across features: its keys, and each command it runs on the feature it concerns; and `U`,
//! which takes the last change set back by sending the inverse changes.

use super::AppState;
use crate::app::palette::{HISTORY_CAP, Palette, Run, parse};
use crate::app::{Action, Change, Effect, Pane, Undo, capability};
use crate::domain::Conversation;

/// How long a change set can be taken back.
pub const UNDO_FOR: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

impl AppState {
    /// `:`: the palette, empty, listing every command.
    pub(super) fn open_palette(&mut self) -> Vec<Effect> {
        self.overlays.palette = Some(Palette::new("", &self.account));
        vec![]
    }

    /// A key in the open palette.
    pub(super) fn palette_action(&mut self, a: Action) -> Vec<Effect> {
        let Some(p) = self.overlays.palette.as_mut() else { return vec![] };
        let history = &self.overlays.history;
        match a {
            Action::SearchInput(c) => {
                p.input.push(c);
                p.browsing = None;
                p.refresh(&self.account);
            }
            Action::SearchBackspace => {
                p.input.pop();
                p.browsing = None;
                p.refresh(&self.account);
            }
            Action::ClearInput => {
                p.input.clear();
                p.browsing = None;
                p.refresh(&self.account);
            }
            Action::Toggle => p.complete(&self.account),
            // ↑/↓ walk the history while the line is empty or already from it; else the suggestions.
            Action::Up | Action::Down if p.input.is_empty() || p.browsing.is_some() => {
                let at = match (a, p.browsing) {
                    (Action::Up, None) => history.len().checked_sub(1),
                    (Action::Up, Some(i)) => Some(i.saturating_sub(1)),
                    (_, Some(i)) if i + 1 < history.len() => Some(i + 1),
                    _ => None,
                };
                *p = Palette::new(at.and_then(|i| history.get(i)).map(String::as_str).unwrap_or(""), &self.account);
                p.browsing = at;
            }
            Action::Up => p.selected = p.selected.saturating_sub(1),
            Action::Down => p.selected = (p.selected + 1).min(p.shown.len().saturating_sub(1)),
            Action::Open => return self.run_palette_line(),
            Action::Back => self.overlays.palette = None,
            Action::Quit => return vec![Effect::SaveNow, Effect::Quit],
            _ => {}
        }
        vec![]
    }

    /// Enter: runs the line (a command named in part runs the one highlighted; one that needs arguments
    /// gets them asked for).
    fn run_palette_line(&mut self) -> Vec<Effect> {
        let Some(p) = self.overlays.palette.as_mut() else { return vec![] };
        let chosen = p.shown.get(p.selected).and_then(|s| s.command);
        if !p.input.contains(' ') && chosen.is_some_and(|c| !c.args.is_empty()) {
            p.complete(&self.account);
            return vec![];
        }
        let line = p.chosen_line();
        match parse(&line, &self.account) {
            Err(why) => {
                p.error = Some(why);
                vec![]
            }
            Ok(run) => {
                self.overlays.palette = None;
                if self.overlays.history.last() != Some(&line) {
                    self.overlays.history.push(line);
                }
                let over = self.overlays.history.len().saturating_sub(HISTORY_CAP);
                self.overlays.history.drain(..over);
                self.run(run)
            }
        }
    }

    /// Does what a palette line asked, with every check its key would have.
    fn run(&mut self, run: Run) -> Vec<Effect> {
        match run {
            Run::Action(a) => self.on_action(a),
            Run::Change(change) => {
                let action = match &change {
                    Change::Assign { .. } => Action::Assign,
                    Change::Status(_) => Action::Close,
                    Change::Priority(_) => Action::Priority,
                    Change::Labels { .. } => Action::Labels,
                };
                if let Some(why) = self.refusal(action) {
                    self.set_error(why);
                    return vec![];
                }
                self.act(change)
            }
            Run::Filter { channel, label, status } => {
                if let Some(why) = channel.is_some().then(|| self.refusal(Action::CycleChannel)).flatten() {
                    self.set_error(why);
                    return vec![];
                }
                if let Some(c) = channel {
                    self.list.filters.channel = c;
                }
                if let Some(l) = label {
                    self.list.filters.label = l;
                }
                if let Some(s) = status {
                    self.list.filters.status = s;
                }
                self.reload()
            }
            Run::Sort(sort) => {
                self.list.set_sort(sort);
                vec![self.list.load_page(1, &mut self.requests)]
            }
            Run::View(v) => self.set_view(v),
            Run::Open(id) => {
                self.focus = Pane::List;
                self.open_thread(id)
            }
        }
    }

    /// Why `a` cannot be done here, if it cannot: read-only, the server, or the agent's role.
    pub(super) fn refusal(&self, a: Action) -> Option<String> {
        if self.account.read_only && a.writes() {
            return Some("Read-only: changes are off".into());
        }
        let cap = capability(a)?;
        if self.account.unavailable.contains(&cap) {
            return Some(format!("Not available on this {} server: {cap}", self.account.backend_kind));
        }
        if self.account.me.as_ref().is_some_and(|m| m.cannot.contains(&cap)) {
            return Some(format!("Your role on this server does not allow {cap}"));
        }
        None
    }

    /// `U`: the last change set, taken back within a minute by the inverse changes (asked first when many).
    pub(super) fn undo(&mut self) -> Vec<Effect> {
        let items = match self.triage.undo.clone() {
            None => {
                self.set_error("Nothing to undo");
                return vec![];
            }
            Some(Undo::Sent) => {
                self.set_error("A sent message cannot be undone: it has reached the customer");
                return vec![];
            }
            Some(Undo::Changes { at, .. }) if self.now - at > UNDO_FOR => {
                self.set_error("Too late to undo: changes can be taken back for a minute");
                return vec![];
            }
            Some(Undo::Changes { items, .. }) if items.is_empty() => {
                self.set_error("Nothing to undo: the last change was refused");
                return vec![];
            }
            Some(Undo::Changes { items, .. }) => items,
        };
        let me = self.account.me.as_ref().map(|m| m.id.to_string());
        let inverse: Vec<(Conversation, Change)> = items
            .iter()
            .map(|(before, change)| {
                let now = self.list.get(&before.id).cloned().unwrap_or_else(|| {
                    let mut after = before.clone();
                    change.apply(&mut after);
                    after
                });
                (now, change.inverse(before, me.as_deref()))
            })
            .collect();
        let words = inverse[0].1.clone();
        self.triage.undo = None;
        self.ask_or_apply(inverse, words, true)
    }
}
