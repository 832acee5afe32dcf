//! WhatsApp's 24-hour customer-service window, as the thread's header and the composer say it.

use super::theme;
use crate::domain::{ServiceWindow, Time};
use ratatui::text::Span;

/// A short header note: how long free-form replies stay allowed, or that only templates go out now.
pub fn header(w: &ServiceWindow, now: Time) -> Span<'static> {
    match (w.open_at(now), w.closes_at()) {
        (true, Some(closes)) => {
            let left = super::age::age(now, closes);
            let style = if closes - now < chrono::TimeDelta::hours(2) { theme::warn() } else { theme::dim() };
            Span::styled(format!(" reply window: {left} left "), style)
        }
        (true, None) => Span::styled(" reply window open ", theme::dim()),
        (false, _) => Span::styled(" reply window closed: templates only ", theme::error()),
    }
}

/// The composer's warning when a free-form reply would be refused.
pub fn composer_warning(w: &ServiceWindow, now: Time) -> Option<String> {
    if w.open_at(now) {
        return None;
    }
    let since = w.closes_at().map(|c| format!(" {} ago", super::age::age(c, now))).unwrap_or_default();
    // Short enough for 80 columns; the thread's header already says only templates go out.
    Some(format!(" 24h window closed{since}: WhatsApp will refuse this reply · Ctrl-T template "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, Utc};

    #[test]
    fn counts_down_then_warns() {
        let now = Utc::now();
        let open = ServiceWindow { open: true, last_inbound_at: Some(now - TimeDelta::hours(20)) };
        assert_eq!(header(&open, now).content, " reply window: 4h left ");
        assert!(composer_warning(&open, now).is_none());
        // The server said open, but the day has passed since: closed now.
        let aged = ServiceWindow { open: true, last_inbound_at: Some(now - TimeDelta::hours(30)) };
        assert!(header(&aged, now).content.contains("closed"));
        assert!(composer_warning(&aged, now).is_some_and(|w| w.contains("closed 6h ago")));
    }
}
