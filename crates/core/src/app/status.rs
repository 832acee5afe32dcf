//! What the status line says: a confirmation that fades, and an error that stays while it holds.
//!
//! One notice and one error at a time, and never both: a new confirmation replaces an error about an
//! action, and a new error replaces the confirmation, so the line never says two contradictory things.

use super::StatusLine;
use crate::domain::Time;
use crate::protocol::BackendError;

/// How long a confirmation stays on the status line.
pub const NOTICE_FOR: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

/// What a standing error is about, so it goes when that recovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorAbout {
    /// The agent's last action (goes at the next one).
    #[default]
    Action,
    /// Loading the list (goes when a page arrives).
    List,
    /// The live connection (goes when it is back).
    Connection,
}

impl StatusLine {
    /// Says a confirmation, given at `now`; it replaces an error about an action.
    pub fn tell(&mut self, now: Time, text: impl Into<String>) {
        self.notice = Some(text.into());
        self.notice_at = Some(now);
        if self.error_about == ErrorAbout::Action {
            self.error = None;
        }
    }

    /// Says an error about the agent's last action.
    pub fn set_error(&mut self, text: impl Into<String>) {
        self.set_error_about(ErrorAbout::Action, text);
    }

    /// Says an error about `about`; it replaces any confirmation.
    pub fn set_error_about(&mut self, about: ErrorAbout, text: impl Into<String>) {
        self.error = Some(text.into());
        self.error_about = about;
        self.notice = None;
    }

    /// `about` recovered: its error goes.
    pub fn clear_error_about(&mut self, about: ErrorAbout) {
        if self.error_about == about {
            self.error = None;
        }
    }

    /// The agent did something new: the last confirmation and the last action's error go.
    pub fn next_action(&mut self) {
        self.notice = None;
        self.clear_error_about(ErrorAbout::Action);
    }

    /// The clock moved to `now`: an old confirmation fades.
    pub fn fade(&mut self, now: Time) {
        if self.notice_at.is_some_and(|at| now - at >= NOTICE_FOR) {
            self.notice = None;
            self.notice_at = None;
        }
    }
}

/// Why a request failed, in words an agent understands (and whether anything changed).
pub fn reason(e: &BackendError) -> String {
    match e {
        BackendError::Forbidden(m) => format!("not allowed: {m}"),
        BackendError::NotFound(_) => "it no longer exists on the server".into(),
        BackendError::Conflict(m) => format!("someone changed it first ({m})"),
        // After "Could not …", the server's own words say it best ("Agent is currently away").
        BackendError::Invalid(m) => m.to_string(),
        e if e.outcome_unknown() => {
            format!("{e} — the answer was lost, so it may have been done; showing what the server holds")
        }
        BackendError::Network(_) => format!("{e}; nothing was changed"),
        other => other.to_string(),
    }
}
