//! The conversation list: view counts in the title, filters at the bottom, one row per conversation.
//! Only the visible rows are built, so a list of 100,000 costs a frame what a list of 50 does.

use super::{pane_block, theme, usable};
use crate::app::{AppState, Pane, View, filters_label};
use crate::domain::{Capability, Conversation};
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
    let filters = filters_line(state);
    // Where the selection is, on the right, when it fits beside what the bottom edge already says.
    let position = position(state).filter(|at| filters.width() + width(at) + 3 <= area.width as usize);
    block = block.title_bottom(filters);
    if let Some(at) = position {
        block = block.title_bottom(Line::from(Span::styled(at, theme::dim())).right_aligned());
    }
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
    let unavailable = &state.account.unavailable;
    let cols = Columns::for_width(
        inner.width as usize,
        !unavailable.contains(&Capability::Priority),
        list.filters.status.is_none() && !unavailable.contains(&Capability::Status),
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

/// Where the selection is: " 3/189 " (of the server's total when more are still to load).
fn position(state: &AppState) -> Option<String> {
    let list = &state.list;
    let shown = list.items.len() as u64;
    (shown > 0).then(|| format!(" {}/{} ", thousands(list.selected as u64 + 1), thousands(list.total.max(shown))))
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

/// Column widths for a given inner width. As the list narrows, the columns go in the README's order: labels
/// first, then priority, then status, then the assignee; the subject keeps a readable width until only the
/// marker, channel, name, subject and age are left.
#[derive(Debug, PartialEq, Eq)]
struct Columns {
    name: usize,
    subject: usize,
    assignee: usize,
    priority: usize,
    status: usize,
    labels: usize,
}

/// The subject's width before any optional column is given room.
const SUBJECT_MIN: usize = 24;

impl Columns {
    /// Widths for `w` cells; `priority_shown` is false where the server has no priorities, `status_shown` is
    /// true when the rows may differ in status (the status filter lets several through).
    fn for_width(w: usize, priority_shown: bool, status_shown: bool) -> Self {
        let (name, mut assignee, mut priority) = match w {
            0..70 => (12, 8, 4),
            70..100 => (16, 8, 4),
            100..150 => (20, 10, 6),
            _ => (24, 12, 6),
        };
        let mut status = if status_shown { 8 } else { 0 };
        if !priority_shown {
            priority = 0;
        }
        // Marker 2, channel 5, age 5, and a space after the name and the subject.
        let base = 2 + 5 + 5 + name + 1 + 1;
        let room = |cols: [usize; 3]| cols.iter().filter(|w| **w > 0).map(|w| w + 1).sum::<usize>();
        // Dropped one at a time, in the README's order, until the subject has its readable width.
        let mut dropped = false;
        for drop in [1, 2, 0] {
            if base + SUBJECT_MIN + room([assignee, priority, status]) <= w {
                break;
            }
            dropped = true;
            match drop {
                1 => priority = 0,
                2 => status = 0,
                _ => assignee = 0,
            }
        }
        let fixed = base + room([assignee, priority, status]);
        // Labels go first: they get what is left once every other column and the subject fit, up to a cap.
        let spare = if dropped { 0 } else { w.saturating_sub(fixed + SUBJECT_MIN) };
        let labels = if spare >= 7 { spare.min(if w >= 130 { 26 } else { 16 }) - 1 } else { 0 };
        let subject = w.saturating_sub(fixed + if labels > 0 { labels + 1 } else { 0 }).max(1);
        Columns { name, subject, assignee, priority, status, labels }
    }
}

/// The labels that fit in `room` columns, each in its server colour (a name the server does not list, or one
/// with no colour, in the labels' magenta). Labels that do not fit are never dropped silently: the first is cut
/// with "…", the others counted ("+2").
fn label_spans(labels: &[crate::domain::Clean], room: usize, state: &AppState) -> Vec<Span<'static>> {
    let colour = |l: &crate::domain::Clean| state.account.labels.iter().find(|k| k.name == *l).map(|k| &k.color);
    let count = |left: usize, after: bool| match left {
        0 => String::new(),
        n => format!("{}+{n}", if after { " " } else { "" }),
    };
    let n = labels.len();
    // The most labels shown whole with the count of the rest beside them.
    let whole = |k: usize| labels[..k].iter().map(|l| width(l)).sum::<usize>() + k.saturating_sub(1);
    let fits = (0..=n).rev().find(|&k| whole(k) + width(&count(n - k, k > 0)) <= room).unwrap_or(0);
    let mut spans: Vec<Span<'static>> = Vec::new();
    if fits == 0 && n > 0 {
        // Not even one whole: the first, cut, beside the count of the others.
        let more = count(n - 1, true);
        let cut = crate::text::truncate(&labels[0], room.saturating_sub(width(&more)));
        spans.push(Span::styled(cut, theme::label(colour(&labels[0]))));
        spans.push(Span::styled(more, theme::dim()));
    } else {
        for (i, l) in labels[..fits].iter().enumerate() {
            spans.push(Span::styled(format!("{}{l}", if i == 0 { "" } else { " " }), theme::label(colour(l))));
        }
        spans.push(Span::styled(count(n - fits, fits > 0), theme::dim()));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
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
    if cols.status > 0 {
        spans.push(Span::styled(fit(c.status.as_str(), cols.status) + " ", theme::status(&c.status)));
    }
    if cols.labels > 0 {
        spans.extend(label_spans(&c.labels, cols.labels, state));
    }
    spans.push(Span::styled(format!("{when:>4} "), theme::waiting(c.waiting_since, state.now)));
    let line = Line::from(spans);
    if selected { line.style(theme::selected()) } else { line }
}

#[cfg(test)]
mod tests {
    use super::{Columns, SUBJECT_MIN};

    /// Which optional columns a width keeps, in the README's order of going.
    fn kept(w: usize) -> Vec<&'static str> {
        let c = Columns::for_width(w, true, true);
        let all = [("assignee", c.assignee), ("status", c.status), ("priority", c.priority), ("labels", c.labels)];
        all.iter().filter(|(_, w)| *w > 0).map(|(n, _)| *n).collect()
    }

    #[test]
    fn narrow_widths_drop_labels_then_priority_then_status_then_the_assignee() {
        let order: Vec<Vec<&str>> = vec![
            vec!["assignee", "status", "priority", "labels"],
            vec!["assignee", "status", "priority"],
            vec!["assignee", "status"],
            vec!["assignee"],
            vec![],
        ];
        // Every width keeps a prefix of the order, and every prefix is met on the way down.
        let seen: Vec<Vec<&str>> = (30..200).rev().map(kept).collect();
        for (w, k) in (30..200).rev().zip(&seen) {
            assert!(order.contains(k), "width {w} keeps {k:?}");
        }
        for o in &order {
            assert!(seen.contains(o), "no width keeps exactly {o:?}");
        }
        assert_eq!(kept(60), ["assignee"], "at 60 columns the assignee stays and labels go");
        assert_eq!(kept(80), ["assignee", "status", "priority"], "80 columns: only labels go");
    }

    #[test]
    fn labels_that_do_not_fit_are_cut_or_counted_never_dropped_silently() {
        let state = crate::app::AppState::new("t", chrono::Utc::now());
        let text = |labels: &[&str], room: usize| {
            let labels: Vec<crate::domain::Clean> = labels.iter().map(|l| (*l).into()).collect();
            let spans = super::label_spans(&labels, room, &state);
            let out: String = spans.iter().map(|s| s.content.as_ref()).collect();
            assert_eq!(crate::text::width(&out), room + 1, "{out:?} fills its column");
            out.trim_end().to_string()
        };
        assert_eq!(text(&["vip", "sales"], 9), "vip sales");
        assert_eq!(text(&["onboarding"], 9), "onboardi…");
        assert_eq!(text(&["urgent", "bug"], 9), "urgent +1");
        assert_eq!(text(&["onboarding", "vip", "x"], 9), "onboa… +2");
        assert_eq!(text(&["abcdef", "gh", "ij"], 9), "abcdef +2");
        assert_eq!(text(&["shipping", "vip"], 9), "shipp… +1", "cut before shown as a bare count");
        assert_eq!(text(&["abcdefg", "h", "i"], 9), "abcde… +2");
        assert_eq!(text(&["a", "b", "c", "d", "e", "f"], 9), "a b c +3");
    }

    #[test]
    fn every_width_fills_the_row_exactly_and_keeps_a_readable_subject_while_columns_remain() {
        for w in 30..260 {
            for (p, s) in [(true, true), (true, false), (false, true), (false, false)] {
                let c = Columns::for_width(w, p, s);
                let optional = [c.assignee, c.priority, c.status, c.labels];
                let used = 2
                    + 5
                    + 5
                    + c.name
                    + 1
                    + c.subject
                    + 1
                    + optional.iter().filter(|x| **x > 0).map(|x| x + 1).sum::<usize>();
                assert_eq!(used, w, "width {w}: {c:?}");
                if optional.iter().any(|x| *x > 0) {
                    assert!(c.subject >= SUBJECT_MIN, "width {w}: {c:?}");
                }
                assert!(!p || c.priority == 0 || c.assignee > 0, "priority never outlives the assignee");
            }
        }
    }
}
