//! The conversation thread: oldest at the top, newest at the bottom, wrapped; incoming, outgoing and notes apart.

use super::{pane_block, theme, usable};
use crate::app::{AppState, Load, Pane, Thread, ThreadLayout};
use crate::domain::{Activity, DeliveryStatus, Direction, Message};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the thread into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, t: &Thread) {
    let conv = t.conversation.ready();
    let who = conv.map(|c| c.contact.name.clone()).unwrap_or_else(|| t.conversation_id.clone());
    let subject = conv.and_then(|c| c.subject.clone()).map(|s| format!(" — {s}")).unwrap_or_default();
    let mut block =
        pane_block(format!(" {who}{subject} "), state.focus == Pane::List).title_bottom(Line::from(Span::styled(
            format!(" times {} · j/k scroll · Esc back to the list ", super::clock::label(state.now)),
            theme::dim(),
        )));
    if let Some(w) = conv.and_then(|c| c.service_window) {
        block = block.title(Line::from(super::service_window::header(&w, state.now)).right_aligned());
    }
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if !usable(inner) {
        return;
    }
    // The header line sits under the border; the core counts the same row off the thread's height.
    let header_rows = crate::app::viewport::THREAD_HEADER_ROWS.min(inner.height);
    if let Some(c) = state.shown_conversation() {
        let at = Rect { height: header_rows, ..inner };
        frame.render_widget(Paragraph::new(super::thread_header::line(c, state)), at);
    }
    inner.y += header_rows;
    inner.height -= header_rows;
    if !usable(inner) {
        return;
    }
    let messages = match &t.messages {
        Load::Ready(m) => m,
        Load::Failed(e) => return frame.render_widget(Paragraph::new(e.clone()).style(theme::error()), inner),
        _ => return frame.render_widget(Paragraph::new("Loading messages…").style(theme::dim()), inner),
    };
    let width = inner.width as usize;
    // The core keeps the layout at the pane's width; a state built another way is laid out here.
    let fresh;
    let layout = if t.layout.fits(messages, width) {
        &t.layout
    } else {
        fresh = ThreadLayout::of(messages, width);
        &fresh
    };
    let height = inner.height as usize;
    let activities = t.shown_activities();
    let total = layout.total() + activities.len();
    let max_scroll = total.saturating_sub(height);
    let start = max_scroll.saturating_sub(t.scroll.min(max_scroll));
    // Only the entries in the window are turned into lines, and of those only the visible lines.
    let mut visible: Vec<Line> = Vec::with_capacity(height);
    let mut at = 0;
    for entry in entries(messages, activities) {
        let lines = match entry {
            Entry::Message(i) => layout.text(i).len() + 2,
            Entry::Activity(_) => 1,
        };
        if at + lines > start {
            let skip = start.saturating_sub(at);
            let wanted = height - visible.len();
            match entry {
                Entry::Message(i) => visible.extend(
                    message_lines(&messages[i], layout.text(i), layout.reason_lines(i), state.now)
                        .skip(skip)
                        .take(wanted),
                ),
                Entry::Activity(a) => visible.push(activity_line(a, state)),
            }
            if visible.len() >= height {
                break;
            }
        }
        at += lines;
    }
    // Like any chat, a short thread sits at the bottom, next to where replies will be written.
    let pad = height.saturating_sub(visible.len());
    visible.splice(0..0, std::iter::repeat_n(Line::from(""), pad));
    frame.render_widget(Paragraph::new(visible), inner);
}

/// One thing in the thread, in time order.
enum Entry<'a> {
    /// The `i`th message.
    Message(usize),
    /// An activity shown among them.
    Activity(&'a Activity),
}

/// The messages with the shown activities between them, by time (both oldest first); an activity with no
/// time comes first.
fn entries<'a>(messages: &'a [Message], activities: &'a [Activity]) -> impl Iterator<Item = Entry<'a>> + 'a {
    let mut next = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        let activity = activities.get(next);
        let message = messages.get(i);
        match (activity, message) {
            (Some(a), Some(m)) if a.created_at <= m.created_at => {
                next += 1;
                Some(Entry::Activity(a))
            }
            (_, Some(_)) => {
                i += 1;
                Some(Entry::Message(i - 1))
            }
            (Some(a), None) => {
                next += 1;
                Some(Entry::Activity(a))
            }
            (None, None) => None,
        }
    })
}

/// An activity as one dim line: "· 14:05 Bruno Silva: Assigned to Alice".
fn activity_line(a: &Activity, state: &AppState) -> Line<'static> {
    let when = a.created_at.map(|t| super::clock::format(t, "%b %d %H:%M")).unwrap_or_default();
    // The actor, unless the server's words already name them ("Alice Martin assigned it to …").
    let who = match a.actor.as_deref().map(|id| state.agent_name(id)) {
        Some(name) if !a.detail.contains(name) => format!("{name}: "),
        _ => String::new(),
    };
    let what = if a.detail.is_empty() { a.kind.to_string() } else { a.detail.replace('\n', " ") };
    Line::from(Span::styled(format!("· {when}  {who}{what}"), theme::dim()))
}

fn status_mark(s: &DeliveryStatus) -> &'static str {
    match s {
        DeliveryStatus::Pending => "… sending",
        DeliveryStatus::Sent => "✓ sent",
        DeliveryStatus::Delivered => "✓✓ delivered",
        DeliveryStatus::Read => "✓✓ read",
        DeliveryStatus::Failed => "✗ failed",
        _ => "",
    }
}

/// A message's header, its wrapped `text` and a blank line, built lazily so skipped lines cost nothing.
fn message_lines<'a>(
    m: &Message,
    text: &'a [String],
    reason: usize,
    now: crate::domain::Time,
) -> impl Iterator<Item = Line<'static>> + 'a {
    let customer = m.direction == Direction::Incoming;
    let style = theme::author(customer, m.private);
    let who = match (customer, m.private) {
        (_, true) => format!("🔒 note by {}", m.author.as_ref().map(|a| a.name.as_str()).unwrap_or("agent")),
        (true, _) => "customer".to_string(),
        _ => m.author.as_ref().map(|a| a.name.to_string()).unwrap_or_else(|| "agent".into()),
    };
    // The pane's edge names the zone; a time on the other side of a daylight-saving change says its own.
    let when = m.created_at.map(|t| match super::clock::label(t) {
        zone if zone == super::clock::label(now) => super::clock::format(t, "%b %d %H:%M"),
        _ => super::clock::stamp(t, "%b %d %H:%M"),
    });
    let when = when.unwrap_or_default();
    let mut header = vec![Span::styled(who, style), Span::styled(format!("  {when}  "), theme::dim())];
    if m.direction == Direction::Outgoing && !m.private {
        let failed = m.status == DeliveryStatus::Failed;
        header.push(Span::styled(status_mark(&m.status), if failed { theme::error() } else { theme::dim() }));
    }
    let header = Line::from(header);
    let text_style = if m.private { style } else { Style::new() };
    // A failed message's reason was laid out after its text: it reads as an error.
    let reason_from = text.len().saturating_sub(reason);
    std::iter::once(header)
        .chain(text.iter().enumerate().map(move |(i, line)| {
            Line::from(Span::styled(line.clone(), if i >= reason_from { theme::error() } else { text_style }))
        }))
        .chain(std::iter::once(Line::from("")))
}
