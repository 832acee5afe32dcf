//! What each command does.

use crate::backend::{Backend, native::NativeBackend};
use crate::cli::{Cli, Command, ConfigAction, ExportWhat, LogArgs};
use crate::config;
use crate::store::{cache::Cache, drafts::Drafts, owner::Identities, owner::Owner};
use anyhow::{Context, bail};
use std::sync::Arc;

/// Checks a server address: a scheme is required, and plain http only to this machine unless allowed.
pub fn check_server(server: &str, insecure_http: bool) -> anyhow::Result<()> {
    let url = url::Url::parse(server).map_err(|_| {
        anyhow::anyhow!("the server address {server:?} is not a URL: write it like https://inbox.example.com")
    })?;
    let host = url.host_str().unwrap_or("");
    match url.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = host == "localhost"
                || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
                || host.trim_matches(['[', ']']).parse::<std::net::Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
            if loopback || insecure_http {
                Ok(())
            } else {
                bail!(
                    "refusing to send your token over plain http to {host}: use https://, or pass --insecure-http if you must"
                )
            }
        }
        other => bail!("the server address must start with https:// (or http:// on this machine), not {other}://"),
    }
}

/// One line telling the agent what to do when signing in fails.
pub(crate) fn sign_in_failure(server: &str, e: &crate::backend::BackendError) -> anyhow::Error {
    use crate::backend::BackendError as E;
    match e {
        E::Unauthorized => {
            anyhow::anyhow!("{server} rejected the token (401): check --token, TINBOX_TOKEN or the profile's token")
        }
        E::Forbidden(_) => {
            anyhow::anyhow!("{server} refused this token (403): it needs an agent's access; ask your administrator")
        }
        E::Network(why) => {
            anyhow::anyhow!("cannot reach {server} ({why}): check the address and your network, or try `tinbox demo`")
        }
        E::NotFound(_) => anyhow::anyhow!("{server} has no tinbox API at /api/me: check the address (and --backend)"),
        other => anyhow::anyhow!("cannot sign in to {server}: {other}"),
    }
}

/// Asks the server who we are, retrying passing failures (429, 5xx, unreadable answers) as every read does.
pub(crate) async fn sign_in(backend: &dyn Backend) -> Result<crate::domain::Agent, crate::backend::BackendError> {
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    // Short: an agent who mistyped the address should hear so in a second or two, not ten.
    let opts = crate::worker::WorkerOptions {
        attempts: 3,
        max_retry_wait: std::time::Duration::from_secs(2),
        ..Default::default()
    };
    match crate::worker::execute_with_retries(backend, crate::worker::Request::Me, &opts, 0, &tx).await? {
        crate::worker::Reply::Me(me) => Ok(me),
        _ => Err(crate::backend::BackendError::BadResponse("no agent in the answer to /me".into())),
    }
}

/// What an agent signs in with, as the identity record knows it (a fingerprint, never the secret).
pub(crate) fn credential(conn: &config::Connection) -> String {
    match &conn.identity {
        config::Identity::Token(t) => crate::store::owner::fingerprint(&conn.server, t.expose()),
        config::Identity::Login { email, .. } => crate::store::owner::fingerprint(&conn.server, email),
    }
}

/// Whose drafts and cache this run uses: the signed-in agent on this server. Drafts saved before drafts had
/// owners are adopted when the cache shows this owner is the only one who ever used this data directory.
fn owner_of(conn: &config::Connection, me: &crate::domain::Agent, cache: &Cache) -> Owner {
    let owner = Owner { server: conn.server.clone(), agent: me.id.to_string() };
    let ids = Identities::new(&config::data_dir());
    if let Err(e) = ids.remember(&credential(conn), &me.id) {
        tracing::warn!(error = %e, "could not record who this credential signs in as");
    }
    if cache.only_user_was(&owner) {
        match Drafts::new(&config::data_dir(), &owner).adopt_unowned() {
            Ok(n) if n > 0 => tracing::info!(n, "adopted drafts saved before drafts had owners"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not adopt older drafts"),
        }
    }
    owner
}

/// Connects to a backend of the named kind.
pub fn connect_to(conn: &config::Connection) -> anyhow::Result<Arc<dyn Backend>> {
    use crate::backend::{imbrace::ImbraceBackend, whatomate::WhatomateBackend, whatomate::auth::Credentials};
    use config::Identity;
    let token = || match &conn.identity {
        Identity::Token(t) => Ok(t.clone()),
        Identity::Login { .. } => Err(anyhow::anyhow!(
            "signing in with an email and password works only with --backend whatomate; use --token for {}",
            conn.backend
        )),
    };
    Ok(match conn.backend.as_str() {
        "native" => Arc::new(NativeBackend::new(&conn.server, token()?)?),
        "imbrace" => Arc::new(ImbraceBackend::new(&conn.server, token()?, conn.organization.clone())?),
        "whatomate" => {
            let credentials = match &conn.identity {
                Identity::Token(key) => Credentials::ApiKey(key.clone()),
                Identity::Login { email, password } => {
                    Credentials::Password { email: email.clone(), password: password.clone() }
                }
            };
            Arc::new(WhatomateBackend::new(&conn.server, credentials)?)
        }
        other => bail!("unknown backend \"{other}\": use native, whatomate or imbrace"),
    })
}

/// Writes `bytes` to standard output; a reader that stopped early (`| head`) is no error.
fn print_all(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let Cli { connect: c, session, log, command } = cli;
    match command {
        Some(Command::Demo { agent, no_simulate, session: inner, log: inner_log }) => {
            crate::reference::demo(&agent, no_simulate, inner.or(session), &inner_log.level(&log)).await
        }
        Some(Command::Serve { addr, simulate, no_events, faults, log: inner_log }) => {
            crate::reference::serve(addr, simulate, no_events, faults, &inner_log.level(&log)).await
        }
        Some(Command::Config { action: ConfigAction::Path }) => {
            println!("{}", config::config_path().display());
            Ok(())
        }
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "tinbox", &mut out);
            print_all(&out)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out)?;
            print_all(&out)
        }
        Some(Command::Status { connect }) => crate::bar::print(&connect.or(c)).await,
        Some(Command::Export { what: ExportWhat::Contacts { file, connect } }) => {
            let c = connect.or(c);
            let conn = config::resolve(&c)?;
            conn.limits.apply();
            check_server(&conn.server, c.insecure_http)?;
            let backend = connect_to(&conn)?;
            let csv = backend.export_contacts_csv().await.map_err(|e| sign_in_failure(&conn.server, &e))?;
            let csv = crate::backend::export::safe_csv(&csv)
                .map_err(|e| anyhow::anyhow!("the export from {} could not be read: {e}", conn.server))?;
            match file {
                // The agent's alone (0600), and whole or not at all.
                Some(path) => crate::store::files::write_private(&path, csv.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => print!("{csv}"),
            }
            Ok(())
        }
        None => {
            let _log = crate::logging::to_file(&log.level(&LogArgs::default()));
            let conn = config::resolve(&c)?;
            let theme = session.theme(conn.theme.as_deref())?;
            crate::keys::install(crate::keymap::load(&config::config_path())?);
            conn.limits.apply();
            check_server(&conn.server, c.insecure_http)?;
            let backend = connect_to(&conn)?;
            let cache = Cache::new(&config::cache_dir());
            // Fail before taking over the screen when the server or token is wrong; passing trouble is retried.
            // An unreachable server is no reason to stop when this agent's last-seen inbox is cached: it opens
            // offline. Who "this agent" is comes from an earlier online start with the same credential.
            let Some(signed_in) = crate::startup::while_connecting(&conn.server, sign_in(backend.as_ref())).await
            else {
                // The agent chose to stop waiting.
                return Ok(());
            };
            let owner = match signed_in {
                Ok(me) => owner_of(&conn, &me, &cache),
                Err(e @ crate::backend::BackendError::Network(_)) => {
                    let known = Identities::new(&config::data_dir()).agent_for(&credential(&conn));
                    let owner = known.map(|agent| Owner { server: conn.server.clone(), agent });
                    match owner.filter(|o| cache.load(o).is_some()) {
                        Some(o) => {
                            tracing::info!(error = %e, "server unreachable at start: opening the cached inbox");
                            o
                        }
                        None => return Err(sign_in_failure(&conn.server, &e)),
                    }
                }
                Err(e) => return Err(sign_in_failure(&conn.server, &e)),
            };
            // Checked once the server and token are known good, so those problems are said first.
            crate::startup::check_terminal()?;
            let read_only = session.read_only || conn.read_only;
            let worker =
                crate::worker::WorkerOptions { pending_cap: conn.limits.live_queue, read_only, ..Default::default() };
            let view = session.view.unwrap_or_default().into();
            let options = crate::tui::Session { view, read_only, theme, alerts: conn.alerts };
            crate::tui::run(backend, conn.server, options, owner, Some(cache), worker).await
        }
    }
}
