//! The terminal: entering and always leaving raw mode and the alternate screen, and the UI task's loop.

use crate::app::{self, AppState, Effect, Msg};
use crate::backend::Backend;
use crate::ui;
use crate::worker::{LiveOptions, Worker};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use ratatui::crossterm::{cursor, execute, terminal};
use std::io::{BufWriter, Stdout, Write};
use std::sync::Arc;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};

type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Leaves raw mode and the alternate screen and shows the cursor; safe to call more than once.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
}

struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

fn enter() -> std::io::Result<(Term, Restore)> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    terminal::enable_raw_mode()?;
    let guard = Restore;
    execute!(std::io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
    // Buffered: ratatui's diff then reaches the terminal as one write of only the changed cells.
    let term = Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(64 * 1024, std::io::stdout())))?;
    Ok((term, guard))
}

/// How often the clock ticks: every minute for ages, every second while a retry countdown shows.
fn tick_every(state: &AppState) -> Duration {
    match state.connection {
        app::Connection::Offline { .. } => Duration::from_secs(1),
        _ => Duration::from_secs(60),
    }
}

/// Runs the inbox on `backend` until the agent quits, the terminal goes away, or a signal arrives.
pub async fn run(backend: Arc<dyn Backend>, server_label: String) -> anyhow::Result<()> {
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let (worker, mut events) = Worker::spawn(backend, LiveOptions::default());
    let mut state = AppState::new(server_label, chrono::Utc::now());
    let (mut term, _restore) = enter()?;
    let size = term.size()?;
    app::update(&mut state, Msg::Resize(size.width, size.height));
    let mut input = EventStream::new();
    let mut pending = app::start(&mut state);
    // The one pending debounced message (the selection's rest timer), if any.
    let mut debounce: Option<(tokio::time::Instant, Msg)> = None;
    let mut dirty = true;
    loop {
        for effect in pending.drain(..) {
            match effect {
                Effect::Send { id, key, request } => worker.send(id, key, request),
                Effect::Debounce { delay, msg } => debounce = Some((tokio::time::Instant::now() + delay, *msg)),
                Effect::StartLive => worker.start_live(),
                Effect::Quit => return Ok(()),
            }
        }
        if dirty {
            term.draw(|f| ui::draw(f, &state))?;
            dirty = false;
        }
        let debounce_at = debounce.as_ref().map(|(at, _)| *at);
        let msgs: Vec<Msg> = tokio::select! {
            ev = input.next() => match ev {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => {
                    app::actions_for(k, state.input_mode()).into_iter().map(Msg::Action).collect()
                }
                Some(Ok(Event::Resize(w, h))) => vec![Msg::Resize(w, h)],
                Some(Ok(_)) => vec![],
                // The terminal is gone (an SSH drop): leave instead of spinning on a dead input.
                Some(Err(_)) | None => return Ok(()),
            },
            Some(ev) = events.recv() => vec![Msg::Worker(ev)],
            _ = sleep_until(debounce_at), if debounce_at.is_some() => debounce.take().map(|(_, m)| m).into_iter().collect(),
            _ = tokio::time::sleep(tick_every(&state)) => vec![Msg::Tick(chrono::Utc::now())],
            _ = sigterm.recv() => return Ok(()),
            _ = sighup.recv() => return Ok(()),
            _ = sigint.recv() => return Ok(()),
        };
        if !msgs.is_empty() {
            // Time enters the state only through messages, keeping update() pure.
            app::update(&mut state, Msg::Tick(chrono::Utc::now()));
            for msg in msgs {
                pending.extend(app::update(&mut state, msg));
            }
            dirty = true;
        }
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
