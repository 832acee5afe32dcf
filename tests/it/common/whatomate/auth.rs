//! The emulator's sign-in: API keys, email and password with tokens only in Set-Cookie, single-use refresh
//! tokens, short-lived ws-tokens, and the check every API call passes through.

use super::{ADMIN_KEY, AGENT_KEY, CURATOR_KEY, Caller, Emu, PASSWORD, Shared, body, err, ok};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The user an API key or a live access token belongs to.
pub fn user_of(e: &Emu, headers: &HeaderMap) -> Option<String> {
    let key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    match key {
        Some(AGENT_KEY) => return Some("u_ana".into()),
        Some(ADMIN_KEY) => return Some("u_cara".into()),
        Some(CURATOR_KEY) => return Some("u_dan".into()),
        Some(_) => return None,
        None => {}
    }
    let bearer = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")?;
    token_user(e, bearer).filter(|_| bearer.starts_with("acc-"))
}

pub fn token_user(e: &Emu, token: &str) -> Option<String> {
    e.tokens.get(token).filter(|(_, until)| Instant::now() < *until).map(|(u, _)| u.clone())
}

/// Refuses calls without a valid credential, and hands the caller's id to the handler.
pub async fn authenticate(
    State(s): State<Shared>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let user = user_of(&s.lock().unwrap(), req.headers());
    match user {
        Some(u) => {
            req.extensions_mut().insert(Caller(u));
            next.run(req).await
        }
        None => err(StatusCode::UNAUTHORIZED, "Invalid or expired token"),
    }
}

/// New session tokens, in cookies only (the body has none), as Whatomate sends them.
fn session(e: &mut Emu, user: &str) -> Response {
    e.issued += 1;
    // A real access token is a JWT of about 424 characters plus the user's email (it is one of its claims).
    let email = e.users.iter().find(|x| x["id"] == user).and_then(|u| u["email"].as_str()).unwrap_or("").len();
    let access = format!("acc-{}-{}", e.issued, "x".repeat(424 + email));
    let refresh = format!("ref-{}", e.issued);
    e.tokens.insert(access.clone(), (user.to_string(), Instant::now() + Duration::from_secs(e.token_life)));
    e.refresh.insert(refresh.clone(), user.to_string());
    let u = e.users.iter().find(|x| x["id"] == user).cloned().unwrap_or(Value::Null);
    let body = json!({"status": "success", "data": {"expires_in": e.token_life, "user": u}});
    let mut resp = axum::Json(body).into_response();
    for c in [
        format!("whm_access={access}; Path=/api; HttpOnly; SameSite=Lax"),
        format!("whm_refresh={refresh}; Path=/api/auth; HttpOnly; SameSite=Lax"),
        format!("whm_csrf=csrf-{}; Path=/", e.issued),
    ] {
        resp.headers_mut().append(header::SET_COOKIE, c.parse().unwrap());
    }
    resp
}

pub async fn login(State(s): State<Shared>, b: Bytes) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let user = e.users.iter().find(|u| u["email"] == v["email"]).and_then(|u| u["id"].as_str()).map(String::from);
    match user {
        Some(user) if v["password"] == PASSWORD => session(&mut e, &user),
        _ => err(StatusCode::UNAUTHORIZED, "Invalid email or password"),
    }
}

pub async fn refresh(State(s): State<Shared>, b: Bytes) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    // Single use: a refresh token is spent the moment it is presented.
    match e.refresh.remove(v["refresh_token"].as_str().unwrap_or("")) {
        Some(user) => session(&mut e, &user),
        None => err(StatusCode::UNAUTHORIZED, "Invalid refresh token"),
    }
}

pub async fn ws_token(State(s): State<Shared>, axum::Extension(Caller(u)): axum::Extension<Caller>) -> Response {
    let mut e = s.lock().unwrap();
    e.issued += 1;
    let token = format!("ws-{}", e.issued);
    let life = e.ws_token_life;
    e.tokens.insert(token.clone(), (u, Instant::now() + life));
    ok(json!({"token": token}))
}
