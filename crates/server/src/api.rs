//! HTTP conventions of the native API: the envelope, errors, auth, paging and entity tags.

use super::Shared;
use super::store::Refusal;
use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// An error answer: `{"status":"error","message":...,"data":null}` with a fitting status.
#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub String);

impl ApiError {
    /// 400.
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, m.into())
    }
    /// 404.
    pub fn not_found(m: impl Into<String>) -> Self {
        Self(StatusCode::NOT_FOUND, m.into())
    }
    /// 422.
    pub fn invalid(m: impl Into<String>) -> Self {
        Self(StatusCode::UNPROCESSABLE_ENTITY, m.into())
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotFound(m) => Self::not_found(m),
            Refusal::Invalid(m) => Self::invalid(m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"status": "error", "message": self.1, "data": null});
        (self.0, axum::Json(body)).into_response()
    }
}

/// Result of a handler.
pub type ApiResult = Result<Response, ApiError>;

/// A success answer with `data`.
pub fn ok(data: Value) -> ApiResult {
    Ok(axum::Json(json!({"status": "success", "data": data})).into_response())
}

/// A 201 answer with `data`.
pub fn created(data: Value) -> ApiResult {
    Ok((StatusCode::CREATED, axum::Json(json!({"status": "success", "data": data}))).into_response())
}

/// The authenticated agent's id, from `Authorization: Bearer <token>`.
pub struct Agent(pub String);

impl FromRequestParts<Arc<Shared>> for Agent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<Shared>) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        let unauthorized = || ApiError(StatusCode::UNAUTHORIZED, "missing or unknown token".into());
        if token.is_empty() {
            return Err(unauthorized());
        }
        let store = state.read();
        store.agent_by_token(token).map(|a| Agent(a.id.clone())).ok_or_else(unauthorized)
    }
}

/// Query parameters as plain strings (never a rejection: bad values get our own 400).
pub type Params = HashMap<String, String>;

/// Reads `page` and `limit` (1–100), or explains why not.
pub fn paging(q: &Params) -> Result<(usize, usize), ApiError> {
    let num = |k: &str, default: usize| match q.get(k) {
        None => Ok(default),
        Some(v) => v.trim().parse::<usize>().map_err(|_| ApiError::bad_request(format!("{k} must be a whole number"))),
    };
    let page = num("page", 1)?;
    let limit = num("limit", 20)?;
    if page < 1 {
        return Err(ApiError::bad_request("page starts at 1"));
    }
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("limit must be between 1 and 100"));
    }
    Ok((page, limit))
}

/// Slices `items` into the page envelope `{items, total, page, limit, total_pages}`.
pub fn page_of(items: Vec<Value>, page: usize, limit: usize) -> Value {
    let total = items.len();
    let start = (page - 1).saturating_mul(limit).min(total);
    let slice: Vec<Value> = items.into_iter().skip(start).take(limit).collect();
    json!({"items": slice, "total": total, "page": page, "limit": limit, "total_pages": total.div_ceil(limit)})
}

/// The page envelope for `items`, already the slice of page `page` of `total`.
pub fn page_of_slice(items: Vec<Value>, total: usize, page: usize, limit: usize) -> Value {
    json!({"items": items, "total": total, "page": page, "limit": limit, "total_pages": total.div_ceil(limit)})
}

/// Answers a list: with an `ETag`, or 304 when the client's `If-None-Match` already names this content.
pub fn list(headers: &HeaderMap, data: Value) -> ApiResult {
    let body = json!({"status": "success", "data": data});
    let text = body.to_string();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    let tag = format!("\"{:016x}\"", hasher.finish());
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag));
    let etag = HeaderValue::from_str(&tag).map_err(|_| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "etag".into()))?;
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    Ok(([(header::ETAG, etag), (header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], text)
        .into_response())
}

/// The header that carries a contact's panel version on its four reads (docs/api.md).
pub const CONTACT_VERSION: &str = "contact-version";

/// `answer` with the contact's panel `version` beside it.
pub fn with_version(answer: ApiResult, version: &str) -> ApiResult {
    let mut resp = answer?;
    if let Ok(v) = HeaderValue::from_str(version) {
        resp.headers_mut().insert(CONTACT_VERSION, v);
    }
    Ok(resp)
}

/// The contact itself: its panel version is its `ETag`, and a client that names it in `If-None-Match` is
/// answered 304 (its panels are as it has them).
pub fn versioned(headers: &HeaderMap, data: Value, version: &str) -> ApiResult {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == version));
    let tag = HeaderValue::from_str(version).map_err(|_| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "etag".into()))?;
    if matches {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, tag.clone()),
                (
                    CONTACT_VERSION
                        .parse()
                        .map_err(|_| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "header".into()))?,
                    tag,
                ),
            ],
        )
            .into_response());
    }
    with_version(
        ok(data).map(|mut r| {
            r.headers_mut().insert(header::ETAG, tag);
            r
        }),
        version,
    )
}

/// Parses a JSON object body, or explains why not (400).
pub fn body(bytes: &[u8]) -> Result<serde_json::Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Default::default());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(ApiError::bad_request("the body must be a JSON object")),
        Err(_) => Err(ApiError::bad_request("the body is not valid JSON")),
    }
}

/// An optional string field of a body; a non-string is refused (422).
pub fn opt_str(b: &serde_json::Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match b.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid(format!("{key} must be a string"))),
    }
}

/// A required text field (message, comment): present, not blank, at most 10,000 characters (422 otherwise).
pub fn required_text(b: &serde_json::Map<String, Value>, key: &str) -> Result<String, ApiError> {
    let text = opt_str(b, key)?.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::invalid(format!("{key} must not be empty")));
    }
    if text.chars().count() > 10_000 {
        return Err(ApiError::invalid(format!("{key} is longer than 10,000 characters")));
    }
    Ok(text)
}
