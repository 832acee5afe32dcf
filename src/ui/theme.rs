//! Colours and styles, in one place: every widget asks the theme in force, none names a colour.
//!
//! Four themes: dark (the default, 256 colours), light (for light backgrounds: no pale text), 16 (the
//! terminal's own 16 colours only) and mono (`NO_COLOR`: no colour at all, the selection in reverse video).
//! The theme in force is set for one draw by [`with`], so drawing stays a function of state and theme.

use crate::domain::{Channel, ColorRole, Priority, Time};
use ratatui::style::{Color, Modifier, Style};
use std::cell::Cell;

/// The colours a theme draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Good news, a customer, a short wait.
    pub green: Color,
    /// Warnings, a medium wait, medium priority.
    pub yellow: Color,
    /// Errors, a long wait, high priority.
    pub red: Color,
    /// A server's "blue".
    pub blue: Color,
    /// Notes and labels with no colour of their own.
    pub magenta: Color,
    /// Keys, agents, the focused pane, replies.
    pub cyan: Color,
    /// Secondary text.
    pub gray: Color,
    /// Other panes' borders.
    pub faint: Color,
    /// The selected row's background.
    pub selection: Color,
    /// Text on a coloured badge.
    pub on_badge: Color,
}

/// A theme: its name and its palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// As `--theme` and the config name it.
    pub name: &'static str,
    /// The colours.
    pub palette: Palette,
    /// No colour at all: the selection and badges in reverse video.
    pub mono: bool,
}

/// The default: for dark backgrounds, in 256 colours.
pub const DARK: Theme = Theme {
    name: "dark",
    palette: Palette {
        green: Color::Indexed(114),
        yellow: Color::Indexed(221),
        red: Color::Indexed(203),
        blue: Color::Indexed(75),
        magenta: Color::Indexed(177),
        cyan: Color::Indexed(80),
        gray: Color::Indexed(248),
        faint: Color::Indexed(240),
        selection: Color::Indexed(238),
        on_badge: Color::Black,
    },
    mono: false,
};

/// For light backgrounds: dark, saturated text and a pale selection.
pub const LIGHT: Theme = Theme {
    name: "light",
    palette: Palette {
        green: Color::Indexed(28),
        yellow: Color::Indexed(130),
        red: Color::Indexed(160),
        blue: Color::Indexed(25),
        magenta: Color::Indexed(90),
        cyan: Color::Indexed(30),
        gray: Color::Indexed(240),
        faint: Color::Indexed(247),
        selection: Color::Indexed(253),
        on_badge: Color::White,
    },
    mono: false,
};

/// The terminal's own 16 colours, for terminals (and tmux set-ups) without 256.
pub const SIXTEEN: Theme = Theme {
    name: "16",
    palette: Palette {
        green: Color::Green,
        yellow: Color::Yellow,
        red: Color::Red,
        blue: Color::Blue,
        magenta: Color::Magenta,
        cyan: Color::Cyan,
        gray: Color::Gray,
        faint: Color::DarkGray,
        selection: Color::DarkGray,
        on_badge: Color::Black,
    },
    mono: false,
};

/// `NO_COLOR`: no colour; emphasis by bold and reverse video only.
pub const MONO: Theme = Theme {
    name: "mono",
    palette: Palette {
        green: Color::Reset,
        yellow: Color::Reset,
        red: Color::Reset,
        blue: Color::Reset,
        magenta: Color::Reset,
        cyan: Color::Reset,
        gray: Color::Reset,
        faint: Color::Reset,
        selection: Color::Reset,
        on_badge: Color::Reset,
    },
    mono: true,
};

/// The themes `--theme` takes, by name (mono is `NO_COLOR`'s, and may be named too).
pub const THEMES: [Theme; 4] = [DARK, LIGHT, SIXTEEN, MONO];

impl Theme {
    /// The theme called `name`.
    pub fn named(name: &str) -> Option<Theme> {
        THEMES.into_iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }
}

thread_local! {
    static CURRENT: Cell<Theme> = const { Cell::new(DARK) };
}

/// Runs `draw` with `theme` in force on this thread, then puts the previous one back.
pub fn with<R>(theme: Theme, draw: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(|c| c.replace(theme));
    let out = draw();
    CURRENT.with(|c| c.set(before));
    out
}

fn t() -> Theme {
    CURRENT.with(Cell::get)
}

fn fg(color: impl Fn(&Palette) -> Color) -> Style {
    let theme = t();
    if theme.mono { Style::new() } else { Style::new().fg(color(&theme.palette)) }
}

/// A badge: text on a coloured ground (reverse video without colour).
fn badge(ground: Color) -> Style {
    let theme = t();
    if theme.mono {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new().fg(theme.palette.on_badge).bg(ground)
    }
}

/// The selected row: never told by colour alone.
pub fn selected() -> Style {
    let theme = t();
    if theme.mono {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new().bg(theme.palette.selection).add_modifier(Modifier::BOLD)
    }
}

/// Secondary text.
pub fn dim() -> Style {
    fg(|p| p.gray)
}

/// Titles and headers.
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The focused pane's border.
pub fn focused() -> Style {
    fg(|p| p.cyan).add_modifier(Modifier::BOLD)
}

/// Other panes' borders.
pub fn unfocused() -> Style {
    fg(|p| p.faint)
}

/// Errors.
pub fn error() -> Style {
    fg(|p| p.red).add_modifier(Modifier::BOLD)
}

/// Warnings and things still under way.
pub fn warn() -> Style {
    fg(|p| p.yellow)
}

/// Good news.
pub fn ok() -> Style {
    fg(|p| p.green)
}

/// Neutral news (polling).
pub fn info() -> Style {
    fg(|p| p.cyan)
}

/// A question or warning that must be seen: dark on yellow.
pub fn banner() -> Style {
    badge(t().palette.yellow)
}

/// Keys in hints and help.
pub fn key() -> Style {
    fg(|p| p.cyan).add_modifier(Modifier::BOLD)
}

/// A session section's heading.
pub fn section() -> Style {
    title().patch(fg(|p| p.cyan))
}

/// The composer's frame and badge: a note in its own colour, never a reply's.
pub fn composer(note: bool) -> (Style, Style) {
    let ground = if note { t().palette.magenta } else { t().palette.cyan };
    let frame = if t().mono { Style::new().add_modifier(Modifier::BOLD) } else { Style::new().fg(ground) };
    (frame, badge(ground).add_modifier(Modifier::BOLD))
}

/// Who wrote a message: the customer, an agent, or a private note.
pub fn author(customer: bool, note: bool) -> Style {
    let style = match (customer, note) {
        (_, true) => fg(|p| p.yellow),
        (true, _) => fg(|p| p.green),
        _ => fg(|p| p.cyan),
    };
    style.add_modifier(Modifier::BOLD)
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
        Priority::High => fg(|p| p.red).add_modifier(Modifier::BOLD),
        Priority::Medium => warn(),
        _ => dim(),
    }
}

/// The colour of a conversation's status in the list: open ones plain, the others set back.
pub fn status(s: &crate::domain::ConvStatus) -> Style {
    match s {
        crate::domain::ConvStatus::Open => Style::new(),
        _ => dim(),
    }
}

/// A colour role as the theme draws it (`Reset` without colour).
pub fn role(c: &ColorRole) -> Color {
    let p = t().palette;
    match c {
        ColorRole::Success => p.green,
        ColorRole::Warning => p.yellow,
        ColorRole::Error => p.red,
        ColorRole::Info => p.cyan,
        // Servers that name plain colours (Whatomate's tags: blue, red, green, yellow, purple, gray) keep them.
        ColorRole::Other(name) => match name.to_ascii_lowercase().as_str() {
            "blue" => p.blue,
            "red" => p.red,
            "green" => p.green,
            "yellow" | "orange" => p.yellow,
            "purple" | "magenta" | "violet" => p.magenta,
            "cyan" | "teal" => p.cyan,
            _ => p.gray,
        },
        ColorRole::Default => p.gray,
    }
}

/// A label in the list: its server colour, or the labels' magenta when it has none.
pub fn label(c: Option<&ColorRole>) -> Style {
    match c {
        None | Some(ColorRole::Default) => fg(|p| p.magenta),
        Some(c) => fg(|_| role(c)),
    }
}

/// A session value in its field's colour (`plain` for a field with none).
pub fn value(c: &ColorRole, plain: bool) -> Style {
    if plain { Style::new() } else { fg(|_| role(c)) }
}

/// A session badge in its field's colour.
pub fn value_badge(c: &ColorRole) -> Style {
    badge(role(c))
}

/// The age column's style: the longer a customer has waited, the hotter.
pub fn waiting(since: Option<Time>, now: Time) -> Style {
    let Some(since) = since else { return dim() };
    match (now - since).num_minutes() {
        ..5 => ok(),
        5..30 => warn(),
        30..120 => fg(|p| p.red),
        _ => fg(|p| p.red).add_modifier(Modifier::BOLD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_colour_nothing_is_coloured_and_the_selection_is_reversed() {
        with(MONO, || {
            for s in [dim(), focused(), unfocused(), error(), warn(), ok(), key(), banner(), section(), label(None)] {
                assert_eq!((s.fg, s.bg), (None, None), "{s:?}");
            }
            assert!(selected().add_modifier.contains(Modifier::REVERSED));
            assert!(banner().add_modifier.contains(Modifier::REVERSED));
            assert_eq!(role(&ColorRole::Error), Color::Reset);
        });
        assert_eq!(dim().fg, Some(DARK.palette.gray), "the theme goes back after the draw");
    }

    #[test]
    fn sixteen_colours_are_the_terminals_own() {
        let p = SIXTEEN.palette;
        for c in [p.green, p.yellow, p.red, p.blue, p.magenta, p.cyan, p.gray, p.faint, p.selection, p.on_badge] {
            assert!(!matches!(c, Color::Indexed(_) | Color::Rgb(..)), "{c:?}");
        }
        assert_eq!(Theme::named("LIGHT"), Some(LIGHT));
        assert_eq!(Theme::named("solarized"), None);
    }
}
