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

pub mod fixture;
pub mod imbrace;
pub mod pty;
pub mod sample;
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

/// A raw HTTP client for checks the backend does not expose (status codes, headers).
pub fn raw() -> reqwest::Client {
    reqwest::Client::new()
}
