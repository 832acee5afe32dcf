//! Every integration test of the `tinbox` crate, in one test binary: one link instead of nineteen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod backend_imbrace;
mod backend_whatomate;
mod cli_errors;
mod contract;
mod contract_list;
mod contract_panels;
mod contract_prepared;
mod demo_data;
mod e2e_process;
mod e2e_pty;
mod e2e_triage;
mod e2e_trust;
mod e2e_whatomate;
mod e2e_window;
mod faults;
mod hostile_fields;
mod hostile_input;
mod offline;
mod secrets_travel;
mod tolerance;
mod ui_reading;
mod ui_snapshots;
mod ui_themes;
mod whatomate_live;
mod widths;
mod worker;
