//! Bad configuration, bad servers and secrets: one line that says what to do, nothing hostile printed, no
//! token anywhere it could leak.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use common::pty::Pty;
use std::path::Path;
use tinbox::server::ServerOptions;

struct Run {
    code: i32,
    stderr: String,
}

async fn tinbox(args: &[&str], dir: &Path, config: Option<&Path>) -> Run {
    // The token goes in TINBOX_TOKEN, as the README advises: `--token` adds its own warning line.
    let mut cmd = common::tinbox_command();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (*a, it.clone().next()) {
            ("--token", Some(t)) => {
                cmd.env("TINBOX_TOKEN", t);
                it.next();
            }
            _ => rest.push(*a),
        }
    }
    let out = cmd
        .args(rest)
        .env("TINBOX_CONFIG", config.map(Path::to_path_buf).unwrap_or_else(|| dir.join("none.toml")))
        .env("TINBOX_DATA_DIR", dir)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// A server that answers every request with `status` and `body`.
async fn fake(status: StatusCode, body: &'static str) -> String {
    let app =
        Router::new().fallback(get(move || async move { (status, [("content-type", "application/json")], body) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn one_line(r: &Run) -> &str {
    assert_ne!(r.code, 0);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", r.stderr);
    lines[0]
}

#[tokio::test]
async fn addresses_need_a_scheme_and_https_away_from_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let r = tinbox(&["--server", "inbox.example.com", "--token", "t"], dir.path(), None).await;
    assert!(one_line(&r).contains("not a URL: write it like https://"), "{}", r.stderr);
    // Refused before any connection is attempted: nothing leaves this machine.
    let r = tinbox(&["--server", "http://inbox.example.com", "--token", "t"], dir.path(), None).await;
    assert!(one_line(&r).contains("refusing to send your token over plain http to inbox.example.com"), "{}", r.stderr);
    assert!(tinbox::run::check_server("http://inbox.example.com", true).is_ok(), "--insecure-http allows it");
    for ok in ["https://inbox.example.com", "http://127.0.0.1:7878", "http://localhost:1", "http://[::1]:80"] {
        assert!(tinbox::run::check_server(ok, false).is_ok(), "{ok}");
    }
}

#[tokio::test]
async fn unreachable_unauthorized_and_forbidden_each_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nobody = format!("http://127.0.0.1:{port}");
    let r = tinbox(&["--server", &nobody, "--token", "t"], dir.path(), None).await;
    assert!(one_line(&r).contains("cannot reach") && r.stderr.contains("check the address"), "{}", r.stderr);
    let s = common::server(ServerOptions::default()).await;
    let r = tinbox(&["--server", &s.url(), "--token", "not-a-token"], dir.path(), None).await;
    assert!(one_line(&r).contains("rejected the token (401): check --token"), "{}", r.stderr);
    let forbidden =
        fake(StatusCode::FORBIDDEN, r#"{"status":"error","message":"role lacks access","data":null}"#).await;
    let r = tinbox(&["--server", &forbidden, "--token", "t"], dir.path(), None).await;
    assert!(one_line(&r).contains("refused this token (403)") && r.stderr.contains("administrator"), "{}", r.stderr);
}

#[tokio::test]
async fn a_hostile_server_error_is_printed_sanitized_after_the_terminal_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let evil = fake(
        StatusCode::INTERNAL_SERVER_ERROR,
        r#"{"status":"error","message":"boom\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e","data":null}"#,
    )
    .await;
    let r = tinbox(&["--server", &evil, "--token", "t"], dir.path(), None).await;
    let line = one_line(&r);
    assert!(line.contains("boom"), "{line}");
    assert!(!r.stderr.chars().any(|c| c.is_control() && c != '\n'), "{:?}", r.stderr);
    assert!(!r.stderr.contains("]0;") && !r.stderr.contains('\u{202e}'));
}

#[tokio::test]
async fn config_problems_name_the_file_line_and_column_or_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[profiles.work]\nserver = \"https://x\"\ntoken_comand = \"pass inbox\"\n").unwrap();
    let r = tinbox(&["--profile", "work"], dir.path(), Some(&broken)).await;
    let line = one_line(&r);
    assert!(line.contains(&format!("{}:3:1:", broken.display())) && line.contains("token_comand"), "{line}");

    let exposed = dir.path().join("exposed.toml");
    std::fs::write(&exposed, "[profiles.work]\nserver = \"https://x\"\ntoken = \"s3cr3t\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&exposed, std::fs::Permissions::from_mode(0o644)).unwrap();
        let r = tinbox(&["--profile", "work"], dir.path(), Some(&exposed)).await;
        let line = one_line(&r);
        assert!(
            line.contains("other users can read it") && line.contains(&format!("chmod 600 {}", exposed.display())),
            "{line}"
        );
        assert!(!r.stderr.contains("s3cr3t"));
    }
    let r = tinbox(&["--profile", "nope"], dir.path(), Some(&broken.with_file_name("missing.toml"))).await;
    assert!(one_line(&r).contains("there is no profile \"nope\""), "{}", r.stderr);

    // The agent's own keys: a key taken twice stops tinbox before the screen opens, and says where.
    let keyed = dir.path().join("keyed.toml");
    std::fs::write(&keyed, "[profiles.work]\nserver = \"http://127.0.0.1:9\"\n\n[keys]\nclose = \"a\"\n").unwrap();
    let r = tinbox(&["--profile", "work", "--token", "t"], dir.path(), Some(&keyed)).await;
    let line = one_line(&r);
    assert!(line.contains(&format!("{}:5:9: a for close is already assign's key", keyed.display())), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_the_log_even_at_debug_level() {
    let s = common::server(ServerOptions::default()).await;
    let token = "tok-9f4e2a77c1d3-never-print-me";
    s.with_store(|st| {
        if let Some(a) = st.agents.iter_mut().find(|a| a.id == "agt_alice") {
            a.token = token.to_string();
        }
    });
    let url = s.url();
    let log = tokio::task::block_in_place(|| {
        let mut t = Pty::spawn(&["--server", &url, "--token", token, "--log-level", "debug"], 120, 30);
        t.wait_for("● live", 20);
        t.wait_for("Phone", 10);
        t.send("jjk");
        t.send("\r");
        std::thread::sleep(std::time::Duration::from_millis(400));
        t.send("q");
        // A customer's name and email searched for never reach the log either.
        t.send("/priya.search@example.com");
        t.wait_for("No conversations match", 5);
        std::thread::sleep(std::time::Duration::from_millis(400));
        t.send("\x1b");
        t.send("q");
        assert!(t.wait_exit(5));
        let path = t.data_dir.path().join("tinbox.log");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the log is the agent's alone");
        }
        std::fs::read_to_string(path).unwrap_or_default()
    });
    assert!(log.lines().count() > 3, "the debug log has content: {log}");
    assert!(!log.contains("priya") && !log.contains("search%40") && !log.contains("example.com"), "{log}");
    assert!(!log.contains(token), "the token leaked into the log");
    assert!(!log.contains("9f4e2a77"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_on_the_command_line_is_warned_about_and_stdin_takes_one_instead() {
    use tokio::io::AsyncWriteExt;
    let s = common::server(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let export = |extra: &[&str]| {
        let mut cmd = common::tinbox_command();
        cmd.args(["--server", &s.url()])
            .args(extra)
            .args(["export", "contacts"])
            .env("TINBOX_CONFIG", dir.path().join("none.toml"))
            .env("TINBOX_DATA_DIR", dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    };
    let out = export(&["--token", "demo-alice"]).output().await.unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("visible to other users").count(), 1, "said once: {stderr}");
    assert!(!stderr.contains("demo-alice"), "the warning never repeats the token");

    let out = export(&[]).env("TINBOX_TOKEN", "demo-alice").output().await.unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("visible"), "TINBOX_TOKEN is not on the command line");

    let mut child = export(&["--token-stdin"]).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"demo-alice\n").await.unwrap();
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("id,"), "signed in with the token read from stdin");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));

    let empty = export(&["--token-stdin"]).stdin(std::process::Stdio::null()).output().await.unwrap();
    assert_ne!(empty.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("--token-stdin read no token"));
}

#[tokio::test]
async fn the_answer_cap_is_the_configs_to_set() {
    // Two megabytes: under the default cap, over the one this agent's config sets.
    let big: &'static str = Box::leak(format!("[{}]", "0,".repeat(1 << 20).trim_end_matches(',')).into_boxed_str());
    let server = fake(StatusCode::OK, big).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[limits]\nanswer_mb = 1\n").unwrap();
    let capped = tinbox(&["--server", &server, "--token", "t", "export", "contacts"], dir.path(), Some(&config)).await;
    assert!(one_line(&capped).contains("larger than 1 MB"), "{}", capped.stderr);
    let default = tinbox(&["--server", &server, "--token", "t", "export", "contacts"], dir.path(), None).await;
    assert!(!default.stderr.contains("larger than"), "the default cap reads it: {}", default.stderr);
    std::fs::write(&config, "[limits]\nanswer_kb = 1\n").unwrap();
    let wrong = tinbox(&["--server", &server, "--token", "t", "export", "contacts"], dir.path(), Some(&config)).await;
    assert!(one_line(&wrong).contains("config.toml:2:1"), "an unknown key is named with its place: {}", wrong.stderr);
}

async fn stdout_of(args: &[&str]) -> String {
    let out = common::tinbox_command().args(args).stdin(std::process::Stdio::null()).output().await.unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Completions and the man page come from the same definitions as `--help`; each subcommand's help lists
/// only the flags that apply to it (a token means nothing to `serve`).
#[tokio::test]
async fn completions_man_page_and_each_subcommands_own_flags() {
    let bash = stdout_of(&["completions", "bash"]).await;
    assert!(bash.contains("_tinbox()") && bash.contains("--read-only") && bash.contains("completions"), "{bash}");
    let zsh = stdout_of(&["completions", "zsh"]).await;
    assert!(zsh.starts_with("#compdef tinbox") && zsh.contains("--server"), "{zsh}");
    let fish = stdout_of(&["completions", "fish"]).await;
    assert!(fish.contains("complete -c tinbox") && fish.contains("export"), "{fish}");
    let man = stdout_of(&["man"]).await;
    assert!(man.contains(".TH tinbox 1") && man.contains("read\\-only"), "{man}");

    let serve = stdout_of(&["serve", "--help"]).await;
    assert!(serve.contains("--addr") && serve.contains("--faults"), "{serve}");
    for foreign in ["--token", "--server", "--profile", "--read-only", "--view"] {
        assert!(!serve.contains(foreign), "serve --help lists {foreign}:\n{serve}");
    }
    let demo = stdout_of(&["demo", "--help"]).await;
    assert!(demo.contains("--agent") && demo.contains("--read-only") && demo.contains("--view"), "{demo}");
    for foreign in ["--token", "--server", "--backend", "--addr"] {
        assert!(!demo.contains(foreign), "demo --help lists {foreign}:\n{demo}");
    }
    let export = stdout_of(&["export", "contacts", "--help"]).await;
    assert!(export.contains("--server") && export.contains("--token"), "{export}");
    assert!(!export.contains("--read-only") && !export.contains("--view"), "{export}");
    let config = stdout_of(&["config", "path", "--help"]).await;
    assert!(!config.contains("--server"), "{config}");
}
