//! The conversation list: view counts in the title, filters at the bottom, one row per conversation.
//! Only the visible rows are built, so a list of 100,000 costs a frame what a list of 50 does.

use super::{pane_block, theme, usable};
use crate::app::{AppState, Pane, View, filters_label};
use crate::domain::Conversation;
use crate::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the list into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let list = &state.list;
    let mut block = pane_block(String::new(), state.focus == Pane::List).title(views_title(state));
    block = block.title_bottom(filters_line(state));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !usable(inner) {
        return;
    }
    if list.items.is_empty() {
        let text = match &list.failed {
            _ if !list.loaded => "Loading conversations…".to_string(),
            // A failure is never shown as an empty inbox.
            Some(why) => format!("Could not load the conversations: {why}. r tries again."),
            None if list.skipped > 0 => format!("{} could not be read, and nothing else matches.", rows(list.skipped)),
            None => "No conversations match. Esc clears the search; s and 1/2/3 change the view.".to_string(),
        };
        frame
            .render_widget(Paragraph::new(text).style(theme::dim()).wrap(ratatui::widgets::Wrap { trim: true }), inner);
        return;
    }
    let height = inner.height as usize;
    // The state keeps the offset; clamp here too so a stale one can never hide the selection.
    let offset = list.offset.min(list.selected).max((list.selected + 1).saturating_sub(height));
    let cols = Columns::for_width(
        inner.width as usize,
        !state.account.unavailable.contains(&crate::domain::Capability::Priority),
    );
    let lines: Vec<Line> = list
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, c)| row(c, &cols, state, i == list.selected))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn views_title(state: &AppState) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (i, view) in View::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        let count = state.list.counts.by_view.get(view).map(|n| n.to_string()).unwrap_or_else(|| "…".into());
        let text = format!("{} {} ({count})", i + 1, view.label());
        let style = if *view == state.list.filters.view {
            theme::title().add_modifier(Modifier::REVERSED)
        } else {
            theme::dim()
        };
        spans.push(Span::styled(text, style));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

fn filters_line(state: &AppState) -> Line<'static> {
    if !state.triage.marked.is_empty() {
        return Line::from(Span::styled(
            format!(" {} marked · actions apply to all · Esc clears ", state.triage.marked.len()),
            theme::key(),
        ));
    }
    if state.list.searching {
        // The server decides what a search looks in: the agent is told, so a miss is not taken for "no such customer".
        let covers = state.account.search_covers;
        return Line::from(vec![
            Span::styled(format!(" /{}▏", state.list.filters.search), theme::key()),
            Span::styled(format!(" Enter keeps · Esc clears · searches {covers} "), theme::dim()),
        ]);
    }
    let filters =
        filters_label(&state.list.filters, !state.account.unavailable.contains(&crate::domain::Capability::Status));
    let mut spans = Vec::new();
    if state.list.skipped > 0 {
        // One bad row never hides the others, and is never hidden itself.
        spans.push(Span::styled(format!(" {} could not be read ", rows(state.list.skipped)), theme::error()));
    }
    if state.list.to_end {
        // The agent asked for the last conversation: how far the pages have come, and how to stop them.
        let (loaded, total) = (thousands(state.list.items.len() as u64), thousands(state.list.total));
        spans.push(Span::styled(format!(" to the end: {loaded} of {total} · any key stops "), theme::key()));
    }
    spans.push(Span::styled(format!(" {filters} "), theme::dim()));
    Line::from(spans)
}

/// 35200 as "35,200".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// "1 conversation" / "n conversations".
fn rows(n: usize) -> String {
    if n == 1 { "1 conversation".into() } else { format!("{n} conversations") }
}

/// Column widths for a given inner width; narrow terminals drop labels first.
struct Columns {
    name: usize,
    subject: usize,
    assignee: usize,
    priority: usize,
    labels: usize,
}

impl Columns {
    /// Widths for `w` cells; `priority_shown` is false where the server has no priorities to show.
    fn for_width(w: usize, priority_shown: bool) -> Self {
        let (name, assignee, mut priority) = match w {
            0..60 => (12, 0, 0),
            60..100 => (16, 8, 4),
            100..150 => (20, 10, 6),
            _ => (24, 12, 6),
        };
        if !priority_shown {
            priority = 0;
        }
        // Marker 2, channel 5, age 5, and a space after each variable column.
        let fixed =
            2 + 5 + 5 + name + 1 + [assignee, priority].iter().filter(|w| **w > 0).map(|w| w + 1).sum::<usize>();
        // Labels get what is left once the subject has a readable width, up to a cap.
        let spare = w.saturating_sub(fixed + 24);
        let labels = if spare >= 7 { spare.min(if w >= 130 { 26 } else { 16 }) - 1 } else { 0 };
        let subject = w.saturating_sub(fixed + if labels > 0 { labels + 1 } else { 0 } + 1).max(1);
        Columns { name, subject, assignee, priority, labels }
    }
}

/// The labels that fit in `room` columns, each in its server colour (a name the server does not list, or one
/// with no colour, in the labels' magenta).
fn label_spans(labels: &[crate::domain::Clean], room: usize, state: &AppState) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut used = 0;
    for l in labels {
        let tag = format!("{}{l}", if used == 0 { "" } else { " " });
        if used + width(&tag) > room {
            break;
        }
        used += width(&tag);
        let colour = state.account.labels.iter().find(|k| k.name == *l).map(|k| &k.color);
        spans.push(Span::styled(tag, theme::label(colour)));
    }
    spans.push(Span::raw(" ".repeat(room.saturating_sub(used) + 1)));
    spans
}

fn row(c: &Conversation, cols: &Columns, state: &AppState, selected: bool) -> Line<'static> {
    let mark = if state.triage.marked.contains(&c.id) { "✓" } else { " " };
    let unread = format!("{mark}{} ", if c.unread_count > 0 { "●" } else { " " });
    let when = c.last_message_at.or(c.updated_at).map(|t| super::age(t, state.now)).unwrap_or_default();
    let what = c.subject.clone().or_else(|| c.last_message_preview.clone()).unwrap_or_default();
    // A draft waits here: the agent sees it before opening the conversation.
    let what = if state.has_draft(&c.id) { format!("✎ {what}") } else { what.to_string() };
    // The last reply failed: the agent sees it from the list, not only when opening the thread.
    let failed = state.delivery.has_failed(&c.id);
    let what = if failed { format!("✗ not delivered · {what}") } else { what };
    let mut spans = vec![
        Span::styled(unread, theme::key()),
        Span::styled(fit(&theme::channel_tag(&c.channel), 5), theme::dim()),
        Span::styled(
            fit(&c.contact.name, cols.name) + " ",
            if c.unread_count > 0 { theme::title() } else { Style::new() },
        ),
        Span::styled(fit(&what, cols.subject) + " ", if failed { theme::error() } else { Style::new() }),
    ];
    if cols.assignee > 0 {
        let who = c.assignee.as_ref().map(|a| a.name.split_whitespace().next().unwrap_or("").to_string());
        spans.push(Span::styled(fit(who.as_deref().unwrap_or("—"), cols.assignee) + " ", theme::dim()));
    }
    if cols.priority > 0 {
        let p = match (&c.priority, cols.priority < 6) {
            (crate::domain::Priority::Medium, true) => "med".to_string(),
            (p, _) => p.to_string(),
        };
        spans.push(Span::styled(fit(&p, cols.priority) + " ", theme::priority(&c.priority)));
    }
    if cols.labels > 0 {
        spans.extend(label_spans(&c.labels, cols.labels, state));
    }
    spans.push(Span::styled(format!("{when:>4} "), theme::waiting(c.waiting_since, state.now)));
    let line = Line::from(spans);
    if selected { line.style(theme::selected()) } else { line }
}
