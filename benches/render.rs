//! Rendering a 200×50 frame must not depend on how many conversations are loaded: only visible rows are built.
//! And a key in a long thread (500 messages of 20,000 characters) is answered — update and frame — in well
//! under 100 ms: wrapped lines are kept per message and width, and only the visible window is drawn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use tinbox::app::{AppState, Connection, Msg, update};
use tinbox::domain::*;

fn conversation(i: usize, now: Time) -> Conversation {
    let t = now - Duration::seconds(i as i64 * 7);
    Conversation {
        id: format!("conv_{i:06}").into(),
        contact_id: format!("cnt_{i:06}").into(),
        contact: Contact {
            id: format!("cnt_{i:06}").into(),
            name: format!("Customer {i} Müller-Lüdenscheidt").into(),
            ..Default::default()
        },
        channel: [Channel::Whatsapp, Channel::Email, Channel::Sms, Channel::Instagram][i % 4].clone(),
        subject: Some(format!("Order {i} — where is my parcel? 配送について").into()),
        status: ConvStatus::Open,
        priority: [Priority::High, Priority::Medium, Priority::Low][i % 3].clone(),
        assignee: i.is_multiple_of(2).then(|| PersonRef { id: "agt_alice".into(), name: "Alice Martin".into() }),
        labels: vec!["billing".into(), "urgent".into()],
        tags: vec![],
        message_count: 3,
        unread_count: (i % 3) as u32,
        created_at: Some(t),
        updated_at: Some(t),
        last_message_at: Some(t),
        last_message_preview: Some("Thanks, I'll wait".into()),
        waiting_since: i.is_multiple_of(5).then_some(t),
        service_window: None,
    }
}

fn state(n: usize) -> AppState {
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
    let mut s = AppState::new("http://127.0.0.1:7878", now);
    update(&mut s, Msg::Resize(200, 50));
    s.list.items = (0..n).map(|i| conversation(i, now)).collect();
    s.list.total = n as u64;
    s.list.loaded = true;
    // Mid-list, as an agent deep in a long inbox would be.
    s.list.selected = n / 2;
    s.list.offset = n / 2 - 10;
    s.connection = Connection::Live;
    s
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_200x50");
    for n in [1_000usize, 10_000, 100_000] {
        let s = state(n);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| {
            b.iter(|| {
                terminal.draw(|f| tinbox::ui::draw(f, black_box(s))).unwrap();
            })
        });
    }
    group.finish();
}

/// A thread of `n` messages, each `chars` long (words of mixed scripts), open at 200×50.
fn long_thread(n: usize, chars: usize) -> AppState {
    let mut s = state(1_000);
    let now = s.now;
    let words = ["parcel", "Lieferung", "配送について", "entrega", "смотрите", "😀", "refund", "order"];
    let text: String = words.iter().cycle().flat_map(|w| [*w, " "]).flat_map(str::chars).take(chars).collect();
    let id = s.list.items[0].id.clone();
    update(&mut s, Msg::Action(tinbox::app::Action::Open));
    let messages: Vec<Message> = (0..n)
        .map(|i| Message {
            id: format!("msg_{i:04}").into(),
            conversation_id: id.clone(),
            direction: if i % 2 == 0 { Direction::Incoming } else { Direction::Outgoing },
            private: false,
            author: None,
            text: text.as_str().into(),
            status: DeliveryStatus::Delivered,
            error: None,
            created_at: Some(now),
        })
        .collect();
    let page = Page {
        items: messages.into_iter().rev().collect(),
        total: n as u64,
        page: 1,
        limit: n as u32,
        total_pages: 1,
        skipped: 0,
    };
    s.thread.as_mut().unwrap().messages_loaded(page);
    s
}

fn thread_key(c: &mut Criterion) {
    let mut group = c.benchmark_group("thread_key_200x50");
    group.sample_size(10);
    let mut s = long_thread(500, 20_000);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    terminal.draw(|f| tinbox::ui::draw(f, &s)).unwrap();
    let mut up = true;
    group.bench_function("500x20000", |b| {
        b.iter(|| {
            // Alternating keeps the scroll moving without hitting either end.
            let a = if up { tinbox::app::Action::Up } else { tinbox::app::Action::Down };
            up = !up;
            update(&mut s, Msg::Action(a));
            terminal.draw(|f| tinbox::ui::draw(f, black_box(&s))).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, render, thread_key);
criterion_main!(benches);
