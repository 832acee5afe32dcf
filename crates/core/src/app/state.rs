//! What the UI task owns.

use crate::domain::*;
use crate::protocol::RequestId;
use crate::protocol::SortOrder;
use std::collections::{BTreeSet, HashMap};

/// How the live connection stands, as the status line says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    /// Not yet connected.
    Connecting,
    /// The live stream is open.
    Live,
    /// Polling (the server has no stream).
    Polling,
    /// Polling because the server refused the live connection.
    Refused,
    /// Down since `since`; next attempt at `retry_at`.
    Offline {
        /// When the link went down.
        since: Time,
        /// When the next attempt happens.
        retry_at: Time,
    },
}

/// Which conversations the list shows, by owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Assigned to me.
    Mine,
    /// Assigned to nobody.
    Unassigned,
    /// Everyone's.
    All,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [View; 3] = [View::Mine, View::Unassigned, View::All];

    /// The view's name.
    pub fn label(self) -> &'static str {
        match self {
            View::Mine => "Mine",
            View::Unassigned => "Unassigned",
            View::All => "All",
        }
    }

    /// Whose conversations it lists.
    pub fn assigned_to(self) -> Option<crate::protocol::Assigned> {
        match self {
            View::Mine => Some(crate::protocol::Assigned::Me),
            View::Unassigned => Some(crate::protocol::Assigned::Nobody),
            View::All => None,
        }
    }
}

/// Rows of each view's first page the offline cache keeps.
pub const PAGE_ROWS_CACHED: usize = 100;

/// The statuses `s` cycles through (then every status) unless the backend names its own.
pub const STATUSES: &[&str] = &["open", "closed", "archived"];
/// The sorts `o` cycles through.
pub const SORT_CYCLE: [SortOrder; 3] = [SortOrder::Latest, SortOrder::Waiting, SortOrder::Priority];

/// The list's filters.
#[derive(Debug, Clone, PartialEq)]
pub struct Filters {
    /// Mine, Unassigned or All.
    pub view: View,
    /// Status filter (`None`: every status).
    pub status: Option<String>,
    /// Sort order.
    pub sort: SortOrder,
    /// Search text ("" for none).
    pub search: String,
    /// Only this channel (`None`: every channel).
    pub channel: Option<crate::domain::Channel>,
    /// Only conversations with this label (`None`: any).
    pub label: Option<crate::domain::Clean>,
}

impl Default for Filters {
    fn default() -> Self {
        Self {
            view: View::All,
            status: Some("open".into()),
            sort: SortOrder::Latest,
            search: String::new(),
            channel: None,
            label: None,
        }
    }
}

/// The panes focus moves between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The conversation list (or the open thread).
    List,
    /// The contact panel.
    Contact,
    /// The chatbot session panel.
    Session,
    /// The notifications pane.
    Notifications,
}

impl Pane {
    /// Panes in Tab order.
    pub const ORDER: [Pane; 4] = [Pane::List, Pane::Contact, Pane::Session, Pane::Notifications];
}

/// Something loaded on demand.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Load<T> {
    /// Not asked for.
    #[default]
    Idle,
    /// Asked for; the answer is on its way.
    Loading,
    /// Here.
    Ready(T),
    /// Failed, with the reason in words.
    Failed(String),
}

impl<T> Load<T> {
    /// The value, when ready.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }
}

/// The conversation list and its loading state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConversationList {
    /// Rows loaded so far.
    pub items: Vec<Conversation>,
    /// Index of the selected row.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    /// Total on the server for the current filters.
    pub total: u64,
    /// Last page loaded.
    pub page: u32,
    /// More pages exist.
    pub has_more: bool,
    /// Page 1 on screen is a fresh answer under these filters: a reload may be answered "unchanged".
    pub revalidate: bool,
    /// True once the first answer for the current filters arrived.
    pub loaded: bool,
    /// Its filters.
    pub filters: Filters,
    /// True while the search line takes keystrokes.
    pub searching: bool,
    /// View counts for the header.
    pub counts: Counts,
    /// Rows the server sent that could not be read (skipped, and said so).
    pub skipped: usize,
    /// Why the last load failed, while no newer page has arrived.
    pub failed: Option<String>,
    /// The rows' ids, kept with `items` by the list's own methods (and rebuilt when they are set directly).
    pub index: super::RowIndex,
    /// Rows asked for per page: the server's maximum (0: [`super::PAGE_SIZE`]).
    pub page_size: u32,
    /// Live changes heard since page 1 was last asked for (with whether each fits the filters): that page
    /// may have been read before them, and must not undo them.
    pub heard: Vec<(Conversation, bool)>,
    /// G was pressed while more pages were to come: each page that arrives moves the selection to its last
    /// row and the next is asked for at once, until the end (or any other key).
    pub to_end: bool,
}

impl ConversationList {
    /// The selected conversation.
    pub fn selected(&self) -> Option<&Conversation> {
        self.items.get(self.selected)
    }
}

/// The contact and session panels for the selected conversation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    /// The conversation whose contact is shown.
    pub conversation_id: Option<Clean>,
    /// The contact's id.
    pub contact_id: Option<Clean>,
    /// The contact, fresh from the server.
    pub contact: Load<Contact>,
    /// The chatbot session.
    pub session: Load<SessionData>,
    /// Folded state of collapsible sections, by section id.
    pub collapsed: HashMap<Clean, bool>,
    /// The focused section in the session panel.
    pub section: usize,
    /// The contact's comments, newest first.
    pub comments: Load<Vec<Comment>>,
    /// The contact's files.
    pub files: Load<Vec<FileRef>>,
    /// Lines the contact panel is scrolled down.
    pub contact_scroll: usize,
    /// Panels of contacts seen lately (kept when the selection moves).
    pub cache: super::DetailCache,
    /// What the panels showed before the selection moved: shown, marked as updating, until the new
    /// contact's panels arrive.
    pub before: Option<Box<super::Panes>>,
    /// The panels shown came from the cache and are being checked with the server.
    pub checking: bool,
    /// Who handles the conversation the panels follow (set by the root, which holds the conversations).
    pub handler: Option<crate::domain::PersonRef>,
    /// Who handled the conversation the panels in `before` were shown for.
    pub before_handler: Option<crate::domain::PersonRef>,
}

/// The thread view opened with Enter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thread {
    /// The conversation shown.
    pub conversation_id: Clean,
    /// The conversation itself, for the title (from the list, or fetched when the list lacks it).
    pub conversation: Load<Conversation>,
    /// Its messages, oldest first.
    pub messages: Load<Vec<Message>>,
    /// Lines scrolled up from the bottom.
    pub scroll: usize,
    /// The oldest page loaded.
    pub page: u32,
    /// Older pages exist.
    pub has_more: bool,
    /// The messages wrapped to the pane's width, kept in step with them.
    pub layout: super::ThreadLayout,
    /// Its activities (who assigned, closed, labelled it), oldest first, once asked for.
    pub activities: Load<Vec<crate::domain::Activity>>,
    /// The activities are shown among the messages (a key toggles them).
    pub show_activities: bool,
}

/// View counts for the header: Mine (n) · Unassigned (n) · All (n).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Known counts.
    pub by_view: HashMap<View, u64>,
    /// Something changed since the counts were asked for: ask again when they land, or when the second
    /// between batches has passed.
    pub stale: bool,
    /// When the last batch was asked for (live changes ask at most once a second).
    pub asked_at: Option<crate::domain::Time>,
    /// A [`super::Msg::CountsDue`] is on its way.
    pub due: bool,
}

/// Progress of an action over several marked conversations.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// What is being done.
    pub change: super::Change,
    /// How many conversations.
    pub total: usize,
    /// How many answered so far.
    pub done: usize,
    /// The ones that failed: conversation name and reason.
    pub failed: Vec<(Clean, String)>,
    /// True when it takes the last change set back.
    pub undo: bool,
}

/// Triage: the marked conversations and a bulk action's progress.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Triage {
    /// Marked conversations (by id), for bulk actions.
    pub marked: BTreeSet<Clean>,
    /// Where a range mark starts.
    pub mark_anchor: Option<usize>,
    /// A bulk action's progress.
    pub batch: Option<Batch>,
    /// What `U` would take back.
    pub undo: Option<Undo>,
}

/// The last thing done that `U` is asked about.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// A change set: each conversation as it was, and the change made to it.
    Changes {
        /// When it was made.
        at: crate::domain::Time,
        /// The conversations before, with their change.
        items: Vec<(crate::domain::Conversation, super::Change)>,
    },
    /// A message went out: nothing can call it back.
    Sent,
}

/// What lies over the screen and takes the keys: help, a picker, a form, a y/n question.
#[derive(Debug, Clone, Default)]
pub struct Overlays {
    /// Help shown.
    pub help: bool,
    /// Lines help is scrolled down by (where it does not fit).
    pub help_scroll: usize,
    /// The open picker, if any.
    pub picker: Option<super::picker::Picker>,
    /// The open form, if any.
    pub form: Option<super::form::Form>,
    /// A question waiting for y or n.
    pub confirm: Option<super::Confirm>,
    /// The open command palette.
    pub palette: Option<super::palette::Palette>,
    /// Palette lines run, oldest first.
    pub history: Vec<String>,
    /// The templates the template picker offers, and the conversation they are for.
    pub templates: Option<(crate::domain::Clean, Vec<crate::domain::Template>)>,
    /// The canned responses the canned picker offers, and the conversation whose composer they go into.
    pub canned: Option<(crate::domain::Clean, Vec<crate::domain::Canned>)>,
}

/// What the status line says besides the connection: one confirmation that fades, one error that stays
/// while it holds, and the requests being retried.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusLine {
    /// The last error, in words.
    pub error: Option<String>,
    /// What that error is about (it goes when that recovers).
    pub error_about: super::ErrorAbout,
    /// The last confirmation, in words ("Assigned to Bruno Silva"); it fades (see [`super::NOTICE_FOR`]).
    pub notice: Option<String>,
    /// When the notice was given.
    pub notice_at: Option<Time>,
    /// Requests being retried, with what the status line says about them.
    pub retrying: std::collections::BTreeMap<RequestId, String>,
}

/// The notifications pane: newest first, with its cursor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notifications {
    /// Notifications, newest first.
    pub items: Vec<Notification>,
    /// Selected notification.
    pub selected: usize,
}

/// What the offline cache gave and keeps: shown while the server cannot be asked, saved on the way out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Offline {
    /// The rows shown come from the offline cache saved at this time (until fresh ones arrive).
    pub cached_at: Option<Time>,
    /// Contacts last seen, by id, shown when the server cannot be asked.
    pub contacts: HashMap<Clean, Contact>,
    /// Sessions last seen, by contact id.
    pub sessions: HashMap<Clean, SessionData>,
    /// When data last came fresh from the server (a loaded list or a live event).
    pub synced_at: Option<Time>,
    /// The first page of every view used this run or cached from an earlier one.
    pub first_pages: HashMap<View, Vec<Conversation>>,
}

/// Who is signed in where, and what that server can do.
#[derive(Debug, Clone)]
pub struct Account {
    /// The server's address, for the status line.
    pub server: String,
    /// The signed-in agent.
    pub me: Option<Agent>,
    /// Every agent, for names and pickers.
    pub agents: Vec<Agent>,
    /// Labels known to the server.
    pub labels: Vec<Label>,
    /// Operations the server cannot do (as its backend lists them).
    pub unavailable: Vec<Capability>,
    /// The backend's name, for messages about what it cannot do.
    pub backend_kind: &'static str,
    /// The statuses the server has, which `s` cycles through.
    pub statuses: &'static [&'static str],
    /// What a search looks in on this server, as the search line says it.
    pub search_covers: &'static str,
    /// A supervisor's view: nothing is changed on the server, and change keys say so.
    pub read_only: bool,
}
