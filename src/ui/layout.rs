//! Where each pane goes: side by side when there is room, one side at a time when narrow.

use crate::app::{AppState, Pane};
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::viewport::{WIDE, main_width};

/// The screen's areas; `None` for panes not shown.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Areas {
    /// The list or the open thread.
    pub main: Option<Rect>,
    /// The contact panel.
    pub contact: Option<Rect>,
    /// The session panel.
    pub session: Option<Rect>,
    /// The notifications pane.
    pub notifications: Option<Rect>,
    /// The status line.
    pub status: Rect,
}

fn detail_column(area: Rect) -> (Rect, Rect, Rect) {
    let [contact, session, notes] =
        Layout::vertical([Constraint::Percentage(34), Constraint::Percentage(40), Constraint::Fill(1)]).areas(area);
    (contact, session, notes)
}

/// Lays the screen out for `state` in `area`.
pub fn areas(area: Rect, state: &AppState) -> Areas {
    let [body, status] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if body.height == 0 {
        return Areas { status, ..Areas::default() };
    }
    if area.width >= WIDE {
        let [main, side] =
            Layout::horizontal([Constraint::Length(main_width(area.width)), Constraint::Fill(1)]).areas(body);
        let (contact, session, notes) = detail_column(side);
        return Areas {
            main: Some(main),
            contact: Some(contact),
            session: Some(session),
            notifications: Some(notes),
            status,
        };
    }
    match state.focus {
        Pane::List => Areas { main: Some(body), status, ..Areas::default() },
        Pane::Contact | Pane::Session => {
            let [contact, session] = Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(body);
            Areas { contact: Some(contact), session: Some(session), status, ..Areas::default() }
        }
        Pane::Notifications => Areas { notifications: Some(body), status, ..Areas::default() },
    }
}
