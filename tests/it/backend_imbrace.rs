//! The imBrace adapter against the in-process emulator, which is as strict as the fact sheet: documented calls,
//! shapes and quirks, the views and their counts, `from` as the author, imBrace's statuses, notes as comments.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{self, fresh};

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

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_a_jwt_with_its_organisation_goes_as_bearer() {
    let (url, s) = imbrace::start().await;
    let b = ImbraceBackend::new(&url, Secret::new("nope"), None).unwrap();
    assert_eq!(b.me().await.unwrap_err(), BackendError::Unauthorized);
    // A JWT with an organisation: Authorization: Bearer and x-organization-id (the emulator refuses it otherwise).
    let jwt = ImbraceBackend::new(&url, Secret::new(imbrace::JWT), Some(imbrace::ORG.into())).unwrap();
    assert_eq!(jwt.me().await.unwrap().name, "Ana Lima");
    let without_org = ImbraceBackend::new(&url, Secret::new(imbrace::JWT), None).unwrap();
    assert_eq!(without_org.me().await.unwrap_err(), BackendError::Unauthorized, "sent as x-access-token");
    let opaque = ImbraceBackend::new(&url, Secret::new("access:acc_123"), None).unwrap();
    assert_eq!(opaque.me().await.unwrap().id, "u_ana");
    assert!(calls(&s).iter().any(|c| c.starts_with("GET /platform/v1/users/_me")));
}

#[tokio::test]
async fn who_i_am_and_the_agents_come_from_the_platform_user_calls() {
    let (b, s) = setup().await;
    let me = b.me().await.unwrap();
    assert_eq!((me.id.as_str(), me.name.as_str(), me.email.as_str()), ("u_ana", "Ana Lima", "ana@acme.test"));
    let agents = b.agents().await.unwrap();
    let names: Vec<&str> = agents.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Ana Lima", "Ben Okoro", "Chen Wei"]);
    assert!(calls(&s).iter().any(|c| c.starts_with("GET /platform/v1/users?limit=100&skip=0")));
}

#[tokio::test]
async fn mine_is_view_yours_all_has_no_view_and_the_counts_come_from_views_count() {
    let (b, s) = setup().await;
    let q = |assigned: Option<&str>, page, limit| ConversationQuery {
        page,
        limit,
        assigned_to: assigned.and_then(common::assigned),
        ..Default::default()
    };
    let all = fresh(b.conversations(&q(None, 1, 2), false).await.unwrap());
    assert_eq!((all.items.len(), all.total, all.total_pages), (2, 6, 3));
    let second = fresh(b.conversations(&q(None, 2, 2), false).await.unwrap());
    assert_ne!(second.items[0].id, all.items[0].id);
    let mine = fresh(b.conversations(&q(Some("me"), 1, 50), false).await.unwrap());
    let ids: Vec<&str> = mine.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cv_5", "cv_3", "cv_1"], "only the conversations Ana is in");
    let none = fresh(b.conversations(&q(Some("none"), 1, 50), false).await.unwrap());
    let ids: Vec<&str> = none.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cv_2", "cv_0"], "nobody in them (Ben is in cv_4)");
    let log = calls(&s);
    assert!(log.iter().any(|c| c.starts_with("GET /v1/team_conversations?") && c.contains("view=yours")), "{log:#?}");
    assert!(!log.iter().any(|c| c.contains("type=mine") || c.contains("type=all")), "type is a field selector");
    // Counts: one views-count call per view, not a list.
    assert_eq!(fresh(b.conversations(&q(Some("me"), 1, 1), false).await.unwrap()).total, 3);
    assert_eq!(fresh(b.conversations(&q(None, 1, 1), false).await.unwrap()).total, 6);
    let log = calls(&s);
    assert_eq!(log.iter().filter(|c| c.starts_with("GET /v1/team_conversations/_views_count")).count(), 2);
    // Search and status go as the v1 list's own parameters.
    let found = ConversationQuery { search: Some("yuki".into()), status: Some("open".into()), ..q(None, 1, 50) };
    let found = fresh(b.conversations(&found, false).await.unwrap());
    assert_eq!(found.items[0].contact.name, "Yuki Sato");
    assert!(calls(&s).iter().any(|c| c.contains("search=yuki") && c.contains("status=open")));
}

#[tokio::test]
async fn assignment_goes_through_assign_and_remove_team_member() {
    let (b, s) = setup().await;
    let c = b.assign("cv_1", Some("u_ben")).await.unwrap();
    assert_eq!(c.assignee.unwrap().id, "u_ben", "the new member replaces the old one");
    let log = calls(&s);
    let assign = r#"POST /v1/team_conversations/assign_team_member {"conversation_id":"cv_1","user_id":"u_ben"}"#;
    let remove = r#"POST /v1/team_conversations/remove_team_member {"conversation_id":"cv_1","user_id":"u_ana"}"#;
    assert!(log.iter().any(|c| c == assign) && log.iter().any(|c| c == remove), "{log:?}");
    assert!(b.assign("cv_1", None).await.unwrap().assignee.is_none());
    let failed = b.assign("cv_404", Some("u_ben")).await.unwrap_err();
    assert!(matches!(failed, BackendError::NotFound(_)), "{failed:?}");
}

#[tokio::test]
async fn take_next_takes_the_longest_waiting_outstanding_conversation_nobody_is_in() {
    let (b, s) = setup().await;
    let took = b.take_next().await.unwrap().unwrap();
    assert_eq!((took.id.as_str(), took.assignee.unwrap().id.as_str()), ("cv_0", "u_ana"));
    assert_eq!(b.take_next().await.unwrap().unwrap().id, "cv_2");
    assert_eq!(b.take_next().await.unwrap(), None, "the rest have someone in them");
    assert!(calls(&s).iter().any(|c| c.starts_with("GET /v1/team_conversations/_outstanding")));
}

#[tokio::test]
async fn closing_resolves_and_closed_is_not_an_imbrace_status() {
    let (url, s) = imbrace::start().await;
    let b = ImbraceBackend::new(&url, Secret::new(imbrace::KEY), Some("org_1".into())).unwrap();
    let c = b
        .update_conversation("cv_2", &ConversationPatch { status: Some("closed".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c.status.as_str(), "resolved");
    let sent = r#"POST /v1/team_conversations/_update_status {"conversation_id":"cv_2","status":"resolved"}"#;
    assert!(calls(&s).iter().any(|c| c == sent));
    // The emulator is as strict as imBrace: `closed` itself is refused.
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{url}/channel-service/v1/team_conversations/_update_status"))
        .header("x-api-key", imbrace::KEY)
        .json(&serde_json::json!({"conversation_id": "cv_2", "status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let labels = ConversationPatch { labels: Some(vec!["x".into()]), ..Default::default() };
    assert!(matches!(b.update_conversation("cv_2", &labels).await.unwrap_err(), BackendError::Unsupported(_)));
    assert!(matches!(b.session_data("ct_0").await.unwrap_err(), BackendError::Unsupported(_)));
    assert!(b.unavailable().contains(&tinbox::domain::Capability::Labels));
}

#[tokio::test]
async fn the_author_is_from_the_customer_or_the_agent_and_notes_are_comments_on_a_message() {
    let (b, s) = setup().await;
    b.me().await.unwrap();
    let page = b.messages("cv_1", PageReq { page: 1, limit: 20 }).await.unwrap();
    let drawn: Vec<(&str, Direction, Option<&str>)> = page
        .items
        .iter()
        .map(|m| (m.text.as_str(), m.direction.clone(), m.author.as_ref().map(|a| a.name.as_str())))
        .collect();
    assert_eq!(
        drawn,
        [
            ("Looking into it now", Direction::Outgoing, Some("Ana Lima")),
            ("Hello from conversation 1", Direction::Incoming, None)
        ],
        "newest first; the agent's reply is the agent's"
    );
    let sent = b
        .send_message("cv_3", &NewMessage { text: "On it".into(), private: false, idempotency_key: "k".into() })
        .await
        .unwrap();
    assert_eq!((sent.direction, sent.author.unwrap().name.as_str()), (Direction::Outgoing, "Ana Lima"));
    let note = NewMessage { text: "Refund approved internally".into(), private: true, idempotency_key: "k2".into() };
    let written = b.send_message("cv_3", &note).await.unwrap();
    assert!(written.private);
    let log = calls(&s);
    assert!(
        log.iter()
            .any(|c| c.starts_with("POST /v1/conversation_messages") && c.contains(r#""conversation_id":"cv_3""#))
    );
    assert!(
        log.iter()
            .any(|c| c.starts_with(&format!("POST /v1/conversations/cv_3/conversation_messages/{}/comments", sent.id))
                && c.contains("Refund approved internally")),
        "the note is a comment on the newest message: {log:#?}"
    );
    let thread = b.messages("cv_3", PageReq { page: 1, limit: 20 }).await.unwrap();
    assert!(thread.items.iter().any(|m| m.private && m.text == "Refund approved internally"), "the thread shows it");
}

#[tokio::test]
async fn contacts_send_only_what_changed_comments_files_activities_and_csv() {
    let (b, s) = setup().await;
    let all = b.contacts(&ContactQuery::default()).await.unwrap();
    assert_eq!(all.total, 4);
    let found = b.contacts(&ContactQuery { search: Some("yuki".into()), ..Default::default() }).await.unwrap();
    assert_eq!(found.items[0].name, "Yuki Sato");
    calls(&s);
    let draft = ContactDraft { email: Some("omar@new.test".into()), phone: Some("".into()), ..Default::default() };
    let edited = b.update_contact("ct_1", &draft).await.unwrap();
    assert_eq!(edited.email.as_deref(), Some("omar@new.test"));
    assert_eq!(edited.phone.as_deref(), Some("+491511234501"), "a null would have wiped it");
    let log = calls(&s);
    assert!(log.iter().any(|c| c == r#"PUT /v1/contacts/ct_1 {"email":"omar@new.test"}"#), "{log:#?}");
    assert_eq!(b.comments("ct_1", PageReq::default()).await.unwrap().items[0].text, "VIP customer (ct_1)");
    let added = b.add_comment("ct_1", "Prefers calls after 5pm").await.unwrap();
    assert_eq!(added.text, "Prefers calls after 5pm");
    assert!(calls(&s).iter().any(|c| c == r#"POST /v1/contacts/ct_1/comments {"content":"Prefers calls after 5pm"}"#));
    assert_eq!(b.files("ct_1").await.unwrap()[0].size, Some(20480));
    assert_eq!(b.activities("cv_1", PageReq::default()).await.unwrap().items[0].kind, "assigned");
    assert!(b.export_contacts_csv().await.unwrap().starts_with("id,display_name"));
    let log = calls(&s);
    assert!(log.iter().any(|c| c == "GET /v1/contact/ct_1/files"), "singular contact: {log:?}");
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
    assert!(calls(&s).iter().any(|c| c.starts_with("GET /v1/team_conversations")));
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
        t.wait_for("Ana Lima @", 10); // the status line names the agent, from users/_me
        // Mine and All differ as the data says: Ana is in three of the six.
        t.wait_for("1 Mine (3)", 10);
        t.wait_for("3 All (6)", 10);
        t.wait_for("Omar Haddad", 10);
        t.wait_for("+491511234501", 10); // the contact panel, with the full contact
        t.wait_for("session data is not available", 10);
        t.wait_for("Comments (1)", 10);
        // cv_1: the customer wrote, Ana answered — her reply is drawn as hers.
        t.send("3");
        t.send("G");
        t.send("k");
        t.wait_for("+491511234501", 10);
        t.send("\r");
        t.wait_until("Ana's reply drawn as Ana's", 10, |screen| {
            let lines: Vec<&str> = screen.lines().collect();
            lines.windows(2).any(|w| w[0].contains("Ana Lima") && w[1].contains("Looking into it now"))
        });
        t.send("\x1b");
        t.send("a");
        t.wait_for("Ana Lima (you)", 5);
        t.send("ben");
        t.send("\r");
        t.wait_for_notice("Assigned to Ben Okoro", 10);
        t.send("R");
        t.wait_for("Ctrl-S send", 5);
        t.send("Hello from tinbox");
        t.send("\x13");
        t.wait_for_notice("Reply sent", 10);
        t.send("\x1b");
        t.send("\x1b");
        // `c` resolves: imBrace has no `closed`.
        t.send("c");
        t.wait_for_notice("Closed — Omar Haddad", 10);
        t.wait_for("3 All (5)", 10); // it left the open ones
        // The status filter offers imBrace's statuses: open → pending → resolved, where it now is.
        t.send("s");
        t.wait_for("status: pending", 5);
        t.send("s");
        t.wait_for("status: resolved", 5);
        t.wait_until("the resolved conversation listed", 10, |screen| {
            screen.lines().any(|l| l.contains("IG") && l.contains("Omar Haddad"))
        });
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
    assert!(log.iter().any(|c| c.contains("_update_status") && c.contains(r#""status":"resolved""#)), "{log:#?}");
    assert!(!log.iter().any(|c| c.contains(r#""status":"closed""#)), "{log:#?}");
}
