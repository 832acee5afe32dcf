//! Drawing: a pure function of the state. One widget per file.

mod age;
mod conversation_list;
mod status_line;
mod theme;

pub use age::age;

use crate::app::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &AppState) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [body, status] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    conversation_list::render(frame, body, state);
    status_line::render(frame, status, state);
}
