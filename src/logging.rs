//! Logs go to a file in the data directory, never to the screen the TUI draws on.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

fn filter(level: &str) -> EnvFilter {
    EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"))
}

/// Logs to `<data dir>/tinbox.log`; keep the guard alive until exit so the last lines are written.
pub fn to_file(level: &str) -> Option<WorkerGuard> {
    let dir = crate::config::data_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(tracing_appender::rolling::never(dir, "tinbox.log"));
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter(level)).try_init().ok()?;
    Some(guard)
}

/// Logs to standard error (for `tinbox serve`, which has no screen of its own).
pub fn to_stderr(level: &str) {
    let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter(level)).try_init();
}
