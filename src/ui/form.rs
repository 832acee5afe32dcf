//! A form overlay: labelled fields, the focused one marked, errors under the field they concern.

use super::theme;
use crate::app::{Form, FormKind};
use crate::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Draws `f` centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, f: &Form) {
    let title = match &f.kind {
        FormKind::EditContact(_) => " Edit contact ".to_string(),
        FormKind::Comment(_) => " Comment — @name mentions an agent ".to_string(),
        FormKind::Template { template, .. } => format!(" Template {} ({}) ", template.name, template.language),
        FormKind::Canned { .. } => " Canned response — fill in the rest ".to_string(),
    };
    let w = 72.min(area.width);
    // A template shows the message as the customer will read it, below its parameters.
    let preview = match &f.kind {
        FormKind::Template { template, .. } => {
            let values: Vec<(String, String)> = f.fields.iter().map(|x| (x.label.clone(), x.value.clone())).collect();
            preview_lines(&template.render(&values), w)
        }
        // A canned response shows the text as it will go into the reply.
        FormKind::Canned { text, .. } => {
            let values: Vec<(String, String)> = f.fields.iter().map(|x| (x.label.clone(), x.value.clone())).collect();
            preview_lines(&crate::domain::fill(text, &values), w)
        }
        _ => Vec::new(),
    };
    let h = (f.fields.len() as u16 * 2 + 4 + preview.len() as u16).min(area.height);
    if w < 20 || h < 4 {
        return;
    }
    let rect = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    frame.render_widget(Clear, rect);
    let status = match (&f.sending, &f.error) {
        (true, _) => Span::styled(" Saving… ", theme::dim()),
        (false, Some(e)) => Span::styled(format!(" {e} "), theme::error()),
        (false, None) if matches!(f.kind, FormKind::Template { .. }) => {
            Span::styled(" Tab next field · Enter send · Esc cancel ", theme::dim())
        }
        (false, None) if matches!(f.kind, FormKind::Canned { .. }) => {
            Span::styled(" Tab next field · Enter insert · Esc cancel ", theme::dim())
        }
        (false, None) => Span::styled(" Tab next field · Enter save · Esc cancel ", theme::dim()),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused())
        .title(Span::styled(truncate(&title, usize::from(w.saturating_sub(2))), theme::title()))
        .title_bottom(Line::from(status));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let mut lines = Vec::new();
    // Labels as wide as the longest (a template's `customer_name`), within reason, so none is cut.
    let label_w = f.fields.iter().map(|x| crate::text::width(&x.label) + 1).max().unwrap_or(9).clamp(9, 24);
    for (i, field) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        let cursor = if focused { "▏" } else { "" };
        let label_style = if focused { theme::key() } else { theme::dim() };
        lines.push(Line::from(vec![
            Span::styled(fit(&field.label, label_w), label_style),
            Span::raw(truncate(&format!("{}{cursor}", field.value), width.saturating_sub(label_w))),
        ]));
        let note = field
            .error
            .as_deref()
            .map(|e| Span::styled(truncate(&format!("{}{e}", " ".repeat(label_w)), width), theme::error()));
        lines.push(Line::from(note.into_iter().collect::<Vec<_>>()));
    }
    lines.extend(preview);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Preview" and `text` wrapped to a form `w` wide.
fn preview_lines(text: &str, w: u16) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(Span::styled("Preview", theme::title()))];
    for para in text.split('\n') {
        for l in textwrap::wrap(para, usize::from(w.saturating_sub(2)).max(8)) {
            out.push(Line::from(l.into_owned()));
        }
    }
    out
}
