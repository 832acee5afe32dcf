//! Pickers over agents, priorities and labels: type to filter (fuzzy), move, Enter to apply.

use super::{Action, AppState, Effect, Purpose, actions};
use crate::domain::{Clean, PersonRef, Priority};
use crate::protocol::Request;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// What a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// An agent to assign to.
    Assign,
    /// A priority.
    Priority,
    /// Labels to add or remove (several at once).
    Labels,
}

/// One choice.
#[derive(Debug, Clone, PartialEq)]
pub struct PickItem {
    /// What it stands for (agent id, priority, label name; "" for "unassign").
    pub id: Clean,
    /// What is shown and matched.
    pub label: String,
    /// Secondary text (availability, open conversations).
    pub detail: String,
    /// Ticked (labels).
    pub checked: bool,
    /// Ticked when the picker opened.
    pub initially: bool,
}

/// An open picker.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// What it chooses.
    pub kind: PickerKind,
    /// Its title.
    pub title: String,
    /// Every choice.
    pub items: Vec<PickItem>,
    /// The filter typed so far.
    pub filter: String,
    /// Indices of the items that match the filter, best first.
    pub shown: Vec<usize>,
    /// Position in `shown`.
    pub selected: usize,
    /// The choices are still on their way from the server.
    pub loading: bool,
    /// Why the choices could not be loaded.
    pub error: Option<String>,
}

impl Picker {
    fn new(kind: PickerKind, title: String, items: Vec<PickItem>) -> Self {
        let shown = (0..items.len()).collect();
        Picker { kind, title, items, filter: String::new(), shown, selected: 0, loading: false, error: None }
    }

    /// Re-ranks the items against the filter.
    fn refilter(&mut self) {
        if self.filter.trim().is_empty() {
            self.shown = (0..self.items.len()).collect();
        } else {
            let mut matcher = Matcher::new(Config::DEFAULT);
            let pattern = Pattern::parse(&self.filter, CaseMatching::Ignore, Normalization::Smart);
            let mut buf = Vec::new();
            let mut scored: Vec<(u32, usize)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, it)| {
                    let hay = format!("{} {}", it.label, it.detail);
                    pattern.score(Utf32Str::new(&hay, &mut buf), &mut matcher).map(|s| (s, i))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.shown = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.selected = 0;
    }

    /// The highlighted item.
    pub fn current(&self) -> Option<&PickItem> {
        self.shown.get(self.selected).map(|&i| &self.items[i])
    }
}

fn item(id: &str, label: &str, detail: String, checked: bool) -> PickItem {
    PickItem { id: id.into(), label: label.into(), detail, checked, initially: checked }
}

/// The title suffix saying how many conversations a picker acts on; `None` when there are none.
fn scope(state: &AppState) -> Option<String> {
    match actions::targets(state).len() {
        0 => None,
        1 => Some(String::new()),
        n => Some(format!(" ({n} conversations)")),
    }
}

fn agent_items(state: &AppState) -> Vec<PickItem> {
    let mut items = vec![item("", "Nobody (unassign)", String::new(), false)];
    // A server that does not count agents' conversations would show a misleading "0 open" for everyone.
    let counts = !state.account.unavailable.contains(&crate::domain::Capability::OpenCounts);
    for a in &state.account.agents {
        let you = if state.account.me.as_ref().is_some_and(|m| m.id == a.id) { " (you)" } else { "" };
        let avail = if a.available { "available" } else { "away" };
        let detail = if counts { format!("{avail} · {} open", a.open_conversations) } else { avail.to_string() };
        items.push(item(&a.id, &format!("{}{you}", a.name), detail, false));
    }
    items
}

/// Puts the assign picker's cursor on the current assignee (one target), else on the first agent: never on
/// "Nobody", so Enter without a look cannot unassign.
fn start_on_assignee(state: &AppState, p: &mut Picker) {
    let targets = actions::targets(state);
    let current = match targets.as_slice() {
        [one] => one.assignee.as_ref().map(|a| a.id.clone()),
        _ => None,
    };
    let at = current.and_then(|id| p.shown.iter().position(|&i| p.items[i].id == id));
    p.selected = at.unwrap_or(if p.shown.len() > 1 { 1 } else { 0 });
}

/// `a`: the agent picker. Before the agents have loaded it says so, and fills in when they arrive.
pub fn open_assign(state: &mut AppState) -> Vec<Effect> {
    let Some(scope) = scope(state) else {
        state.set_error("Nothing selected.");
        return vec![];
    };
    let mut p = Picker::new(PickerKind::Assign, format!(" Assign{scope} "), agent_items(state));
    let mut effects = vec![];
    if state.account.agents.is_empty() {
        p.loading = true;
        if !state.awaits(|p| *p == Purpose::Agents) {
            effects.push(state.send(Purpose::Agents, Request::Agents));
        }
    }
    start_on_assignee(state, &mut p);
    state.overlays.picker = Some(p);
    effects
}

/// The agents arrived: an open assign picker fills in, keeping what was typed.
pub fn agents_arrived(state: &mut AppState) {
    let Some(mut p) = state.overlays.picker.take() else { return };
    if p.kind == PickerKind::Assign && p.loading {
        p.items = agent_items(state);
        p.loading = false;
        p.refilter();
        if p.filter.trim().is_empty() {
            start_on_assignee(state, &mut p);
        }
    }
    state.overlays.picker = Some(p);
}

/// The labels arrived: an open label picker adds them, keeping what was ticked.
pub fn labels_arrived(state: &mut AppState) {
    let names: Vec<Clean> = state.account.labels.iter().map(|l| l.name.clone()).collect();
    let Some(p) = state.overlays.picker.as_mut().filter(|p| p.kind == PickerKind::Labels && p.loading) else { return };
    for n in names {
        if !p.items.iter().any(|i| i.id == n) {
            p.items.push(item(&n, &n, String::new(), false));
        }
    }
    p.loading = false;
    p.refilter();
}

/// The agents or labels could not be loaded: an open picker waiting for them says why.
pub fn list_failed(state: &mut AppState, reason: &str) {
    if let Some(p) = state.overlays.picker.as_mut().filter(|p| p.loading) {
        p.loading = false;
        p.error = Some(format!("Could not load the choices: {reason}"));
    }
}

/// `p`: the priority picker.
pub fn open_priority(state: &mut AppState) {
    let Some(scope) = scope(state) else {
        state.set_error("Nothing selected.");
        return;
    };
    let items = Priority::KNOWN.iter().rev().map(|p| item(p.as_str(), p.as_str(), String::new(), false)).collect();
    state.overlays.picker = Some(Picker::new(PickerKind::Priority, format!(" Priority{scope} "), items));
}

/// `l`: the label picker: ticked labels are on every target.
pub fn open_labels(state: &mut AppState) -> Vec<Effect> {
    let targets = actions::targets(state);
    let Some(scope) = scope(state) else {
        state.set_error("Nothing selected.");
        return vec![];
    };
    let mut names: Vec<Clean> = state.account.labels.iter().map(|l| l.name.clone()).collect();
    for t in &targets {
        for l in &t.labels {
            if !names.contains(l) {
                names.push(l.clone());
            }
        }
    }
    let items = names
        .iter()
        .map(|n| item(n, n, String::new(), !targets.is_empty() && targets.iter().all(|t| t.labels.contains(n))))
        .collect();
    let title = format!(" Labels{scope} · Tab ticks · Enter applies · type a new one ");
    let mut p = Picker::new(PickerKind::Labels, title, items);
    let mut effects = vec![];
    if state.account.labels.is_empty() {
        p.loading = true;
        if !state.awaits(|p| *p == Purpose::Labels) {
            effects.push(state.send(Purpose::Labels, Request::Labels));
        }
    }
    state.overlays.picker = Some(p);
    effects
}

/// Handles an action while a picker is open.
pub fn on_action(state: &mut AppState, a: Action) -> Vec<Effect> {
    let Some(p) = state.overlays.picker.as_mut() else { return vec![] };
    match a {
        Action::Back => state.overlays.picker = None,
        Action::SearchInput(c) => {
            p.filter.push(c);
            p.refilter();
        }
        Action::SearchBackspace => {
            p.filter.pop();
            p.refilter();
        }
        Action::Down => p.selected = (p.selected + 1).min(p.shown.len().saturating_sub(1)),
        Action::Up => p.selected = p.selected.saturating_sub(1),
        Action::Toggle => {
            if let Some(&i) = p.shown.get(p.selected) {
                p.items[i].checked = !p.items[i].checked;
            }
        }
        Action::Open => return apply(state),
        _ => {}
    }
    vec![]
}

fn apply(state: &mut AppState) -> Vec<Effect> {
    if let Some(p) = state.overlays.picker.as_mut().filter(|p| p.kind == PickerKind::Assign && p.loading) {
        // Enter before the agents arrived: nothing is chosen yet, and the picker says so instead of closing.
        p.error = Some("Still loading the agents — Enter again once they are listed".into());
        return vec![];
    }
    let Some(mut p) = state.overlays.picker.take() else { return vec![] };
    match p.kind {
        PickerKind::Assign => match p.current() {
            Some(it) if it.id.is_empty() => actions::assign(state, None),
            Some(it) => {
                let name =
                    state.account.agents.iter().find(|a| a.id == it.id).map(|a| a.name.clone()).unwrap_or_default();
                actions::assign(state, Some(PersonRef { id: it.id.clone(), name }))
            }
            None => vec![],
        },
        PickerKind::Priority => match p.current() {
            Some(it) => actions::set_priority(state, Priority::from(it.id.as_str())),
            None => vec![],
        },
        PickerKind::Labels => {
            let typed = crate::text::clean_line(&p.filter);
            let exists = p.items.iter().any(|i| i.label.eq_ignore_ascii_case(&typed));
            if !typed.is_empty() && !exists {
                // A label that does not exist yet: typing it and pressing Enter adds it.
                p.items.push(PickItem {
                    id: Clean::new(&typed),
                    label: typed,
                    detail: String::new(),
                    checked: true,
                    initially: false,
                });
            } else if p.items.iter().all(|i| i.checked == i.initially)
                && let Some(&i) = p.shown.get(p.selected)
            {
                // Nothing ticked yet: Enter toggles the highlighted label.
                p.items[i].checked = !p.items[i].checked;
            }
            let add: Vec<Clean> = p.items.iter().filter(|i| i.checked && !i.initially).map(|i| i.id.clone()).collect();
            let remove: Vec<Clean> =
                p.items.iter().filter(|i| !i.checked && i.initially).map(|i| i.id.clone()).collect();
            if add.is_empty() && remove.is_empty() {
                return vec![];
            }
            actions::change_labels(state, add, remove)
        }
    }
}
