//! The thread's header line: where the conversation happens and where it stands — channel, status, priority,
//! who handles it and its labels — read from the same copy the list and the panels show.

use super::theme;
use crate::app::AppState;
use crate::domain::{Capability, Channel, Conversation};
use ratatui::text::{Line, Span};

/// A channel's name as an agent says it.
fn channel_name(c: &Channel) -> String {
    match c {
        Channel::Whatsapp => "WhatsApp".into(),
        Channel::Instagram => "Instagram".into(),
        Channel::Sms => "SMS".into(),
        Channel::Email => "Email".into(),
        Channel::Other(s) => s.to_string(),
    }
}

/// The header line for conversation `c`; what the server has no notion of (status, priority) is left out.
pub fn line(c: &Conversation, state: &AppState) -> Line<'static> {
    let unavailable = &state.account.unavailable;
    let sep = || Span::styled(" · ", theme::dim());
    let mut spans = vec![Span::styled(channel_name(&c.channel), theme::title())];
    if !unavailable.contains(&Capability::Status) {
        spans.push(sep());
        spans.push(Span::styled(c.status.to_string(), theme::status(&c.status)));
    }
    if !unavailable.contains(&Capability::Priority) {
        spans.push(sep());
        spans.push(Span::styled(format!("{} priority", c.priority), theme::priority(&c.priority)));
    }
    spans.push(sep());
    spans.push(match &c.assignee {
        Some(a) => Span::raw(format!("handled by {}", a.name)),
        None => Span::styled("unassigned", theme::warn()),
    });
    if !c.labels.is_empty() {
        spans.push(sep());
        for (i, l) in c.labels.iter().enumerate() {
            let colour = state.account.labels.iter().find(|k| k.name == *l).map(|k| &k.color);
            spans.push(Span::styled(format!("{}{l}", if i == 0 { "" } else { " " }), theme::label(colour)));
        }
    }
    Line::from(spans)
}
