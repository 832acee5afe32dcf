//! tinbox: a terminal inbox for support agents. This crate is the edge: the terminal, drawing, the key
//! table, persistence, the command line and configuration. The core, the client side and the reference
//! server are crates of their own, re-exported here under the names the rest of the code uses.

pub use tinbox_client::{backend, secret, worker};
pub use tinbox_core::{app, domain, protocol, text, validate};
#[cfg(feature = "server")]
pub use tinbox_server as server;

pub mod bar;
pub mod cli;
pub mod config;
pub mod escapes;
pub mod frames;
pub mod keymap;
pub mod keys;
pub mod logging;
pub mod reference;
pub mod run;
pub mod startup;
pub mod store;
pub mod tui;
pub mod ui;
