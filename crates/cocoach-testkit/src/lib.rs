//! Test and benchmark support for cocoach (publish = false): a seeded random
//! generator, in-memory Automerge sync between two replicas, and generators of
//! realistic partnership documents.

pub mod generate;
pub mod hostile;
pub mod rng;
pub mod simnet;
pub mod sync;
#[cfg(unix)]
pub mod vfs;

pub use rng::{Rng, cases, for_each_seed, seeds};

/// Log `tracing` events as `RUST_LOG` asks (nothing when it is unset), through the
/// test harness's output capture (shown for failing tests, or with `--nocapture`).
/// Call at the start of a test; later calls do nothing.
pub fn init_test_logging() {
    let filter = tracing_subscriber::EnvFilter::builder()
        .with_default_directive(tracing_subscriber::filter::LevelFilter::OFF.into())
        .from_env_lossy();
    // Err: another test in this process set it up first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}
