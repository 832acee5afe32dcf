//! The `tinbox` binary: parse the command line and run.

use clap::Parser;
use std::process::ExitCode;
use tinbox::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tinbox: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(tinbox::run::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<tinbox::startup::NoTerminal>().is_some() => {
            eprintln!("tinbox: {}", tinbox::text::clean_line(&e.to_string()));
            ExitCode::from(tinbox::startup::NO_TERMINAL_EXIT)
        }
        Err(e) => {
            // The terminal is restored by now; the message still passes the sanitizer.
            eprintln!("tinbox: {}", tinbox::text::clean_line(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}
