//! The contact panel: who the selected conversation is with.

use super::{pane_block, theme, usable};
use crate::app::{AppState, Load, Pane};
use crate::domain::Contact;
use crate::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the contact panel into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let embedded =
        state.shown_conversation().filter(|c| state.detail.conversation_id.as_deref() == Some(c.id.as_str()));
    // Until the fresh contact arrives, what was shown stays, marked as updating; with nothing shown before,
    // the copy embedded in the conversation, marked as loading.
    let shown = state.detail.shown();
    let (contact, note) = match shown.contact {
        Load::Ready(c) if shown.updating => (Some(c), " · updating…"),
        Load::Ready(c) => (Some(c), ""),
        Load::Failed(_) => (embedded.map(|c| &c.contact), " · could not refresh"),
        Load::Loading | Load::Idle => (embedded.map(|c| &c.contact), " · loading…"),
    };
    let title = format!(" Contact{note} ");
    let block = pane_block(title, state.focus == Pane::Contact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !usable(inner) {
        return;
    }
    let Some(c) = contact else {
        frame.render_widget(Paragraph::new("No conversation selected.").style(theme::dim()), inner);
        return;
    };
    let lines = lines(c, state, inner.width as usize);
    let scroll = state.detail.contact_scroll.min(lines.len().saturating_sub(inner.height as usize));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}

fn lines(c: &Contact, state: &AppState, width: usize) -> Vec<Line<'static>> {
    let label_w = 13.min(width / 3);
    let value_w = width.saturating_sub(label_w);
    let field = |label: &str, value: Option<&str>| {
        let v = value.filter(|v| !v.is_empty());
        let style = if v.is_some() { ratatui::style::Style::new() } else { theme::dim() };
        Line::from(vec![
            Span::styled(fit(label, label_w), theme::dim()),
            Span::styled(truncate(v.unwrap_or("—"), value_w), style),
        ])
    };
    let mut out = vec![Line::from(Span::styled(truncate(&c.name, width), theme::title()))];
    out.push(field("Phone", c.phone.as_deref()));
    out.push(field("Email", c.email.as_deref()));
    out.push(field("Prefers", c.preferred_channel.as_ref().map(|p| p.as_str())));
    out.push(field("Status", c.status.as_ref().map(|s| s.as_str())));
    // Who handles the conversation on screen, as the server says; the contact's own owner only when it is
    // someone else (the native API keeps the two apart; on Whatomate they are one).
    // Kept panels of the contact shown before say who handled that conversation, not the one now selected.
    let assignee = match state.detail.shown().handler {
        Some(kept) => Some(kept),
        None => state.shown_conversation().filter(|conv| conv.contact_id == c.id).map(|conv| conv.assignee.as_ref()),
    };
    let handler = assignee.map(|a| a.map(|a| a.name.as_str()).unwrap_or("nobody"));
    out.push(field("Handled by", handler));
    let handler_id = assignee.flatten().map(|a| a.id.as_str());
    if let Some(owner) = c.assigned_to.as_deref().filter(|o| Some(*o) != handler_id) {
        out.push(field("Owner", Some(state.agent_name(owner))));
    }
    let contacted = c
        .last_contacted
        .map(|t| format!("{} ago ({})", super::age(t, state.now), super::clock::stamp(t, "%b %d %H:%M")));
    out.push(field("Contacted", contacted.as_deref()));
    for (k, v) in &c.metadata {
        out.push(field(k, Some(v.as_str())));
    }
    // A server without contact comments (Whatomate: its notes are in the thread) shows no comments line.
    if let Load::Ready(comments) = state.detail.shown().comments
        && !state.account.unavailable.contains(&tinbox_core::domain::Capability::Comments)
    {
        if comments.is_empty() {
            out.push(Line::from(Span::styled("No comments yet · C adds one", theme::dim())));
        }
        // Focused, the pane shows every comment whole (it scrolls); elsewhere the newest five, a line each.
        let expanded = state.focus == Pane::Contact;
        if !comments.is_empty() {
            out.push(Line::from(vec![
                Span::styled(format!("Comments ({})", comments.len()), theme::title()),
                Span::styled(
                    if expanded { " · j/k scroll" } else { " · focus the pane to read them whole" },
                    theme::dim(),
                ),
            ]));
        }
        for cm in comments.iter().take(if expanded { usize::MAX } else { 5 }) {
            let who = cm.author.as_deref().unwrap_or("agent");
            let when = cm.created_at.map(|t| super::age(t, state.now)).unwrap_or_default();
            if expanded {
                out.push(Line::from(Span::styled(format!("{who} · {when}"), theme::dim())));
                let wrap_at = width.saturating_sub(2).max(8);
                for para in cm.text.split('\n') {
                    out.extend(textwrap::wrap(para, wrap_at).into_iter().map(|l| Line::from(format!("  {l}"))));
                }
                continue;
            }
            let head = format!("{who} · {when}: ");
            let text = cm.text.replace('\n', " ");
            out.push(Line::from(vec![
                Span::styled(head.clone(), theme::dim()),
                Span::raw(truncate(&text, width.saturating_sub(crate::text::width(&head)))),
            ]));
        }
    }
    if let Load::Ready(files) = state.detail.shown().files
        && !files.is_empty()
    {
        out.push(Line::from(Span::styled(format!("Files ({})", files.len()), theme::title())));
        for f in files {
            let size = f.size.map(human_size).unwrap_or_default();
            out.push(Line::from(vec![
                Span::raw(fit(&f.name, width.saturating_sub(9))),
                Span::styled(format!("{size:>9}"), theme::dim()),
            ]));
        }
    }
    out
}

/// A byte count as people read it.
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_024 => format!("{bytes} B"),
        1_024..1_048_576 => format!("{:.0} KB", bytes as f64 / 1_024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}
