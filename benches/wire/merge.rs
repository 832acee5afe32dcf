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
    // The memory the next pages land in is touched once beforehand: the kernel's first-touch page faults
    // cost the same per page at any size, but at 1,000 rows the allocator hands back memory already touched.
    let len = list.items.len();
    list.items.extend((0..101 * 100).map(|i| conversation(len + i)));
    list.items.truncate(len);
    // Each page merged into the list itself, as the client does, one after another: the list's own growth
    // (doubling) falls on some page now and then, which the median leaves out.
    let mut times: Vec<Duration> = (0..101)
        .map(|k| {
            let no = (loaded / 100 + k) as u32 + 1;
            let fresh = page(loaded + k * 100, no);
            let t = Instant::now();
            list.page_arrived(no, fresh);
            let d = t.elapsed();
            std::hint::black_box(&list);
            d
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Prints the figure through `row`.
pub fn report(row: fn(&str, String, &str, bool)) {
    // The least of three medians: this machine's noise (another process, a page fault) only ever adds.
    let at: Vec<(usize, Duration)> =
        [1_000, 10_000, 100_000].iter().map(|&n| (n, (0..3).map(|_| median(n)).min().unwrap_or_default())).collect();
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
