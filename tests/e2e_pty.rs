//! End-to-end: the real binary in a pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::Pty;
use tinbox::server::ServerOptions;

#[test]
fn demo_starts_shows_data_and_quits_cleanly() {
    let mut t = Pty::spawn(&["demo", "--no-simulate"], 100, 30);
    t.wait_for("3 All (", 20);
    t.wait_for("Alice Martin", 10);
    t.wait_for("● live", 10);
    assert!(!t.restored(), "the inbox runs on the alternate screen");
    t.send("jjk");
    t.send("q");
    assert!(t.wait_exit(5), "q exits successfully");
    assert!(t.restored(), "alternate screen left and cursor shown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_by_another_agent_appear_without_a_refresh() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice"], 120, 30);
    // The PTY helpers block; the server keeps running on the runtime's other thread.
    tokio::task::block_in_place(|| t.wait_for("● live", 20));
    // Bruno writes a note-worthy subject on the newest conversation: Alice's screen must show it.
    let bruno = common::client(&s, "bruno");
    use tinbox::backend::*;
    let Cached::Fresh { value, .. } = bruno
        .conversations(
            &ConversationQuery { page: 1, limit: 1, status: Some("open".into()), ..Default::default() },
            None,
        )
        .await
        .unwrap()
    else {
        panic!()
    };
    let patch = ConversationPatch { subject: Some("Renamed live by Bruno".into()), ..Default::default() };
    bruno.update_conversation(&value.items[0].id, &patch).await.unwrap();
    tokio::task::block_in_place(|| {
        t.wait_for("Renamed live by Bruno", 10);
        t.send("q");
        assert!(t.wait_exit(5));
    });
    assert!(t.restored());
}

#[test]
fn a_wrong_token_is_one_line_before_the_screen_is_taken() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(common::server(ServerOptions::default()));
    let mut t = Pty::spawn(&["--server", &s.url(), "--token", "wrong"], 100, 10);
    assert!(!t.wait_exit(10));
    let text = t.text();
    assert!(text.contains("rejected the token"), "{text}");
    assert!(t.restored());
}
