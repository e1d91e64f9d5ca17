//! The `cocoach` binary. A thin main: parse arguments, run, report errors.

mod cli;
mod commands;
mod gui;
mod network;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cocoach: {e:#}");
            ExitCode::FAILURE
        }
    }
}
