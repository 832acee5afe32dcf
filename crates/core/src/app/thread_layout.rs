//! The open thread's text wrapped to the pane's width, kept per message: a key in a thread of 500 long
//! messages scrolls without wrapping 8 MB of text again, and a new message wraps only itself.

use super::viewport::THREAD_INDENT;
use crate::domain::Message;
use crate::text::{Clean, CleanText};
use std::collections::HashMap;
use std::sync::Arc;

/// Lines each message's text takes at one width, in thread order, with what they were wrapped from.
#[derive(Clone, Default, PartialEq)]
pub struct ThreadLayout {
    columns: usize,
    texts: Vec<Arc<[String]>>,
    /// How many of each message's last lines say why it failed.
    reasons: Vec<usize>,
    total: usize,
    /// By message id: the text (and failure) as wrapped, so an unchanged message is reused and a changed one
    /// is not.
    wrapped: HashMap<Clean, Wrapped>,
}

/// One message's lines and what they were wrapped from.
#[derive(Clone, PartialEq)]
struct Wrapped {
    text: CleanText,
    error: Option<CleanText>,
    lines: Arc<[String]>,
    reason: usize,
}

impl std::fmt::Debug for ThreadLayout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ThreadLayout {{ columns: {}, messages: {}, lines: {} }}", self.columns, self.texts.len(), self.total)
    }
}

impl ThreadLayout {
    /// `messages` laid out at `columns`, from nothing.
    pub fn of(messages: &[Message], columns: usize) -> Self {
        let mut layout = ThreadLayout { columns, ..Self::default() };
        layout.update(messages);
        layout
    }

    /// The pane is now `columns` wide: false when it already was.
    pub fn set_columns(&mut self, columns: usize) -> bool {
        if self.columns == columns {
            return false;
        }
        self.columns = columns;
        self.wrapped.clear();
        true
    }

    /// Lays `messages` out again, wrapping only those not wrapped before at this width.
    pub fn update(&mut self, messages: &[Message]) {
        let mut wrapped = HashMap::with_capacity(messages.len());
        (self.texts, self.reasons) = messages
            .iter()
            .map(|m| {
                let w = match self.wrapped.remove(&m.id) {
                    Some(w) if w.text == m.text && w.error == m.error => w,
                    _ => {
                        let (mut lines, reason) = (wrapped_text(&m.text, self.columns), failure_lines(m, self.columns));
                        let count = reason.len();
                        lines.extend(reason);
                        Wrapped { text: m.text.clone(), error: m.error.clone(), lines: Arc::from(lines), reason: count }
                    }
                };
                let out = (w.lines.clone(), w.reason);
                wrapped.insert(m.id.clone(), w);
                out
            })
            .unzip();
        // Only what is shown stays: a thread that was replaced leaves nothing behind.
        self.wrapped = wrapped;
        self.total = self.texts.iter().map(|t| t.len() + 2).sum();
    }

    /// True when this is `messages` laid out at `columns`.
    pub fn fits(&self, messages: &[Message], columns: usize) -> bool {
        self.columns == columns && self.texts.len() == messages.len()
    }

    /// Lines of the whole thread: each message's header, text and the blank line after it.
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many of the `i`th message's last lines say why it failed (drawn as an error).
    pub fn reason_lines(&self, i: usize) -> usize {
        self.reasons.get(i).copied().unwrap_or(0)
    }

    /// The wrapped text lines of the `i`th message.
    pub fn text(&self, i: usize) -> &[String] {
        self.texts.get(i).map(|t| &t[..]).unwrap_or(&[])
    }
}

/// Why a message failed, wrapped as its last lines: the reason is what the agent needs to act on, so it is
/// never cut at the pane's edge.
fn failure_lines(m: &Message, width: usize) -> Vec<String> {
    match (&m.status, &m.error) {
        (crate::domain::DeliveryStatus::Failed, Some(why)) => wrapped_text(&format!("✗ Not delivered: {why}"), width),
        _ => Vec::new(),
    }
}

/// `text` wrapped to `width` columns, indented under its message's header.
fn wrapped_text(text: &str, width: usize) -> Vec<String> {
    let wrap_at = width.saturating_sub(THREAD_INDENT.len()).max(8);
    text.split('\n')
        .flat_map(|para| textwrap::wrap(para, wrap_at).into_iter().map(|l| format!("{THREAD_INDENT}{l}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: &str, text: &str) -> Message {
        Message {
            id: id.into(),
            conversation_id: "c".into(),
            direction: crate::domain::Direction::Incoming,
            private: false,
            author: None,
            text: text.into(),
            status: crate::domain::DeliveryStatus::Delivered,
            error: None,
            created_at: None,
        }
    }

    #[test]
    fn only_new_or_changed_messages_are_wrapped_again() {
        let long = "word ".repeat(100);
        let mut messages = vec![message("a", &long), message("b", "short")];
        let mut layout = ThreadLayout::of(&messages, 40);
        let a = layout.texts[0].clone();
        assert_eq!(layout.total(), layout.text(0).len() + 2 + 1 + 2);
        messages.push(message("c", "new"));
        layout.update(&messages);
        assert!(Arc::ptr_eq(&a, &layout.texts[0]), "an unchanged message keeps its lines");
        messages[0].text = "edited".into();
        layout.update(&messages);
        assert_eq!(layout.text(0), ["  edited"], "a changed text is wrapped again");
        assert!(layout.set_columns(20) && !layout.set_columns(20));
        layout.update(&messages[1..]);
        assert_eq!(layout.wrapped.len(), 2, "messages no longer shown are forgotten");
        assert!(layout.fits(&messages[1..], 20) && !layout.fits(&messages, 20));
    }

    #[test]
    fn a_failures_reason_is_laid_out_under_it_and_counted_apart_from_the_text() {
        // The agent's own words may look like a reason: only the lines the failure added are counted.
        let mut m = message("a", "✗ Not delivered: my words");
        let mut layout = ThreadLayout::of(std::slice::from_ref(&m), 40);
        assert_eq!(layout.reason_lines(0), 0);
        m.status = crate::domain::DeliveryStatus::Failed;
        m.error = Some("more than 24 hours have passed since the customer last replied".into());
        layout.update(std::slice::from_ref(&m));
        assert_eq!(layout.reason_lines(0), 3, "{:?}", layout.text(0));
        assert_eq!(layout.text(0)[0], "  ✗ Not delivered: my words");
        assert!(layout.text(0)[1].starts_with("  ✗ Not delivered: more than 24 hours"));
    }
}
