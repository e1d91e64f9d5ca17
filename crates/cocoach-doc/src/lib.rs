//! The shared partnership document of cocoach: schema, typed reads and edits over
//! Automerge, contract signatures, conflicts and history.
//!
//! Architecture invariant: this crate is pure. It does no file or network I/O and
//! knows nothing of tokio, iroh, SQLite or egui.

pub mod calendar_plan;
mod doc;
pub mod export;
mod identity;
mod ids;
pub mod model;
pub mod practice;
pub mod remind;
pub mod schema;
pub mod textmerge;
mod time;
mod types;

pub use automerge;
pub use doc::{
    ActionField, Authorship, ChangeSignature, Conflict, ConflictAbout, ContractField, HalfText,
    HistoryEntry, MAX_QUESTION_CHARS, MAX_SIGNATURES, PartnershipDoc, Protected, RecordCheck,
    SIGNATURE_LEN, SessionField, SignatureBatch, SignatureKind, SignatureRefusal, TextRef,
    TrustFacts, change_signing_bytes,
};
pub use identity::{DeviceIdentity, StoredSignature, contract_hash, signing_message, verify};
pub use ids::{ActionId, PartnershipId, QuestionId, SessionId};
pub use model::*;
pub use practice::{
    Card, DoneRate, Due, Horizon, ObstaclePattern, RECAP_FOR_MS, Recap, TERM_ENDING_DAYS,
    TermReview, built_in_deck, common_obstacles, default_ground_rules,
};
pub use time::{Date, format_time, format_time_in};
pub use types::{DeviceKey, Slot, hex_decode, hex_encode, new_id, now_ms};

/// An error and its sources as one line, `outer: inner: innermost`, the way `{:#}`
/// prints an `anyhow` chain. Library errors keep what went wrong underneath as their
/// `source()` and do not repeat it in their own message; this is where they become
/// text: at the boundary to a screen (the node's `Event`s) or a log line. A source
/// whose text the message already ends with is not repeated.
pub fn error_text(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        let t = s.to_string();
        // SQLite's own error repeats its words after a code ("database or disk is
        // full: Error code 13: database or disk is full"): say them once.
        let tail = t.rsplit(": ").next().unwrap_or(&t);
        if !t.is_empty() && !out.ends_with(&t) && !out.ends_with(tail) {
            out.push_str(": ");
            out.push_str(&t);
        }
        next = s.source();
    }
    out
}

/// Errors from reading or editing the shared document. Messages never contain note text.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("this is not a cocoach partnership document")]
    NotAPartnership,
    #[error(
        "this partnership needs a newer cocoach (it is readable from version {0} of the format); please update: nothing was changed"
    )]
    NeedsNewerVersion(u64),
    #[error("the document is missing its {0}: it may come from a different program")]
    Schema(&'static str),
    #[error("no {what} with id {id:?}")]
    NotFound { what: &'static str, id: String },
    #[error("{id:?} matches more than one {what}: give more characters of the id")]
    Ambiguous { what: &'static str, id: String },
    #[error("invalid {field}: {reason}")]
    InvalidValue { field: &'static str, reason: String },
    #[error("this device is not one of the two partners of this partnership")]
    NotAMember,
    #[error("your partner has not joined yet: the contract can only be signed by both")]
    PartnerMissing,
    #[error("the contract has terms set differently by each of you: pick one value for each first")]
    UnresolvedConflicts,
    #[error(
        "a session closes with at least one action with a deadline for each partner, or a reason to skip"
    )]
    SessionNeedsActions,
    #[error("no randomness available from the operating system")]
    Random(#[source] getrandom::Error),
    /// Automerge refused an operation or a load. Its message names objects, indexes
    /// and types, never values.
    #[error("the document could not be read or changed (Automerge)")]
    Automerge(#[source] automerge::AutomergeError),
    /// Changes from elsewhere were refused by their signatures; nothing of them stays.
    #[error("refused changes that are not signed by their author")]
    Unsigned(#[source] SignatureRefusal),
}

impl DocError {
    /// The id of the message saying this to the user in their language, for the
    /// errors a user can meet and act on (the rest are shown as they read).
    pub fn message_id(&self) -> Option<&'static str> {
        Some(match self {
            DocError::NotAPartnership => cocoach_i18n::key!("err-not-a-partnership"),
            DocError::NotAMember => cocoach_i18n::key!("err-not-a-member"),
            DocError::PartnerMissing => cocoach_i18n::key!("err-partner-missing"),
            DocError::UnresolvedConflicts => cocoach_i18n::key!("err-unresolved-conflicts"),
            DocError::SessionNeedsActions => cocoach_i18n::key!("err-session-needs-actions"),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::error_text;

    #[derive(Debug, thiserror::Error)]
    #[error("the edit was not saved")]
    struct Outer(#[source] Middle);

    #[derive(Debug, thiserror::Error)]
    #[error("cannot access /data/partnership.sqlite3")]
    struct Middle(#[source] std::io::Error);

    /// A third-party error that repeats its source in its own message.
    #[derive(Debug, thiserror::Error)]
    #[error("wrapped: {0}")]
    struct Repeats(#[source] std::io::Error);

    #[test]
    fn the_chain_is_one_line_and_says_each_part_once() {
        let disk = || std::io::Error::other("disk full");
        assert_eq!(
            error_text(&Outer(Middle(disk()))),
            "the edit was not saved: cannot access /data/partnership.sqlite3: disk full"
        );
        assert_eq!(error_text(&Repeats(disk())), "wrapped: disk full");
        assert_eq!(error_text(&disk()), "disk full");
    }
}
