//! tinbox's core: the domain model, the app state and its pure update function, the request/answer
//! protocol, and text that is clean by type. No terminal, no transport, no server: Cargo keeps it so.

pub mod app;
pub mod domain;
pub mod protocol;
pub mod text;
pub mod validate;
