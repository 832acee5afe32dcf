//! What the status line says: a confirmation that fades, and an error that stays while it holds.
//!
//! One notice and one error at a time, and never both: a new confirmation replaces an error about an
//! action, and a new error replaces the confirmation, so the line never says two contradictory things.

use super::AppState;

/// How long a confirmation stays ("Assigned to Bruno Silva"), unless the next action comes sooner.
pub const NOTICE_FOR: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

/// What the error in the status line is about, so it goes when that recovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorAbout {
    /// Something the agent did; it goes at the next action.
    #[default]
    Action,
    /// The list could not be loaded; it goes when a page arrives.
    List,
    /// The live connection is down; it goes when the link is back.
    Connection,
}

impl AppState {
    /// Confirms something in the status line; it fades after [`NOTICE_FOR`].
    pub fn tell(&mut self, text: impl Into<String>) {
        self.status.notice = Some(text.into());
        self.status.notice_at = Some(self.now);
        if self.status.error_about == ErrorAbout::Action {
            self.status.error = None;
        }
    }

    /// Says what went wrong with something the agent did.
    pub fn set_error(&mut self, text: impl Into<String>) {
        self.set_error_about(ErrorAbout::Action, text);
    }

    /// Says what is wrong with `about`; it stays until that recovers.
    pub fn set_error_about(&mut self, about: ErrorAbout, text: impl Into<String>) {
        self.status.error = Some(text.into());
        self.status.error_about = about;
        self.status.notice = None;
    }

    /// `about` recovered: its error goes (an error about something else stays).
    pub fn clear_error_about(&mut self, about: ErrorAbout) {
        if self.status.error_about == about {
            self.status.error = None;
        }
    }

    /// A new action: the last confirmation and the last action's error have been read.
    pub fn next_action(&mut self) {
        self.status.notice = None;
        self.clear_error_about(ErrorAbout::Action);
    }

    /// Time passed: a confirmation older than [`NOTICE_FOR`] fades.
    pub fn fade(&mut self) {
        if self.status.notice_at.is_some_and(|at| self.now - at >= NOTICE_FOR) {
            self.status.notice = None;
            self.status.notice_at = None;
        }
    }
}
