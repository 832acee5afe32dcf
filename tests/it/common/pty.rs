//! Drives the real `tinbox` binary in a pseudo-terminal and reads its screen through a VT100 parser.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running tinbox in a pseudo-terminal.
pub struct Pty {
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    pub screen: Arc<Mutex<vt100::Parser>>,
    /// Everything the program wrote, for checks on raw escape sequences.
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// Every distinct status line (the bottom row) shown so far, for the story a failure tells.
    pub status_lines: Arc<Mutex<Vec<String>>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    pub data_dir: tempfile::TempDir,
}

impl Pty {
    /// Starts `tinbox args…` in a `cols`×`rows` terminal with its own data directory and no config file.
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Pty {
        Self::spawn_in(args, cols, rows, tempfile::tempdir().unwrap())
    }

    /// Like [`Pty::spawn`], with a given data directory (to restart on the same drafts).
    pub fn spawn_in(args: &[&str], cols: u16, rows: u16, data_dir: tempfile::TempDir) -> Pty {
        Self::spawn_with(args, cols, rows, data_dir, &[])
    }

    /// Like [`Pty::spawn_in`], with extra environment variables.
    pub fn spawn_with(args: &[&str], cols: u16, rows: u16, data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> Pty {
        let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tinbox"));
        cmd.args(args);
        // A developer's own TINBOX_* settings (say TINBOX_BACKEND=whatomate) must never reach a test.
        for name in super::tinbox_variables() {
            cmd.env_remove(name);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("TINBOX_DATA_DIR", data_dir.path());
        cmd.env("TINBOX_CONFIG", data_dir.path().join("none.toml"));
        cmd.env_remove("VISUAL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        // tinbox draws at most 1000×500 whatever the terminal claims (so must the parser here).
        let (rows, cols) = (rows.min(500), cols.min(1000));
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let status_lines = Arc::new(Mutex::new(Vec::new()));
        let (s, r, h) = (screen.clone(), raw.clone(), status_lines.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut screen = s.lock().unwrap();
                screen.process(&buf[..n]);
                let last = screen.screen().contents_between(rows - 1, 0, rows - 1, cols).trim_end().to_string();
                let mut seen = h.lock().unwrap();
                if seen.last() != Some(&last) {
                    seen.push(last);
                }
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty { child, writer, screen, raw, status_lines, _master: pair.master, data_dir }
    }

    /// The screen's text.
    pub fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `needle`, or panics with the screen after `secs`.
    pub fn wait_for(&self, needle: &str, secs: u64) {
        self.wait_until(&format!("{needle:?}"), secs, |t| t.contains(needle));
    }

    /// Waits until the status line shows (or has shown) `needle`. Confirmations fade after a few seconds by
    /// design, so a test that was slow to look still sees that one was given.
    pub fn wait_for_notice(&self, needle: &str, secs: u64) {
        let shown = |_: &str| self.status_lines.lock().unwrap().iter().any(|l| l.contains(needle));
        self.wait_until(&format!("the notice {needle:?}"), secs, shown);
    }

    /// Waits until `pred` holds for the screen text.
    pub fn wait_until(&self, what: &str, secs: u64, pred: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            // Checked once more after the deadline: a test thread starved past it still looks before failing.
            let late = Instant::now() >= deadline;
            if pred(&self.text()) {
                return;
            }
            if late {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let history = self.status_lines.lock().unwrap();
        let story = history.iter().rev().take(12).rev().cloned().collect::<Vec<_>>().join("\n");
        panic!("timed out waiting for {what}; screen:\n{}\nlast status lines:\n{story}", self.text());
    }

    /// Types keys.
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the process to end, returning whether it exited successfully.
    pub fn wait_exit(&mut self, secs: u64) -> bool {
        self.wait_status(secs).success()
    }

    /// Waits for the process to end, returning its exit status.
    pub fn wait_status(&mut self, secs: u64) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("tinbox did not exit within {secs}s; screen:\n{}", self.text());
    }

    /// The process id.
    pub fn pid(&self) -> i32 {
        self.child.process_id().map(|p| p as i32).unwrap_or(0)
    }

    /// Sends a signal to the process through the OS (no external `kill` program).
    pub fn signal(&self, sig: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), sig).unwrap();
    }

    /// Ends the process and hands back its data directory.
    pub fn into_data_dir(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.data_dir, dir)
    }

    /// Waits until what the program wrote after byte `from` contains `needle`.
    pub fn wait_for_bytes(&self, from: usize, needle: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let raw = self.raw.lock().unwrap();
            let after = String::from_utf8_lossy(raw.get(from..).unwrap_or_default()).into_owned();
            drop(raw);
            if after.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?} in the output; screen:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// How many bytes the program has written so far.
    pub fn written(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// True when the terminal is back to normal: main screen, cursor shown, bracketed paste off.
    pub fn restored(&self) -> bool {
        let p = self.screen.lock().unwrap();
        !p.screen().alternate_screen() && !p.screen().hide_cursor() && !p.screen().bracketed_paste()
    }

    /// True while the program has bracketed paste on.
    pub fn bracketed_paste(&self) -> bool {
        self.screen.lock().unwrap().screen().bracketed_paste()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
