//! What each command does.

use crate::backend::{Backend, native::NativeBackend};
use crate::cli::{Cli, Command, ConfigAction, ExportWhat};
use crate::config;
use crate::secret::Secret;
use crate::server::{self, ServerOptions};
use anyhow::{Context, bail};
use std::sync::Arc;
use std::time::Duration;

/// How often simulated customers write in during `tinbox demo`.
const DEMO_SIMULATE_EVERY: Duration = Duration::from_secs(6);

/// Connects to a backend of the named kind.
pub fn connect(kind: &str, server: &str, token: Secret) -> anyhow::Result<Arc<dyn Backend>> {
    match kind {
        "native" => Ok(Arc::new(NativeBackend::new(server, token)?)),
        other => bail!("unknown backend \"{other}\": use native"),
    }
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let c = cli.connect;
    match cli.command {
        Some(Command::Demo { agent, no_simulate }) => {
            let _log = crate::logging::to_file(&c.log_level);
            let simulate = (!no_simulate).then_some(DEMO_SIMULATE_EVERY);
            let handle =
                server::spawn_demo(([127, 0, 0, 1], 0).into(), ServerOptions { simulate, events: true }).await?;
            let Some(token) = handle.token_for(&agent) else {
                bail!(
                    "there is no demo agent \"{agent}\": try alice, bruno, chloe, dmitri, emeka, fatima, hiro, ingrid or yael"
                )
            };
            let backend = connect("native", &handle.url(), Secret::new(token))?;
            let result = crate::tui::run(backend, format!("demo {}", handle.url()), c.view.into()).await;
            handle.shutdown();
            result
        }
        Some(Command::Serve { addr, simulate, no_events }) => {
            crate::logging::to_stderr(&c.log_level);
            if !addr.ip().is_loopback() {
                eprintln!("warning: listening on {addr}, reachable from other machines");
            }
            let simulate = simulate.then_some(DEMO_SIMULATE_EVERY);
            let handle = server::spawn_demo(addr, ServerOptions { simulate, events: !no_events }).await?;
            println!("tinbox reference server on {}", handle.url());
            println!(
                "tokens: demo-alice demo-bruno demo-chloe demo-dmitri demo-emeka demo-fatima demo-hiro demo-ingrid demo-yael"
            );
            println!("try: tinbox --server {} --token demo-alice", handle.url());
            wait_for_stop().await?;
            handle.shutdown();
            Ok(())
        }
        Some(Command::Config { action: ConfigAction::Path }) => {
            println!("{}", config::config_path().display());
            Ok(())
        }
        Some(Command::Export { what: ExportWhat::Contacts { file } }) => {
            let conn = config::resolve(c.server, c.token, c.profile.as_deref(), None)?;
            let backend = connect(&conn.backend, &conn.server, conn.token)?;
            let csv = backend.export_contacts_csv().await?;
            match file {
                Some(path) => std::fs::write(&path, csv).with_context(|| format!("cannot write {}", path.display()))?,
                None => print!("{csv}"),
            }
            Ok(())
        }
        None => {
            let _log = crate::logging::to_file(&c.log_level);
            let conn = config::resolve(c.server, c.token, c.profile.as_deref(), None)?;
            let backend = connect(&conn.backend, &conn.server, conn.token)?;
            // Fail before taking over the screen when the server or token is wrong.
            backend.me().await.with_context(|| format!("cannot sign in to {}", conn.server))?;
            crate::tui::run(backend, conn.server, c.view.into()).await
        }
    }
}

async fn wait_for_stop() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    Ok(())
}
