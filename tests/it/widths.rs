//! Widths as the renderer lays text out: the core's measure agrees with ratatui's buffer (which places
//! grapheme by grapheme) for every script a whole-string measure gets wrong, rows keep their columns, and
//! moving the selection over such names leaves nothing of the previous one on a terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Capture, fixture};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use tinbox::app::AppState;
use tinbox::domain::Contact;
use tinbox::text::{fit, width};

/// Pieces the whole-string measure and the terminal disagree on, with ordinary text between them.
const PIECES: &[&str] = &[
    "لا",
    "لأ",
    "ل\u{64E}ا",
    "ｶﾞ",
    "ﾊﾟ",
    "ﾞ",
    "日本",
    "한국",
    "😀",
    "🇯🇵",
    "👨\u{200D}👩\u{200D}👧",
    "❤\u{FE0F}",
    "e\u{301}",
    "a",
    " ",
    "Ana",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|v| v.concat())
}

/// Cells the buffer advances drawing `s` from column 0 of a wide line.
fn drawn(s: &str) -> usize {
    let mut buf = Buffer::empty(Rect::new(0, 0, 200, 1));
    buf.set_stringn(0, 0, s, 200, Style::new()).0 as usize
}

#[test]
fn halfwidth_voiced_marks_take_one_cell_each() {
    // Fails if unicode-width moves past 0.2.2 while ratatui-core still adds a cell for the mark itself.
    assert_eq!(drawn("ｶﾞｷﾞ"), 4);
    assert_eq!(width("ｶﾞｷﾞ"), 4);
    assert_eq!(drawn("لا"), 2);
    assert_eq!(width("لا"), 2);
}

proptest! {
    #[test]
    fn the_core_measures_what_the_buffer_draws(s in text(), cells in 1usize..30) {
        prop_assert_eq!(width(&s), drawn(&s), "{:?}", s);
        let fitted = fit(&s, cells);
        prop_assert_eq!(drawn(&fitted), cells, "fit({:?}, {}) = {:?}", s, cells, fitted);
    }
}

fn hostile_state(width: u16, height: u16) -> AppState {
    let mut s = fixture::state(width, height, 0);
    let names = ["لالالالالالالالالالا عبدالله", "ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟ", "山田太郎山田太郎山田", "🇯🇵😀🇯🇵😀 Aiko", "Bo"];
    for (i, name) in names.iter().enumerate() {
        let c = &mut s.list.items[i];
        c.contact = Contact { name: name.to_string().into(), ..c.contact.clone() };
        c.subject = Some(format!("{name} {name}").into());
        c.assignee = Some(tinbox::domain::PersonRef { id: "agt_z".into(), name: "Zed".into() });
    }
    s
}

#[test]
fn every_row_keeps_its_columns_whatever_the_script() {
    for w in [80u16, 100, 200] {
        let s = hostile_state(w, 12);
        let mut t = Terminal::new(TestBackend::new(w, 12)).unwrap();
        t.draw(|f| tinbox::ui::draw(f, &s)).unwrap();
        if w == 80 {
            insta::assert_snapshot!(t.backend());
        }
        let buf = t.backend().buffer();
        // The assignee column starts at the same cell on every row, and the border stays in its place.
        let zed: Vec<u16> =
            (1..6).map(|y| (0..w).find(|&x| buf[(x, y)].symbol() == "Z").expect("assignee shown")).collect();
        assert!(zed.windows(2).all(|p| p[0] == p[1]), "assignee column at {w}: {zed:?}");
        let border = (0..w).rev().find(|&x| buf[(x, 1)].symbol() == "┃").unwrap();
        for y in 1..6 {
            assert_eq!(buf[(border, y)].symbol(), "┃", "row {y} at width {w} keeps its border");
        }
    }
}

/// A terminal of a fixed size (no tty is asked for it) writing to `wire`.
fn terminal(wire: Capture, w: u16, h: u16) -> Terminal<CrosstermBackend<Capture>> {
    let viewport = ratatui::Viewport::Fixed(Rect::new(0, 0, w, h));
    Terminal::with_options(CrosstermBackend::new(wire), ratatui::TerminalOptions { viewport }).unwrap()
}

fn screen(bytes: &[u8], w: u16, h: u16) -> String {
    let mut p = vt100::Parser::new(h, w, 0);
    p.process(bytes);
    p.screen().contents()
}

#[test]
fn moving_the_selection_leaves_nothing_of_the_previous_name() {
    // vt100 measures characters as wcwidth does; halfwidth voiced marks are left out here because it
    // (unlike terminals) takes them as combining.
    let (w, h) = (120u16, 14u16);
    let mut s = hostile_state(w, h);
    for c in s.list.items.iter_mut().take(5) {
        c.contact.name = c.contact.name.replace("ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟ", "カガキギ 한국어").into();
    }
    let wire = Capture::default();
    let mut t = terminal(wire.clone(), w, h);
    for selected in [0usize, 1, 2, 3, 4, 0, 3] {
        s.list.selected = selected;
        t.draw(|f| tinbox::ui::draw(f, &s)).unwrap();
    }
    let moved = screen(&wire.bytes(), w, h);
    let fresh = Capture::default();
    let mut t2 = terminal(fresh.clone(), w, h);
    t2.draw(|f| tinbox::ui::draw(f, &s)).unwrap();
    assert_eq!(moved, screen(&fresh.bytes(), w, h), "after moving, the screen is what a fresh draw shows");
}
