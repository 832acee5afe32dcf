//! The real binary in a pseudo-terminal: a note never becomes a reply, the panels follow the open thread,
//! and drafts and the offline cache stay with the server and agent they belong to.

use crate::common;

use common::pty::Pty;
use tinbox::backend::*;
use tinbox::server::ServerOptions;

fn block<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

async fn rows(c: &impl Backend, assigned_to: &str, n: u32) -> Vec<tinbox::domain::Conversation> {
    let q = ConversationQuery {
        page: 1,
        limit: n,
        status: Some("open".into()),
        assigned_to: common::assigned(assigned_to),
        ..Default::default()
    };
    match c.conversations(&q, false).await.unwrap() {
        Listed::Fresh(value) => value.items,
        Listed::Unchanged => panic!(),
    }
}

/// The composer's frame: the bottom third of the main pane at 120×30.
fn composer_text(t: &Pty) -> String {
    t.screen.lock().unwrap().screen().contents_between(20, 0, 29, 72)
}

/// The contact panel: the top right of the screen at 120×30.
fn contact_panel(t: &Pty) -> String {
    t.screen.lock().unwrap().screen().contents_between(1, 72, 10, 120)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_never_reopens_as_a_reply() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let target = rows(&alice, "me", 1).await.remove(0);
    let url = s.url();
    let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice", "--view", "mine"], 120, 30);
    block(|| {
        t.wait_for("● live", 20);
        t.wait_until("Mine", 10, |s| s.contains(target.contact.name.as_str()));
        t.wait_for("Phone", 10);
        t.send("P");
        t.wait_for("PRIVATE NOTE — agents only", 5);
        t.send("internal: refund approved");
        t.wait_for("refund approved", 5);
        t.send("\x1b");
        t.wait_for_notice("Draft kept — P brings it back", 5);
        t.send("R");
        t.wait_for("Reply to the customer", 5);
        assert!(!composer_text(&t).contains("refund approved"), "R never opens the note:\n{}", t.text());
        assert!(!t.text().contains("PRIVATE NOTE"));
        t.send("Thanks for waiting");
        t.wait_for("Thanks for waiting", 5);
        t.send("\x1b");
        t.wait_for_notice("Draft kept — R brings it back", 5);
        // Back on the list, the row says a draft waits; opening it announces both and opens neither.
        t.send("q");
        t.wait_for("✎", 5);
        t.send("\r");
        t.wait_for_notice("Drafts kept — R continues the reply, P the note", 5);
        assert!(!t.text().contains("Reply to the customer") && !t.text().contains("PRIVATE NOTE"));
        t.send("P");
        t.wait_for("internal: refund approved", 5);
        assert!(!composer_text(&t).contains("Thanks for waiting"));
        t.send("\x13");
        t.wait_for_notice("Note added", 10);
    });
    let messages = alice.messages(&target.id, PageReq { page: 1, limit: 20 }).await.unwrap();
    let note = messages.items.iter().find(|m| m.text == "internal: refund approved").expect("the note is there");
    assert!(note.private, "it went out as a private note");
    assert!(!messages.items.iter().any(|m| m.text == "Thanks for waiting"), "the reply draft was not sent");
    block(|| {
        t.send("R");
        t.wait_for("Thanks for waiting", 5);
        t.send("\x1b");
        t.send("q");
        t.send("q");
        assert!(t.wait_exit(5));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panels_and_the_contact_form_follow_the_open_thread() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let first_two = rows(&alice, "none", 2).await;
    let (open, next) = (&first_two[0], &first_two[1]);
    let url = s.url();
    // Times in the agent's zone, from TZ (a POSIX rule: no zone database needed): UTC+5:30.
    let args = ["--server", &url, "--token", "demo-alice", "--view", "unassigned"];
    let mut t = Pty::spawn_with(&args, 120, 30, tempfile::tempdir().unwrap(), &[("TZ", "IST-5:30")]);
    block(|| {
        t.wait_for("● live", 20);
        t.wait_until("the contact panel", 10, |_| contact_panel(&t).contains(open.contact.name.as_str()));
        t.send("\r");
        t.wait_for("Esc back to the list", 5);
        t.wait_for("times UTC+5:30", 5);
        // Taken by me, the conversation leaves Unassigned and the list moves on; the thread stays, and so
        // do the panels.
        t.send("m");
        t.wait_for_notice("Assigned to you", 10);
        // The panel says who handles it now, as the server does.
        t.wait_until("the new handler", 5, |_| {
            contact_panel(&t).lines().any(|l| l.contains("Handled by") && l.contains("Alice Martin"))
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        let panel = contact_panel(&t);
        assert!(panel.contains(open.contact.name.as_str()), "the open thread's contact:\n{}", t.text());
        assert!(!panel.contains(next.contact.name.as_str()), "never the next row's contact:\n{}", t.text());
        t.send("\t");
        t.send("e");
        t.wait_for("Edit contact", 5);
        t.wait_for(&open.contact.name, 5);
        t.send("\x1b");
        // Back on the list, the panels follow the selection again.
        t.send("\t\t\t");
        t.send("q");
        t.wait_until("the next row's contact", 10, |_| contact_panel(&t).contains(next.contact.name.as_str()));
        t.send("q");
        assert!(t.wait_exit(5));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_and_a_cached_inbox_stay_with_their_server_and_agent() {
    let a = common::server(ServerOptions::default()).await;
    let b = common::server(ServerOptions::default()).await;
    let alice_a = common::client(&a, "alice");
    let target = rows(&alice_a, "me", 1).await.remove(0);
    let alice_b = common::client(&b, "alice");
    assert_eq!(rows(&alice_b, "me", 1).await[0].id, target.id, "the same conversation id on both servers");
    let (url_a, url_b) = (a.url(), b.url());
    let data = block(|| {
        let mut t = Pty::spawn(&["--server", &url_a, "--token", "demo-alice", "--view", "mine"], 120, 30);
        t.wait_for("● live", 20);
        t.wait_until("Mine", 10, |s| s.contains(target.contact.name.as_str()));
        t.wait_for("Phone", 10);
        t.send("R");
        t.wait_for("Reply to the customer", 5);
        t.send("written on server A");
        t.wait_for("written on server A", 5);
        t.send("\x1b");
        t.wait_for_notice("Draft kept", 5);
        t.send("q");
        t.send("q");
        assert!(t.wait_exit(5));
        t.into_data_dir()
    });
    // Server B, same data directory, same conversation id: the draft is not offered there.
    let data = block(|| {
        let mut t = Pty::spawn_in(&["--server", &url_b, "--token", "demo-alice", "--view", "mine"], 120, 30, data);
        t.wait_for("● live", 20);
        t.wait_until("Mine", 10, |s| s.contains(target.contact.name.as_str()));
        assert!(!t.text().contains('✎'), "no draft marker on server B:\n{}", t.text());
        t.send("\r");
        t.wait_for("Esc back to the list", 5);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!t.text().contains("Draft kept"));
        t.send("R");
        t.wait_for("Reply to the customer", 5);
        assert!(!composer_text(&t).contains("written on server A"), "{}", t.text());
        t.send("\x1b");
        t.send("q");
        t.send("q");
        assert!(t.wait_exit(5));
        t.into_data_dir()
    });
    // Server A is gone. Bruno starting offline with this data directory never sees Alice's cached inbox.
    a.shutdown();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    block(|| {
        let mut t = Pty::spawn_in(&["--server", &url_a, "--token", "demo-bruno"], 120, 30, data);
        assert!(!t.wait_exit(15), "no inbox to open offline for Bruno");
        let text = t.text();
        assert!(text.contains("cannot reach"), "{text}");
        assert!(!text.contains(target.contact.name.as_str()), "{text}");
    });
}
