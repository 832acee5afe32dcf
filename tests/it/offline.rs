//! Offline start: the last-seen inbox comes from the cache, marked stale, and live data replaces it once the
//! server answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::pty::Pty;
use tinbox::server::{self, ServerOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_without_the_server_shows_the_cached_inbox_then_recovers() {
    let s = common::server(ServerOptions::default()).await;
    let addr = s.addr;
    let url = s.url();
    let first_name = s.with_store(|st| {
        let f = tinbox::server::store::ConversationFilter {
            status: Some("open".into()),
            sort: "latest".into(),
            ..Default::default()
        };
        let c = st.filter_conversations(&f)[0].clone();
        st.contact(&c.contact_id).unwrap().full_name()
    });
    let args = ["--server", url.as_str(), "--token", "demo-alice"];
    let data = tokio::task::block_in_place(|| {
        let mut t = Pty::spawn(&args, 120, 30);
        t.wait_for("● live", 20);
        t.wait_for("Phone", 10);
        t.send("q");
        assert!(t.wait_exit(5));
        t.into_data_dir()
    });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = data.path().join("cache");
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        for f in std::fs::read_dir(&dir).unwrap() {
            assert_eq!(f.unwrap().metadata().unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
    // `tinbox status` asks the live server; once it is gone, the cache answers, and says so.
    let live = status_line(&args, data.path()).await;
    assert!(live.ends_with("waiting on me") || live.contains("· longest"), "{live}");
    assert!(!live.contains("cached"), "{live}");
    s.shutdown();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let cached = status_line(&args, data.path()).await;
    assert!(cached.contains("unread · ") && cached.contains(" · cached "), "{cached}");
    // The agent only looked at All: the cache cannot say how many of theirs wait, and does not say none.
    assert!(cached.contains("? waiting on me"), "{cached}");

    let mut t = tokio::task::block_in_place(|| {
        let t = Pty::spawn_in(&args, 120, 30, data);
        t.wait_for("cached inbox from", 15);
        t.wait_for(&tinbox::text::truncate(&first_name, 16).replace('…', ""), 5);
        t.wait_for("offline since", 10);
        t
    });
    // The server comes back on the same address: tinbox notices by itself.
    let _back = server::spawn_demo(addr, ServerOptions::default()).await.unwrap();
    tokio::task::block_in_place(|| {
        t.wait_for("● live", 40);
        t.wait_until("the stale marker to go", 10, |s| !s.contains("cached inbox from"));
        t.send("q");
        assert!(t.wait_exit(5));
    });
}

/// `tinbox status`'s one line, from this data directory.
async fn status_line(args: &[&str], data: &std::path::Path) -> String {
    let started = std::time::Instant::now();
    let out = common::tinbox_command()
        .args(args)
        .arg("status")
        .env("TINBOX_DATA_DIR", data)
        .env("TINBOX_CONFIG", data.join("none.toml"))
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    // Not a speed check (the benchmark is): a status bar that waits on a dead server would hang here.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    stdout.trim_end().to_string()
}
