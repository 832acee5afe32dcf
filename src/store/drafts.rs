//! Drafts on disk: one file per conversation and kind (reply or note), under the owner (server and agent)
//! who wrote it; mode 0600, written atomically (temporary file, then rename).

use super::files::{create_private_dir, private_file, write_private};
use super::owner::Owner;
use crate::app::{Draft, DraftKey, MessageKind};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A draft file as any version wrote it: before kinds, a note said `"private": true`.
#[derive(Deserialize)]
struct Stored {
    conversation_id: String,
    #[serde(default)]
    kind: Option<MessageKind>,
    #[serde(default)]
    private: bool,
    text: String,
    #[serde(default)]
    idempotency_key: String,
}

impl From<Stored> for Draft {
    fn from(s: Stored) -> Self {
        let kind = s.kind.unwrap_or(if s.private { MessageKind::Note } else { MessageKind::Reply });
        Draft { conversation_id: s.conversation_id.into(), kind, text: s.text, idempotency_key: s.idempotency_key }
    }
}

/// One owner's drafts directory.
#[derive(Debug, Clone)]
pub struct Drafts {
    root: PathBuf,
    dir: PathBuf,
}

fn file_name(conversation_id: &str, kind: MessageKind) -> String {
    // Ids come from the server: keep the file name to safe characters.
    let safe: String = conversation_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    match kind {
        MessageKind::Reply => format!("{safe}.reply.json"),
        MessageKind::Note => format!("{safe}.note.json"),
    }
}

fn read_dir(dir: &Path) -> Vec<(PathBuf, Draft)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let d: Stored = serde_json::from_slice(&bytes).ok()?;
            Some((p, d.into()))
        })
        .collect()
}

impl Drafts {
    /// The drafts `owner` wrote, under `<data dir>/drafts/<owner>`.
    pub fn new(data_dir: &Path, owner: &Owner) -> Self {
        let root = data_dir.join("drafts");
        Self { dir: root.join(owner.key()), root }
    }

    /// Every saved draft, by conversation and kind; unreadable files are skipped.
    pub fn load_all(&self) -> HashMap<DraftKey, Draft> {
        read_dir(&self.dir).into_iter().map(|(_, d)| (d.key(), d)).collect()
    }

    /// Moves drafts written before drafts had owners into this owner's directory. Only call this when the
    /// owner is certain (this data directory has only ever been used for this server and agent).
    pub fn adopt_unowned(&self) -> std::io::Result<usize> {
        let old = read_dir(&self.root);
        for (path, d) in &old {
            self.save(d)?;
            std::fs::remove_file(path)?;
        }
        Ok(old.len())
    }

    /// Saves a draft (an empty text removes it).
    pub fn save(&self, d: &Draft) -> std::io::Result<()> {
        if d.text.trim().is_empty() {
            return self.remove(&d.conversation_id, d.kind);
        }
        create_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec(d).map_err(std::io::Error::other)?;
        write_private(&self.dir.join(file_name(&d.conversation_id, d.kind)), &bytes)
    }

    /// A private scratch file holding `text`, for editing in `$EDITOR`.
    pub fn scratch_file(&self, text: &str) -> std::io::Result<PathBuf> {
        create_private_dir(&self.dir)?;
        let path = self.dir.join(format!(".edit-{}.txt", std::process::id()));
        let mut f = private_file(&path)?;
        f.write_all(text.as_bytes())?;
        Ok(path)
    }

    /// Removes a conversation's draft of one kind.
    pub fn remove(&self, conversation_id: &str, kind: MessageKind) -> std::io::Result<()> {
        match std::fs::remove_file(self.dir.join(file_name(conversation_id, kind))) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(server: &str, agent: &str) -> Owner {
        Owner { server: server.into(), agent: agent.into() }
    }

    fn draft(kind: MessageKind, text: &str) -> Draft {
        Draft { conversation_id: "conv/../x".into(), kind, text: text.into(), idempotency_key: "k".into() }
    }

    #[test]
    fn round_trip_private_and_removable() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::new(dir.path(), &owner("https://a", "agt_1"));
        let d = draft(MessageKind::Note, "hello\nthere");
        drafts.save(&d).unwrap();
        assert_eq!(drafts.load_all().get(&d.key()), Some(&d));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let f = drafts.dir.join("conv____x.note.json");
            assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(&drafts.dir).unwrap().permissions().mode() & 0o777, 0o700);
        }
        drafts.save(&Draft { text: "  ".into(), ..d.clone() }).unwrap();
        assert!(drafts.load_all().is_empty(), "an emptied draft is removed");
    }

    #[test]
    fn a_reply_and_a_note_are_kept_apart() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::new(dir.path(), &owner("https://a", "agt_1"));
        drafts.save(&draft(MessageKind::Note, "internal: refund approved")).unwrap();
        drafts.save(&draft(MessageKind::Reply, "Your refund is on its way")).unwrap();
        let all = drafts.load_all();
        assert_eq!(all[&(crate::domain::Clean::new("conv/../x"), MessageKind::Note)].text, "internal: refund approved");
        assert_eq!(
            all[&(crate::domain::Clean::new("conv/../x"), MessageKind::Reply)].text,
            "Your refund is on its way"
        );
        drafts.remove("conv/../x", MessageKind::Reply).unwrap();
        assert_eq!(drafts.load_all().len(), 1, "removing the reply leaves the note");
    }

    #[test]
    fn another_server_or_agent_never_sees_a_draft() {
        let dir = tempfile::tempdir().unwrap();
        Drafts::new(dir.path(), &owner("https://a", "agt_1")).save(&draft(MessageKind::Reply, "for A")).unwrap();
        assert!(Drafts::new(dir.path(), &owner("https://b", "agt_1")).load_all().is_empty());
        assert!(Drafts::new(dir.path(), &owner("https://a", "agt_2")).load_all().is_empty());
    }

    #[test]
    fn unowned_drafts_of_older_versions_are_read_with_their_kind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(&root).unwrap();
        let old = r#"{"conversation_id":"c1","private":true,"text":"a note","idempotency_key":"k1"}"#;
        std::fs::write(root.join("c1.json"), old).unwrap();
        let drafts = Drafts::new(dir.path(), &owner("https://a", "agt_1"));
        assert!(drafts.load_all().is_empty(), "not offered until adopted");
        assert_eq!(drafts.adopt_unowned().unwrap(), 1);
        let all = drafts.load_all();
        assert_eq!(all[&(crate::domain::Clean::new("c1"), MessageKind::Note)].text, "a note");
        assert!(!root.join("c1.json").exists());
    }
}
