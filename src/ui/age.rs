//! Short ages: "now", "5m", "3h", "4d", "7w".

use crate::domain::Time;

/// How long ago `then` was, as of `now`, in at most four cells.
pub fn age(then: Time, now: Time) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..60 => "now".into(),
        60..3_600 => format!("{}m", secs / 60),
        3_600..86_400 => format!("{}h", secs / 3_600),
        86_400..1_209_600 => format!("{}d", secs / 86_400),
        _ => format!("{}w", (secs / 604_800).min(999)),
    }
}

#[cfg(test)]
mod tests {
    use super::age;
    use chrono::{Duration, Utc};

    #[test]
    fn ages() {
        let now = Utc::now();
        assert_eq!(age(now - Duration::seconds(5), now), "now");
        assert_eq!(age(now - Duration::minutes(2), now), "2m");
        assert_eq!(age(now - Duration::hours(3), now), "3h");
        assert_eq!(age(now - Duration::days(4), now), "4d");
        assert_eq!(age(now + Duration::minutes(4), now), "now", "clock skew never shows negative ages");
    }
}
