//! `tinbox demo` and `tinbox serve`: the reference server in-process. Built with the default `server`
//! feature; without it the binary is a client only and says so.

use crate::cli::{FaultSpec, SessionArgs};
use std::net::SocketAddr;

/// Runs the reference server with demo data and the inbox on it, as a demo agent.
#[cfg(feature = "server")]
pub async fn demo(agent: &str, no_simulate: bool, session: SessionArgs, log_level: &str) -> anyhow::Result<()> {
    use crate::config;
    use crate::run::{connect_to, sign_in, sign_in_failure};
    use crate::secret::Secret;
    use crate::server::{self, ServerOptions};
    use crate::store::owner::Owner;
    crate::startup::check_terminal()?;
    let _log = crate::logging::to_file(log_level);
    let simulate = (!no_simulate).then_some(SIMULATE_EVERY);
    let options = ServerOptions { simulate, events: true, faults: None, ..Default::default() };
    let handle = server::spawn_demo(([127, 0, 0, 1], 0).into(), options).await?;
    let Some(token) = handle.token_for(agent) else {
        anyhow::bail!(
            "there is no demo agent \"{agent}\": try alice, bruno, chloe, dmitri, emeka, fatima, hiro, ingrid or yael"
        )
    };
    let backend = connect_to(&config::Connection {
        server: handle.url(),
        identity: config::Identity::Token(Secret::new(token)),
        backend: "native".into(),
        organization: None,
        limits: config::Limits::default(),
        read_only: session.read_only,
        theme: None,
        alerts: Default::default(),
    })?;
    let me = sign_in(backend.as_ref()).await.map_err(|e| sign_in_failure(&handle.url(), &e))?;
    let owner = Owner { server: handle.url(), agent: me.id.to_string() };
    // The demo server is new every run: nothing of it is worth caching.
    let worker = crate::worker::WorkerOptions { read_only: session.read_only, ..Default::default() };
    // The demo reads no profile, but the config's theme is the agent's taste wherever they run tinbox.
    let configured = config::load(&config::config_path())?;
    let theme = session.theme(configured.theme.as_deref())?;
    // The agent's keys, too (a mistake in them is said before the screen opens).
    crate::keys::install(crate::keymap::load(&config::config_path())?);
    let view = session.view.unwrap_or_default().into();
    let options = crate::tui::Session { view, read_only: session.read_only, theme, alerts: configured.notify };
    let result = crate::tui::run(backend, format!("demo {}", handle.url()), options, owner, None, worker).await;
    handle.shutdown();
    result
}

/// Serves the native API with demo data until SIGINT or SIGTERM.
#[cfg(feature = "server")]
pub async fn serve(
    addr: SocketAddr,
    simulate: bool,
    no_events: bool,
    faults: Option<FaultSpec>,
    log_level: &str,
) -> anyhow::Result<()> {
    use crate::server::{self, ServerOptions};
    crate::logging::to_stderr(log_level);
    if !addr.ip().is_loopback() {
        eprintln!("warning: listening on {addr}, reachable from other machines");
    }
    let simulate = simulate.then_some(SIMULATE_EVERY);
    let handle =
        server::spawn_demo(addr, ServerOptions { simulate, events: !no_events, faults, ..Default::default() }).await?;
    println!("tinbox reference server on {}", handle.url());
    println!(
        "tokens: demo-alice demo-bruno demo-chloe demo-dmitri demo-emeka demo-fatima demo-hiro demo-ingrid demo-yael"
    );
    println!("try: tinbox --server {} --token demo-alice", handle.url());
    wait_for_stop().await?;
    handle.shutdown();
    Ok(())
}

#[cfg(feature = "server")]
async fn wait_for_stop() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    Ok(())
}

/// How often simulated customers write in.
#[cfg(feature = "server")]
const SIMULATE_EVERY: std::time::Duration = std::time::Duration::from_secs(6);

#[cfg(not(feature = "server"))]
const MISSING: &str = "this tinbox was built without the reference server (cargo feature \"server\")";

/// Without the reference server there is no demo.
#[cfg(not(feature = "server"))]
pub async fn demo(_: &str, _: bool, _: SessionArgs, _: &str) -> anyhow::Result<()> {
    anyhow::bail!(MISSING)
}

/// Without the reference server there is nothing to serve.
#[cfg(not(feature = "server"))]
pub async fn serve(_: SocketAddr, _: bool, _: bool, _: Option<FaultSpec>, _: &str) -> anyhow::Result<()> {
    anyhow::bail!(MISSING)
}
