//! Typed backend errors, each with a message an agent can act on.

use crate::text::Clean;
use std::time::Duration;

/// Why a backend call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackendError {
    /// 401: the token is missing, wrong or expired.
    #[error("the server rejected the token (401): check --token, TINBOX_TOKEN or the profile's token")]
    Unauthorized,
    /// 403: the agent may not do this.
    #[error("not allowed: {0}")]
    Forbidden(Clean),
    /// 404: the thing is gone, or the endpoint does not exist.
    #[error("not found: {0}")]
    NotFound(Clean),
    /// 409: someone else changed it first.
    #[error("conflict: {0}")]
    Conflict(Clean),
    /// 400/422: the server refused the input.
    #[error("refused: {0}")]
    Invalid(Clean),
    /// 429: too many requests; wait before retrying.
    #[error("the server is busy (rate limited){}", retry_hint(.retry_after))]
    RateLimited {
        /// How long the server asked us to wait.
        retry_after: Option<Duration>,
    },
    /// 5xx: the server failed.
    #[error("the server failed ({status}): {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The server's words, sanitized.
        message: Clean,
    },
    /// The server could not be reached, or the connection dropped.
    #[error("cannot reach the server: {0}")]
    Network(Clean),
    /// The answer could not be read.
    #[error("the server's answer could not be read: {0}")]
    BadResponse(Clean),
    /// This backend has no such operation.
    #[error("{0} is not available on this server")]
    Unsupported(&'static str),
}

/// Why a request failed when no connection could be made: the server never heard it.
pub const NOT_CONNECTED: &str = "the connection was refused or could not be made";

fn retry_hint(d: &Option<Duration>) -> String {
    d.map(|d| format!("; it asked to wait {}s", d.as_secs().max(1))).unwrap_or_default()
}

impl BackendError {
    /// True when repeating a read might succeed (network trouble, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Network(_) | Self::Server { .. } | Self::RateLimited { .. } | Self::BadResponse(_))
    }
}

impl BackendError {
    /// True when a failed write may nevertheless have taken effect: the answer was lost or unreadable, so
    /// nobody can say whether the server did it.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            // No connection was made, so nothing was sent.
            Self::Network(why) => *why != NOT_CONNECTED,
            Self::BadResponse(_) | Self::Server { .. } => true,
            _ => false,
        }
    }
}

/// Result of a backend call.
pub type BackendResult<T> = Result<T, BackendError>;
