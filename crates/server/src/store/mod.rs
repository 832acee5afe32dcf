//! The reference server's in-memory state: records, their JSON views, and the event log.

mod mutate;
mod query;

pub use mutate::{Patch, Refusal};
pub use query::ConversationFilter;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Server-side time.
pub type Time = DateTime<Utc>;

/// How many events the log keeps for `Last-Event-ID` resumes.
const EVENT_LOG_CAP: usize = 20_000;

/// An agent and the token that authenticates as them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentRec {
    pub id: String,
    pub name: String,
    pub email: String,
    pub available: bool,
    pub token: String,
}

/// A label.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabelRec {
    pub name: String,
    pub color: String,
}

/// A chatbot flow and its panel layout (stored free-form, as real servers do).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlowRec {
    pub id: String,
    pub name: String,
    pub panel_config: Value,
}

/// A contact's chatbot session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRec {
    pub session_id: String,
    pub flow_id: String,
    pub data: Map<String, Value>,
}

/// A contact.
#[derive(Debug, Clone)]
pub struct ContactRec {
    pub id: String,
    pub first_name: String,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub profile_name: Option<String>,
    pub preferred_channel: String,
    pub metadata: Map<String, Value>,
    pub status: String,
    pub account_id: Option<String>,
    pub assigned_to: Option<String>,
    pub created_at: Time,
    pub updated_at: Time,
    pub last_contacted: Option<Time>,
    pub session: Option<SessionRec>,
}

impl ContactRec {
    /// First and last name joined.
    pub fn full_name(&self) -> String {
        match &self.last_name {
            Some(l) if !l.is_empty() => format!("{} {}", self.first_name, l),
            _ => self.first_name.clone(),
        }
    }
}

/// A conversation, with its derived fields kept up to date by every mutation.
#[derive(Debug, Clone)]
pub struct ConvRec {
    pub id: String,
    pub contact_id: String,
    pub channel: String,
    pub subject: Option<String>,
    pub status: String,
    pub priority: String,
    pub assignee: Option<String>,
    pub labels: Vec<String>,
    pub tags: Vec<String>,
    pub created_at: Time,
    pub updated_at: Time,
    pub message_count: u32,
    pub unread_count: u32,
    pub last_message_at: Option<Time>,
    pub last_message_preview: Option<String>,
    pub waiting_since: Option<Time>,
    /// The customer's newest message, which opens WhatsApp's 24-hour reply window.
    pub last_inbound_at: Option<Time>,
}

/// A message.
#[derive(Debug, Clone)]
pub struct MsgRec {
    pub id: String,
    pub conversation_id: String,
    pub incoming: bool,
    pub private: bool,
    pub author: Option<String>,
    pub text: String,
    pub status: String,
    /// Why it was not delivered (only when `status` is `failed`).
    pub error: Option<String>,
    pub created_at: Time,
}

/// An approved WhatsApp template.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateRec {
    pub name: String,
    pub language: String,
    pub category: String,
    pub body: String,
}

/// A canned response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CannedRec {
    pub id: String,
    pub name: String,
    pub shortcut: String,
    pub content: String,
    pub uses: u64,
}

/// A conversation activity.
#[derive(Debug, Clone)]
pub struct ActivityRec {
    pub id: String,
    pub kind: String,
    pub actor: Option<String>,
    pub detail: String,
    pub created_at: Time,
}

/// A comment on a contact.
#[derive(Debug, Clone)]
pub struct CommentRec {
    pub id: String,
    pub text: String,
    pub author: Option<String>,
    pub created_at: Time,
}

/// A file on a contact.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRec {
    pub id: String,
    pub name: String,
    pub url: String,
    pub size: u64,
}

/// A notification for one agent.
#[derive(Debug, Clone)]
pub struct NotifRec {
    pub id: String,
    pub recipient: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub conversation_id: Option<String>,
    pub contact_id: Option<String>,
    pub actor: Option<String>,
    pub is_read: bool,
    pub created_at: Time,
}

/// An entry in the live event log; `recipient: None` goes to every agent.
#[derive(Debug, Clone)]
pub struct EventRec {
    pub id: u64,
    pub kind: &'static str,
    pub recipient: Option<String>,
    pub data: Value,
}

/// Conversation indices by contact id, with the (count, id counter) they were built at.
type ByContact = ((usize, u64), HashMap<String, Vec<usize>>);

/// All server state.
#[derive(Debug, Default)]
pub struct Store {
    pub agents: Vec<AgentRec>,
    pub labels: Vec<LabelRec>,
    pub flows: Vec<FlowRec>,
    pub contacts: Vec<ContactRec>,
    pub conversations: Vec<ConvRec>,
    pub messages: HashMap<String, Vec<MsgRec>>,
    pub activities: HashMap<String, Vec<ActivityRec>>,
    pub comments: HashMap<String, Vec<CommentRec>>,
    pub files: HashMap<String, Vec<FileRec>>,
    pub notifications: Vec<NotifRec>,
    pub templates: Vec<TemplateRec>,
    pub canned: Vec<CannedRec>,
    pub idempotency: HashMap<(String, String, String), String>,
    pub events: std::collections::VecDeque<EventRec>,
    pub next_event: u64,
    pub next_id: u64,
    /// Where each contact was last seen in `contacts`, checked on every use and rebuilt when wrong, so a
    /// page of a list of 100,000 conversations finds its contacts without scanning them all.
    pub(crate) contact_at: std::cell::RefCell<HashMap<String, usize>>,
    /// The conversations of each contact, rebuilt when their number or the id counter changes.
    pub(crate) conversations_of: std::cell::RefCell<ByContact>,
    /// Moves on whenever the store is locked to be changed ([`crate::Shared`]).
    pub(crate) revision: u64,
    /// The conversation list's orders computed at a revision, by filter: paging through 100,000
    /// conversations sorts them once, not once per page.
    pub(crate) ordered: std::cell::RefCell<query::Ordered>,
}

fn ts(t: &Time) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn ots(t: &Option<Time>) -> Value {
    t.as_ref().map(|t| Value::String(ts(t))).unwrap_or(Value::Null)
}

impl Store {
    /// A fresh id with a readable prefix.
    pub fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_{:06}", self.next_id)
    }

    /// The agent that holds `token`.
    pub fn agent_by_token(&self, token: &str) -> Option<&AgentRec> {
        self.agents.iter().find(|a| a.token == token)
    }

    /// The agent with this id.
    pub fn agent(&self, id: &str) -> Option<&AgentRec> {
        self.agents.iter().find(|a| a.id == id)
    }

    /// The contact with this id.
    pub fn contact(&self, id: &str) -> Option<&ContactRec> {
        let hint = self.contact_at.borrow().get(id).copied();
        if let Some(c) = hint.and_then(|i| self.contacts.get(i)).filter(|c| c.id == id) {
            return Some(c);
        }
        // Wrong or missing hint: rebuilt (a contact gone and another added leave the count unchanged).
        let mut at = self.contact_at.borrow_mut();
        *at = self.contacts.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        at.get(id).and_then(|i| self.contacts.get(*i))
    }

    /// The newest message time of any conversation with contact `id`.
    fn last_message_of(&self, id: &str) -> Option<Time> {
        let mut cache = self.conversations_of.borrow_mut();
        let generation = (self.conversations.len(), self.next_id);
        if cache.0 != generation {
            let mut by: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, v) in self.conversations.iter().enumerate() {
                by.entry(v.contact_id.clone()).or_default().push(i);
            }
            *cache = (generation, by);
        }
        let of = cache.1.get(id)?;
        of.iter()
            .filter_map(|i| self.conversations.get(*i))
            .filter(|v| v.contact_id == id)
            .filter_map(|v| v.last_message_at)
            .max()
    }

    /// The conversation's index.
    pub fn conv_index(&self, id: &str) -> Option<usize> {
        self.conversations.iter().position(|c| c.id == id)
    }

    /// An agent as the API shows it.
    pub fn agent_json(&self, a: &AgentRec) -> Value {
        let open = self
            .conversations
            .iter()
            .filter(|c| c.assignee.as_deref() == Some(a.id.as_str()) && c.status == "open")
            .count();
        json!({"id": a.id, "name": a.name, "email": a.email, "available": a.available, "open_conversations": open})
    }

    /// A contact as the API shows it: seed 001 and seed 002 fields together.
    pub fn contact_json(&self, c: &ContactRec) -> Value {
        let last_message_at = self.last_message_of(&c.id);
        let full = c.full_name();
        json!({
            "id": c.id, "phone": c.phone, "phone_number": c.phone, "email": c.email,
            "first_name": c.first_name, "last_name": c.last_name, "full_name": full, "name": full,
            "profile_name": c.profile_name.clone().unwrap_or_else(|| c.first_name.clone()),
            "avatar_url": format!("https://avatars.tinbox.invalid/{}.png", c.id),
            "account_id": c.account_id, "preferred_channel": c.preferred_channel, "metadata": c.metadata,
            "status": c.status, "assigned_to": c.assigned_to,
            "created_at": ts(&c.created_at), "updated_at": ts(&c.updated_at),
            "last_contacted": ots(&c.last_contacted), "last_message_at": ots(&last_message_at),
        })
    }

    /// A conversation as the API shows it, with its contact embedded.
    pub fn conversation_json(&self, v: &ConvRec) -> Value {
        let contact = self.contact(&v.contact_id).map(|c| self.contact_json(c)).unwrap_or(Value::Null);
        let assigned = v
            .assignee
            .as_deref()
            .and_then(|id| self.agent(id))
            .map(|a| json!({"id": a.id, "name": a.name, "email": a.email}))
            .unwrap_or(Value::Null);
        json!({
            "id": v.id, "contact_id": v.contact_id, "contact": contact, "channel": v.channel,
            "subject": v.subject, "status": v.status, "priority": v.priority, "assigned_to": assigned,
            "labels": v.labels, "tags": v.tags, "message_count": v.message_count, "unread_count": v.unread_count,
            "created_at": ts(&v.created_at), "updated_at": ts(&v.updated_at),
            "last_message_at": ots(&v.last_message_at), "last_message_preview": v.last_message_preview,
            "waiting_since": ots(&v.waiting_since), "last_inbound_at": ots(&v.last_inbound_at),
        })
    }

    /// A message as the API shows it.
    pub fn message_json(&self, m: &MsgRec) -> Value {
        let author = m.author.as_deref().and_then(|id| self.agent(id)).map(|a| json!({"id": a.id, "name": a.name}));
        json!({
            "id": m.id, "conversation_id": m.conversation_id,
            "direction": if m.incoming { "incoming" } else { "outgoing" },
            "private": m.private, "author": author, "text": m.text, "status": m.status, "error": m.error,
            "created_at": ts(&m.created_at),
        })
    }

    /// An activity as the API shows it.
    pub fn activity_json(&self, a: &ActivityRec) -> Value {
        let actor = a.actor.as_deref().and_then(|id| self.agent(id)).map(|x| x.name.clone());
        json!({"id": a.id, "type": a.kind, "actor": actor, "detail": a.detail, "created_at": ts(&a.created_at)})
    }

    /// A comment as the API shows it.
    pub fn comment_json(&self, c: &CommentRec) -> Value {
        let author = c.author.as_deref().and_then(|id| self.agent(id)).map(|a| json!({"id": a.id, "name": a.name}));
        json!({"id": c.id, "text": c.text, "author": author, "created_at": ts(&c.created_at)})
    }

    /// A notification as the API shows it.
    pub fn notification_json(&self, n: &NotifRec) -> Value {
        let actor = n.actor.as_deref().and_then(|id| self.agent(id)).map(|a| a.name.clone());
        json!({
            "id": n.id, "type": n.kind, "title": n.title, "body": n.body,
            "conversation_id": n.conversation_id, "contact_id": n.contact_id, "actor": actor,
            "is_read": n.is_read, "created_at": ts(&n.created_at),
        })
    }

    /// The contact's session data, or the empty shape when there is no session.
    pub fn session_json(&self, c: &ContactRec) -> Value {
        let Some(s) = &c.session else {
            return json!({"session_data": {}, "panel_config": {"sections": []}});
        };
        let flow = self.flows.iter().find(|f| f.id == s.flow_id);
        json!({
            "session_id": s.session_id, "flow_id": s.flow_id,
            "flow_name": flow.map(|f| f.name.clone()),
            "session_data": s.data,
            "panel_config": flow.map(|f| f.panel_config.clone()).unwrap_or_else(|| json!({"sections": []})),
        })
    }

    /// The version of a contact's panels together (the contact, its session, comments and files): any
    /// change to one of them changes it.
    pub fn contact_version(&self, c: &ContactRec) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.contact_json(c).to_string().hash(&mut h);
        self.session_json(c).to_string().hash(&mut h);
        for x in self.comments.get(&c.id).into_iter().flatten() {
            self.comment_json(x).to_string().hash(&mut h);
        }
        for f in self.files.get(&c.id).into_iter().flatten() {
            (&f.id, &f.name, &f.url, f.size).hash(&mut h);
        }
        format!("\"c{:016x}\"", h.finish())
    }

    /// Appends to the event log.
    pub fn push_event(&mut self, kind: &'static str, recipient: Option<String>, data: Value) {
        self.next_event += 1;
        self.events.push_back(EventRec { id: self.next_event, kind, recipient, data });
        while self.events.len() > EVENT_LOG_CAP {
            self.events.pop_front();
        }
    }

    /// Events after `last` that `agent` may see, oldest first.
    pub fn events_after(&self, last: u64, agent: &str) -> Vec<EventRec> {
        let start = self.events.partition_point(|e| e.id <= last);
        self.events.range(start..).filter(|e| e.recipient.as_deref().is_none_or(|r| r == agent)).cloned().collect()
    }

    /// Id of the newest event.
    pub fn last_event_id(&self) -> u64 {
        self.next_event
    }
}
