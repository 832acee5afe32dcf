//! Pickers over agents, priorities and labels: type to filter (fuzzy), move, Enter to apply.

use super::{Account, Action, Change, Effect, Overlays, Purpose, Requests};
use crate::domain::{Capability, Clean, Conversation, PersonRef, Priority};
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
    /// A WhatsApp template to send.
    Template,
    /// A canned response to insert into the composer.
    Canned,
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
    pub(crate) fn new(kind: PickerKind, title: String, items: Vec<PickItem>) -> Self {
        let shown = (0..items.len()).collect();
        Picker { kind, title, items, filter: String::new(), shown, selected: 0, loading: false, error: None }
    }

    /// A loading picker's choices arrived: they are listed (ranked against what was typed meanwhile), or
    /// `none` says why there are none.
    pub(crate) fn arrived(&mut self, items: Vec<PickItem>, none: &str) {
        if items.is_empty() {
            self.error = Some(none.to_string());
        }
        self.items = items;
        self.loading = false;
        self.refilter();
    }

    /// Re-ranks the items against the filter.
    pub(crate) fn refilter(&mut self) {
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

/// The title's note of what a picker acts on (`None`: nothing to act on).
fn scope(targets: &[Conversation]) -> Option<String> {
    match targets.len() {
        0 => None,
        1 => Some(String::new()),
        n => Some(format!(" ({n} conversations)")),
    }
}

fn agent_items(account: &Account) -> Vec<PickItem> {
    let mut items = vec![item("", "Nobody (unassign)", String::new(), false)];
    // A server that does not count agents' conversations would show a misleading "0 open" for everyone.
    let counts = !account.unavailable.contains(&Capability::OpenCounts);
    for a in &account.agents {
        let you = if account.me.as_ref().is_some_and(|m| m.id == a.id) { " (you)" } else { "" };
        let avail = if a.available { "available" } else { "away" };
        let detail = if counts { format!("{avail} · {} open", a.open_conversations) } else { avail.to_string() };
        items.push(item(&a.id, &format!("{}{you}", a.name), detail, false));
    }
    items
}

/// The one target's assignee, when there is exactly one target.
fn assignee(targets: &[Conversation]) -> Option<Clean> {
    match targets {
        [one] => one.assignee.as_ref().map(|a| a.id.clone()),
        _ => None,
    }
}

impl Picker {
    /// Starts on the current assignee, else the first agent (never on "Nobody" by default).
    fn start_on(&mut self, assignee: Option<Clean>) {
        let at = assignee.and_then(|id| self.shown.iter().position(|&i| self.items[i].id == id));
        self.selected = at.unwrap_or(if self.shown.len() > 1 { 1 } else { 0 });
    }

    /// `a`: the assign picker over `targets`; it says it is loading while the agents are asked for.
    pub fn assign(account: &Account, targets: &[Conversation], out: &mut Requests) -> Option<(Picker, Vec<Effect>)> {
        let scope = scope(targets)?;
        let mut p = Picker::new(PickerKind::Assign, format!(" Assign{scope} "), agent_items(account));
        let mut effects = vec![];
        if account.agents.is_empty() {
            p.loading = true;
            if !out.awaits(|p| *p == Purpose::Agents) {
                effects.push(out.send(Purpose::Agents, Request::Agents));
            }
        }
        p.start_on(assignee(targets));
        Some((p, effects))
    }

    /// `p`: the priority picker over `targets`.
    pub fn priority(targets: &[Conversation]) -> Option<Picker> {
        let scope = scope(targets)?;
        let items = Priority::KNOWN.iter().rev().map(|p| item(p.as_str(), p.as_str(), String::new(), false)).collect();
        Some(Picker::new(PickerKind::Priority, format!(" Priority{scope} "), items))
    }

    /// `l`: the labels picker over `targets`, ticked where every target has the label.
    pub fn labels(account: &Account, targets: &[Conversation], out: &mut Requests) -> Option<(Picker, Vec<Effect>)> {
        let scope = scope(targets)?;
        let mut names: Vec<Clean> = account.labels.iter().map(|l| l.name.clone()).collect();
        for t in targets {
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
        if account.labels.is_empty() {
            p.loading = true;
            if !out.awaits(|p| *p == Purpose::Labels) {
                effects.push(out.send(Purpose::Labels, Request::Labels));
            }
        }
        Some((p, effects))
    }

    /// Enter: the change chosen, if any (the picker stays open while its list is still loading).
    fn apply(&mut self, account: &Account) -> Result<Option<Change>, ()> {
        if self.kind == PickerKind::Assign && self.loading {
            // Enter before the agents arrived: nothing is chosen yet, and the picker says so instead of closing.
            self.error = Some("Still loading the agents — Enter again once they are listed".into());
            return Err(());
        }
        Ok(match self.kind {
            PickerKind::Assign => self.current().map(|it| {
                let to = (!it.id.is_empty()).then(|| {
                    let name = account.agents.iter().find(|a| a.id == it.id).map(|a| a.name.clone());
                    PersonRef { id: it.id.clone(), name: name.unwrap_or_default() }
                });
                let me = to.as_ref().is_some_and(|a| account.me.as_ref().is_some_and(|m| m.id == a.id));
                Change::Assign { to, me }
            }),
            PickerKind::Priority => self.current().map(|it| Change::Priority(Priority::from(it.id.as_str()))),
            PickerKind::Labels => self.chosen_labels(),
            // Chosen through the template flow, not as a change to the conversation.
            PickerKind::Template | PickerKind::Canned => None,
        })
    }

    fn chosen_labels(&mut self) -> Option<Change> {
        let typed = crate::text::clean_line(&self.filter);
        let exists = self.items.iter().any(|i| i.label.eq_ignore_ascii_case(&typed));
        if !typed.is_empty() && !exists {
            // A label that does not exist yet: typing it and pressing Enter adds it.
            self.items.push(PickItem {
                id: Clean::new(&typed),
                label: typed,
                detail: String::new(),
                checked: true,
                initially: false,
            });
        } else if self.items.iter().all(|i| i.checked == i.initially)
            && let Some(&i) = self.shown.get(self.selected)
        {
            // Nothing ticked yet: Enter toggles the highlighted label.
            self.items[i].checked = !self.items[i].checked;
        }
        let add: Vec<Clean> = self.items.iter().filter(|i| i.checked && !i.initially).map(|i| i.id.clone()).collect();
        let remove: Vec<Clean> =
            self.items.iter().filter(|i| !i.checked && i.initially).map(|i| i.id.clone()).collect();
        (!add.is_empty() || !remove.is_empty()).then_some(Change::Labels { add, remove })
    }
}

impl Overlays {
    /// The agents arrived: a loading assign picker fills, starting on the assignee of `targets`.
    pub fn agents_arrived(&mut self, account: &Account, targets: &[Conversation]) {
        let Some(p) = self.picker.as_mut().filter(|p| p.kind == PickerKind::Assign && p.loading) else { return };
        p.items = agent_items(account);
        p.loading = false;
        p.refilter();
        if p.filter.trim().is_empty() {
            p.start_on(assignee(targets));
        }
    }

    /// The labels arrived: a loading labels picker lists them.
    pub fn labels_arrived(&mut self, account: &Account) {
        let Some(p) = self.picker.as_mut().filter(|p| p.kind == PickerKind::Labels && p.loading) else { return };
        for l in &account.labels {
            if !p.items.iter().any(|i| i.id == l.name) {
                p.items.push(item(&l.name, &l.name, String::new(), false));
            }
        }
        p.loading = false;
        p.refilter();
    }

    /// A picker's list could not be loaded.
    pub fn list_failed(&mut self, reason: &str) {
        if let Some(p) = self.picker.as_mut().filter(|p| p.loading) {
            p.loading = false;
            p.error = Some(format!("Could not load the choices: {reason}"));
        }
    }

    /// A key in the open picker: the change chosen when Enter closes it.
    pub fn picker_action(&mut self, a: Action, account: &Account) -> Option<Change> {
        let p = self.picker.as_mut()?;
        match a {
            Action::Back => self.picker = None,
            Action::SearchInput(c) => {
                p.filter.push(c);
                p.refilter();
            }
            Action::SearchBackspace => {
                p.filter.pop();
                p.refilter();
            }
            Action::ClearInput => {
                p.filter.clear();
                p.refilter();
            }
            Action::Down => p.selected = (p.selected + 1).min(p.shown.len().saturating_sub(1)),
            Action::Up => p.selected = p.selected.saturating_sub(1),
            Action::Toggle => {
                if let Some(&i) = p.shown.get(p.selected) {
                    p.items[i].checked = !p.items[i].checked;
                }
            }
            Action::Open => {
                let chosen = p.apply(account).ok()?;
                self.picker = None;
                return chosen;
            }
            _ => {}
        }
        None
    }
}
