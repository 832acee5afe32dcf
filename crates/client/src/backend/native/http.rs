//! HTTP plumbing for the native API: timeouts, auth, the `{status, data}` envelope, and error mapping.

use crate::backend::{BackendError, BackendResult};
use crate::secret::Secret;
use crate::text::Clean;
use reqwest::{Method, RequestBuilder, Response, StatusCode, header};
use serde_json::Value;
use std::time::Duration;

/// How long to wait for a connection.
/// How long a whole ordinary request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// An authenticated HTTP client for one server.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
    token: Secret,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").field("base", &self.base).field("token", &self.token).finish()
    }
}

impl Http {
    /// A client for `base` (scheme, host, optional path prefix) sending `token` as a Bearer credential.
    pub fn new(base: &str, token: Secret) -> BackendResult<Self> {
        let client = crate::backend::net::client()?;
        Ok(Self { client, base: base.trim_end_matches('/').to_string(), token })
    }

    /// Starts a request to `path` (which begins with `/`), with auth; ordinary requests also get the total timeout.
    pub fn build(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.base, path))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token.expose()))
    }

    /// Sends a request with the total timeout and maps failures into typed errors.
    pub async fn send(&self, req: RequestBuilder) -> BackendResult<Response> {
        let resp = req.timeout(REQUEST_TIMEOUT).send().await.map_err(network_error)?;
        check(resp).await
    }

    /// Sends a request and returns the envelope's `data`.
    pub async fn data(&self, req: RequestBuilder) -> BackendResult<Value> {
        let resp = self.send(req).await?;
        envelope_data(resp).await
    }

    /// GET with query parameters, returning the envelope's `data`.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> BackendResult<Value> {
        self.data(self.build(Method::GET, path).query(query)).await
    }

    /// A request with a JSON body, returning the envelope's `data`.
    pub async fn json(&self, method: Method, path: &str, body: &impl serde::Serialize) -> BackendResult<Value> {
        self.data(self.build(method, path).json(body)).await
    }
}

pub use crate::backend::net::network_error;

/// Turns an error status into a typed error, carrying the server's (sanitized) message.
pub async fn check(resp: Response) -> BackendResult<Response> {
    let status = resp.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        return Ok(resp);
    }
    let retry_after = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = crate::backend::net::read_text(resp).await.unwrap_or_default();
    let message = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(Clean::new))
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("no reason given").to_lowercase().into());
    Err(match status.as_u16() {
        401 => BackendError::Unauthorized,
        403 => BackendError::Forbidden(message),
        404 => BackendError::NotFound(message),
        409 => BackendError::Conflict(message),
        400 | 422 => BackendError::Invalid(message),
        429 => BackendError::RateLimited { retry_after },
        s => BackendError::Server { status: s, message },
    })
}

/// Reads the `{"status":"success","data":...}` envelope.
pub async fn envelope_data(resp: Response) -> BackendResult<Value> {
    decode_envelope(&crate::backend::net::read_body(resp).await?)
}

/// Decodes an envelope from bytes (also used for canned bodies in tests).
pub fn decode_envelope(bytes: &[u8]) -> BackendResult<Value> {
    let v: Value = serde_json::from_slice(&crate::backend::repair::repair(bytes))
        .map_err(|e| BackendError::BadResponse(format!("not JSON ({})", e.classify_str()).into()))?;
    match v {
        Value::Object(mut o) => {
            if o.get("status").and_then(Value::as_str) == Some("error") {
                let message = o.get("message").and_then(Value::as_str).map(Clean::new).unwrap_or_default();
                return Err(BackendError::Server { status: 200, message });
            }
            Ok(o.remove("data").unwrap_or(Value::Null))
        }
        _ => Err(BackendError::BadResponse("expected an object with data".into())),
    }
}

trait ClassifyStr {
    fn classify_str(&self) -> &'static str;
}

impl ClassifyStr for serde_json::Error {
    fn classify_str(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected shape",
            serde_json::error::Category::Eof => "cut short",
        }
    }
}
