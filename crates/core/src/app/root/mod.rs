//! The root: `AppState` holds one state per feature, and the code here is the only code that touches
//! more than one of them. Each feature's own update lives beside its state (`list.rs`, `detail.rs`,
//! `thread.rs`, `composer.rs`, `triage.rs`, `notifications.rs`, `picker.rs`, `form.rs`, `status.rs`,
//! `requests.rs`) and is handed what it needs of the others as arguments; these files decide, for each
//! message, which features hear of it and in what order.

mod answer;
mod canned;
mod compose;
mod conversation;
mod copy;
mod idle;
mod live;
mod offline;
mod overlays;
mod palette;
mod queue;
mod selection;
mod templates;
mod triage;
mod update;

pub use update::{start, update};

use super::{
    Account, Compose, Connection, ConversationList, Deliveries, Detail, ErrorAbout, InputMode, Notifications, Offline,
    Overlays, Pane, Requests, StatusLine, Thread, Triage,
};
use crate::domain::{Clean, Conversation, Time};
use crate::protocol::{Request, RequestId};

/// Everything the screen shows: a small root holding each feature's state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Who is signed in where.
    pub account: Account,
    /// The conversation list.
    pub list: ConversationList,
    /// Marks and bulk actions.
    pub triage: Triage,
    /// Help, pickers, forms and questions over the screen.
    pub overlays: Overlays,
    /// Confirmations, errors and retry notes.
    pub status: StatusLine,
    /// The notifications pane.
    pub notifications: Notifications,
    /// The offline cache's contents.
    pub offline: Offline,
    /// The focused pane.
    pub focus: Pane,
    /// The shown conversation's contact and session.
    pub detail: Detail,
    /// The open thread, if any.
    pub thread: Option<Thread>,
    /// Live connection state.
    pub connection: Connection,
    /// Every request in flight, with what it is for.
    pub requests: Requests,
    /// The open composer and the saved drafts.
    pub compose: Compose,
    /// Replies whose delivery is still to be heard of.
    pub delivery: Deliveries,
    /// The clock, as of the last message that carried it.
    pub now: Time,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The terminal said it lost focus: the agent looks elsewhere (alerts may call them back).
    pub away: bool,
    /// The agent shows activities in threads (`H`): every thread opened shows them until `H` hides them.
    pub activities: bool,
}

impl AppState {
    /// A fresh state for `server` at time `now`.
    pub fn new(server: impl Into<String>, now: Time) -> Self {
        Self {
            account: Account {
                server: server.into(),
                me: None,
                agents: Vec::new(),
                labels: Vec::new(),
                unavailable: Vec::new(),
                backend_kind: "native",
                statuses: crate::app::STATUSES,
                search_covers: "subject, text, contact",
                read_only: false,
            },
            list: ConversationList::default(),
            triage: Triage::default(),
            overlays: Overlays::default(),
            status: StatusLine::default(),
            notifications: Notifications::default(),
            offline: Offline::default(),
            focus: Pane::List,
            detail: Detail::default(),
            thread: None,
            connection: Connection::Connecting,
            requests: Requests::default(),
            compose: Compose::default(),
            delivery: Deliveries::default(),
            now,
            size: (80, 24),
            away: false,
            activities: false,
        }
    }

    /// How keys should be read now.
    pub fn input_mode(&self) -> InputMode {
        if self.overlays.confirm.is_some() || self.compose.open.as_ref().is_some_and(|c| c.confirm_newer.is_some()) {
            InputMode::Confirm
        } else if self.overlays.help {
            InputMode::Normal
        } else if self.overlays.palette.is_some() {
            InputMode::Palette
        } else if self.overlays.form.is_some() {
            InputMode::Form
        } else if self.overlays.picker.is_some() {
            InputMode::Picker
        } else if self.compose.open.is_some() {
            InputMode::Composer
        } else if self.list.searching {
            InputMode::Search
        } else {
            InputMode::Normal
        }
    }

    /// Sends `request` for `purpose` (see [`Requests::send`]).
    pub fn send(&mut self, purpose: super::Purpose, request: Request) -> super::Effect {
        self.requests.send(purpose, request)
    }

    /// True while a request whose purpose satisfies `f` is in flight.
    pub fn awaits(&self, f: impl Fn(&super::Purpose) -> bool) -> bool {
        self.requests.awaits(f)
    }

    /// The purpose of request `id`, while it is in flight.
    pub fn purpose_of(&self, id: RequestId) -> Option<&super::Purpose> {
        self.requests.purpose_of(id)
    }

    /// Says a confirmation now.
    pub fn tell(&mut self, text: impl Into<String>) {
        self.status.tell(self.now, text);
    }

    /// Says an error about the last action.
    pub fn set_error(&mut self, text: impl Into<String>) {
        self.status.set_error(text);
    }

    /// Says an error about `about`.
    pub fn set_error_about(&mut self, about: ErrorAbout, text: impl Into<String>) {
        self.status.set_error_about(about, text);
    }

    /// Unread notifications.
    pub fn unread_notifications(&self) -> usize {
        self.notifications.unread()
    }

    /// An agent's name by id, falling back to the id.
    pub fn agent_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.account.agents.iter().find(|a| a.id == id).map(|a| a.name.as_str()).unwrap_or(id)
    }

    /// True when a draft (reply or note) waits in this conversation, saved or open.
    pub fn has_draft(&self, conversation_id: &str) -> bool {
        self.compose.has_draft(conversation_id)
    }

    /// The open thread, when it is conversation `id`'s.
    fn thread_of(&mut self, id: &str) -> Option<&mut Thread> {
        self.thread.as_mut().filter(|t| t.is(id))
    }

    /// The conversation the panels are about: the open thread's while one is open (as fetched, else as
    /// listed), else the selected row.
    pub fn shown_conversation(&self) -> Option<&Conversation> {
        if let Some(t) = &self.thread {
            return t.conversation.ready().or_else(|| self.list.get(&t.conversation_id));
        }
        self.list.selected()
    }

    /// The shown conversation's id and its contact's id.
    fn shown(&self) -> Option<(Clean, Option<Clean>)> {
        let contact = self.shown_conversation().map(|c| c.contact_id.clone());
        match &self.thread {
            Some(t) => Some((t.conversation_id.clone(), contact)),
            None => self.list.selected().map(|c| (c.id.clone(), contact)),
        }
    }

    /// What an action acts on: the marked rows, else the open thread's conversation, else the selected row
    /// (nothing while the notifications pane has focus).
    pub fn targets(&self) -> Vec<Conversation> {
        if !self.triage.marked.is_empty() {
            return self.triage.marked_in(&self.list.items);
        }
        if let Some(c) = self.thread.as_ref().and_then(|t| t.conversation.ready()) {
            return vec![c.clone()];
        }
        if self.focus == Pane::Notifications {
            return vec![];
        }
        self.list.selected().cloned().into_iter().collect()
    }
}
