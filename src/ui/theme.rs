//! Colours and styles, in one place.

use crate::domain::{Channel, ColorRole, Priority, Time};
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

/// The focused pane's border.
pub fn focused() -> Style {
    Style::new().fg(Color::Cyan)
}

/// Other panes' borders.
pub fn unfocused() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Errors.
pub fn error() -> Style {
    Style::new().fg(Color::Red)
}

/// Keys in hints and help.
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
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

/// A colour role as a terminal colour.
pub fn role(c: &ColorRole) -> Color {
    match c {
        ColorRole::Success => Color::Green,
        ColorRole::Warning => Color::Yellow,
        ColorRole::Error => Color::Red,
        ColorRole::Info => Color::Cyan,
        // Servers that name plain colours (Whatomate's tags: blue, red, green, yellow, purple, gray) keep them.
        ColorRole::Other(name) => match name.to_ascii_lowercase().as_str() {
            "blue" => Color::Blue,
            "red" => Color::Red,
            "green" => Color::Green,
            "yellow" | "orange" => Color::Yellow,
            "purple" | "magenta" | "violet" => Color::Magenta,
            "cyan" | "teal" => Color::Cyan,
            _ => Color::Gray,
        },
        ColorRole::Default => Color::Gray,
    }
}

/// The age column's style: the longer a customer has waited, the hotter.
pub fn waiting(since: Option<Time>, now: Time) -> Style {
    let Some(since) = since else { return dim() };
    match (now - since).num_minutes() {
        ..5 => Style::new().fg(Color::Green),
        5..30 => Style::new().fg(Color::Yellow),
        30..120 => Style::new().fg(Color::LightRed),
        _ => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}
