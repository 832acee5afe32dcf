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
    /// `native` (more to come).
    pub backend: Option<String>,
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
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
    #[error("no token given: pass --token, set TINBOX_TOKEN, or set token or token_command in a profile of {0}")]
    NoToken(String),
    /// The token command failed.
    #[error("token_command failed: {0}")]
    TokenCommand(String),
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
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        ConfigError::Parse { path: path.to_string(), line, column, message: e.message().to_string() }
    })
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

/// Where to connect and as whom.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Server base URL.
    pub server: String,
    /// The token.
    pub token: Secret,
    /// Backend kind.
    pub backend: String,
}

/// Combines command line (already merged with the environment by clap) and profile; the command line wins.
pub fn resolve(
    server: Option<String>,
    token: Option<String>,
    profile: Option<&str>,
    backend: Option<String>,
) -> Result<Connection, ConfigError> {
    let path = config_path();
    let shown = path.display().to_string();
    let file = load(&path)?;
    let name = profile.map(String::from).or(file.default_profile.clone());
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
    let server =
        server.or_else(|| chosen.and_then(|p| p.server.clone())).ok_or_else(|| ConfigError::NoServer(shown.clone()))?;
    let token = match token {
        Some(t) => Secret::new(t),
        None => match chosen {
            Some(Profile { token: Some(t), .. }) => t.clone(),
            Some(Profile { token_command: Some(cmd), .. }) => run_token_command(cmd)?,
            _ => return Err(ConfigError::NoToken(shown)),
        },
    };
    let backend = backend.or_else(|| chosen.and_then(|p| p.backend.clone())).unwrap_or_else(|| "native".into());
    Ok(Connection { server, token, backend })
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
