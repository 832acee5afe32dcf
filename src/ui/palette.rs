//! The command palette: the line typed, then what completes it — commands with their key and what they
//! do, or the words an argument may take.

use super::theme;
use crate::app::palette::Palette;
use crate::text::{fit, truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Draws `p` near the top of `area`, centred.
pub fn render(frame: &mut Frame, area: Rect, p: &Palette) {
    let w = 84.min(area.width);
    let rows = (p.shown.len() as u16 + 4).clamp(5, 16).min(area.height);
    if w < 20 || rows < 4 {
        return;
    }
    let rect = Rect { x: area.x + (area.width - w) / 2, y: area.y + 1.min(area.height - rows), width: w, height: rows };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused())
        .title(Span::styled(" Command ", theme::title()))
        .title_bottom(Line::from(Span::styled(" Tab complete · Enter run · ↑↓ history · Esc close ", theme::dim())));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let cells = inner.width as usize;
    let mut lines = vec![Line::from(vec![Span::styled(":", theme::key()), Span::raw(format!("{}▏", p.input))])];
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(truncate(e, cells), theme::error())));
    } else if p.shown.is_empty() {
        lines.push(Line::from(Span::styled("Nothing matches: Enter runs the line as typed", theme::dim())));
    }
    let room = (inner.height as usize).saturating_sub(lines.len());
    let offset = (p.selected + 1).saturating_sub(room);
    for (row, s) in p.shown.iter().enumerate().skip(offset).take(room) {
        let line = match s.command {
            Some(c) => {
                let name_w = 38.min(cells / 2);
                let key = c.action.map(crate::keys::keys_for).unwrap_or_default();
                let key_w = 8.min(cells.saturating_sub(name_w));
                let help_w = cells.saturating_sub(name_w + key_w);
                let name = if c.args.is_empty() { c.name.to_string() } else { format!("{} {}", c.name, c.args) };
                Line::from(vec![
                    Span::raw(fit(&name, name_w)),
                    Span::styled(fit(&key, key_w), theme::key()),
                    Span::styled(fit(c.help, help_w), theme::dim()),
                ])
            }
            None => Line::from(Span::raw(fit(&s.text, cells))),
        };
        let pad = cells.saturating_sub(line.spans.iter().map(|sp| width(&sp.content)).sum());
        let mut line = line;
        line.spans.push(Span::raw(" ".repeat(pad)));
        lines.push(if row == p.selected { line.style(theme::selected()) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
