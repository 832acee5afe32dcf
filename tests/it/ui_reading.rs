//! Reading on screen: the thread's header line and its activities in the agent's zone, the status column, grouped
//! notifications, the composer wrapping and comments read whole — snapshots and the text drawn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::fixture;
use chrono::FixedOffset;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tinbox::app::{Action, AppState, Load, Msg, Pane, update};
use tinbox::text::width;
use tinbox::ui::clock::{self, Zone};

/// The screen drawn with times in `zone`, and its rows as text.
fn render(state: &AppState, zone: Zone) -> (Terminal<TestBackend>, Vec<String>) {
    let mut t = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    t.draw(|f| clock::with(zone, || tinbox::ui::draw(f, state))).unwrap();
    let buf = t.backend().buffer().clone();
    let rows = (0..buf.area.height)
        .map(|y| {
            let (mut line, mut x) = (String::new(), 0);
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += width(sym).max(1) as u16;
            }
            line
        })
        .collect();
    (t, rows)
}

fn kolkata() -> Zone {
    Zone::Fixed(FixedOffset::east_opt(5 * 3600 + 1800).unwrap())
}

/// The thread's header says where the conversation stands; `H`'s activities sit among the messages by time; the
/// times are the agent's, and the pane names the zone.
#[test]
fn thread_header_and_activities_at_80x24_and_120x40() {
    let store = fixture::store();
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = fixture::state(w, h, 2);
        fixture::open_thread(&mut s, &store, true);
        let c = s.thread.as_ref().unwrap().conversation.ready().unwrap().clone();
        let (screen, rows) = render(&s, kolkata());
        let text = rows.join("\n");
        let who = c.assignee.as_ref().map(|a| format!("handled by {}", a.name)).unwrap_or("unassigned".into());
        let header = format!("{} · {} priority · {who}", c.status, c.priority);
        assert!(rows[1].contains(&header), "row 1 is the header line: {:?}", rows[1]);
        assert!(text.contains("times UTC+5:30"), "{text}");
        assert!(!s.thread.as_ref().unwrap().shown_activities().is_empty(), "the demo has activities here");
        assert!(rows.iter().any(|r| r.contains("· ") && r.contains("Auto-assigned")), "{text}");
        insta::assert_snapshot!(format!("thread_activities_{w}x{h}"), screen.backend());
        // Hidden, the same thread has no activity lines.
        s.thread.as_mut().unwrap().show_activities = false;
        let (_, rows) = render(&s, kolkata());
        assert!(!rows.iter().any(|r| r.contains("Auto-assigned")), "{rows:#?}");
    }
}

/// Message times move with the zone: the same message reads 5h30 later in Kolkata than in UTC.
#[test]
fn message_times_are_in_the_agents_zone() {
    let store = fixture::store();
    let mut s = fixture::state(120, 40, 2);
    fixture::open_thread(&mut s, &store, false);
    let t = s.thread.as_ref().unwrap().messages.ready().unwrap().last().unwrap().created_at.unwrap();
    let utc = t.format("%b %d %H:%M").to_string();
    let local = (t + chrono::TimeDelta::minutes(330)).format("%b %d %H:%M").to_string();
    let (_, rows) = render(&s, clock::UTC);
    assert!(rows.iter().any(|r| r.contains(&utc)), "UTC: {utc}");
    let (_, rows) = render(&s, kolkata());
    assert!(rows.iter().any(|r| r.contains(&local)), "Kolkata: {local}");
    assert!(!rows.iter().any(|r| r.contains(&utc)) || utc == local);
}

/// A status column appears when the status filter lets several statuses through, and not otherwise.
#[test]
fn a_status_column_when_several_statuses_are_listed() {
    let mut s = fixture::state(80, 24, 0);
    let (_, rows) = render(&s, clock::UTC);
    assert!(!rows[1].contains(" open "), "one status listed: no column: {:?}", rows[1]);
    s.list.filters.status = None;
    s.list.items[1].status = tinbox::domain::ConvStatus::Closed;
    let (_, rows) = render(&s, clock::UTC);
    assert!(rows[1].contains(" open "), "{:?}", rows[1]);
    assert!(rows[2].contains(" closed "), "{:?}", rows[2]);
}

/// Several notifications about one conversation are one line with their count.
#[test]
fn notifications_about_one_conversation_are_one_line() {
    let mut s = fixture::state(120, 40, 0);
    let first = s.notifications.items[0].clone();
    for i in 0..2 {
        let mut n = first.clone();
        n.id = format!("extra{i}").into();
        s.notifications.items.insert(0, n);
    }
    let (_, rows) = render(&s, clock::UTC);
    let start: String = first.title.chars().take(20).collect();
    let lines: Vec<&String> = rows.iter().filter(|r| r.contains(&start)).collect();
    assert_eq!(lines.len(), 1, "{rows:#?}");
    assert!(lines[0].contains("3× "), "{:?}", lines[0]);
}

/// The composer wraps a long line at words: its end is on screen, not scrolled off to the right.
#[test]
fn the_composer_wraps_long_lines() {
    let mut s = fixture::state(80, 24, 0);
    update(&mut s, Msg::Action(Action::Reply));
    let words = "please send the tracking number for order 4471 again because the last link expired yesterday";
    update(&mut s, Msg::ComposerText(format!("{words} ENDWORD")));
    let (_, rows) = render(&s, clock::UTC);
    let text = rows.join("\n");
    assert!(text.contains("ENDWORD"), "{text}");
    assert!(text.contains("please send the tracking"), "{text}");
}

/// Focused, the contact pane shows a long comment whole; unfocused, one line and a hint.
#[test]
fn a_long_comment_is_read_whole_in_the_focused_contact_pane() {
    let mut s = fixture::state(80, 24, 0);
    let long = "The customer called twice about the refund; promised a callback on Monday before noon. ".repeat(2);
    let comment = tinbox::domain::Comment {
        id: "cm1".into(),
        text: format!("{long}LASTWORD").as_str().into(),
        author: Some("Bruno Silva".into()),
        created_at: Some(s.now),
    };
    s.detail.comments = Load::Ready(vec![comment]);
    s.focus = Pane::List;
    let mut wide = s.clone();
    wide.size = (200, 60);
    let (_, rows) = render(&wide, clock::UTC);
    assert!(!rows.join("\n").contains("LASTWORD"), "unfocused: one line");
    assert!(rows.join("\n").contains("focus the pane to read them whole"));
    s.focus = Pane::Contact;
    // At 80x24 the pane is short: j scrolls down to the comment, then to its end.
    for _ in 0..30 {
        update(&mut s, Msg::Action(Action::Down));
    }
    let (_, rows) = render(&s, clock::UTC);
    let text = rows.join("\n");
    assert!(text.contains("LASTWORD"), "{text}");
    assert!(text.contains("Bruno Silva · now"), "{text}");
}
