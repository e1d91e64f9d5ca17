//! The `cocoach` binary. A thin main: parse arguments, run, report errors.

mod cli;
mod commands;
mod demo;
mod gui;
mod network;

use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

use clap::Parser;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// When the process started (for the startup probe).
pub fn started() -> Instant {
    *STARTED.get_or_init(Instant::now)
}

fn main() -> ExitCode {
    started();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cocoach: {e:#}");
            ExitCode::FAILURE
        }
    }
}
