//! The terminal: entering and always leaving raw mode and the alternate screen, and the UI task's loop.

use crate::app::{self, AppState, Effect, Msg};
use crate::backend::Backend;
use crate::store::cache::Cache;
use crate::store::drafts::Drafts;
use crate::store::owner::Owner;
use crate::ui;
use crate::worker::{Worker, WorkerOptions};
use futures::StreamExt;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use ratatui::crossterm::{cursor, event, execute, terminal};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::{BufWriter, Stdout, Write};
use std::sync::Arc;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};

type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Whether tinbox has the terminal in raw mode on the alternate screen.
static ENTERED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Leaves raw mode and the alternate screen and shows the cursor; only the first call after entering acts,
/// so the panic hook and the guard do not both send the sequences.
pub fn restore() {
    if !ENTERED.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let _ = terminal::disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        event::DisableFocusChange,
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
}

struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// The largest screen drawn: a terminal claiming more (65535×65535) gets this much, never an allocation
/// of billions of cells.
pub const MAX_SIZE: (u16, u16) = (1000, 500);

/// A terminal size within [`MAX_SIZE`].
pub fn clamp_size(w: u16, h: u16) -> (u16, u16) {
    (w.min(MAX_SIZE.0), h.min(MAX_SIZE.1))
}

/// A ratatui terminal of the current size (clamped), with empty buffers: its first draw paints everything.
fn fresh_terminal() -> std::io::Result<Term> {
    let (w, h) = terminal::size().map(|(w, h)| clamp_size(w, h))?;
    // Buffered: ratatui's diff then reaches the terminal as one write of only the changed cells. A fixed
    // viewport, resized by us, so ratatui never sizes a buffer from an unclamped answer.
    let backend = CrosstermBackend::new(BufWriter::with_capacity(64 * 1024, std::io::stdout()));
    Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) })
}

fn enter() -> std::io::Result<(Term, Restore)> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    terminal::enable_raw_mode()?;
    ENTERED.store(true, std::sync::atomic::Ordering::SeqCst);
    let guard = Restore;
    // Bracketed paste: a paste arrives as text, never as keys that would each act.
    execute!(
        std::io::stdout(),
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        event::EnableFocusChange,
        cursor::Hide
    )?;
    Ok((fresh_terminal()?, guard))
}

/// Takes the terminal back after it was handed over (an editor, a suspend): raw mode, the alternate screen,
/// and a fresh terminal whose next draw repaints everything. Terminal::clear would ask the terminal for
/// the cursor position, and a terminal that does not answer leaves a blank screen.
fn take_back(term: &mut Term) -> std::io::Result<()> {
    terminal::enable_raw_mode()?;
    ENTERED.store(true, std::sync::atomic::Ordering::SeqCst);
    execute!(
        std::io::stdout(),
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        event::EnableFocusChange,
        terminal::Clear(terminal::ClearType::All),
        cursor::Hide
    )?;
    *term = fresh_terminal()?;
    Ok(())
}

/// Ctrl-Z: hands the terminal back and stops like vim and less; `fg` (SIGCONT) brings the inbox back,
/// fully repainted.
fn suspend(term: &mut Term) -> std::io::Result<()> {
    restore();
    // Stops here until continued (a shell without job control discards the stop: then it simply returns).
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP);
    take_back(term)
}

/// How often the clock ticks: every minute for ages, every second while a retry countdown shows.
fn tick_every(state: &AppState) -> Duration {
    match state.connection {
        app::Connection::Offline { .. } => Duration::from_secs(1),
        _ => Duration::from_secs(60),
    }
}

/// How long after the last keystroke a draft reaches the disk.
const DRAFT_SAVE_DELAY: Duration = Duration::from_millis(700);

/// Saves the open composer's draft; failures are logged and shown, never fatal.
fn save_open_draft(drafts: &Drafts, state: &mut AppState) {
    if let Some(c) = &state.compose.open
        && let Err(e) = drafts.save(&c.draft())
    {
        tracing::error!(error = %e, "could not save the draft");
        state.set_error(format!("Could not save the draft to disk: {e}"));
    }
}

/// Runs `$VISUAL`/`$EDITOR` (else `vi`) on `text` with the terminal handed over, and returns the new text.
fn edit_externally(term: &mut Term, text: &str, drafts: &Drafts) -> Result<String, String> {
    let path = drafts.scratch_file(text).map_err(|e| e.to_string())?;
    restore();
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    let status =
        std::process::Command::new("sh").arg("-c").arg(format!("{editor} \"$1\"")).arg("sh").arg(&path).status();
    let back = take_back(term);
    let result = match (status, back) {
        (_, Err(e)) => Err(format!("the terminal could not be taken back: {e}")),
        (Err(e), _) => Err(format!("{editor}: {e}")),
        (Ok(s), _) if !s.success() => Err(format!("{editor} exited with {s}")),
        (Ok(_), _) => std::fs::read_to_string(&path).map_err(|e| e.to_string()),
    };
    let _ = std::fs::remove_file(&path);
    result
}

/// Holds the open composer's latest text, and writes it when dropped: on a normal return, an error, or a
/// panic unwinding through the UI task, the draft reaches the disk.
struct DraftGuard {
    drafts: Drafts,
    latest: Option<app::Draft>,
}

impl Drop for DraftGuard {
    fn drop(&mut self) {
        if let Some(d) = &self.latest
            && let Err(e) = self.drafts.save(d)
        {
            tracing::error!(error = %e, "could not save the draft on the way out");
        }
    }
}

/// How often, at most, the offline cache is rewritten while fresh data arrives.
const CACHE_EVERY: Duration = Duration::from_secs(10);

/// Saves what the offline cache keeps; failures are logged, never fatal. Nothing is written before fresh
/// data has arrived: the cache already holds everything an offline run could show.
fn save_cache(cache: Option<&(Cache, Owner)>, state: &AppState) {
    if let Some((cache, owner)) = cache
        && state.offline.synced_at.is_some()
        && let Err(e) = cache.save(owner, &state.snapshot())
    {
        tracing::warn!(error = %e, "could not write the offline cache");
    }
}

/// Keys and terminal events handled before a frame at most (a paste of this many keys still draws).
const INPUT_AT_ONCE: usize = 4096;

/// Worker reports handled before a frame at most, so a key is never kept waiting behind a flood.
const DRAIN_AT_ONCE: usize = 1024;

/// How this session opens: what the agent chose on the command line or in the profile.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The view to start in.
    pub view: app::View,
    /// Nothing is changed on the server; change keys say so.
    pub read_only: bool,
    /// The colours.
    pub theme: crate::ui::theme::Theme,
    /// How the agent is told of what happens while they look elsewhere.
    pub alerts: crate::escapes::Alerts,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            view: app::View::All,
            read_only: false,
            theme: crate::ui::theme::DARK,
            alerts: crate::escapes::Alerts::default(),
        }
    }
}

/// Runs the inbox on `backend` until the agent quits, the terminal goes away, or a signal arrives.
/// Drafts are `owner`'s (this server and agent). With `cache`, the owner's last-seen inbox is shown at once
/// and kept for offline starts.
pub async fn run(
    backend: Arc<dyn Backend>,
    server_label: String,
    session: Session,
    owner: Owner,
    cache: Option<Cache>,
    worker: WorkerOptions,
) -> anyhow::Result<()> {
    let cache = cache.map(|c| (c, owner.clone()));
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let data_dir = crate::config::data_dir();
    let drafts = Drafts::new(&data_dir, &owner);
    let unavailable = backend.unavailable().to_vec();
    let backend_kind = backend.kind();
    let (statuses, search_covers) = (backend.statuses(), backend.search_covers());
    let page_size = backend.page_limit();
    let (worker, mut events) = Worker::spawn(backend, worker);
    let mut state = AppState::new(server_label, chrono::Utc::now());
    state.requests.nonce = uuid::Uuid::new_v4().simple().to_string();
    state.account.unavailable = unavailable;
    state.account.backend_kind = backend_kind;
    state.account.statuses = statuses;
    state.account.search_covers = search_covers;
    state.compose.drafts = drafts.load_all();
    state.list.filters.view = session.view;
    state.account.read_only = session.read_only;
    state.list.page_size = page_size;
    if let Some(snapshot) = cache.as_ref().and_then(|(c, owner)| c.load(owner)) {
        state.apply_snapshot(snapshot);
    }
    let mut cache_saved = tokio::time::Instant::now();
    let mut synced = state.offline.synced_at;
    let mut guard = DraftGuard { drafts: drafts.clone(), latest: None };
    // A hidden trigger for tests: with TINBOX_DEBUG_PANIC set, F12 panics, to prove the terminal and drafts survive.
    let debug_panic = std::env::var_os("TINBOX_DEBUG_PANIC").is_some();
    let (mut term, _restore) = enter()?;
    let size = term.get_frame().area();
    app::update(&mut state, Msg::Resize(size.width, size.height));
    let mut sigcont = signal(SignalKind::from_raw(nix::sys::signal::Signal::SIGCONT as i32))?;
    let mut input = EventStream::new();
    let mut pending = app::start(&mut state);
    // Pending debounced messages (the selection's rest timer, the counts' pace), one per kind.
    let mut debounce: Vec<(tokio::time::Instant, Msg)> = Vec::new();
    let mut draft_due: Option<tokio::time::Instant> = None;
    let mut dirty = true;
    let mut frames = crate::frames::Frames::default();
    // The screen waiting for a frame shows the agent's input (paced only by earlier keys' frames).
    let mut keyed = false;
    // The composer's editing widget: the core holds the text, the edge the cursor.
    let mut editor = ui::Editor::default();
    loop {
        let mut queued = Vec::new();
        for effect in pending.drain(..) {
            match effect {
                Effect::Send { id, key, request } => worker.send(id, key, request),
                Effect::Debounce { delay, msg } => {
                    // One timer per kind of message: a new one replaces its kind's older one, no other.
                    debounce.retain(|(_, m)| std::mem::discriminant(m) != std::mem::discriminant(&*msg));
                    debounce.push((tokio::time::Instant::now() + delay, *msg));
                }
                Effect::StartLive => worker.start_live(),
                Effect::SaveDraftSoon => {
                    draft_due.get_or_insert(tokio::time::Instant::now() + DRAFT_SAVE_DELAY);
                }
                Effect::SaveNow => {
                    draft_due = None;
                    save_open_draft(&drafts, &mut state);
                }
                Effect::SaveDraft(d) => {
                    draft_due = None;
                    if let Err(e) = drafts.save(&d) {
                        state.set_error(format!("Could not save the draft to disk: {e}"));
                    }
                }
                Effect::ClearDraft(id, kind) => {
                    if let Err(e) = drafts.remove(&id, kind) {
                        tracing::warn!(error = %e, "could not remove a sent draft");
                    }
                }
                Effect::OpenEditor(text) => {
                    save_open_draft(&drafts, &mut state);
                    queued.push(Msg::EditorDone(edit_externally(&mut term, &text, &drafts)));
                    dirty = true;
                }
                Effect::Copy(text) => crate::escapes::copy(&text),
                Effect::Alert(text) => session.alerts.alert(&text),
                Effect::Quit => {
                    save_open_draft(&drafts, &mut state);
                    save_cache(cache.as_ref(), &state);
                    return Ok(());
                }
            }
        }
        // At most one frame per interval: what arrives in between is folded into the next one.
        if dirty && frames.may_draw(tokio::time::Instant::now(), keyed) {
            editor.sync(&state);
            // Times in the agent's zone (TZ or the system's); the core keeps UTC.
            term.draw(|f| {
                ui::clock::with(ui::clock::Zone::Local, || ui::draw_themed(f, &state, editor.widget(), session.theme))
            })?;
            frames.drawn(tokio::time::Instant::now(), keyed);
            (dirty, keyed) = (false, false);
        }
        let frame_due = if dirty { frames.next(keyed) } else { None };
        let debounce_at = debounce.iter().map(|(at, _)| *at).min();
        let msgs: Vec<Msg> = if !queued.is_empty() {
            queued
        } else {
            tokio::select! {
                ev = input.next() => {
                    let (mut ev, mut read) = (ev, 1);
                    let mut msgs = Vec::new();
                    loop {
                        let more: Vec<Msg> = match ev {
                            Some(Ok(Event::Key(k))) if debug_panic && k.code == ratatui::crossterm::event::KeyCode::F(12) => {
                                panic!("debug panic requested with F12");
                            }
                            Some(Ok(Event::Key(k)))
                                if k.kind != KeyEventKind::Release
                                    && k.code == ratatui::crossterm::event::KeyCode::Char('z')
                                    && k.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL) =>
                            {
                                save_open_draft(&drafts, &mut state);
                                suspend(&mut term)?;
                                dirty = true;
                                vec![]
                            }
                            Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => {
                                // Each key is read in the mode the one before it left (Esc then q: close, then quit).
                                for key in crate::keys::split_alt(k) {
                                    app::update(&mut state, Msg::Tick(chrono::Utc::now()));
                                    let mode = state.input_mode();
                                    if let Some(a) = crate::keys::action_for(key, mode) {
                                        pending.extend(app::update(&mut state, Msg::Action(a)));
                                    } else if composing(&state)
                                        && let Some(text) = editor.input(key)
                                    {
                                        pending.extend(app::update(&mut state, Msg::ComposerText(text)));
                                    } else if let Some(label) = crate::keys::unbound_label(key, mode) {
                                        pending.extend(app::update(&mut state, Msg::Unbound(label)));
                                    }
                                    editor.sync(&state);
                                }
                                guard.latest = state.compose.open.as_ref().map(|c| c.draft());
                                (dirty, keyed) = (true, true);
                                vec![]
                            }
                            Some(Ok(Event::Paste(text))) => {
                                if composing(&state) {
                                    if let Some(text) = editor.paste(&text) {
                                        pending.extend(app::update(&mut state, Msg::ComposerText(text)));
                                    }
                                } else {
                                    pending.extend(app::update(&mut state, Msg::Paste(text)));
                                }
                                editor.sync(&state);
                                guard.latest = state.compose.open.as_ref().map(|c| c.draft());
                                (dirty, keyed) = (true, true);
                                vec![]
                            }
                            Some(Ok(Event::FocusLost)) => vec![Msg::Focus(false)],
                            Some(Ok(Event::FocusGained)) => vec![Msg::Focus(true)],
                            Some(Ok(Event::Resize(w, h))) => {
                                let (w, h) = clamp_size(w, h);
                                term.resize(Rect::new(0, 0, w, h))?;
                                // At once: keys after it in this batch are read at the new size.
                                pending.extend(app::update(&mut state, Msg::Resize(w, h)));
                                (dirty, keyed) = (true, true);
                                vec![]
                            }
                            Some(Ok(_)) => vec![],
                            // The terminal is gone (an SSH drop): save and leave instead of spinning on a dead input.
                            Some(Err(_)) | None => {
                                save_open_draft(&drafts, &mut state);
                                save_cache(cache.as_ref(), &state);
                                return Ok(());
                            }
                        };
                        msgs.extend(more);
                        // Everything already typed is handled before the next frame, so a held key never
                        // falls behind the screen; but not past a key that hands the terminal over or quits.
                        let handing_over = pending.iter().any(|e| matches!(e, Effect::OpenEditor(_) | Effect::Quit));
                        if handing_over || read >= INPUT_AT_ONCE {
                            break;
                        }
                        // Polled with this task's waker (not now_or_never's no-op one): crossterm's waiting
                        // thread must wake this loop when the next key comes.
                        match futures::poll!(input.next()) {
                            std::task::Poll::Ready(next) => (ev, read) = (next, read + 1),
                            std::task::Poll::Pending => break,
                        }
                    }
                    msgs
                }
                Some(ev) = events.recv() => {
                    // Everything already waiting is handled before the next frame.
                    let mut msgs = vec![Msg::Worker(ev)];
                    while msgs.len() < DRAIN_AT_ONCE && let Some(ev) = events.try_recv() {
                        msgs.push(Msg::Worker(ev));
                    }
                    msgs
                }
                _ = sleep_until(frame_due), if frame_due.is_some() => vec![],
                _ = sleep_until(debounce_at), if debounce_at.is_some() => {
                    let now = tokio::time::Instant::now();
                    let (due, later): (Vec<_>, Vec<_>) = debounce.drain(..).partition(|(at, _)| *at <= now);
                    debounce = later;
                    due.into_iter().map(|(_, m)| m).collect()
                }
                _ = sleep_until(draft_due), if draft_due.is_some() => {
                    draft_due = None;
                    save_open_draft(&drafts, &mut state);
                    vec![]
                }
                _ = tokio::time::sleep(tick_every(&state)) => vec![Msg::Tick(chrono::Utc::now())],
                _ = sigcont.recv() => {
                    // Continued after a stop (ours or anyone's): the screen may hold anything now.
                    take_back(&mut term)?;
                    // The fresh terminal has the size as it is now (clamped); the state hears of it.
                    let area = term.get_frame().area();
                    dirty = true;
                    vec![Msg::Resize(area.width, area.height)]
                }
                _ = sigterm.recv() => {
                    save_open_draft(&drafts, &mut state);
                    save_cache(cache.as_ref(), &state);
                    return Ok(());
                }
                _ = sighup.recv() => {
                    save_open_draft(&drafts, &mut state);
                    save_cache(cache.as_ref(), &state);
                    return Ok(());
                }
                _ = sigint.recv() => {
                    save_open_draft(&drafts, &mut state);
                    save_cache(cache.as_ref(), &state);
                    return Ok(());
                }
            }
        };
        if !msgs.is_empty() {
            // Time enters the state only through messages, keeping update() pure.
            app::update(&mut state, Msg::Tick(chrono::Utc::now()));
            for msg in msgs {
                pending.extend(app::update(&mut state, msg));
            }
            guard.latest = state.compose.open.as_ref().map(|c| c.draft());
            if state.offline.synced_at != synced && cache_saved.elapsed() >= CACHE_EVERY {
                synced = state.offline.synced_at;
                cache_saved = tokio::time::Instant::now();
                save_cache(cache.as_ref(), &state);
            }
            dirty = true;
        }
    }
}

/// True when the composer is open and takes what is typed or pasted (not while sending or asking).
fn composing(state: &AppState) -> bool {
    state.input_mode() == app::InputMode::Composer && state.compose.open.as_ref().is_some_and(|c| c.accepts_input())
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
