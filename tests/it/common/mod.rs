//! Shared test helpers: an in-process reference server on a free loopback port.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use tinbox::backend::native::NativeBackend;
use tinbox::secret::Secret;
use tinbox::server::{self, ServerHandle, ServerOptions};

/// Starts the demo server on 127.0.0.1:0.
pub async fn server(options: ServerOptions) -> ServerHandle {
    server::spawn_demo(([127, 0, 0, 1], 0).into(), options).await.expect("server starts")
}

/// A native backend signed in as the demo agent `name`.
pub fn client(handle: &ServerHandle, name: &str) -> NativeBackend {
    let token = handle.token_for(name).expect("demo agent exists");
    NativeBackend::new(&handle.url(), Secret::new(token)).expect("client builds")
}

/// The content of an answer that must be fresh (a first read, or a server without entity tags).
pub fn fresh<T>(answer: tinbox::backend::Listed<T>) -> T {
    match answer {
        tinbox::backend::Listed::Fresh(value) => value,
        tinbox::backend::Listed::Unchanged => panic!("expected fresh content, the server said unchanged"),
    }
}

pub mod fixture;
pub mod imbrace;
pub mod pty;
pub mod whatomate;

/// The names of every `TINBOX_*` variable in this process's environment, to keep out of a child's.
pub fn tinbox_variables() -> Vec<std::ffi::OsString> {
    std::env::vars_os().map(|(k, _)| k).filter(|k| k.to_string_lossy().starts_with("TINBOX_")).collect()
}

/// The `tinbox` binary as a command, with none of the developer's `TINBOX_*` settings.
pub fn tinbox_command() -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tinbox"));
    for name in tinbox_variables() {
        cmd.env_remove(name);
    }
    cmd
}

/// The text of every saved draft under `data_dir` (each owner's directory), never a temporary file still
/// waiting for its rename.
pub fn saved_drafts(data_dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs = vec![data_dir.join("drafts")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "json") {
                out.push(std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    out
}

/// The assignee filter a test names as the native API does: "me", "none" or an agent id.
pub fn assigned(s: &str) -> Option<tinbox::backend::Assigned> {
    use tinbox::backend::Assigned;
    Some(match s {
        "me" => Assigned::Me,
        "none" => Assigned::Nobody,
        id => Assigned::To(id.into()),
    })
}

/// A raw HTTP client for checks the backend does not expose (status codes, headers).
pub fn raw() -> reqwest::Client {
    reqwest::Client::new()
}

/// A writer whose bytes a test reads after a terminal or a logger is done with it.
#[derive(Clone, Default)]
pub struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Capture {
    /// Everything written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap().clone()
    }
}

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
