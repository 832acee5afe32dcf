//! Drafts on disk: one file per conversation, mode 0600, written atomically (temporary file, then rename).

use super::files::{create_private_dir, private_file, write_private};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The conversation it belongs to.
    pub conversation_id: String,
    /// A private note rather than a reply.
    pub private: bool,
    /// The text.
    pub text: String,
    /// The key the send uses, kept so a send retried after a crash creates one message.
    pub idempotency_key: String,
}

/// The drafts directory.
#[derive(Debug, Clone)]
pub struct Drafts {
    dir: PathBuf,
}

fn file_name(conversation_id: &str) -> String {
    // Ids come from the server: keep the file name to safe characters.
    let safe: String = conversation_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    format!("{safe}.json")
}

impl Drafts {
    /// Drafts under `<data dir>/drafts`.
    pub fn new(data_dir: &Path) -> Self {
        Self { dir: data_dir.join("drafts") }
    }

    /// Every saved draft, by conversation id; unreadable files are skipped.
    pub fn load_all(&self) -> HashMap<String, Draft> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return HashMap::new() };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| std::fs::read(e.path()).ok())
            .filter_map(|bytes| serde_json::from_slice::<Draft>(&bytes).ok())
            .map(|d| (d.conversation_id.clone(), d))
            .collect()
    }

    /// Saves a draft (an empty text removes it).
    pub fn save(&self, d: &Draft) -> std::io::Result<()> {
        if d.text.trim().is_empty() {
            return self.remove(&d.conversation_id);
        }
        create_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec(d).map_err(std::io::Error::other)?;
        write_private(&self.dir.join(file_name(&d.conversation_id)), &bytes)
    }

    /// A private scratch file holding `text`, for editing in `$EDITOR`.
    pub fn scratch_file(&self, text: &str) -> std::io::Result<PathBuf> {
        create_private_dir(&self.dir)?;
        let path = self.dir.join(format!(".edit-{}.txt", std::process::id()));
        let mut f = private_file(&path)?;
        f.write_all(text.as_bytes())?;
        Ok(path)
    }

    /// Removes a conversation's draft.
    pub fn remove(&self, conversation_id: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.dir.join(file_name(conversation_id))) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_private_and_removable() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::new(dir.path());
        let d = Draft {
            conversation_id: "conv/../x".into(),
            private: true,
            text: "hello\nthere".into(),
            idempotency_key: "k".into(),
        };
        drafts.save(&d).unwrap();
        assert_eq!(drafts.load_all().get("conv/../x"), Some(&d));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let f = dir.path().join("drafts").join("conv____x.json");
            assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(dir.path().join("drafts")).unwrap().permissions().mode() & 0o777, 0o700);
        }
        drafts.save(&Draft { text: "  ".into(), ..d.clone() }).unwrap();
        assert!(drafts.load_all().is_empty(), "an emptied draft is removed");
    }
}
