//! Logs go to a file in the data directory, never to the screen the TUI draws on.
//!
//! The file is the agent's alone (0600 in a 0700 directory), and what is logged never holds customer
//! data: a level such as `debug` applies to tinbox's own crates, whose lines carry no URLs, search terms,
//! names, emails or phones; the HTTP libraries (which would log URLs) stay at `warn`.

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// The log file's name in the data directory.
pub const LOG_FILE: &str = "tinbox.log";

fn filter(level: &str) -> EnvFilter {
    let level = level.trim();
    // A plain level is for tinbox; a full directive ("hyper=debug,…") is taken as written.
    let directive = if matches!(level, "error" | "warn" | "info" | "debug" | "trace" | "off") {
        format!("warn,tinbox={level},tinbox_core={level},tinbox_client={level},tinbox_server={level}")
    } else {
        level.to_string()
    };
    EnvFilter::try_new(directive).unwrap_or_else(|_| EnvFilter::new("warn,tinbox=info"))
}

/// Opens (creating) the log file for appending, readable by its owner only, in a directory only its owner
/// can enter.
pub fn open_private(dir: &Path) -> std::io::Result<std::fs::File> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(LOG_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        let file = options.open(&path)?;
        // A file made by an older version keeps its looser mode unless told.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        return Ok(file);
    }
    #[allow(unreachable_code)]
    options.open(&path)
}

/// Logs to `<data dir>/tinbox.log`; keep the guard alive until exit so the last lines are written.
pub fn to_file(level: &str) -> Option<WorkerGuard> {
    let file = open_private(&crate::config::data_dir()).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter(level)).try_init().ok()?;
    Some(guard)
}

/// Logs to standard error (for `tinbox serve`, which has no screen of its own).
pub fn to_stderr(level: &str) {
    let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter(level)).try_init();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_log_is_the_agents_alone() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(data.join(LOG_FILE), "old\n").unwrap();
        std::fs::set_permissions(data.join(LOG_FILE), std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(open_private(&data).unwrap());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(LOG_FILE)), 0o600);
    }
}
