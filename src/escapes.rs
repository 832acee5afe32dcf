//! Escapes written past the screen: the clipboard (OSC 52), the bell, and desktop notifications (OSC 9 and
//! OSC 777). Inside tmux each goes through its passthrough, so it reaches the terminal around tmux.

use base64::Engine;

/// Wraps `seq` for tmux's passthrough when running inside tmux (every ESC doubled, in a DCS).
fn through_tmux(seq: &str, in_tmux: bool) -> String {
    if in_tmux { format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b")) } else { seq.to_string() }
}

fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// The escape that puts `text` on the clipboard.
pub fn clipboard(text: &str, tmux: bool) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(text);
    through_tmux(&format!("\x1b]52;c;{data}\x07"), tmux)
}

/// A desktop notification: OSC 9 (iTerm2, kitty, WezTerm, foot…) and OSC 777 (urxvt, VTE terminals).
pub fn notification(text: &str, tmux: bool) -> String {
    // Only printable text: the terminal must not be given a way out of the sequence.
    let text: String = crate::text::clean_line(text).chars().filter(|c| *c != ';').collect();
    through_tmux(&format!("\x1b]9;{text}\x07\x1b]777;notify;tinbox;{text}\x07"), tmux)
}

/// Writes `seq` to the terminal now.
pub fn write(seq: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(seq.as_bytes()).and_then(|_| out.flush()) {
        tracing::warn!(error = %e, "could not write an escape to the terminal");
    }
}

/// Puts `text` on the clipboard of the terminal tinbox runs in (through tmux when inside it).
pub fn copy(text: &str) {
    write(&clipboard(text, in_tmux()));
}

/// The alerts an agent chose (`[notify]` in the config): the bell by default, desktop notifications on ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Alerts {
    /// Ring the terminal bell.
    pub bell: bool,
    /// Send a desktop notification (OSC 9 / OSC 777).
    pub desktop: bool,
}

impl Default for Alerts {
    fn default() -> Self {
        Alerts { bell: true, desktop: false }
    }
}

impl Alerts {
    /// What to write for `text`, as chosen.
    pub fn escapes(&self, text: &str, tmux: bool) -> String {
        let mut out = String::new();
        if self.bell {
            out.push('\x07');
        }
        if self.desktop {
            out.push_str(&notification(text, tmux));
        }
        out
    }

    /// Alerts the agent about `text`.
    pub fn alert(&self, text: &str) {
        let seq = self.escapes(text, in_tmux());
        if !seq.is_empty() {
            write(&seq);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_in_base64_and_passes_through_tmux() {
        assert_eq!(clipboard("+351 912", false), "\x1b]52;c;KzM1MSA5MTI=\x07");
        assert_eq!(clipboard("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }

    #[test]
    fn alerts_ring_by_default_and_notify_the_desktop_on_ask_with_clean_text() {
        assert_eq!(Alerts::default().escapes("x", false), "\x07");
        let both = Alerts { bell: false, desktop: true }.escapes("Ana\x1b]52;c;evil\x07: hi;there", false);
        assert_eq!(both, "\x1b]9;Ana: hithere\x07\x1b]777;notify;tinbox;Ana: hithere\x07");
    }
}
