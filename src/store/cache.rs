//! The offline cache: the last-seen inbox per owner (server and agent), so a start without a network shows
//! something true (marked stale, with its age) instead of an empty screen, and never another agent's inbox.

use super::files::{create_private_dir, write_private};
use super::owner::Owner;
pub use crate::app::Snapshot;
use std::path::{Path, PathBuf};

/// The cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

fn file_name(server: &str) -> String {
    let safe: String = server
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect();
    format!("{safe}.json")
}

impl Cache {
    /// A cache in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf() }
    }

    fn path(&self, owner: &Owner) -> PathBuf {
        self.dir.join(format!("{}.json", owner.key()))
    }

    /// The snapshot `owner` saved, if one was saved and can be read.
    pub fn load(&self, owner: &Owner) -> Option<Snapshot> {
        let bytes = std::fs::read(self.path(owner)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Saves `owner`'s snapshot.
    pub fn save(&self, owner: &Owner, snapshot: &Snapshot) -> std::io::Result<()> {
        create_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec(snapshot).map_err(std::io::Error::other)?;
        write_private(&self.path(owner), &bytes)
    }

    /// True when this cache shows that only `owner` has ever used it: the one snapshot an older version
    /// kept (one per server, with no owner) is this server's and was this agent's. Then unowned drafts are
    /// certainly theirs.
    pub fn only_user_was(&self, owner: &Owner) -> bool {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return false };
        let files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        let legacy = self.dir.join(file_name(&owner.server));
        let [only] = files.as_slice() else { return false };
        if *only != legacy {
            return false;
        }
        let snapshot: Option<Snapshot> = std::fs::read(only).ok().and_then(|b| serde_json::from_slice(&b).ok());
        snapshot.and_then(|s| s.me).is_some_and(|me| me.id == owner.agent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_owner_has_its_own_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let a = Owner { server: "https://a".into(), agent: "agt_1".into() };
        let b = Owner { server: "https://a".into(), agent: "agt_2".into() };
        cache.save(&a, &Snapshot { view: "Mine".into(), ..Default::default() }).unwrap();
        assert_eq!(cache.load(&a).unwrap().view, "Mine");
        assert!(cache.load(&b).is_none(), "another agent never sees it");
    }
}
