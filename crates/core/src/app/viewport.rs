//! The screen's geometry as the core needs it: how many rows the list shows and how many lines the thread
//! has room for, from the terminal size alone. The layout draws with these same numbers, so the core and
//! the screen never disagree about what is visible.

use super::Thread;

/// Below this width the detail side is shown instead of the list, not beside it (Tab flips).
pub const WIDE: u16 = 110;

/// Columns of the main pane (list or thread) in a terminal `width` wide.
pub fn main_width(width: u16) -> u16 {
    if width >= WIDE { (width as u32 * 60 / 100) as u16 } else { width }
}

/// Rows of the composer under a main pane `main_height` rows high (it takes the pane when it is small).
pub fn composer_height(main_height: u16) -> u16 {
    if main_height >= 10 { (main_height / 3).clamp(6, 12) } else { main_height }
}

/// Rows of conversations the list shows in a `width`×`height` terminal (borders and status line taken off).
pub fn list_rows(_width: u16, height: u16) -> usize {
    height.saturating_sub(3) as usize
}

/// Rows the thread pane gives its header line (channel, status, priority, assignee, labels) inside the border.
pub const THREAD_HEADER_ROWS: u16 = 1;

/// How message text is indented under its header.
pub const THREAD_INDENT: &str = "  ";

/// Columns of text inside the thread pane in a terminal `width` wide.
pub fn thread_columns(width: u16) -> usize {
    main_width(width).saturating_sub(2) as usize
}

/// How far the thread can scroll up at the current size (lines above the first screenful).
pub fn thread_max_scroll(size: (u16, u16), thread: &Thread, composer_open: bool) -> usize {
    let (_, height) = size;
    // The status line takes a row; the main pane is what is left of the body.
    let main_height = height.saturating_sub(1);
    let composer = if composer_open { composer_height(main_height) } else { 0 };
    let rows = main_height.saturating_sub(composer + 2 + THREAD_HEADER_ROWS) as usize;
    thread.lines().saturating_sub(rows)
}
