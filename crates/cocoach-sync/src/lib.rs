//! The sync protocol of cocoach, sans IO: framing with a size limit, the messages two
//! devices exchange, a sync session over the partnership document, and pairing.
//! Driven by any byte pipe: iroh QUIC streams in `cocoach-net`, an in-memory
//! simulated network in tests.
//!
//! Architecture invariant: this crate knows nothing of tokio, iroh, SQLite or egui,
//! and cannot name the store (so not the private journal either).

pub mod file;
pub mod frame;
pub mod limits;
pub mod message;
pub mod pairing;
pub mod session;

pub use frame::{FrameDecoder, MAX_FRAME, encode_frame};
pub use message::{Hello, Message, PROTOCOL_VERSION};
pub use pairing::{
    GuestRecord, GuestStep, HostStep, INVITE_LIFETIME_MS, PairError, PairingGuest, PairingHost,
    Ticket, verification_code,
};
pub use session::{Access, Received, Replica, SyncSession};

/// Errors on a sync connection. The connection is closed; the caller reconnects.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("a frame of {len} bytes is larger than the {max}-byte limit")]
    FrameTooLarge { len: usize, max: usize },
    #[error("malformed message: {0}")]
    Decode(&'static str),
    #[error("malformed message: unknown message type {0}")]
    UnknownMessage(u8),
    #[error("malformed Automerge sync message (message {seq})")]
    SyncMessage {
        seq: u64,
        #[source]
        source: automerge::sync::ReadMessageError,
    },
    /// The document refused what the message asked of it.
    #[error("the document")]
    Doc(#[source] cocoach_doc::DocError),
    /// The message asks more of us than any honest cocoach would (see [`limits`]).
    #[error("refused sync message {seq} from the partner's device: {reason}")]
    Refused { seq: u64, reason: String },
    /// A change in the message is not signed by its author's pinned key: the whole
    /// message is refused, and the document is back at the heads before it.
    #[error("refused sync message {seq} from the partner's device")]
    Forged {
        seq: u64,
        #[source]
        reason: cocoach_doc::SignatureRefusal,
    },
    /// A change in the message rewrites who the partners are (their keys, the
    /// partnership's id): refused, and the document is back at the heads before it.
    #[error("refused sync message {seq} from the partner's device: it rewrites {}", what.describe())]
    Protected {
        seq: u64,
        what: cocoach_doc::Protected,
    },
    #[error("the partner speaks protocol version {0}; please update both apps")]
    ProtocolVersion(u16),
    #[error("the other device holds a different partnership")]
    WrongPartnership,
    #[error("unexpected {0} message")]
    Unexpected(&'static str),
    #[error("sync makes no progress; reconnecting")]
    NoProgress,
    #[error("the partner's messages are numbered out of order; reconnecting")]
    OutOfOrder,
    #[error("Automerge refused sync message {seq}")]
    Automerge {
        seq: u64,
        #[source]
        // Boxed: AutomergeError is large, and every decode step returns a SyncError.
        source: Box<automerge::AutomergeError>,
    },
}
