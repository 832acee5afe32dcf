//! The UI task's state and its pure update function: `update(state, msg) -> effects`.
//!
//! No I/O happens here and the clock comes in messages, so every behaviour is a unit test.

mod action;
pub mod canned;
mod composer;
mod delivery;
mod detail;
mod detail_cache;
mod draft;
mod filters;
mod form;
mod list;
mod notifications;
pub use notifications::{Group as NotificationGroup, MAX_NOTIFICATIONS};
pub mod palette;
mod picker;
mod purpose;
mod requests;
mod root;
mod row_index;
mod snapshot;
mod state;
mod status;
mod templates;
mod thread;
mod thread_layout;
mod triage;
pub mod viewport;

pub use composer::{Compose, Composer, SEND_KEY, SendFailed, Unknown};
pub use delivery::{Awaiting, Deliveries};
pub use detail_cache::{CACHE_CAP, CACHE_FOR, Cached, DetailCache, Panes};
pub use draft::{Draft, DraftKey};
pub use form::{Field, Form, FormKind, is_e164, is_email};
pub use list::{MAX_ROWS, PAGE_SIZE, Upserted};
pub use picker::{PickItem, Picker, PickerKind};
pub use purpose::{Change, MessageKind, Purpose};
pub use requests::Requests;
pub use root::{AppState, start, update};
pub use row_index::RowIndex;
pub use snapshot::Snapshot;
pub use status::{ErrorAbout, NOTICE_FOR, reason};
pub use thread_layout::ThreadLayout;
pub use triage::Progress;

pub use action::{Action, InputMode, capability};
pub use detail::{REST_DELAY, is_collapsed};
pub use filters::{belongs, filters_label, list_query};
pub use state::*;

use crate::domain::Time;
use crate::protocol::{Request, RequestId, RequestKey, WorkerEvent};
use std::time::Duration;

/// Something that happened, for [`update`] to fold into the state.
// A few messages a second pass through here; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A user action (already mapped from a key).
    Action(Action),
    /// The worker reported something.
    Worker(WorkerEvent),
    /// The clock moved (once a minute, for ages in the list).
    Tick(Time),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// The selection has rested on this conversation: time to load its details.
    Rested(crate::domain::Clean),
    /// The second between two batches of view counts has passed: counts gone stale are asked for now.
    CountsDue,
    /// `$EDITOR` finished: the new text, or why it could not run.
    EditorDone(Result<String, String>),
    /// The agent typed in the composer: its text as it now stands.
    ComposerText(String),
    /// The agent pasted text (bracketed paste) anywhere but an open composer: it is text, never keys.
    Paste(String),
    /// The terminal gained (true) or lost focus.
    Focus(bool),
    /// A key bound to nothing was pressed (its name as help writes keys): the status line says so.
    Unbound(String),
}

/// A question that waits for y or n.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// The question.
    pub question: String,
    /// What yes does.
    pub on_yes: ConfirmAction,
}

/// What a confirmed question does.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    /// Dismiss every notification.
    DismissAll,
    /// A change on many conversations, shown first: each conversation with its change, and how the change
    /// set is said; `undo` when it takes the last one back.
    Apply {
        /// The conversations (as they were when asked) and what happens to each.
        items: Vec<(crate::domain::Conversation, Change)>,
        /// How it is said.
        words: Change,
        /// True when this undoes the last change set.
        undo: bool,
    },
}

/// Something [`update`] wants done outside the state.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask the worker.
    Send {
        /// Matches the answer.
        id: RequestId,
        /// Supersedes older requests of the same key.
        key: Option<RequestKey>,
        /// What to ask.
        request: Request,
    },
    /// Deliver `msg` after `delay`, replacing any earlier pending message of the same kind (a debounce).
    Debounce {
        /// How long to wait.
        delay: Duration,
        /// What to deliver.
        msg: Box<Msg>,
    },
    /// Open the live stream.
    StartLive,
    /// Save the open composer's draft within a second (typing).
    SaveDraftSoon,
    /// Save the open composer's draft now.
    SaveNow,
    /// Save this draft now (the composer closed).
    SaveDraft(Draft),
    /// The server confirmed the message: remove the conversation's draft of that kind.
    ClearDraft(crate::domain::Clean, MessageKind),
    /// Edit the open composer's text in `$EDITOR`.
    OpenEditor(String),
    /// Put this text on the clipboard (the terminal's, by OSC 52).
    Copy(String),
    /// Tell the agent something happened while they look elsewhere (bell and/or desktop notification).
    Alert(String),
    /// Leave.
    Quit,
}
