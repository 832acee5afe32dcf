//! Key bindings: one table, so help is generated from what is really bound and can never be out of date.

use crate::domain::Capability;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Move down in the focused pane.
    Down,
    /// Move up in the focused pane.
    Up,
    /// Jump to the top.
    First,
    /// Jump to the bottom.
    Last,
    /// Half a page down.
    HalfDown,
    /// Half a page up.
    HalfUp,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Show conversations assigned to me.
    ViewMine,
    /// Show unassigned conversations.
    ViewUnassigned,
    /// Show all conversations.
    ViewAll,
    /// Cycle the status filter.
    CycleStatus,
    /// Cycle the sort order.
    CycleSort,
    /// Start typing a search.
    Search,
    /// Open the selected item (or fold a section).
    Open,
    /// Fold or unfold the focused section.
    Toggle,
    /// Reload from the server.
    Refresh,
    /// Show or hide help.
    Help,
    /// Back out of an overlay, the thread, or a search.
    Back,
    /// Leave tinbox.
    Quit,
    /// A character typed into the search.
    SearchInput(char),
    /// Delete the last search character.
    SearchBackspace,
    /// Keep the search and go back to the list.
    SearchAccept,
    /// Open the agent picker.
    Assign,
    /// Assign to me.
    AssignMe,
    /// Unassign.
    Unassign,
    /// Take the conversation that has waited longest in the queue.
    TakeNext,
    /// Close.
    Close,
    /// Reopen.
    Reopen,
    /// Archive.
    Archive,
    /// Open the priority picker.
    Priority,
    /// Open the label picker.
    Labels,
    /// Mark every row from the last mark to here.
    MarkRange,
    /// Mark every row in the view.
    MarkAll,
    /// Write a reply.
    Reply,
    /// Write a private note.
    Note,
    /// Send what the composer holds.
    Send,
    /// Edit the draft in `$EDITOR`.
    Editor,
    /// Mark the selected notification read.
    MarkRead,
    /// Mark every notification read.
    MarkAllRead,
    /// Dismiss the selected notification.
    Dismiss,
    /// Dismiss every notification (asks first).
    DismissAll,
    /// Answer yes.
    Yes,
    /// Answer no.
    No,
    /// Edit the contact.
    EditContact,
    /// Comment on the contact.
    Comment,
}

/// Whether keys are commands or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// Keys are commands.
    Normal,
    /// Keys type into the search line.
    Search,
    /// Keys filter and move a picker.
    Picker,
    /// Keys edit the composer's text.
    Composer,
    /// A question waits for y or n.
    Confirm,
    /// Keys type into a form's fields.
    Form,
}

/// One binding, as help shows it.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The group it is listed under.
    pub group: &'static str,
    /// The keys, as written in help.
    pub keys: &'static str,
    /// What they do.
    pub action: Action,
    /// Help text.
    pub help: &'static str,
}

const fn b(group: &'static str, keys: &'static str, action: Action, help: &'static str) -> Binding {
    Binding { group, keys, action, help }
}

const BINDINGS: &[Binding] = &[
    b("Move", "j ↓", Action::Down, "down"),
    b("Move", "k ↑", Action::Up, "up"),
    b("Move", "g Home", Action::First, "first"),
    b("Move", "G End", Action::Last, "last"),
    b("Move", "Ctrl-d PgDn", Action::HalfDown, "half a page down"),
    b("Move", "Ctrl-u PgUp", Action::HalfUp, "half a page up"),
    b("Move", "Tab", Action::NextPane, "next pane"),
    b("Move", "Shift-Tab", Action::PrevPane, "previous pane"),
    b("Views", "1", Action::ViewMine, "Mine"),
    b("Views", "2", Action::ViewUnassigned, "Unassigned"),
    b("Views", "3", Action::ViewAll, "All"),
    b("Views", "s", Action::CycleStatus, "cycle status filter"),
    b("Views", "o", Action::CycleSort, "cycle sort order"),
    b("Views", "/", Action::Search, "search (Esc clears)"),
    b("Act", "Enter", Action::Open, "open / fold section"),
    b("Act", "a", Action::Assign, "assign to… (picker)"),
    b("Act", "m", Action::AssignMe, "assign to me"),
    b("Act", "u", Action::Unassign, "unassign"),
    b("Act", "n", Action::TakeNext, "take the next waiting (queue)"),
    b("Act", "c", Action::Close, "close"),
    b("Act", "O", Action::Reopen, "reopen"),
    b("Act", "A", Action::Archive, "archive"),
    b("Act", "p", Action::Priority, "priority… (picker)"),
    b("Act", "l", Action::Labels, "labels… (picker)"),
    b("Act", "r", Action::Refresh, "refresh"),
    b("Marks", "Space", Action::Toggle, "mark row / fold section"),
    b("Marks", "v", Action::MarkRange, "mark from last mark to here"),
    b("Marks", "*", Action::MarkAll, "mark all in view (Esc clears)"),
    b("Write", "R", Action::Reply, "reply"),
    b("Write", "P", Action::Note, "private note"),
    b("Write", "Ctrl-S", Action::Send, "send (in the composer)"),
    b("Write", "Ctrl-E", Action::Editor, "edit in $EDITOR (in the composer)"),
    b("Contact", "e", Action::EditContact, "edit name, email, phone"),
    b("Contact", "C", Action::Comment, "add a comment (@name mentions)"),
    b("Notes", "x", Action::MarkRead, "mark notification read"),
    b("Notes", "X", Action::MarkAllRead, "mark all read"),
    b("Notes", "d", Action::Dismiss, "dismiss notification"),
    b("Notes", "D", Action::DismissAll, "dismiss all (asks first)"),
    b("Other", "?", Action::Help, "this help"),
    b("Other", "Esc", Action::Back, "back / close"),
    b("Other", "q", Action::Quit, "quit (from the list)"),
];

/// The server capability an action needs, as backends name what they cannot do.
pub fn capability(a: Action) -> Option<Capability> {
    match a {
        Action::Labels => Some(Capability::Labels),
        Action::TakeNext => Some(Capability::TakeNext),
        Action::Close | Action::Reopen | Action::Archive | Action::CycleStatus => Some(Capability::Status),
        Action::Priority => Some(Capability::Priority),
        Action::Note => Some(Capability::PrivateNotes),
        Action::Comment => Some(Capability::AddComments),
        Action::EditContact => Some(Capability::ContactEditing),
        _ => None,
    }
}

/// Every binding, in help order.
pub fn bindings() -> &'static [Binding] {
    BINDINGS
}

/// The keys a key event stands for. Over SSH and tmux a quick Esc followed by a key arrives as Alt+key;
/// tinbox binds no Alt keys, so such a key is Esc, then the key. Each is read in the mode the one before
/// it leaves (Esc closing the composer makes the next key a command, not text).
pub fn split_alt(key: KeyEvent) -> Vec<KeyEvent> {
    if key.modifiers.contains(KeyModifiers::ALT) {
        let plain = KeyEvent::new(key.code, key.modifiers.difference(KeyModifiers::ALT));
        return vec![KeyEvent::from(KeyCode::Esc), plain];
    }
    vec![key]
}

/// The action a key asks for in `mode`, if any.
pub fn action_for(key: KeyEvent, mode: InputMode) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match mode {
        InputMode::Confirm => {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Yes),
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Some(Action::No),
                _ => None,
            };
        }
        InputMode::Composer => {
            // Every other key is text, for the editing widget at the edge.
            return match key.code {
                KeyCode::Char('s') if ctrl => Some(Action::Send),
                KeyCode::Char('e') if ctrl => Some(Action::Editor),
                KeyCode::Esc => Some(Action::Back),
                _ => None,
            };
        }
        InputMode::Picker => {
            return match key.code {
                KeyCode::Esc => Some(Action::Back),
                KeyCode::Enter => Some(Action::Open),
                KeyCode::Tab => Some(Action::Toggle),
                KeyCode::Up => Some(Action::Up),
                KeyCode::Down => Some(Action::Down),
                KeyCode::Char('p') if ctrl => Some(Action::Up),
                KeyCode::Char('n') if ctrl => Some(Action::Down),
                KeyCode::Backspace => Some(Action::SearchBackspace),
                KeyCode::Char(c) if !ctrl => Some(Action::SearchInput(c)),
                _ => None,
            };
        }
        InputMode::Form => {
            return match key.code {
                KeyCode::Esc => Some(Action::Back),
                KeyCode::Enter => Some(Action::Open),
                KeyCode::Tab | KeyCode::Down => Some(Action::Down),
                KeyCode::BackTab | KeyCode::Up => Some(Action::Up),
                KeyCode::Backspace => Some(Action::SearchBackspace),
                KeyCode::Char(c) if !ctrl => Some(Action::SearchInput(c)),
                _ => None,
            };
        }
        InputMode::Normal | InputMode::Search => {}
    }
    if mode == InputMode::Search {
        return match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::SearchAccept),
            KeyCode::Backspace => Some(Action::SearchBackspace),
            KeyCode::Char('u') if ctrl => Some(Action::Back),
            KeyCode::Char(c) if !ctrl => Some(Action::SearchInput(c)),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Char('d') if ctrl => Action::HalfDown,
        KeyCode::Char('u') if ctrl => Action::HalfUp,
        _ if ctrl => return None,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::First,
        KeyCode::Char('G') | KeyCode::End => Action::Last,
        KeyCode::PageDown => Action::HalfDown,
        KeyCode::PageUp => Action::HalfUp,
        KeyCode::Tab => Action::NextPane,
        KeyCode::BackTab => Action::PrevPane,
        KeyCode::Char('1') => Action::ViewMine,
        KeyCode::Char('2') => Action::ViewUnassigned,
        KeyCode::Char('3') => Action::ViewAll,
        KeyCode::Char('s') => Action::CycleStatus,
        KeyCode::Char('o') => Action::CycleSort,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Enter => Action::Open,
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('a') => Action::Assign,
        KeyCode::Char('m') => Action::AssignMe,
        KeyCode::Char('u') => Action::Unassign,
        KeyCode::Char('n') => Action::TakeNext,
        KeyCode::Char('c') => Action::Close,
        KeyCode::Char('O') => Action::Reopen,
        KeyCode::Char('A') => Action::Archive,
        KeyCode::Char('p') => Action::Priority,
        KeyCode::Char('l') => Action::Labels,
        KeyCode::Char('v') => Action::MarkRange,
        KeyCode::Char('*') => Action::MarkAll,
        KeyCode::Char('R') => Action::Reply,
        KeyCode::Char('P') => Action::Note,
        KeyCode::Char('e') => Action::EditContact,
        KeyCode::Char('C') => Action::Comment,
        KeyCode::Char('x') => Action::MarkRead,
        KeyCode::Char('X') => Action::MarkAllRead,
        KeyCode::Char('d') => Action::Dismiss,
        KeyCode::Char('D') => Action::DismissAll,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    #[test]
    fn alt_keys_are_esc_then_the_key() {
        let alt_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT);
        assert_eq!(split_alt(alt_enter), [KeyEvent::from(KeyCode::Esc), KeyEvent::from(KeyCode::Enter)]);
        let j = KeyEvent::from(KeyCode::Char('j'));
        assert_eq!(split_alt(j), [j]);
    }

    /// Every action the key map produces in normal mode is documented in the table, and vice versa.
    #[test]
    fn help_and_keymap_agree() {
        let keys = "jkgGdu12 3so/ r?q".chars().map(KeyCode::Char).chain([
            KeyCode::Down,
            KeyCode::Up,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageDown,
            KeyCode::PageUp,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Enter,
            KeyCode::Esc,
        ]);
        let keys = keys.chain("amuncOApl vRPxXdD*eC".chars().map(KeyCode::Char));
        let mut produced: Vec<Action> = keys.filter_map(|k| action_for(KeyEvent::from(k), InputMode::Normal)).collect();
        produced.push(action_for(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL), InputMode::Normal).unwrap());
        for c in ['s', 'e'] {
            produced
                .push(action_for(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), InputMode::Composer).unwrap());
        }
        for a in &produced {
            assert!(BINDINGS.iter().any(|b| b.action == *a), "{a:?} is bound but not in help");
        }
        for b in BINDINGS {
            assert!(produced.contains(&b.action), "{:?} is in help but no key produces it", b.action);
        }
    }
}
