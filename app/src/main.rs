//! The `cocoach` binary. A thin main: parse arguments, run, report errors.

mod backup;
mod calendar;
mod cli;
mod commands;
mod demo;
mod desk;
mod gui;
mod logging;
mod network;
mod remind;
mod syncfile;
mod term;

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
    // The window, the demo and the network commands also log to a file in their data
    // directory, and set logging up themselves once they know it. The others log to
    // stderr only (warnings, unless RUST_LOG asks for more).
    let writes_file = matches!(
        cli.command,
        None | Some(
            cli::Command::Demo { .. }
                | cli::Command::Invite { .. }
                | cli::Command::Join { .. }
                | cli::Command::Sync { .. }
        )
    );
    if !writes_file {
        logging::init(None);
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            term::esay!("cocoach: {e:#}");
            ExitCode::FAILURE
        }
    }
}
