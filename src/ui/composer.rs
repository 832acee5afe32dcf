//! The composer: where replies and private notes are written.

use super::theme;
use crate::app::{AppState, Composer, MessageKind, SEND_KEY};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};
use ratatui_textarea::TextArea;

/// The editing widget for the composer's text. The core holds the text; this holds the cursor, and reloads
/// the text whenever the core replaced it (a draft opened, `$EDITOR` returned).
#[derive(Default)]
pub struct Editor {
    showing: Option<(crate::domain::Clean, MessageKind, u64)>,
    area: TextArea<'static>,
}

fn textarea(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(text.split('\n').map(String::from).collect());
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    // A long line is read whole: wrapped at words (a word wider than the pane at its characters).
    area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    area
}

impl Editor {
    /// Follows the core's composer: a new one, or a text the core replaced, is loaded.
    pub fn sync(&mut self, state: &AppState) {
        let want = state.compose.open.as_ref().map(|c| (c.conversation_id.clone(), c.kind, c.revision));
        if want != self.showing {
            self.area = textarea(state.compose.open.as_ref().map(|c| c.text.as_str()).unwrap_or(""));
            self.showing = want;
        }
    }

    /// Types `key`; the text as it now stands when it changed.
    pub fn input(&mut self, key: KeyEvent) -> Option<String> {
        self.area.input(key).then(|| self.area.lines().join("\n"))
    }

    /// Inserts pasted text at the cursor as typed text (sanitized, line breaks kept); the text as it now stands.
    pub fn paste(&mut self, text: &str) -> Option<String> {
        self.area.insert_str(crate::text::clean_multiline(text)).then(|| self.area.lines().join("\n"))
    }

    /// The widget, while a composer is open.
    pub fn widget(&self) -> Option<&TextArea<'static>> {
        self.showing.as_ref().map(|_| &self.area)
    }
}

/// Draws the composer into `area`, with `editor` (or, where there is none, its text with the cursor at
/// the end). `warning` says why the server will refuse a reply (WhatsApp's closed window), shown while
/// nothing more pressing is.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    c: &Composer,
    editor: Option<&TextArea<'static>>,
    warning: Option<String>,
) {
    // A note must never be mistaken for a reply: its own colour, a double frame, and the words in the frame.
    let (label, border) = if c.is_note() {
        (" PRIVATE NOTE — agents only ", BorderType::Double)
    } else {
        (" Reply to the customer ", BorderType::Thick)
    };
    let (frame_style, badge) = theme::composer(c.is_note());
    let title = Line::from(vec![
        Span::styled(label, badge),
        Span::styled(format!("· {SEND_KEY} send · Ctrl-E editor · Esc keeps draft "), theme::title()),
    ]);
    let bottom = if let Some(who) = &c.confirm_newer {
        Line::from(Span::styled(format!(" {who} (shown above). Send anyway? y / n "), theme::banner()))
    } else if c.sending {
        Line::from(Span::styled(" Sending… ", theme::dim()))
    } else if let Some(e) = &c.error {
        Line::from(Span::styled(format!(" {e} "), theme::error()))
    } else if let Some(w) = warning {
        Line::from(Span::styled(w, theme::banner()))
    } else {
        Line::from("")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(border)
        .border_style(frame_style)
        .title(title)
        .title_bottom(bottom);
    let mut editor = editor.cloned().unwrap_or_else(|| textarea(&c.text));
    editor.set_block(block);
    editor.set_cursor_line_style(Style::new());
    frame.render_widget(&editor, area);
}
