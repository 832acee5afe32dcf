//! The key table: one list of bindings, as data. Matching a key and writing the help both read it, so help
//! can never show a key that does not work, nor miss one that does.

use crate::app::{Action, InputMode};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character typed without Ctrl (Shift is part of the character: `G`, `?`).
    Char(char),
    /// Ctrl and a letter.
    Ctrl(char),
    /// A named key (arrows, Enter, Esc, Tab…).
    Code(KeyCode),
}

impl Key {
    /// True when the event is this key.
    pub fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Code(code) => !ctrl && ev.code == code,
        }
    }

    /// How help writes it.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Code(KeyCode::Down) => "↓".into(),
            Key::Code(KeyCode::Up) => "↑".into(),
            Key::Code(KeyCode::PageDown) => "PgDn".into(),
            Key::Code(KeyCode::PageUp) => "PgUp".into(),
            Key::Code(KeyCode::BackTab) => "Shift-Tab".into(),
            Key::Code(code) => code.to_string(),
        }
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere (Ctrl-C).
    Always,
    /// In one input mode.
    Mode(InputMode),
}

/// One binding: in `scope`, `keys` ask for `action`; help lists it under `group` with `help` (an empty
/// group keeps it out of help, for the keys of small overlays that show their own hints).
#[derive(Debug, Clone)]
pub struct Binding {
    /// Where it applies.
    pub scope: Scope,
    /// The keys (the agent's own where the config names them).
    pub keys: Cow<'static, [Key]>,
    /// What they ask for.
    pub action: Action,
    /// The help group ("" for none).
    pub group: &'static str,
    /// Help text.
    pub help: &'static str,
}

impl Binding {
    /// The keys as help writes them ("j ↓").
    pub fn keys_label(&self) -> String {
        self.keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(" ")
    }
}

use InputMode as M;
use Key::{Char as C, Code, Ctrl};
use KeyCode as K;
use std::borrow::Cow;
use std::sync::OnceLock;

const fn n(group: &'static str, keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { scope: Scope::Mode(M::Normal), keys: Cow::Borrowed(keys), action, group, help }
}

const fn m(mode: InputMode, keys: &'static [Key], action: Action) -> Binding {
    Binding { scope: Scope::Mode(mode), keys: Cow::Borrowed(keys), action, group: "", help: "" }
}

const fn w(keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { scope: Scope::Mode(M::Composer), keys: Cow::Borrowed(keys), action, group: "Write", help }
}

/// Every binding, in help order.
pub const BINDINGS: &[Binding] = &[
    Binding { scope: Scope::Always, keys: Cow::Borrowed(&[Ctrl('c')]), action: Action::Quit, group: "", help: "" },
    n("Move", &[C('j'), Code(K::Down)], Action::Down, "down"),
    n("Move", &[C('k'), Code(K::Up)], Action::Up, "up"),
    n("Move", &[C('g'), Code(K::Home)], Action::First, "first"),
    n("Move", &[C('G'), Code(K::End)], Action::Last, "last (list: loads to the end)"),
    n("Move", &[Ctrl('d'), Code(K::PageDown)], Action::HalfDown, "half a page down"),
    n("Move", &[Ctrl('u'), Code(K::PageUp)], Action::HalfUp, "half a page up"),
    n("Move", &[Code(K::Tab)], Action::NextPane, "next pane"),
    n("Move", &[Code(K::BackTab)], Action::PrevPane, "previous pane"),
    n("Views", &[C('1')], Action::ViewMine, "Mine"),
    n("Views", &[C('2')], Action::ViewUnassigned, "Unassigned"),
    n("Views", &[C('3')], Action::ViewAll, "All"),
    n("Views", &[C('s')], Action::CycleStatus, "cycle status filter"),
    n("Views", &[C('o')], Action::CycleSort, "cycle sort order"),
    n("Views", &[C('f')], Action::CycleChannel, "cycle channel filter"),
    n("Views", &[C('F')], Action::CycleLabel, "cycle label filter"),
    n("Views", &[C('/')], Action::Search, "search (Esc clears)"),
    n("Act", &[Code(K::Enter)], Action::Open, "open / fold section"),
    n("Act", &[C('a')], Action::Assign, "assign to… (picker)"),
    n("Act", &[C('m')], Action::AssignMe, "assign to me"),
    n("Act", &[C('u')], Action::Unassign, "unassign"),
    n("Act", &[C('n')], Action::TakeNext, "take the next waiting (queue)"),
    n("Act", &[C('c')], Action::Close, "close"),
    n("Act", &[C('O')], Action::Reopen, "reopen"),
    n("Act", &[C('A')], Action::Archive, "archive"),
    n("Act", &[C('p')], Action::Priority, "priority… (picker)"),
    n("Act", &[C('l')], Action::Labels, "labels… (picker)"),
    n("Act", &[C('r')], Action::Refresh, "refresh"),
    n("Act", &[C('U')], Action::Undo, "undo the last change (within a minute)"),
    n("Act", &[C('y')], Action::Copy, "copy id, phone, email or message (OSC 52)"),
    n("Act", &[C('H')], Action::Activities, "activities in the thread (again: hide)"),
    n("Marks", &[C(' ')], Action::Toggle, "mark row / fold section"),
    n("Marks", &[C('v')], Action::MarkRange, "mark from last mark to here"),
    n("Marks", &[C('*')], Action::MarkAll, "mark all in view (Esc clears)"),
    n("Write", &[C('R')], Action::Reply, "reply"),
    n("Write", &[C('P')], Action::Note, "private note"),
    w(&[Ctrl('s')], Action::Send, "send (in the composer)"),
    w(&[Ctrl('e')], Action::Editor, "edit in $EDITOR (in the composer)"),
    n("Write", &[C('T')], Action::Templates, "send a WhatsApp template"),
    w(&[Ctrl('t')], Action::Templates, "template instead (in the composer)"),
    w(&[Ctrl('g')], Action::Canned, "insert a canned response (in the composer)"),
    m(M::Composer, &[Code(K::Esc)], Action::Back),
    n("Contact", &[C('e')], Action::EditContact, "edit name, email, phone"),
    n("Contact", &[C('C')], Action::Comment, "add a comment (@name mentions)"),
    n("Notes", &[C('x')], Action::MarkRead, "mark notification read"),
    n("Notes", &[C('X')], Action::MarkAllRead, "mark all read"),
    n("Notes", &[C('d')], Action::Dismiss, "dismiss notification"),
    n("Notes", &[C('D')], Action::DismissAll, "dismiss all (asks first)"),
    n("Other", &[C(':')], Action::Palette, "command palette (:assign, :filter…)"),
    n("Other", &[C('?')], Action::Help, "this help"),
    n("Other", &[Code(K::Esc)], Action::Back, "back / close"),
    n("Other", &[C('q')], Action::Quit, "quit (from the list)"),
    // Small overlays show their own hints.
    m(M::Confirm, &[C('y'), C('Y')], Action::Yes),
    m(M::Confirm, &[C('n'), C('N'), Code(K::Esc)], Action::No),
    m(M::Search, &[Code(K::Esc)], Action::Back),
    m(M::Search, &[Ctrl('u')], Action::ClearInput),
    m(M::Search, &[Code(K::Enter)], Action::SearchAccept),
    m(M::Search, &[Code(K::Backspace)], Action::SearchBackspace),
    m(M::Picker, &[Code(K::Esc)], Action::Back),
    m(M::Picker, &[Code(K::Enter)], Action::Open),
    m(M::Picker, &[Code(K::Tab)], Action::Toggle),
    m(M::Picker, &[Code(K::Up), Ctrl('p')], Action::Up),
    m(M::Picker, &[Code(K::Down), Ctrl('n')], Action::Down),
    m(M::Picker, &[Code(K::Backspace)], Action::SearchBackspace),
    m(M::Picker, &[Ctrl('u')], Action::ClearInput),
    m(M::Palette, &[Code(K::Esc)], Action::Back),
    m(M::Palette, &[Code(K::Enter)], Action::Open),
    m(M::Palette, &[Code(K::Tab)], Action::Toggle),
    m(M::Palette, &[Code(K::Up), Ctrl('p')], Action::Up),
    m(M::Palette, &[Code(K::Down), Ctrl('n')], Action::Down),
    m(M::Palette, &[Code(K::Backspace)], Action::SearchBackspace),
    m(M::Palette, &[Ctrl('u')], Action::ClearInput),
    m(M::Form, &[Code(K::Esc)], Action::Back),
    m(M::Form, &[Code(K::Enter)], Action::Open),
    m(M::Form, &[Code(K::Tab), Code(K::Down)], Action::Down),
    m(M::Form, &[Code(K::BackTab), Code(K::Up)], Action::Up),
    m(M::Form, &[Code(K::Backspace)], Action::SearchBackspace),
    m(M::Form, &[Ctrl('u')], Action::ClearInput),
];

/// The table in force: the agent's (installed once at start, from the config), else the defaults.
static INSTALLED: OnceLock<Vec<Binding>> = OnceLock::new();

/// Puts the agent's table in force for the rest of the process (the first call wins).
pub fn install(table: Vec<Binding>) {
    let _ = INSTALLED.set(table);
}

/// The table in force.
pub fn table() -> &'static [Binding] {
    INSTALLED.get().map(Vec::as_slice).unwrap_or(BINDINGS)
}

/// The keys that ask for `action` from the list (normal mode), as help writes them; "" when none does.
pub fn keys_for(action: Action) -> String {
    table()
        .iter()
        .find(|b| b.scope == Scope::Mode(M::Normal) && b.action == action)
        .map(|b| b.keys_label())
        .unwrap_or_default()
}

/// The bindings help lists, in order.
pub fn help_bindings() -> impl Iterator<Item = &'static Binding> {
    table().iter().filter(|b| !b.group.is_empty())
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

/// The action a key asks for in `mode`, from the table; in the modes that take text, any other plain
/// character is typed. `None` in the composer means: text for the editing widget.
pub fn action_for(key: KeyEvent, mode: InputMode) -> Option<Action> {
    action_in(table(), key, mode)
}

/// [`action_for`] in `table`.
pub fn action_in(table: &[Binding], key: KeyEvent, mode: InputMode) -> Option<Action> {
    let bound = table
        .iter()
        .find(|b| (b.scope == Scope::Always || b.scope == Scope::Mode(mode)) && b.keys.iter().any(|k| k.matches(&key)));
    if let Some(b) = bound {
        return Some(b.action);
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match (mode, key.code) {
        (M::Search | M::Picker | M::Form | M::Palette, KeyCode::Char(c)) if !ctrl => Some(Action::SearchInput(c)),
        _ => None,
    }
}

/// How help would write `key`, when it is a command key bound to nothing in `mode` (normal mode only: the
/// other modes take text or show their own hints); `None` for modifier keys and the like.
pub fn unbound_label(key: KeyEvent, mode: InputMode) -> Option<String> {
    if mode != M::Normal || action_for(key, mode).is_some() {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let as_key = match key.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        code @ (KeyCode::Left
        | KeyCode::Right
        | KeyCode::Backspace
        | KeyCode::Delete
        | KeyCode::Insert
        | KeyCode::F(_)) => Key::Code(code),
        _ => return None,
    };
    Some(as_key.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::from(code)
    }

    #[test]
    fn alt_keys_are_esc_then_the_key() {
        let alt_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT);
        assert_eq!(split_alt(alt_enter), [key(KeyCode::Esc), key(KeyCode::Enter)]);
        let j = key(KeyCode::Char('j'));
        assert_eq!(split_alt(j), [j]);
    }

    /// Every key help lists does what help says, in the mode help means; nothing else is bound in normal mode.
    #[test]
    fn help_and_matching_read_the_same_table() {
        for b in help_bindings() {
            let Scope::Mode(mode) = b.scope else { continue };
            for k in b.keys.iter() {
                let ev = match *k {
                    Key::Char(c) => key(KeyCode::Char(c)),
                    Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
                    Key::Code(c) => key(c),
                };
                assert_eq!(action_for(ev, mode), Some(b.action), "{} in {mode:?}", k.label());
            }
        }
        for c in "bhiwzBEIJKLMNQSVWYZ".chars() {
            assert_eq!(action_for(key(KeyCode::Char(c)), M::Normal), None, "{c} is unbound");
            assert_eq!(unbound_label(key(KeyCode::Char(c)), M::Normal), Some(c.to_string()), "{c} is said unbound");
        }
        assert_eq!(unbound_label(key(KeyCode::Char('j')), M::Normal), None, "a bound key is not");
        assert_eq!(unbound_label(key(KeyCode::Char('z')), M::Composer), None, "text is not a key");
        let ctrl_b = KeyEvent::new(KeyCode::Char('b'), KeyModifiers::CONTROL);
        assert_eq!(unbound_label(ctrl_b, M::Normal).as_deref(), Some("Ctrl-B"));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [M::Normal, M::Search, M::Picker, M::Composer, M::Confirm, M::Form, M::Palette] {
            assert_eq!(action_for(ctrl_c, mode), Some(Action::Quit), "Ctrl-C quits in {mode:?}");
        }
        assert_eq!(action_for(key(KeyCode::Char('x')), M::Composer), None, "text for the editor");
        assert_eq!(action_for(key(KeyCode::Char('x')), M::Picker), Some(Action::SearchInput('x')));
        assert_eq!(help_bindings().find(|b| b.action == Action::Down).unwrap().keys_label(), "j ↓");
        assert_eq!(help_bindings().find(|b| b.action == Action::Send).unwrap().keys_label(), "Ctrl-S");
    }
}
