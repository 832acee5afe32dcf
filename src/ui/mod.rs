//! Drawing: a pure function of the state. One widget per file.

mod age;
pub mod clock;
mod composer;
mod confirm;
pub use composer::Editor;
mod contact_panel;
mod conversation_list;
mod form;
mod help;
mod layout;
mod notifications;
mod palette;
mod picker;
mod service_window;
mod session_panel;
mod status_line;
pub mod theme;
mod thread;
mod thread_header;

pub use age::age;
pub use session_panel::render as render_session_panel;

use crate::app::{AppState, Pane};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders};

/// Draws the whole screen (the composer's text with its cursor at the end).
pub fn draw(frame: &mut Frame, state: &AppState) {
    draw_with(frame, state, None);
}

/// Draws the whole screen in `theme`, with the composer's editing widget.
pub fn draw_themed(
    frame: &mut Frame,
    state: &AppState,
    editor: Option<&ratatui_textarea::TextArea<'static>>,
    theme: theme::Theme,
) {
    theme::with(theme, || draw_with(frame, state, editor));
}

/// Draws the whole screen, with the composer's editing widget.
pub fn draw_with(frame: &mut Frame, state: &AppState, editor: Option<&ratatui_textarea::TextArea<'static>>) {
    let area = frame.area();
    if area.width < 4 || area.height < 2 {
        return;
    }
    let a = layout::areas(area, state);
    if let Some(main) = a.main {
        // The composer takes the bottom of the main pane, under the thread it answers.
        let (main, composer_area) = match &state.compose.open {
            Some(_) => {
                let h = crate::app::viewport::composer_height(main.height);
                (
                    Rect { height: main.height - h, ..main },
                    Some(Rect { y: main.y + main.height - h, height: h, ..main }),
                )
            }
            None => (main, None),
        };
        match &state.thread {
            Some(t) => thread::render(frame, main, state, t),
            None => conversation_list::render(frame, main, state),
        }
        if let (Some(c), Some(r)) = (&state.compose.open, composer_area) {
            let window = state
                .thread
                .as_ref()
                .and_then(|t| t.conversation.ready())
                .and_then(|conv| conv.service_window)
                .and_then(|w| service_window::composer_warning(&w, state.now));
            composer::render(frame, r, c, editor, window.filter(|_| !c.is_note()));
        }
    }
    if let Some(r) = a.contact {
        contact_panel::render(frame, r, state);
    }
    if let Some(r) = a.session {
        session_panel::render(frame, r, state, state.focus == Pane::Session);
    }
    if let Some(r) = a.notifications {
        notifications::render(frame, r, state);
    }
    status_line::render(frame, a.status, state);
    if let Some(p) = &state.overlays.picker {
        picker::render(frame, area, p);
    }
    if let Some(f) = &state.overlays.form {
        form::render(frame, area, f);
    }
    if let Some(p) = &state.overlays.palette {
        palette::render(frame, area, p);
    }
    if let Some(q) = &state.overlays.confirm {
        confirm::render(frame, area, q);
    }
    if state.overlays.help {
        let role_cannot = state.account.me.as_ref().map(|m| m.cannot.as_slice()).unwrap_or(&[]);
        help::render(frame, area, &state.account.unavailable, role_cannot, state.overlays.help_scroll);
    }
}

/// A pane's frame: highlighted when focused.
pub(crate) fn pane_block(title: String, focused: bool) -> Block<'static> {
    let style = if focused { theme::focused() } else { theme::unfocused() };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(style)
        .title(Span::styled(title, theme::title()))
}

/// True when `r` has room for at least one cell.
pub(crate) fn usable(r: Rect) -> bool {
    r.width > 0 && r.height > 0
}
