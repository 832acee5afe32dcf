//! The agent's own keys: a `[keys]` table in the config file, or `keys.toml` beside it (which wins), names
//! actions and the keys that ask for them; only what it names changes. Every mistake — an unknown action, an
//! unknown key name, a key already taken — is reported with its file, line and column before the screen opens.

use crate::app::{Action, InputMode};
use crate::config::ConfigError;
use crate::keys::{BINDINGS, Binding, Key, Scope};
use ratatui::crossterm::event::KeyCode;
use std::borrow::Cow;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Each action the agent may rebind, by the name the config uses (`-` or `_` alike).
pub const ACTIONS: &[(&str, Action)] = &[
    ("down", Action::Down),
    ("up", Action::Up),
    ("first", Action::First),
    ("last", Action::Last),
    ("half-down", Action::HalfDown),
    ("half-up", Action::HalfUp),
    ("next-pane", Action::NextPane),
    ("prev-pane", Action::PrevPane),
    ("view-mine", Action::ViewMine),
    ("view-unassigned", Action::ViewUnassigned),
    ("view-all", Action::ViewAll),
    ("cycle-status", Action::CycleStatus),
    ("cycle-sort", Action::CycleSort),
    ("cycle-channel", Action::CycleChannel),
    ("cycle-label", Action::CycleLabel),
    ("search", Action::Search),
    ("open", Action::Open),
    ("assign", Action::Assign),
    ("assign-me", Action::AssignMe),
    ("unassign", Action::Unassign),
    ("take-next", Action::TakeNext),
    ("close", Action::Close),
    ("reopen", Action::Reopen),
    ("archive", Action::Archive),
    ("priority", Action::Priority),
    ("labels", Action::Labels),
    ("refresh", Action::Refresh),
    ("undo", Action::Undo),
    ("copy", Action::Copy),
    ("activities", Action::Activities),
    ("mark", Action::Toggle),
    ("mark-range", Action::MarkRange),
    ("mark-all", Action::MarkAll),
    ("reply", Action::Reply),
    ("note", Action::Note),
    ("send", Action::Send),
    ("editor", Action::Editor),
    ("template", Action::Templates),
    ("canned", Action::Canned),
    ("edit-contact", Action::EditContact),
    ("comment", Action::Comment),
    ("mark-read", Action::MarkRead),
    ("mark-all-read", Action::MarkAllRead),
    ("dismiss", Action::Dismiss),
    ("dismiss-all", Action::DismissAll),
    ("palette", Action::Palette),
    ("help", Action::Help),
    ("back", Action::Back),
    ("quit", Action::Quit),
];

/// Actions bound only in the composer, where a plain key is text.
const COMPOSER_ONLY: [Action; 3] = [Action::Send, Action::Editor, Action::Canned];

/// A key as the config names it: `x`, `G`, `ctrl-x`, `enter`, `esc`, `tab`, `shift-tab`, `space`, arrows,
/// `home`, `end`, `pgup`, `pgdn`, `backspace`, `delete`, `insert`, `f1`…`f12`.
pub fn parse_key(name: &str) -> Option<Key> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return (!c.is_control()).then_some(Key::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("ctrl-").or(lower.strip_prefix("ctrl+")).or(lower.strip_prefix("c-")) {
        let mut chars = rest.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphanumeric() => Some(Key::Ctrl(c)),
            _ => None,
        };
    }
    let code = match lower.as_str() {
        "space" => return Some(Key::Char(' ')),
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" => KeyCode::Insert,
        f => match f.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            Some(n @ 1..=12) => KeyCode::F(n),
            _ => return None,
        },
    };
    Some(Key::Code(code))
}

/// One file's text, for locating its entries.
struct Source<'a> {
    path: &'a str,
    text: &'a str,
}

impl Source<'_> {
    /// An error at byte `at` of this file.
    fn error(&self, at: usize, message: impl Into<String>) -> ConfigError {
        crate::config::located(self.text, self.path, at, message)
    }
}

/// One rebinding read from a file, with where it was written (the file and the byte of its keys).
struct Rebind {
    action: Action,
    name: &'static str,
    keys: Vec<Key>,
    at: usize,
}

/// The entries of `table` as rebindings, checked one by one.
fn read_entries(table: &DeTable, src: &Source) -> Result<Vec<Rebind>, ConfigError> {
    let mut out = Vec::new();
    for (key, value) in table {
        let wanted = key.get_ref().replace('_', "-");
        let Some(&(name, action)) = ACTIONS.iter().find(|(n, _)| *n == wanted) else {
            return Err(src.error(key.span().start, format!("unknown action \"{}\" in [keys]", key.get_ref())));
        };
        let mut names: Vec<(String, usize)> = Vec::new();
        match value.get_ref() {
            DeValue::String(s) => names.push((s.to_string(), value.span().start)),
            DeValue::Array(items) => {
                for item in items {
                    match item.get_ref() {
                        DeValue::String(s) => names.push((s.to_string(), item.span().start)),
                        _ => return Err(src.error(item.span().start, "a key is written as a string, like \"ctrl-x\"")),
                    }
                }
            }
            _ => return Err(src.error(value.span().start, "keys are a string or a list of strings")),
        }
        if names.is_empty() {
            return Err(src.error(value.span().start, format!("no key given for {name}")));
        }
        let mut keys = Vec::new();
        for (n, at) in names {
            let Some(k) = parse_key(&n) else {
                return Err(src.error(at, format!("unknown key \"{n}\" (e.g. \"x\", \"ctrl-x\", \"enter\", \"f5\")")));
            };
            if COMPOSER_ONLY.contains(&action) && matches!(k, Key::Char(_)) {
                return Err(
                    src.error(at, format!("{name} works in the composer, where \"{n}\" types text: use ctrl-…"))
                );
            }
            keys.push(k);
        }
        out.push(Rebind { action, name, keys, at: value.span().start });
    }
    Ok(out)
}

/// The default table with `rebinds` applied (a later one for the same action wins); a key two actions would
/// share where both apply is reported at the rebinding that made it so.
fn apply(rebinds: Vec<(Rebind, usize)>, sources: &[Source]) -> Result<Vec<Binding>, ConfigError> {
    let mut table: Vec<Binding> = BINDINGS.to_vec();
    let mut origin: Vec<Option<(usize, usize)>> = vec![None; table.len()];
    for (r, file) in &rebinds {
        let scope = if COMPOSER_ONLY.contains(&r.action) { InputMode::Composer } else { InputMode::Normal };
        for (i, b) in table.iter_mut().enumerate() {
            if b.action == r.action && b.scope == Scope::Mode(scope) {
                b.keys = Cow::Owned(r.keys.clone());
                origin[i] = Some((*file, r.at));
            }
        }
    }
    for (i, b) in table.iter().enumerate() {
        let Some((file, at)) = origin[i] else { continue };
        for k in b.keys.iter() {
            let clash = table.iter().enumerate().find(|(j, o)| {
                *j != i
                    && o.action != b.action
                    && (o.scope == b.scope || o.scope == Scope::Always)
                    && o.keys.contains(k)
            });
            if let Some((_, o)) = clash {
                let other = ACTIONS.iter().find(|(_, a)| *a == o.action).map(|(n, _)| *n).unwrap_or("quit (always)");
                let name = rebinds.iter().find(|(r, _)| r.action == b.action).map(|(r, _)| r.name).unwrap_or("");
                return Err(sources[file].error(at, format!("{} for {name} is already {other}'s key", k.label())));
            }
        }
    }
    Ok(table)
}

/// The `[keys]` table of a config file's text (`None` when it has none).
fn keys_table<'a>(doc: &'a Spanned<DeTable<'a>>) -> Option<&'a Spanned<DeValue<'a>>> {
    doc.get_ref().iter().find(|(k, _)| k.get_ref() == "keys").map(|(_, v)| v)
}

/// The key table for the config file at `config`: its `[keys]`, then `keys.toml` beside it.
pub fn load(config: &Path) -> Result<Vec<Binding>, ConfigError> {
    let beside = config.with_file_name("keys.toml");
    let mut texts = Vec::new();
    for path in [config, beside.as_path()] {
        match std::fs::read_to_string(path) {
            Ok(text) => texts.push((path.display().to_string(), text, path == beside.as_path())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ConfigError::Read { path: path.display().to_string(), reason: e.to_string() }),
        }
    }
    let sources: Vec<Source> = texts.iter().map(|(path, text, _)| Source { path, text }).collect();
    let mut rebinds = Vec::new();
    for (i, (_, text, whole)) in texts.iter().enumerate() {
        let src = &sources[i];
        let doc = DeTable::parse(text).map_err(|e| src.error(e.span().map(|s| s.start).unwrap_or(0), e.message()))?;
        // keys.toml is the table itself (or holds a [keys] table); the config holds it under [keys].
        let table = match (keys_table(&doc), whole) {
            (Some(v), _) => match v.get_ref() {
                DeValue::Table(t) => t,
                _ => return Err(src.error(v.span().start, "keys is a table: [keys]")),
            },
            (None, true) => doc.get_ref(),
            (None, false) => continue,
        };
        rebinds.extend(read_entries(table, src)?.into_iter().map(|r| (r, i)));
    }
    apply(rebinds, &sources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::action_in;
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};

    fn table(config: &str, beside: Option<&str>) -> Result<Vec<Binding>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, config).unwrap();
        if let Some(k) = beside {
            std::fs::write(dir.path().join("keys.toml"), k).unwrap();
        }
        load(&path).map_err(|e| e.to_string().replace(&dir.path().display().to_string(), "DIR"))
    }

    fn press(t: &[Binding], c: char, mode: InputMode) -> Option<Action> {
        action_in(t, KeyEvent::from(KeyCode::Char(c)), mode)
    }

    #[test]
    fn only_what_the_config_names_changes() {
        let t = table("[keys]\nassign_me = \"M\"\nclose = [\"z\", \"ctrl-w\"]\n", Some("activities = \"h\"")).unwrap();
        assert_eq!(press(&t, 'M', InputMode::Normal), Some(Action::AssignMe));
        assert_eq!(press(&t, 'm', InputMode::Normal), None, "the old key is free");
        assert_eq!(press(&t, 'z', InputMode::Normal), Some(Action::Close));
        let ctrl_w = KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(action_in(&t, ctrl_w, InputMode::Normal), Some(Action::Close));
        assert_eq!(press(&t, 'h', InputMode::Normal), Some(Action::Activities), "keys.toml beside the config");
        assert_eq!(press(&t, 'j', InputMode::Normal), Some(Action::Down), "untouched keys stay");
        let help = t.iter().find(|b| b.action == Action::Close && !b.group.is_empty()).unwrap();
        assert_eq!(help.keys_label(), "z Ctrl-W", "help shows the keys in force");
    }

    #[test]
    fn keys_toml_wins_over_the_config() {
        let t = table("[keys]\nrefresh = \"R\"\nreply = \"w\"\n", Some("[keys]\nrefresh = \"f5\"\n")).unwrap();
        assert_eq!(action_in(&t, KeyEvent::from(KeyCode::F(5)), InputMode::Normal), Some(Action::Refresh));
        assert_eq!(press(&t, 'R', InputMode::Normal), None);
        assert_eq!(press(&t, 'w', InputMode::Normal), Some(Action::Reply));
    }

    #[test]
    fn mistakes_are_reported_with_file_line_and_column() {
        let e = table("theme = \"dark\"\n[keys]\nasign = \"a\"\n", None).unwrap_err();
        assert_eq!(e, "DIR/config.toml:3:1: unknown action \"asign\" in [keys]");
        let e = table("[keys]\nclose = \"ctrl-shift-x\"\n", None).unwrap_err();
        assert!(e.starts_with("DIR/config.toml:2:9: unknown key \"ctrl-shift-x\""), "{e}");
        let e = table("[keys]\nclose = [\"x\", \"hyper\"]\n", None).unwrap_err();
        assert!(e.starts_with("DIR/config.toml:2:15: unknown key \"hyper\""), "{e}");
        let e = table("", Some("\n\nclose = \"a\"\n")).unwrap_err();
        assert_eq!(e, "DIR/keys.toml:3:9: a for close is already assign's key");
        let e = table("[keys]\nsend = \"s\"\n", None).unwrap_err();
        assert!(e.starts_with("DIR/config.toml:2:8: send works in the composer"), "{e}");
        let e = table("[keys]\nhelp = \"ctrl-c\"\n", None).unwrap_err();
        assert_eq!(e, "DIR/config.toml:2:8: Ctrl-C for help is already quit's key");
        let e = table("[keys]\nhelp = 3\n", None).unwrap_err();
        assert!(e.starts_with("DIR/config.toml:2:8: keys are a string"), "{e}");
        // Moving a key away and giving it to another action is no conflict.
        let t = table("[keys]\nassign = \"A\"\narchive = \"a\"\n", None).unwrap();
        assert_eq!(press(&t, 'a', InputMode::Normal), Some(Action::Archive));
        assert_eq!(press(&t, 'A', InputMode::Normal), Some(Action::Assign));
    }

    #[test]
    fn every_action_name_is_distinct_and_every_normal_action_has_one() {
        for (i, (n, a)) in ACTIONS.iter().enumerate() {
            assert!(ACTIONS[i + 1..].iter().all(|(m, b)| m != n && b != a), "{n}");
        }
        for b in BINDINGS.iter().filter(|b| b.scope == Scope::Mode(InputMode::Normal)) {
            assert!(ACTIONS.iter().any(|(_, a)| *a == b.action), "{:?} has no name", b.action);
        }
        assert_eq!(parse_key("G"), Some(Key::Char('G')));
        assert_eq!(parse_key("Ctrl-X"), Some(Key::Ctrl('x')));
        assert_eq!(parse_key("space"), Some(Key::Char(' ')));
        assert_eq!(parse_key("F13"), None);
    }
}
