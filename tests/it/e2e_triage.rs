//! End-to-end triage in a pseudo-terminal: the real binary against the in-process reference server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::pty::Pty;
use std::time::{Duration, Instant};
use tinbox::backend::*;
use tinbox::server::ServerOptions;

fn block<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

async fn first(c: &impl Backend, assigned_to: &str) -> tinbox::domain::Conversation {
    let q = ConversationQuery {
        page: 1,
        limit: 1,
        status: Some("open".into()),
        assigned_to: common::assigned(assigned_to),
        ..Default::default()
    };
    match c.conversations(&q, false).await.unwrap() {
        Listed::Fresh(value) => value.items[0].clone(),
        Listed::Unchanged => panic!(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assign_through_the_picker_and_the_server_agrees() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let target = first(&alice, "none").await;
    let url = s.url();
    let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice", "--view", "unassigned"], 120, 30);
    block(|| {
        t.wait_for("● live", 20);
        t.wait_until("the Unassigned view", 10, |_| t.text().contains(target.contact.name.as_str()));
        t.send("a");
        t.wait_for("Nobody (unassign)", 5);
        t.send("bruno");
        t.wait_for("> bruno", 5);
        // Enter only once Bruno is listed in the picker (the agents may still be loading).
        t.wait_until("Bruno listed in the picker", 10, |s| {
            s.lines().any(|l| l.contains("Bruno Silva") && (l.contains("available") || l.contains("away")))
        });
        let row1 = |t: &Pty| t.screen.lock().unwrap().screen().contents_between(1, 9, 1, 25).trim().to_string();
        let shown = tinbox::text::truncate(&target.contact.name, 16);
        assert_eq!(row1(&t), shown.trim(), "the target is the selected first row");
        t.send("\r");
        t.wait_for_notice("Assigned to Bruno Silva", 10);
        // Taken by Bruno, it no longer belongs in Unassigned: the row leaves and the next one moves up.
        t.wait_until("the row to leave the view", 5, |_| row1(&t) != shown.trim());
    });
    let now = alice.conversation(&target.id).await.unwrap();
    assert_eq!(now.assignee.unwrap().id, "agt_bruno", "the server agrees");
    block(|| {
        t.send("q");
        assert!(t.wait_exit(5));
    });
}

fn drafts_in(dir: &std::path::Path) -> Vec<String> {
    common::saved_drafts(dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_kill_9_and_is_sent_exactly_once() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let target = first(&alice, "me").await;
    let before = alice.messages(&target.id, PageReq { page: 1, limit: 1 }).await.unwrap().total;
    let url = s.url();
    let text = "Thanks for waiting — your refund is on its way";
    let dir = block(|| {
        let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice", "--view", "mine"], 120, 30);
        t.wait_for("● live", 20);
        t.wait_until("Mine", 10, |s| s.contains(target.contact.name.as_str()));
        t.send("R");
        t.wait_for("Ctrl-S send", 5);
        t.send(text);
        t.wait_for("refund is on its way", 5);
        // Within a second of the last keystroke the draft is on disk; then the process dies without warning.
        let deadline = Instant::now() + Duration::from_secs(3);
        while !drafts_in(t.data_dir.path()).iter().any(|d| d.contains(text)) {
            assert!(Instant::now() < deadline, "the draft reached the disk");
            std::thread::sleep(Duration::from_millis(50));
        }
        t.signal(nix::sys::signal::Signal::SIGKILL);
        t.into_data_dir()
    });
    block(|| {
        let mut t = Pty::spawn_in(&["--server", &url, "--token", "demo-alice", "--view", "mine"], 120, 30, dir);
        t.wait_for("● live", 20);
        t.wait_until("Mine", 10, |s| s.contains(target.contact.name.as_str()));
        t.send("\r");
        // The draft is announced, not opened: keys go to the thread until R.
        t.wait_for_notice("Draft kept — R to continue", 10);
        t.send("R");
        t.wait_for("refund is on its way", 10);
        t.send("\x13"); // Ctrl-S
        // The server takes it `pending`; its outcome follows on the live stream.
        t.wait_for_notice("Reply handed to the server", 10);
        t.wait_until("the reply's outcome", 10, |s| {
            s.contains("✓ sent") || s.contains("✓✓ delivered") || s.contains("✗ failed")
        });
        t.send("q");
        t.send("q");
        assert!(t.wait_exit(5));
        assert!(drafts_in(t.data_dir.path()).is_empty(), "the draft is gone once the server confirmed");
    });
    let after = alice.messages(&target.id, PageReq { page: 1, limit: 100 }).await.unwrap();
    assert_eq!(after.total, before + 1, "exactly one message");
    assert_eq!(after.items.iter().filter(|m| m.text == text).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hang_up_mid_draft_saves_it_and_ends_the_process() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    block(|| {
        let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice"], 120, 30);
        t.wait_for("● live", 20);
        // The contact panel fills once a conversation is selected: the list has loaded.
        t.wait_for("Phone", 10);
        t.send("P");
        t.wait_for("PRIVATE NOTE — agents only", 5);
        t.send("typed just before the line dropped");
        t.wait_for("line dropped", 5);
        // No pause: the hang-up comes before the typing-save timer fires.
        t.signal(nix::sys::signal::Signal::SIGHUP);
        let start = Instant::now();
        t.wait_exit(2);
        assert!(start.elapsed() < Duration::from_secs(1), "gone within a second");
        assert!(
            drafts_in(t.data_dir.path())
                .iter()
                .any(|d| d.contains("typed just before the line dropped") && d.contains("\"kind\":\"note\""))
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_agent_assigns_me_and_my_list_and_notifications_change_live() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let target = first(&alice, "none").await;
    let url = s.url();
    // What Bruno's screen must show before anything happens: the server's own unread count, so the test never
    // reads the status line before the notifications have loaded.
    let bruno_api = common::client(&s, "bruno");
    let unread_before = bruno_api.notifications(PageReq { page: 1, limit: 100 }, true).await.unwrap().total;
    let mut bruno = Pty::spawn(&["--server", &url, "--token", "demo-bruno", "--view", "mine"], 120, 30);
    block(|| {
        bruno.wait_for("● live", 20);
        bruno.wait_for("Phone", 10);
        if unread_before > 0 {
            bruno.wait_for(&format!("{unread_before} unread"), 10);
        }
        let text = bruno.text();
        assert!(
            !text.contains(target.contact.name.as_str())
                || !text.contains(target.subject.as_deref().unwrap_or("\u{0}"))
        );
    });
    alice.assign(&target.id, Some("agt_bruno")).await.unwrap();
    block(|| {
        // The conversation joins Bruno's Mine view and a notification arrives, without a refresh.
        bruno.wait_for(&target.contact.name, 10);
        bruno.wait_for("Alice Martin assigned you a", 10);
        bruno.wait_for(&format!("{} unread", unread_before + 1), 10);
        bruno.send("q");
        assert!(bruno.wait_exit(5));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_draft_can_be_written_in_the_editor() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fake-editor.sh");
    std::fs::write(&script, "#!/bin/sh\nprintf ' and more from the editor' >> \"$1\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let editor = script.to_string_lossy().to_string();
    block(|| {
        let data = tempfile::tempdir().unwrap();
        let mut t =
            Pty::spawn_with(&["--server", &url, "--token", "demo-alice"], 120, 30, data, &[("EDITOR", &editor)]);
        t.wait_for("● live", 20);
        t.wait_for("Phone", 10);
        t.send("R");
        t.wait_for("Ctrl-S send", 5);
        t.send("Started here");
        t.wait_for("Started here", 5);
        t.send("\x05"); // Ctrl-E
        t.wait_for("Started here and more from the editor", 10);
        assert!(!t.restored(), "back in the inbox after the editor");
        t.send("\x1b");
        t.wait_for_notice("Draft kept", 5);
        t.send("q"); // the thread is still open: q goes back to the list
        t.send("q");
        assert!(t.wait_exit(5));
    });
}
