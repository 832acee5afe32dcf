//! Retries: passing failures are tried again with jittered exponential backoff; a write whose outcome is
//! unknown is checked on the server first, so nothing happens twice.

use super::{Reply, Request, RequestId, WorkerEvent, WorkerOptions, execute};
use crate::backend::{Backend, BackendError, BackendResult, PageReq};
use backon::BackoffBuilder;
use tokio::sync::mpsc;

/// Checks whether a write whose answer was lost did take effect, by reading the server's state.
async fn already_done(backend: &dyn Backend, request: &Request) -> Option<Reply> {
    match request {
        Request::Assign { conversation_id, agent_id } => {
            let c = backend.conversation(conversation_id).await.ok()?;
            (c.assignee.as_ref().map(|a| &a.id) == agent_id.as_ref()).then(|| Reply::Conversation(Box::new(c)))
        }
        Request::Update { conversation_id, update } => {
            let c = backend.conversation(conversation_id).await.ok()?;
            let ok = match update {
                super::Update::Status(s) => c.status == *s,
                super::Update::Priority(p) => c.priority == *p,
                super::Update::Labels(l) => *l == c.labels,
            };
            ok.then(|| Reply::Conversation(Box::new(c)))
        }
        Request::MarkRead(id) => {
            let c = backend.conversation(id).await.ok()?;
            (c.unread_count == 0).then(|| Reply::Conversation(Box::new(c)))
        }
        Request::AddComment { contact_id, text } => {
            let page = backend.comments(contact_id, PageReq { page: 1, limit: 10 }).await.ok()?;
            page.items.into_iter().find(|c| c.text.trim() == text.trim()).map(|c| Reply::Comment(Box::new(c)))
        }
        Request::Send { conversation_id, message } if !backend.idempotent_sends() => {
            // No idempotency key on this server: a message with the same text, ours and recent, is the lost one.
            let page = backend.messages(conversation_id, PageReq { page: 1, limit: 20 }).await.ok()?;
            let recent = chrono::Utc::now() - chrono::TimeDelta::minutes(2);
            page.items
                .into_iter()
                .find(|m| {
                    m.direction == crate::domain::Direction::Outgoing
                        && m.private == message.private
                        && m.text.trim() == message.text.trim()
                        && m.created_at.is_none_or(|t| t >= recent)
                })
                .map(|m| Reply::Sent(Box::new(m)))
        }
        // Reads and idempotent writes are simply repeated; a send repeats with its idempotency key.
        _ => None,
    }
}

/// Performs a request, retrying passing failures with jittered exponential backoff. A write whose
/// outcome is unknown is checked on the server before it is tried again, so nothing happens twice.
pub async fn execute_with_retries(
    backend: &dyn Backend,
    request: Request,
    opts: &WorkerOptions,
    id: RequestId,
    out: &mpsc::UnboundedSender<WorkerEvent>,
) -> BackendResult<Reply> {
    let mut delays = backon::ExponentialBuilder::default()
        .with_min_delay(opts.min_backoff)
        .with_max_delay(opts.max_retry_wait)
        .with_jitter()
        .without_max_times()
        .build();
    if opts.read_only && request.is_write() {
        // The last guard of a read-only session: whatever asked, the server hears no write.
        tracing::warn!(id, request = request.name(), "write refused in a read-only session");
        return Err(BackendError::Forbidden(crate::domain::Clean::from("this session is read-only")));
    }
    let mut attempt = 1;
    loop {
        let started = std::time::Instant::now();
        let result = execute(backend, request.clone()).await;
        let ms = started.elapsed().as_millis() as u64;
        // The request's name and timing only: never its ids, search terms or text.
        tracing::debug!(id, request = request.name(), attempt, ms, ok = result.is_ok(), "answered");
        let error = match result {
            Ok(reply) => return Ok(reply),
            Err(e) => e,
        };
        if attempt > 1
            && matches!(error, BackendError::NotFound(_))
            && matches!(request, Request::DismissNotification(_))
        {
            // An earlier attempt dismissed it; its answer was what got lost.
            return Ok(Reply::Done);
        }
        if !error.is_transient() || attempt >= opts.attempts.max(1) {
            return Err(error);
        }
        if error.outcome_unknown() {
            if let Some(reply) = already_done(backend, &request).await {
                return Ok(reply);
            }
            if matches!(request, Request::TakeNext | Request::SendTemplate { .. }) {
                // Taking again could take a second conversation, and a template has no key to send it once:
                // the agent is told it may have happened and looks.
                return Err(error);
            }
        }
        let retry_in = match &error {
            BackendError::RateLimited { retry_after: Some(d) } => (*d).clamp(opts.min_backoff, opts.max_retry_wait),
            _ => delays.next().unwrap_or(opts.max_retry_wait),
        };
        tracing::info!(attempt, ?retry_in, error = %error, "retrying a request");
        let _ = out.send(WorkerEvent::Retrying { id, attempt, error, retry_in });
        tokio::time::sleep(retry_in).await;
        attempt += 1;
    }
}
