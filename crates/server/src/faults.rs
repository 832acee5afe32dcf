//! Fault injection for tests and demos: `tinbox serve --faults 'error=0.2,latency=1500ms,malformed=0.05,drop=0.05,rate_limit=0.1'`.
//!
//! Rate limits and errors are answered before the request is handled. Malformed and dropped answers
//! happen after it was handled: the change took effect, but the client cannot know, which is exactly
//! the case a client must get right.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often each fault happens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Share of requests answered 5xx (before handling).
    pub error: f64,
    /// Each answer is delayed by a random time up to this.
    pub latency: Duration,
    /// Share of answers cut short (after handling).
    pub malformed: f64,
    /// Share of connections dropped mid-answer (after handling).
    pub drop: f64,
    /// Share of requests answered 429 with Retry-After (before handling).
    pub rate_limit: f64,
    /// Seed for the dice, so a test sees the same faults every run.
    pub seed: Option<u64>,
}

impl std::str::FromStr for Faults {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut f = Faults::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| format!("{part:?} is not name=value"))?;
            let share = || -> Result<f64, String> {
                v.parse::<f64>()
                    .ok()
                    .filter(|x| (0.0..=1.0).contains(x))
                    .ok_or_else(|| format!("{k} must be between 0 and 1"))
            };
            match k {
                "error" => f.error = share()?,
                "malformed" => f.malformed = share()?,
                "drop" => f.drop = share()?,
                "rate_limit" => f.rate_limit = share()?,
                "latency" => {
                    let ms = v
                        .strip_suffix("ms")
                        .unwrap_or(v)
                        .parse::<u64>()
                        .map_err(|_| "latency is like 1500ms".to_string())?;
                    f.latency = Duration::from_millis(ms);
                }
                "seed" => f.seed = Some(v.parse().map_err(|_| "seed is a whole number".to_string())?),
                other => {
                    return Err(format!(
                        "unknown fault {other:?}: use error, latency, malformed, drop, rate_limit, seed"
                    ));
                }
            }
        }
        Ok(f)
    }
}

/// The fault dice shared by all requests.
pub struct Dice {
    faults: Faults,
    rng: Mutex<StdRng>,
}

impl Dice {
    /// Dice for `faults`.
    pub fn new(faults: Faults) -> Self {
        let rng = faults.seed.map(StdRng::seed_from_u64).unwrap_or_else(|| StdRng::from_rng(&mut rand::rng()));
        Self { faults, rng: Mutex::new(rng) }
    }

    fn roll(&self) -> (f64, f64, f64, f64, f64, f64) {
        let mut r = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        (r.random(), r.random(), r.random(), r.random(), r.random(), r.random())
    }
}

fn error_body(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({"status": "error", "message": message, "data": null});
    (status, axum::Json(body)).into_response()
}

/// The middleware: applies the dice to every API request except the live stream.
pub async fn inject(State(dice): State<Arc<Dice>>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/api/events" {
        return next.run(req).await;
    }
    let f = &dice.faults;
    let (rate, err, lat, bad, drop, which) = dice.roll();
    if rate < f.rate_limit {
        let mut resp = error_body(StatusCode::TOO_MANY_REQUESTS, "slow down");
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return resp;
    }
    if err < f.error {
        let status = [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY, StatusCode::SERVICE_UNAVAILABLE]
            [(which * 3.0) as usize % 3];
        return error_body(status, "injected failure");
    }
    if !f.latency.is_zero() {
        tokio::time::sleep(f.latency.mul_f64(lat)).await;
    }
    let resp = next.run(req).await;
    if drop < f.drop {
        // The change (if any) took effect; the answer never arrives.
        let broken = futures::stream::once(async { Err::<axum::body::Bytes, _>(std::io::Error::other("dropped")) });
        let (parts, _) = resp.into_parts();
        return Response::from_parts(parts, Body::from_stream(broken));
    }
    if bad < f.malformed {
        let (mut parts, body) = resp.into_parts();
        let bytes = to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
        let cut = bytes.slice(..bytes.len() / 2);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(cut));
    }
    resp
}
