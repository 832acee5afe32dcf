//! Credentials stay with their server: a redirect to another origin is refused with words naming where it
//! pointed, for every backend, and the other origin never hears from tinbox (no key, token, cookie or
//! password). Answers are read with a cap.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::IntoResponse;
use std::sync::{Arc, Mutex};
use tinbox::backend::imbrace::ImbraceBackend;
use tinbox::backend::native::NativeBackend;
use tinbox::backend::whatomate::WhatomateBackend;
use tinbox::backend::whatomate::auth::Credentials;
use tinbox::backend::*;
use tinbox::secret::Secret;

type Seen = Arc<Mutex<Vec<String>>>;

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    format!("http://{addr}")
}

/// A host that records every request it gets, with its headers and body.
async fn trap() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let s = seen.clone();
    let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: String| {
        let s = s.clone();
        async move {
            s.lock().unwrap().push(format!("{uri} {headers:?} {body}"));
            (StatusCode::OK, "{}")
        }
    });
    (serve(app).await, seen)
}

/// A server that answers every request with a 307 to the same path on `target`.
async fn redirector(target: String) -> String {
    let app = Router::new().fallback(move |uri: Uri| {
        let to = format!("{target}{}", uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
        async move { (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response() }
    });
    serve(app).await
}

fn refused(e: BackendError, trap: &str) {
    let words = e.to_string();
    assert!(words.contains(&format!("redirected to {trap}/")), "the error names the target: {words}");
    assert!(words.contains("another origin"), "{words}");
}

#[tokio::test]
async fn no_backend_follows_a_redirect_to_another_origin() {
    let (trap_url, seen) = trap().await;
    let server = redirector(trap_url.clone()).await;

    let native = NativeBackend::new(&server, Secret::new("native-token")).unwrap();
    refused(native.me().await.unwrap_err(), &trap_url);

    let imbrace = ImbraceBackend::new(&server, Secret::new("imbrace-key"), None).unwrap();
    refused(imbrace.me().await.unwrap_err(), &trap_url);

    let key = WhatomateBackend::new(&server, Credentials::ApiKey(Secret::new("whatomate-key"))).unwrap();
    refused(key.me().await.unwrap_err(), &trap_url);

    let password = Credentials::Password { email: "ana@example.com".into(), password: Secret::new("hunter2") };
    let login = WhatomateBackend::new(&server, password).unwrap();
    refused(login.me().await.unwrap_err(), &trap_url);

    assert!(seen.lock().unwrap().is_empty(), "the other origin heard: {:?}", seen.lock().unwrap());
}

#[tokio::test]
async fn a_redirect_within_the_server_is_followed() {
    let app = Router::new()
        .route(
            "/api/me",
            axum::routing::get(|| async { (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, "/api/v2/me")]) }),
        )
        .route(
            "/api/v2/me",
            axum::routing::get(|h: HeaderMap| async move {
                let auth = h.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let body = serde_json::json!({"id": "u1", "name": auth, "email": "a@example.com", "role": "agent"});
                axum::Json(serde_json::json!({"status": "success", "data": body}))
            }),
        );
    let server = serve(app).await;
    let native = NativeBackend::new(&server, Secret::new("native-token")).unwrap();
    let me = native.me().await.unwrap();
    assert_eq!(me.name, "Bearer native-token", "the same origin keeps the credential");
}

#[tokio::test]
async fn an_answer_past_the_cap_fails_with_words_and_is_not_read() {
    let huge = net::BODY_CAP + 1;
    let app = Router::new().fallback(move || async move {
        // Streamed without a length, so the cap is met while reading.
        let chunk = axum::body::Bytes::from(vec![b' '; 1 << 20]);
        let n = huge.div_ceil(1 << 20);
        let stream = futures::stream::iter((0..n).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
        axum::body::Body::from_stream(stream)
    });
    let server = serve(app).await;
    let native = NativeBackend::new(&server, Secret::new("t")).unwrap();
    let e = native.me().await.unwrap_err();
    assert!(e.to_string().contains("larger than 32 MB"), "{e}");
}

#[tokio::test]
async fn a_failed_request_is_logged_without_its_url() {
    // Nothing listens on port 9 of loopback: the request fails with its URL, search terms and all.
    let e = reqwest::get("http://127.0.0.1:9/api/conversations?search=ana.lopez%40example.com").await.unwrap_err();
    assert!(e.to_string().contains("ana.lopez"), "the error carries the URL: {e}");
    let out = crate::common::Capture::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let mapped = tracing::subscriber::with_default(subscriber, || tinbox::backend::net::network_error(e));
    let log = String::from_utf8(out.bytes()).unwrap();
    assert!(log.contains("request failed"), "the failure is logged: {log}");
    assert!(!log.contains("ana.lopez") && !log.contains("search="), "no search terms in the log: {log}");
    assert!(!mapped.to_string().contains("ana.lopez"));
}
