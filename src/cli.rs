//! Command-line interface.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// A terminal inbox for support agents.
#[derive(Debug, Parser)]
#[command(
    name = "tinbox",
    version,
    about,
    long_about = None,
    after_help = "In the inbox, ? lists the keys and : opens the command palette. Keys can be rebound in the config's \
                  [keys] table or a keys.toml beside it (`tinbox config path`; see the README). Times are shown in \
                  TZ's zone (else the system's); NO_COLOR draws without colour."
)]
pub struct Cli {
    /// Connection options.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// How the inbox opens.
    #[command(flatten)]
    pub session: SessionArgs,
    /// Where the log goes and how much of it.
    #[command(flatten)]
    pub log: LogArgs,
    /// What to do (default: open the inbox).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where to connect and as whom. Not global, so a subcommand's `--help` lists them only where they apply;
/// given before a subcommand that takes them, they still count ([`ConnectArgs::or`]).
#[derive(Debug, Args, Clone, Default)]
pub struct ConnectArgs {
    /// Server base URL, e.g. https://inbox.example.com
    #[arg(long, env = "TINBOX_SERVER")]
    pub server: Option<String>,
    /// API token or key (Whatomate: whm_…, imBrace: its x-api-key); prefer --token-stdin, TINBOX_TOKEN or
    /// a profile's token_command: arguments are visible to other users
    #[arg(long, env = "TINBOX_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Read the token from standard input's first line (asked for, unechoed, when that is a terminal)
    #[arg(long, conflicts_with = "token")]
    pub token_stdin: bool,
    /// Which API the server speaks: native, whatomate or imbrace
    #[arg(long, env = "TINBOX_BACKEND")]
    pub backend: Option<String>,
    /// Organization id sent to imBrace (x-organization-id)
    #[arg(long, env = "TINBOX_ORGANIZATION")]
    pub organization: Option<String>,
    /// Whatomate: sign in with this email and a password (from TINBOX_PASSWORD, a profile's password_command,
    /// or asked for) instead of an API key
    #[arg(long, env = "TINBOX_EMAIL")]
    pub email: Option<String>,
    /// Profile from the config file (see `tinbox config path`)
    #[arg(long)]
    pub profile: Option<String>,
    /// Allow plain http to a server that is not on this machine (the token then crosses the network in clear)
    #[arg(long)]
    pub insecure_http: bool,
}

impl ConnectArgs {
    /// These options, with those given before the subcommand filling what these leave out.
    pub fn or(self, outer: ConnectArgs) -> ConnectArgs {
        ConnectArgs {
            server: self.server.or(outer.server),
            token: self.token.or(outer.token),
            token_stdin: self.token_stdin || outer.token_stdin,
            backend: self.backend.or(outer.backend),
            organization: self.organization.or(outer.organization),
            email: self.email.or(outer.email),
            profile: self.profile.or(outer.profile),
            insecure_http: self.insecure_http || outer.insecure_http,
        }
    }
}

/// How the inbox opens (the inbox itself and the demo).
#[derive(Debug, Args, Clone, Default)]
pub struct SessionArgs {
    /// The view to start in [default: all]
    #[arg(long, value_enum)]
    pub view: Option<StartView>,
    /// A supervisor's view: every change is refused on screen and nothing is written to the server
    #[arg(long)]
    pub read_only: bool,
    /// Colours: dark, light (for light backgrounds), 16 (the terminal's own colours) or mono; NO_COLOR means
    /// mono unless this is given [default: the config's `theme`, else dark]
    #[arg(long, env = "TINBOX_THEME")]
    pub theme: Option<String>,
}

impl SessionArgs {
    /// These options, with those given before the subcommand filling what these leave out.
    pub fn or(self, outer: SessionArgs) -> SessionArgs {
        SessionArgs {
            view: self.view.or(outer.view),
            read_only: self.read_only || outer.read_only,
            theme: self.theme.or(outer.theme),
        }
    }

    /// The theme in force: `--theme`, else mono under `NO_COLOR`, else the config's, else dark.
    pub fn theme(&self, configured: Option<&str>) -> anyhow::Result<crate::ui::theme::Theme> {
        use crate::ui::theme::{DARK, MONO, Theme};
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let named = |n: &str, from: &str| {
            Theme::named(n).ok_or_else(|| anyhow::anyhow!("unknown theme {n:?} in {from}: use dark, light, 16 or mono"))
        };
        match (&self.theme, configured) {
            (Some(n), _) => named(n, "--theme"),
            (None, _) if no_color => Ok(MONO),
            (None, Some(n)) => named(n, "the config's theme"),
            (None, None) => Ok(DARK),
        }
    }
}

/// The log file's level.
#[derive(Debug, Args, Clone, Default)]
pub struct LogArgs {
    /// Log level (error, warn, info, debug, trace) [default: info]; the inbox logs to a file, serve to standard error
    #[arg(long, env = "TINBOX_LOG")]
    pub log_level: Option<String>,
}

impl LogArgs {
    /// The level asked for here, else before the subcommand, else info.
    pub fn level(&self, outer: &LogArgs) -> String {
        self.log_level.clone().or_else(|| outer.log_level.clone()).unwrap_or_else(|| "info".into())
    }
}

/// The view the inbox opens in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StartView {
    /// Conversations assigned to me
    Mine,
    /// Conversations nobody has taken
    Unassigned,
    /// Every conversation
    #[default]
    All,
}

impl From<StartView> for crate::app::View {
    fn from(v: StartView) -> Self {
        match v {
            StartView::Mine => crate::app::View::Mine,
            StartView::Unassigned => crate::app::View::Unassigned,
            StartView::All => crate::app::View::All,
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the reference server with demo data and open the inbox on it
    Demo {
        /// Which demo agent to be (alice, bruno, chloe, dmitri, emeka, fatima, hiro, ingrid, yael)
        #[arg(long, default_value = "alice")]
        agent: String,
        /// Keep the demo still: no simulated customer messages
        #[arg(long)]
        no_simulate: bool,
        /// How the inbox opens.
        #[command(flatten)]
        session: SessionArgs,
        /// The log.
        #[command(flatten)]
        log: LogArgs,
    },
    /// Run the reference server (tinbox's native API with demo data)
    Serve {
        /// Address to listen on; keep it on loopback unless you mean to share it
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: SocketAddr,
        /// Make customers write in every few seconds
        #[arg(long)]
        simulate: bool,
        /// Serve no live stream (clients fall back to polling)
        #[arg(long)]
        no_events: bool,
        /// Inject faults, e.g. 'error=0.2,latency=1500ms,malformed=0.05,drop=0.05,rate_limit=0.1' (seed=N repeats them)
        #[arg(long)]
        faults: Option<FaultSpec>,
        /// The log (to standard error).
        #[command(flatten)]
        log: LogArgs,
    },
    /// Configuration helpers
    Config {
        /// What to do
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Export data from the server
    Export {
        /// What to export
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Print one line for a status bar (unread, waiting on me, longest wait) and exit
    Status {
        /// Where to connect.
        #[command(flatten)]
        connect: ConnectArgs,
    },
    /// Print a shell completion script: `tinbox completions bash > ~/.local/share/bash-completion/completions/tinbox`
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `tinbox man | man -l -`
    Man,
}

/// `tinbox config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the config file's path
    Path,
}

/// `tinbox export ...`
#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// All contacts as CSV
    Contacts {
        /// File to write (standard output when absent)
        file: Option<PathBuf>,
        /// Where to connect.
        #[command(flatten)]
        connect: ConnectArgs,
    },
}

/// How `--faults` is read: the reference server's own parser when it is built in.
#[cfg(feature = "server")]
pub type FaultSpec = crate::server::faults::Faults;
/// How `--faults` is read: as plain text when the reference server is not built in.
#[cfg(not(feature = "server"))]
pub type FaultSpec = String;
