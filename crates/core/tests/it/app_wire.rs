//! Quiet on the wire (issue 13): cached panels revalidated with one question and dropped when old, the
//! panels kept while the next load, counts paced, `r` reconnecting, pages merged and rows updated in place.

use crate::sample::{act, inbox, reply, sent};
use chrono::{Duration, Utc};
use tinbox_core::app::*;
use tinbox_core::domain::*;
use tinbox_core::protocol::*;

/// Lets the selection rest: the requests it makes.
fn rest(s: &mut AppState, effects: Vec<Effect>) -> Vec<(u64, Request)> {
    let msg = effects.into_iter().find_map(|e| if let Effect::Debounce { msg, .. } = e { Some(*msg) } else { None });
    sent(&update(s, msg.expect("moving arms the rest timer")))
}

/// The four panels of `contact_id`, read at `version`.
fn panels(contact_id: &str, name: &str, version: Option<&str>) -> Reply {
    let contact = Contact { id: contact_id.into(), name: name.into(), ..Default::default() };
    let parts = DetailParts {
        version: version.map(Into::into),
        contact: Ok(contact),
        session: Ok(SessionData::default()),
        comments: Ok(vec![]),
        files: Ok(vec![]),
    };
    Reply::Detail { contact_id: contact_id.into(), parts: Listed::Fresh(Box::new(parts)) }
}

fn tick(s: &mut AppState, later: Duration) {
    let now = s.now + later;
    update(s, Msg::Tick(now));
}

#[test]
fn a_contact_seen_lately_shows_at_once_and_costs_one_question_until_its_cache_expires() {
    let mut s = inbox(View::All);
    let bruno = PersonRef { id: "agt_bruno".into(), name: "Bruno Silva".into() };
    s.list.items[1].assignee = Some(bruno.clone());
    update(&mut s, Msg::Resize(200, 50));
    let moved = act(&mut s, Action::Down);
    let asked = rest(&mut s, moved);
    let [(id, Request::Detail { contact_id, version: None })] = &asked[..] else { panic!("{asked:?}") };
    assert_eq!(contact_id, "cnt_c1");
    reply(&mut s, *id, Ok(panels("cnt_c1", "Kofi", Some("v1"))));
    assert!(!s.detail.shown().updating);

    // On to the next row: until its panels arrive, Kofi's stay on screen, marked as updating.
    let moved = act(&mut s, Action::Down);
    assert_eq!(s.detail.contact_id.as_deref(), Some("cnt_c2"));
    let shown = s.detail.shown();
    assert!(shown.updating);
    assert_eq!(shown.contact.ready().map(|c| c.name.as_str()), Some("Kofi"));
    assert_eq!(shown.handler, Some(Some(&bruno)), "with who handled Kofi's conversation, not the new row's");
    let asked = rest(&mut s, moved);
    let [(id, _)] = &asked[..] else { panic!("{asked:?}") };
    reply(&mut s, *id, Ok(panels("cnt_c2", "Ana", Some("w1"))));
    assert_eq!(s.detail.shown().contact.ready().map(|c| c.name.as_str()), Some("Ana"));
    assert!(!s.detail.shown().updating);
    assert_eq!(s.detail.shown().handler, None, "Ana's own panels ask the conversation on screen");

    // A minute later, back to Kofi: shown at once from the cache, checked with one question naming v1.
    tick(&mut s, Duration::minutes(1));
    let moved = act(&mut s, Action::Up);
    assert_eq!(s.detail.contact.ready().map(|c| c.name.as_str()), Some("Kofi"), "at once, no loading");
    assert!(s.detail.shown().updating, "marked until the server confirms it");
    let asked = rest(&mut s, moved);
    let [(id, Request::Detail { contact_id, version: Some(v) })] = &asked[..] else { panic!("{asked:?}") };
    assert_eq!((contact_id.as_str(), v.as_str()), ("cnt_c1", "v1"));
    let unchanged = Reply::Detail { contact_id: "cnt_c1".into(), parts: Listed::Unchanged };
    reply(&mut s, *id, Ok(unchanged));
    assert!(!s.detail.shown().updating);
    assert_eq!(s.detail.contact.ready().map(|c| c.name.as_str()), Some("Kofi"));

    // Changed on the server: the fresh panels replace the cached ones.
    let moved = act(&mut s, Action::Down);
    let asked = rest(&mut s, moved);
    let [(id, Request::Detail { version: Some(_), .. })] = &asked[..] else { panic!("{asked:?}") };
    reply(&mut s, *id, Ok(panels("cnt_c2", "Ana Souza", Some("w2"))));
    assert_eq!(s.detail.contact.ready().map(|c| c.name.as_str()), Some("Ana Souza"));

    // Eleven minutes on, the cache of Kofi is too old: read anew, with no version.
    tick(&mut s, Duration::minutes(11));
    let moved = act(&mut s, Action::Up);
    assert!(matches!(s.detail.contact, Load::Idle), "nothing shown from an expired cache");
    let asked = rest(&mut s, moved);
    assert!(matches!(&asked[..], [(_, Request::Detail { version: None, .. })]), "{asked:?}");
}

#[test]
fn the_cache_is_bounded() {
    let mut cache = DetailCache::default();
    let now = Utc::now();
    for i in 0..CACHE_CAP + 50 {
        cache.put(format!("cnt_{i}").into(), Panes::default(), None, now + Duration::seconds(i as i64));
    }
    assert_eq!(cache.len(), CACHE_CAP);
    let later = now + Duration::seconds((CACHE_CAP + 50) as i64);
    assert!(cache.get("cnt_0", later).is_none(), "the oldest went first");
    assert!(cache.get(&format!("cnt_{}", CACHE_CAP + 49), later).is_some());
    assert!(cache.get(&format!("cnt_{}", CACHE_CAP + 49), later + CACHE_FOR).is_none(), "and expire");
}

#[test]
fn with_a_thread_open_the_panels_never_show_another_customer() {
    let mut s = inbox(View::All);
    update(&mut s, Msg::Resize(200, 50));
    let moved = act(&mut s, Action::Down);
    let asked = rest(&mut s, moved);
    reply(&mut s, asked[0].0, Ok(panels("cnt_c1", "Kofi", None)));
    let now = s.now;
    s.detail.follow(Some(("c3".into(), Some("cnt_c3".into()))), true, now, &mut s.requests);
    assert!(s.detail.shown().contact.ready().is_none(), "nothing of Kofi under another thread");
}

#[test]
fn live_changes_ask_for_counts_at_most_once_a_second() {
    let mut s = inbox(View::All);
    let mut count_requests = 0;
    let mut due = Vec::new();
    for i in 0..20 {
        let mut c = crate::sample::conv(&format!("c{}", i % 5), 0);
        c.unread_count = i;
        let effects = update(&mut s, Msg::Worker(WorkerEvent::Event(LiveEvent::ConversationUpdated(Box::new(c)))));
        for (id, r) in sent(&effects) {
            if let Request::Conversations { query, .. } = r
                && query.limit == 1
            {
                count_requests += 1;
                reply(
                    &mut s,
                    id,
                    Ok(Reply::Conversations {
                        query,
                        page: Listed::Fresh(Page {
                            items: vec![],
                            total: 5,
                            page: 1,
                            limit: 1,
                            total_pages: 5,
                            skipped: 0,
                        }),
                    }),
                );
            }
        }
        due.extend(
            effects.into_iter().filter(|e| matches!(e, Effect::Debounce { msg, .. } if **msg == Msg::CountsDue)),
        );
    }
    assert_eq!(count_requests, 3, "one batch for the first change");
    assert_eq!(due.len(), 1, "the other 19 wait for one timer");
    tick(&mut s, Duration::seconds(1));
    let effects = update(&mut s, Msg::CountsDue);
    assert_eq!(sent(&effects).len(), 3, "then one more batch covers them all");
    assert!(update(&mut s, Msg::CountsDue).is_empty(), "nothing stale, nothing asked");
}

#[test]
fn r_reopens_the_live_stream_at_once_while_offline() {
    let mut s = inbox(View::All);
    let down = LiveStatus::Retrying {
        error: BackendError::Network("gone".into()),
        retry_in: std::time::Duration::from_secs(9),
    };
    update(&mut s, Msg::Worker(WorkerEvent::Live(down)));
    assert!(act(&mut s, Action::Refresh).contains(&Effect::StartLive));
    update(&mut s, Msg::Worker(WorkerEvent::Live(LiveStatus::Live)));
    assert!(!act(&mut s, Action::Refresh).contains(&Effect::StartLive), "a healthy stream is left alone");
}

fn page_of(ids: std::ops::Range<usize>, no: u32) -> Page<Conversation> {
    let items = ids.map(|i| crate::sample::conversation(&format!("p{i:06}"), 10_000 + i as i64)).collect();
    Page { items, total: 1_000_000, page: no, limit: 100, total_pages: 10_000, skipped: 0 }
}

#[test]
fn a_page_merges_into_a_long_list_without_repeats_and_the_index_follows_every_change() {
    let mut list = ConversationList::default();
    for p in 0..100u32 {
        list.page_arrived(p + 1, page_of(p as usize * 100..(p as usize + 1) * 100, p + 1));
    }
    assert_eq!((list.items.len(), list.index.rows()), (10_000, 10_000));
    // A later page repeating a loaded row and one of its own: both left out, and counted.
    let mut next = page_of(10_000..10_100, 101);
    next.items.push(list.items[5].clone());
    next.items.push(next.items[0].clone());
    list.page_arrived(101, next);
    assert_eq!(list.items.len(), 10_100);
    assert_eq!(list.skipped, 2);
    assert_eq!(list.index.rows(), list.items.len());
    assert_eq!(list.position("p010099"), Some(10_099));
    assert_eq!(list.position("nope"), None);
    // Rows set directly (a cached start) are indexed again before the next merge.
    list.items.truncate(50);
    list.page_arrived(2, page_of(50..150, 2));
    assert_eq!((list.items.len(), list.index.rows()), (150, 150));
}

#[test]
fn a_live_change_moves_its_row_to_its_place_and_leaves_the_others() {
    let mut list = ConversationList { loaded: true, ..Default::default() };
    list.page_arrived(1, page_of(0..100, 1));
    let before: Vec<Clean> = list.items.iter().map(|c| c.id.clone()).collect();
    // Row 50 gets a new message: it goes to the top; the rest keep their order.
    let mut c = list.items[50].clone();
    c.last_message_at = Some(Utc::now());
    assert_eq!(list.upsert(c, true), Upserted::Kept);
    assert_eq!(list.items[0].id, before[50]);
    let rest: Vec<&Clean> = list.items[1..].iter().map(|c| &c.id).collect();
    let expected: Vec<&Clean> = before.iter().filter(|id| **id != before[50]).collect();
    assert_eq!(rest, expected);
    // A change that keeps its place stays where it is.
    let mut c = list.items[10].clone();
    c.unread_count = 7;
    list.upsert(c, true);
    assert_eq!(list.items[10].unread_count, 7);
    // A new conversation joins at its place; one that no longer fits leaves.
    let new = crate::sample::conversation("fresh", 10_030);
    list.upsert(new, true);
    assert!(list.items[30].id == "fresh" || list.items[31].id == "fresh");
    assert_eq!(list.upsert(list.items[3].clone(), false), Upserted::Left);
    assert_eq!(list.index.rows(), list.items.len());
}

#[test]
fn g_follows_the_pages_to_the_servers_last_conversation_until_another_key() {
    let mut s = inbox(View::All);
    update(&mut s, Msg::Resize(120, 40));
    let page = |no: u32| {
        let from = (no as usize - 1) * 100;
        Page { total: 350, total_pages: 4, ..page_of(from..(from + 100).min(350), no) }
    };
    let answer = |s: &mut AppState, id: u64, no: u32| {
        let query = ConversationQuery { page: no, limit: 100, ..Default::default() };
        reply(s, id, Ok(Reply::Conversations { query, page: Listed::Fresh(page(no)) }))
    };
    let asked = |effects: &[Effect]| {
        sent(effects).into_iter().find_map(|(id, r)| match r {
            Request::Conversations { query, .. } => Some((id, query.page)),
            _ => None,
        })
    };
    s.list.page_size = 100;
    s.list.page_arrived(1, page(1));

    let (id, no) = asked(&act(&mut s, Action::Last)).expect("G asks for the next page");
    assert_eq!(no, 2);
    assert!(s.list.to_end);
    let (id, no) = asked(&answer(&mut s, id, 2)).expect("each page asks for the next at once");
    assert_eq!((no, s.list.selected), (3, 199), "the selection rides on the last row");

    // Another key takes the selection back: the page still arrives, and the selection stays put.
    act(&mut s, Action::Up);
    assert!(!s.list.to_end);
    let on = s.list.selected().map(|c| c.id.clone());
    let (id, no) = asked(&answer(&mut s, id, 3)).expect("still a page and a half ahead of the selection");
    assert_eq!((s.list.items.len(), s.list.selected().map(|c| c.id.clone()), no), (300, on, 4));

    // G again while page 4, the last, is on its way: the end is reached and nothing more is asked.
    assert!(asked(&act(&mut s, Action::Last)).is_none(), "the page on its way is not asked twice");
    assert!(s.list.to_end);
    let after = answer(&mut s, id, 4);
    assert_eq!(s.list.selected, 349, "the server's last conversation");
    assert!(!s.list.to_end && asked(&after).is_none());
}
