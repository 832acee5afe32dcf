//! Snapshots of the screen as drawn into a test backend: whole screens at three sizes, every demo session
//! panel, malformed panels, and hostile names in narrow columns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::fixture;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use tinbox::app::{AppState, Load, Pane};
use tinbox::domain::{Contact, SessionData};
use tinbox::text::width;

fn render(state: &AppState) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    t.draw(|f| tinbox::ui::draw(f, state)).unwrap();
    t
}

fn rows(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += width(sym).max(1) as u16;
            }
            line
        })
        .collect()
}

#[test]
fn whole_screen_80x24() {
    insta::assert_snapshot!(render(&fixture::state(80, 24, 2)).backend());
}

#[test]
fn whole_screen_80x24_detail_side() {
    let mut s = fixture::state(80, 24, 2);
    s.focus = Pane::Contact;
    insta::assert_snapshot!(render(&s).backend());
}

#[test]
fn whole_screen_120x40() {
    insta::assert_snapshot!(render(&fixture::state(120, 40, 3)).backend());
}

#[test]
fn whole_screen_200x50() {
    insta::assert_snapshot!(render(&fixture::state(200, 50, 0)).backend());
}

#[test]
fn help_over_the_list_at_120x40() {
    let mut s = fixture::state(120, 40, 0);
    s.overlays.help = true;
    insta::assert_snapshot!(render(&s).backend());
}

#[test]
fn search_typing_and_offline_status() {
    let mut s = fixture::state(120, 40, 0);
    s.list.searching = true;
    s.list.filters.search = "refund".into();
    s.connection = tinbox::app::Connection::Offline {
        since: fixture::now() - chrono::Duration::minutes(3),
        retry_at: fixture::now() + chrono::Duration::seconds(8),
    };
    s.status.error = Some("cannot reach the server: the connection was refused or could not be made".into());
    insta::assert_snapshot!(render(&s).backend());
}

#[test]
fn every_demo_session_panel() {
    let store = fixture::store();
    for flow in &store.flows {
        let contact = store.contacts.iter().find(|c| c.session.as_ref().is_some_and(|s| s.flow_id == flow.id)).unwrap();
        let mut s = fixture::state(120, 40, 0);
        s.detail.session = Load::Ready(fixture::session(&store, &contact.id));
        s.detail.collapsed = match &s.detail.session {
            Load::Ready(d) => {
                d.panel.sections.iter().map(|x| (x.id.clone(), x.collapsible && x.default_collapsed)).collect()
            }
            _ => unreachable!(),
        };
        for panel_width in [36u16, 60] {
            let mut t = Terminal::new(TestBackend::new(panel_width, 16)).unwrap();
            t.draw(|f| tinbox::ui::render_session_panel(f, f.area(), &s, true)).unwrap();
            insta::assert_snapshot!(format!("session_{}_{panel_width}", flow.id), t.backend());
        }
    }
}

#[test]
fn unfolded_sections_and_a_missing_session() {
    let store = fixture::store();
    let contact =
        store.contacts.iter().find(|c| c.session.as_ref().is_some_and(|s| s.flow_id == "flow_orders")).unwrap();
    let mut s = fixture::state(120, 40, 0);
    s.detail.session = Load::Ready(fixture::session(&store, &contact.id));
    s.detail.collapsed.clear();
    s.detail.section = 1;
    let mut t = Terminal::new(TestBackend::new(60, 20)).unwrap();
    t.draw(|f| tinbox::ui::render_session_panel(f, f.area(), &s, true)).unwrap();
    insta::assert_snapshot!("session_unfolded_focus_second", t.backend());
    s.detail.session = Load::Ready(SessionData::default());
    let mut t = Terminal::new(TestBackend::new(40, 5)).unwrap();
    t.draw(|f| tinbox::ui::render_session_panel(f, f.area(), &s, false)).unwrap();
    insta::assert_snapshot!("session_none", t.backend());
}

#[test]
fn malformed_panel_configs_render_what_they_can() {
    let cases = [
        (
            "sections_not_a_list",
            json!({"flow_name": "Broken", "session_data": {"a": "1"}, "panel_config": {"sections": "oops"}}),
        ),
        (
            "columns_7_missing_labels_duplicate_orders",
            json!({"flow_name": "Odd", "session_data": {"a": "x", "b": "y", "c": "z"},
                   "panel_config": {"sections": [
                       {"id": "s1", "columns": 7, "order": 1, "fields": [{"key": "a", "order": 1}, {"label": "no key"}, "b"]},
                       {"label": "Second", "order": 1, "collapsible": "yes", "fields": [{"key": "c", "label": "C", "display_type": "sparkle", "color": "purple"}]},
                       42]}}),
        ),
        ("no_panel_config", json!({"flow_name": "Bare", "session_id": "s", "session_data": {"a": "1"}})),
    ];
    for (name, v) in cases {
        let mut s = fixture::state(120, 40, 0);
        s.detail.session = Load::Ready(SessionData::from_value(&v));
        s.detail.collapsed.clear();
        let mut t = Terminal::new(TestBackend::new(50, 12)).unwrap();
        t.draw(|f| tinbox::ui::render_session_panel(f, f.area(), &s, true)).unwrap();
        insta::assert_snapshot!(format!("malformed_{name}"), t.backend());
    }
}

#[test]
fn hostile_names_are_truncated_without_breaking_alignment() {
    let mut s = fixture::state(100, 12, 0);
    let names = [
        "Maximilian Alexander Wolfeschlegelsteinhausenbergerdorff",
        "عبد الرحمن بن عبد العزيز آل سعود المحترم",
        "אלכסנדר בן-דוד הכהן מירושלים",
        "王小明王小明王小明王小明王小明",
        "👨‍👩‍👧‍👦 Family 🏳️‍🌈 Pride ☀️ Sunny 🇯🇵",
        "e\u{301}\u{301}\u{301} combining marks",
    ];
    for (i, name) in names.iter().enumerate() {
        let c = &mut s.list.items[i];
        c.contact = Contact { name: name.to_string().into(), ..c.contact.clone() };
        c.subject = Some(format!("{name} — {name}").into());
    }
    let t = render(&s);
    insta::assert_snapshot!(t.backend());
    // Every row's right border sits in the last column, whatever the script.
    let lines = rows(&t);
    for line in &lines[1..8] {
        assert_eq!(width(line), 100, "row keeps its width: {line}");
        assert!(line.ends_with('┃'), "the border is not pushed out: {line}");
    }
}

#[test]
fn nothing_draws_outside_or_panics_at_tiny_sizes() {
    for (w, h) in [(0, 0), (1, 1), (20, 5), (3, 40), (200, 2), (79, 23), (110, 10)] {
        let mut s = fixture::state(120, 40, 0);
        s.size = (w, h);
        s.overlays.help = true;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| tinbox::ui::draw(f, &s)).unwrap();
        s.overlays.help = false;
        s.thread = Some(tinbox::app::Thread { conversation_id: s.list.items[0].id.clone(), ..Default::default() });
        t.draw(|f| tinbox::ui::draw(f, &s)).unwrap();
    }
}

#[test]
fn a_closed_whatsapp_window_shows_in_the_thread_header_and_warns_in_the_composer_at_80x24() {
    use tinbox::app::{Action, Msg, update};
    use tinbox::domain::ServiceWindow;
    let mut s = fixture::state(80, 24, 0);
    let last_inbound = s.now - chrono::TimeDelta::hours(30);
    s.list.items[0].service_window = Some(ServiceWindow { open: false, last_inbound_at: Some(last_inbound) });
    s.account.unavailable = vec![tinbox::domain::Capability::Status, tinbox::domain::Capability::Priority];
    update(&mut s, Msg::Action(Action::Reply));
    s.thread.as_mut().unwrap().messages = Load::Ready(vec![]);
    let screen = render(&s);
    let text = rows(&screen).join("\n");
    assert!(text.contains("reply window closed: templates only"), "{text}");
    assert!(text.contains("24h window closed 6h ago: WhatsApp will refuse this reply · Ctrl-T template"), "{text}");
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn a_failed_load_is_never_an_empty_inbox_and_skipped_rows_are_said() {
    let mut s = fixture::state(80, 24, 0);
    s.list.items.clear();
    s.list.loaded = true;
    s.list.failed = Some("the server failed (500)".into());
    let screen = rows(&render(&s)).join("\n");
    assert!(screen.contains("Could not load the conversations: the server failed (500)"), "{screen}");
    assert!(!screen.contains("No conversations match"), "{screen}");

    let mut s = fixture::state(80, 24, 0);
    s.list.skipped = 2;
    let screen = rows(&render(&s)).join("\n");
    assert!(screen.contains("2 conversations could not be read"), "{screen}");
}

/// The palette, typed into, over the list; and a dry run before a change on many, at both sizes.
#[test]
fn palette_and_dry_run_at_80x24_and_120x40() {
    use tinbox::app::{Action, Msg, update};
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = fixture::state(w, h, 2);
        update(&mut s, Msg::Action(Action::Palette));
        for c in "as".chars() {
            update(&mut s, Msg::Action(Action::SearchInput(c)));
        }
        insta::assert_snapshot!(format!("palette_{w}x{h}"), render(&s).backend());
        update(&mut s, Msg::Action(Action::Back));
        update(&mut s, Msg::Action(Action::MarkAll));
        update(&mut s, Msg::Action(Action::Archive));
        assert!(s.overlays.confirm.is_some());
        insta::assert_snapshot!(format!("dry_run_{w}x{h}"), render(&s).backend());
    }
}

/// At 80×24 help does not fit: it says so and scrolls to its last line.
#[test]
fn help_scrolls_at_80x24() {
    use tinbox::app::{Action, Msg, update};
    let mut s = fixture::state(80, 24, 2);
    update(&mut s, Msg::Action(Action::Help));
    let top = rows(&render(&s));
    assert!(top.iter().any(|l| l.contains("j/k scroll")), "{top:#?}");
    for _ in 0..200 {
        update(&mut s, Msg::Action(Action::Down));
    }
    let end = rows(&render(&s));
    assert!(end.iter().any(|l| l.contains("quit (from the list)")), "the last line is reachable: {end:#?}");
    assert!(!end.iter().any(|l| l.contains("j/k scroll")), "at the end");
    insta::assert_snapshot!(render(&s).backend());
    // Scrolling back up returns to the top (the scroll is capped at 100 lines, so presses past the end are bounded).
    for _ in 0..100 {
        update(&mut s, Msg::Action(Action::Up));
    }
    assert_eq!(rows(&render(&s)), top);
}
