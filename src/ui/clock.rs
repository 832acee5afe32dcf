//! Absolute times in the agent's own zone (`TZ`, else the system's), each labelled with its offset so a
//! time is never mistaken for the server's. Set for one draw, like the theme; a draw outside it is in UTC.

use crate::domain::Time;
use chrono::{FixedOffset, Local, Offset};
use std::cell::Cell;

/// The zone absolute times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The agent's: `TZ`, else the system's (daylight saving followed per instant).
    Local,
    /// A fixed offset (UTC, or a test's zone).
    Fixed(FixedOffset),
}

/// UTC, the zone of a draw that did not say.
pub const UTC: Zone = Zone::Fixed(match FixedOffset::east_opt(0) {
    Some(z) => z,
    None => unreachable!(),
});

thread_local! {
    static CURRENT: Cell<Zone> = const { Cell::new(UTC) };
}

/// Runs `draw` with `zone` in force on this thread, then puts the previous one back.
pub fn with<R>(zone: Zone, draw: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(|c| c.replace(zone));
    let out = draw();
    CURRENT.with(|c| c.set(before));
    out
}

/// The offset in force at `t`.
fn offset_at(t: Time) -> FixedOffset {
    match CURRENT.with(Cell::get) {
        Zone::Local => t.with_timezone(&Local).offset().fix(),
        Zone::Fixed(z) => z,
    }
}

/// `t` in the agent's zone, in `fmt` (chrono's strftime), without a label.
pub fn format(t: Time, fmt: &str) -> String {
    t.with_timezone(&offset_at(t)).format(fmt).to_string()
}

/// The zone's label at `t`: "UTC", "UTC+1", "UTC-3:30".
pub fn label(t: Time) -> String {
    let secs = offset_at(t).local_minus_utc();
    if secs == 0 {
        return "UTC".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    if m == 0 { format!("UTC{sign}{h}") } else { format!("UTC{sign}{h}:{m:02}") }
}

/// `t` in `fmt` followed by its zone's label: "14:05 UTC+1".
pub fn stamp(t: Time, fmt: &str) -> String {
    format!("{} {}", format(t, fmt), label(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_the_zone_in_force_with_its_offset() {
        let t = chrono::Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap();
        assert_eq!(stamp(t, "%b %d %H:%M"), "Nov 22 23:30 UTC", "a draw that did not say is in UTC");
        let kolkata = Zone::Fixed(FixedOffset::east_opt(5 * 3600 + 1800).unwrap());
        assert_eq!(with(kolkata, || stamp(t, "%b %d %H:%M")), "Nov 23 05:00 UTC+5:30", "the date follows the zone");
        let sao_paulo = Zone::Fixed(FixedOffset::west_opt(3 * 3600).unwrap());
        assert_eq!(with(sao_paulo, || stamp(t, "%H:%M")), "20:30 UTC-3");
        assert_eq!(label(t), "UTC", "the zone is put back after the draw");
    }
}
