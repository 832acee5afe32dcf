//! The imBrace adapter against the in-process emulator: documented calls, shapes and quirks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::imbrace;
use std::sync::Arc;
use std::time::Duration;
use tinbox::backend::imbrace::ImbraceBackend;
use tinbox::backend::*;
use tinbox::domain::*;
use tinbox::secret::Secret;
use tinbox::worker::*;

async fn setup() -> (ImbraceBackend, imbrace::Shared) {
    let (url, state) = imbrace::start().await;
    (ImbraceBackend::new(&url, Secret::new(imbrace::KEY), Some("org_1".into())).unwrap(), state)
}

fn calls(s: &imbrace::Shared) -> Vec<String> {
    std::mem::take(&mut s.lock().unwrap().calls)
}

fn fresh<T>(c: Listed<T>) -> T {
    match c {
        Listed::Fresh(value) => value,
        Listed::Unchanged => panic!(),
    }
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized() {
    let (url, _) = imbrace::start().await;
    let b = ImbraceBackend::new(&url, Secret::new("nope"), None).unwrap();
    assert_eq!(b.me().await.unwrap_err(), BackendError::Unauthorized);
}

#[tokio::test]
async fn views_map_to_team_conversation_types_with_skip_paging() {
    let (b, s) = setup().await;
    let q = |assigned: Option<&str>, page| ConversationQuery {
        page,
        limit: 2,
        assigned_to: assigned.and_then(common::assigned),
        ..Default::default()
    };
    let all = fresh(b.conversations(&q(None, 1), false).await.unwrap());
    assert_eq!((all.items.len(), all.total, all.total_pages), (2, 6, 3));
    let second = fresh(b.conversations(&q(None, 2), false).await.unwrap());
    assert_ne!(second.items[0].id, all.items[0].id);
    let mine = fresh(b.conversations(&q(Some("me"), 1), false).await.unwrap());
    assert!(mine.items.iter().all(|c| c.assignee.as_ref().unwrap().id == "u_ana"));
    let none = fresh(b.conversations(&q(Some("none"), 1), false).await.unwrap());
    assert!(none.items.iter().all(|c| c.assignee.is_none()));
    let log = calls(&s);
    assert!(log.iter().any(|c| c.starts_with("GET /v2/team_conversations")));
    // Newest first (sort=-timestamp): cv_5 on WeChat leads, cv_0 on WhatsApp comes last.
    let c = &all.items[0];
    assert_eq!(c.channel, Channel::Other("wechat".into()), "channel types tinbox does not know are kept");
    assert_eq!(c.contact.name, "Omar Haddad");
    let last = fresh(b.conversations(&q(None, 3), false).await.unwrap());
    assert_eq!((last.items[1].channel.clone(), last.items[1].contact.name.as_str()), (Channel::Whatsapp, "Marta Ruiz"));
    assert!(log.iter().any(|c| c.contains("sort=-timestamp")));
}

#[tokio::test]
async fn assignment_goes_through_assign_and_remove_team_member() {
    let (b, s) = setup().await;
    let c = b.assign("cv_1", Some("u_ben")).await.unwrap();
    assert_eq!(c.assignee.unwrap().id, "u_ben", "the new member replaces the old one");
    let log = calls(&s);
    assert!(
        log.contains(
            &r#"POST /v1/team_conversations/assign_team_member {"conversation_id":"cv_1","user_id":"u_ben"}"#
                .to_string()
        ),
        "{log:?}"
    );
    assert!(
        log.contains(
            &r#"POST /v1/team_conversations/remove_team_member {"conversation_id":"cv_1","user_id":"u_ana"}"#
                .to_string()
        ),
        "{log:?}"
    );
    assert!(b.assign("cv_1", None).await.unwrap().assignee.is_none());
    let failed = b.assign("cv_404", Some("u_ben")).await.unwrap_err();
    assert!(matches!(failed, BackendError::NotFound(_)), "{failed:?}");
}

#[tokio::test]
async fn status_goes_through_update_status_and_the_rest_is_unavailable() {
    let (b, s) = setup().await;
    let c = b
        .update_conversation("cv_2", &ConversationPatch { status: Some("closed".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.status, ConvStatus::Closed);
    assert!(calls(&s).contains(
        &r#"POST /v1/team_conversations/_update_status {"conversation_id":"cv_2","status":"closed"}"#.to_string()
    ));
    let labels = ConversationPatch { labels: Some(vec!["x".into()]), ..Default::default() };
    assert!(matches!(b.update_conversation("cv_2", &labels).await.unwrap_err(), BackendError::Unsupported(_)));
    assert!(matches!(b.labels().await.unwrap_err(), BackendError::Unsupported(_)));
    assert!(matches!(b.session_data("ct_0").await.unwrap_err(), BackendError::Unsupported(_)));
    assert!(b.unavailable().contains(&tinbox::domain::Capability::Labels));
}

#[tokio::test]
async fn messages_read_and_send() {
    let (b, s) = setup().await;
    let page = b.messages("cv_3", PageReq { page: 1, limit: 20 }).await.unwrap();
    assert_eq!(page.items[0].text, "Hello from conversation 3");
    assert_eq!(page.items[0].direction, Direction::Incoming);
    let sent = b
        .send_message("cv_3", &NewMessage { text: "On it".into(), private: false, idempotency_key: "k".into() })
        .await
        .unwrap();
    assert_eq!(sent.direction, Direction::Outgoing);
    assert_eq!(sent.author.unwrap().name, "Ana Lima");
    assert!(calls(&s).iter().any(|c| c.starts_with("POST /v1/conversation_messages")
        && c.contains(r#""type":"text""#)
        && c.contains("On it")));
    let note = NewMessage { text: "secret".into(), private: true, idempotency_key: "k2".into() };
    assert!(matches!(b.send_message("cv_3", &note).await.unwrap_err(), BackendError::Unsupported(_)));
}

#[tokio::test]
async fn contacts_comments_the_singular_files_path_activities_and_csv() {
    let (b, s) = setup().await;
    let all = b.contacts(&ContactQuery::default()).await.unwrap();
    assert_eq!(all.total, 4);
    let found = b.contacts(&ContactQuery { search: Some("yuki".into()), ..Default::default() }).await.unwrap();
    assert_eq!(found.items[0].name, "Yuki Sato");
    let edited = b
        .update_contact("ct_1", &ContactDraft { email: Some("omar@new.test".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(edited.email.as_deref(), Some("omar@new.test"));
    assert_eq!(b.comments("ct_1", PageReq::default()).await.unwrap().items[0].text, "VIP customer (ct_1)");
    assert_eq!(b.files("ct_1").await.unwrap()[0].size, Some(20480));
    assert_eq!(b.activities("cv_1", PageReq::default()).await.unwrap().items[0].kind, "assigned");
    assert!(b.export_contacts_csv().await.unwrap().starts_with("id,display_name"));
    let log = calls(&s);
    assert!(log.iter().any(|c| c == "GET /v1/contact/ct_1/files"), "singular contact: {log:?}");
    assert!(log.iter().any(|c| c.starts_with("GET /v1/contacts/_search")));
}

#[tokio::test]
async fn notifications_show_whatever_text_they_have_and_dismiss_with_a_body() {
    let (b, s) = setup().await;
    let page = b.notifications(PageReq::default(), false).await.unwrap();
    let texts: Vec<&str> = page.items.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(texts, ["You were assigned", "Omar wrote again", "Weekly report ready"]);
    assert_eq!(page.items[0].conversation_id.as_deref(), Some("cv_1"), "linked to the conversation it names");
    assert_eq!(b.notifications(PageReq::default(), true).await.unwrap().items.len(), 2);
    b.mark_notifications_read(&["n_1".into()]).await.unwrap();
    b.dismiss_notification("n_2").await.unwrap();
    b.dismiss_all_notifications().await.unwrap();
    let log = calls(&s);
    assert!(log.contains(&r#"PUT /v1/notifications/read {"notification_id":["n_1"]}"#.to_string()));
    assert!(
        log.contains(&r#"DELETE /v1/notifications/dismiss {"notification_id":"n_2"}"#.to_string()),
        "DELETE with a JSON body: {log:?}"
    );
    assert!(log.contains(&"DELETE /v1/notifications/dismiss/all".to_string()));
    assert!(b.notifications(PageReq::default(), false).await.unwrap().items.is_empty());
    assert_eq!(b.me().await.unwrap().id, "me", "no notification left to name the user");
}

#[tokio::test]
async fn there_is_no_stream_so_the_worker_polls() {
    let (b, s) = setup().await;
    let opts = WorkerOptions { poll_every: Duration::from_millis(100), ..Default::default() };
    let (worker, mut rx) = Worker::spawn(Arc::new(b), opts);
    worker.start_live();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let ev = tokio::time::timeout_at(deadline, rx.recv()).await.expect("polling starts").unwrap();
        if ev == WorkerEvent::Live(LiveStatus::Polling) {
            break;
        }
    }
    assert!(calls(&s).iter().any(|c| c.starts_with("GET /v2/team_conversations")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_to_end_in_a_terminal_against_the_emulator() {
    use common::pty::Pty;
    let (url, s) = imbrace::start().await;
    tokio::task::block_in_place(|| {
        let mut t = Pty::spawn(
            &["--backend", "imbrace", "--server", &url, "--token", imbrace::KEY, "--organization", "org_1"],
            120,
            30,
        );
        t.wait_for("● polling", 20);
        t.wait_for("Omar Haddad", 10); // newest first: cv_5
        t.wait_for("+491511234501", 10); // the contact panel, with the full contact
        t.wait_for("session data is not available", 10); // the session panel says what it cannot show
        t.wait_for("Comments (1)", 10);
        // A poll re-delivers the conversation with only a stub of its contact: the panel keeps the full one.
        std::thread::sleep(Duration::from_millis(5500));
        t.wait_for("+491511234501", 1);
        t.send("a");
        t.wait_for("Ana Lima (you)", 5);
        t.send("ben");
        t.send("\r");
        t.wait_for_notice("Assigned to Ben Okoro", 10);
        t.send("gR");
        t.wait_for("Ctrl-S send", 5);
        t.send("Hello from tinbox");
        t.send("\x13");
        t.wait_for_notice("Reply sent", 10);
        t.send("\x1b");
        t.send("?");
        t.wait_for("not on this server", 5);
        t.send("\x1b");
        t.send("q");
        t.send("q");
        assert!(t.wait_exit(5));
    });
    let log = calls(&s);
    assert!(
        log.iter().any(|c| c.starts_with("POST /v1/team_conversations/assign_team_member") && c.contains("u_ben")),
        "{log:#?}"
    );
    assert!(
        log.iter().any(|c| c.starts_with("POST /v1/conversation_messages") && c.contains("Hello from tinbox")),
        "{log:#?}"
    );
    assert!(log.iter().any(|c| c.starts_with("GET /v1/contact/ct_1/files")), "the singular files path");
}
