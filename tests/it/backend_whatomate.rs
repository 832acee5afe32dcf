//! The Whatomate adapter against the in-process emulator: its real shapes and quirks, sign-in and token
//! renewal, transfers, messages and notes (the live side is in whatomate_live.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{self, fresh};

use common::whatomate::{self as wa, ADMIN_KEY, AGENT_KEY, EMAIL, PASSWORD};
use std::time::Duration;
use tinbox::backend::whatomate::WhatomateBackend;
use tinbox::backend::whatomate::auth::Credentials;
use tinbox::backend::*;
use tinbox::domain::*;
use tinbox::secret::Secret;
use tinbox::worker::*;

fn with_key(url: &str, key: &str) -> WhatomateBackend {
    WhatomateBackend::new(url, Credentials::ApiKey(Secret::new(key))).unwrap()
}

fn with_password(url: &str, password: &str) -> WhatomateBackend {
    WhatomateBackend::new(url, Credentials::Password { email: EMAIL.into(), password: Secret::new(password) }).unwrap()
}

fn calls(s: &wa::Shared) -> Vec<String> {
    std::mem::take(&mut s.lock().unwrap().calls)
}

fn query(assigned_to: Option<&str>) -> ConversationQuery {
    ConversationQuery { page: 1, limit: 50, assigned_to: assigned_to.and_then(common::assigned), ..Default::default() }
}

#[tokio::test]
async fn contacts_are_whatsapp_threads_paged_without_total_pages_and_named_through_team_members() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    let me = b.me().await.unwrap();
    assert_eq!((me.id.as_str(), me.name.as_str()), ("u_ana", "Ana Lima"));
    let page =
        fresh(b.conversations(&ConversationQuery { page: 1, limit: 4, ..Default::default() }, false).await.unwrap());
    assert_eq!((page.total, page.total_pages, page.items.len()), (6, 2, 4), "worked out from total and limit");
    let first = &page.items[0];
    assert_eq!((first.id.as_str(), first.contact.name.as_str()), ("c5", "Sofia Rossi"), "newest message first");
    assert_eq!(first.channel, Channel::Whatsapp);
    let ravi = page.items.iter().find(|c| c.id == "c4").unwrap();
    assert_eq!(ravi.assignee.as_ref().unwrap().name, "Ben Okoro", "the assignee by name, though /api/users is refused");
    let log = calls(&s);
    assert!(log.iter().any(|c| c.starts_with("GET /api/users")), "{log:#?}");
    assert!(log.iter().any(|c| c.starts_with("GET /api/teams/t1/members")), "{log:#?}");
    assert!(log.iter().all(|c| !c.contains("mark") && !c.contains("page-mode")), "listing reads nothing: {log:#?}");

    let vip =
        fresh(b.conversations(&ConversationQuery { label: Some("vip".into()), ..query(None) }, false).await.unwrap());
    assert_eq!(vip.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c0"]);
    assert_eq!(vip.items[0].labels, ["vip"], "tags are labels");
    let mine = fresh(b.conversations(&query(Some("me")), false).await.unwrap());
    assert_eq!(mine.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c3"]);
    // Unassigned is Whatomate's queue: active transfers with no agent (Sofia and Yuki), not unpinned contacts.
    let nobody = fresh(b.conversations(&query(Some("none")), false).await.unwrap());
    assert_eq!(nobody.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c5", "c2"]);
    let found =
        fresh(b.conversations(&ConversationQuery { search: Some("yuki".into()), ..query(None) }, false).await.unwrap());
    assert_eq!(found.items[0].contact.phone.as_deref(), Some("+491511234502"));
}

#[tokio::test]
async fn mine_unassigned_and_their_counts_share_one_scan_until_something_changes() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    b.agents().await.unwrap();
    b.me().await.unwrap();
    calls(&s);
    let count = |who: &str| ConversationQuery { limit: 1, ..query(Some(who)) };
    let (q1, q2, q3) = (query(Some("none")), count("me"), count("none"));
    let (list, mine, nobody) =
        tokio::join!(b.conversations(&q1, false), b.conversations(&q2, false), b.conversations(&q3, false));
    assert_eq!((fresh(list.unwrap()).items.len(), fresh(mine.unwrap()).total, fresh(nobody.unwrap()).total), (2, 1, 2));
    let scans = |s: &wa::Shared| calls(s).iter().filter(|c| c.starts_with("GET /api/contacts?")).count();
    assert_eq!(scans(&s), 1, "the list and both counts came from one scan");
    // A change made here makes the next view scan again, and it shows the change.
    let admin = with_key(&url, ADMIN_KEY);
    admin.assign("c0", Some("u_ana")).await.unwrap();
    let taken = b.assign("c2", Some("u_ana")).await.unwrap();
    assert_eq!(taken.assignee.unwrap().name, "Ana Lima", "the row shows the handler at once");
    // Mine: Lena and Marta pinned to me, Yuki handled by me; the queue keeps Sofia.
    let mine = fresh(b.conversations(&query(Some("me")), false).await.unwrap());
    let mut ids: Vec<&str> = mine.items.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["c0", "c2", "c3"]);
    assert_eq!(fresh(b.conversations(&count("none"), false).await.unwrap()).total, 1);
}

#[tokio::test]
async fn the_row_shows_who_handles_it_not_who_it_is_pinned_to() {
    let (url, s) = wa::start().await;
    // Ravi (c4) is pinned to Ben, but Ana handles his active transfer; Sofia's transfer waits in the queue.
    {
        let mut e = s.lock().unwrap();
        let t = serde_json::json!({"id": "tr_4", "contact_id": "c4", "status": "active", "source": "manual",
            "agent_id": "u_ana", "transferred_at": "2026-11-21T13:00:00Z", "escalation_level": 0, "sla_breached": false});
        e.transfers.push(t);
        let i = wa::find(&e.contacts, "c5").unwrap();
        e.contacts[i]["assigned_user_id"] = serde_json::json!("u_ben");
    }
    let b = with_key(&url, AGENT_KEY);
    b.agents().await.unwrap();
    b.me().await.unwrap();
    let all = fresh(b.conversations(&query(None), false).await.unwrap());
    let who =
        |id: &str| all.items.iter().find(|c| c.id == id).and_then(|c| c.assignee.as_ref()).map(|a| a.name.to_string());
    assert_eq!(who("c4").as_deref(), Some("Ana Lima"), "the transfer's agent handles it");
    assert_eq!(who("c5"), None, "queued: nobody handles it yet, whoever it is pinned to");
    assert_eq!(who("c3").as_deref(), Some("Ana Lima"), "no transfer: the pin");
    assert_eq!(b.conversation("c4").await.unwrap().assignee.unwrap().name, "Ana Lima");
}

#[tokio::test]
async fn a_wrong_key_or_password_says_so() {
    let (url, _) = wa::start().await;
    assert_eq!(with_key(&url, "whm_nope").me().await.unwrap_err(), BackendError::Unauthorized);
    let e = with_password(&url, "wrong").me().await.unwrap_err();
    assert!(e.to_string().contains("email or password was not accepted"), "{e}");
}

#[tokio::test]
async fn password_sign_in_reads_the_cookies_and_renews_before_expiry_without_a_401() {
    let (url, s) = wa::start().await;
    s.lock().unwrap().token_life = 3;
    let b = with_password(&url, PASSWORD);
    assert_eq!(b.me().await.unwrap().id, "u_ana");
    let log = calls(&s);
    assert!(log[0].starts_with("POST /api/auth/login"), "{log:#?}");
    // Past two thirds of the token's life, the next call renews first (the refresh token is single use).
    tokio::time::sleep(Duration::from_millis(2200)).await;
    b.conversation("c0").await.unwrap();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    b.conversation("c1").await.unwrap();
    let log = calls(&s);
    let refreshes: Vec<&String> = log.iter().filter(|c| c.starts_with("POST /api/auth/refresh")).collect();
    assert_eq!(refreshes.len(), 2, "{log:#?}");
    assert!(refreshes[0].contains("ref-1") && refreshes[1].contains("ref-2"), "each refresh uses the newest token");
    assert!(!log.iter().any(|c| c.starts_with("POST /api/auth/login")), "no new sign-in was needed");

    // A session revoked on the server: the 401 renews it and the call still succeeds.
    s.lock().unwrap().tokens.clear();
    assert_eq!(b.conversation("c2").await.unwrap().id, "c2");
    let log = calls(&s);
    assert!(log.iter().any(|c| c.starts_with("POST /api/auth/refresh")), "{log:#?}");
}

#[tokio::test]
async fn assign_falls_back_to_the_transfer_when_the_agent_role_is_refused() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    b.agents().await.unwrap();
    // Before the role is known the pin is tried and refused; Ben is away, which Whatomate refuses in words.
    let e = b.assign("c2", Some("u_ben")).await.unwrap_err();
    assert!(matches!(&e, BackendError::Invalid(m) if m.as_str() == "Agent is currently away"), "{e}");
    let log = calls(&s);
    let at = |p: &str| log.iter().position(|c| c.starts_with(p)).unwrap_or_else(|| panic!("{p}: {log:#?}"));
    assert!(at("PUT /api/contacts/c2/assign") < at("GET /api/chatbot/transfers?status=active"));
    assert!(log[at("PUT /api/chatbot/transfers/tr_2/assign")].contains(r#""agent_id":"u_ben""#));
    // Once /api/me has said the role lacks contacts:write, the transfer is used at once.
    let me = b.me().await.unwrap();
    assert!(me.cannot.contains(&Capability::Labels) && me.cannot.contains(&Capability::ContactEditing));
    let before = calls(&s).len();
    let c = b.assign("c2", Some("u_ana")).await.unwrap();
    assert_eq!(c.assignee.unwrap().name, "Ana Lima");
    assert!(!calls(&s)[before..].iter().any(|c| c.starts_with("PUT /api/contacts/c2/assign")));

    // Not in any queue: refused, saying why.
    let e = b.assign("c0", Some("u_ben")).await.unwrap_err();
    assert!(
        matches!(&e, BackendError::Forbidden(m) if m.contains("only hand over conversations waiting in the queue")),
        "{e}"
    );
    // An admin's key assigns directly, and unassigns with null.
    let admin = with_key(&url, ADMIN_KEY);
    assert_eq!(admin.assign("c0", Some("u_ben")).await.unwrap().assignee.unwrap().id, "u_ben");
    assert!(admin.assign("c0", None).await.unwrap().assignee.is_none());
    assert!(calls(&s).iter().any(|c| c == r#"PUT /api/contacts/c0/assign {"user_id":null}"#));
}

#[tokio::test]
async fn take_next_picks_the_longest_waiting_until_the_queue_is_empty() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    b.me().await.unwrap();
    let first = b.take_next().await.unwrap().unwrap();
    assert_eq!(first.id, "c2", "Yuki waited longer than Sofia");
    assert_eq!(first.assignee.unwrap().id, "u_ana");
    assert_eq!(b.take_next().await.unwrap().unwrap().id, "c5");
    assert_eq!(b.take_next().await.unwrap(), None);
    assert_eq!(calls(&s).iter().filter(|c| c.starts_with("POST /api/chatbot/transfers/pick")).count(), 3);
}

#[tokio::test]
async fn only_opening_the_thread_reads_messages_which_marks_them_read() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    // What selecting a row loads: the contact and its session. None of it marks anything read.
    b.conversation("c5").await.unwrap();
    b.contact("c5").await.unwrap();
    b.session_data("c5").await.unwrap();
    assert!(calls(&s).iter().all(|c| !c.contains("messages") && !c.contains("mark-read")));
    assert_eq!(b.conversation("c5").await.unwrap().unread_count, 1);

    let page = b.messages("c5", PageReq { page: 1, limit: 100 }).await.unwrap();
    let ids: Vec<&str> = page.items.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m5b", "m5a", "n1"], "newest first, Ben's note among the messages");
    assert_eq!(page.items[0].text, "[image]");
    assert!(calls(&s).iter().any(|c| c.starts_with("(page-mode read marked c5 read)")));
    assert_eq!(b.conversation("c5").await.unwrap().unread_count, 0);

    let sent = b
        .send_message("c5", &NewMessage { text: "On it".into(), private: false, idempotency_key: "k".into() })
        .await
        .unwrap();
    assert_eq!((sent.direction, sent.status), (Direction::Outgoing, DeliveryStatus::Pending));
    assert!(
        calls(&s).iter().any(|c| c == r#"POST /api/contacts/c5/messages {"content":{"body":"On it"},"type":"text"}"#)
    );
}

#[tokio::test]
async fn private_notes_are_conversation_notes_in_the_thread_by_their_author() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    b.me().await.unwrap();
    let page = b.messages("c5", PageReq { page: 1, limit: 100 }).await.unwrap();
    let ben = page.items.iter().find(|m| m.id == "n1").unwrap();
    assert!(ben.private && ben.direction == Direction::Outgoing);
    assert_eq!(
        (ben.author.as_ref().unwrap().name.as_str(), ben.text.as_str()),
        ("Ben Okoro", "Asked for a refund twice")
    );

    let note = NewMessage { text: "Refund approved".into(), private: true, idempotency_key: "k".into() };
    let mine = b.send_message("c5", &note).await.unwrap();
    assert!(mine.private);
    assert_eq!(mine.author.as_ref().map(|a| a.name.as_str()), Some("Ana Lima"));
    assert!(calls(&s).iter().any(|c| c == r#"POST /api/contacts/c5/notes {"content":"Refund approved"}"#));
    assert_eq!(s.lock().unwrap().messages.iter().filter(|m| m["content"]["body"] == "Refund approved").count(), 0);
    let blank = NewMessage { text: " ".into(), private: true, idempotency_key: "k2".into() };
    assert!(matches!(b.send_message("c5", &blank).await, Err(BackendError::Invalid(_))), "Whatomate refuses it");
    assert!(b.unavailable().contains(&Capability::Comments), "no separate contact comments on Whatomate");
    assert!(!b.unavailable().contains(&Capability::PrivateNotes));
}

#[tokio::test]
async fn older_messages_and_notes_are_read_backwards_in_order_without_marking_the_thread_read() {
    let (url, s) = wa::start().await;
    wa::long_history(&s, "c3", 250, 25);
    let b = with_key(&url, AGENT_KEY);
    let mut shown: Vec<Message> = Vec::new(); // oldest first, as the thread holds them
    let mut page = b.messages("c3", PageReq { page: 1, limit: 100 }).await.unwrap();
    let mut pages = 1;
    calls(&s);
    loop {
        let mut older = page.items.clone();
        older.reverse();
        older.retain(|m| !shown.iter().any(|x| x.id == m.id));
        older.append(&mut shown);
        shown = older;
        if !page.has_more() {
            break;
        }
        pages += 1;
        assert!(pages < 10, "the pages end");
        let oldest = |private: bool| shown.iter().find(|m| m.private == private).map(|m| m.id.clone());
        let earlier = Earlier { page: PageReq { page: pages, limit: 100 }, message: oldest(false), note: oldest(true) };
        page = b.earlier_messages("c3", &earlier).await.unwrap();
    }
    assert_eq!(shown.iter().filter(|m| !m.private).count(), 252, "every message once");
    assert_eq!(shown.iter().filter(|m| m.private).count(), 25, "every note once");
    assert!(shown.windows(2).all(|w| w[0].created_at <= w[1].created_at), "in time order, notes among messages");
    let log = calls(&s);
    assert!(log.iter().all(|c| !c.contains("page-mode")), "history never marks read: {log:#?}");
    assert!(log.iter().any(|c| c.contains("before_id=h")), "{log:#?}");
}

#[tokio::test]
async fn tags_are_read_page_by_page_with_their_colours_and_a_new_one_is_created_where_the_role_may() {
    let (url, s) = wa::start().await;
    wa::tags::many(&s, 120);
    let admin = with_key(&url, ADMIN_KEY);
    admin.me().await.unwrap();
    let labels = admin.labels().await.unwrap();
    assert_eq!(labels.len(), 123, "three seeded and 120 more, over two pages");
    assert!(calls(&s).iter().any(|c| c.starts_with("GET /api/tags?page=2")));
    let colour = |n: &str| labels.iter().find(|l| l.name == n).unwrap().color.clone();
    assert_eq!((colour("vip"), colour("refund"), colour("wholesale")), ("yellow".into(), "red".into(), "gray".into()));

    let patch = ConversationPatch { labels: Some(vec!["vip".into(), "loyal".into()]), ..Default::default() };
    assert_eq!(admin.update_conversation("c0", &patch).await.unwrap().labels, ["vip", "loyal"]);
    let log = calls(&s);
    let created = log.iter().position(|c| c == r#"POST /api/tags {"color":"","name":"loyal"}"#).expect("created");
    let put = log.iter().position(|c| c.starts_with("PUT /api/contacts/c0/tags")).unwrap();
    assert!(created < put, "the tag exists before it is put on the contact: {log:#?}");

    // A role that tags contacts but may not create tags is told so, and nothing lands on the contact.
    let dan = with_key(&url, wa::CURATOR_KEY);
    dan.me().await.unwrap();
    let patch = ConversationPatch { labels: Some(vec!["vip".into(), "urgent".into()]), ..Default::default() };
    let Err(BackendError::Forbidden(why)) = dan.update_conversation("c2", &patch).await else { panic!("refused") };
    assert!(why.contains("\"urgent\" is not a tag yet, and your role cannot create tags"), "{why}");
    assert!(!calls(&s).iter().any(|c| c.starts_with("PUT") || c.starts_with("POST /api/tags")));
    let existing = ConversationPatch { labels: Some(vec!["vip".into(), "loyal".into()]), ..Default::default() };
    assert_eq!(dan.update_conversation("c2", &existing).await.unwrap().labels, ["vip", "loyal"]);
}

#[tokio::test]
async fn a_reply_whose_answer_was_lost_is_found_in_the_thread_not_sent_twice() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    s.lock().unwrap().lose_send_answers = 1;
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let opts = WorkerOptions { min_backoff: Duration::from_millis(10), ..Default::default() };
    let message = NewMessage { text: "Refund sent".into(), private: false, idempotency_key: "k".into() };
    let request = Request::Send { conversation_id: "c5".into(), message };
    let reply = execute_with_retries(&b, request, &opts, 1, &tx).await.unwrap();
    assert!(matches!(reply, Reply::Sent(m) if m.text == "Refund sent"));
    let stored = s.lock().unwrap().messages.iter().filter(|m| m["content"]["body"] == "Refund sent").count();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn tags_are_labels_session_has_its_panel_and_the_rest_is_unavailable() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    // Tags on a contact need contacts:write: the agent role is refused, an admin is not.
    let patch = ConversationPatch { labels: Some(vec!["vip".into(), "refund".into()]), ..Default::default() };
    assert!(matches!(b.update_conversation("c5", &patch).await, Err(BackendError::Forbidden(_))));
    let admin = with_key(&url, ADMIN_KEY);
    assert_eq!(admin.update_conversation("c5", &patch).await.unwrap().labels, ["vip", "refund"]);
    assert!(calls(&s).iter().any(|c| c == r#"PUT /api/contacts/c5/tags {"tags":["vip","refund"]}"#));

    let session = b.session_data("c5").await.unwrap();
    assert_eq!(session.flow_name.as_deref(), Some("Refunds bot"));
    assert_eq!(session.panel.sections[0].columns, 2);
    assert_eq!(session.panel.sections[0].fields[1].display_type, DisplayType::Badge);
    assert!(b.session_data("c0").await.unwrap().is_empty(), "no session: empty object, empty sections");

    let close = ConversationPatch { status: Some("closed".into()), ..Default::default() };
    assert!(matches!(b.update_conversation("c5", &close).await, Err(BackendError::Unsupported(_))));
    for op in [Capability::Status, Capability::Priority, Capability::Comments] {
        assert!(b.unavailable().contains(&op), "{op}");
    }
    // A contact edit needs contacts:write too; only what changed is sent, and an empty name blanks nothing.
    let rename = ContactDraft { name: Some("Sofia R.".into()), email: Some(String::new()), ..Default::default() };
    assert!(matches!(b.update_contact("c5", &rename).await, Err(BackendError::Forbidden(_))));
    assert_eq!(admin.update_contact("c5", &rename).await.unwrap().name, "Sofia R.");
    assert!(calls(&s).iter().any(|c| c == r#"PUT /api/contacts/c5 {"profile_name":"Sofia R."}"#));
    let before = calls(&s).len();
    let blank = ContactDraft { name: Some(String::new()), ..Default::default() };
    assert_eq!(admin.update_contact("c5", &blank).await.unwrap().name, "Sofia R.");
    assert!(!calls(&s)[before..].iter().any(|c| c.starts_with("PUT")), "nothing changed, nothing sent");
    let phone = ContactDraft { phone: Some("+4900".into()), ..Default::default() };
    assert!(matches!(b.update_contact("c5", &phone).await, Err(BackendError::Invalid(_))));
    let csv = b.export_contacts_csv().await.unwrap();
    assert_eq!(csv.lines().count(), 7, "{csv}");
}

#[tokio::test]
async fn the_service_window_comes_with_the_conversation() {
    let (url, _) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    let closed = b.conversation("c1").await.unwrap().service_window.unwrap();
    assert!(!closed.open);
    assert_eq!(closed.last_inbound_at.unwrap().to_rfc3339(), "2026-11-20T04:00:00+00:00");
    assert!(b.conversation("c5").await.unwrap().service_window.unwrap().open);
}

#[tokio::test]
async fn an_export_over_pages_that_never_end_stops_at_the_announced_total() {
    // Every page is full and claims more; the total says 250.
    let app = axum::Router::new().route(
        "/api/contacts",
        axum::routing::get(|q: axum::extract::Query<std::collections::HashMap<String, String>>| async move {
            let page: u64 = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let contacts: Vec<_> = (0..100)
                .map(|i| serde_json::json!({"id": format!("c{page}-{i}"), "phone_number": "15550001", "profile_name": "Jo"}))
                .collect();
            axum::Json(serde_json::json!({"status": "success",
                "data": {"contacts": contacts, "total": 250, "page": page, "limit": 100, "has_more": true}}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let b = WhatomateBackend::new(&server, Credentials::ApiKey(Secret::new("k"))).unwrap();
    let csv = tokio::time::timeout(std::time::Duration::from_secs(10), b.export_contacts_csv()).await.unwrap().unwrap();
    assert_eq!(csv.lines().count(), 1 + 250, "a header and the 250 contacts announced");
}

#[tokio::test]
async fn templates_are_the_approved_ones_of_the_contacts_number_and_a_missing_parameter_is_refused_in_words() {
    let (url, s) = wa::start().await;
    let b = with_key(&url, AGENT_KEY);
    let names: Vec<String> = b.templates("c1").await.unwrap().into_iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["order_update", "follow_up"], "not pending, not another number's");
    assert!(calls(&s).iter().any(|c| c.starts_with("GET /api/templates?status=APPROVED")));
    let send = TemplateSend {
        name: "order_update".into(),
        language: "en".into(),
        params: vec![("1".into(), "Omar".into()), ("2".into(), String::new())],
    };
    let refused = b.send_template("c1", &send).await.unwrap_err();
    assert!(
        matches!(&refused, BackendError::Invalid(why) if why.contains("Missing template parameters: 2")),
        "{refused:?}"
    );
    let send = TemplateSend { params: vec![("1".into(), "Omar".into()), ("2".into(), "A-1".into())], ..send };
    let m = b.send_template("c1", &send).await.unwrap();
    assert_eq!((m.text.as_str(), m.status), ("Hi Omar, your order A-1 has shipped.", DeliveryStatus::Pending));
}
