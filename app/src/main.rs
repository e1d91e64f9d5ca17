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
            term::esay!("cocoach: {}", user_text(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error chain in one line, the part a user can act on in their language: the
/// first cause the library crates name by a message id is said in words of that
/// language, with the contexts above it as they are.
fn user_text(e: &anyhow::Error) -> String {
    let id = |c: &(dyn std::error::Error + 'static)| {
        c.downcast_ref::<cocoach_node::NodeError>()
            .and_then(cocoach_node::NodeError::message_id)
            .or_else(|| {
                c.downcast_ref::<cocoach_doc::DocError>()
                    .and_then(cocoach_doc::DocError::message_id)
            })
            .or_else(|| {
                c.downcast_ref::<cocoach_sync::PairError>()
                    .and_then(cocoach_sync::PairError::message_id)
            })
    };
    let causes: Vec<&(dyn std::error::Error + 'static)> = e.chain().collect();
    match causes.iter().position(|c| id(*c).is_some()) {
        Some(i) => {
            let tr = term::tr();
            let mut parts: Vec<String> = causes[..i].iter().map(ToString::to_string).collect();
            parts.extend(id(causes[i]).map(|m| tr.t(m)));
            parts.join(": ")
        }
        None => cocoach_doc::error_text(e.as_ref()),
    }
}
