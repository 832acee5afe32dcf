//! tinbox: a terminal inbox for support agents.

pub mod app;
pub mod backend;
pub mod cli;
pub mod config;
pub mod domain;
pub mod keys;
pub mod logging;
pub mod run;
pub mod secret;
pub mod server;
pub mod store;
pub mod text;
pub mod tui;
pub mod ui;
pub mod validate;
pub mod worker;
