//! Configuration: the TOML file with named profiles, and where tinbox keeps its files.

use crate::secret::Secret;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The config file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used when `--profile` is not given.
    pub default_profile: Option<String>,
    /// Named connection profiles.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// How much tinbox takes from a server before it stops reading.
    #[serde(default)]
    pub limits: Limits,
    /// The colours: dark, light, 16 or mono (`--theme` wins; NO_COLOR means mono).
    pub theme: Option<String>,
    /// How the agent is alerted (`[notify]`: bell, desktop).
    #[serde(default)]
    pub notify: crate::escapes::Alerts,
    /// The agent's own keys (read with their locations by [`crate::keymap::load`]).
    #[serde(default)]
    pub keys: Option<toml::Table>,
}

/// The `[limits]` table: the caps that keep a hostile or broken server from growing tinbox without bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The largest answer read, in MB.
    pub answer_mb: usize,
    /// The longest live-stream line, event or WebSocket message, in KB.
    pub stream_kb: usize,
    /// Live changes held for the screen before tinbox reloads instead of replaying them.
    pub live_queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            answer_mb: crate::backend::net::BODY_CAP >> 20,
            stream_kb: crate::backend::net::STREAM_CAP >> 10,
            live_queue: crate::worker::DEFAULT_PENDING_CAP,
        }
    }
}

impl Limits {
    /// Puts the byte caps in force for this process (the live queue goes to the worker).
    pub fn apply(&self) {
        crate::backend::net::set_caps(crate::backend::net::Caps {
            answer: self.answer_mb.saturating_mul(1 << 20),
            stream: self.stream_kb.saturating_mul(1 << 10),
        });
    }
}

/// One named connection.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Server base URL.
    pub server: Option<String>,
    /// The token itself (the file must then be private to the user).
    pub token: Option<Secret>,
    /// A command that prints the token, e.g. `pass show inbox`.
    pub token_command: Option<String>,
    /// `native`, `whatomate` or `imbrace`.
    pub backend: Option<String>,
    /// imBrace: the organization id sent as x-organization-id.
    pub organization: Option<String>,
    /// Whatomate: sign in with this email and a password instead of an API key.
    pub email: Option<String>,
    /// Whatomate: a command that prints the password (else TINBOX_PASSWORD, else tinbox asks).
    pub password_command: Option<String>,
    /// A supervisor's profile: the inbox opens read-only, as with `--read-only`.
    #[serde(default)]
    pub read_only: bool,
}

/// Why the configuration could not be used, in words that say how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The profile does not exist.
    #[error("there is no profile \"{name}\" in {path} (profiles: {known})")]
    NoProfile {
        /// Asked-for name.
        name: String,
        /// The file.
        path: String,
        /// Names that exist.
        known: String,
    },
    /// No server was named anywhere.
    #[error("no server given: pass --server URL, set TINBOX_SERVER, or add a profile to {0} (or try `tinbox demo`)")]
    NoServer(String),
    /// No token was found anywhere.
    #[error("no token given: pass --token-stdin, set TINBOX_TOKEN, or set token or token_command in a profile of {0}")]
    NoToken(String),
    /// `--token-stdin` read nothing.
    #[error("--token-stdin read no token: give it on standard input's first line (e.g. from a password manager)")]
    NoTokenOnStdin,
    /// The token command failed.
    #[error("token_command failed: {0}")]
    TokenCommand(String),
    /// No password for an email sign-in, and no terminal to ask on.
    #[error("no password for {0}: set TINBOX_PASSWORD or a profile's password_command")]
    NoPassword(String),
    /// A token in a file others can read.
    #[error("{0} holds a token but other users can read it; run: chmod 600 {0}")]
    Exposed(String),
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tinbox")
}

/// The config file's path (`TINBOX_CONFIG` overrides).
pub fn config_path() -> PathBuf {
    std::env::var_os("TINBOX_CONFIG")
        .map(PathBuf::from)
        .or_else(|| project_dirs().map(|d| d.config_dir().join("config.toml")))
        .unwrap_or_else(|| PathBuf::from("tinbox.toml"))
}

/// Where logs and drafts live (`TINBOX_DATA_DIR` overrides).
pub fn data_dir() -> PathBuf {
    std::env::var_os("TINBOX_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| project_dirs().map(|d| d.data_dir().to_path_buf()))
        .unwrap_or_else(|| std::env::temp_dir().join("tinbox"))
}

/// Where the offline cache lives (`TINBOX_CACHE_DIR` overrides; with `TINBOX_DATA_DIR` set, beside it).
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TINBOX_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("TINBOX_DATA_DIR") {
        return PathBuf::from(dir).join("cache");
    }
    project_dirs().map(|d| d.cache_dir().to_path_buf()).unwrap_or_else(|| data_dir().join("cache"))
}

/// Reads the config file; a missing file is an empty config.
pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => return Err(ConfigError::Read { path: shown, reason: e.to_string() }),
    };
    let config: ConfigFile = parse(&text, &shown)?;
    if config.profiles.values().any(|p| p.token.is_some()) && readable_by_others(path) {
        return Err(ConfigError::Exposed(shown));
    }
    Ok(config)
}

/// Parses config text, locating any error by line and column.
pub fn parse(text: &str, path: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| located(text, path, e.span().map(|s| s.start).unwrap_or(0), e.message()))
}

/// An error at byte `offset` of file `path` (whose text is `text`), by line and column.
pub fn located(text: &str, path: &str, offset: usize, message: impl Into<String>) -> ConfigError {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    ConfigError::Parse { path: path.to_string(), line, column, message: message.into() }
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map(|m| m.permissions().mode() & 0o044 != 0).unwrap_or(false)
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> bool {
    false
}

/// Who tinbox signs in as.
#[derive(Debug, Clone)]
pub enum Identity {
    /// An API token (native, imBrace, or a Whatomate API key).
    Token(Secret),
    /// A Whatomate email and password.
    Login {
        /// The sign-in email.
        email: String,
        /// The password.
        password: Secret,
    },
}

/// Where to connect and as whom.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Server base URL.
    pub server: String,
    /// The token, or an email and password.
    pub identity: Identity,
    /// Backend kind.
    pub backend: String,
    /// imBrace's organization id.
    pub organization: Option<String>,
    /// The config's caps.
    pub limits: Limits,
    /// The profile asks for a read-only session.
    pub read_only: bool,
    /// The config's theme, if it names one.
    pub theme: Option<String>,
    /// The config's alerts.
    pub alerts: crate::escapes::Alerts,
}

/// Combines command line (already merged with the environment by clap) and profile; the command line wins.
pub fn resolve(args: &crate::cli::ConnectArgs) -> Result<Connection, ConfigError> {
    let path = config_path();
    let shown = path.display().to_string();
    let file = load(&path)?;
    let name = args.profile.clone().or(file.default_profile.clone());
    let chosen = match &name {
        Some(n) => Some(file.profiles.get(n).ok_or_else(|| ConfigError::NoProfile {
            name: n.clone(),
            path: shown.clone(),
            known: if file.profiles.is_empty() {
                "none".into()
            } else {
                file.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
            },
        })?),
        None => None,
    };
    let from_profile = |f: fn(&Profile) -> Option<String>| chosen.and_then(f);
    let server = args
        .server
        .clone()
        .or_else(|| from_profile(|p| p.server.clone()))
        .ok_or_else(|| ConfigError::NoServer(shown.clone()))?;
    let email = args.email.clone().or_else(|| from_profile(|p| p.email.clone()));
    let identity = match (&args.token, email) {
        _ if args.token_stdin => Identity::Token(token_from_stdin()?),
        (Some(t), _) => {
            if given_on_command_line() {
                // Once, before the screen is taken: the agent can still read it after quitting.
                eprintln!(
                    "tinbox: a token given with --token is visible to other users of this machine (ps); \
                     prefer --token-stdin, TINBOX_TOKEN or a profile's token_command"
                );
            }
            Identity::Token(Secret::new(t.clone()))
        }
        (None, Some(email)) => Identity::Login { password: password(&email, chosen)?, email },
        (None, None) => Identity::Token(match chosen {
            Some(Profile { token: Some(t), .. }) => t.clone(),
            Some(Profile { token_command: Some(cmd), .. }) => run_token_command(cmd)?,
            _ => return Err(ConfigError::NoToken(shown)),
        }),
    };
    let backend =
        args.backend.clone().or_else(|| from_profile(|p| p.backend.clone())).unwrap_or_else(|| "native".into());
    let organization = args.organization.clone().or_else(|| from_profile(|p| p.organization.clone()));
    let read_only = chosen.is_some_and(|p| p.read_only);
    Ok(Connection {
        server,
        identity,
        backend,
        organization,
        limits: file.limits,
        read_only,
        theme: file.theme,
        alerts: file.notify,
    })
}

/// True when `--token` itself is among the arguments (not TINBOX_TOKEN, which clap reads into it too).
fn given_on_command_line() -> bool {
    std::env::args_os().any(|a| a == "--token" || a.to_string_lossy().starts_with("--token="))
}

/// `--token-stdin`: the first line of standard input, or asked for (unechoed) when that is a terminal.
fn token_from_stdin() -> Result<Secret, ConfigError> {
    let token = if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        rpassword::prompt_password("Token: ").unwrap_or_default()
    } else {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line)
            .map_err(|_| ConfigError::NoTokenOnStdin)?;
        line
    };
    let token = token.trim();
    if token.is_empty() {
        return Err(ConfigError::NoTokenOnStdin);
    }
    Ok(Secret::new(token))
}

/// The password for an email sign-in: TINBOX_PASSWORD, the profile's password_command, or asked for on
/// the terminal (never echoed).
fn password(email: &str, profile: Option<&Profile>) -> Result<Secret, ConfigError> {
    if let Some(p) = std::env::var("TINBOX_PASSWORD").ok().filter(|p| !p.is_empty()) {
        return Ok(Secret::new(p));
    }
    if let Some(cmd) = profile.and_then(|p| p.password_command.as_deref()) {
        return run_token_command(cmd);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return rpassword::prompt_password(format!("Password for {email}: "))
            .ok()
            .filter(|p| !p.is_empty())
            .map(Secret::new)
            .ok_or_else(|| ConfigError::NoPassword(email.to_string()));
    }
    Err(ConfigError::NoPassword(email.to_string()))
}

fn run_token_command(cmd: &str) -> Result<Secret, ConfigError> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| ConfigError::TokenCommand(format!("could not run it: {e}")))?;
    if !out.status.success() {
        return Err(ConfigError::TokenCommand(format!("it exited with {}", out.status)));
    }
    let token = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").trim().to_string();
    if token.is_empty() {
        return Err(ConfigError::TokenCommand("it printed nothing".into()));
    }
    Ok(Secret::new(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_say_where() {
        let err = parse("[profiles.work]\nserver = \"x\"\nsevrer = 1\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:3:1:"), "{err}");
        assert!(err.contains("sevrer"), "{err}");
    }

    #[test]
    fn profiles_parse() {
        let c =
            parse("default_profile = \"w\"\n[profiles.w]\nserver = \"http://x\"\ntoken_command = \"echo t\"\n", "c")
                .unwrap();
        assert_eq!(c.profiles["w"].token_command.as_deref(), Some("echo t"));
    }
}
