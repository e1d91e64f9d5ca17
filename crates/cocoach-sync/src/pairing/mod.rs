//! Pairing two devices, sans IO: the invite ticket, the proof of its secret, the
//! 6-digit verification code both screens show, and the host's and guest's steps.
//!
//! 1. Host A makes a [`Ticket`]: its device key (= iroh EndpointId), current
//!    addresses, the partnership id, a one-time secret, an expiry (15 minutes).
//! 2. Guest B dials A on the pairing ALPN (TLS proves it reached A's key) and sends
//!    `PairRequest { proof, name }`, where `proof` = HMAC(secret, both keys), and
//!    `PairCommit`, a commitment to a fresh nonce of its own.
//! 3. A checks the invite is unused, unexpired and the proof right, burns it, and
//!    answers with its own nonce (`PairNonce`); B reveals its nonce (`PairReveal`),
//!    which must match the commitment. Both compute the same [`verification_code`]
//!    from both keys, the secret and both nonces; B shows it only now.
//! 4. Each user compares the codes and confirms (`PairConfirm`) or declines
//!    (`PairReject`). When both confirmed, A adds B to the document and sends
//!    `Welcome { host_name, document }`.
//!
//! One concern per file: `ticket.rs` (the invite and its text), `proof.rs` (the
//! HMAC proof, the nonce commitment and the verification code), `host.rs` and
//! `guest.rs` (the two state machines), `tests.rs` (the two sides together).

mod guest;
mod host;
mod proof;
#[cfg(test)]
mod tests;
mod ticket;

pub use guest::{GuestStep, PairingGuest};
pub use host::{GuestRecord, HostStep, PairingHost};
pub use proof::{nonce_commitment, pair_proof, verification_code};
pub use ticket::Ticket;

/// How long an invite stays valid.
pub const INVITE_LIFETIME_MS: i64 = 15 * 60 * 1000;

/// Why pairing failed, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairError {
    #[error("this invite is not a cocoach invite, or it was copied incompletely or altered")]
    BadTicket,
    #[error("this invite has expired: ask your partner for a new one")]
    Expired,
    #[error("this invite was already used: ask your partner for a new one")]
    AlreadyUsed,
    #[error("this invite does not match: it was altered or is from another invite")]
    BadProof,
    #[error(
        "this invite is for re-pairing a device restored from a backup without its key, not for joining"
    )]
    ForRejoin,
    #[error(
        "this invite is for a new partner, not for re-pairing: ask your partner for a re-pairing invite"
    )]
    NotForRejoin,
    #[error("pairing refused: {0}")]
    Refused(String),
    #[error("pairing protocol error: {0}")]
    Protocol(&'static str),
    /// The guest revealed a nonce other than the one it committed to: it tried to
    /// choose the code after seeing the host's nonce.
    #[error("the other device broke its pairing commitment: pairing refused")]
    BrokenCommitment,
    #[error("no randomness available from the operating system")]
    Random(#[source] getrandom::Error),
}

impl PairError {
    /// The id of the message saying this to the user in their language (ids are
    /// checked against both languages by cocoach-i18n's tests).
    pub fn message_id(&self) -> Option<&'static str> {
        Some(match self {
            PairError::BadTicket => cocoach_i18n::key!("err-bad-invite"),
            PairError::Expired => cocoach_i18n::key!("err-invite-expired"),
            PairError::AlreadyUsed => cocoach_i18n::key!("err-invite-used"),
            PairError::BadProof => cocoach_i18n::key!("err-invite-mismatch"),
            PairError::ForRejoin => cocoach_i18n::key!("err-invite-for-rejoin"),
            PairError::NotForRejoin => cocoach_i18n::key!("err-invite-not-for-rejoin"),
            PairError::BrokenCommitment => cocoach_i18n::key!("err-broken-commitment"),
            _ => return None,
        })
    }
}

pub(crate) fn clean_name(s: &str) -> String {
    let n: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    if n.is_empty() { "Partner".into() } else { n }
}

/// The invite the tests use.
#[cfg(test)]
pub(crate) fn test_ticket() -> Ticket {
    Ticket {
        host: cocoach_doc::DeviceKey([1; 32]),
        partnership_id: [2; 16],
        secret: [3; 16],
        expires_at_ms: 1_000_000,
        addrs: vec![
            "192.0.2.7:4433".parse().unwrap(),
            "[2001:db8::1]:9".parse().unwrap(),
        ],
        rejoin: false,
    }
}
