//! tinbox's client side: the backends (native, Whatomate, imBrace) behind one trait, and the worker that
//! runs the core's requests and the live stream. It cannot reach the reference server but over HTTP.

pub mod backend;
pub mod secret;
pub mod worker;

pub use tinbox_core::{domain, text};
