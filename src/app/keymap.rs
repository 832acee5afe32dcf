//! Key bindings: one table, so help is generated from what is really bound.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Move the selection down.
    Down,
    /// Move the selection up.
    Up,
    /// Jump to the first row.
    First,
    /// Jump to the last row.
    Last,
    /// Reload from the server.
    Refresh,
    /// Leave tinbox.
    Quit,
}

/// One binding, as help shows it.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys, as written in help.
    pub keys: &'static str,
    /// What they do.
    pub action: Action,
    /// Help text.
    pub help: &'static str,
}

const BINDINGS: &[Binding] = &[
    Binding { keys: "j ↓", action: Action::Down, help: "next conversation" },
    Binding { keys: "k ↑", action: Action::Up, help: "previous conversation" },
    Binding { keys: "g", action: Action::First, help: "first conversation" },
    Binding { keys: "G", action: Action::Last, help: "last conversation" },
    Binding { keys: "r", action: Action::Refresh, help: "refresh" },
    Binding { keys: "q", action: Action::Quit, help: "quit" },
];

/// Every binding, in help order.
pub fn bindings() -> &'static [Binding] {
    BINDINGS
}

/// The action a key asks for, if any.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        _ if ctrl => return None,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::First,
        KeyCode::Char('G') | KeyCode::End => Action::Last,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}
