//! update() is pure: every behaviour of the app is a test here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::sample;

use chrono::{Duration, Utc};
use std::time::Duration as StdDuration;
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::*;
use tinbox_core::protocol::{BackendError, Listed};

use sample::conversation as conv;

fn page(items: Vec<Conversation>, page: u32, total: u64) -> Page<Conversation> {
    Page { total_pages: total.div_ceil(50) as u32, items, total, page, limit: 50, skipped: 0 }
}

fn list_request(effects: &[Effect]) -> Option<(u64, u32)> {
    effects.iter().find_map(|e| match e {
        Effect::Send { id, request: Request::Conversations { query, .. }, .. } => Some((*id, query.page)),
        _ => None,
    })
}

/// Answers every conversation request in `effects`: the list with `items`, counts with `total`.
fn answer(s: &mut AppState, effects: &[Effect], items: Vec<Conversation>, total: u64) {
    for e in effects {
        if let Effect::Send { id, request: Request::Conversations { query, .. }, .. } = e {
            let rows = if query.limit == 1 { vec![] } else { items.clone() };
            let value = page(rows, query.page, total);
            let reply = Reply::Conversations { query: query.clone(), page: Listed::Fresh(value) };
            update(s, Msg::Worker(WorkerEvent::Reply { id: *id, result: Ok(reply) }));
        }
    }
}

/// A state with `n` conversations loaded from page 1 of `total`.
fn loaded(n: usize, total: u64) -> AppState {
    let mut s = AppState::new("test", Utc::now());
    let effects = start(&mut s);
    let items = (0..n).map(|i| conv(&format!("c{i:03}"), i as i64)).collect();
    answer(&mut s, &effects, items, total);
    assert!(!s.awaits(|p| matches!(p, Purpose::Count(_))));
    s
}

fn update_query(p: u32) -> tinbox_core::protocol::ConversationQuery {
    tinbox_core::protocol::ConversationQuery { page: p, limit: 50, status: Some("open".into()), ..Default::default() }
}

#[test]
fn start_asks_for_me_the_list_notifications_and_the_stream() {
    let mut s = AppState::new("test", Utc::now());
    let effects = start(&mut s);
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { request: Request::Me, .. })));
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { request: Request::Notifications(_), .. })));
    assert!(effects.contains(&Effect::StartLive));
    assert_eq!(list_request(&effects).map(|(_, p)| p), Some(1));
}

#[test]
fn navigation_stays_in_bounds() {
    let mut s = loaded(5, 5);
    update(&mut s, Msg::Action(Action::Up));
    assert_eq!(s.list.selected, 0);
    for _ in 0..10 {
        update(&mut s, Msg::Action(Action::Down));
    }
    assert_eq!(s.list.selected, 4);
    update(&mut s, Msg::Action(Action::First));
    assert_eq!(s.list.selected, 0);
    update(&mut s, Msg::Action(Action::Last));
    assert_eq!(s.list.selected, 4);
    assert_eq!(update(&mut s, Msg::Action(Action::Quit)), vec![Effect::Quit]);
}

#[test]
fn an_answer_to_an_older_list_request_is_ignored() {
    let mut s = loaded(3, 3);
    let refresh = update(&mut s, Msg::Action(Action::Refresh));
    let (newest, _) = list_request(&refresh).unwrap();
    let stale = Reply::Conversations { query: update_query(1), page: Listed::Fresh(page(vec![conv("zzz", 0)], 1, 1)) };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id: newest - 1, result: Ok(stale) }));
    assert!(s.list.items.iter().all(|c| c.id != "zzz"));
    assert_eq!(s.purpose_of(newest), Some(&Purpose::ListPage), "still waiting for the newest");
}

#[test]
fn the_next_page_loads_as_the_selection_nears_the_end_and_only_once() {
    let mut s = AppState::new("test", Utc::now());
    let effects = start(&mut s);
    let items: Vec<Conversation> = (0..50).map(|i| conv(&format!("c{i:03}"), i as i64)).collect();
    let mut asked = Vec::new();
    for e in &effects {
        if let Effect::Send { id, request: Request::Conversations { query, .. }, .. } = e {
            let rows = if query.limit == 1 { vec![] } else { items.clone() };
            let reply = Reply::Conversations { query: query.clone(), page: Listed::Fresh(page(rows, query.page, 120)) };
            // A page and a half ahead: page 2 is asked for as soon as page 1 is on screen.
            asked.extend(list_request(&update(&mut s, Msg::Worker(WorkerEvent::Reply { id: *id, result: Ok(reply) }))));
        }
    }
    assert!(s.list.has_more);
    for _ in 0..45 {
        asked.extend(list_request(&update(&mut s, Msg::Action(Action::Down))));
    }
    assert_eq!(asked.len(), 1, "holding j never piles up page requests");
    let (id, p) = asked[0];
    assert_eq!(p, 2);
    let more = (50..100).map(|i| conv(&format!("c{i:03}"), i)).collect();
    let reply = Reply::Conversations { query: update_query(2), page: Listed::Fresh(page(more, 2, 120)) };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id, result: Ok(reply) }));
    assert_eq!(s.list.items.len(), 100);
    assert_eq!(s.list.selected, 45, "the selection did not move");
}

#[test]
fn live_updates_change_rows_in_place_and_keep_the_selection_by_id() {
    let mut s = loaded(5, 5);
    update(&mut s, Msg::Action(Action::Down));
    update(&mut s, Msg::Action(Action::Down));
    let selected = s.list.selected().unwrap().id.clone();
    // A newer message on the last row moves it to the top; the selection follows its conversation.
    let mut bumped = conv("c004", 0);
    bumped.last_message_at = Some(Utc::now() + Duration::seconds(1));
    bumped.subject = Some("bumped".into());
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(bumped)))));
    assert_eq!(s.list.items[0].subject.as_deref(), Some("bumped"));
    assert_eq!(s.list.items.len(), 5);
    assert_eq!(s.list.selected().unwrap().id, selected);
    // A conversation closed elsewhere leaves the open list; the selection stays on its conversation.
    let mut closed = conv("c000", 0);
    closed.status = ConvStatus::Closed;
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(closed)))));
    assert!(s.list.items.iter().all(|c| c.id != "c000"));
    assert_eq!(s.list.selected().unwrap().id, selected);
    assert_eq!(s.list.total, 4);
}

#[test]
fn notifications_arrive_once_and_count_as_unread() {
    let mut s = loaded(1, 1);
    let n = Notification {
        id: "n1".into(),
        kind: NotificationKind::Assigned,
        title: "t".into(),
        body: "b".into(),
        conversation_id: None,
        contact_id: None,
        actor: None,
        is_read: false,
        created_at: None,
    };
    for _ in 0..2 {
        update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::NotificationCreated(Box::new(n.clone())))));
    }
    assert_eq!(s.unread_notifications(), 1);
}

#[test]
fn connection_state_and_errors_in_words() {
    let mut s = loaded(1, 1);
    let now = s.now;
    let down = LiveStatus::Retrying { error: BackendError::Network("x".into()), retry_in: StdDuration::from_secs(4) };
    update(&mut s, Msg::Worker(WorkerEvent::Live(down.clone())));
    let Connection::Offline { since, retry_at } = s.connection.clone() else { panic!() };
    assert_eq!(since, now);
    assert_eq!(retry_at, now + Duration::seconds(4));
    // A second failure keeps the original "offline since".
    update(&mut s, Msg::Tick(now + Duration::seconds(5)));
    update(&mut s, Msg::Worker(WorkerEvent::Live(down)));
    assert!(matches!(s.connection, Connection::Offline { since: t, .. } if t == now));
    assert!(s.status.error.as_deref().unwrap().contains("cannot reach the server"));
    update(&mut s, Msg::Worker(WorkerEvent::Live(LiveStatus::Live)));
    assert_eq!(s.connection, Connection::Live);
}

fn sent(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| if let Effect::Send { request, .. } = e { Some(request.clone()) } else { None })
        .collect()
}

fn list_queries(effects: &[Effect]) -> Vec<tinbox_core::protocol::ConversationQuery> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { key: Some(RequestKey::List), request: Request::Conversations { query, .. }, .. } => {
                Some(query.clone())
            }
            _ => None,
        })
        .collect()
}

fn act(s: &mut AppState, a: Action) -> Vec<Effect> {
    update(s, Msg::Action(a))
}

#[test]
fn switching_views_asks_for_that_view_and_keeps_other_filters() {
    let mut s = loaded(5, 5);
    let q = list_queries(&act(&mut s, Action::ViewMine));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].assigned_to, Some(tinbox_core::protocol::Assigned::Me));
    assert_eq!(q[0].status.as_deref(), Some("open"));
    assert_eq!(
        list_queries(&act(&mut s, Action::ViewUnassigned))[0].assigned_to,
        Some(tinbox_core::protocol::Assigned::Nobody)
    );
    assert_eq!(list_queries(&act(&mut s, Action::ViewAll))[0].assigned_to, None);
    assert!(act(&mut s, Action::ViewAll).is_empty(), "the same view again asks for nothing");
}

#[test]
fn s_cycles_status_and_o_cycles_sort() {
    let mut s = loaded(5, 5);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let effects = act(&mut s, Action::CycleStatus);
        statuses.push(list_queries(&effects)[0].status.clone());
        assert_eq!(sent(&effects).len(), 4, "the list and the three view counts");
        answer(&mut s, &effects, vec![conv("c000", 0)], 1);
    }
    assert_eq!(statuses, [Some("closed".into()), Some("archived".into()), None, Some("open".into())]);
    let mut sorts = Vec::new();
    for _ in 0..3 {
        sorts.push(list_queries(&act(&mut s, Action::CycleSort))[0].sort);
    }
    use tinbox_core::protocol::SortOrder::*;
    assert_eq!(sorts, [Waiting, Priority, Latest]);
}

#[test]
fn search_is_server_side_as_you_type_and_esc_clears_it() {
    let mut s = loaded(5, 5);
    assert!(act(&mut s, Action::Search).is_empty());
    assert_eq!(s.input_mode(), InputMode::Search);
    act(&mut s, Action::SearchInput('r'));
    let q = list_queries(&act(&mut s, Action::SearchInput('e')));
    assert_eq!(q[0].search.as_deref(), Some("re"));
    let effects = act(&mut s, Action::SearchBackspace);
    let q = list_queries(&effects);
    assert_eq!(q[0].search.as_deref(), Some("r"));
    answer(&mut s, &effects, (0..5).map(|i| conv(&format!("r{i}"), i)).collect(), 5);
    act(&mut s, Action::SearchAccept);
    assert_eq!(s.input_mode(), InputMode::Normal);
    assert_eq!(s.list.filters.search, "r", "Enter keeps the search");
    // j moves again once the search is accepted.
    act(&mut s, Action::Down);
    assert_eq!(s.list.selected, 1);
    let q = list_queries(&act(&mut s, Action::Back));
    assert_eq!(q[0].search, None, "Esc in the list clears a kept search");
    act(&mut s, Action::Search);
    act(&mut s, Action::SearchInput('x'));
    let q = list_queries(&act(&mut s, Action::Back));
    assert_eq!((q[0].search.clone(), s.input_mode()), (None, InputMode::Normal), "Esc while typing clears and leaves");
}

#[test]
fn half_pages_follow_the_screen_height_and_the_selection_stays_visible() {
    let mut s = loaded(50, 50);
    update(&mut s, Msg::Resize(120, 23)); // 20 list rows
    act(&mut s, Action::HalfDown);
    assert_eq!(s.list.selected, 10);
    act(&mut s, Action::HalfDown);
    act(&mut s, Action::HalfDown);
    assert_eq!(s.list.selected, 30);
    assert!(s.list.offset <= 30 && 30 < s.list.offset + 20, "visible: offset {}", s.list.offset);
    act(&mut s, Action::HalfUp);
    assert_eq!(s.list.selected, 20);
    act(&mut s, Action::First);
    assert_eq!((s.list.selected, s.list.offset), (0, 0));
}

#[test]
fn details_load_only_once_the_selection_rests() {
    let mut s = loaded(10, 10);
    let mut debounced = Vec::new();
    for _ in 0..5 {
        for e in act(&mut s, Action::Down) {
            match e {
                Effect::Debounce { delay, msg } => {
                    assert_eq!(delay, REST_DELAY);
                    debounced.push(*msg);
                }
                Effect::Send { request, .. } => panic!("moving asked the server for {request:?}"),
                _ => {}
            }
        }
    }
    assert_eq!(debounced.len(), 5);
    // Older timers are replaced by the runtime; even if one fired late, it asks for nothing.
    assert!(update(&mut s, debounced[0].clone()).is_empty());
    let effects = update(&mut s, debounced[4].clone());
    let reqs = sent(&effects);
    assert!(
        matches!(&reqs[..], [Request::Detail { contact_id, version: None }] if contact_id == "cnt_c005"),
        "one request for the four panels: {reqs:?}"
    );
    assert!(matches!(s.detail.contact, Load::Loading));
    // The answer fills the panel; an answer for another request does not.
    let Effect::Send { id, .. } = &effects[0] else { panic!() };
    let other = Contact { id: "x".into(), ..Default::default() };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id: id + 100, result: Ok(panels(other, SessionData::default())) }));
    assert!(matches!(s.detail.contact, Load::Loading));
    let mine = Contact { id: "cnt_c005".into(), name: "Fresh".into(), ..Default::default() };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id: *id, result: Ok(panels(mine, SessionData::default())) }));
    assert_eq!(s.detail.contact.ready().unwrap().name, "Fresh");
}

/// The four panels of `contact`, all read, with `session`.
fn panels(contact: Contact, session: SessionData) -> Reply {
    let parts = DetailParts {
        version: None,
        contact: Ok(contact.clone()),
        session: Ok(session),
        comments: Ok(vec![]),
        files: Ok(vec![]),
    };
    Reply::Detail { contact_id: contact.id, parts: Listed::Fresh(Box::new(parts)) }
}

#[test]
fn a_failed_detail_load_says_why() {
    let mut s = loaded(3, 3);
    let effects = rest_on_next_row(&mut s);
    let Effect::Send { id, .. } = &effects[0] else { panic!() };
    update(
        &mut s,
        Msg::Worker(WorkerEvent::Reply { id: *id, result: Err(BackendError::Forbidden("no access".into())) }),
    );
    assert_eq!(s.detail.session, Load::Failed("not allowed: no access".into()));
    // One part refused hides none of the others.
    let effects = rest_on_next_row(&mut s);
    let Effect::Send { id, request: Request::Detail { contact_id, .. }, .. } = &effects[0] else { panic!() };
    let contact = Contact { id: contact_id.clone(), name: "Kofi".into(), ..Default::default() };
    let parts = DetailParts {
        version: None,
        contact: Ok(contact),
        session: Err(BackendError::Forbidden("no access".into())),
        comments: Ok(vec![]),
        files: Ok(vec![]),
    };
    let reply = Reply::Detail { contact_id: contact_id.clone(), parts: Listed::Fresh(Box::new(parts)) };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id: *id, result: Ok(reply) }));
    assert_eq!(s.detail.contact.ready().map(|c| c.name.as_str()), Some("Kofi"));
    assert_eq!(s.detail.session, Load::Failed("not allowed: no access".into()));
    assert_eq!(s.detail.files, Load::Ready(vec![]));
}

/// Moves down a row and lets the selection rest: the effects are the detail loads.
fn rest_on_next_row(s: &mut AppState) -> Vec<Effect> {
    let rested = act(s, Action::Down)
        .into_iter()
        .find_map(|e| if let Effect::Debounce { msg, .. } = e { Some(*msg) } else { None })
        .expect("moving arms the rest timer");
    update(s, rested)
}

fn panel() -> SessionData {
    SessionData::from_value(&serde_json::json!({
        "flow_name": "F", "session_data": {},
        "panel_config": {"sections": [
            {"id": "a", "label": "A", "collapsible": true, "default_collapsed": true, "order": 1},
            {"id": "b", "label": "B", "collapsible": false, "order": 2},
            {"id": "c", "label": "C", "collapsible": true, "default_collapsed": false, "order": 3}]}}))
}

#[test]
fn sections_start_as_the_flow_says_and_fold_with_enter_or_space_when_focused() {
    let mut s = loaded(3, 3);
    let effects = rest_on_next_row(&mut s);
    let Effect::Send { id, request: Request::Detail { contact_id, .. }, .. } = &effects[0] else { panic!() };
    let contact = Contact { id: contact_id.clone(), ..Default::default() };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id: *id, result: Ok(panels(contact, panel())) }));
    assert!(is_collapsed(&s.detail, "a") && !is_collapsed(&s.detail, "c"));
    act(&mut s, Action::NextPane);
    act(&mut s, Action::NextPane);
    assert_eq!(s.focus, Pane::Session);
    act(&mut s, Action::Open);
    assert!(!is_collapsed(&s.detail, "a"), "Enter unfolds");
    act(&mut s, Action::Down);
    act(&mut s, Action::Toggle);
    assert!(!is_collapsed(&s.detail, "b"), "a section that is not collapsible stays open");
    act(&mut s, Action::Down);
    act(&mut s, Action::Toggle);
    assert!(is_collapsed(&s.detail, "c"));
    act(&mut s, Action::Down);
    assert_eq!(s.detail.section, 2, "the cursor stops at the last section");
}

#[test]
fn tab_cycles_panes_both_ways() {
    let mut s = loaded(1, 1);
    let mut seen = vec![s.focus];
    for _ in 0..4 {
        act(&mut s, Action::NextPane);
        seen.push(s.focus);
    }
    assert_eq!(seen, [Pane::List, Pane::Contact, Pane::Session, Pane::Notifications, Pane::List]);
    act(&mut s, Action::PrevPane);
    assert_eq!(s.focus, Pane::Notifications);
}

#[test]
fn help_opens_and_esc_or_q_closes_it_without_quitting() {
    let mut s = loaded(3, 3);
    act(&mut s, Action::Help);
    assert!(s.overlays.help);
    assert!(act(&mut s, Action::Down).is_empty() && s.list.selected == 0, "keys do not reach the list under help");
    assert!(act(&mut s, Action::Quit).is_empty());
    assert!(!s.overlays.help);
    act(&mut s, Action::Help);
    act(&mut s, Action::Back);
    assert!(!s.overlays.help);
    assert_eq!(act(&mut s, Action::Quit), vec![Effect::Quit]);
}

#[test]
fn enter_opens_the_thread_and_esc_returns_to_the_list() {
    let mut s = loaded(3, 3);
    act(&mut s, Action::Down);
    let reqs = sent(&act(&mut s, Action::Open));
    assert!(matches!(&reqs[..], [Request::Messages(id, _)] if id == "c001"));
    assert_eq!(s.thread.as_ref().unwrap().conversation_id, "c001");
    assert!(act(&mut s, Action::Quit).is_empty(), "q in the thread goes back, it does not quit");
    assert!(s.thread.is_none());
    act(&mut s, Action::Open);
    act(&mut s, Action::Back);
    assert!(s.thread.is_none());
}

#[test]
fn live_updates_respect_the_view() {
    let mut s = loaded(3, 3);
    s.account.me = Some(Agent {
        id: "agt_me".into(),
        name: "Me".into(),
        email: String::new().into(),
        available: true,
        open_conversations: 0,
        cannot: vec![],
    });
    let items = s.list.items.clone();
    let effects = act(&mut s, Action::ViewUnassigned);
    assert!(s.list.items.is_empty(), "rows of another view never show under this view's title");
    answer(&mut s, &effects, items, 3);
    let mut taken = s.list.items[1].clone();
    taken.assignee = Some(PersonRef { id: "agt_other".into(), name: "Other".into() });
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(taken)))));
    assert!(s.list.items.iter().all(|c| c.id != "c001"), "assigned elsewhere: it leaves Unassigned");
    let mut fresh = conv("c999", 0);
    fresh.last_message_at = Some(Utc::now() + Duration::minutes(1));
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(fresh)))));
    assert_eq!(s.list.items[0].id, "c999", "a new unassigned conversation appears on top");
}

#[test]
fn counts_are_asked_for_once_at_a_time() {
    let mut s = loaded(3, 3);
    let first = request_count(&act(&mut s, Action::CycleStatus));
    assert_eq!(first, 3);
    let event = LiveEvent::ConversationUpdated(Box::new(conv("c000", 0)));
    let again = update(&mut s, Msg::Worker(WorkerEvent::Event(event)));
    assert_eq!(request_count(&again), 0, "counts in flight: marked stale instead");
    assert!(s.list.counts.stale);
}

fn request_count(effects: &[Effect]) -> usize {
    let is_count = |e: &&Effect| matches!(e, Effect::Send { request: Request::Conversations { query, .. }, .. } if query.limit == 1);
    effects.iter().filter(is_count).count()
}

#[test]
fn a_thread_opened_from_a_notification_fetches_its_conversation() {
    let mut s = loaded(2, 2);
    let n = Notification {
        id: "n1".into(),
        kind: NotificationKind::NewMessage,
        title: "t".into(),
        body: String::new().into(),
        conversation_id: Some("elsewhere".into()),
        contact_id: None,
        actor: None,
        is_read: false,
        created_at: None,
    };
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::NotificationCreated(Box::new(n)))));
    act(&mut s, Action::PrevPane);
    assert_eq!(s.focus, Pane::Notifications);
    let effects = act(&mut s, Action::Open);
    let reqs = sent(&effects);
    assert!(reqs.contains(&Request::Conversation("elsewhere".into())), "{reqs:?}");
    assert_eq!(s.focus, Pane::List, "the thread takes the main pane");
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { id, request: Request::Conversation(_), .. } => Some(id),
            _ => None,
        })
        .unwrap();
    assert!(reqs.contains(&Request::MarkNotificationsRead(vec!["n1".into()])), "opening marks it read");
    assert!(s.notifications.items[0].is_read);
    let c = conv("elsewhere", 3);
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id: *id, result: Ok(Reply::Conversation(Box::new(c))) }));
    assert_eq!(s.thread.as_ref().unwrap().conversation.ready().unwrap().contact.name, "Name elsewhere");
}

#[test]
fn reopening_a_conversation_brings_its_draft_back() {
    let mut s = loaded(3, 3);
    s.compose.drafts.insert(
        ("c001".into(), MessageKind::Reply),
        Draft {
            conversation_id: "c001".into(),
            kind: MessageKind::Reply,
            text: "half written".into(),
            idempotency_key: "k-1".into(),
        },
    );
    act(&mut s, Action::Down);
    act(&mut s, Action::Open);
    assert!(s.compose.open.is_none(), "keys go to the thread, not into the draft");
    assert_eq!(s.status.notice.as_deref(), Some("Draft kept — R to continue"));
    act(&mut s, Action::Reply);
    let c = s.compose.open.as_ref().expect("R opens the composer with the draft");
    assert_eq!(c.text(), "half written");
    assert_eq!(c.idempotency_key, "k-1", "the key survives with the draft");
}

#[test]
fn a_retry_note_shows_while_its_request_is_retried_and_goes_when_it_answers() {
    let mut s = loaded(2, 2);
    let effects = update(&mut s, Msg::Action(Action::Refresh));
    let (id, _) = list_request(&effects).unwrap();
    let trouble = BackendError::Server { status: 503, message: "busy".into() };
    update(
        &mut s,
        Msg::Worker(WorkerEvent::Retrying { id, attempt: 1, error: trouble, retry_in: StdDuration::from_millis(1500) }),
    );
    assert_eq!(
        s.status.retrying.get(&id).map(String::as_str),
        Some("the server failed (503): busy — trying again in 2s (attempt 2)")
    );
    let reply = Reply::Conversations { query: update_query(1), page: Listed::Unchanged };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id, result: Ok(reply) }));
    assert!(s.status.retrying.is_empty());
    assert!(s.status.error.is_none());
}

#[test]
fn skipped_rows_are_counted_and_a_failed_load_is_remembered_until_a_page_arrives() {
    let mut s = AppState::new("test", Utc::now());
    let effects = start(&mut s);
    let (id, _) = list_request(&effects).unwrap();
    let failed = Err(BackendError::Server { status: 500, message: "boom".into() });
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id, result: failed }));
    assert!(s.list.loaded);
    assert!(s.list.failed.as_deref().is_some_and(|why| why.contains("boom")), "{:?}", s.list.failed);
    let effects = update(&mut s, Msg::Action(Action::Refresh));
    let (id, _) = list_request(&effects).unwrap();
    let value = Page { skipped: 2, ..page(vec![conv("c1", 1)], 1, 3) };
    let reply = Reply::Conversations { query: update_query(1), page: Listed::Fresh(value) };
    update(&mut s, Msg::Worker(WorkerEvent::Reply { id, result: Ok(reply) }));
    assert_eq!(s.list.failed, None);
    assert_eq!(s.list.skipped, 2);
}

#[test]
fn pages_that_never_run_out_stop_at_the_announced_total() {
    // Every page is full and the server says there are 120 rows and many pages.
    let mut s = loaded(50, 120);
    let mut asked = 0;
    // Page 2 may already be on its way (asked for a page and a half ahead); each answer may ask for the next.
    let mut waiting = s.requests.inflight.iter().find(|(_, p)| **p == Purpose::ListPage).map(|(id, _)| (*id, 2));
    for _ in 0..10 {
        if waiting.is_none() {
            waiting = list_request(&update(&mut s, Msg::Action(Action::Last)));
        }
        let Some((id, page_no)) = waiting.take() else { break };
        asked += 1;
        let rows = (0..50).map(|i| conv(&format!("p{page_no}-{i}"), i)).collect();
        let value = Page { total_pages: 99, ..page(rows, page_no, 120) };
        let reply = Reply::Conversations { query: update_query(page_no), page: Listed::Fresh(value) };
        waiting = list_request(&update(&mut s, Msg::Worker(WorkerEvent::Reply { id, result: Ok(reply) })));
    }
    assert_eq!(asked, 2, "pages 2 and 3 reach the announced 120; no fourth is asked for");
    assert_eq!(s.list.items.len(), 150);
}

#[test]
fn an_overwhelmed_live_stream_reloads_what_is_shown_and_says_so() {
    let mut s = sample::inbox(View::All);
    let effects = update(&mut s, Msg::Worker(WorkerEvent::Overwhelmed { dropped: 9_500 }));
    let requests: Vec<&Request> = effects
        .iter()
        .filter_map(|e| if let Effect::Send { request, .. } = e { Some(request) } else { None })
        .collect();
    assert!(
        requests
            .iter()
            .any(|r| matches!(r, Request::Conversations { query, .. } if query.page == 1 && query.limit > 1))
    );
    assert!(requests.iter().any(|r| matches!(r, Request::Conversations { query, .. } if query.limit == 1)), "counts");
    assert!(requests.iter().any(|r| matches!(r, Request::Notifications(_))));
    let said = s.status.notice.as_deref().unwrap_or("");
    assert_eq!(said, "Reloaded: 9500 live changes came at once");
    // While that reload is on its way, a flood that goes on asks for nothing more.
    assert!(update(&mut s, Msg::Worker(WorkerEvent::Overwhelmed { dropped: 2_001 })).is_empty());
}

#[test]
fn a_stream_of_new_conversations_stops_adding_rows_at_the_cap() {
    let mut s = sample::inbox(View::All);
    s.list.items = (0..MAX_ROWS).map(|i| conv(&format!("c{i:06}"), 1)).collect();
    s.list.total = MAX_ROWS as u64;
    update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(conv("new", 0))))));
    assert_eq!(s.list.items.len(), MAX_ROWS, "memory stays flat");
    assert_eq!(s.list.total, MAX_ROWS as u64 + 1, "the count still follows");
}

#[test]
fn a_repeated_id_in_a_page_never_shares_a_row_and_is_counted() {
    let mut s = AppState::new("test", Utc::now());
    let effects = start(&mut s);
    let ana = Conversation { contact: Contact { name: "Ana".into(), ..Default::default() }, ..conv("c1", 1) };
    let kofi = Conversation { contact: Contact { name: "Kofi".into(), ..Default::default() }, ..conv("c1", 2) };
    answer(&mut s, &effects, vec![ana, kofi, conv("c2", 3)], 3);
    let rows: Vec<(&str, &str)> = s.list.items.iter().map(|c| (c.id.as_str(), c.contact.name.as_str())).collect();
    assert_eq!(rows, [("c1", "Ana"), ("c2", "Name c2")], "the first keeps the id; nothing is mixed");
    assert_eq!(s.list.skipped, 1, "the repeat is said, not hidden");
}

#[test]
fn a_page_read_before_a_live_change_does_not_undo_it() {
    // At start the list is still loading when the first live changes arrive; later `r` asks again.
    let mut s = AppState::new("test", Utc::now());
    let mut effects = start(&mut s);
    for round in 0..2 {
        if round == 1 {
            effects = update(&mut s, Msg::Action(Action::Refresh));
        }
        let old: Vec<Conversation> = (0..3).map(|i| conv(&format!("c{i:03}"), 10 + i as i64)).collect();
        // Heard after the page was asked for: c001 renamed, c002 closed, c009 new.
        let mut renamed = old[1].clone();
        renamed.subject = Some(format!("Renamed live {round}").into());
        renamed.updated_at = Some(Utc::now());
        let mut closed = old[2].clone();
        closed.status = ConvStatus::Closed;
        closed.updated_at = Some(Utc::now());
        for c in [renamed, closed, conv("c009", 0)] {
            update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(c)))));
        }
        // The page was read before those changes and arrives after them.
        answer(&mut s, &effects, old, 3);
        let rows: Vec<(&str, &str)> =
            s.list.items.iter().map(|c| (c.id.as_str(), c.subject.as_deref().unwrap_or(""))).collect();
        let renamed = format!("Renamed live {round}");
        assert_eq!(
            rows,
            [("c009", "Subject c009"), ("c000", "Subject c000"), ("c001", renamed.as_str())],
            "round {round}"
        );
    }
}

#[test]
fn what_the_agents_role_lacks_is_refused_before_it_is_tried() {
    let mut s = sample::inbox(View::All);
    if let Some(me) = s.account.me.as_mut() {
        me.cannot = vec![Capability::Labels, Capability::ContactEditing];
    }
    for a in [Action::Labels, Action::EditContact] {
        assert!(update(&mut s, Msg::Action(a)).is_empty(), "nothing is sent");
        assert!(s.overlays.picker.is_none() && s.overlays.form.is_none());
    }
    assert_eq!(s.status.error.as_deref(), Some("Your role on this server does not allow contact editing"));
}
