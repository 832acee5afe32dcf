//! Why each request was sent. Every request the state sends names its purpose; the state keeps one map of
//! what is in flight, and one `match` (in `answer.rs`) hands each answer to the feature that owns it.

use super::View;
use crate::domain::{Clean, ConvStatus, Conversation, PersonRef, Priority};
use crate::protocol::{Request, RequestKey, Update};

/// A reply to the customer or a private note (agents only): never one for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// A reply the customer receives.
    #[default]
    Reply,
    /// A private note only agents see.
    Note,
}

impl MessageKind {
    /// True for a private note.
    pub fn is_note(self) -> bool {
        self == MessageKind::Note
    }
}

/// A change to a conversation, as a value that can apply itself and say itself before and after.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Assign to this agent (`me` when it is the signed-in agent), or to nobody.
    Assign {
        /// The agent, or `None` to unassign.
        to: Option<PersonRef>,
        /// True when `to` is the signed-in agent.
        me: bool,
    },
    /// Set the status.
    Status(ConvStatus),
    /// Set the priority.
    Priority(Priority),
    /// Add and remove labels.
    Labels {
        /// Labels to add.
        add: Vec<Clean>,
        /// Labels to remove.
        remove: Vec<Clean>,
    },
}

impl Change {
    /// Applies the change to a local copy of the conversation (the optimistic look).
    pub fn apply(&self, c: &mut Conversation) {
        match self {
            Change::Assign { to, .. } => c.assignee = to.clone(),
            Change::Status(s) => c.status = s.clone(),
            Change::Priority(p) => c.priority = p.clone(),
            Change::Labels { add, remove } => {
                c.labels.retain(|l| !remove.contains(l));
                for l in add {
                    if !c.labels.contains(l) {
                        c.labels.push(l.clone());
                    }
                }
            }
        }
    }

    /// The request that makes the change on the server, for a conversation already changed locally.
    pub fn request(&self, after: &Conversation) -> Request {
        let conversation_id = after.id.clone();
        match self {
            Change::Assign { to, .. } => {
                Request::Assign { conversation_id, agent_id: to.as_ref().map(|a| a.id.clone()) }
            }
            Change::Status(s) => Request::Update { conversation_id, update: Update::Status(s.clone()) },
            Change::Priority(p) => Request::Update { conversation_id, update: Update::Priority(p.clone()) },
            Change::Labels { .. } => Request::Update { conversation_id, update: Update::Labels(after.labels.clone()) },
        }
    }

    fn target(&self) -> String {
        match self {
            Change::Assign { to: Some(_), me: true } => "to you".into(),
            Change::Assign { to: Some(a), .. } => format!("to {}", a.name),
            Change::Assign { to: None, .. } => String::new(),
            Change::Status(_) => String::new(),
            Change::Priority(p) => format!("priority {p}"),
            Change::Labels { add, remove } => match (add.is_empty(), remove.is_empty()) {
                (false, true) => format!("[{}]", add.join(", ")),
                (true, false) => format!("[{}]", remove.join(", ")),
                _ => String::new(),
            },
        }
    }

    /// The verb in its three forms: doing, done, infinitive ("Assigning", "Assigned", "assign").
    fn verb(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Change::Assign { to: Some(_), .. } => ("Assigning", "Assigned", "assign"),
            Change::Assign { to: None, .. } => ("Unassigning", "Unassigned", "unassign"),
            Change::Status(ConvStatus::Open) => ("Reopening", "Reopened", "reopen"),
            Change::Status(ConvStatus::Closed) => ("Closing", "Closed", "close"),
            Change::Status(ConvStatus::Archived) => ("Archiving", "Archived", "archive"),
            Change::Status(ConvStatus::Other(_)) => ("Changing status of", "Changed status of", "change status of"),
            Change::Priority(_) => ("Setting", "Set", "set"),
            Change::Labels { add, remove } => match (add.is_empty(), remove.is_empty()) {
                (false, true) => ("Labelling", "Labelled", "label"),
                (true, false) => ("Removing", "Removed", "remove"),
                _ => ("Changing labels of", "Changed labels of", "change labels of"),
            },
        }
    }

    /// The word that joins the name when the phrase needs one ("Removed [vip] from Marta").
    fn joiner(&self) -> Option<&'static str> {
        match self {
            Change::Priority(_) => Some("on"),
            Change::Labels { add, remove } if add.is_empty() && !remove.is_empty() => Some("from"),
            _ => None,
        }
    }

    fn phrase(&self, verb: &str, name: &str) -> String {
        let target = self.target();
        let head = if target.is_empty() { verb.to_string() } else { format!("{verb} {target}") };
        match self.joiner() {
            Some(j) => format!("{head} {j} {name}"),
            None if verb.ends_with(" of") => format!("{head} {name}"),
            None => format!("{head} — {name}"),
        }
    }

    /// While the server is asked: "Assigning to Bruno Silva — Marta Ruiz…".
    pub fn doing(&self, name: &str) -> String {
        format!("{}…", self.phrase(self.verb().0, name))
    }

    /// Once the server agreed: "Assigned to Bruno Silva — Marta Ruiz".
    pub fn done(&self, name: &str) -> String {
        self.phrase(self.verb().1, name)
    }

    fn bulk(&self, verb: &str) -> String {
        let target = self.target();
        let verb = verb.trim_end_matches(" of");
        if target.is_empty() { verb.to_string() } else { format!("{verb} {target}") }
    }

    /// Before a change on `n` conversations: "Assign 12 conversations to Bruno Silva".
    pub fn preview(&self, n: usize) -> String {
        let what = format!("{n} conversations");
        match self {
            Change::Assign { to: Some(_), .. } => format!("Assign {what} {}", self.target()),
            Change::Assign { to: None, .. } => format!("Unassign {what}"),
            Change::Status(ConvStatus::Other(s)) => format!("Change the status of {what} to {s}"),
            Change::Status(_) => {
                let verb = self.verb().2;
                format!("{}{} {what}", verb[..1].to_uppercase(), &verb[1..])
            }
            Change::Priority(p) => format!("Set priority {p} on {what}"),
            Change::Labels { add, remove } => match (add.is_empty(), remove.is_empty()) {
                (false, true) => format!("Label {what} {}", self.target()),
                (true, false) => format!("Remove {} from {what}", self.target()),
                _ => format!("Change the labels of {what}"),
            },
        }
    }

    /// The change that puts `before`'s field back, once this change was made to it.
    pub fn inverse(&self, before: &Conversation, me: Option<&str>) -> Change {
        match self {
            Change::Assign { .. } => Change::Assign {
                to: before.assignee.clone(),
                me: before.assignee.as_ref().is_some_and(|a| Some(a.id.as_str()) == me),
            },
            Change::Status(_) => Change::Status(before.status.clone()),
            Change::Priority(_) => Change::Priority(before.priority.clone()),
            Change::Labels { add, remove } => Change::Labels {
                add: remove.iter().filter(|l| before.labels.contains(l)).cloned().collect(),
                remove: add.iter().filter(|l| !before.labels.contains(l)).cloned().collect(),
            },
        }
    }

    /// For several conversations, while asking: "Assigning to Bruno Silva".
    pub fn doing_bulk(&self) -> String {
        self.bulk(self.verb().0)
    }

    /// For several conversations, once done: "Assigned to Bruno Silva".
    pub fn done_bulk(&self) -> String {
        self.bulk(self.verb().1)
    }

    /// When the server refused: "Could not assign to Bruno Silva — Marta Ruiz".
    pub fn failed(&self, name: &str) -> String {
        format!("Could not {}", self.phrase(self.verb().2, name))
    }

    /// True when the change alters who handles the conversation (the contact's assignee may follow).
    pub fn touches_assignee(&self) -> bool {
        matches!(self, Change::Assign { .. })
    }
}

/// Why a request was sent: the answer goes back to the feature that owns this purpose.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// Who the signed-in agent is.
    Me,
    /// Every agent.
    Agents,
    /// Every label.
    Labels,
    /// A page of the conversation list under the filters in force.
    ListPage,
    /// The count of one view, for the header.
    Count(View),
    /// The notifications pane.
    Notifications,
    /// The contact panel's contact.
    Contact(Clean),
    /// The contact and session panels of a contact, read (or checked) together.
    Detail(Clean),
    /// The open thread's conversation (when the list does not hold it).
    ThreadConversation(Clean),
    /// The open thread's newest messages.
    Thread(Clean),
    /// An older page of the open thread.
    OlderMessages(Clean),
    /// The open thread's activities.
    Activities(Clean),
    /// A reply or a note from the composer.
    Send {
        /// Where.
        conversation_id: Clean,
        /// Reply or note.
        kind: MessageKind,
    },
    /// Saving the contact form.
    SaveContact(Clean),
    /// Adding a comment from the comment form.
    AddComment(Clean),
    /// A change to a conversation, with the conversation as it was (to roll back).
    Change {
        /// The conversation before the change.
        before: Box<Conversation>,
        /// What was changed.
        change: Change,
    },
    /// Re-reading a conversation whose change had an unknown outcome.
    Reread(Clean),
    /// Marking a conversation read on opening it.
    MarkRead(Clean),
    /// A notification action (read, dismiss).
    NotificationAction,
    /// Taking the next waiting conversation.
    TakeNext,
    /// The approved templates for a conversation's picker.
    Templates(Clean),
    /// A template sent to a conversation.
    SendTemplate(Clean),
    /// The canned responses, for the picker over a conversation's composer.
    Canned(Clean),
    /// A use of a canned response counted.
    CannedUsed,
}

impl Purpose {
    /// Requests with the same key supersede one another: only the newest one's answer counts.
    pub fn key(&self) -> Option<RequestKey> {
        Some(match self {
            Purpose::ListPage => RequestKey::List,
            Purpose::Contact(_) => RequestKey::Contact,
            Purpose::Detail(_) => RequestKey::Detail,
            Purpose::ThreadConversation(_) => RequestKey::ThreadConversation,
            Purpose::Thread(_) => RequestKey::Thread,
            Purpose::OlderMessages(_) => RequestKey::OlderMessages,
            Purpose::TakeNext => RequestKey::TakeNext,
            Purpose::Activities(_) => RequestKey::Activities,
            _ => return None,
        })
    }

    /// The purpose's name, for logs (which never hold what it carries).
    pub fn name(&self) -> &'static str {
        match self {
            Purpose::Me => "me",
            Purpose::Agents => "agents",
            Purpose::Labels => "labels",
            Purpose::ListPage => "list page",
            Purpose::Count(_) => "count",
            Purpose::Notifications => "notifications",
            Purpose::Contact(_) => "contact",
            Purpose::Detail(_) => "contact panels",
            Purpose::ThreadConversation(_) => "thread conversation",
            Purpose::Thread(_) => "thread",
            Purpose::OlderMessages(_) => "older messages",
            Purpose::Activities(_) => "activities",
            Purpose::Send { .. } => "send",
            Purpose::SaveContact(_) => "save contact",
            Purpose::AddComment(_) => "add comment",
            Purpose::Change { .. } => "change",
            Purpose::Reread(_) => "reread",
            Purpose::MarkRead(_) => "mark read",
            Purpose::NotificationAction => "notification action",
            Purpose::TakeNext => "take next",
            Purpose::Templates(_) => "templates",
            Purpose::SendTemplate(_) => "send template",
            Purpose::Canned(_) => "canned responses",
            Purpose::CannedUsed => "canned used",
        }
    }

    /// The conversation a write in flight changes, if any (a live update must not undo its local look).
    pub fn changes_conversation(&self) -> Option<&str> {
        match self {
            Purpose::Change { before, .. } => Some(&before.id),
            Purpose::MarkRead(id) => Some(id),
            _ => None,
        }
    }
}
