//! Hostile input: sanitizing is complete and stable, the wire decoders never panic, and a frame full of
//! hostile data sends the terminal no escape sequence but tinbox's own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use proptest::prelude::*;
use serde_json::Value;
use tinbox::backend::native::wire::*;
use tinbox::domain::SessionData;
use tinbox::text::{clean_line, clean_multiline, is_kept_in_context};

/// Hidden characters, except the ones an emoji or a flag needs (sanitizing twice shows they are in one).
fn is_forbidden(c: char) -> bool {
    tinbox::text::is_forbidden(c) && !is_kept_in_context(c)
}

/// Characters that must never survive: controls, bidi overrides and isolates, invisible formatting.
fn banned(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Strings weighted toward what attacks use: ESC, BEL, ST, C1, bidi, zero-width, plus any char.
fn hostile_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\u{1b}".to_string()),
        Just("\u{1b}]0;title\u{7}".to_string()),
        Just("\u{1b}]52;c;ZXZpbA==\u{1b}\\".to_string()),
        Just("\u{1b}P1$qm\u{1b}\\".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2066}".to_string()),
        Just("\u{200b}\u{200d}".to_string()),
        // Emoji, flags and their joiners: kept only where they join something.
        Just("👩".to_string()),
        Just("\u{200d}".to_string()),
        Just("\u{fe0f}".to_string()),
        Just("🏴".to_string()),
        Just("\u{e0067}\u{e0062}".to_string()),
        Just("\u{e007f}".to_string()),
        Just("\u{2028}\u{e0001}\u{3164}".to_string()),
        Just("\r\n".to_string()),
        any::<char>().prop_map(String::from),
        "[a-z ]{0,4}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn sanitized_lines_hold_no_control_or_bidi_and_are_stable(s in hostile_string()) {
        let once = clean_line(&s);
        prop_assert!(!once.chars().any(banned), "{once:?}");
        prop_assert!(!once.chars().any(is_forbidden));
        prop_assert_eq!(clean_line(&once), once.clone(), "sanitizing twice changes nothing");
    }

    #[test]
    fn sanitized_text_keeps_only_line_breaks(s in hostile_string()) {
        let once = clean_multiline(&s);
        prop_assert!(!once.chars().any(|c| c != '\n' && banned(c)), "{once:?}");
        prop_assert_eq!(clean_multiline(&once), once.clone());
    }

    #[test]
    fn any_string_at_all_is_handled(s in any::<String>()) {
        let once = clean_line(&s);
        prop_assert!(!once.chars().any(banned));
        prop_assert_eq!(clean_line(&once), once);
    }
}

/// Arbitrary JSON, nested a few levels, with the field names the decoders look for.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("id"),
        Just("_id"),
        Just("items"),
        Just("total"),
        Just("page"),
        Just("limit"),
        Just("total_pages"),
        Just("contact"),
        Just("name"),
        Just("full_name"),
        Just("phone"),
        Just("metadata"),
        Just("labels"),
        Just("assigned_to"),
        Just("created_at"),
        Just("status"),
        Just("channel"),
        Just("text"),
        Just("content"),
        Just("body"),
        Just("author"),
        Just("sections"),
        Just("fields"),
        Just("columns"),
        Just("order"),
        Just("session_data"),
        Just("panel_config"),
        Just("size"),
        Just("type"),
        Just("key"),
        Just("x"),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        hostile_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn wire_decoders_never_panic_on_arbitrary_json(v in json()) {
        let _ = page(v.clone(), WireConversation::into_domain);
        let _ = page(v.clone(), WireContact::into_domain);
        let _ = page(v.clone(), WireMessage::into_domain);
        let _ = page(v.clone(), WireNotification::into_domain);
        let _ = page(v.clone(), WireAgent::into_domain);
        let _ = page(v.clone(), WireComment::into_domain);
        let _ = page(v.clone(), WireFile::into_domain);
        let _ = page(v.clone(), WireActivity::into_domain);
        let _ = item(v.clone(), WireConversation::into_domain);
        let _ = label(&v);
        let s = SessionData::from_value(&v);
        for section in &s.panel.sections {
            prop_assert!(section.columns == 1 || section.columns == 2);
        }
        let bytes = serde_json::to_vec(&serde_json::json!({"status": "success", "data": v})).unwrap();
        let _ = tinbox::backend::native::decode_envelope(&bytes);
        let _ = tinbox::backend::native::decode_live_event("conversation.updated", &String::from_utf8_lossy(&bytes), "1");
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_envelope(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = tinbox::backend::native::decode_envelope(&bytes);
    }
}

const EVIL: &str = "Eve\u{1b}]0;owned\u{7}\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}]8;;http://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\\u{1b}P+q544e\u{1b}\\\u{1b}_apc\u{1b}\\\u{1b}^pm\u{1b}\\\u{1b}Xsos\u{1b}\\\u{9b}31m\u{9d}0;x\u{9c}\u{202e}gnp.exe\u{2066}\u{200b}\u{7f}\u{8}\r\n\u{1b}[2J\u{1b}[?1049l";

fn hostile_conversation(i: usize) -> Value {
    serde_json::json!({
        "id": format!("c{i}"), "contact_id": format!("k{i}"), "channel": EVIL, "subject": EVIL, "status": "open",
        "priority": EVIL, "labels": [EVIL, "ok"], "last_message_preview": EVIL,
        "assigned_to": {"id": "a", "name": EVIL},
        "contact": {"id": format!("k{i}"), "full_name": EVIL, "phone": EVIL, "email": EVIL,
                    "metadata": {EVIL: EVIL, "tier": EVIL}}
    })
}

#[test]
fn a_frame_of_hostile_data_sends_only_tinboxs_own_escape_sequences() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    use tinbox::app::{Load, Pane};

    let mut s = common::fixture::state(140, 40, 0);
    let items: Vec<Value> = (0..30).map(hostile_conversation).collect();
    s.list.items = page(serde_json::json!({"items": items, "total": 30}), WireConversation::into_domain).unwrap().items;
    s.detail.contact = Load::Ready(s.list.items[0].contact.clone());
    s.detail.session = Load::Ready(SessionData::from_value(&serde_json::json!({
        "flow_name": EVIL, "session_id": "x",
        "session_data": {"a": EVIL, "b": EVIL},
        "panel_config": {"sections": [{"id": "s", "label": EVIL, "columns": 2, "fields": [
            {"key": "a", "label": EVIL, "display_type": "badge", "color": EVIL},
            {"key": "b", "label": EVIL, "display_type": "tag"}]}]}})));
    let notes: Vec<Value> =
        (0..5).map(|i| serde_json::json!({"id": format!("n{i}"), "type": EVIL, "title": EVIL, "body": EVIL})).collect();
    s.notifications.items = page(serde_json::json!({"items": notes}), WireNotification::into_domain).unwrap().items;
    s.status.error = Some(tinbox::text::clean_line(EVIL));
    s.focus = Pane::List;

    let capture = common::Capture::default();
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 140, 40)) };
    let mut t = Terminal::with_options(CrosstermBackend::new(capture.clone()), options).unwrap();
    t.draw(|f| tinbox::ui::draw(f, &s)).unwrap();
    // And the thread view, with hostile message bodies.
    let msgs: Vec<Value> = (0..4).map(|i| serde_json::json!({"id": format!("m{i}"), "text": EVIL, "direction": EVIL, "author": {"id": "a", "name": EVIL}})).collect();
    let m = page(serde_json::json!({"items": msgs}), WireMessage::into_domain).unwrap().items;
    s.thread =
        Some(tinbox::app::Thread { conversation_id: "c0".into(), messages: Load::Ready(m), ..Default::default() });
    t.draw(|f| tinbox::ui::draw(f, &s)).unwrap();

    let bytes = capture.bytes();
    let text = String::from_utf8(bytes.clone()).expect("the terminal receives valid UTF-8");
    assert!(text.contains("Eve"), "the readable part of the names is shown");
    let mut i = 0;
    let mut csi = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b {
            let next = bytes.get(i + 1).copied();
            assert_eq!(
                next,
                Some(b'['),
                "only CSI sequences may reach the terminal; found ESC {:?} at {i}",
                next.map(char::from)
            );
            // Skip parameters and intermediates up to the final byte.
            let mut j = i + 2;
            while j < bytes.len() && !(0x40..=0x7e).contains(&bytes[j]) {
                j += 1;
            }
            csi += 1;
            i = j + 1;
            continue;
        }
        i += 1;
    }
    assert!(csi > 0, "tinbox's own cursor and colour sequences are there");
    for c in text.chars() {
        assert!(c == '\u{1b}' || !c.is_control() || c == '\r' || c == '\n', "control {c:?} reached the terminal");
        assert!(
            !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}'),
            "{c:?} reached the terminal"
        );
    }
    assert!(!text.contains("]0;") && !text.contains("]52;") && !text.contains("]8;"), "no OSC payload at all");
}
