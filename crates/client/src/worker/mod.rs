//! The worker: requests in, replies out, one task per request, never blocking the UI task.
//!
//! A request may carry a key ("the selected conversation's contact"): a newer request with the same key
//! supersedes the older one, whose answer is discarded when it comes (the request is not aborted, so its
//! connection goes back to the pool instead of being dropped), so the UI only ever sees the answer it is
//! waiting for. The live loop keeps the stream open, resumes with `Last-Event-ID`,
//! and falls back to polling when the server has no stream.

use crate::backend::*;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

mod flood;
mod live;
mod retry;

use flood::Pending;
pub use flood::{DEFAULT_PENDING_CAP, LIVE_CHANNEL};

pub use tinbox_core::protocol::{ContactEdit, LiveStatus, Reply, Request, RequestId, RequestKey, Update, WorkerEvent};

use live::live_loop;
pub use retry::execute_with_retries;

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
    /// Live events held for the UI before the rest are dropped for one reload.
    pub pending_cap: usize,
    /// A read-only session: every write is refused here, before it reaches the server.
    pub read_only: bool,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            poll_every: Duration::from_secs(5),
            min_backoff: Duration::from_millis(500),
            // Capped low: with jitter (up to as much again) a server back after an outage is found within 10 s.
            max_backoff: Duration::from_secs(5),
            attempts: 5,
            max_retry_wait: Duration::from_secs(10),
            pending_cap: DEFAULT_PENDING_CAP,
            read_only: false,
        }
    }
}

impl Worker {
    /// Starts the worker over `backend`; events arrive on the returned receiver.
    pub fn spawn(backend: Arc<dyn Backend>, live: WorkerOptions) -> (Self, Events) {
        let (commands, rx) = mpsc::unbounded_channel();
        let (out, replies) = mpsc::unbounded_channel();
        let (live_out, live_in) = mpsc::channel(LIVE_CHANNEL);
        tokio::spawn(dispatch(backend, live, rx, out, live_out));
        (Self { commands }, Events { replies, live: live_in })
    }

    /// Asks for `request`; with a `key`, the answer to any older request of that key is dropped.
    pub fn send(&self, id: RequestId, key: Option<RequestKey>, request: Request) {
        let _ = self.commands.send(Command::Run { id, key, request });
    }

    /// Opens the live stream (or starts polling).
    pub fn start_live(&self) {
        let _ = self.commands.send(Command::StartLive);
    }
}

/// What the worker reports: answers to requests and the connection's state (as many as were asked for),
/// and live events through a bounded channel (see `flood`).
pub struct Events {
    replies: mpsc::UnboundedReceiver<WorkerEvent>,
    live: mpsc::Receiver<WorkerEvent>,
}

impl Events {
    /// The next report, answers first; `None` once the worker is gone.
    pub async fn recv(&mut self) -> Option<WorkerEvent> {
        tokio::select! {
            biased;
            Some(ev) = self.replies.recv() => Some(ev),
            Some(ev) = self.live.recv() => Some(ev),
            else => None,
        }
    }

    /// A report that is already waiting, if any.
    pub fn try_recv(&mut self) -> Option<WorkerEvent> {
        self.replies.try_recv().ok().or_else(|| self.live.try_recv().ok())
    }
}

async fn dispatch(
    backend: Arc<dyn Backend>,
    live: WorkerOptions,
    mut commands: mpsc::UnboundedReceiver<Command>,
    out: mpsc::UnboundedSender<WorkerEvent>,
    live_out: mpsc::Sender<WorkerEvent>,
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
                    // A superseded request runs to its end and its answer is dropped below: aborting it
                    // would drop its connection mid-answer, and the next request would open a new one.
                    if let Some(key) = key {
                        current.insert(key, (id, task.abort_handle()));
                    }
                }
                Some(Command::StartLive) => {
                    if let Some(t) = live_task.take() {
                        t.abort();
                    }
                    let task = tokio::spawn(live_loop(backend.clone(), live.clone(), out.clone(), live_out.clone()));
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

/// An update in the native API's body.
pub fn patch(update: &Update) -> ConversationPatch {
    match update {
        Update::Status(s) => ConversationPatch { status: Some(s.to_string()), ..Default::default() },
        Update::Priority(p) => ConversationPatch { priority: Some(p.to_string()), ..Default::default() },
        Update::Labels(l) => {
            ConversationPatch { labels: Some(l.iter().map(|x| x.to_string()).collect()), ..Default::default() }
        }
    }
}

/// A contact edit in the native API's body.
pub fn draft(edit: &ContactEdit) -> ContactDraft {
    ContactDraft {
        name: Some(edit.name.clone()),
        email: Some(edit.email.clone()),
        phone: Some(edit.phone.clone()),
        ..Default::default()
    }
}

/// Performs one request.
pub async fn execute(backend: &dyn Backend, request: Request) -> BackendResult<Reply> {
    Ok(match request {
        Request::Me => Reply::Me(backend.me().await?),
        Request::Agents => Reply::Agents(backend.agents().await?),
        Request::Labels => Reply::Labels(backend.labels().await?),
        Request::Conversations { query, revalidate } => {
            let page = backend.conversations(&query, revalidate).await?;
            Reply::Conversations { query, page }
        }
        Request::Conversation(id) => Reply::Conversation(Box::new(backend.conversation(&id).await?)),
        Request::Contact(id) => Reply::Contact(Box::new(backend.contact(&id).await?)),
        Request::Detail { contact_id, version } => {
            let parts = backend.detail(&contact_id, version.as_deref()).await?;
            Reply::Detail { contact_id, parts }
        }
        Request::SessionData(contact_id) => {
            let data = Box::new(backend.session_data(&contact_id).await?);
            Reply::SessionData { contact_id, data }
        }
        Request::Notifications(p) => Reply::Notifications(backend.notifications(p, false).await?),
        Request::Messages(conversation_id, p) => {
            let page = backend.messages(&conversation_id, p).await?;
            Reply::Messages { conversation_id, page }
        }
        Request::EarlierMessages(conversation_id, earlier) => {
            let page = backend.earlier_messages(&conversation_id, &earlier).await?;
            Reply::Messages { conversation_id, page }
        }
        Request::Assign { conversation_id, agent_id } => {
            Reply::Conversation(Box::new(backend.assign(&conversation_id, agent_id.as_deref()).await?))
        }
        Request::Update { conversation_id, update } => {
            Reply::Conversation(Box::new(backend.update_conversation(&conversation_id, &patch(&update)).await?))
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
            Reply::Contact(Box::new(backend.update_contact(&contact_id, &draft(&edit)).await?))
        }
        Request::Comments(contact_id) => {
            let page = backend.comments(&contact_id, PageReq { page: 1, limit: 50 }).await?;
            Reply::Comments { contact_id, page }
        }
        Request::AddComment { contact_id, text } => {
            Reply::Comment(Box::new(backend.add_comment(&contact_id, &text).await?))
        }
        Request::Activities(conversation_id) => {
            let page = backend.activities(&conversation_id, PageReq { page: 1, limit: 100 }).await?;
            Reply::Activities { conversation_id, page }
        }
        Request::Files(contact_id) => {
            let files = backend.files(&contact_id).await?;
            Reply::Files { contact_id, files }
        }
        Request::TakeNext => Reply::Taken(backend.take_next().await?.map(Box::new)),
        Request::CannedResponses => Reply::Canned(backend.canned_responses().await?),
        Request::CannedUsed(id) => {
            backend.canned_used(&id).await?;
            Reply::Done
        }
        Request::Templates(conversation_id) => Reply::Templates(backend.templates(&conversation_id).await?),
        Request::SendTemplate { conversation_id, template } => {
            Reply::Sent(Box::new(backend.send_template(&conversation_id, &template).await?))
        }
    })
}
