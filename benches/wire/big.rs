//! The test server's data: the demo inbox plus many generated conversations, each a customer of its own,
//! ordered so that row `i` of the list (newest activity first, after the demo's) is "Kunde {i:06}".

use chrono::{Duration as TimeDelta, Utc};
use tinbox_server::store::{ContactRec, ConvRec, Store};

/// The demo store with `n` more open, unassigned WhatsApp conversations, older than every demo one.
pub fn store(n: usize) -> Store {
    let now = Utc::now();
    let mut store = tinbox_server::demo::load(now).expect("the demo data loads");
    let oldest = store.conversations.iter().filter_map(|c| c.last_message_at).min().unwrap_or(now);
    store.contacts.reserve(n);
    store.conversations.reserve(n);
    for i in 0..n {
        let at = oldest - TimeDelta::minutes(1 + i as i64);
        let contact_id = format!("ct_b{i:06}");
        store.contacts.push(ContactRec {
            id: contact_id.clone(),
            first_name: "Kunde".into(),
            last_name: Some(format!("{i:06}")),
            phone: Some(format!("+4915{i:08}")),
            email: Some(format!("kunde{i:06}@example.com")),
            profile_name: None,
            preferred_channel: "whatsapp".into(),
            metadata: serde_json::Map::new(),
            status: "active".into(),
            account_id: None,
            assigned_to: None,
            created_at: at,
            updated_at: at,
            last_contacted: None,
            session: None,
        });
        store.conversations.push(ConvRec {
            id: format!("conv_b{i:06}"),
            contact_id,
            channel: "whatsapp".into(),
            subject: None,
            status: "open".into(),
            priority: "medium".into(),
            assignee: None,
            labels: vec![],
            tags: vec![],
            created_at: at,
            updated_at: at,
            message_count: 1,
            unread_count: 1,
            last_message_at: Some(at),
            last_message_preview: Some(format!("Hallo, ich warte auf Bestellung {i}")),
            waiting_since: Some(at),
            last_inbound_at: Some(at),
        });
    }
    store
}

/// The JSON the API serves for every conversation, in bytes (what the client's memory is compared to).
pub fn json_bytes(store: &Store) -> usize {
    store.conversations.iter().map(|c| serde_json::to_vec(&store.conversation_json(c)).map_or(0, |v| v.len())).sum()
}
