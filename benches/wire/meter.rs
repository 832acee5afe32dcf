//! A TCP proxy in front of the server under test: it counts connections and HTTP requests (by their
//! request line), can make every request slow, and can go down and come back on the same port.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the meter has seen.
#[derive(Default)]
struct Seen {
    connections: AtomicU64,
    requests: Mutex<Vec<(Instant, String)>>,
    delay_ms: AtomicU64,
}

/// The proxy; clients use [`Meter::url`].
pub struct Meter {
    pub addr: SocketAddr,
    seen: Arc<Seen>,
    up: watch::Sender<bool>,
}

impl Meter {
    /// Listens on a free port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Meter {
        let first = TcpListener::bind("127.0.0.1:0").await.expect("bind the meter");
        let addr = first.local_addr().expect("meter address");
        let seen = Arc::new(Seen::default());
        let (up, up_rx) = watch::channel(true);
        tokio::spawn(accept_loop(Some(first), addr, upstream, seen.clone(), up_rx));
        Meter { addr, seen, up }
    }

    /// The base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections opened so far.
    pub fn connections(&self) -> u64 {
        self.seen.connections.load(Ordering::SeqCst)
    }

    /// Request lines seen so far ("GET /api/… HTTP/1.1").
    pub fn requests(&self) -> Vec<(Instant, String)> {
        self.seen.requests.lock().expect("requests").clone()
    }

    /// Requests seen after `t`.
    pub fn requests_since(&self, t: Instant) -> Vec<String> {
        self.requests().into_iter().filter(|(at, _)| *at >= t).map(|(_, r)| r).collect()
    }

    /// Every request waits this long before the server sees it.
    pub fn set_delay(&self, d: Duration) {
        self.seen.delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    /// Down: every open connection is cut and the port refuses new ones. Up: it listens again.
    pub fn set_up(&self, up: bool) {
        let _ = self.up.send(up);
    }
}

async fn accept_loop(
    mut listener: Option<TcpListener>,
    addr: SocketAddr,
    upstream: SocketAddr,
    seen: Arc<Seen>,
    mut up: watch::Receiver<bool>,
) {
    loop {
        if listener.is_none() {
            while !*up.borrow_and_update() {
                if up.changed().await.is_err() {
                    return;
                }
            }
            listener = TcpListener::bind(addr).await.ok();
            if listener.is_none() {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        }
        let Some(l) = listener.as_ref() else { continue };
        tokio::select! {
            accepted = l.accept() => {
                if let Ok((client, _)) = accepted {
                    seen.connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(relay(client, upstream, seen.clone(), up.clone()));
                }
            }
            changed = up.changed() => {
                if changed.is_err() {
                    return;
                }
                if !*up.borrow() {
                    listener = None;
                }
            }
        }
    }
}

async fn relay(client: TcpStream, upstream: SocketAddr, seen: Arc<Seen>, mut up: watch::Receiver<bool>) {
    let Ok(server) = TcpStream::connect(upstream).await else { return };
    // The proxy must not add Nagle's delays of its own to what it measures.
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let to_server = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match cr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let lines = request_lines(&buf[..n]);
            if !lines.is_empty() {
                let now = Instant::now();
                seen.requests.lock().expect("requests").extend(lines.into_iter().map(|l| (now, l)));
                let delay = seen.delay_ms.load(Ordering::SeqCst);
                if delay > 0 {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                }
            }
            if sw.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let to_client = async {
        let _ = tokio::io::copy(&mut sr, &mut cw).await;
    };
    let cut = async {
        loop {
            if up.changed().await.is_err() || !*up.borrow() {
                return;
            }
        }
    };
    tokio::select! {
        _ = to_server => {}
        _ = to_client => {}
        _ = cut => {}
    }
}

/// The HTTP/1.1 request lines in a chunk the client wrote (a request's head comes in one write).
fn request_lines(chunk: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(chunk);
    let method = |l: &str| ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "].iter().any(|m| l.starts_with(m));
    text.split("\r\n").filter(|l| l.ends_with(" HTTP/1.1") && method(l)).map(str::to_string).collect()
}
