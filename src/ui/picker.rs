//! A picker overlay: the filter typed so far, then the matching choices, best first.

use super::theme;
use crate::app::{Picker, PickerKind};
use crate::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Draws `p` centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, p: &Picker) {
    let w = 64.min(area.width);
    let rows = (p.items.len() as u16 + 4).clamp(6, 18).min(area.height);
    if w < 10 || rows < 4 {
        return;
    }
    let rect = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - rows) / 2, width: w, height: rows };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused())
        .title(Span::styled(truncate(&p.title, w as usize - 2), theme::title()))
        .title_bottom(Line::from(Span::styled(" ↑↓ move · Enter apply · Esc cancel ", theme::dim())));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let mut lines = vec![Line::from(vec![Span::styled("> ", theme::key()), Span::raw(format!("{}▏", p.filter))])];
    let room = (inner.height as usize).saturating_sub(1);
    let offset = (p.selected + 1).saturating_sub(room);
    if p.loading {
        let what = match p.kind {
            PickerKind::Labels => "Loading the labels…",
            PickerKind::Template => "Loading the approved templates…",
            PickerKind::Canned => "Loading the canned responses…",
            _ => "Loading the agents…",
        };
        lines.push(Line::from(Span::styled(what, theme::dim())));
    }
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(truncate(e, width), theme::error())));
    }
    if p.shown.is_empty() && !p.loading {
        let hint = if p.kind == PickerKind::Labels { "No such label — Enter adds it" } else { "Nothing matches" };
        lines.push(Line::from(Span::styled(hint, theme::dim())));
    }
    for (row, &i) in p.shown.iter().enumerate().skip(offset).take(room) {
        let it = &p.items[i];
        let tick = match p.kind {
            PickerKind::Labels if it.checked => "[x] ",
            PickerKind::Labels => "[ ] ",
            _ => "",
        };
        let detail_w = (width / 3).min(it.detail.chars().count() + 1);
        let label_w = width.saturating_sub(tick.len() + detail_w);
        let line = Line::from(vec![
            Span::styled(tick, theme::key()),
            Span::raw(fit(&it.label, label_w)),
            Span::styled(fit(&it.detail, detail_w), theme::dim()),
        ]);
        lines.push(if row == p.selected { line.style(theme::selected()) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
