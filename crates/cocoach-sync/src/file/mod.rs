//! A sync file, for when the two devices have no network path: the changes the
//! partner lacks, written to a file that is carried over (a USB stick, an e-mail
//! attachment) and imported on the other device.
//!
//! The file is the same conversation the network carries, one way: a `Hello` naming
//! the partnership, then `Sync` messages of at most [`CHANGES_PER_MESSAGE`] changes
//! each, with the signature of every change by its author's device. Importing feeds
//! them to a fresh [`SyncSession`], so a file meets every check a live connection
//! does — the partnership id, the limits, the pinned keys' signatures, the protected
//! fields — with no second implementation to drift.
//!
//! Layout (all integers big-endian):
//!
//! ```text
//! "cocoach sync file\n"   18 bytes, the magic
//! version                 u16 (1)
//! body length             u64
//! body                    frames as on the network: [u32 length][message]…
//! SHA-256                 32 bytes, of everything before it
//! ```
//!
//! The digest finds a truncated or damaged file before anything of it is applied; it
//! does not prove who wrote it (anyone can compute a hash): the change signatures do.

use automerge::sync::{self, ChunkList, MessageVersion};
use automerge::{Change, ChangeHash};
use sha2::{Digest, Sha256};

use crate::SyncError;
use crate::frame::{FrameDecoder, MAX_FRAME, encode_frame};
use crate::limits::Carried;
use crate::message::{Hello, Message, PROTOCOL_VERSION};
use crate::session::{Access, Replica, SyncSession};

/// The first bytes of every sync file.
pub const MAGIC: &[u8; 18] = b"cocoach sync file\n";
/// The layout written by this build; a newer one is refused with "update cocoach".
pub const FILE_VERSION: u16 = 1;
/// Changes per `Sync` message: each message stays far below the frame limit, and an
/// import holds one message's changes at a time.
pub const CHANGES_PER_MESSAGE: usize = if crate::limits::MAX_CHANGES_PER_MESSAGE < 500 {
    crate::limits::MAX_CHANGES_PER_MESSAGE
} else {
    500
};

const HEADER: usize = MAGIC.len() + 2 + 8;
const DIGEST: usize = 32;

/// Why a sync file was refused. Nothing of a refused file is kept.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("this is not a cocoach sync file")]
    NotASyncFile,
    #[error("this sync file was written by a newer cocoach (format {0}); please update cocoach")]
    NewerVersion(u16),
    #[error(
        "this sync file is incomplete: it ends after {found} of its {expected} bytes (was it copied in full?)"
    )]
    Truncated { expected: u64, found: u64 },
    #[error("this sync file is damaged: its contents do not match its checksum")]
    Damaged,
    #[error("this sync file is for another partnership")]
    WrongPartnership,
    /// A change in it failed a check a live connection also makes (a forged
    /// signature, a rewrite of who the partners are, a limit).
    #[error("this sync file was refused: {0}")]
    Refused(#[source] SyncError),
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// Changes in the file.
    pub changes: usize,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Changes in the file.
    pub in_file: usize,
    /// Of them, new to this device (0 when it was imported before).
    pub new: u64,
    /// The heads of the device that wrote the file, when it wrote it: after a whole
    /// import both devices hold them (see [`with_shared_heads`]).
    pub their_heads: Vec<ChangeHash>,
}

/// A stored sync state (or a new one) that knows both devices hold `heads`, so the
/// next export, and the next live sync, start from there.
pub fn with_shared_heads(persisted: Option<&[u8]>, heads: Vec<ChangeHash>) -> Vec<u8> {
    let mut st = persisted
        .and_then(|b| sync::State::decode(b).ok())
        .unwrap_or_default();
    st.shared_heads = heads;
    st.encode()
}

/// The heads both devices are known to share, from a stored sync state (what a
/// file then needs to carry is everything after them). Unreadable state: none.
pub fn shared_heads(persisted: Option<&[u8]>) -> Vec<ChangeHash> {
    persisted
        .and_then(|b| sync::State::decode(b).ok())
        .map(|s| s.shared_heads)
        .unwrap_or_default()
}

/// Write the changes of `doc` that are not ancestors of `since` (all of them when
/// `since` is empty), with their signatures.
pub fn export(
    doc: &mut impl Replica,
    partnership_id: &str,
    since: &[ChangeHash],
) -> Result<Exported, SyncError> {
    let heads = doc.automerge().get_heads();
    // A head we do not hold (a stale state): `get_changes` would give nothing, so
    // carry everything instead.
    let known = since
        .iter()
        .all(|h| doc.automerge().get_change_by_hash(h).is_some());
    let since = if known { since } else { &[] };
    let changes: Vec<Vec<u8>> = doc
        .automerge()
        .get_changes(since)
        .into_iter()
        .map(|c: Change| c.raw_bytes().to_vec())
        .collect();
    let mut body = encode_frame(
        &Message::Hello(Hello {
            protocol: PROTOCOL_VERSION,
            partnership_id: partnership_id.to_string(),
            heads: heads.clone(),
        })
        .encode(),
    )?;
    for (i, chunk) in changes.chunks(CHANGES_PER_MESSAGE).enumerate() {
        let m = sync::Message {
            heads: heads.clone(),
            need: Vec::new(),
            have: Vec::new(),
            changes: ChunkList::from(chunk.to_vec()),
            flags: None,
            version: MessageVersion::V1,
        };
        let signatures = doc.signatures_carried(&crate::limits::carried(&m));
        let msg = Message::Sync {
            seq: i as u64 + 1,
            data: m.encode(),
            signatures,
        };
        body.extend(encode_frame(&msg.encode())?);
    }
    let mut out = Vec::with_capacity(HEADER + body.len() + DIGEST);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FILE_VERSION.to_be_bytes());
    out.extend_from_slice(&(body.len() as u64).to_be_bytes());
    out.extend_from_slice(&body);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    Ok(Exported {
        bytes: out,
        changes: changes.len(),
    })
}

/// The messages of a sync file, once its frame is whole.
fn messages(bytes: &[u8]) -> Result<Vec<Message>, FileError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(FileError::NotASyncFile);
    }
    let found = bytes.len() as u64;
    let Some(header) = bytes.get(..HEADER) else {
        return Err(FileError::Truncated {
            expected: (HEADER + DIGEST) as u64,
            found,
        });
    };
    let version = u16::from_be_bytes([header[18], header[19]]);
    if version > FILE_VERSION {
        return Err(FileError::NewerVersion(version));
    }
    if version == 0 {
        return Err(FileError::NotASyncFile);
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&header[20..28]);
    let body_len = u64::from_be_bytes(len);
    let expected = body_len
        .checked_add((HEADER + DIGEST) as u64)
        .ok_or(FileError::Damaged)?;
    if found < expected {
        return Err(FileError::Truncated { expected, found });
    }
    if found > expected {
        return Err(FileError::Damaged);
    }
    let split = bytes.len() - DIGEST;
    if Sha256::digest(&bytes[..split]).as_slice() != &bytes[split..] {
        return Err(FileError::Damaged);
    }
    let mut frames = FrameDecoder::new(MAX_FRAME);
    frames.push(&bytes[HEADER..split]);
    let mut out = Vec::new();
    loop {
        match frames.next_frame() {
            Ok(Some(f)) => out.push(Message::decode(&f).map_err(|_| FileError::Damaged)?),
            Ok(None) => break,
            Err(_) => return Err(FileError::Damaged),
        }
    }
    if frames.pending() != 0 {
        return Err(FileError::Damaged);
    }
    Ok(out)
}

/// Check a sync file and merge its changes into the document behind `doc`. A file
/// for another partnership, damaged, truncated or failing a check is refused; a
/// refused message is rolled back (as on the network), and the messages before it
/// stay: each passed every check.
pub fn import<A: Access>(
    mut doc: A,
    partnership_id: &str,
    bytes: &[u8],
) -> Result<Imported, FileError> {
    let messages = messages(bytes)?;
    let mut iter = messages.into_iter();
    match iter.next() {
        Some(Message::Hello(h)) if h.partnership_id != partnership_id => {
            Err(FileError::WrongPartnership)
        }
        Some(Message::Hello(hello)) => {
            let their_heads = hello.heads.clone();
            let hello = Message::Hello(hello);
            let mut session = SyncSession::new(partnership_id, None);
            session
                .receive(Reborrow(&mut doc), hello)
                .map_err(FileError::Refused)?;
            let before = doc.with(|d| d.change_count());
            let mut in_file = 0;
            for m in iter {
                let Message::Sync { data, .. } = &m else {
                    return Err(FileError::Damaged);
                };
                in_file += match sync::Message::decode(data).map(|s| crate::limits::carried(&s)) {
                    Ok(Carried::Changes(h)) => h.len(),
                    _ => 0,
                };
                session
                    .receive(Reborrow(&mut doc), m)
                    .map_err(FileError::Refused)?;
            }
            let after = doc.with(|d| d.change_count());
            // Heads the file names but did not carry (a forged file): not shared.
            let missing = doc.with(|d| d.missing(&their_heads));
            Ok(Imported {
                in_file,
                new: after.saturating_sub(before),
                their_heads: if missing.is_empty() {
                    their_heads
                } else {
                    Vec::new()
                },
            })
        }
        _ => Err(FileError::Damaged),
    }
}

/// The caller's access, lent to one `receive` at a time.
struct Reborrow<'a, A>(&'a mut A);

impl<A: Access> Access for Reborrow<'_, A> {
    type Doc = A::Doc;
    fn with<T>(&mut self, f: impl FnOnce(&mut A::Doc) -> T) -> T {
        self.0.with(f)
    }
}

#[cfg(test)]
mod tests;
