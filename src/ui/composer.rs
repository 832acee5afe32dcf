//! The composer: where replies and private notes are written.

use super::theme;
use crate::app::{Composer, SEND_KEY};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

/// Draws the composer into `area`.
/// `warning` says why the server will refuse a reply (WhatsApp's closed window), shown while nothing
/// more pressing is.
pub fn render(frame: &mut Frame, area: Rect, c: &Composer, warning: Option<String>) {
    // A note must never be mistaken for a reply: its own colour, a double frame, and the words in the frame.
    let (label, color, border) = if c.is_note() {
        (" PRIVATE NOTE — agents only ", Color::Magenta, BorderType::Double)
    } else {
        (" Reply to the customer ", Color::Cyan, BorderType::Thick)
    };
    let title = Line::from(vec![
        Span::styled(label, Style::new().fg(Color::Black).bg(color).add_modifier(Modifier::BOLD)),
        Span::styled(format!("· {SEND_KEY} send · Ctrl-E editor · Esc keeps draft "), theme::title()),
    ]);
    let bottom = if let Some(who) = &c.confirm_newer {
        Line::from(Span::styled(
            format!(" {who} (shown above). Send anyway? y / n "),
            Style::new().fg(Color::Black).bg(Color::Yellow),
        ))
    } else if c.sending {
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
        .border_type(border)
        .border_style(Style::new().fg(color))
        .title(title)
        .title_bottom(bottom);
    let mut editor = c.editor.clone();
    editor.set_block(block);
    editor.set_cursor_line_style(Style::new());
    frame.render_widget(&editor, area);
}
