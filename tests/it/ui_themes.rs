//! Themes as drawn: every cell's colours, not only its text. The light theme and NO_COLOR are snapshotted
//! at 80×24 and 120×40 as text plus a style map (one letter per distinct style, with a legend).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::fixture;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tinbox::app::AppState;
use tinbox::ui::theme::{self, Theme};

fn draw(state: &AppState, theme: Theme) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    t.draw(|f| tinbox::ui::draw_themed(f, state, None, theme)).unwrap();
    t.backend().buffer().clone()
}

/// The screen's text, then a map of its styles: one letter per distinct style, and what each letter is.
pub fn styled(buf: &Buffer) -> String {
    let mut styles: Vec<(Color, Color, Modifier)> = Vec::new();
    let mut text = String::new();
    let mut map = String::new();
    for y in 0..buf.area.height {
        let mut covered = 0;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            // A wide character's second cell is part of it: the text shows the character once.
            if x >= covered {
                text.push_str(cell.symbol());
                covered = x + tinbox::text::width(cell.symbol()).max(1) as u16;
            }
            let key = (cell.fg, cell.bg, cell.modifier);
            let i = styles.iter().position(|s| *s == key).unwrap_or_else(|| {
                styles.push(key);
                styles.len() - 1
            });
            let letter = b".abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            map.push(letter.get(i).copied().unwrap_or(b'#') as char);
        }
        text.push('\n');
        map.push('\n');
    }
    let legend: Vec<String> = styles
        .iter()
        .enumerate()
        .map(|(i, (fg, bg, m))| {
            let letter = ".abcdefghijklmnopqrstuvwxyz".chars().nth(i).unwrap_or('#');
            format!("{letter} fg={fg:?} bg={bg:?} {m:?}")
        })
        .collect();
    format!("{text}\n{map}\n{}", legend.join("\n"))
}

fn every_cell(buf: &Buffer) -> impl Iterator<Item = &ratatui::buffer::Cell> {
    buf.content.iter()
}

#[test]
fn no_color_draws_no_colour_and_keeps_the_selection_visible() {
    for (w, h) in [(80, 24), (120, 40)] {
        let s = fixture::state(w, h, 2);
        let buf = draw(&s, theme::MONO);
        for c in every_cell(&buf) {
            assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "a coloured cell {:?} at {w}×{h}", c.symbol());
        }
        // The selected row is told by reverse video, not colour alone.
        let reversed = (0..w).filter(|&x| (0..h).any(|y| buf[(x, y)].modifier.contains(Modifier::REVERSED))).count();
        assert!(reversed > 20, "the selection is reversed at {w}×{h}");
        insta::assert_snapshot!(format!("no_color_{w}x{h}"), styled(&buf));
    }
}

#[test]
fn the_light_theme_has_no_pale_text() {
    // Pale on white: the dark theme's greys and the 16 colours' white and grey.
    let pale = [Color::White, Color::Gray, Color::Indexed(248), Color::Indexed(250), Color::Yellow, Color::LightYellow];
    for (w, h) in [(80, 24), (120, 40)] {
        let s = fixture::state(w, h, 2);
        let buf = draw(&s, theme::LIGHT);
        for c in every_cell(&buf) {
            if c.symbol().trim().is_empty() || c.bg != Color::Reset {
                continue;
            }
            assert!(!pale.contains(&c.fg), "{:?} drawn in {:?} on the light background at {w}×{h}", c.symbol(), c.fg);
        }
        insta::assert_snapshot!(format!("light_{w}x{h}"), styled(&buf));
    }
}

#[test]
fn sixteen_colours_draw_with_the_terminals_own_only() {
    let buf = draw(&fixture::state(120, 40, 2), theme::SIXTEEN);
    for c in every_cell(&buf) {
        for colour in [c.fg, c.bg] {
            assert!(!matches!(colour, Color::Indexed(_) | Color::Rgb(..)), "{colour:?} at {:?}", c.symbol());
        }
    }
}
