//! The UI task's state and its pure update function: `update(state, msg) -> effects`.
//!
//! No I/O happens here and the clock comes in messages, so every behaviour is a unit test.

mod keymap;
mod state;
mod update;

pub use keymap::{Action, Binding, action_for, bindings};
pub use state::*;
pub use update::{start, update};

use crate::domain::Time;
use crate::worker::{Request, RequestId, RequestKey, WorkerEvent};

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
}

/// Something [`update`] wants done outside the state.
// A few messages a second pass through here; boxing the large variant would buy nothing.
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
    /// Open the live stream.
    StartLive,
    /// Leave.
    Quit,
}
