//! Colours and styles, in one place.

use crate::domain::{Channel, Priority};
use ratatui::style::{Color, Modifier, Style};

/// The selected row.
pub fn selected() -> Style {
    Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
}

/// Secondary text.
pub fn dim() -> Style {
    Style::new().fg(Color::Gray)
}

/// Titles and headers.
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Errors.
pub fn error() -> Style {
    Style::new().fg(Color::Red)
}

/// A short, fixed-width tag for a channel.
pub fn channel_tag(c: &Channel) -> String {
    match c {
        Channel::Whatsapp => "WA".into(),
        Channel::Instagram => "IG".into(),
        Channel::Sms => "SMS".into(),
        Channel::Email => "MAIL".into(),
        Channel::Other(s) => s.chars().take(4).collect::<String>().to_uppercase(),
    }
}

/// The colour of a priority.
pub fn priority(p: &Priority) -> Style {
    match p {
        Priority::High => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Priority::Medium => Style::new().fg(Color::Yellow),
        _ => dim(),
    }
}
