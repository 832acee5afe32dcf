//! Before the inbox takes the screen: is there a terminal to draw on, and while signing in takes time,
//! saying so on the terminal with a way out.

use crossterm::event::{Event, EventStream, KeyCode, KeyEvent, KeyModifiers};
use futures::StreamExt;
use std::future::Future;
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// Exit status when there is no terminal to draw on.
pub const NO_TERMINAL_EXIT: u8 = 2;

/// Why the inbox cannot be drawn here.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoTerminal(pub String);

/// Checks there is a terminal to draw the inbox on: stdout is one, keys can be read from one, and it is not
/// `TERM=dumb`. The words say what is needed.
pub fn check_terminal() -> Result<(), NoTerminal> {
    if !std::io::stdout().is_terminal() {
        return Err(NoTerminal(
            "standard output is not a terminal: the inbox draws on a terminal (for data, use `tinbox export contacts`)"
                .into(),
        ));
    }
    if !std::io::stdin().is_terminal() && std::fs::File::open("/dev/tty").is_err() {
        return Err(NoTerminal("no terminal to read keys from: run tinbox in a terminal".into()));
    }
    match std::env::var("TERM").ok().as_deref() {
        None | Some("") | Some("dumb") => Err(NoTerminal(
            "this terminal cannot draw the inbox (TERM is unset or \"dumb\"): set TERM, e.g. TERM=xterm-256color"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// How long signing in may take before the agent is told what is happening.
const QUIET_FOR: Duration = Duration::from_millis(700);

/// Runs `work` (signing in to `server`); when it takes a while, says so and lets q, Esc or Ctrl-C leave at
/// once (`None`).
pub async fn while_connecting<T>(server: &str, work: impl Future<Output = T>) -> Option<T> {
    tokio::pin!(work);
    if !std::io::stderr().is_terminal() || !std::io::stdout().is_terminal() {
        // Nobody to tell: the answer (or its timeout) ends the wait.
        return Some(work.await);
    }
    tokio::select! {
        done = &mut work => return Some(done),
        _ = tokio::time::sleep(QUIET_FOR) => {}
    }
    let shown = crate::text::clean_line(server);
    let raw = crossterm::terminal::enable_raw_mode().is_ok();
    let mut err = std::io::stderr();
    let _ = write!(err, "tinbox: connecting to {shown}… (q or Ctrl-C to stop)\r\n");
    let _ = err.flush();
    let mut keys = EventStream::new();
    let result = loop {
        tokio::select! {
            done = &mut work => break Some(done),
            key = keys.next() => match key {
                Some(Ok(Event::Key(k))) if leaves(&k) => break None,
                Some(Ok(_)) => {}
                // No keys to read after all: only the answer (or its timeout) ends the wait.
                Some(Err(_)) | None => break Some(work.await),
            },
            _ = tokio::signal::ctrl_c() => break None,
        }
    };
    if raw {
        let _ = crossterm::terminal::disable_raw_mode();
    }
    result
}

fn leaves(k: &KeyEvent) -> bool {
    matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
        || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
}
