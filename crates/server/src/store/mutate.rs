//! Changes to server state. Every change records its activity, raises the notifications a real inbox
//! would, and appends the live events every connected client needs.

use super::{ActivityRec, CommentRec, MsgRec, NotifRec, Store, Time};
use serde_json::Value;

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// 404: the named thing does not exist.
    NotFound(String),
    /// 422: the input is not acceptable.
    Invalid(String),
}

/// A conversation change as sent by PATCH.
#[derive(Debug, Default)]
pub struct Patch {
    pub status: Option<String>,
    pub priority: Option<String>,
    pub labels: Option<Vec<String>>,
    pub subject: Option<String>,
}

const STATUSES: [&str; 3] = ["open", "closed", "archived"];
const PRIORITIES: [&str; 3] = ["low", "medium", "high"];

fn preview(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(140).collect()
}

impl Store {
    fn name_of(&self, agent: &str) -> String {
        self.agent(agent).map(|a| a.name.clone()).unwrap_or_else(|| agent.to_string())
    }

    /// Records an activity on a conversation.
    pub fn record_activity(&mut self, conv: &str, kind: &str, actor: Option<&str>, detail: String, now: Time) {
        let id = self.new_id("act");
        let rec = ActivityRec { id, kind: kind.into(), actor: actor.map(String::from), detail, created_at: now };
        self.activities.entry(conv.to_string()).or_default().push(rec);
    }

    /// Raises a notification for `recipient` and streams it to them.
    #[allow(clippy::too_many_arguments)]
    pub fn notify(
        &mut self,
        recipient: &str,
        kind: &str,
        title: String,
        body: String,
        conversation_id: Option<String>,
        contact_id: Option<String>,
        actor: Option<&str>,
        now: Time,
    ) {
        let id = self.new_id("ntf");
        let n = NotifRec {
            id,
            recipient: recipient.to_string(),
            kind: kind.into(),
            title,
            body,
            conversation_id,
            contact_id,
            actor: actor.map(String::from),
            is_read: false,
            created_at: now,
        };
        let data = self.notification_json(&n);
        self.notifications.push(n);
        self.push_event("notification.created", Some(recipient.to_string()), data);
    }

    /// Streams the conversation's current state to every agent.
    pub fn emit_conversation(&mut self, idx: usize) {
        let data = self.conversation_json(&self.conversations[idx]);
        self.push_event("conversation.updated", None, data);
    }

    fn title_of(&self, idx: usize) -> (String, String, String) {
        let c = &self.conversations[idx];
        let who = self.contact(&c.contact_id).map(|x| x.full_name()).unwrap_or_default();
        let subject = c.subject.clone().unwrap_or_else(|| "(no subject)".into());
        (c.id.clone(), c.contact_id.clone(), format!("{who} — {subject}"))
    }

    /// Assigns (or with `None` unassigns) a conversation; the later assignment wins.
    pub fn assign(&mut self, idx: usize, agent: Option<String>, actor: &str, now: Time) -> Result<(), Refusal> {
        if let Some(a) = &agent
            && self.agent(a).is_none()
        {
            return Err(Refusal::Invalid(format!("there is no agent {a}")));
        }
        let (conv_id, contact_id, what) = self.title_of(idx);
        let c = &mut self.conversations[idx];
        c.assignee = agent.clone();
        c.updated_at = now;
        match &agent {
            Some(a) => {
                let detail = format!("{} assigned it to {}", self.name_of(actor), self.name_of(a));
                self.record_activity(&conv_id, "assigned", Some(actor), detail, now);
                if a != actor {
                    let title = format!("{} assigned you a conversation", self.name_of(actor));
                    self.notify(a, "assigned", title, what, Some(conv_id), Some(contact_id), Some(actor), now);
                }
            }
            None => {
                let detail = format!("{} unassigned it", self.name_of(actor));
                self.record_activity(&conv_id, "unassigned", Some(actor), detail, now);
            }
        }
        self.emit_conversation(idx);
        Ok(())
    }

    /// Applies a PATCH after validating every field (all or nothing).
    pub fn patch(&mut self, idx: usize, p: Patch, actor: &str, now: Time) -> Result<(), Refusal> {
        if let Some(s) = &p.status
            && !STATUSES.contains(&s.as_str())
        {
            return Err(Refusal::Invalid(format!("status must be one of {}", STATUSES.join(", "))));
        }
        if let Some(s) = &p.priority
            && !PRIORITIES.contains(&s.as_str())
        {
            return Err(Refusal::Invalid(format!("priority must be one of {}", PRIORITIES.join(", "))));
        }
        if let Some(labels) = &p.labels
            && labels.iter().any(|l| l.trim().is_empty() || l.len() > 64)
        {
            return Err(Refusal::Invalid("labels must be non-empty and at most 64 characters".into()));
        }
        let (conv_id, contact_id, what) = self.title_of(idx);
        let who = self.name_of(actor);
        let before = self.conversations[idx].clone();
        let c = &mut self.conversations[idx];
        let mut changes: Vec<(&str, String)> = Vec::new();
        if let Some(s) = p.status.filter(|s| *s != before.status) {
            changes.push(("status", format!("{who} changed status from {} to {s}", before.status)));
            c.status = s;
        }
        if let Some(pr) = p.priority.filter(|x| *x != before.priority) {
            changes.push(("priority", format!("{who} changed priority from {} to {pr}", before.priority)));
            c.priority = pr;
        }
        if let Some(mut labels) = p.labels {
            labels.dedup();
            if labels != before.labels {
                changes.push(("labels", format!("{who} set labels to [{}]", labels.join(", "))));
                c.labels = labels;
            }
        }
        if let Some(s) = p.subject.filter(|s| Some(s) != before.subject.as_ref()) {
            changes.push(("subject", format!("{who} changed the subject to \"{s}\"")));
            c.subject = Some(s);
        }
        if changes.is_empty() {
            return Ok(());
        }
        c.updated_at = now;
        let assignee = c.assignee.clone();
        let status_changed = changes.iter().any(|(k, _)| *k == "status");
        for (kind, detail) in changes {
            self.record_activity(&conv_id, kind, Some(actor), detail, now);
        }
        if status_changed && let Some(a) = assignee.filter(|a| a != actor) {
            let status = self.conversations[idx].status.clone();
            let title = format!("{who} marked your conversation {status}");
            self.notify(&a, "status_changed", title, what, Some(conv_id), Some(contact_id), Some(actor), now);
        }
        self.emit_conversation(idx);
        Ok(())
    }

    /// Marks every message of the conversation read.
    pub fn mark_read(&mut self, idx: usize, now: Time) {
        let c = &mut self.conversations[idx];
        if c.unread_count > 0 {
            c.unread_count = 0;
            c.updated_at = now;
            self.emit_conversation(idx);
        }
    }

    /// Adds a message: from the customer (`author: None`) or from an agent (a reply or a private note).
    pub fn add_message(&mut self, idx: usize, author: Option<&str>, private: bool, text: &str, now: Time) -> MsgRec {
        let id = self.new_id("msg");
        let (conv_id, contact_id, _) = self.title_of(idx);
        let incoming = author.is_none();
        let msg = MsgRec {
            id,
            conversation_id: conv_id.clone(),
            incoming,
            private,
            author: author.map(String::from),
            text: text.to_string(),
            // A reply goes out later (see delivery.rs); a note and a customer message are where they belong.
            status: match (incoming, private) {
                (true, _) => "received".into(),
                (false, true) => "sent".into(),
                (false, false) => "pending".into(),
            },
            error: None,
            created_at: now,
        };
        self.messages.entry(conv_id.clone()).or_default().push(msg.clone());
        let c = &mut self.conversations[idx];
        c.message_count += 1;
        c.updated_at = now;
        if !private {
            c.last_message_at = Some(now);
            c.last_message_preview = Some(preview(text));
        }
        if incoming {
            c.last_inbound_at = Some(now);
            c.unread_count += 1;
            c.waiting_since.get_or_insert(now);
            if c.status != "open" {
                c.status = "open".into();
            }
        } else if !private {
            c.waiting_since = None;
        }
        let assignee = c.assignee.clone();
        let data = self.message_json(&msg);
        self.push_event("message.created", None, data);
        match author {
            None => {
                if let Some(a) = assignee {
                    let who = self.contact(&contact_id).map(|c| c.full_name()).unwrap_or_default();
                    let title = format!("New message from {who}");
                    self.notify(&a, "new_message", title, preview(text), Some(conv_id), Some(contact_id), None, now);
                }
            }
            Some(agent) if private => {
                self.record_activity(
                    &conv_id,
                    "note",
                    Some(agent),
                    format!("{} added a note", self.name_of(agent)),
                    now,
                );
                for m in self.mentions(text).into_iter().filter(|m| m != agent) {
                    let title = format!("{} mentioned you in a note", self.name_of(agent));
                    let (cv, ct) = (Some(conv_id.clone()), Some(contact_id.clone()));
                    self.notify(&m, "mention", title, preview(text), cv, ct, Some(agent), now);
                }
            }
            Some(_) => {}
        }
        self.emit_conversation(idx);
        msg
    }

    /// Adds a comment on a contact; each `@name` it mentions notifies that agent.
    pub fn add_comment(&mut self, contact_id: &str, author: &str, text: &str, now: Time) -> CommentRec {
        let id = self.new_id("cmt");
        let rec = CommentRec { id, text: text.to_string(), author: Some(author.to_string()), created_at: now };
        self.comments.entry(contact_id.to_string()).or_default().push(rec.clone());
        let conv = self.conversations.iter().filter(|c| c.contact_id == contact_id).max_by_key(|c| c.updated_at);
        let conv_id = conv.map(|c| c.id.clone());
        for m in self.mentions(text).into_iter().filter(|m| m != author) {
            let title = format!("{} mentioned you", self.name_of(author));
            let body = preview(text);
            self.notify(&m, "mention", title, body, conv_id.clone(), Some(contact_id.to_string()), Some(author), now);
        }
        rec
    }

    /// Agents named by `@first-name` or `@email-local-part` in the text.
    pub fn mentions(&self, text: &str) -> Vec<String> {
        let handles: Vec<String> = text
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '!' | '?' | '(' | ')'))
            .filter_map(|w| w.strip_prefix('@'))
            .map(|h| h.trim_end_matches('.').to_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        let mut out: Vec<String> = Vec::new();
        for a in &self.agents {
            let first = a.name.split_whitespace().next().unwrap_or("").to_lowercase();
            let local = a.email.split('@').next().unwrap_or("").to_lowercase();
            if handles.iter().any(|h| *h == first || *h == local) && !out.contains(&a.id) {
                out.push(a.id.clone());
            }
        }
        out
    }

    /// Deletes a contact and everything that hangs off it.
    pub fn delete_contact(&mut self, id: &str) -> Result<(), Refusal> {
        let before = self.contacts.len();
        self.contacts.retain(|c| c.id != id);
        if self.contacts.len() == before {
            return Err(Refusal::NotFound(format!("there is no contact {id}")));
        }
        let convs: Vec<String> =
            self.conversations.iter().filter(|c| c.contact_id == id).map(|c| c.id.clone()).collect();
        self.conversations.retain(|c| c.contact_id != id);
        for c in &convs {
            self.messages.remove(c);
            self.activities.remove(c);
        }
        self.comments.remove(id);
        self.files.remove(id);
        Ok(())
    }

    /// Merges metadata into a contact.
    pub fn merge_metadata(&mut self, idx: usize, meta: serde_json::Map<String, Value>) {
        self.contacts[idx].metadata.extend(meta);
    }
}
