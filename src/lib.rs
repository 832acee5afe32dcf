//! tinbox: a terminal inbox for support agents.

pub mod backend;
pub mod domain;
pub mod secret;
pub mod server;
pub mod text;
pub mod worker;
