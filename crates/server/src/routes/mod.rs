//! The native API's routes.

pub mod contacts;
pub mod conversations;
pub mod notifications;
pub mod people;
pub mod prepared;
