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
