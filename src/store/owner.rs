//! Whose data a file holds: one server and one agent. Drafts and the offline cache live under their owner,
//! so nothing written on one server, or by one agent, is ever offered on another or to another.

use super::files::{create_private_dir, write_private};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One server and one agent on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The server's address.
    pub server: String,
    /// The agent's id on that server.
    pub agent: String,
}

fn safe(s: &str) -> String {
    s.trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect()
}

impl Owner {
    /// A file-name-safe key that differs for every server and agent ("agt_alice@inbox.example.com").
    pub fn key(&self) -> String {
        // A hash of the exact pair keeps two owners apart even where the safe spelling of both is the same.
        let digest = Sha256::digest(format!("{}\n{}", self.server, self.agent).as_bytes());
        let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("{}@{}-{short}", safe(&self.agent), safe(&self.server))
    }
}

/// A fingerprint of the credential an agent signs in with (never the credential itself).
pub fn fingerprint(server: &str, credential: &str) -> String {
    let digest = Sha256::digest(format!("tinbox identity\n{server}\n{credential}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Which agent each credential signed in as, learned online, so an offline start knows whose inbox to show.
#[derive(Debug, Clone)]
pub struct Identities {
    path: PathBuf,
}

impl Identities {
    /// The record in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self { path: dir.join("identities.json") }
    }

    fn load(&self) -> BTreeMap<String, String> {
        std::fs::read(&self.path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// The agent this credential signed in as last time, if known.
    pub fn agent_for(&self, fingerprint: &str) -> Option<String> {
        self.load().remove(fingerprint)
    }

    /// Records that this credential belongs to `agent`.
    pub fn remember(&self, fingerprint: &str, agent: &str) -> std::io::Result<()> {
        let mut all = self.load();
        if all.get(fingerprint).map(String::as_str) == Some(agent) {
            return Ok(());
        }
        all.insert(fingerprint.to_string(), agent.to_string());
        if let Some(dir) = self.path.parent() {
            create_private_dir(dir)?;
        }
        let bytes = serde_json::to_vec(&all).map_err(std::io::Error::other)?;
        write_private(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_per_server_and_agent() {
        let a = Owner { server: "https://a.example.com".into(), agent: "agt_1".into() };
        let b = Owner { server: "https://b.example.com".into(), agent: "agt_1".into() };
        let c = Owner { server: "https://a.example.com".into(), agent: "agt_2".into() };
        let d = Owner { server: "http://a.example.com".into(), agent: "agt_1".into() };
        let keys = [a.key(), b.key(), c.key(), d.key()];
        for (i, x) in keys.iter().enumerate() {
            assert!(keys.iter().skip(i + 1).all(|y| y != x), "{keys:?}");
            assert!(x.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c)), "{x}");
        }
    }

    #[test]
    fn identities_are_remembered_without_the_credential() {
        let dir = tempfile::tempdir().unwrap();
        let ids = Identities::new(dir.path());
        let f = fingerprint("https://a", "secret-token");
        assert_eq!(ids.agent_for(&f), None);
        ids.remember(&f, "agt_1").unwrap();
        assert_eq!(ids.agent_for(&f).as_deref(), Some("agt_1"));
        let raw = std::fs::read_to_string(dir.path().join("identities.json")).unwrap();
        assert!(!raw.contains("secret-token"));
    }
}
