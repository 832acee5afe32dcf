//! The status line: server and agent, connection state, unread count, last error, help hint.

use super::theme;
use crate::app::{AppState, Connection};
use crate::text::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the status line into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let who = state.account.me.as_ref().map(|m| m.name.as_str()).unwrap_or("signing in…");
    let (conn, style) = match &state.connection {
        Connection::Connecting => ("connecting…".to_string(), theme::warn()),
        Connection::Live => ("● live".to_string(), theme::ok()),
        Connection::Polling => ("● polling".to_string(), theme::info()),
        Connection::Refused => ("● polling (live refused)".to_string(), theme::warn()),
        Connection::Offline { since, retry_at } => {
            let secs = (*retry_at - state.now).num_seconds().max(0);
            let stale = state
                .offline
                .synced_at
                .map(|t| (state.now - t).num_minutes())
                .filter(|m| *m >= 1)
                .map(|m| format!(" · data {m} min old"))
                .unwrap_or_default();
            (
                format!("offline since {} · retrying in {secs}s{stale}", super::clock::stamp(*since, "%H:%M")),
                theme::error(),
            )
        }
    };
    let hint = " ? help ";
    // Narrow terminals keep the room for what just happened; the server is shown when there is space.
    let place = if area.width >= 120 { format!(" {who} @ {} ", state.account.server) } else { format!(" {who} ") };
    let mut spans = vec![Span::styled(place, theme::title()), Span::styled(conn, style)];
    if state.account.read_only {
        spans.push(Span::styled(" · read-only", theme::key()));
    }
    if let Some(at) = state.offline.cached_at {
        let mins = (state.now - at).num_minutes().max(0);
        let age = if mins >= 1 { format!(", {mins} min old") } else { String::new() };
        let text = format!(" · cached inbox from {}{age}", super::clock::stamp(at, "%H:%M"));
        spans.push(Span::styled(text, theme::warn()));
    }
    let unread = state.unread_notifications();
    if unread > 0 {
        spans.push(Span::styled(format!(" · {unread} unread"), theme::key()));
    }
    if state.overlays.confirm.is_some() {
        // The question itself is in its box over the screen.
        spans.push(Span::styled(" · answer y or n ", theme::banner()));
    } else if let Some(b) = &state.triage.batch {
        spans.push(Span::styled(format!(" · {} {}/{}…", b.change.doing_bulk(), b.done, b.total), theme::key()));
    }
    if let Some(r) = state.status.retrying.values().next_back() {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + hint.len() + 3);
        spans.push(Span::styled(format!(" · {}", truncate(r, room)), theme::warn()));
    } else if let (None, Some(n)) = (&state.status.error, &state.status.notice) {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + hint.len() + 3);
        spans.push(Span::styled(format!(" · {}", truncate(n, room)), theme::ok()));
    }
    if let Some(e) = &state.status.error {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + hint.len() + 3);
        spans.push(Span::styled(format!(" · {}", truncate(e, room)), theme::error()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    spans.push(Span::raw(" ".repeat((area.width as usize).saturating_sub(used + hint.len()))));
    spans.push(Span::styled(hint, theme::key()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
