//! The reference server: tinbox's native API (docs/api.md), in memory, seeded with the demo data.
//!
//! The client never imports this module: it reaches the server over HTTP like any real one.

mod api;
mod delivery;
pub mod demo;
mod events;
pub mod faults;
mod routes;
mod simulate;
pub mod store;

use axum::Router;
use axum::routing::{get, post, put};
use axum::serve::ListenerExt as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use store::Store;
use tokio::sync::{broadcast, watch};

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Customers write in every so often (a new message in a random open conversation).
    pub simulate: Option<Duration>,
    /// Serve `/api/events`; when off it answers 404, so clients must poll.
    pub events: bool,
    /// Injected faults (none by default).
    pub faults: Option<faults::Faults>,
    /// How long after a reply is taken it goes out (or is refused); delivered three times that later.
    pub delivery_after: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self { simulate: None, events: true, faults: None, delivery_after: Duration::from_millis(400) }
    }
}

/// State shared by every handler.
pub struct Shared {
    store: Mutex<Store>,
    options: ServerOptions,
    wake_tx: broadcast::Sender<()>,
    cut_tx: watch::Sender<u64>,
}

/// The store under its lock, for reading only (no `DerefMut`: a change needs [`Shared::lock`]).
struct Reading<'a>(MutexGuard<'a, Store>);

impl std::ops::Deref for Reading<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.0
    }
}

impl Shared {
    /// Locks the store to change it; a poisoned lock (a handler panicked) still yields the data. The store's
    /// revision moves on, so nothing computed from the store before is taken for what it holds now.
    fn lock(&self) -> MutexGuard<'_, Store> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        store.revision = store.revision.wrapping_add(1);
        store
    }

    /// Locks the store to read it only: its revision stays, and so do the list orders computed at it.
    fn read(&self) -> Reading<'_> {
        Reading(self.store.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Tells live streams that events were appended.
    fn wake(&self) {
        let _ = self.wake_tx.send(());
    }

    /// The time, at the millisecond precision the API shows, so `updated_since` with a served time is exact.
    fn now(&self) -> store::Time {
        use chrono::SubsecRound;
        chrono::Utc::now().trunc_subsecs(3)
    }
}

/// A running server.
pub struct ServerHandle {
    /// The address it listens on.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl ServerHandle {
    /// The base URL clients use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Ends every open live stream (clients must reconnect and resume); for tests and fault drills.
    pub fn drop_streams(&self) {
        self.shared.cut_tx.send_modify(|g| *g += 1);
    }

    /// Runs `f` on the store, then wakes live streams; for tests and the simulator.
    pub fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let out = f(&mut self.shared.lock());
        self.shared.wake();
        out
    }

    /// The token of the demo agent whose first name is `name` (case-insensitive).
    pub fn token_for(&self, name: &str) -> Option<String> {
        let store = self.shared.read();
        let a = store
            .agents
            .iter()
            .find(|a| a.name.split_whitespace().next().is_some_and(|f| f.eq_ignore_ascii_case(name)));
        a.map(|a| a.token.clone())
    }

    /// Stops the server.
    pub fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The native API's routes over `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    use routes::{contacts as ct, conversations as cv, notifications as nt, people, prepared};
    Router::new()
        .route("/api/me", get(people::me))
        .route("/api/agents", get(people::agents))
        .route("/api/labels", get(people::labels))
        .route("/api/conversations", get(cv::list))
        .route("/api/conversations/take-next", post(cv::take_next))
        .route("/api/conversations/{id}", get(cv::get).patch(cv::patch))
        .route("/api/conversations/{id}/assign", put(cv::assign))
        .route("/api/conversations/{id}/read", post(cv::read))
        .route("/api/conversations/{id}/messages", get(cv::messages).post(cv::send))
        .route("/api/conversations/{id}/activities", get(cv::activities))
        .route("/api/conversations/{id}/templates", post(prepared::send_template))
        .route("/api/templates", get(prepared::templates))
        .route("/api/canned-responses", get(prepared::canned))
        .route("/api/canned-responses/{id}/use", post(prepared::canned_used))
        .route("/api/contacts", get(ct::list).post(ct::create))
        .route("/api/contacts/export.csv", get(ct::export_csv))
        .route("/api/contacts/{id}", get(ct::get).put(ct::update).delete(ct::delete))
        .route("/api/contacts/{id}/assign", put(ct::assign))
        .route("/api/contacts/{id}/session-data", get(ct::session))
        .route("/api/contacts/{id}/conversations", get(ct::conversations))
        .route("/api/contacts/{id}/comments", get(ct::comments).post(ct::add_comment))
        .route("/api/contacts/{id}/files", get(ct::files))
        .route("/api/notifications", get(nt::list).delete(nt::dismiss_all))
        .route("/api/notifications/read", put(nt::mark_read))
        .route("/api/notifications/{id}", axum::routing::delete(nt::dismiss))
        .route("/api/events", get(events::stream))
        .fallback(|| async { api::ApiError::not_found("no such endpoint") })
        .with_state(shared)
}

/// Starts a server on `addr` (port 0 picks a free one) with `store` as its state.
pub async fn spawn(addr: SocketAddr, store: Store, options: ServerOptions) -> std::io::Result<ServerHandle> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (wake_tx, _) = broadcast::channel(256);
    let (cut_tx, _) = watch::channel(0);
    let shared = Arc::new(Shared { store: Mutex::new(store), options: options.clone(), wake_tx, cut_tx });
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let mut app = router(shared.clone());
    if let Some(f) = options.faults.clone() {
        let dice = Arc::new(faults::Dice::new(f));
        app = app.layer(axum::middleware::from_fn_with_state(dice, faults::inject));
    }
    let cut = shared.cut_tx.clone();
    tokio::spawn(async move {
        // Without TCP_NODELAY the last small segment of an answer can wait for a delayed ACK (~40 ms):
        // one page of the list then took four times what the server spent on it.
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY not set");
            }
        });
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stop_rx.await;
            // Open SSE streams would hold a graceful shutdown forever: end them first.
            cut.send_modify(|g| *g += 1);
        });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "reference server stopped");
        }
    });
    if let Some(every) = options.simulate {
        tokio::spawn(simulate::run(Arc::downgrade(&shared), every));
    }
    tracing::info!(%addr, "reference server listening");
    Ok(ServerHandle { addr, shared, stop: Some(stop_tx) })
}

/// Starts a server with the demo data.
pub async fn spawn_demo(addr: SocketAddr, options: ServerOptions) -> anyhow::Result<ServerHandle> {
    let store = demo::load(chrono::Utc::now())?;
    Ok(spawn(addr, store, options).await?)
}
