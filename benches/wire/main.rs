//! The wire and terminal benchmark (issue 13): the release binary in a pseudo-terminal against the reference
//! server and against a test server holding 100,000 conversations, behind a proxy that counts connections
//! and requests. Prints each figure with its target. Run by hand: `cargo bench --bench wire` (about 6 minutes).
//! `WIRE_ONLY=small`, `big` or `merge` runs one part.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod big;
mod merge;
mod meter;
mod term;

use meter::Meter;
use std::time::{Duration, Instant};
use term::Term;

/// The binary measured: the release build, or `WIRE_BIN` (to measure another build against the same servers).
fn bin() -> String {
    std::env::var("WIRE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_tinbox").to_string())
}

/// One line of the table.
fn row(figure: &str, measured: String, target: &str, met: bool) {
    let mark = if met { "met" } else { "NOT MET" };
    println!("{figure:<58} {measured:<34} target {target:<22} {mark}");
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

/// Waits until the meter saw a request whose line contains `needle` after `t`; how long that took.
fn request_seen(meter: &Meter, t: Instant, needle: &str, limit: Duration) -> Option<Duration> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Some((at, _)) = meter.requests().into_iter().find(|(at, r)| *at >= t && r.contains(needle)) {
            return Some(at - t);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

fn small(rt: &tokio::runtime::Runtime) {
    println!("\n== against the reference server (demo data), 200×50 ==");
    let server = rt.block_on(tinbox_server::spawn_demo("127.0.0.1:0".parse().unwrap(), Default::default())).unwrap();
    let meter = rt.block_on(Meter::start(server.addr));
    let token = server.token_for("alice").unwrap();
    let mut term = Term::spawn(&bin(), &["--server", &meter.url(), "--token", &token], 200, 50);
    term.wait_output(Duration::from_secs(20));
    term.settle(Duration::from_secs(2));
    let page_size = meter
        .requests()
        .into_iter()
        .filter(|(_, r)| r.contains("/api/conversations?"))
        .filter_map(|(_, r)| r.split("limit=").nth(1).and_then(|s| s.split(['&', ' ']).next()).map(str::to_string))
        .max_by_key(|l| l.parse::<u32>().unwrap_or(0))
        .unwrap_or_default();
    row("page size asked for (native API's maximum is 100)", page_size.clone(), "100", page_size == "100");

    // One `j` at a time, resting a second on each row: the bytes of the key's own frame.
    let mut frames = Vec::new();
    for _ in 0..8 {
        let t = Instant::now();
        term.send("j");
        std::thread::sleep(Duration::from_millis(1000));
        if let Some((_, size)) = term.first_burst(t, Duration::from_millis(8)) {
            frames.push(size);
        }
        term.settle(Duration::from_millis(300));
    }
    frames.sort();
    let worst = frames.last().copied().unwrap_or(0);
    row(
        "bytes written for the frame of one `j` at 200×50 (worst of 8)",
        format!("{worst} B (median {} B)", frames.get(frames.len() / 2).copied().unwrap_or(0)),
        "≤ 700 B",
        worst <= 700,
    );

    // A healthy idle minute: no request, and never "offline".
    term.forget_said();
    let t = Instant::now();
    std::thread::sleep(Duration::from_secs(60));
    let idle = meter.requests_since(t);
    let offline = term.said("offline");
    row(
        "requests in an idle minute on a healthy live stream",
        format!("{}{}", idle.len(), if offline { ", \"offline\" shown" } else { ", never offline" }),
        "0, never offline",
        idle.is_empty() && !offline,
    );

    // Back to a row rested on a minute ago.
    let t = Instant::now();
    term.send("k");
    std::thread::sleep(Duration::from_secs(2));
    let back: Vec<String> = meter.requests_since(t).into_iter().filter(|r| !r.contains("/api/events")).collect();
    row(
        "requests when the selection rests on a row seen a minute ago",
        format!(
            "{} ({})",
            back.len(),
            back.iter().map(|r| r.split(' ').nth(1).unwrap_or("")).collect::<Vec<_>>().join(", ")
        ),
        "0–1",
        back.len() <= 1,
    );

    // Twenty customer messages in two seconds: how many count requests follow.
    let t = Instant::now();
    for i in 0..20usize {
        server.with_store(|s| {
            let idx = (i * 7) % s.conversations.len();
            s.add_message(idx, None, false, "Any news?", chrono::Utc::now());
        });
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(2500));
    let counts =
        meter.requests_since(t).into_iter().filter(|r| r.contains("limit=1&") || r.contains("limit=1 ")).count();
    let window = t.elapsed().as_secs_f64();
    row(
        "count requests for 20 live events in 2 s (3 per batch)",
        format!("{counts} ({:.1} batches/s over {window:.1} s)", counts as f64 / 3.0 / window),
        "≤ 1 batch/s",
        counts as f64 / 3.0 <= window.ceil(),
    );

    // Moving through the list against a slow server: connections per request.
    meter.set_delay(Duration::from_millis(300));
    let (c0, r0) = (meter.connections(), meter.requests().len());
    for i in 0..100 {
        term.send(if (i / 25) % 2 == 0 { "j" } else { "k" });
        std::thread::sleep(Duration::from_millis(150));
    }
    std::thread::sleep(Duration::from_secs(3));
    meter.set_delay(Duration::ZERO);
    let (c, r) = (meter.connections() - c0, meter.requests().len() - r0);
    let per100 = if r == 0 { 0.0 } else { c as f64 * 100.0 / r as f64 };
    row(
        "new TCP connections per 100 requests, moving against a slow server",
        format!("{per100:.0} ({c} connections, {r} requests)"),
        "≤ 10",
        per100 <= 10.0,
    );

    // The server goes away for a minute and comes back.
    meter.set_up(false);
    std::thread::sleep(Duration::from_secs(60));
    let t = Instant::now();
    meter.set_up(true);
    let back = request_seen(&meter, t, "/api/events", Duration::from_secs(120));
    row(
        "reconnect after the server comes back (down 60 s)",
        back.map_or("not within 120 s".into(), |d| format!("{:.1} s", d.as_secs_f64())),
        "≤ ~10 s",
        back.is_some_and(|d| d <= Duration::from_secs(11)),
    );
    term.settle(Duration::from_secs(1));
    meter.set_up(false);
    std::thread::sleep(Duration::from_secs(20));
    meter.set_up(true);
    let t = Instant::now();
    term.send("r");
    let back = request_seen(&meter, t, "/api/events", Duration::from_secs(60));
    row(
        "`r` after the server came back: the stream reopens in",
        back.map_or("not within 60 s".into(), |d| format!("{:.2} s", d.as_secs_f64())),
        "at once (< 1 s)",
        back.is_some_and(|d| d < Duration::from_secs(1)),
    );
}

fn bigger(rt: &tokio::runtime::Runtime, n: usize) {
    println!("\n== against a test server holding {n} conversations, 200×50 ==");
    let store = big::store(n);
    let json = big::json_bytes(&store);
    let server = rt.block_on(tinbox_server::spawn("127.0.0.1:0".parse().unwrap(), store, Default::default())).unwrap();
    let meter = rt.block_on(Meter::start(server.addr));
    let token = server.token_for("alice").unwrap();
    let mut term = Term::spawn(&bin(), &["--server", &meter.url(), "--token", &token], 200, 50);
    term.wait_for("Kunde", Duration::from_secs(30));
    term.settle(Duration::from_secs(2));
    let rss0 = term.rss();

    // `j` held at 1,000 keys a second for five seconds, then `?`: when help shows, every key before it was handled.
    let start = Instant::now();
    for i in 0..5000u32 {
        let due = start + Duration::from_micros(u64::from(i) * 1000);
        while Instant::now() < due {
            std::hint::spin_loop();
        }
        term.send("j");
    }
    let sent = Instant::now();
    term.send("?");
    let shown = term.wait_for(" Keys ", Duration::from_secs(60));
    let behind = sent.elapsed();
    let rate = 5001.0 / start.elapsed().as_secs_f64();
    row(
        "`j` held at 1,000 keys/s for 5 s: keys handled, lag at the end",
        if shown { format!("{rate:.0}/s, {} behind", ms(behind)) } else { "help never showed".into() },
        "all; ≤ ~100 ms behind",
        shown && behind <= Duration::from_millis(150),
    );
    term.send("\x1b");
    term.settle(Duration::from_millis(500));

    // To the end: `G` (the pages then follow one another to the server's last conversation), and `G` again
    // every 50 ms while they load, each key's frame timed.
    let last = format!("Kunde {:06}", n - 1);
    let start = Instant::now();
    let mut latencies = Vec::new();
    let mut reached = false;
    while start.elapsed() < Duration::from_secs(300) {
        let t = Instant::now();
        term.send("G");
        if let Some(d) = term.next_output(t, Duration::from_secs(2)) {
            latencies.push(d);
        }
        if term.text().contains(&last) {
            reached = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50).saturating_sub(t.elapsed()));
    }
    let took = start.elapsed();
    let p99 = percentile(&mut latencies, 0.99);
    row(
        &format!("time to scroll to the end of {n} conversations"),
        if reached {
            format!("{:.1} s", took.as_secs_f64())
        } else {
            format!("not reached in {:.0} s", took.as_secs_f64())
        },
        "≤ 30 s",
        reached && took <= Duration::from_secs(30),
    );
    row(
        "key → frame while pages load (p99, p50)",
        format!("{} / {} ({} keys)", ms(p99), ms(percentile(&mut latencies, 0.5)), latencies.len()),
        "p99 ≤ 16 ms",
        p99 <= Duration::from_millis(16),
    );
    term.settle(Duration::from_secs(2));
    let rss1 = term.rss();
    let ratio = (rss1.saturating_sub(rss0)) as f64 / json as f64;
    row(
        &format!("client memory holding {n} conversations ÷ their JSON"),
        format!("{ratio:.2} ({} MB ÷ {} MB)", (rss1 - rss0.min(rss1)) >> 20, json >> 20),
        "≤ 1.5",
        reached && ratio <= 1.5,
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --benches` runs bench targets without --bench: nothing to do then.
        return;
    }
    let only = std::env::var("WIRE_ONLY").unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    println!("tinbox wire benchmark: {}", bin());
    if only != "big" {
        small(&rt);
    }
    if only.is_empty() || only == "big" {
        bigger(&rt, 100_000);
    }
    if only != "small" {
        println!("\n== merging one page of 100 into the loaded list (in process) ==");
        merge::report(row);
    }
}
