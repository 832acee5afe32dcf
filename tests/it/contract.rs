//! Contract tests: the native backend against the reference server over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{self, fresh};

use futures::StreamExt;
use std::time::Duration;
use tinbox::backend::*;
use tinbox::domain::*;
use tinbox::server::ServerOptions;

fn q() -> ConversationQuery {
    ConversationQuery { page: 1, limit: 20, ..Default::default() }
}

#[tokio::test]
async fn me_agents_and_labels() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let me = alice.me().await.unwrap();
    assert_eq!(me.name, "Alice Martin");
    let agents = alice.agents().await.unwrap();
    assert!(agents.len() >= 8);
    assert!(agents.iter().any(|a| a.open_conversations > 0));
    assert!(alice.labels().await.unwrap().iter().any(|l| l.name == "billing"));
}

#[tokio::test]
async fn unauthorized_without_or_with_a_wrong_token() {
    let s = common::server(ServerOptions::default()).await;
    let bad = tinbox::backend::native::NativeBackend::new(&s.url(), tinbox::secret::Secret::new("nope")).unwrap();
    assert_eq!(bad.me().await.unwrap_err(), BackendError::Unauthorized);
    let resp = common::raw().get(format!("{}/api/conversations", s.url())).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "error");
    assert!(body["data"].is_null());
}

#[tokio::test]
async fn conversation_list_filters_sorts_and_pages() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    let all = fresh(c.conversations(&q(), false).await.unwrap());
    assert!(all.total >= 300);
    assert_eq!(all.items.len(), 20);
    assert_eq!(all.total_pages as u64, all.total.div_ceil(20));
    let c0 = &all.items[0];
    assert!(!c0.contact.name.is_empty() && !c0.contact_id.is_empty());

    let open = fresh(c.conversations(&ConversationQuery { status: Some("open".into()), ..q() }, false).await.unwrap());
    assert!(open.items.iter().all(|c| c.status == ConvStatus::Open));
    assert!(open.total < all.total);

    let mine = fresh(
        c.conversations(&ConversationQuery { assigned_to: Some(Assigned::Me), limit: 100, ..q() }, false)
            .await
            .unwrap(),
    );
    assert!(mine.items.iter().all(|c| c.assignee.as_ref().unwrap().id == "agt_alice"));
    let none =
        fresh(c.conversations(&ConversationQuery { assigned_to: Some(Assigned::Nobody), ..q() }, false).await.unwrap());
    assert!(none.total > 50, "many conversations are unassigned");
    assert!(none.items.iter().all(|c| c.assignee.is_none()));

    for (field, value) in [("channel", "sms"), ("priority", "high"), ("label", "billing")] {
        let mut query = q();
        match field {
            "channel" => query.channel = Some(value.into()),
            "priority" => query.priority = Some(value.into()),
            _ => query.label = Some(value.into()),
        }
        let page = fresh(c.conversations(&query, false).await.unwrap());
        assert!(page.total > 0, "{field}={value} finds something");
        for conv in &page.items {
            match field {
                "channel" => assert_eq!(conv.channel, Channel::Sms),
                "priority" => assert_eq!(conv.priority, Priority::High),
                _ => assert!(conv.labels.iter().any(|l| l == "billing")),
            }
        }
    }
    let unread = fresh(c.conversations(&ConversationQuery { unread: true, ..q() }, false).await.unwrap());
    assert!(unread.total > 0 && unread.items.iter().all(|c| c.unread_count > 0));

    let waiting =
        fresh(c.conversations(&ConversationQuery { sort: SortOrder::Waiting, limit: 50, ..q() }, false).await.unwrap());
    let times: Vec<_> = waiting.items.iter().map_while(|c| c.waiting_since).collect();
    assert!(times.len() > 1 && times.windows(2).all(|w| w[0] <= w[1]), "waiting longest first");
    let pri = fresh(
        c.conversations(&ConversationQuery { sort: SortOrder::Priority, limit: 100, ..q() }, false).await.unwrap(),
    );
    assert!(pri.items.windows(2).all(|w| w[0].priority.rank() <= w[1].priority.rank()));
    let latest = fresh(c.conversations(&q(), false).await.unwrap());
    let oldest = fresh(c.conversations(&ConversationQuery { sort: SortOrder::Oldest, ..q() }, false).await.unwrap());
    assert!(latest.items[0].last_message_at > oldest.items[0].last_message_at);

    let page2 = fresh(c.conversations(&ConversationQuery { page: 2, ..q() }, false).await.unwrap());
    assert_eq!(page2.page, 2);
    assert!(page2.items.iter().all(|x| all.items.iter().all(|y| y.id != x.id)), "pages do not overlap");
}

#[tokio::test]
async fn search_matches_subject_name_phone_email_and_preview() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    let first = fresh(c.conversations(&ConversationQuery { limit: 100, ..q() }, false).await.unwrap());
    let with_phone = first.items.iter().find(|c| c.contact.phone.is_some()).unwrap();
    let with_email = first.items.iter().find(|c| c.contact.email.is_some()).unwrap();
    let probes = [
        ("Refund".to_string(), "subject"),
        (with_phone.contact.phone.clone().unwrap().to_string(), "phone"),
        (with_email.contact.email.clone().unwrap().to_uppercase(), "email"),
        ("Müller".to_string(), "name"),
        (first.items[0].last_message_preview.clone().unwrap().chars().skip(2).take(12).collect(), "preview"),
    ];
    for (needle, what) in probes {
        let page =
            fresh(c.conversations(&ConversationQuery { search: Some(needle.clone()), ..q() }, false).await.unwrap());
        assert!(page.total > 0, "search by {what} ({needle}) finds something");
    }
}

#[tokio::test]
async fn bad_paging_is_400_and_unknown_ids_are_404() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    for limit in [0, 101] {
        let err = c.conversations(&ConversationQuery { limit, ..q() }, false).await.unwrap_err();
        assert!(matches!(err, BackendError::Invalid(ref m) if m.contains("limit")), "{err:?}");
    }
    let token = s.token_for("alice").unwrap();
    let resp = common::raw().get(format!("{}/api/contacts?page=x", s.url())).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(matches!(c.conversation("conv_nope").await.unwrap_err(), BackendError::NotFound(_)));
    assert!(matches!(c.contact("cnt_nope").await.unwrap_err(), BackendError::NotFound(_)));
    assert!(matches!(c.messages("conv_nope", PageReq::default()).await.unwrap_err(), BackendError::NotFound(_)));
    let resp = common::raw().get(format!("{}/api/nowhere", s.url())).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn unchanged_list_answers_304_and_a_change_makes_it_fresh() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    let Listed::Fresh(value) = c.conversations(&q(), true).await.unwrap() else { panic!("the first answer is fresh") };
    assert_eq!(c.conversations(&q(), true).await.unwrap(), Listed::Unchanged, "asked again: unchanged (304)");
    assert!(matches!(c.conversations(&q(), false).await.unwrap(), Listed::Fresh(_)), "not revalidating: fresh");
    let labels = Some(vec!["etag-probe".to_string()]);
    c.update_conversation(&value.items[0].id, &ConversationPatch { labels, ..Default::default() }).await.unwrap();
    assert!(matches!(c.conversations(&q(), true).await.unwrap(), Listed::Fresh(_)), "a change makes it fresh");
}

#[tokio::test]
async fn patch_assign_read_and_activities() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    let id =
        fresh(c.conversations(&ConversationQuery { unread: true, ..q() }, false).await.unwrap()).items[0].id.clone();
    let patched = c
        .update_conversation(
            &id,
            &ConversationPatch {
                status: Some("closed".into()),
                priority: Some("high".into()),
                labels: Some(vec!["vip".into(), "urgent".into()]),
                subject: Some("Renamed".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(patched.status, ConvStatus::Closed);
    assert_eq!(patched.priority, Priority::High);
    assert_eq!(patched.labels, ["vip", "urgent"]);
    assert_eq!(patched.subject.as_deref(), Some("Renamed"));
    let bad =
        c.update_conversation(&id, &ConversationPatch { status: Some("snoozed".into()), ..Default::default() }).await;
    assert!(matches!(bad.unwrap_err(), BackendError::Invalid(_)));

    let assigned = c.assign(&id, Some("agt_bruno")).await.unwrap();
    assert_eq!(assigned.assignee.unwrap().name, "Bruno Silva");
    assert!(c.assign(&id, None).await.unwrap().assignee.is_none());
    assert!(matches!(c.assign(&id, Some("agt_nobody")).await.unwrap_err(), BackendError::Invalid(_)));
    assert_eq!(c.mark_read(&id).await.unwrap().unread_count, 0);

    let acts = c.activities(&id, PageReq::default()).await.unwrap();
    let kinds: Vec<&str> = acts.items.iter().map(|a| a.kind.as_str()).collect();
    for k in ["status", "priority", "labels", "assigned", "unassigned"] {
        assert!(kinds.contains(&k), "activity {k} recorded: {kinds:?}");
    }
    assert_eq!(acts.items[0].kind, "unassigned", "newest first");
    assert_eq!(acts.items[0].actor.as_deref(), Some("Alice Martin"));
}

#[tokio::test]
async fn messages_page_newest_first_and_sends_are_idempotent() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    let conv = fresh(c.conversations(&q(), false).await.unwrap()).items[0].clone();
    let before = c.messages(&conv.id, PageReq { page: 1, limit: 100 }).await.unwrap();
    assert!(before.total > 0);
    assert!(before.items.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");

    let msg = NewMessage { text: "Thanks, looking into it.".into(), private: false, idempotency_key: "k-1".into() };
    let sent = c.send_message(&conv.id, &msg).await.unwrap();
    assert_eq!(sent.direction, Direction::Outgoing);
    assert_eq!(sent.author.as_ref().unwrap().name, "Alice Martin");
    let again = c.send_message(&conv.id, &msg).await.unwrap();
    assert_eq!(again.id, sent.id, "the same key creates one message");
    let after = c.messages(&conv.id, PageReq { page: 1, limit: 100 }).await.unwrap();
    assert_eq!(after.total, before.total + 1);
    assert_eq!(after.items[0].id, sent.id);
    let updated = c.conversation(&conv.id).await.unwrap();
    assert!(updated.waiting_since.is_none(), "a reply answers the customer");

    let note = c
        .send_message(&conv.id, &NewMessage { text: "internal".into(), private: true, idempotency_key: "k-2".into() })
        .await
        .unwrap();
    assert!(note.private);
    for blank in ["", "   \n "] {
        let r = c
            .send_message(&conv.id, &NewMessage { text: blank.into(), private: false, idempotency_key: "k-3".into() })
            .await;
        assert!(matches!(r.unwrap_err(), BackendError::Invalid(_)), "blank text is 422");
    }
    let token = s.token_for("alice").unwrap();
    let resp = common::raw()
        .post(format!("{}/api/conversations/{}/messages", s.url(), conv.id))
        .bearer_auth(token)
        .json(&serde_json::json!({"text": "  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
}

#[tokio::test]
async fn contacts_crud_assign_session_comments_files_and_csv() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    let page = c.contacts(&ContactQuery { page: PageReq { page: 1, limit: 100 }, ..Default::default() }).await.unwrap();
    assert!(page.total >= 120);
    let found = c.contacts(&ContactQuery { search: Some("Müller".into()), ..Default::default() }).await.unwrap();
    assert!(found.items.iter().all(|x| x.name.contains("Müller")));
    let by_account =
        c.contacts(&ContactQuery { account_id: Some("acc_2".into()), ..Default::default() }).await.unwrap();
    assert!(by_account.items.iter().all(|x| x.account_id.as_deref() == Some("acc_2")));

    let draft =
        ContactDraft { name: Some("Zoë Ångström".into()), phone: Some("+46701234567".into()), ..Default::default() };
    let created = c.create_contact(&draft).await.unwrap();
    assert_eq!(created.name, "Zoë Ångström");
    assert_eq!(created.phone.as_deref(), Some("+46701234567"));
    let bad_phone = ContactDraft { phone: Some("0701".into()), ..Default::default() };
    assert!(matches!(c.update_contact(&created.id, &bad_phone).await.unwrap_err(), BackendError::Invalid(_)));
    let bad_email = ContactDraft { email: Some("zoe@".into()), ..Default::default() };
    assert!(matches!(c.update_contact(&created.id, &bad_email).await.unwrap_err(), BackendError::Invalid(_)));
    let edited = c
        .update_contact(&created.id, &ContactDraft { email: Some("zoe@example.se".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(edited.email.as_deref(), Some("zoe@example.se"));
    assert_eq!(c.assign_contact(&created.id, Some("agt_hiro")).await.unwrap().assigned_to.as_deref(), Some("agt_hiro"));
    assert!(c.session_data(&created.id).await.unwrap().is_empty(), "no session: empty");
    c.delete_contact(&created.id).await.unwrap();
    assert!(matches!(c.contact(&created.id).await.unwrap_err(), BackendError::NotFound(_)));

    let with_session = page.items.iter().find(|x| x.id == "cnt_0000").unwrap();
    let session = c.session_data(&with_session.id).await.unwrap();
    assert!(session.flow_name.is_some() && !session.panel.sections.is_empty());
    let convs = c.contact_conversations(&with_session.id, PageReq::default()).await.unwrap();
    assert!(convs.items.iter().all(|x| x.contact_id == with_session.id) && convs.total > 0);

    let comment = c.add_comment("cnt_0001", "Called back, all good.").await.unwrap();
    assert_eq!(comment.author.as_deref(), Some("Alice Martin"));
    assert_eq!(c.comments("cnt_0001", PageReq::default()).await.unwrap().items[0].id, comment.id);
    let mut files_seen = 0;
    for contact in page.items.iter().take(40) {
        files_seen += c.files(&contact.id).await.unwrap().len();
    }
    assert!(files_seen > 0);
    let csv = c.export_contacts_csv().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().get(0), Some("id"));
    assert_eq!(reader.records().count() as u64, page.total, "one row per contact (the created one is gone again)");
}

#[tokio::test]
async fn notifications_on_assign_and_mention_then_read_and_dismiss() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let bruno = common::client(&s, "bruno");
    let before = bruno.notifications(PageReq::default(), false).await.unwrap().total;
    let conv = fresh(
        alice.conversations(&ConversationQuery { assigned_to: Some(Assigned::Nobody), ..q() }, false).await.unwrap(),
    )
    .items[0]
        .clone();
    alice.assign(&conv.id, Some("agt_bruno")).await.unwrap();
    let list = bruno.notifications(PageReq::default(), false).await.unwrap();
    assert_eq!(list.total, before + 1);
    let n = &list.items[0];
    assert_eq!(n.kind, NotificationKind::Assigned);
    assert_eq!(n.conversation_id.as_deref(), Some(conv.id.as_str()));
    assert_eq!(n.actor.as_deref(), Some("Alice Martin"));
    assert!(!n.is_read);

    alice.add_comment(&conv.contact_id, "@bruno can you call them back?").await.unwrap();
    let list = bruno.notifications(PageReq::default(), true).await.unwrap();
    assert_eq!(list.items[0].kind, NotificationKind::Mention);
    assert!(list.items.iter().all(|n| !n.is_read), "unread filter");

    bruno.mark_notifications_read(&[list.items[0].id.clone()]).await.unwrap();
    let unread = bruno.notifications(PageReq::default(), true).await.unwrap();
    assert_eq!(unread.total, list.total - 1);
    bruno.dismiss_notification(&list.items[1].id).await.unwrap();
    assert!(matches!(bruno.dismiss_notification(&list.items[1].id).await.unwrap_err(), BackendError::NotFound(_)));
    assert!(
        matches!(alice.dismiss_notification(&list.items[2].id).await.unwrap_err(), BackendError::NotFound(_)),
        "not hers"
    );
    bruno.dismiss_all_notifications().await.unwrap();
    assert_eq!(bruno.notifications(PageReq::default(), false).await.unwrap().total, 0);
}

async fn next_event(stream: &mut LiveStream) -> LiveItem {
    tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("an event in time")
        .expect("open")
        .expect("ok")
}

/// The next item that carries an event (skipping the opening `ready`).
async fn next_payload(stream: &mut LiveStream) -> LiveItem {
    loop {
        let item = next_event(stream).await;
        if item.event.is_some() {
            return item;
        }
    }
}

#[tokio::test]
async fn live_stream_delivers_and_resumes_with_last_event_id_after_a_drop() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let bruno = common::client(&s, "bruno");
    let mut stream = bruno.live(None).await.unwrap();
    let ready = next_event(&mut stream).await;
    assert!(ready.event.is_none() && ready.id.is_some(), "the stream opens with its position: {ready:?}");
    let conv = fresh(
        alice.conversations(&ConversationQuery { assigned_to: Some(Assigned::Nobody), ..q() }, false).await.unwrap(),
    )
    .items[0]
        .clone();
    alice.assign(&conv.id, Some("agt_bruno")).await.unwrap();
    let mut seen = Vec::new();
    while seen.len() < 2 {
        seen.push(next_payload(&mut stream).await);
    }
    assert!(
        seen.iter().any(
            |i| matches!(&i.event, Some(LiveEvent::NotificationCreated(n)) if n.kind == NotificationKind::Assigned)
        )
    );
    assert!(seen.iter().any(|i| matches!(&i.event, Some(LiveEvent::ConversationUpdated(c)) if c.id == conv.id)));
    let last = seen.last().unwrap().id.clone().expect("events carry ids");

    s.drop_streams();
    let ended = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("the drop is noticed");
    assert!(ended.is_none() || ended.unwrap().is_err());

    // Changes made while disconnected arrive on resume, in order, and nothing before `last` repeats.
    let msg = NewMessage { text: "while you were away".into(), private: false, idempotency_key: "away".into() };
    let sent = alice.send_message(&conv.id, &msg).await.unwrap();
    alice
        .update_conversation(&conv.id, &ConversationPatch { priority: Some("high".into()), ..Default::default() })
        .await
        .unwrap();
    let mut resumed = bruno.live(Some(&last)).await.unwrap();
    let first = next_payload(&mut resumed).await;
    assert!(matches!(&first.event, Some(LiveEvent::MessageCreated(m)) if m.id == sent.id), "{first:?}");
    assert!(first.id.unwrap().parse::<u64>().unwrap() > last.parse::<u64>().unwrap());
    let mut got_priority = false;
    for _ in 0..3 {
        if let Some(LiveEvent::ConversationUpdated(c)) = next_payload(&mut resumed).await.event
            && c.priority == Priority::High
        {
            got_priority = true;
            break;
        }
    }
    assert!(got_priority);
}

#[tokio::test]
async fn events_are_404_when_the_server_has_no_stream() {
    let s = common::server(ServerOptions { events: false, ..Default::default() }).await;
    let c = common::client(&s, "alice");
    assert!(matches!(c.live(None).await.err().unwrap(), BackendError::NotFound(_)));
}

#[tokio::test]
async fn two_clients_see_one_result_the_later_assignment_wins() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let bruno = common::client(&s, "bruno");
    let mut a_stream = alice.live(None).await.unwrap();
    let mut b_stream = bruno.live(None).await.unwrap();
    let id = fresh(alice.conversations(&q(), false).await.unwrap()).items[3].id.clone();
    alice.assign(&id, Some("agt_alice")).await.unwrap();
    bruno.assign(&id, Some("agt_bruno")).await.unwrap();
    assert_eq!(alice.conversation(&id).await.unwrap().assignee.unwrap().id, "agt_bruno");
    for stream in [&mut a_stream, &mut b_stream] {
        let mut last_assignee = None;
        for _ in 0..6 {
            let Ok(Some(Ok(item))) = tokio::time::timeout(Duration::from_millis(500), stream.next()).await else {
                break;
            };
            if let Some(LiveEvent::ConversationUpdated(c)) = item.event
                && c.id == id
            {
                last_assignee = c.assignee.map(|a| a.id);
            }
        }
        assert_eq!(last_assignee.as_deref(), Some("agt_bruno"), "both clients end on the later assignment");
    }
}

#[tokio::test]
async fn updated_since_returns_only_later_changes() {
    let s = common::server(ServerOptions::default()).await;
    let c = common::client(&s, "alice");
    let mut newest = None;
    for page in 1..=4 {
        let p = fresh(c.conversations(&ConversationQuery { page, limit: 100, ..q() }, false).await.unwrap());
        newest = newest.max(p.items.iter().filter_map(|c| c.updated_at).max());
    }
    let newest = newest.unwrap();
    let none = fresh(c.conversations(&ConversationQuery { updated_since: Some(newest), ..q() }, false).await.unwrap());
    assert_eq!(none.total, 0, "nothing changed after the newest change");
    let target =
        fresh(c.conversations(&ConversationQuery { page: 3, ..q() }, false).await.unwrap()).items[0].id.clone();
    c.update_conversation(&target, &ConversationPatch { subject: Some("changed".into()), ..Default::default() })
        .await
        .unwrap();
    let since = fresh(c.conversations(&ConversationQuery { updated_since: Some(newest), ..q() }, false).await.unwrap());
    assert_eq!(since.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [target.as_str()]);
    let token = s.token_for("alice").unwrap();
    let resp = common::raw()
        .get(format!("{}/api/conversations?updated_since=yesterday", s.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn take_next_hands_out_the_longest_waiting_unassigned_conversations_until_none_is_left() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let waiting = ConversationQuery {
        limit: 1,
        status: Some("open".into()),
        assigned_to: Some(Assigned::Nobody),
        sort: SortOrder::Waiting,
        ..q()
    };
    let longest = fresh(alice.conversations(&waiting, false).await.unwrap()).items.remove(0);
    let first = alice.take_next().await.unwrap().unwrap();
    assert_eq!(first.id, longest.id);
    assert_eq!(first.assignee.unwrap().id, "agt_alice");
    let mut last = first.waiting_since.unwrap();
    let mut taken = 1;
    while let Some(c) = alice.take_next().await.unwrap() {
        let w = c.waiting_since.expect("only waiting conversations are handed out");
        assert!(w >= last, "longest waiting first");
        assert!(c.assignee.is_some_and(|a| a.id == "agt_alice"));
        last = w;
        taken += 1;
        assert!(taken < 400, "the queue ends");
    }
    let left = fresh(alice.conversations(&ConversationQuery { limit: 100, ..waiting }, false).await.unwrap());
    assert!(left.items.iter().all(|c| c.waiting_since.is_none()), "nobody unassigned is left waiting");
}
