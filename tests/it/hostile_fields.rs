//! Hostile text in every text field of every backend's mapping (native, Whatomate, imBrace) and in error
//! texts: whatever arrives, the domain values hold no control, bidi or invisible character.
//!
//! Each template is a well-formed answer of its server, so the decoder really reads every field; each field
//! carries a marker (`F7:`) before its hostile text, and the test checks that every marker reached the
//! decoded value. A field the decoder skipped would leave its marker missing, and the test would fail.

use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::HashMap;
use tinbox::backend::{imbrace, native::wire as native, whatomate};
use tinbox::domain::Clean;
use tinbox::text::clean_multiline;

/// Hidden characters, except the ones an emoji or a flag needs (sanitizing again shows they are in one).
fn is_forbidden(c: char) -> bool {
    tinbox::text::is_forbidden(c) && !tinbox::text::is_kept_in_context(c)
}

/// Pieces attackers use, joined at random.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\u{1b}]0;owned\u{7}".to_string()),
        Just("\u{1b}[2J\u{1b}[H".to_string()),
        Just("\u{1b}]52;c;ZXZpbA==\u{1b}\\".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2067}".to_string()),
        Just("\u{200b}\u{feff}".to_string()),
        Just("\u{7}\u{8}\u{7f}".to_string()),
        Just("\r\n".to_string()),
        any::<char>().prop_map(String::from),
        "[a-z ]{0,3}",
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|v| v.concat())
}

/// The strings of a decoded value, as its serialized form holds them (keys and values).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                out.push(k.clone());
                strings(x, out);
            }
        }
        _ => {}
    }
}

/// Checks `decoded` holds no forbidden character and carries every marker in `reached`.
fn check<T: serde::Serialize>(what: &str, decoded: Option<T>, reached: &[usize]) -> Result<(), TestCaseError> {
    let Some(decoded) = decoded else { return Err(TestCaseError::fail(format!("{what}: did not decode"))) };
    let mut all = Vec::new();
    strings(&serde_json::to_value(&decoded).unwrap(), &mut all);
    for s in &all {
        prop_assert!(!s.chars().any(|c| c != '\n' && is_forbidden(c)), "{what}: {s:?}");
        prop_assert_eq!(&clean_multiline(s), s, "{}: sanitizing again changes nothing", what);
    }
    for k in reached {
        let marker = format!("F{k}:");
        prop_assert!(all.iter().any(|s| s.contains(&marker)), "{what}: field {k} was not reached: {all:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_text_field_of_every_backend_is_clean(bad in proptest::collection::vec(hostile(), 24)) {
        let h = |k: usize| format!("F{k}:{}", bad[k % bad.len()]);
        let page = |item: Value| json!({"items": [item], "total": 1, "page": 1, "limit": 50, "total_pages": 1});

        // The native API.
        let conv = json!({
            "id": h(0), "contact_id": h(1), "channel": h(2), "subject": h(3), "status": h(4), "priority": h(5),
            "assigned_to": {"id": h(6), "name": h(7)}, "labels": [h(8)], "tags": [h(9)],
            "last_message_preview": h(10),
            "contact": {"id": h(11), "full_name": h(12), "phone": h(13), "email": h(14), "preferred_channel": h(15),
                "metadata": {h(16): h(17)}, "status": h(18), "assigned_to": h(19), "account_id": h(20),
                "avatar_url": h(21)}
        });
        let decoded = native::page(page(conv), native::WireConversation::into_domain).ok().map(|p| p.items);
        check("native conversation", decoded, &(0..22).collect::<Vec<_>>())?;
        let msg = json!({"id": h(0), "conversation_id": h(1), "direction": h(2), "author": {"id": h(3), "name": h(4)},
            "text": h(5), "status": h(6)});
        check("native message", native::page(page(msg), native::WireMessage::into_domain).ok().map(|p| p.items), &[0, 1, 2, 3, 4, 5, 6])?;
        let note = json!({"id": h(0), "type": h(1), "title": h(2), "body": h(3), "conversation_id": h(4),
            "contact_id": h(5), "actor": {"id": h(6), "name": h(7)}});
        check("native notification", native::page(page(note), native::WireNotification::into_domain).ok().map(|p| p.items),
            &[0, 1, 2, 3, 4, 5, 7])?;
        let agent = json!({"id": h(0), "name": h(1), "email": h(2)});
        check("native agent", native::page(page(agent), native::WireAgent::into_domain).ok().map(|p| p.items), &[0, 1, 2])?;
        let activity = json!({"id": h(0), "type": h(1), "actor": {"id": h(2), "name": h(3)}, "detail": h(4)});
        check("native activity", native::page(page(activity), native::WireActivity::into_domain).ok().map(|p| p.items), &[0, 1, 3, 4])?;
        let label = native::label(&json!({"name": h(0), "color": h(1)}));
        prop_assert!(label.is_some_and(|l| l.name.contains("F0:") && !l.name.chars().any(is_forbidden)));

        // Whatomate.
        let contact = json!({"id": h(0), "phone_number": h(1), "profile_name": h(2), "status": h(3), "tags": [h(4)],
            "metadata": {h(5): h(6)}, "assigned_user_id": h(7), "whatsapp_account": h(8), "avatar_url": h(9),
            "last_message_preview": h(10)});
        let names = HashMap::from([(Clean::new(&h(7)), Clean::new(&h(11)))]);
        check("whatomate contact", whatomate::wire::contact(&contact), &[0, 1, 2, 3, 5, 6, 7, 8, 9])?;
        check("whatomate conversation", whatomate::wire::conversation(&contact, &names),
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])?;
        let msg = json!({"id": h(0), "contact_id": h(1), "direction": h(2), "content": {"body": h(3)}, "status": h(4)});
        check("whatomate message", whatomate::wire::message(&msg, "c"), &[0, 1, 2, 3, 4])?;
        let media = json!({"id": h(0), "message_type": h(1)});
        check("whatomate media", whatomate::wire::message(&media, "c"), &[0, 1])?;
        let wnote = json!({"id": h(0), "content": h(1), "created_by_name": h(2), "created_by_id": h(3), "contact_id": h(4)});
        check("whatomate note", whatomate::wire::note(&wnote, "c"), &[0, 1, 2, 3, 4])?;
        check("whatomate agent", whatomate::wire::agent(&json!({"id": h(0), "full_name": h(1), "email": h(2)})), &[0, 1, 2])?;

        // imBrace.
        let contact = json!({"_id": h(0), "display_name": h(1), "email": h(2), "phone_number": h(3), "avatar_url": h(4),
            "organization_id": h(5)});
        check("imbrace contact", imbrace::wire::contact(&contact), &[0, 1, 2, 3, 4, 5])?;
        let conv = json!({"_id": h(0), "contact_id": h(1), "channel_type": h(2), "status": h(3), "name": h(4),
            "users": [{"_id": h(5), "display_name": h(6)}], "last_message": h(7)});
        check("imbrace conversation", imbrace::wire::conversation(&conv), &[0, 1, 2, 3, 4, 5, 6, 7])?;
        // An agent known only by its id: the id is its name, and it is clean too.
        let bare = json!({"_id": h(0), "users": [h(1)]});
        check("imbrace bare agent", imbrace::wire::conversation(&bare), &[0, 1])?;
        let thread = imbrace::wire::conversation(&json!({"_id": "c", "contact_id": "ct"})).unwrap();
        let msg = json!({"_id": h(0), "conversation_id": h(1), "from": h(2), "content": {"text": h(3)}, "status": h(4)});
        check("imbrace message", imbrace::wire::message(&msg, &thread, None), &[0, 1, 2, 3, 4])?;
        let note = json!({"_id": h(0), "text": h(1), "user_id": h(2)});
        check("imbrace note", imbrace::wire::note(&note, "c", None), &[0, 1, 2])?;
        let user = json!({"id": h(0), "display_name": h(1), "email": h(2)});
        check("imbrace user", imbrace::wire::user(&user), &[0, 1, 2])?;
        let n = json!({"_id": h(0), "type": h(1), "content": {"title": h(2), "message": h(3), "conversation_id": h(4),
            "contact_id": h(5), "from": {"name": h(6)}}});
        check("imbrace notification", imbrace::wire::notification(&n), &[0, 1, 2, 3, 4, 5, 6])?;
        check("imbrace comment", imbrace::wire::comment(&json!({"_id": h(0), "text": h(1), "user": {"name": h(2)}})),
            &[0, 1, 2])?;
        check("imbrace file", imbrace::wire::file(&json!({"_id": h(0), "name": h(1), "url": h(2)})), &[0, 1, 2])?;
        check("imbrace activity", imbrace::wire::activity(&json!({"_id": h(0), "type": h(1), "description": h(2),
            "user": {"name": h(3)}})), &[0, 1, 2, 3])?;
    }

    #[test]
    fn error_texts_quoting_the_server_are_clean(bad in hostile()) {
        // A value of the wrong type is quoted back by the JSON decoder: the error text is clean all the same.
        let wrong = json!({"id": 1, "labels": bad.clone()});
        let e = native::item(wrong, native::WireConversation::into_domain).expect_err("a string is no list");
        let said = e.to_string();
        prop_assert!(!said.chars().any(is_forbidden), "{said:?}");
        let e = tinbox::backend::BackendError::Forbidden(bad.as_str().into()).to_string();
        prop_assert!(!e.chars().any(is_forbidden), "{e:?}");
        let e = tinbox::backend::BackendError::Server { status: 500, message: bad.as_str().into() }.to_string();
        prop_assert!(!e.chars().any(is_forbidden), "{e:?}");
    }
}
