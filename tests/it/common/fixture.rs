//! A screen state built from the real demo data at a fixed time, mapped through the client's own wire types.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use tinbox::app::{AppState, Detail, Load, Msg, View, update};
use tinbox::backend::native::wire::{
    WireAgent, WireComment, WireContact, WireConversation, WireFile, WireNotification, item,
};
use tinbox::domain::{Agent, Conversation, Notification, SessionData};
use tinbox::server::demo;
use tinbox::server::store::{ConversationFilter, Store};

/// The fixed "now" of every snapshot.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
}

/// The demo store at the fixed time.
pub fn store() -> Store {
    demo::load(now()).unwrap()
}

/// Open conversations, newest first, as the client would receive them.
pub fn conversations(store: &Store) -> Vec<Conversation> {
    let f = ConversationFilter { status: Some("open".into()), sort: "latest".into(), ..Default::default() };
    store
        .filter_conversations(&f)
        .into_iter()
        .map(|c| item(store.conversation_json(c), WireConversation::into_domain).unwrap())
        .collect()
}

/// Alice's notifications, newest first.
pub fn notifications(store: &Store) -> Vec<Notification> {
    let mut mine: Vec<_> = store.notifications.iter().filter(|n| n.recipient == "agt_alice").collect();
    mine.sort_by_key(|n| std::cmp::Reverse(n.created_at));
    mine.into_iter().map(|n| item(store.notification_json(n), WireNotification::into_domain).unwrap()).collect()
}

/// Every agent.
pub fn agents(store: &Store) -> Vec<Agent> {
    store.agents.iter().map(|a| item(store.agent_json(a), WireAgent::into_domain).unwrap()).collect()
}

/// The session data of a contact.
pub fn session(store: &Store, contact_id: &str) -> SessionData {
    SessionData::from_value(&store.session_json(store.contact(contact_id).unwrap()))
}

/// A `width`×`height` screen with the demo inbox loaded, the `selected` row chosen and its details loaded.
pub fn state(width: u16, height: u16, selected: usize) -> AppState {
    let store = store();
    let mut s = AppState::new("http://127.0.0.1:7878", now());
    update(&mut s, Msg::Resize(width, height));
    s.account.agents = agents(&store);
    s.account.me = s.account.agents.iter().find(|a| a.id == "agt_alice").cloned();
    let items = conversations(&store);
    s.list.total = items.len() as u64;
    s.list.items = items;
    s.list.loaded = true;
    s.list.page = 1;
    s.list.counts.by_view.insert(View::Mine, 12);
    s.list.counts.by_view.insert(View::Unassigned, 80);
    s.list.counts.by_view.insert(View::All, s.list.total);
    s.notifications.items = notifications(&store);
    s.connection = tinbox::app::Connection::Live;
    select(&mut s, &store, selected);
    s
}

/// Selects row `index` and fills the panels as if its details had loaded.
pub fn select(s: &mut AppState, store: &Store, index: usize) {
    s.list.selected = index;
    s.list.offset = index.saturating_sub(tinbox::app::viewport::list_rows(s.size.0, s.size.1).saturating_sub(1));
    let c = s.list.items[index].clone();
    let contact = item(store.contact_json(store.contact(&c.contact_id).unwrap()), WireContact::into_domain).unwrap();
    let session = session(store, &c.contact_id);
    let collapsed =
        session.panel.sections.iter().map(|x| (x.id.clone(), x.collapsible && x.default_collapsed)).collect();
    s.detail = Detail {
        conversation_id: Some(c.id.clone()),
        contact_id: Some(c.contact_id.clone()),
        contact: Load::Ready(contact),
        session: Load::Ready(session),
        collapsed,
        section: 0,
        comments: Load::Ready(
            store
                .comments
                .get(c.contact_id.as_str())
                .map(|list| {
                    list.iter().rev().map(|x| item(store.comment_json(x), WireComment::into_domain).unwrap()).collect()
                })
                .unwrap_or_default(),
        ),
        files: Load::Ready(
            store
                .files
                .get(c.contact_id.as_str())
                .map(|list| {
                    list.iter()
                        .map(|f| item(serde_json::to_value(f).unwrap(), WireFile::into_domain).unwrap())
                        .collect()
                })
                .unwrap_or_default(),
        ),
        contact_scroll: 0,
        ..Detail::default()
    };
}

/// Opens the selected row's thread with its demo messages and activities (shown when `activities`).
pub fn open_thread(s: &mut AppState, store: &Store, activities: bool) {
    use tinbox::backend::native::wire::{WireActivity, WireMessage};
    let c = s.list.selected().unwrap().clone();
    let messages: Vec<_> = store
        .messages
        .get(c.id.as_str())
        .map(|list| list.iter().map(|m| item(store.message_json(m), WireMessage::into_domain).unwrap()).collect())
        .unwrap_or_default();
    let mut acts: Vec<_> = store
        .activities
        .get(c.id.as_str())
        .map(|list| list.iter().map(|a| item(store.activity_json(a), WireActivity::into_domain).unwrap()).collect())
        .unwrap_or_default();
    acts.sort_by_key(|a: &tinbox::domain::Activity| a.created_at);
    s.thread = Some(tinbox::app::Thread {
        conversation_id: c.id.clone(),
        conversation: Load::Ready(c),
        messages: Load::Ready(messages),
        activities: Load::Ready(acts),
        show_activities: activities,
        ..Default::default()
    });
}
