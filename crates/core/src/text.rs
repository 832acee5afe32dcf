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
    let mut flag_tags = 0;
    for (i, c) in stripped.char_indices() {
        // What follows, for the joins that depend on it (no copy of the text is made).
        let rest = &stripped[i + c.len_utf8()..];
        if count >= cap {
            break;
        }
        let keep = match c {
            '\n' | '\r' if multiline => Some('\n'),
            '\n' | '\r' | '\t' => Some(' '),
            // Joins two emoji into one (👩‍💻); anywhere else it only hides.
            ZWJ if out.chars().last().is_some_and(ends_emoji) && rest.chars().next().is_some_and(is_emoji) => Some(c),
            // Asks for the emoji look of the character before it (❤️, 1️⃣).
            VS16 if out.chars().last().is_some_and(|p| is_emoji(p) || p.is_ascii_digit() || p == '#' || p == '*') => {
                Some(c)
            }
            // A subdivision flag (🏴 + tag letters + cancel tag): the tags are kept only in a whole one.
            '\u{E0020}'..='\u{E007F}' if flag_tags > 0 => {
                flag_tags -= 1;
                Some(c)
            }
            c if is_forbidden(c) => None,
            c => Some(c),
        };
        if let Some(k) = keep {
            if k == BLACK_FLAG {
                flag_tags = flag_sequence_tags(rest);
            }
            out.push(k);
            count += 1;
        }
    }
    // Cut at the cap inside an emoji or a flag: what joined it to the rest goes too.
    let cut_flag = flag_tags > 0;
    while out.ends_with(ZWJ) || (cut_flag && out.chars().last().is_some_and(|c| matches!(c, '\u{E0020}'..='\u{E007F}')))
    {
        out.pop();
    }
    if multiline { out } else { out.trim().to_string() }
}

/// True for characters that must never reach the terminal: controls, bidi overrides, invisible formatting.
///
/// That is every Default_Ignorable_Code_Point and every format (Cf), line separator (Zl) and paragraph
/// separator (Zp) character of Unicode 16: bidi controls, zero-width characters, soft hyphens, Hangul
/// fillers, variation selectors, tag characters, interlinear annotation marks… [`clean_line`] keeps a ZWJ
/// or VS16 inside an emoji and tag characters inside a flag, where they draw something.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

const ZWJ: char = '\u{200D}';
const VS16: char = '\u{FE0F}';
const BLACK_FLAG: char = '\u{1F3F4}';

/// True for the invisible characters [`clean_line`] keeps where they draw something: a ZWJ or VS16 inside
/// an emoji, tag characters inside a subdivision flag.
pub fn is_kept_in_context(c: char) -> bool {
    matches!(c, ZWJ | VS16 | '\u{E0020}'..='\u{E007F}')
}

/// True for a character that can end an emoji another may be joined to (🏳️‍🌈: flag, VS16, ZWJ, rainbow).
fn ends_emoji(c: char) -> bool {
    is_emoji(c) || matches!(c, VS16 | '\u{20E3}' | '\u{E007F}')
}

/// True for characters drawn as emoji (Extended_Pictographic and the skin-tone modifiers, broadly).
fn is_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{00A9}'
            | '\u{00AE}'
            | '\u{203C}'
            | '\u{2049}'
            | '\u{2122}'
            | '\u{2139}'
            | '\u{2194}'..='\u{21AA}'
            | '\u{231A}'..='\u{23FF}'
            | '\u{24C2}'
            | '\u{25AA}'..='\u{25FE}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2934}'..='\u{2935}'
            | '\u{2B05}'..='\u{2B55}'
            | '\u{3030}'
            | '\u{303D}'
            | '\u{3297}'
            | '\u{3299}'
            | '\u{1F000}'..='\u{1FAFF}'
            | '\u{1FC00}'..='\u{1FFFD}'
    )
}

/// How many of `rest`'s first characters are the tags of a valid subdivision flag (tag letters or digits,
/// then a cancel tag); 0 when they are not one.
fn flag_sequence_tags(rest: &str) -> usize {
    let is_tag_letter = |c: &char| matches!(c, '\u{E0030}'..='\u{E0039}' | '\u{E0061}'..='\u{E007A}');
    let letters = rest.chars().take_while(is_tag_letter).count();
    let cancelled = rest.chars().nth(letters) == Some('\u{E007F}');
    if (2..=7).contains(&letters) && cancelled { letters + 1 } else { 0 }
}

/// A CSV cell made safe: sanitized like any server text, and a value a spreadsheet would run as a formula
/// (one starting with `=`, `+`, `-`, `@`, TAB or CR) is neutralised with a leading `'`, as OWASP advises.
pub fn csv_cell(raw: &str) -> String {
    let clean = clean_line(raw);
    let risky = raw.starts_with(['\t', '\r']) || clean.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky { format!("'{clean}") } else { clean }
}

/// Display width of a string in terminal cells, counted grapheme by grapheme exactly as the renderer lays
/// text out (so a lam-alef pair is two cells, not the one a whole-string measure gives).
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Cells one grapheme takes on screen: what the drawing buffer gives it (graphemes holding a control character
/// are not drawn; U+FF9E/U+FF9F, zero-width to unicode-width, take a cell of their own in terminals).
fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else if g.len() == 1 {
        1
    } else {
        UnicodeWidthStr::width(g) + g.chars().filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}')).count()
    }
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
        let w = grapheme_width(g);
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
    fn every_invisible_goes_and_emoji_keep_their_joins() {
        let hidden = [
            '\u{E0041}',
            '\u{E0001}',
            '\u{E0100}',
            '\u{E01EF}',
            '\u{2028}',
            '\u{2029}',
            '\u{206A}',
            '\u{206F}',
            '\u{FFF9}',
            '\u{FFFB}',
            '\u{115F}',
            '\u{1160}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{034F}',
            '\u{180E}',
            '\u{FE00}',
            '\u{FE0E}',
            '\u{200C}',
            '\u{0600}',
            '\u{1D173}',
            '\u{13430}',
            '\u{200D}',
            '\u{FE0F}',
        ];
        for c in hidden {
            assert_eq!(clean_line(&format!("a{c}b")), "ab", "U+{:04X} is removed", c as u32);
            assert_eq!(clean_multiline(&format!("a{c}b")), "ab", "U+{:04X} is removed", c as u32);
        }
        for kept in ["👨\u{200D}👩\u{200D}👧", "❤\u{FE0F}", "1\u{FE0F}\u{20E3}", "👩🏽\u{200D}💻", "🏳\u{FE0F}\u{200D}🌈"]
        {
            assert_eq!(clean_line(kept), kept);
        }
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(clean_line(scotland), scotland, "a whole subdivision flag keeps its tags");
        assert_eq!(clean_line("🏴\u{E0067}\u{E0062}x"), "🏴x", "tags without their cancel tag go");
        assert_eq!(clean_line("a\u{E0067}\u{E0062}\u{E007F}b"), "ab", "tags outside a flag go");
        assert_eq!(clean_line("a\u{200D}👩"), "a👩", "a ZWJ after a letter goes");
    }

    #[test]
    fn csv_cells_never_run_as_formulas_or_reach_the_terminal() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://evil\")"), "'=HYPERLINK(\"http://evil\")");
        for risky in ["+1", "-2", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(csv_cell(risky).starts_with('\''), "{risky:?} -> {:?}", csv_cell(risky));
        }
        assert_eq!(csv_cell("Ana \u{1b}]0;x\u{7}López"), "Ana López");
        assert_eq!(csv_cell("ana@example.com"), "ana@example.com", "an @ inside is harmless");
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

    #[test]
    fn widths_are_counted_per_grapheme_as_drawn() {
        assert_eq!(width("لا"), 2, "lam and alef are two graphemes, two cells");
        assert_eq!(width("ｶﾞｷﾞ"), 4, "a halfwidth voiced mark takes its own cell");
        assert_eq!(width("ﾞ"), 1);
        assert_eq!(width("👨\u{200D}👩\u{200D}👧"), 2, "one emoji sequence, one wide cell");
        assert_eq!(width("日本"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width(&fit("ｶﾞｷﾞｸﾞｹﾞ", 5)), 5);
        assert_eq!(width(&fit("لالالالا", 3)), 3);
    }
}
