//! Mends what would make a whole answer unreadable, so one odd value never hides the other items: a lone
//! surrogate escape (`\ud83d`, what a truncated emoji becomes in JavaScript) becomes U+FFFD, a number
//! beyond f64 (`1e309`) is clamped to the largest one, and a value nested deeper than [`MAX_DEPTH`] becomes
//! `null` (its item then reads without it, or is skipped alone). Each byte is looked at once; an answer
//! that needs nothing mended is not copied.

use std::borrow::Cow;

/// Nesting deeper than this is replaced by `null` (serde_json refuses 128 levels).
pub const MAX_DEPTH: usize = 64;

/// The answer with its unreadable parts mended (see the module docs).
pub fn repair(input: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut depth, mut in_string) = (0, 0usize, false);
    // Copies input[from..i] into `out` the first time something must change.
    let mut copied = 0;
    macro_rules! replace {
        ($from:expr, $to:expr, $with:expr) => {{
            let o = out.get_or_insert_with(|| Vec::with_capacity(input.len()));
            o.extend_from_slice(&input[copied..$from]);
            o.extend_from_slice($with);
            copied = $to;
        }};
    }
    while i < input.len() {
        let b = input[i];
        if in_string {
            match b {
                b'"' => in_string = false,
                b'\\' if input.get(i + 1) == Some(&b'u') => {
                    let unit = hex4(input.get(i + 2..i + 6));
                    match unit {
                        Some(0xD800..=0xDBFF) => {
                            let low = (input.get(i + 6..i + 8) == Some(b"\\u"))
                                .then(|| hex4(input.get(i + 8..i + 12)))
                                .flatten();
                            if matches!(low, Some(0xDC00..=0xDFFF)) {
                                i += 12;
                                continue;
                            }
                            replace!(i, i + 6, b"\\ufffd");
                        }
                        Some(0xDC00..=0xDFFF) => replace!(i, i + 6, b"\\ufffd"),
                        _ => {}
                    }
                    i += 6;
                    continue;
                }
                b'\\' => {
                    i += 2;
                    continue;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' if depth >= MAX_DEPTH => {
                let end = skip_value(input, i);
                replace!(i, end, b"null");
                i = end;
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' | b'0'..=b'9' => {
                let end = i + input[i..]
                    .iter()
                    .take_while(|c| matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .count();
                let number = std::str::from_utf8(&input[i..end]).ok().and_then(|t| t.parse::<f64>().ok());
                if number.is_some_and(f64::is_infinite) {
                    let clamped: &[u8] = if b == b'-' { b"-1.7976931348623157e308" } else { b"1.7976931348623157e308" };
                    replace!(i, end, clamped);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    match out {
        None => Cow::Borrowed(input),
        Some(mut o) => {
            o.extend_from_slice(&input[copied..]);
            Cow::Owned(o)
        }
    }
}

fn hex4(b: Option<&[u8]>) -> Option<u32> {
    u32::from_str_radix(std::str::from_utf8(b?).ok()?, 16).ok()
}

/// Where the array or object starting at `start` ends (one past its closing bracket, or the end).
fn skip_value(input: &[u8], start: usize) -> usize {
    let (mut depth, mut in_string, mut i) = (0usize, false, start);
    while i < input.len() {
        match (in_string, input[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => depth += 1,
            (false, b']' | b'}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    input.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn read(s: &str) -> Value {
        serde_json::from_slice(&repair(s.as_bytes())).unwrap()
    }

    #[test]
    fn a_lone_surrogate_becomes_a_replacement_character() {
        assert!(serde_json::from_str::<Value>(r#"["a\ud83d"]"#).is_err(), "serde_json refuses it");
        assert_eq!(
            read(r#"["a\ud83d", "b\udc00c", "ok \ud83d\ude00"]"#),
            serde_json::json!(["a\u{fffd}", "b\u{fffd}c", "ok 😀"])
        );
        assert_eq!(read(r#"["\\ud83d"]"#), serde_json::json!(["\\ud83d"]), "an escaped backslash is not an escape");
    }

    #[test]
    fn a_number_beyond_f64_is_clamped() {
        assert!(serde_json::from_str::<Value>("[1e309]").is_err());
        assert_eq!(
            read(r#"{"n": 1e309, "m": -2E999, "k": 7}"#),
            serde_json::json!({"n": f64::MAX, "m": f64::MIN, "k": 7})
        );
    }

    #[test]
    fn nesting_too_deep_becomes_null_and_the_rest_reads() {
        let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let page = format!(r#"{{"items": [{{"id": "a", "x": {deep}}}, {{"id": "b"}}]}}"#);
        assert!(serde_json::from_str::<Value>(&page).is_err());
        let v = read(&page);
        assert_eq!(v["items"][1]["id"], "b");
        assert_eq!(v["items"][0]["id"], "a");
    }

    #[test]
    fn a_sound_answer_is_not_copied() {
        let ok = br#"{"a": [1, 2.5, -3e10, "\u00e9\ud83d\ude00"], "b": {"c": null}}"#;
        assert!(matches!(repair(ok), Cow::Borrowed(_)));
    }
}
