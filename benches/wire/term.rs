//! The release binary in a pseudo-terminal: every byte it writes is timed, counted and fed to a VT100
//! screen, so the benchmark sees what an agent's terminal sees.

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the reader thread collects.
struct Output {
    screen: vt100::Parser,
    /// Each read: when, and how many bytes.
    reads: Vec<(Instant, usize)>,
    /// Every distinct bottom line shown.
    status_lines: Vec<String>,
}

/// A running tinbox.
pub struct Term {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    out: Arc<Mutex<Output>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    _data: tempfile::TempDir,
}

impl Term {
    /// Starts `bin args…` in a `cols`×`rows` terminal with an empty data directory and no config.
    pub fn spawn(bin: &str, args: &[&str], cols: u16, rows: u16) -> Term {
        let data = tempfile::tempdir().expect("a data directory");
        let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("pty");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        for (k, _) in std::env::vars() {
            if k.starts_with("TINBOX_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("TINBOX_DATA_DIR", data.path());
        cmd.env("TINBOX_CONFIG", data.path().join("none.toml"));
        let child = pair.slave.spawn_command(cmd).expect("start tinbox");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let out = Arc::new(Mutex::new(Output {
            screen: vt100::Parser::new(rows, cols, 0),
            reads: Vec::new(),
            status_lines: Vec::new(),
        }));
        let o = out.clone();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                let mut out = o.lock().expect("output");
                out.reads.push((now, n));
                out.screen.process(&buf[..n]);
                let last = out.screen.screen().contents_between(rows - 1, 0, rows - 1, cols).trim_end().to_string();
                if out.status_lines.last() != Some(&last) {
                    out.status_lines.push(last);
                }
            }
        });
        Term { child, writer, out, _master: pair.master, _data: data }
    }

    /// The screen's text.
    pub fn text(&self) -> String {
        self.out.lock().expect("output").screen.screen().contents()
    }

    /// Waits until the screen shows `needle`; false after `limit`.
    pub fn wait_for(&self, needle: &str, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if self.text().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }

    /// Waits until something has been written.
    pub fn wait_output(&self, limit: Duration) {
        let end = Instant::now() + limit;
        while self.out.lock().expect("output").reads.is_empty() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until nothing has been written for `gap`.
    pub fn settle(&self, gap: Duration) {
        loop {
            let last = self.out.lock().expect("output").reads.last().map(|r| r.0);
            match last {
                Some(t) if t.elapsed() < gap => std::thread::sleep(gap - t.elapsed()),
                _ => return,
            }
        }
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("flush");
    }

    /// The first burst of output after `t` (reads closer than `gap` to each other): when it began, and its size.
    pub fn first_burst(&self, t: Instant, gap: Duration) -> Option<(Duration, usize)> {
        let out = self.out.lock().expect("output");
        let mut reads = out.reads.iter().filter(|r| r.0 >= t);
        let first = reads.next()?;
        let (mut last, mut size) = (first.0, first.1);
        for r in reads {
            if r.0 - last > gap {
                break;
            }
            last = r.0;
            size += r.1;
        }
        Some((first.0 - t, size))
    }

    /// When the first byte after `t` was read, waiting up to `limit` for it.
    pub fn next_output(&self, t: Instant, limit: Duration) -> Option<Duration> {
        let end = Instant::now() + limit;
        loop {
            if let Some(r) = self.out.lock().expect("output").reads.iter().rev().take_while(|r| r.0 >= t).last() {
                return Some(r.0 - t);
            }
            if Instant::now() >= end {
                return None;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// True when any bottom line shown so far contains `needle`.
    pub fn said(&self, needle: &str) -> bool {
        self.out.lock().expect("output").status_lines.iter().any(|l| l.contains(needle))
    }

    /// Forgets the bottom lines shown so far.
    pub fn forget_said(&self) {
        self.out.lock().expect("output").status_lines.clear();
    }

    /// The process's resident memory, in bytes.
    pub fn rss(&self) -> u64 {
        let pid = self.child.process_id().unwrap_or(0);
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.writer.write_all(b"q");
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
