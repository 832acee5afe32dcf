//! The help overlay, generated from the key binding table so it can never be out of date.

use super::theme;
use crate::domain::Capability;
use crate::text::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Help as groups of lines, each group headed by its name; what the server, or the agent's role on it, cannot
/// do is marked.
fn groups(unavailable: &[Capability], role_cannot: &[Capability]) -> Vec<Vec<Line<'static>>> {
    let mut out: Vec<Vec<Line>> = Vec::new();
    let mut current = "";
    for b in crate::keys::help_bindings() {
        if b.group != current {
            current = b.group;
            out.push(vec![Line::from(Span::styled(current, theme::title()))]);
        }
        if let Some(g) = out.last_mut() {
            let cap = crate::app::capability(b.action);
            let why = match cap {
                Some(c) if unavailable.contains(&c) => Some("not on this server"),
                Some(c) if role_cannot.contains(&c) => Some("not for your role"),
                _ => None,
            };
            let line = if let Some(why) = why {
                Line::from(vec![
                    Span::styled(fit(&b.keys_label(), 13), theme::dim()),
                    Span::styled(format!("{} — {why}", b.help), theme::dim()),
                ])
            } else {
                Line::from(vec![Span::styled(fit(&b.keys_label(), 13), theme::key()), Span::raw(b.help)])
            };
            g.push(line);
        }
    }
    out
}

fn join(groups: &[Vec<Line<'static>>]) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            lines.push(Line::from(""));
        }
        lines.extend(g.iter().cloned());
    }
    lines
}

/// Draws help centred over `area`: one column when it fits, else two.
pub fn render(frame: &mut Frame, area: Rect, unavailable: &[Capability], role_cannot: &[Capability], scroll: usize) {
    let groups = groups(unavailable, role_cannot);
    let one = join(&groups);
    let two_cols = one.len() as u16 + 2 > area.height && area.width >= 64;
    let (left, right) = if two_cols {
        // Split between groups where the left column first holds at least half the lines.
        let total: usize = groups.iter().map(Vec::len).sum();
        let mut split = 0;
        let mut acc = 0;
        while split < groups.len() && acc * 2 < total {
            acc += groups[split].len();
            split += 1;
        }
        (join(&groups[..split]), join(&groups[split..]))
    } else {
        (one, Vec::new())
    };
    let rows = left.len().max(right.len()) as u16 + 2;
    // As wide as the terminal allows (up to 124), so "— not on this server" after a key's help is not cut off.
    let w = if two_cols { 124.min(area.width) } else { 60.min(area.width) };
    let h = rows.min(area.height);
    let rect = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused())
        .title(Span::styled(" Keys ", theme::title()))
        .title_bottom(Line::from(Span::styled(" ? or Esc closes ", theme::dim())));
    let inner = block.inner(rect);
    // What does not fit scrolls (j/k, Ctrl-D/Ctrl-U); the frame says where it is.
    let longest = left.len().max(right.len());
    let room = inner.height as usize;
    let scroll = scroll.min(longest.saturating_sub(room));
    let block = if longest > room {
        let shown = (scroll + room).min(longest);
        let more = if shown < longest { " · j/k scroll" } else { "" };
        block.title_bottom(
            Line::from(Span::styled(format!(" lines {}–{shown} of {longest}{more} ", scroll + 1), theme::dim()))
                .right_aligned(),
        )
    } else {
        block
    };
    frame.render_widget(block, rect);
    let (left, right): (Vec<_>, Vec<_>) =
        (left.into_iter().skip(scroll).collect(), right.into_iter().skip(scroll).collect());
    if two_cols {
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(Paragraph::new(left), l);
        frame.render_widget(Paragraph::new(right), r);
    } else {
        frame.render_widget(Paragraph::new(left), inner);
    }
}
