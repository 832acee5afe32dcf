//! The chatbot session panel, laid out from the flow's `panel_config`: sections in order, fields as
//! `label: value`, two columns where the section asks and there is room, collapsible sections folding.

use super::{pane_block, theme, usable};
use crate::app::{AppState, Detail, Load, is_collapsed};
use crate::domain::{DisplayType, PanelField, PanelSection, SessionData};
use crate::text::{fit, truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Two columns need at least this much width; narrower, a 2-column section is laid out in one.
const TWO_COLUMNS_MIN: usize = 44;

/// Draws the session panel into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, focused: bool) {
    let d = &state.detail;
    let shown = d.shown();
    let note = if shown.updating { " · updating…" } else { "" };
    let (title, body): (String, Result<&SessionData, &str>) = match shown.session {
        Load::Ready(s) if s.is_empty() => (format!(" Session{note} "), Err("No chatbot session")),
        Load::Ready(s) => (format!(" {}{note} ", s.flow_name.as_deref().unwrap_or("Chatbot session")), Ok(s)),
        Load::Failed(e) => (" Session ".into(), Err(e.as_str())),
        Load::Loading => (" Session · loading… ".into(), Err("")),
        Load::Idle if d.conversation_id.is_some() => (" Session · loading… ".into(), Err("")),
        Load::Idle => (" Session ".into(), Err("No conversation selected.")),
    };
    let block = pane_block(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !usable(inner) {
        return;
    }
    let session = match body {
        Ok(s) => s,
        Err(text) => {
            frame.render_widget(Paragraph::new(text.to_string()).style(theme::dim()), inner);
            return;
        }
    };
    let (lines, focus_line) = build(session, d, focused, inner.width as usize);
    // Scroll just enough to keep the focused section's heading in view.
    let scroll = focus_line.saturating_sub(inner.height.saturating_sub(1) as usize);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(inner.height as usize).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// The panel's lines, and the index of the focused section's heading.
pub fn build(s: &SessionData, d: &Detail, focused: bool, width: usize) -> (Vec<Line<'static>>, usize) {
    let mut out = Vec::new();
    let mut focus_line = 0;
    if s.panel.sections.is_empty() {
        out.push(Line::from(Span::styled("This flow defines no panel sections.", theme::dim())));
    }
    for (i, section) in s.panel.sections.iter().enumerate() {
        let folded = section.collapsible && is_collapsed(d, &section.id);
        if i == d.section {
            focus_line = out.len();
        }
        out.push(heading(section, folded, focused && i == d.section, width));
        if folded {
            continue;
        }
        if section.fields.is_empty() {
            out.push(Line::from(Span::styled("  (no fields)", theme::dim())));
        }
        let two = section.columns == 2 && width >= TWO_COLUMNS_MIN;
        if two {
            let half = width / 2;
            for pair in section.fields.chunks(2) {
                let mut spans = field_spans(&pair[0], s, half);
                if let Some(second) = pair.get(1) {
                    spans.extend(field_spans(second, s, width - half));
                }
                out.push(Line::from(spans));
            }
        } else {
            for f in &section.fields {
                out.push(Line::from(field_spans(f, s, width)));
            }
        }
    }
    if s.panel.malformed {
        out.push(Line::from(Span::styled("Parts of this panel's layout could not be read.", theme::dim())));
    }
    (out, focus_line)
}

fn heading(section: &PanelSection, folded: bool, focused: bool, width: usize) -> Line<'static> {
    let marker = match (section.collapsible, folded) {
        (false, _) => "  ",
        (true, true) => "▸ ",
        (true, false) => "▾ ",
    };
    let mut style = theme::section();
    if focused {
        style = style.add_modifier(Modifier::REVERSED);
    }
    Line::from(Span::styled(truncate(&format!("{marker}{}", section.label), width), style))
}

/// `label: value` in exactly `cell` cells, the value drawn as text, badge or tag.
fn field_spans(f: &PanelField, s: &SessionData, cell: usize) -> Vec<Span<'static>> {
    let label_w = (cell * 2 / 5).clamp(4, 16).min(cell.saturating_sub(2));
    let value_w = cell.saturating_sub(label_w + 3);
    let label = Span::styled(format!("  {}", fit(&f.label, label_w)), theme::dim());
    let value = s.values.get(&f.key).filter(|v| !v.is_empty());
    let (text, style) = match (value, &f.display_type) {
        (None, _) => ("—".to_string(), theme::dim()),
        (Some(v), DisplayType::Badge) => {
            (format!(" {} ", truncate(v, value_w.saturating_sub(2))), theme::value_badge(&f.color))
        }
        (Some(v), DisplayType::Tag) => {
            (format!("[{}]", truncate(v, value_w.saturating_sub(2))), theme::value(&f.color, false))
        }
        (Some(v), _) => (truncate(v, value_w), theme::value(&f.color, f.color.as_str() == "default")),
    };
    let pad = value_w.saturating_sub(width(&text));
    vec![label, Span::raw(" "), Span::styled(text, style), Span::raw(" ".repeat(pad))]
}
