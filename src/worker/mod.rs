//! The worker: requests in, replies out, one task per request, never blocking the UI task.
//!
//! A request may carry a key ("the selected conversation's contact"): a newer request with the same key
//! aborts the older one, and an older answer that still slips through is discarded, so the UI only ever
//! sees the answer it is waiting for. The live loop keeps the stream open, resumes with `Last-Event-ID`,
//! and falls back to polling when the server has no stream.

use crate::backend::*;
use crate::domain::*;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

mod live;
mod retry;

use live::live_loop;
pub use retry::execute_with_retries;

/// Identifies a request so its answer can be matched (and dropped when stale).
pub type RequestId = u64;

/// Requests that supersede one another: only the newest of a key is answered. Each is a purpose of the
/// core's (see `app::Purpose::key`), never a free-form name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKey {
    /// The conversation list (a newer filter or page request replaces the old one).
    List,
    /// The contact panel.
    Contact,
    /// The session panel.
    Session,
    /// The contact's comments.
    Comments,
    /// The contact's files.
    Files,
    /// The open thread's conversation.
    ThreadConversation,
    /// The open thread's newest messages.
    Thread,
    /// An older page of the open thread.
    OlderMessages,
    /// Taking the next waiting conversation.
    TakeNext,
}

/// A change of status, priority or labels, as the core asks a backend for it; each backend words it for
/// its own wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// The new status.
    Status(ConvStatus),
    /// The new priority.
    Priority(Priority),
    /// The full new label set.
    Labels(Vec<String>),
}

impl Update {
    /// The same change in the native API's body.
    pub fn patch(&self) -> ConversationPatch {
        match self {
            Update::Status(s) => ConversationPatch { status: Some(s.to_string()), ..Default::default() },
            Update::Priority(p) => ConversationPatch { priority: Some(p.to_string()), ..Default::default() },
            Update::Labels(l) => ConversationPatch { labels: Some(l.clone()), ..Default::default() },
        }
    }
}

/// A contact's name, email and phone as the agent typed them (validated; empty email or phone clears it).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactEdit {
    /// The name.
    pub name: String,
    /// The email ("" for none).
    pub email: String,
    /// The E.164 phone ("" for none).
    pub phone: String,
}

impl ContactEdit {
    /// The same change in the native API's body.
    pub fn draft(&self) -> ContactDraft {
        ContactDraft {
            name: Some(self.name.clone()),
            email: Some(self.email.clone()),
            phone: Some(self.phone.clone()),
            ..Default::default()
        }
    }
}

/// Something the UI asks of the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Who am I.
    Me,
    /// All agents.
    Agents,
    /// All labels.
    Labels,
    /// A page of conversations.
    Conversations {
        /// The filters and page.
        query: ConversationQuery,
        /// The tag of the last answer for the same query.
        etag: Option<String>,
    },
    /// One conversation.
    Conversation(String),
    /// One contact.
    Contact(String),
    /// A contact's session data.
    SessionData(String),
    /// A page of notifications.
    Notifications(PageReq),
    /// A page of a conversation's messages, newest first.
    Messages(String, PageReq),
    /// Assign a conversation (or unassign with `None`); answers the updated conversation.
    Assign {
        /// Which.
        conversation_id: String,
        /// To whom.
        agent_id: Option<String>,
    },
    /// Change status, priority or labels; answers the updated conversation.
    Update {
        /// Which.
        conversation_id: String,
        /// The change.
        update: Update,
    },
    /// Mark a conversation read; answers the updated conversation.
    MarkRead(String),
    /// Send a reply or a private note; answers the created message.
    Send {
        /// Where.
        conversation_id: String,
        /// What.
        message: NewMessage,
    },
    /// Mark notifications read (an empty list: all of them).
    MarkNotificationsRead(Vec<String>),
    /// Dismiss one notification.
    DismissNotification(String),
    /// Dismiss every notification.
    DismissAllNotifications,
    /// Change a contact; answers the updated contact.
    UpdateContact {
        /// Which.
        contact_id: String,
        /// The new values.
        edit: ContactEdit,
    },
    /// A contact's comments.
    Comments(String),
    /// Add a comment to a contact.
    AddComment {
        /// Which contact.
        contact_id: String,
        /// The text (`@name` mentions notify).
        text: String,
    },
    /// A contact's files.
    Files(String),
    /// Take the conversation that has waited longest, assigning it to me.
    TakeNext,
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The current agent.
    Me(Agent),
    /// All agents.
    Agents(Vec<Agent>),
    /// All labels.
    Labels(Vec<Label>),
    /// A page of conversations, for the query it answers.
    Conversations {
        /// The query this answers.
        query: ConversationQuery,
        /// The page, or "not modified".
        page: Cached<Page<Conversation>>,
    },
    /// One conversation.
    Conversation(Box<Conversation>),
    /// One contact.
    Contact(Box<Contact>),
    /// A contact's session data.
    SessionData {
        /// Whose.
        contact_id: String,
        /// The data (empty when there is no session).
        data: Box<SessionData>,
    },
    /// A page of notifications.
    Notifications(Page<Notification>),
    /// A page of a conversation's messages, newest first.
    Messages {
        /// Whose.
        conversation_id: String,
        /// The page.
        page: Page<Message>,
    },
    /// A message was created.
    Sent(Box<Message>),
    /// Done; nothing to show.
    Done,
    /// A contact's comments, newest first.
    Comments {
        /// Whose.
        contact_id: String,
        /// The comments.
        page: Page<Comment>,
    },
    /// A comment was added.
    Comment(Box<Comment>),
    /// A contact's files.
    Files {
        /// Whose.
        contact_id: String,
        /// The files.
        files: Vec<FileRef>,
    },
    /// The conversation taken from the queue, or `None` when nobody was waiting.
    Taken(Option<Box<Conversation>>),
}

/// How the live connection stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveStatus {
    /// The stream is open.
    Live,
    /// No stream on this server: polling every so often.
    Polling,
    /// The link is down; the next attempt is in `retry_in`.
    Retrying {
        /// Why it is down.
        error: BackendError,
        /// When the next attempt is.
        retry_in: Duration,
    },
}

/// What the worker sends back to the UI task.
// A few messages a second pass through here; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerEvent {
    /// The answer to a request.
    Reply {
        /// The request's id.
        id: RequestId,
        /// Its answer.
        result: BackendResult<Reply>,
    },
    /// The live connection changed state.
    Live(LiveStatus),
    /// A request failed for a passing reason and will be tried again.
    Retrying {
        /// The request.
        id: RequestId,
        /// The attempt that failed (1 for the first).
        attempt: usize,
        /// Why.
        error: BackendError,
        /// When the next attempt is.
        retry_in: Duration,
    },
    /// Something happened on the server.
    Event(LiveEvent),
}

// A few messages a second pass through here; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Command {
    Run { id: RequestId, key: Option<RequestKey>, request: Request },
    StartLive,
}

/// The UI task's handle on the worker.
#[derive(Clone)]
pub struct Worker {
    commands: mpsc::UnboundedSender<Command>,
}

/// How the worker retries and the live loop reconnects.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Polling interval when the server has no stream.
    pub poll_every: Duration,
    /// Smallest reconnect (and retry) delay.
    pub min_backoff: Duration,
    /// Largest reconnect delay.
    pub max_backoff: Duration,
    /// Attempts per request before its failure is reported.
    pub attempts: usize,
    /// Largest delay between attempts of one request (and the clamp on Retry-After).
    pub max_retry_wait: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            poll_every: Duration::from_secs(5),
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            attempts: 5,
            max_retry_wait: Duration::from_secs(10),
        }
    }
}

impl Worker {
    /// Starts the worker over `backend`; events arrive on the returned receiver.
    pub fn spawn(backend: Arc<dyn Backend>, live: WorkerOptions) -> (Self, mpsc::UnboundedReceiver<WorkerEvent>) {
        let (commands, rx) = mpsc::unbounded_channel();
        let (out, events) = mpsc::unbounded_channel();
        tokio::spawn(dispatch(backend, live, rx, out));
        (Self { commands }, events)
    }

    /// Asks for `request`; with a `key`, any older request of that key is dropped.
    pub fn send(&self, id: RequestId, key: Option<RequestKey>, request: Request) {
        let _ = self.commands.send(Command::Run { id, key, request });
    }

    /// Opens the live stream (or starts polling).
    pub fn start_live(&self) {
        let _ = self.commands.send(Command::StartLive);
    }
}

async fn dispatch(
    backend: Arc<dyn Backend>,
    live: WorkerOptions,
    mut commands: mpsc::UnboundedReceiver<Command>,
    out: mpsc::UnboundedSender<WorkerEvent>,
) {
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(RequestId, Option<RequestKey>, BackendResult<Reply>)>();
    let mut current: HashMap<RequestKey, (RequestId, AbortHandle)> = HashMap::new();
    let mut live_task: Option<AbortHandle> = None;
    loop {
        tokio::select! {
            cmd = commands.recv() => match cmd {
                None => break,
                Some(Command::Run { id, key, request }) => {
                    let backend = backend.clone();
                    let done = done_tx.clone();
                    let k = key;
                    let (opts, events) = (live.clone(), out.clone());
                    let task = tokio::spawn(async move {
                        let result = execute_with_retries(backend.as_ref(), request, &opts, id, &events).await;
                        let _ = done.send((id, k, result));
                    });
                    if let Some(key) = key
                        && let Some((_, older)) = current.insert(key, (id, task.abort_handle()))
                    {
                        older.abort();
                    }
                }
                Some(Command::StartLive) => {
                    if let Some(t) = live_task.take() {
                        t.abort();
                    }
                    let task = tokio::spawn(live_loop(backend.clone(), live.clone(), out.clone()));
                    live_task = Some(task.abort_handle());
                }
            },
            Some((id, key, result)) = done_rx.recv() => {
                if let Some(key) = key {
                    match current.get(&key) {
                        Some((newest, _)) if *newest == id => { current.remove(&key); }
                        _ => continue, // superseded: its answer must not reach the state
                    }
                }
                if out.send(WorkerEvent::Reply { id, result }).is_err() {
                    break;
                }
            }
        }
    }
    if let Some(t) = live_task {
        t.abort();
    }
    for (_, (_, task)) in current {
        task.abort();
    }
}

/// Performs one request.
pub async fn execute(backend: &dyn Backend, request: Request) -> BackendResult<Reply> {
    Ok(match request {
        Request::Me => Reply::Me(backend.me().await?),
        Request::Agents => Reply::Agents(backend.agents().await?),
        Request::Labels => Reply::Labels(backend.labels().await?),
        Request::Conversations { query, etag } => {
            let page = backend.conversations(&query, etag.as_deref()).await?;
            Reply::Conversations { query, page }
        }
        Request::Conversation(id) => Reply::Conversation(Box::new(backend.conversation(&id).await?)),
        Request::Contact(id) => Reply::Contact(Box::new(backend.contact(&id).await?)),
        Request::SessionData(contact_id) => {
            let data = Box::new(backend.session_data(&contact_id).await?);
            Reply::SessionData { contact_id, data }
        }
        Request::Notifications(p) => Reply::Notifications(backend.notifications(p, false).await?),
        Request::Messages(conversation_id, p) => {
            let page = backend.messages(&conversation_id, p).await?;
            Reply::Messages { conversation_id, page }
        }
        Request::Assign { conversation_id, agent_id } => {
            Reply::Conversation(Box::new(backend.assign(&conversation_id, agent_id.as_deref()).await?))
        }
        Request::Update { conversation_id, update } => {
            Reply::Conversation(Box::new(backend.update_conversation(&conversation_id, &update.patch()).await?))
        }
        Request::MarkRead(id) => Reply::Conversation(Box::new(backend.mark_read(&id).await?)),
        Request::Send { conversation_id, message } => {
            Reply::Sent(Box::new(backend.send_message(&conversation_id, &message).await?))
        }
        Request::MarkNotificationsRead(ids) => {
            backend.mark_notifications_read(&ids).await?;
            Reply::Done
        }
        Request::DismissNotification(id) => {
            backend.dismiss_notification(&id).await?;
            Reply::Done
        }
        Request::DismissAllNotifications => {
            backend.dismiss_all_notifications().await?;
            Reply::Done
        }
        Request::UpdateContact { contact_id, edit } => {
            Reply::Contact(Box::new(backend.update_contact(&contact_id, &edit.draft()).await?))
        }
        Request::Comments(contact_id) => {
            let page = backend.comments(&contact_id, PageReq { page: 1, limit: 50 }).await?;
            Reply::Comments { contact_id, page }
        }
        Request::AddComment { contact_id, text } => {
            Reply::Comment(Box::new(backend.add_comment(&contact_id, &text).await?))
        }
        Request::Files(contact_id) => {
            let files = backend.files(&contact_id).await?;
            Reply::Files { contact_id, files }
        }
        Request::TakeNext => Reply::Taken(backend.take_next().await?.map(Box::new)),
    })
}
