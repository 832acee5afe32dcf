//! Small domain values for update() tests.
#![allow(dead_code)]

use chrono::{Duration, Utc};
use tinbox::domain::*;

/// An open, unassigned WhatsApp conversation whose last message was `minutes_ago`.
pub fn conversation(id: &str, minutes_ago: i64) -> Conversation {
    let t = Utc::now() - Duration::minutes(minutes_ago);
    Conversation {
        id: id.into(),
        contact_id: format!("cnt_{id}"),
        contact: Contact { id: format!("cnt_{id}"), name: format!("Name {id}"), ..Default::default() },
        channel: Channel::Whatsapp,
        subject: Some(format!("Subject {id}")),
        status: ConvStatus::Open,
        priority: Priority::Medium,
        assignee: None,
        labels: vec![],
        tags: vec![],
        message_count: 1,
        unread_count: 0,
        created_at: Some(t),
        updated_at: Some(t),
        last_message_at: Some(t),
        last_message_preview: None,
        waiting_since: None,
    }
}
