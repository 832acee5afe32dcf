//! The command palette (`:`): every action by name, fuzzy-found, and commands with arguments
//! (`assign bruno`, `status resolved`, `label +vip -urgent`, `filter channel=whatsapp`…), completed with Tab
//! from what the server knows, remembered for ↑/↓. What a command does is decided at the root.

use super::{Account, Action, Change, View};
use crate::domain::{Channel, ConvStatus, PersonRef, Priority};
use crate::protocol::SortOrder;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// One command: its name, what it takes, the action it stands for (whose key the palette shows), and help.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Command {
    /// What is typed.
    pub name: &'static str,
    /// Its arguments, as help writes them ("" for none).
    pub args: &'static str,
    /// The action whose key does the same, if one does.
    pub action: Option<Action>,
    /// One line about it.
    pub help: &'static str,
}

const fn c(name: &'static str, args: &'static str, action: Option<Action>, help: &'static str) -> Command {
    Command { name, args, action, help }
}

/// Every command, in the order an empty palette lists them.
pub const COMMANDS: &[Command] = &[
    c("assign", "<agent|me|none>", Some(Action::Assign), "assign to an agent, to me, or to nobody"),
    c("status", "<status>", None, "set the status (open, closed, …)"),
    c("priority", "<low|medium|high>", Some(Action::Priority), "set the priority"),
    c("label", "+add -remove …", Some(Action::Labels), "add and remove labels"),
    c("filter", "channel= label= status=", None, "filter the list (any clears one)"),
    c("sort", "<latest|oldest|waiting|priority>", Some(Action::CycleSort), "sort the list"),
    c("view", "<mine|unassigned|all>", None, "switch view"),
    c("open", "<conversation id>", None, "open a conversation by id"),
    c("undo", "", Some(Action::Undo), "undo the last change (within a minute)"),
    c("close", "", Some(Action::Close), "close"),
    c("reopen", "", Some(Action::Reopen), "reopen"),
    c("archive", "", Some(Action::Archive), "archive"),
    c("take-next", "", Some(Action::TakeNext), "take the next waiting conversation"),
    c("reply", "", Some(Action::Reply), "write a reply"),
    c("note", "", Some(Action::Note), "write a private note"),
    c("template", "", Some(Action::Templates), "send a WhatsApp template"),
    c("refresh", "", Some(Action::Refresh), "reload from the server"),
    c("search", "", Some(Action::Search), "search the list"),
    c("mark-all", "", Some(Action::MarkAll), "mark every row in view"),
    c("edit-contact", "", Some(Action::EditContact), "edit the contact (contact pane)"),
    c("comment", "", Some(Action::Comment), "comment on the contact (contact pane)"),
    c("read-all", "", Some(Action::MarkAllRead), "mark every notification read"),
    c("dismiss-all", "", Some(Action::DismissAll), "dismiss every notification"),
    c("copy", "", Some(Action::Copy), "copy what is focused"),
    c("activities", "", Some(Action::Activities), "show or hide the thread's activities"),
    c("help", "", Some(Action::Help), "every key"),
    c("quit", "", Some(Action::Quit), "leave tinbox"),
];

/// What a palette line asks for, once read.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    /// What a key does.
    Action(Action),
    /// A change to the targets.
    Change(Change),
    /// New list filters: for each, `Some(None)` clears it and `None` leaves it.
    Filter {
        /// The channel filter.
        channel: Option<Option<Channel>>,
        /// The label filter.
        label: Option<Option<crate::domain::Clean>>,
        /// The status filter.
        status: Option<Option<String>>,
    },
    /// A sort.
    Sort(SortOrder),
    /// A view.
    View(View),
    /// A conversation to open.
    Open(crate::domain::Clean),
}

/// A line shown under the input: what Tab would put there, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The text Tab puts in place of the word being typed.
    pub text: String,
    /// The command it is, when it is one (for its key and help).
    pub command: Option<Command>,
}

/// The open palette.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Palette {
    /// What is typed.
    pub input: String,
    /// What would complete it, best first.
    pub shown: Vec<Suggestion>,
    /// The highlighted suggestion.
    pub selected: usize,
    /// Where ↑/↓ are in the history, while browsing it.
    pub browsing: Option<usize>,
    /// Why the last line could not run.
    pub error: Option<String>,
}

/// Lines run, oldest first, at most this many.
pub const HISTORY_CAP: usize = 50;

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// The first name of each agent (lowercased), as typed after `assign`.
fn agent_words(account: &Account) -> Vec<String> {
    let mut words = vec!["me".to_string(), "none".to_string()];
    for a in &account.agents {
        let first = lower(a.name.split_whitespace().next().unwrap_or(&a.name));
        if !words.contains(&first) {
            words.push(first);
        }
    }
    words
}

/// What may follow `command` as its last word, given the words before.
fn candidates(command: &str, account: &Account) -> Vec<String> {
    let labels = || account.labels.iter().map(|l| l.name.to_string());
    match command {
        "assign" => agent_words(account),
        "status" => account.statuses.iter().map(|s| s.to_string()).collect(),
        "priority" => Priority::KNOWN.iter().map(|p| p.as_str().to_string()).collect(),
        "label" => labels().flat_map(|l| [format!("+{l}"), format!("-{l}")]).collect(),
        "filter" => Channel::KNOWN
            .iter()
            .map(|c| format!("channel={c}"))
            .chain(labels().map(|l| format!("label={l}")))
            .chain(account.statuses.iter().map(|s| format!("status={s}")))
            .chain(["channel=any", "label=any", "status=any"].map(String::from))
            .collect(),
        "sort" => ["latest", "oldest", "waiting", "priority"].map(String::from).to_vec(),
        "view" => ["mine", "unassigned", "all"].map(String::from).to_vec(),
        _ => vec![],
    }
}

/// `items` that fuzzy-match `typed`, best first (all of them, in order, when nothing is typed).
fn fuzzy<T: Clone>(typed: &str, items: &[T], key: impl Fn(&T) -> String) -> Vec<T> {
    if typed.trim().is_empty() {
        return items.to_vec();
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(typed, CaseMatching::Ignore, Normalization::Smart);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| pattern.score(Utf32Str::new(&key(it), &mut buf), &mut matcher).map(|s| (s, i)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| items[i].clone()).collect()
}

impl Palette {
    /// A palette with `input` typed, its suggestions worked out.
    pub fn new(input: &str, account: &Account) -> Palette {
        let mut p = Palette { input: input.to_string(), ..Default::default() };
        p.refresh(account);
        p
    }

    /// Works the suggestions out again after the input changed.
    pub fn refresh(&mut self, account: &Account) {
        self.selected = 0;
        self.error = None;
        self.shown = match self.input.split_once(' ') {
            None => fuzzy(&self.input, COMMANDS, |c| c.name.to_string())
                .into_iter()
                .map(|c| Suggestion { text: c.name.to_string(), command: Some(c) })
                .collect(),
            Some((command, rest)) => {
                let last = rest.rsplit(' ').next().unwrap_or("");
                let words = candidates(command, account);
                let prefixed: Vec<String> = words.iter().filter(|w| w.starts_with(&lower(last))).cloned().collect();
                let found = if prefixed.is_empty() { fuzzy(last, &words, String::clone) } else { prefixed };
                found.into_iter().map(|text| Suggestion { text, command: None }).collect()
            }
        };
    }

    /// Tab: the highlighted suggestion replaces the word being typed (a command that takes arguments gets
    /// its space).
    pub fn complete(&mut self, account: &Account) {
        let Some(s) = self.shown.get(self.selected).cloned() else { return };
        match self.input.rfind(' ') {
            None => {
                let takes = s.command.is_some_and(|c| !c.args.is_empty());
                self.input = format!("{}{}", s.text, if takes { " " } else { "" });
            }
            Some(at) => {
                let many = self.input.starts_with("label ") || self.input.starts_with("filter ");
                self.input = format!("{} {}{}", &self.input[..at], s.text, if many { " " } else { "" });
            }
        }
        self.refresh(account);
    }

    /// The command Enter runs when only part of a name is typed: the highlighted one.
    pub fn chosen_line(&self) -> String {
        match (self.input.contains(' '), self.shown.get(self.selected)) {
            (false, Some(Suggestion { command: Some(c), .. })) => c.name.to_string(),
            _ => self.input.trim().to_string(),
        }
    }
}

/// Reads a palette line; the error says what was wrong in words.
pub fn parse(line: &str, account: &Account) -> Result<Run, String> {
    let mut words = line.split_whitespace();
    let name = lower(words.next().unwrap_or(""));
    let args: Vec<&str> = words.collect();
    let Some(command) = COMMANDS.iter().find(|c| c.name == name) else {
        return Err(format!("No command {name:?}: type to search the commands"));
    };
    let one = || match args.as_slice() {
        [a] => Ok(lower(a)),
        [] => Err(format!("{} needs {}", command.name, command.args)),
        _ => Err(format!("{} takes one word: {}", command.name, command.args)),
    };
    match command.name {
        "assign" => assignee(&one()?, account).map(Run::Change),
        "status" => {
            let s = one()?;
            if account.statuses.contains(&s.as_str()) {
                Ok(Run::Change(Change::Status(ConvStatus::from(s))))
            } else {
                Err(format!("No status {s:?} here: {}", account.statuses.join(", ")))
            }
        }
        "priority" => {
            let p = one()?;
            match Priority::KNOWN.iter().find(|k| k.as_str() == p) {
                Some(k) => Ok(Run::Change(Change::Priority(k.clone()))),
                None => Err(format!("No priority {p:?}: low, medium or high")),
            }
        }
        "label" => labels(&args, account).map(Run::Change),
        "filter" => filter(&args, account),
        "sort" => match one()?.as_str() {
            "latest" => Ok(Run::Sort(SortOrder::Latest)),
            "oldest" => Ok(Run::Sort(SortOrder::Oldest)),
            "waiting" => Ok(Run::Sort(SortOrder::Waiting)),
            "priority" => Ok(Run::Sort(SortOrder::Priority)),
            other => Err(format!("No sort {other:?}: latest, oldest, waiting or priority")),
        },
        "view" => match one()?.as_str() {
            "mine" => Ok(Run::View(View::Mine)),
            "unassigned" => Ok(Run::View(View::Unassigned)),
            "all" => Ok(Run::View(View::All)),
            other => Err(format!("No view {other:?}: mine, unassigned or all")),
        },
        "open" => match args.as_slice() {
            [id] => Ok(Run::Open(crate::domain::Clean::new(id))),
            _ => Err("open needs a conversation id".into()),
        },
        _ if !args.is_empty() => Err(format!("{} takes no arguments", command.name)),
        _ => command.action.map(Run::Action).ok_or_else(|| format!("{} cannot run alone", command.name)),
    }
}

/// `assign WHO`: me, none, or the one agent whose name or id starts with it.
fn assignee(who: &str, account: &Account) -> Result<Change, String> {
    match who {
        "none" | "nobody" => return Ok(Change::Assign { to: None, me: false }),
        "me" => {
            let me = account.me.as_ref().ok_or("Still signing in; try again in a moment")?;
            return Ok(Change::Assign { to: Some(PersonRef { id: me.id.clone(), name: me.name.clone() }), me: true });
        }
        _ => {}
    }
    let found: Vec<_> = account
        .agents
        .iter()
        .filter(|a| lower(&a.id) == who || lower(&a.name).split_whitespace().any(|w| w.starts_with(who)))
        .collect();
    match found.as_slice() {
        [a] => {
            let me = account.me.as_ref().is_some_and(|m| m.id == a.id);
            Ok(Change::Assign { to: Some(PersonRef { id: a.id.clone(), name: a.name.clone() }), me })
        }
        [] => Err(format!("No agent called {who:?}")),
        many => {
            let names: Vec<&str> = many.iter().map(|a| a.name.as_str()).collect();
            Err(format!("{who:?} is {}: type more of the name", names.join(" or ")))
        }
    }
}

/// `label +vip -urgent billing`: a bare name adds.
fn labels(args: &[&str], account: &Account) -> Result<Change, String> {
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    for a in args {
        let (list, name) = match (a.strip_prefix('+'), a.strip_prefix('-')) {
            (_, Some(n)) => (&mut remove, n),
            (Some(n), _) => (&mut add, n),
            _ => (&mut add, *a),
        };
        let known = account.labels.iter().find(|l| lower(&l.name) == lower(name));
        let Some(label) = known else { return Err(format!("No label {name:?} on this server")) };
        list.push(label.name.clone());
    }
    if add.is_empty() && remove.is_empty() {
        return Err("label needs +name or -name".into());
    }
    Ok(Change::Labels { add, remove })
}

/// `filter channel=whatsapp label=vip status=open`; `any` clears one.
fn filter(args: &[&str], account: &Account) -> Result<Run, String> {
    let (mut channel, mut label, mut status) = (None, None, None);
    if args.is_empty() {
        return Err("filter needs channel=, label= or status=".into());
    }
    for a in args {
        let Some((key, value)) = a.split_once('=') else { return Err(format!("{a:?}: write key=value")) };
        let value = lower(value);
        let any = value.is_empty() || value == "any";
        match key {
            "channel" if any => channel = Some(None),
            "channel" => match Channel::KNOWN.iter().find(|c| c.as_str() == value) {
                Some(c) => channel = Some(Some(c.clone())),
                None => return Err(format!("No channel {value:?}: whatsapp, instagram, sms or email")),
            },
            "label" if any => label = Some(None),
            "label" => match account.labels.iter().find(|l| lower(&l.name) == value) {
                Some(l) => label = Some(Some(l.name.clone())),
                None => return Err(format!("No label {value:?} on this server")),
            },
            "status" if any => status = Some(None),
            "status" if account.statuses.contains(&value.as_str()) => status = Some(Some(value)),
            "status" => return Err(format!("No status {value:?} here: {}", account.statuses.join(", "))),
            other => return Err(format!("Cannot filter by {other:?}: channel, label or status")),
        }
    }
    Ok(Run::Filter { channel, label, status })
}
