//! The core's integration tests, in one binary: update() driven through its public messages, with no
//! terminal, transport or server linked in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sample;

mod app_canned;
mod app_contacts;
mod app_delivery;
mod app_palette;
mod app_paste;
mod app_queue;
mod app_reading;
mod app_session;
mod app_triage;
mod app_trust;
mod app_update;
mod app_wire;
mod layers;
