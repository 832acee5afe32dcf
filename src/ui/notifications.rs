//! The notifications pane: newest first, unread marked, those about one conversation on one line with a count.

use super::{pane_block, theme, usable};
use crate::app::{AppState, Pane};
use crate::domain::NotificationKind;
use crate::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn kind_label(k: &NotificationKind) -> &str {
    match k {
        NotificationKind::Assigned => "assigned",
        NotificationKind::Mention => "mention",
        NotificationKind::NewMessage => "message",
        NotificationKind::ConversationCreated => "new",
        NotificationKind::StatusChanged => "status",
        NotificationKind::Other(s) => s,
    }
}

/// Draws the notifications pane into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let focused = state.focus == Pane::Notifications;
    let block = pane_block(format!(" Notifications ({} unread) ", state.unread_notifications()), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !usable(inner) {
        return;
    }
    if state.notifications.items.is_empty() {
        frame.render_widget(Paragraph::new("Nothing new.").style(theme::dim()), inner);
        return;
    }
    let height = inner.height as usize;
    let w = inner.width as usize;
    let groups = state.notifications.groups();
    let selected = state.notifications.selected.min(groups.len().saturating_sub(1));
    let offset = (selected + 1).saturating_sub(height);
    let lines: Vec<Line> = groups
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, g)| {
            let n = g.newest;
            let when = n.created_at.map(|t| super::age(t, state.now)).unwrap_or_default();
            let text_w = w.saturating_sub(2 + 9 + 5);
            let text = if n.body.is_empty() { n.title.to_string() } else { format!("{} — {}", n.title, n.body) };
            // Several about one conversation: one line, the newest, with how many there are.
            let text = if g.count() > 1 { format!("{}× {text}", g.count()) } else { text };
            let read = g.unread == 0;
            let line = Line::from(vec![
                Span::styled(if read { "  " } else { "● " }, theme::key()),
                Span::styled(fit(kind_label(&n.kind), 9), theme::dim()),
                Span::styled(fit(&truncate(&text, text_w), text_w), if read { theme::dim() } else { Style::new() }),
                Span::styled(format!("{when:>4} "), theme::dim()),
            ]);
            if focused && i == selected { line.style(theme::selected()) } else { line }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
