//! Tolerance: real servers vary; tinbox reads what it can and never fails a page for one bad item.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use tinbox::backend::BackendError;
use tinbox::backend::native::decode_envelope;
use tinbox::backend::native::wire::{WireContact, WireConversation, WireMessage, WireNotification, item, page};
use tinbox::domain::*;

#[test]
fn unknown_enum_values_become_other() {
    let c = item(
        json!({"id": "c1", "channel": "telegram", "status": "snoozed", "priority": "urgent!"}),
        WireConversation::into_domain,
    )
    .unwrap();
    assert_eq!(c.channel, Channel::Other("telegram".into()));
    assert_eq!(c.status, ConvStatus::Other("snoozed".into()));
    assert_eq!(c.priority, Priority::Other("urgent!".into()));
    let m = item(json!({"id": 7, "direction": "sideways", "status": "queued"}), WireMessage::into_domain).unwrap();
    assert_eq!(m.direction, Direction::Other("sideways".into()));
    assert_eq!(m.status, DeliveryStatus::Other("queued".into()));
    let n = item(json!({"id": "n", "type": "escalation"}), WireNotification::into_domain).unwrap();
    assert_eq!(n.kind, NotificationKind::Other("escalation".into()));
}

#[test]
fn missing_optional_fields_are_fine() {
    let c = item(json!({"id": "c1"}), WireConversation::into_domain).unwrap();
    assert_eq!(c.status, ConvStatus::Open);
    assert!(c.subject.is_none() && c.assignee.is_none() && c.labels.is_empty() && c.last_message_at.is_none());
    let contact = item(json!({"id": "x"}), WireContact::into_domain).unwrap();
    assert_eq!(contact.name, "(no name)");
    let m = item(json!({"id": "m"}), WireMessage::into_domain).unwrap();
    assert_eq!(m.text, "");
}

#[test]
fn both_field_spellings_are_accepted() {
    let seed001 = item(
        json!({"id": "a", "phone": "+1234567890", "full_name": "John Doe", "first_name": "John"}),
        WireContact::into_domain,
    )
    .unwrap();
    let seed002 = item(
        json!({"id": "b", "phone_number": "+1234567890", "name": "John Doe", "profile_name": "John"}),
        WireContact::into_domain,
    )
    .unwrap();
    assert_eq!(seed001.phone, seed002.phone);
    assert_eq!(seed001.name, seed002.name);
    let only_first =
        item(json!({"id": "c", "first_name": "Ana", "last_name": "Peña"}), WireContact::into_domain).unwrap();
    assert_eq!(only_first.name, "Ana Peña");
    let by_profile = item(json!({"id": "d", "profile_name": "Zed"}), WireContact::into_domain).unwrap();
    assert_eq!(by_profile.name, "Zed");
    // Assignee as an object, as a bare id, or null.
    let obj =
        item(json!({"id": "e", "assigned_to": {"id": "u1", "name": "Ann"}}), WireConversation::into_domain).unwrap();
    assert_eq!(obj.assignee.unwrap().name, "Ann");
    let bare = item(json!({"id": "f", "assigned_to": "u2"}), WireConversation::into_domain).unwrap();
    assert_eq!(bare.assignee.unwrap().id, "u2");
    // A message body under content.body (Whatomate's shape).
    let m = item(json!({"id": "g", "content": {"body": "hi"}}), WireMessage::into_domain).unwrap();
    assert_eq!(m.text, "hi");
}

#[test]
fn one_malformed_item_is_skipped_and_counted() {
    let data = json!({"items": [
        {"id": "ok1", "channel": "sms"},
        {"channel": "sms"},
        {"id": {"nested": true}},
        "not an object",
        {"id": "ok2", "message_count": "many"},
        {"id": "ok3", "labels": ["a", 5, null, "b"]}
    ], "total": 6, "page": 1, "limit": 20, "total_pages": 1});
    let p = page(data, WireConversation::into_domain).unwrap();
    // An unreadable counter ("many") reads as 0: counters never cost an item.
    assert_eq!(p.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["ok1", "ok2", "ok3"]);
    assert_eq!(p.skipped, 3);
    assert_eq!(p.items[2].labels, ["a", "b"], "non-string labels dropped, the item kept");
}

#[test]
fn paging_metadata_may_be_missing_or_a_bare_list() {
    let p = page(json!({"items": [{"id": "a"}], "total": 41, "page": 2, "limit": 20}), WireConversation::into_domain)
        .unwrap();
    assert_eq!(p.total_pages, 3, "computed when absent");
    assert!(p.has_more());
    let bare = page(json!([{"id": "a"}, {"id": "b"}]), WireConversation::into_domain).unwrap();
    assert_eq!((bare.total, bare.total_pages), (2, 1));
    assert!(matches!(page(json!("nope"), WireConversation::into_domain), Err(BackendError::BadResponse(_))));
    assert!(matches!(page(json!({"rows": []}), WireConversation::into_domain), Err(BackendError::BadResponse(_))));
}

#[test]
fn envelopes_and_garbage() {
    assert_eq!(decode_envelope(br#"{"status":"success","data":{"a":1}}"#).unwrap(), json!({"a":1}));
    assert!(matches!(
        decode_envelope(br#"{"status":"error","message":"Contact not found","data":null}"#),
        Err(BackendError::Server { .. })
    ));
    assert!(matches!(decode_envelope(b"<html>502 Bad Gateway</html>"), Err(BackendError::BadResponse(_))));
    assert!(matches!(decode_envelope(br#"{"status":"success","data":{"#), Err(BackendError::BadResponse(_))));
    assert!(matches!(decode_envelope(b"[1,2]"), Err(BackendError::BadResponse(_))));
}

#[test]
fn hostile_text_is_sanitized_where_it_enters() {
    let c = item(
        json!({"id": "c", "subject": "\u{1b}]52;c;ZXZpbA==\u{7}Refund\u{202e}", "contact": {"id": "k", "full_name": "\u{1b}[2JEve\u{200b}"},
               "last_message_preview": "line1\nline2\u{9b}31m"}),
        WireConversation::into_domain,
    )
    .unwrap();
    assert_eq!(c.subject.as_deref(), Some("Refund"));
    assert_eq!(c.contact.name, "Eve");
    assert!(!c.last_message_preview.unwrap().chars().any(|ch| ch.is_control()));
    let m = item(json!({"id": "m", "text": "hi\r\nthere\u{1b}[31m!"}), WireMessage::into_domain).unwrap();
    assert_eq!(m.text, "hi\nthere!", "message bodies keep line breaks");
}

#[test]
fn times_that_cannot_be_read_are_dropped_not_fatal() {
    let c = item(
        json!({"id": "c", "created_at": "yesterday", "updated_at": "2024-07-29T15:51:28.071Z"}),
        WireConversation::into_domain,
    )
    .unwrap();
    assert!(c.created_at.is_none());
    assert!(c.updated_at.is_some());
}

#[test]
fn live_events_of_unknown_type_still_carry_their_id() {
    let item = tinbox::backend::native::decode_live_event("typing.started", "{}", "41");
    assert_eq!(item.id.as_deref(), Some("41"));
    assert!(item.event.is_none());
    let bad = tinbox::backend::native::decode_live_event("conversation.updated", "{not json", "42");
    assert!(bad.event.is_none());
}

#[test]
fn one_odd_value_never_costs_the_page() {
    // A truncated emoji (lone surrogate), a number beyond f64, nesting beyond serde's limit, odd counters
    // and epoch times: the page decodes, every item is there, the odd values mended.
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let body = format!(
        r#"{{"status": "success", "data": {{"items": [
            {{"id": "c1", "subject": "Order \ud83d", "unread_count": -1, "message_count": 1e309,
              "created_at": 1767225600, "updated_at": 1767225600000}},
            {{"id": "c2", "subject": "ok", "unread_count": "7", "metadata": {deep}}},
            {{"id": "c3", "unread_count": 1.5, "last_message_at": "not a time"}}
        ], "meta": {{"total": 3, "page": 1, "limit": 50}}}}}}"#
    );
    let data = decode_envelope(body.as_bytes()).unwrap();
    let p = page(data, WireConversation::into_domain).unwrap();
    assert_eq!(p.items.len(), 3, "every item read: {:?}", p.items.iter().map(|c| &c.id).collect::<Vec<_>>());
    assert_eq!(p.skipped, 0);
    assert_eq!(p.items[0].subject.as_deref(), Some("Order \u{fffd}"));
    assert_eq!(p.items[0].unread_count, 0, "-1 reads as 0");
    assert_eq!(p.items[0].created_at.map(|t| t.timestamp()), Some(1767225600), "epoch seconds");
    assert_eq!(p.items[0].updated_at.map(|t| t.timestamp()), Some(1767225600), "epoch milliseconds");
    assert_eq!(p.items[1].unread_count, 7, "a numeric string");
    assert_eq!(p.items[2].unread_count, 1, "1.5 floors");
    assert!(p.items[2].last_message_at.is_none());
}

#[test]
fn an_agent_with_odd_counters_is_still_listed() {
    use tinbox::backend::native::wire::WireAgent;
    for open in [json!(-1), json!(18446744073709551616u128 as f64), json!(1.5), json!("7"), json!(null)] {
        let a = item(json!({"id": "u1", "name": "Ann", "open_conversations": open}), WireAgent::into_domain);
        assert!(a.is_ok(), "open_conversations {open} keeps the agent");
    }
}
