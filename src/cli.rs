//! Command-line interface.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// A terminal inbox for support agents.
#[derive(Debug, Parser)]
#[command(name = "tinbox", version, about, long_about = None)]
pub struct Cli {
    /// Connection options.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// What to do (default: open the inbox).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where to connect and as whom.
#[derive(Debug, Args, Clone, Default)]
pub struct ConnectArgs {
    /// Server base URL, e.g. https://inbox.example.com
    #[arg(long, env = "TINBOX_SERVER", global = true)]
    pub server: Option<String>,
    /// API token or key (Whatomate: whm_…, imBrace: its x-api-key); prefer --token-stdin, TINBOX_TOKEN or
    /// a profile's token_command: arguments are visible to other users
    #[arg(long, env = "TINBOX_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
    /// Read the token from standard input's first line (asked for, unechoed, when that is a terminal)
    #[arg(long, global = true, conflicts_with = "token")]
    pub token_stdin: bool,
    /// Which API the server speaks: native, whatomate or imbrace
    #[arg(long, env = "TINBOX_BACKEND", global = true)]
    pub backend: Option<String>,
    /// Organization id sent to imBrace (x-organization-id)
    #[arg(long, env = "TINBOX_ORGANIZATION", global = true)]
    pub organization: Option<String>,
    /// Whatomate: sign in with this email and a password (from TINBOX_PASSWORD, a profile's password_command,
    /// or asked for) instead of an API key
    #[arg(long, env = "TINBOX_EMAIL", global = true)]
    pub email: Option<String>,
    /// Profile from the config file (see `tinbox config path`)
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Allow plain http to a server that is not on this machine (the token then crosses the network in clear)
    #[arg(long, global = true)]
    pub insecure_http: bool,
    /// The view to start in
    #[arg(long, value_enum, default_value = "all", global = true)]
    pub view: StartView,
    /// Log level for the log file (error, warn, info, debug, trace)
    #[arg(long, env = "TINBOX_LOG", default_value = "info", global = true)]
    pub log_level: String,
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
    },
}

/// How `--faults` is read: the reference server's own parser when it is built in.
#[cfg(feature = "server")]
pub type FaultSpec = crate::server::faults::Faults;
/// How `--faults` is read: as plain text when the reference server is not built in.
#[cfg(not(feature = "server"))]
pub type FaultSpec = String;
