//! When to draw: at once when the screen has been still, and otherwise at most one frame per interval,
//! so a flood of changes is folded into about 60 frames a second however many arrive.

use std::time::Duration;
use tokio::time::Instant;

/// The shortest time between two frames (about 60 a second).
pub const FRAME: Duration = Duration::from_millis(16);

/// The frame clock: when the last frame was drawn.
#[derive(Debug, Default)]
pub struct Frames {
    last: Option<Instant>,
}

impl Frames {
    /// True when a frame may be drawn `now`.
    pub fn may_draw(&self, now: Instant) -> bool {
        self.last.is_none_or(|last| now >= last + FRAME)
    }

    /// A frame was drawn `now`.
    pub fn drawn(&mut self, now: Instant) {
        self.last = Some(now);
    }

    /// When the next frame may be drawn, for a screen that has changed since the last one.
    pub fn next(&self) -> Option<Instant> {
        self.last.map(|last| last + FRAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_still_screen_draws_at_once_and_a_busy_one_sixty_times_a_second() {
        let start = Instant::now();
        let mut frames = Frames::default();
        assert!(frames.may_draw(start), "the first frame is drawn at once");
        // 10,000 changes over one second, each asking for a frame: 62 are drawn (every 16 ms).
        let mut drawn = 0;
        for i in 0..10_000u64 {
            let now = start + Duration::from_micros(i * 100);
            if frames.may_draw(now) {
                frames.drawn(now);
                drawn += 1;
            }
        }
        assert_eq!(drawn, 63);
        let last = start + Duration::from_micros(9_999 * 100);
        assert!(frames.next().is_some_and(|at| at > last), "the last change waits for its frame");
        assert!(frames.may_draw(last + Duration::from_secs(1)), "after a pause a key draws at once");
    }
}
