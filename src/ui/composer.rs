//! The composer: where replies and private notes are written.

use super::theme;
use crate::app::{Composer, SEND_KEY};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

/// Draws the composer into `area`.
/// `warning` says why the server will refuse a reply (WhatsApp's closed window), shown while nothing
/// more pressing is.
pub fn render(frame: &mut Frame, area: Rect, c: &Composer, warning: Option<String>) {
    let (kind, color) = if c.private { ("Private note (agents only)", Color::Yellow) } else { ("Reply", Color::Cyan) };
    let title = format!(" {kind} · {SEND_KEY} send · Ctrl-E editor · Esc keeps draft ");
    let bottom = if c.confirm_newer {
        Line::from(Span::styled(
            " A new customer message arrived (shown above). Send anyway? y / n ",
            Style::new().fg(Color::Black).bg(Color::Yellow),
        ))
    } else if c.sending.is_some() {
        Line::from(Span::styled(" Sending… ", theme::dim()))
    } else if let Some(e) = &c.error {
        Line::from(Span::styled(format!(" {e} "), theme::error()))
    } else if let Some(w) = warning {
        Line::from(Span::styled(w, Style::new().fg(Color::Black).bg(Color::Yellow)))
    } else {
        Line::from("")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .border_style(Style::new().fg(color))
        .title(Span::styled(title, theme::title()))
        .title_bottom(bottom);
    let mut editor = c.editor.clone();
    editor.set_block(block);
    editor.set_cursor_line_style(Style::new());
    frame.render_widget(&editor, area);
}
