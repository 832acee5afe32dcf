//! When to draw: at once when the screen has been still, and otherwise at most one frame per interval,
//! so a flood of changes is folded into about 60 frames a second however many arrive. A key is paced only
//! by the frames of earlier keys: pages and live events arriving never make the agent's own key wait.

use std::time::Duration;
use tokio::time::Instant;

/// The shortest time between two frames of one kind (about 60 a second).
pub const FRAME: Duration = Duration::from_millis(16);

/// The frame clock: when the last frame was drawn, and the last one drawn for a key.
#[derive(Debug, Default)]
pub struct Frames {
    last: Option<Instant>,
    last_key: Option<Instant>,
}

impl Frames {
    /// True when a frame may be drawn `now`; `keyed` when what changed includes the agent's input.
    pub fn may_draw(&self, now: Instant, keyed: bool) -> bool {
        self.next(keyed).is_none_or(|at| now >= at)
    }

    /// A frame was drawn `now` (`keyed`: it showed input).
    pub fn drawn(&mut self, now: Instant, keyed: bool) {
        self.last = Some(now);
        if keyed {
            self.last_key = Some(now);
        }
    }

    /// When the next frame may be drawn, for a screen that has changed since the last one.
    pub fn next(&self, keyed: bool) -> Option<Instant> {
        if keyed { self.last_key } else { self.last }.map(|last| last + FRAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_still_screen_draws_at_once_and_a_busy_one_sixty_times_a_second() {
        let start = Instant::now();
        let mut frames = Frames::default();
        assert!(frames.may_draw(start, false), "the first frame is drawn at once");
        // 10,000 changes over one second, each asking for a frame: 62 are drawn (every 16 ms).
        for keyed in [false, true] {
            let start = start + Duration::from_secs(if keyed { 10 } else { 0 });
            let mut drawn = 0;
            for i in 0..10_000u64 {
                let now = start + Duration::from_micros(i * 100);
                if frames.may_draw(now, keyed) {
                    frames.drawn(now, keyed);
                    drawn += 1;
                }
            }
            assert_eq!(drawn, 63, "keyed {keyed}: a held key is folded too");
            let last = start + Duration::from_micros(9_999 * 100);
            assert!(frames.next(keyed).is_some_and(|at| at > last), "the last change waits for its frame");
            assert!(frames.may_draw(last + Duration::from_secs(1), keyed), "after a pause a key draws at once");
        }
    }

    #[test]
    fn a_key_never_waits_for_the_frames_of_arriving_pages() {
        let start = Instant::now();
        let mut frames = Frames::default();
        frames.drawn(start, false);
        let soon = start + Duration::from_millis(2);
        assert!(!frames.may_draw(soon, false), "another page waits for the interval");
        assert!(frames.may_draw(soon, true), "a key is drawn at once");
        frames.drawn(soon, true);
        assert!(!frames.may_draw(soon + Duration::from_millis(5), true), "the next key waits for its interval");
        assert!(!frames.may_draw(soon + Duration::from_millis(5), false), "and so does a page");
    }
}
