//! Test and benchmark support for cocoach (publish = false): a seeded random
//! generator, in-memory Automerge sync between two replicas, and generators of
//! realistic partnership documents.

pub mod generate;
pub mod rng;
pub mod simnet;
pub mod sync;

pub use rng::{Rng, seed_from_env};
