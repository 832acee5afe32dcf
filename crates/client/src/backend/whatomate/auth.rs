//! Signing in to Whatomate: an API key sent as `X-API-Key`, or an email and password whose session
//! tokens arrive only in `Set-Cookie` and are renewed before they expire, without the agent noticing.

use crate::backend::native::http::{REQUEST_TIMEOUT, check, decode_envelope, network_error};
use crate::backend::{BackendError, BackendResult};
use crate::secret::Secret;
use reqwest::{RequestBuilder, StatusCode, header};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How tinbox proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A `whm_…` key created in Whatomate's web UI.
    ApiKey(Secret),
    /// An agent's email and password.
    Password {
        /// The sign-in email.
        email: String,
        /// The password.
        password: Secret,
    },
}

/// What one request carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    /// `X-API-Key: <key>`.
    ApiKey(Secret),
    /// `Authorization: Bearer <access token>`.
    Bearer(Secret),
}

impl Credential {
    /// Adds the credential to a request. Header credentials also spare us Whatomate's CSRF check.
    pub fn apply(&self, r: RequestBuilder) -> RequestBuilder {
        match self {
            Self::ApiKey(k) => r.header("X-API-Key", k.expose()),
            Self::Bearer(t) => r.header(header::AUTHORIZATION, format!("Bearer {}", t.expose())),
        }
    }
}

#[derive(Debug)]
struct Session {
    access: Secret,
    refresh: Secret,
    renew_at: Instant,
}

/// Keeps the credential fresh. One renewal at a time: the refresh token is single use.
#[derive(Debug)]
pub struct Auth {
    client: reqwest::Client,
    base: String,
    credentials: Credentials,
    session: Mutex<Option<Session>>,
}

/// What a server from before February 2026 is told: it sends tokens in the sign-in answer and has no ws-token.
pub const OLD_SERVER: &str = "this Whatomate server is older than February 2026 (no ws-token, tokens in the sign-in answer): update it for tinbox";

/// The access token's life when the server does not say.
const DEFAULT_LIFE: Duration = Duration::from_secs(15 * 60);

impl Auth {
    /// Auth for the server at `base`.
    pub fn new(client: reqwest::Client, base: String, credentials: Credentials) -> Self {
        Self { client, base, credentials, session: Mutex::new(None) }
    }

    /// The credential for the next request, signing in or renewing first when the session is (nearly) over.
    pub async fn credential(&self) -> BackendResult<Credential> {
        let (email, password) = match &self.credentials {
            Credentials::ApiKey(key) => return Ok(Credential::ApiKey(key.clone())),
            Credentials::Password { email, password } => (email, password),
        };
        let mut session = self.session.lock().await;
        let fresh = match session.take() {
            Some(s) if Instant::now() < s.renew_at => s,
            Some(s) => match self.refresh(&s.refresh).await {
                Ok(s) => s,
                // A refresh token that is spent or expired: sign in again with the password.
                Err(BackendError::Unauthorized | BackendError::Invalid(_)) => self.login(email, password).await?,
                Err(e) => {
                    // Passing trouble: keep the old session, it may still be valid for a while.
                    *session = Some(s);
                    return Err(e);
                }
            },
            None => self.login(email, password).await?,
        };
        let access = fresh.access.clone();
        *session = Some(fresh);
        Ok(Credential::Bearer(access))
    }

    /// The server refused `sent` (401, or a socket closed with 1008): renew the session if it is still the
    /// one that was refused. Answers whether trying again can help.
    pub async fn refused(&self, sent: &Credential) -> bool {
        let Credential::Bearer(token) = sent else { return false };
        let mut session = self.session.lock().await;
        if let Some(s) = session.as_mut().filter(|s| s.access == *token) {
            s.renew_at = Instant::now();
        }
        true
    }

    /// A token for the WebSocket's auth frame: always the short-lived ws-token, whatever the credential (an API
    /// key is not accepted on the socket, and an access token can be longer than the socket's 512-byte frame).
    pub async fn socket_token(&self) -> BackendResult<Credential> {
        let credential = self.credential().await?;
        let r = credential.apply(self.client.get(format!("{}/api/auth/ws-token", self.base)));
        let resp = r.timeout(REQUEST_TIMEOUT).send().await.map_err(network_error)?;
        match resp.status() {
            StatusCode::NOT_FOUND => return Err(BackendError::Forbidden(OLD_SERVER.into())),
            StatusCode::UNAUTHORIZED => {
                // The session was revoked: renewed before the next attempt.
                self.refused(&credential).await;
                return Err(BackendError::Unauthorized);
            }
            _ => {}
        }
        let data = decode_envelope(&crate::backend::net::read_body(check(resp).await?).await?)?;
        let token = data.get("token").and_then(Value::as_str).filter(|t| !t.is_empty());
        token
            .map(|t| Credential::Bearer(Secret::new(t)))
            .ok_or_else(|| BackendError::BadResponse("no socket token in the answer".into()))
    }

    async fn login(&self, email: &str, password: &Secret) -> BackendResult<Session> {
        let body = json!({"email": email, "password": password.expose()});
        let r = self.client.post(format!("{}/api/auth/login", self.base)).json(&body);
        let resp = r.timeout(REQUEST_TIMEOUT).send().await.map_err(network_error)?;
        if matches!(resp.status(), StatusCode::UNAUTHORIZED | StatusCode::BAD_REQUEST) {
            return Err(BackendError::Invalid("the email or password was not accepted".into()));
        }
        session_from(check(resp).await?, "signing in").await
    }

    async fn refresh(&self, refresh: &Secret) -> BackendResult<Session> {
        let r = self.client.post(format!("{}/api/auth/refresh", self.base));
        let resp = r
            .json(&json!({"refresh_token": refresh.expose()}))
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(network_error)?;
        tracing::debug!(status = %resp.status(), "session renewed");
        session_from(check(resp).await?, "renewing the session").await
    }
}

/// Reads the session tokens from `Set-Cookie` (the only place Whatomate puts them) and their life from the body.
async fn session_from(resp: reqwest::Response, doing: &str) -> BackendResult<Session> {
    let cookie = |name: &str| {
        resp.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=')?;
            (k.trim() == name && !v.trim().is_empty()).then(|| Secret::new(v.trim()))
        })
    };
    let (access, refresh) = (cookie("whm_access"), cookie("whm_refresh"));
    let data = decode_envelope(&crate::backend::net::read_body(resp).await?).unwrap_or(Value::Null);
    let (Some(access), Some(refresh)) = (access, refresh) else {
        if data.get("access_token").is_some() {
            return Err(BackendError::Invalid(OLD_SERVER.into()));
        }
        return Err(BackendError::BadResponse(format!("no session cookies came back when {doing}").into()));
    };
    let life = data.get("expires_in").and_then(Value::as_u64).map(Duration::from_secs).unwrap_or(DEFAULT_LIFE);
    Ok(Session { access, refresh, renew_at: Instant::now() + renew_after(life) })
}

/// Renews a minute early, or a third early for short lives, so a request never races the expiry.
fn renew_after(life: Duration) -> Duration {
    life - (life / 3).min(Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renews_before_the_token_expires() {
        assert_eq!(renew_after(Duration::from_secs(900)), Duration::from_secs(840));
        assert_eq!(renew_after(Duration::from_secs(3)), Duration::from_secs(2));
        assert_eq!(renew_after(Duration::ZERO), Duration::ZERO);
    }
}
