//! What every backend's HTTP shares: a client that never carries a credential to another origin, and
//! answers read with a cap, so a hostile or broken server can neither collect a key nor exhaust memory.

use super::{BackendError, BackendResult};
use reqwest::Response;
use std::time::Duration;

/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The most of one answer read into memory.
pub const BODY_CAP: usize = 32 * 1024 * 1024;

/// The caps in force: the defaults, or what the agent's config set once at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// The largest answer read, in bytes.
    pub answer: usize,
    /// The longest live-stream line, the largest event and WebSocket message, in bytes.
    pub stream: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Caps { answer: BODY_CAP, stream: STREAM_CAP }
    }
}

static CAPS: std::sync::OnceLock<Caps> = std::sync::OnceLock::new();

/// Sets the caps for this process (the config's `[limits]`); only the first call counts.
pub fn set_caps(caps: Caps) {
    let _ = CAPS.set(Caps { answer: caps.answer.max(1024), stream: caps.stream.max(1024) });
}

/// The caps in force.
pub fn caps() -> Caps {
    CAPS.get().copied().unwrap_or_default()
}
/// Redirects followed within one origin before giving up.
const MAX_REDIRECTS: usize = 5;

/// A redirect tinbox refused to follow: it leads to another origin (or from https to http).
#[derive(Debug)]
pub struct RedirectRefused(pub String);

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the server redirected to {}, another origin; tinbox does not follow it with your credentials",
            self.0
        )
    }
}

impl std::error::Error for RedirectRefused {}

fn origin(u: &url::Url) -> (String, Option<String>, Option<u16>) {
    (u.scheme().to_string(), u.host_str().map(str::to_string), u.port_or_known_default())
}

/// A client for one server: redirects are followed only within its origin (scheme, host and port), so
/// `Authorization`, API-key and token headers, cookies and a re-sent password never reach another host,
/// and https never leads to plain http.
pub fn client() -> BackendResult<reqwest::Client> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(origin);
        let target = attempt.url().clone();
        if first.as_ref() != Some(&origin(&target)) {
            let shown = without_secrets(&target);
            return attempt.error(RedirectRefused(shown));
        }
        if attempt.previous().len() > MAX_REDIRECTS { attempt.stop() } else { attempt.follow() }
    });
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("tinbox/", env!("CARGO_PKG_VERSION")))
        .redirect(policy)
        .build()
        .map_err(|e| BackendError::Network(format!("cannot set up HTTP: {e}").into()))
}

/// `u` as shown to the agent: no user name, password, query or fragment (any may hold a secret).
fn without_secrets(u: &url::Url) -> String {
    let mut shown = u.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// The refused redirect behind `e`, if that is what it is.
pub fn refused_redirect(e: &reqwest::Error) -> Option<String> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<RedirectRefused>() {
            return Some(r.to_string());
        }
        source = s.source();
    }
    None
}

/// Describes a transport failure in words an agent understands (no URLs, no internals).
pub fn network_error(e: reqwest::Error) -> BackendError {
    // Without its URL: a query can hold a customer's name, email or phone.
    let e = e.without_url();
    tracing::debug!(error = %e, "request failed");
    if let Some(refused) = refused_redirect(&e) {
        return BackendError::Network(refused.into());
    }
    let what = if e.is_timeout() {
        "the server did not answer in time"
    } else if e.is_connect() {
        crate::backend::error::NOT_CONNECTED
    } else if e.is_body() || e.is_decode() {
        "the connection dropped while reading the answer"
    } else {
        "the request could not be sent"
    };
    BackendError::Network(what.to_string().into())
}

/// The whole answer, failing with words once it passes the answer cap (the rest is never read).
pub async fn read_body(mut resp: Response) -> BackendResult<Vec<u8>> {
    let cap = caps().answer;
    let too_big =
        || BackendError::BadResponse(format!("the answer is larger than {}; it was not read", size_words(cap)).into());
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(network_error)? {
        if body.len() + chunk.len() > cap {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The whole answer as text (invalid UTF-8 replaced), capped like [`read_body`].
pub async fn read_text(resp: Response) -> BackendResult<String> {
    Ok(String::from_utf8_lossy(&read_body(resp).await?).into_owned())
}

/// The longest live-stream line, and the largest event or WebSocket message, unless the config says otherwise.
pub const STREAM_CAP: usize = 1024 * 1024;

/// Why a live stream was dropped, or that its transport failed.
#[derive(Debug)]
pub enum StreamError {
    /// The transport failed.
    Transport(String),
    /// A line or an event passed the cap (in bytes).
    TooLong(&'static str, usize),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Transport(e) => write!(f, "{e}"),
            StreamError::TooLong(what, cap) => {
                write!(f, "the server sent {what} longer than {}; the stream was dropped", size_words(*cap))
            }
        }
    }
}

impl std::error::Error for StreamError {}

/// A cap in words: "32 MB", "512 KB".
pub fn size_words(bytes: usize) -> String {
    if bytes >= 1 << 20 { format!("{} MB", bytes >> 20) } else { format!("{} KB", bytes >> 10) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        assert_eq!(origin(&u("https://a.example/x")), origin(&u("https://a.example:443/y?z")));
        assert_ne!(origin(&u("https://a.example/")), origin(&u("http://a.example/")), "https never leads to http");
        assert_ne!(origin(&u("https://a.example/")), origin(&u("https://a.example:8443/")));
        assert_ne!(origin(&u("https://a.example/")), origin(&u("https://b.example/")));
    }

    #[test]
    fn a_shown_target_keeps_no_secret() {
        let shown = without_secrets(&u("https://user:pw@evil.example/p?token=abc#frag"));
        assert_eq!(shown, "https://evil.example/p");
    }
}
