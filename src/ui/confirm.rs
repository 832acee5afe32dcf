//! A question over the screen (a dry run before a bulk change, dismissing everything): what will happen,
//! wrapped whole, and the two answers.

use super::theme;
use crate::app::Confirm;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Draws `q` centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, q: &Confirm) {
    let w = 64.min(area.width);
    if w < 12 || area.height < 5 {
        return;
    }
    let text = q.question.trim_end_matches("y/n").trim_end().to_string();
    let lines = textwrap::wrap(&text, (w as usize).saturating_sub(4)).len() as u16;
    let rows = (lines + 4).min(area.height);
    let rect = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - rows) / 2, width: w, height: rows };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused())
        .title(Span::styled(" Check before it is done ", theme::title()))
        .title_bottom(Line::from(vec![
            Span::styled(" y ", theme::key()),
            Span::raw("do it · "),
            Span::styled("n ", theme::key()),
            Span::raw("Esc cancel "),
        ]));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let body = Paragraph::new(vec![Line::from(""), Line::from(text)]).wrap(Wrap { trim: true });
    frame.render_widget(body, Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner });
}
