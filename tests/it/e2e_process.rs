//! The terminal and the drafts survive whatever ends tinbox: a panic, SIGTERM, a hang-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::pty::Pty;
use std::time::{Duration, Instant};
use tinbox::server::ServerOptions;

fn drafts_in(dir: &std::path::Path) -> String {
    common::saved_drafts(dir).concat()
}

/// Starts tinbox, opens a reply and types `text` (no pause: the typing-save timer has not fired yet).
fn writing(url: &str, text: &str) -> Pty {
    let data = tempfile::tempdir().unwrap();
    let mut t =
        Pty::spawn_with(&["--server", url, "--token", "demo-alice"], 120, 30, data, &[("TINBOX_DEBUG_PANIC", "1")]);
    t.wait_for("● live", 20);
    t.wait_for("Phone", 10);
    t.send("R");
    t.wait_for("Ctrl-S send", 5);
    t.send(text);
    t.wait_for(text, 5);
    t
}

/// Waits up to a second for the process to end; true if it ended.
fn ends_within_a_second(t: &mut Pty) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        if t.child.try_wait().unwrap().is_some() {
            std::thread::sleep(Duration::from_millis(100));
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_restores_the_terminal_and_keeps_the_draft() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    tokio::task::block_in_place(|| {
        let mut t = writing(&url, "half a sentence before the crash");
        t.send("\x1b[24~"); // F12, the hidden panic trigger
        assert!(ends_within_a_second(&mut t), "the process ends");
        assert!(t.restored(), "alternate screen left and cursor shown");
        let raw = String::from_utf8_lossy(&t.raw.lock().unwrap()).into_owned();
        let left = raw.find("\u{1b}[?1049l").expect("the alternate screen was left");
        assert!(raw[left..].contains("debug panic requested"), "the panic is reported after the terminal is restored");
        assert_eq!(raw.matches("\u{1b}[?1049l").count(), 1, "restored once, not twice");
        assert!(drafts_in(t.data_dir.path()).contains("half a sentence before the crash"), "no draft lost");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_restores_the_terminal_and_keeps_the_draft() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    tokio::task::block_in_place(|| {
        let mut t = writing(&url, "typed as the machine shut down");
        t.signal(nix::sys::signal::Signal::SIGTERM);
        assert!(ends_within_a_second(&mut t), "the process ends");
        assert!(t.restored());
        assert!(drafts_in(t.data_dir.path()).contains("typed as the machine shut down"));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hang_up_ends_the_process_and_keeps_the_draft() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    tokio::task::block_in_place(|| {
        let mut t = writing(&url, "typed as the ssh link dropped");
        t.signal(nix::sys::signal::Signal::SIGHUP);
        assert!(ends_within_a_second(&mut t), "the process is gone within a second");
        assert!(drafts_in(t.data_dir.path()).contains("typed as the ssh link dropped"));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_quits_cleanly_and_keeps_the_draft() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    tokio::task::block_in_place(|| {
        let mut t = writing(&url, "typed before ctrl-c");
        t.send("\x03");
        assert!(ends_within_a_second(&mut t));
        assert!(t.restored());
        assert!(drafts_in(t.data_dir.path()).contains("typed before ctrl-c"));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_restores_the_terminal_and_keeps_the_draft() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    tokio::task::block_in_place(|| {
        let mut t = writing(&url, "typed before an interrupt");
        t.signal(nix::sys::signal::Signal::SIGINT);
        assert!(ends_within_a_second(&mut t));
        assert!(t.restored());
        assert!(drafts_in(t.data_dir.path()).contains("typed before an interrupt"));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_it_says_what_is_needed_and_draws_nothing() {
    let s = common::server(tinbox::server::ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = common::tinbox_command()
        .args(["--server", &s.url()])
        .env("TINBOX_TOKEN", "demo-alice")
        .env("TINBOX_CONFIG", dir.path().join("none.toml"))
        .env("TINBOX_DATA_DIR", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing drawn into the file: {:?}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("standard output is not a terminal"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dumb_terminal_is_told_what_is_needed() {
    let s = common::server(tinbox::server::ServerOptions::default()).await;
    let url = s.url();
    let mut t = Pty::spawn_with(
        &["--server", &url],
        80,
        24,
        tempfile::tempdir().unwrap(),
        &[("TERM", "dumb"), ("TINBOX_TOKEN", "demo-alice")],
    );
    tokio::task::block_in_place(|| {
        assert_eq!(t.wait_status(10).exit_code(), 2, "exits with status 2");
        let raw = String::from_utf8_lossy(&t.raw.lock().unwrap()).into_owned();
        assert!(raw.contains("TERM is unset or \"dumb\""), "{raw}");
        assert!(!raw.contains('\u{1b}'), "nothing drawn: {raw:?}");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_is_said_at_once_and_q_leaves() {
    // Accepts connections and never answers them.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = std::thread::spawn(move || listener.incoming().take(8).map_while(Result::ok).collect::<Vec<_>>());
    let mut t = Pty::spawn_with(&["--server", &url], 80, 24, tempfile::tempdir().unwrap(), &[("TINBOX_TOKEN", "t")]);
    tokio::task::block_in_place(|| {
        t.wait_for(&format!("connecting to {url}"), 2);
        let asked = std::time::Instant::now();
        t.send("q");
        t.wait_exit(2);
        assert!(asked.elapsed() < std::time::Duration::from_secs(1), "left at once: {:?}", asked.elapsed());
    });
    drop(held);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_absurd_window_size_is_clamped_and_never_aborts() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice"], 65535, 65535);
    tokio::task::block_in_place(|| {
        t.wait_for("● live", 20);
        // Drawn at 1000×500: the frame's top edge ends in the 1000th column, its status line is the 500th row.
        let screen = t.text();
        let top: Vec<char> = screen.lines().next().unwrap_or("").trim_end().chars().collect();
        assert_eq!(top.len(), 1000, "the top edge spans 1000 columns");
        assert!(matches!(top.last(), Some('┓' | '┐')), "and closes there: {:?}", top.last());
        assert!(screen.lines().nth(499).is_some_and(|l| l.contains("● live")), "the status line is row 500");
        t.send("q");
        assert!(t.wait_exit(5), "quits normally");
        assert!(t.restored());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_z_hands_the_terminal_back_and_continuing_repaints_it_all() {
    let s = common::server(ServerOptions::default()).await;
    let url = s.url();
    let mut t = Pty::spawn(&["--server", &url, "--token", "demo-alice"], 100, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("● live", 20);
        let from = t.written();
        t.send("\u{1a}");
        // The terminal is restored before the stop (the alternate screen left, the cursor shown) …
        t.wait_for_bytes(from, "\u{1b}[?1049l", 5);
        // … and taken back after it, cleared and drawn again. (A pseudo-terminal without job control
        // discards the stop, so the inbox comes back at once here; in a shell, at `fg`.)
        t.wait_for_bytes(from, "\u{1b}[?1049h", 5);
        t.wait_for_bytes(from, "\u{1b}[2J", 5);
        t.wait_for_bytes(from, "Alice Martin", 5);
        // Continued from outside after a stop of any kind: the whole screen is painted again.
        let from = t.written();
        t.signal(nix::sys::signal::Signal::SIGCONT);
        t.wait_for_bytes(from, "\u{1b}[2J", 5);
        t.wait_for_bytes(from, "Alice Martin", 5);
        t.send("q");
        assert!(t.wait_exit(5));
        assert!(t.restored());
    });
}
