//! The cost of merging one page into the loaded list, at 1,000, 10,000 and 100,000 rows loaded.

use chrono::{Duration as TimeDelta, TimeZone, Utc};
use std::time::{Duration, Instant};
use tinbox::app::ConversationList;
use tinbox::domain::*;

fn conversation(i: usize) -> Conversation {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    let t = now - TimeDelta::seconds(i as i64);
    Conversation {
        id: format!("conv_{i:06}").into(),
        contact_id: format!("cnt_{i:06}").into(),
        contact: Contact {
            id: format!("cnt_{i:06}").into(),
            name: format!("Kunde {i:06}").into(),
            ..Default::default()
        },
        channel: Channel::Whatsapp,
        subject: None,
        status: ConvStatus::Open,
        priority: Priority::Medium,
        assignee: None,
        labels: vec![],
        tags: vec![],
        message_count: 1,
        unread_count: 1,
        created_at: Some(t),
        updated_at: Some(t),
        last_message_at: Some(t),
        last_message_preview: Some(format!("Hallo {i}").into()),
        waiting_since: Some(t),
        service_window: None,
    }
}

fn page(from: usize, no: u32) -> Page<Conversation> {
    Page {
        items: (from..from + 100).map(conversation).collect(),
        total: 1_000_000,
        page: no,
        limit: 100,
        total_pages: 10_000,
        skipped: 0,
    }
}

/// Median time to merge a page of 100 with `loaded` rows already in the list.
fn median(loaded: usize) -> Duration {
    let mut list = ConversationList::default();
    for p in 0..loaded / 100 {
        list.page_arrived(p as u32 + 1, page(p * 100, p as u32 + 1));
    }
    let next = (loaded / 100) as u32 + 1;
    let mut times: Vec<Duration> = (0..31)
        .map(|_| {
            let fresh = page(loaded, next);
            let mut l = list.clone();
            // A clone has no spare capacity: without room, the first push would copy every row, which the
            // list's own growth (doubling) pays only now and then.
            l.items.reserve(fresh.items.len());
            let t = Instant::now();
            l.page_arrived(next, fresh);
            let d = t.elapsed();
            std::hint::black_box(&l);
            d
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Prints the figure through `row`.
pub fn report(row: fn(&str, String, &str, bool)) {
    let at: Vec<(usize, Duration)> = [1_000, 10_000, 100_000].iter().map(|&n| (n, median(n))).collect();
    let first = at[0].1.as_secs_f64();
    let last = at[2].1.as_secs_f64();
    let grows = last / first;
    row(
        "merge one page at 1k / 10k / 100k loaded (median)",
        at.iter().map(|(_, d)| format!("{:.0} µs", d.as_secs_f64() * 1e6)).collect::<Vec<_>>().join(" / "),
        "independent of size",
        grows < 3.0,
    );
}
