//! End-to-end: the real binary in a pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::pty::Pty;
use tinbox::server::ServerOptions;

#[test]
fn demo_starts_shows_data_and_quits_cleanly() {
    let mut t = Pty::spawn(&["demo", "--no-simulate"], 100, 30);
    t.wait_for("3 All (", 20);
    t.wait_for("Alice Martin", 10);
    t.wait_for("● live", 10);
    assert!(!t.restored(), "the inbox runs on the alternate screen");
    assert!(t.bracketed_paste(), "pastes arrive as text");
    t.send("jjk");
    // Pasted over the list, "l…" must not open the label picker: it is refused in words.
    t.send("\x1b[200~lj\x1b[201~");
    t.wait_for("not a command", 5);
    assert!(!t.text().contains("Labels ·"), "no picker opened:\n{}", t.text());
    // Pasted into a reply, two lines are text in the composer.
    t.send("R");
    t.wait_for("Ctrl-S", 5);
    t.send("\x1b[200~first line\r\nsecond line\x1b[201~");
    t.wait_for("second line", 5);
    assert!(t.text().contains("first line"), "{}", t.text());
    t.send("\x1b");
    t.wait_for("Draft kept", 5);
    t.send("q"); // the thread R opened
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
    let Listed::Fresh(value) = bruno
        .conversations(
            &ConversationQuery { page: 1, limit: 1, status: Some("open".into()), ..Default::default() },
            false,
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

/// The name in the contact panel's first line (the right-hand column at 120 columns).
fn contact_name(t: &Pty) -> String {
    let screen = t.screen.lock().unwrap();
    let s = screen.screen();
    let (_, cols) = s.size();
    // The detail column starts after the list (60% of the width) and its border.
    s.contents_between(1, cols * 60 / 100 + 1, 1, cols - 1).trim().to_string()
}

/// The contact name on list row `row`: the 16-cell name column after the border, marker and channel.
fn row_name(t: &Pty, row: u16) -> String {
    let screen = t.screen.lock().unwrap();
    screen.screen().contents_between(row, 8, row, 24).trim().to_string()
}

#[test]
fn the_contact_panel_follows_the_selection_and_help_opens() {
    let mut t = Pty::spawn(&["demo", "--no-simulate"], 120, 40);
    t.wait_for("● live", 20);
    t.wait_for("Phone", 10);
    t.wait_until("the first contact's panel", 10, |_| {
        !contact_name(&t).is_empty() && contact_name(&t) == row_name(&t, 1)
    });
    let first = contact_name(&t);
    t.send("jj");
    let third = row_name(&t, 3);
    t.wait_until("the panel to follow the selection", 10, |_| contact_name(&t) == third);
    assert_ne!(third, first);
    t.wait_for("Phone", 5);
    t.send("?");
    t.wait_for("Keys", 5);
    t.wait_for("this help", 5);
    t.send("\x1b");
    t.wait_until("help to close", 5, |s| !s.contains("this help"));
    t.send("q");
    assert!(t.wait_exit(5));
    assert!(t.restored(), "alternate screen left and cursor shown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_contacts_writes_the_csv_to_a_file_or_stdout() {
    let s = common::server(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.csv");
    let run = |extra: Vec<String>| {
        let mut args = vec![
            "--server".to_string(),
            s.url(),
            "--token".into(),
            "demo-alice".into(),
            "export".into(),
            "contacts".into(),
        ];
        args.extend(extra);
        common::tinbox_command()
            .args(args)
            .env("TINBOX_CONFIG", dir.path().join("none.toml"))
            .env("TINBOX_DATA_DIR", dir.path())
            .output()
    };
    let out = run(vec![file.to_string_lossy().into()]).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().take(3).collect::<Vec<_>>(), ["id", "full_name", "first_name"]);
    assert_eq!(reader.records().count(), tinbox::server::demo::CONTACTS);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600, "the agent's alone");
    }
    assert!(!dir.path().read_dir().unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));
    let out = run(vec![]).await.unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), text, "stdout by default, the same CSV");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_export_reaches_neither_the_terminal_nor_a_spreadsheet_as_code() {
    let hostile = "id,full_name,phone\nc1,\"\u{1b}]0;pwned\u{7}=HYPERLINK(\"\"http://evil\"\")\",+1415\nc2,\"Ana\u{202e}\u{e0041}\",@SUM(A1)\n";
    let app = axum::Router::new().fallback(move || async move { ([("content-type", "text/csv")], hostile) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let dir = tempfile::tempdir().unwrap();
    let out = common::tinbox_command()
        .args(["--server", &url, "export", "contacts"])
        .env("TINBOX_TOKEN", "t")
        .env("TINBOX_CONFIG", dir.path().join("none.toml"))
        .env("TINBOX_DATA_DIR", dir.path())
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv, "id,full_name,phone\nc1,\"'=HYPERLINK(\"\"http://evil\"\")\",'+1415\nc2,Ana,'@SUM(A1)\n");
}
