//! The conversation list: one row per conversation; only visible rows are built.

use super::theme;
use crate::app::AppState;
use crate::domain::Conversation;
use crate::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Draws the list into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let list = &state.list;
    let unread = state.unread_notifications();
    let title = format!(" Open conversations ({}) · notifications: {unread} unread ", list.total);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    if height == 0 || inner.width == 0 {
        return;
    }
    if list.items.is_empty() {
        let text = if list.pending.is_some() { "Loading conversations…" } else { "No open conversations." };
        frame.render_widget(Paragraph::new(text).style(theme::dim()), inner);
        return;
    }
    let offset = list.selected.saturating_sub(height - 1);
    let lines: Vec<Line> = list
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, c)| row(c, inner.width as usize, state, i == list.selected))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn row<'a>(c: &Conversation, width: usize, state: &AppState, selected: bool) -> Line<'a> {
    let unread = if c.unread_count > 0 { "●" } else { " " };
    let assignee = c.assignee.as_ref().map(|a| a.name.split_whitespace().next().unwrap_or("").to_string());
    let when = c.last_message_at.or(c.updated_at).map(|t| super::age(t, state.now)).unwrap_or_default();
    let what = c.subject.clone().or(c.last_message_preview.clone()).unwrap_or_default();
    // Fixed columns: marker 2, channel 5, name 20, assignee 9, priority 7, age 5; the subject takes the rest.
    let fixed = 2 + 5 + 21 + 10 + 7 + 5;
    let subject_w = width.saturating_sub(fixed).max(1);
    let spans = vec![
        Span::raw(format!("{unread} ")),
        Span::styled(fit(&theme::channel_tag(&c.channel), 5), theme::dim()),
        Span::raw(fit(&c.contact.name, 20) + " "),
        Span::raw(fit(&what, subject_w)),
        Span::styled(fit(assignee.as_deref().unwrap_or("—"), 9) + " ", theme::dim()),
        Span::styled(fit(c.priority.as_str(), 7), theme::priority(&c.priority)),
        Span::styled(format!("{when:>4} "), theme::dim()),
    ];
    let line = Line::from(spans);
    if selected { line.style(theme::selected()) } else { line.style(Style::new()) }
}
