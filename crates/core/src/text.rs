//! Text that is clean by type, sanitizing, and width-aware truncation of untrusted text.
//!
//! Every text a server sends reaches the domain model as a [`Clean`] (one line) or a [`CleanText`]
//! (several lines). Their only constructors sanitize, and reading one back from the offline cache
//! sanitizes again, so an unsanitized string cannot reach a widget, the cache or an error message.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Longest single-line field we keep (names, subjects, labels), in characters.
pub const MAX_LINE_CHARS: usize = 512;
/// Longest multi-line field we keep (message bodies, comments), in characters.
pub const MAX_TEXT_CHARS: usize = 16 * 1024;

macro_rules! clean_type {
    ($name:ident, $clean:path, $what:literal) => {
        #[doc = $what]
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Sanitizes `raw`: the only way to make one.
            pub fn new(raw: &str) -> Self {
                Self($clean(raw))
            }

            /// The clean text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self::new(raw)
            }
        }

        impl From<String> for $name {
            fn from(raw: String) -> Self {
                Self::new(&raw)
            }
        }

        impl From<&String> for $name {
            fn from(raw: &String) -> Self {
                Self::new(raw)
            }
        }

        impl From<&$name> for $name {
            fn from(c: &$name) -> Self {
                c.clone()
            }
        }

        impl PartialEq<&$name> for $name {
            fn eq(&self, other: &&$name) -> bool {
                self.0 == other.0
            }
        }

        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // A file on disk is no more trusted than the server it came from.
                String::deserialize(d).map(|s| Self::new(&s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

clean_type!(
    Clean,
    clean_line,
    "Server text on one line, sanitized (escape sequences, controls, invisibles removed; capped)."
);
clean_type!(
    CleanText,
    clean_multiline,
    "Server text of several lines, sanitized like [`Clean`] but keeping line breaks."
);

/// Sanitizes a single-line field: escape sequences, controls and line breaks removed, capped.
pub fn clean_line(raw: &str) -> String {
    clean(raw, false, MAX_LINE_CHARS)
}

/// Sanitizes a multi-line field: like [`clean_line`] but keeps `\n` (CR/LF folded to LF) and turns tabs to spaces.
pub fn clean_multiline(raw: &str) -> String {
    clean(raw, true, MAX_TEXT_CHARS)
}

/// Sanitizes an optional field, mapping empty results to `None`.
pub fn clean_opt(raw: Option<&str>) -> Option<Clean> {
    raw.map(Clean::new).filter(|s| !s.is_empty())
}

fn clean(raw: &str, multiline: bool, cap: usize) -> String {
    // A real parser removes whole CSI/OSC/DCS/APC/PM/SOS sequences, not just their ESC byte.
    let stripped = if raw.bytes().any(|b| b == 0x1b || b >= 0x80) {
        String::from_utf8_lossy(&strip_ansi_escapes::strip(raw.replace("\r\n", "\n"))).into_owned()
    } else {
        raw.replace("\r\n", "\n")
    };
    let mut out = String::with_capacity(stripped.len().min(cap * 4));
    let mut count = 0;
    for c in stripped.chars() {
        if count >= cap {
            break;
        }
        let keep = match c {
            '\n' | '\r' if multiline => Some('\n'),
            '\n' | '\r' | '\t' => Some(' '),
            c if is_forbidden(c) => None,
            c => Some(c),
        };
        if let Some(k) = keep {
            out.push(k);
            count += 1;
        }
    }
    if multiline { out } else { out.trim().to_string() }
}

/// True for characters that must never reach the terminal: controls, bidi overrides, invisible formatting.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || matches!(c, '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// Display width of a string in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Truncates to at most `max` cells, by grapheme, ending in `…` when cut; never splits a wide character.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Truncates then pads with spaces to exactly `cells` cells, so columns line up whatever the script.
pub fn fit(s: &str, cells: usize) -> String {
    let mut t = truncate(s, cells);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_whole_sequences() {
        assert_eq!(clean_line("a\x1b]0;pwned\x07b"), "ab");
        assert_eq!(clean_line("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(clean_line("x\x1bP1;2qdata\x1b\\y"), "xy");
        assert_eq!(clean_line("x\x1b_apc\x1b\\y"), "xy");
    }

    #[test]
    fn drops_controls_bidi_and_invisibles_but_keeps_zwj() {
        assert_eq!(clean_line("a\u{202E}b\u{2066}c\u{200B}d\u{FEFF}e\u{7f}f\u{85}g"), "abcdefg");
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(clean_line(family), family);
    }

    #[test]
    fn line_breaks_only_where_multiline() {
        assert_eq!(clean_line("one\r\ntwo\tthree"), "one two three");
        assert_eq!(clean_multiline("one\r\ntwo\rthree"), "one\ntwo\nthree");
    }

    #[test]
    fn caps_length() {
        assert_eq!(clean_line(&"x".repeat(10_000)).chars().count(), MAX_LINE_CHARS);
    }

    #[test]
    fn truncation_respects_wide_characters() {
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(width(&fit("日本語テキスト", 6)), 6);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(truncate("abc", 0), "");
    }
}
