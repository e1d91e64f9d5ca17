//! Every change is signed by its author's device key, and checked on receipt and on
//! load. Automerge's `Author` is unsigned bytes anyone can set; the signature is what
//! makes "Ana wrote this" true.
//!
//! A signature covers `cocoach-change-signature-v1 ‖ kind ‖ partnership id ‖ change
//! hash` (see [`change_signing_bytes`]): the change hash covers the change's content
//! and, through its dependencies, everything before it. Signatures travel beside the
//! Automerge sync messages and are kept in the store's `signatures` table.
//!
//! Three kinds:
//! - [`SignatureKind::Author`]: made by the author's device when the change was
//!   committed. The only kind made from now on.
//! - [`SignatureKind::Migrated`]: made once by the author's device, for its own
//!   changes that predate signing (the first open by a build that signs).
//! - [`SignatureKind::Vouched`]: made once by this device for a change of the
//!   partner's that it held before signing began (accepted from the pinned partner
//!   at the time). Kept locally; never accepted from the other side, since a vouch
//!   is not the author's own word.

use std::collections::HashMap;

use automerge::{ChangeHash, ReadDoc};

use super::PartnershipDoc;
use crate::identity::{DeviceIdentity, verify};
use crate::types::DeviceKey;

const CHANGE_SIGNATURE_DOMAIN: &[u8] = b"cocoach-change-signature-v1";

/// Signatures offered with one message at most (the cap on changes per message).
pub const MAX_SIGNATURES: usize = 100_000;
/// Bytes of one encoded [`ChangeSignature`].
pub const SIGNATURE_LEN: usize = 32 + 32 + 1 + 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureKind {
    Author,
    Migrated,
    Vouched,
}

impl SignatureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureKind::Author => "author",
            SignatureKind::Migrated => "migrated",
            SignatureKind::Vouched => "vouched",
        }
    }

    pub fn parse(s: &str) -> Option<SignatureKind> {
        Some(match s {
            "author" => SignatureKind::Author,
            "migrated" => SignatureKind::Migrated,
            "vouched" => SignatureKind::Vouched,
            _ => return None,
        })
    }

    fn byte(self) -> u8 {
        match self {
            SignatureKind::Author => 1,
            SignatureKind::Migrated => 2,
            SignatureKind::Vouched => 3,
        }
    }

    fn from_byte(b: u8) -> Option<SignatureKind> {
        Some(match b {
            1 => SignatureKind::Author,
            2 => SignatureKind::Migrated,
            3 => SignatureKind::Vouched,
            _ => return None,
        })
    }
}

/// One device's signature over one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSignature {
    pub hash: ChangeHash,
    pub signer: DeviceKey,
    pub kind: SignatureKind,
    pub signature: [u8; 64],
}

/// The bytes a device signs for a change. `partnership_id` is the document's id as
/// stored (32 lowercase hex characters).
pub fn change_signing_bytes(
    partnership_id: &str,
    kind: SignatureKind,
    hash: &ChangeHash,
) -> Vec<u8> {
    let mut m = Vec::with_capacity(CHANGE_SIGNATURE_DOMAIN.len() + 1 + partnership_id.len() + 32);
    m.extend_from_slice(CHANGE_SIGNATURE_DOMAIN);
    m.push(kind.byte());
    m.extend_from_slice(partnership_id.as_bytes());
    m.extend_from_slice(&hash.0);
    m
}

impl ChangeSignature {
    pub fn make(
        id: &DeviceIdentity,
        partnership_id: &str,
        kind: SignatureKind,
        hash: ChangeHash,
    ) -> ChangeSignature {
        ChangeSignature {
            hash,
            signer: id.public(),
            kind,
            signature: id.sign(&change_signing_bytes(partnership_id, kind, &hash)),
        }
    }

    /// Whether the signature is the signer's over this change (ed25519, strict).
    pub fn is_valid(&self, partnership_id: &str) -> bool {
        verify(
            &self.signer,
            &change_signing_bytes(partnership_id, self.kind, &self.hash),
            &self.signature,
        )
    }

    /// Fixed-width encoding: hash, signer, kind, signature.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.hash.0);
        out.extend_from_slice(&self.signer.0);
        out.push(self.kind.byte());
        out.extend_from_slice(&self.signature);
    }

    pub fn decode(b: &[u8]) -> Option<ChangeSignature> {
        if b.len() != SIGNATURE_LEN {
            return None;
        }
        Some(ChangeSignature {
            hash: ChangeHash(b[..32].try_into().ok()?),
            signer: DeviceKey(b[32..64].try_into().ok()?),
            kind: SignatureKind::from_byte(b[64])?,
            signature: b[65..].try_into().ok()?,
        })
    }

    /// A list as `[u32 BE count][entries]`.
    pub fn encode_list(list: &[ChangeSignature]) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + list.len() * SIGNATURE_LEN);
        out.extend_from_slice(&u32::try_from(list.len()).unwrap_or(u32::MAX).to_be_bytes());
        for s in list {
            s.encode_into(&mut out);
        }
        out
    }

    /// Strict: the count must match the bytes exactly, and stay within
    /// [`MAX_SIGNATURES`].
    pub fn decode_list(b: &[u8]) -> Option<Vec<ChangeSignature>> {
        let (count, rest) = b.split_first_chunk::<4>()?;
        let n = usize::try_from(u32::from_be_bytes(*count)).ok()?;
        if n > MAX_SIGNATURES || rest.len() != n.checked_mul(SIGNATURE_LEN)? {
            return None;
        }
        rest.chunks_exact(SIGNATURE_LEN)
            .map(ChangeSignature::decode)
            .collect()
    }
}

/// Who stands behind a change, as this device verified it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorship {
    /// Signed by its author's device when it was made.
    Signed(DeviceKey),
    /// Made before signing began; signed by its author's device at the migration.
    Migrated(DeviceKey),
    /// Made by `author` before signing began; vouched for by device `by` (this one),
    /// which held it at the migration.
    Vouched { author: DeviceKey, by: DeviceKey },
    /// No valid signature by its author's pinned key: credited to no one.
    Unverified,
}

impl Authorship {
    /// The device the signatures credit, if any.
    pub fn author(self) -> Option<DeviceKey> {
        match self {
            Authorship::Signed(k) | Authorship::Migrated(k) => Some(k),
            Authorship::Vouched { author, .. } => Some(author),
            Authorship::Unverified => None,
        }
    }

    /// What a reader of the history should know beyond the author's name (shown by
    /// the window and the command line alike); `None` for an ordinary signed change.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Authorship::Signed(_) => None,
            Authorship::Migrated(_) => {
                Some("made before signing began; signed by its author since")
            }
            Authorship::Vouched { .. } => {
                Some("made before signing began; vouched for by this device")
            }
            Authorship::Unverified => Some("not signed by its author: credited to no one"),
        }
    }
}

/// Why changes from the partner were refused (for the warning; no content).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureRefusal {
    #[error("a change names no author")]
    NoAuthor,
    #[error("a change's author is not one of the two partners' pinned keys")]
    UnknownAuthor,
    #[error("a change came without its author's signature")]
    Unsigned,
    #[error("a change's signature is not its author's")]
    BadSignature,
    #[error("too many signatures in one message (the limit is {MAX_SIGNATURES})")]
    TooMany,
}

impl SignatureRefusal {
    /// The id of the message naming what such changes would rewrite (the words of
    /// "refused your partner's latest changes: they would rewrite …").
    pub fn message_id(&self) -> &'static str {
        match self {
            SignatureRefusal::NoAuthor | SignatureRefusal::UnknownAuthor => {
                cocoach_i18n::key!("tampered-unknown-author")
            }
            SignatureRefusal::Unsigned => cocoach_i18n::key!("tampered-unsigned"),
            SignatureRefusal::BadSignature => cocoach_i18n::key!("tampered-bad-signature"),
            SignatureRefusal::TooMany => cocoach_i18n::key!("tampered-too-many"),
        }
    }
}

/// What checking every change of the record on load found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordCheck {
    pub signed: usize,
    pub migrated: usize,
    pub vouched: usize,
    /// Changes with no valid signature (credited to no one; the window warns).
    pub unverified: Vec<ChangeHash>,
}

/// Signatures in a batch from which half are checked on a second thread.
pub const PARALLEL_CHECK_FROM: usize = 8;

/// Offered signatures still to be checked (see
/// [`PartnershipDoc::signatures_to_check`]).
#[derive(Debug, Default)]
pub struct SignatureBatch {
    pid: String,
    sigs: Vec<ChangeSignature>,
}

impl SignatureBatch {
    pub fn len(&self) -> usize {
        self.sigs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sigs.is_empty()
    }

    /// The signatures that verify (ed25519, strict); the rest are dropped. From
    /// [`PARALLEL_CHECK_FROM`] on, half are checked on a second thread (each check is
    /// ~45 µs; a first sync carries thousands).
    pub fn verify(self) -> Vec<ChangeSignature> {
        let pid = self.pid.as_str();
        let check = |sigs: Vec<ChangeSignature>| -> Vec<ChangeSignature> {
            sigs.into_iter().filter(|s| s.is_valid(pid)).collect()
        };
        let mut first = self.sigs;
        if first.len() < PARALLEL_CHECK_FROM {
            return check(first);
        }
        let second = first.split_off(first.len() / 2);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| check(second));
            let mut valid = check(first);
            // A panic there (none is known) counts as "none of those verified".
            valid.extend(other.join().unwrap_or_default());
            valid
        })
    }
}

/// The signatures a document holds, by change hash.
#[derive(Debug, Default, Clone)]
pub(crate) struct Signatures {
    pub(crate) by_hash: HashMap<ChangeHash, ChangeSignature>,
    /// Valid signatures by a pinned key offered with changes not yet applied (their
    /// dependencies had not arrived): used once the change applies.
    pub(crate) offered: HashMap<ChangeHash, ChangeSignature>,
    /// Changes found without a valid signature on load (see [`RecordCheck`]).
    pub(crate) unverified: std::collections::HashSet<ChangeHash>,
    /// What each change checked so far proved (cleared when the pins change).
    pub(crate) checked: HashMap<ChangeHash, Authorship>,
}

impl PartnershipDoc {
    /// This device's identity: every change it commits from now on is signed with
    /// it, and it is recorded as the changes' author. Changes committed before it was
    /// set by this process (creating the document, say) are signed now.
    pub fn set_signer(&mut self, id: &DeviceIdentity) {
        self.set_me(id.public());
        self.signer = Some(id.clone());
        let pid = self.partnership_id_str();
        for hash in std::mem::take(&mut self.own_unsigned) {
            let s = ChangeSignature::make(id, &pid, SignatureKind::Author, hash);
            self.sigs.by_hash.insert(hash, s);
        }
    }

    pub(crate) fn sign_committed(&mut self, hash: ChangeHash) {
        if self.signer.is_none() {
            self.own_unsigned.push(hash);
            return;
        }
        let pid = self.partnership_id_str();
        match &self.signer {
            Some(id) => {
                let s = ChangeSignature::make(id, &pid, SignatureKind::Author, hash);
                self.sigs.checked.insert(hash, Authorship::Signed(s.signer));
                self.sigs.by_hash.insert(hash, s);
            }
            None => self.own_unsigned.push(hash),
        }
    }

    /// The partnership id as stored, for signatures (cached: it never changes).
    pub(crate) fn partnership_id_str(&mut self) -> String {
        if self.pid.is_none() {
            self.pid = Some(self.partnership_id().as_str().to_string());
        }
        self.pid.clone().unwrap_or_default()
    }

    /// The signature held for a change, if any.
    pub fn signature_of(&self, hash: &ChangeHash) -> Option<&ChangeSignature> {
        self.sigs.by_hash.get(hash)
    }

    /// The signatures to send with changes `hashes` (those held; a change without one
    /// will be refused by the partner, as it should be).
    pub fn signatures_for<'a>(
        &self,
        hashes: impl IntoIterator<Item = &'a ChangeHash>,
    ) -> Vec<ChangeSignature> {
        hashes
            .into_iter()
            .filter_map(|h| self.sigs.by_hash.get(h))
            .filter(|s| s.kind != SignatureKind::Vouched)
            .cloned()
            .collect()
    }

    /// Every signature held (for a document sent whole: the pairing's welcome).
    pub fn all_signatures(&self) -> Vec<ChangeSignature> {
        let mut v: Vec<ChangeSignature> = self
            .sigs
            .by_hash
            .values()
            .filter(|s| s.kind != SignatureKind::Vouched)
            .cloned()
            .collect();
        v.sort_by_key(|s| s.hash);
        v
    }

    /// Signatures read from storage: kept as they are; [`PartnershipDoc::check_record`]
    /// decides what they prove.
    pub fn load_signatures(&mut self, sigs: impl IntoIterator<Item = ChangeSignature>) {
        for s in sigs {
            self.sigs.by_hash.insert(s.hash, s);
        }
    }

    fn pinned_has(&self, key: &DeviceKey) -> bool {
        self.pinned.as_ref().is_none_or(|p| p.contains(key))
    }

    /// Pinned, or retired at a re-pairing: whose signatures prove what is already
    /// in the record (never what a message brings).
    fn signed_then(&self, key: &DeviceKey) -> bool {
        self.pinned_has(key) || self.retired.contains(key)
    }

    /// Signatures offered by the partner with a message: keep those that are valid
    /// and made by a pinned key, for [`PartnershipDoc::accept_new_changes`]. Invalid
    /// ones are simply not kept (the change they claim to cover is then refused).
    pub fn offer_signatures(
        &mut self,
        offered: Vec<ChangeSignature>,
    ) -> Result<(), SignatureRefusal> {
        let batch = self.signatures_to_check(offered)?;
        self.keep_checked(batch.verify());
        Ok(())
    }

    /// [`PartnershipDoc::offer_signatures`] in two steps, so the ed25519 checks can
    /// run beside Automerge applying the message: first the signatures worth checking
    /// (not vouches, not already held, by a pinned key), then
    /// [`SignatureBatch::verify`] (needs no document), then
    /// [`PartnershipDoc::keep_checked`].
    pub fn signatures_to_check(
        &mut self,
        offered: Vec<ChangeSignature>,
    ) -> Result<SignatureBatch, SignatureRefusal> {
        if offered.len() > MAX_SIGNATURES {
            return Err(SignatureRefusal::TooMany);
        }
        let pid = self.partnership_id_str();
        let sigs = offered
            .into_iter()
            .filter(|s| {
                s.kind != SignatureKind::Vouched
                    && !self.sigs.by_hash.contains_key(&s.hash)
                    && self.pinned_has(&s.signer)
            })
            .collect();
        Ok(SignatureBatch { pid, sigs })
    }

    /// Keep signatures [`SignatureBatch::verify`] found valid.
    pub fn keep_checked(&mut self, valid: Vec<ChangeSignature>) {
        // Bounded: what a message may carry, twice over; older offers go first.
        if self.sigs.offered.len() + valid.len() > 2 * MAX_SIGNATURES {
            self.sigs.offered.clear();
        }
        for s in valid {
            self.sigs.offered.insert(s.hash, s);
        }
    }

    /// After applying a message from the partner: every change that is new since
    /// `before` must be signed by its author, and its author must be a pinned key.
    /// On `Err` the caller rolls the document back to `before` (nothing of the
    /// message stays).
    pub fn accept_new_changes(&mut self, before: &[ChangeHash]) -> Result<usize, SignatureRefusal> {
        let new: Vec<(ChangeHash, Option<DeviceKey>, bool)> = self
            .doc
            .get_changes_meta(before)
            .into_iter()
            .map(|m| {
                let author = m
                    .author
                    .as_ref()
                    .map(|a| DeviceKey::from_slice(a.as_bytes()));
                (m.hash, author.flatten(), m.author.is_some())
            })
            .collect();
        self.accept_these(new)
    }

    /// [`PartnershipDoc::accept_new_changes`] without walking the history: what a
    /// message added is looked up among the changes it carried that this document
    /// lacked before (`missing_before`), and that is the whole of it when their count
    /// is the rise in the document's change count since (`changes_before`). When it
    /// is not (a change queued by an earlier message applied now, or a whole
    /// document arrived: `None`), the history since `before` is walked after all.
    pub fn accept_received(
        &mut self,
        before: &[ChangeHash],
        changes_before: u64,
        missing_before: Option<&[ChangeHash]>,
    ) -> Result<usize, SignatureRefusal> {
        let Some(missing) = missing_before else {
            return self.accept_new_changes(before);
        };
        let added = self.doc.stats().num_changes.saturating_sub(changes_before);
        let mut new = Vec::with_capacity(missing.len());
        for h in missing {
            if let Some(m) = self.doc.get_change_meta_by_hash(h) {
                let author = m
                    .author
                    .as_ref()
                    .and_then(|a| DeviceKey::from_slice(a.as_bytes()));
                new.push((*h, author, m.author.is_some()));
            }
        }
        new.sort_by_key(|n| n.0);
        new.dedup_by_key(|n| n.0);
        if u64::try_from(new.len()).ok() != Some(added) {
            return self.accept_new_changes(before);
        }
        self.accept_these(new)
    }

    /// The changes new to this document, each with the author it names (and whether
    /// it names one at all): all must be signed by that author, a pinned key.
    fn accept_these(
        &mut self,
        new: Vec<(ChangeHash, Option<DeviceKey>, bool)>,
    ) -> Result<usize, SignatureRefusal> {
        let mut accepted = Vec::with_capacity(new.len());
        for (hash, author, named) in &new {
            let Some(author) = author else {
                return Err(if *named {
                    SignatureRefusal::UnknownAuthor
                } else {
                    SignatureRefusal::NoAuthor
                });
            };
            if !self.pinned_has(author) {
                return Err(SignatureRefusal::UnknownAuthor);
            }
            let sig = self
                .sigs
                .by_hash
                .get(hash)
                .or_else(|| self.sigs.offered.get(hash))
                .ok_or(SignatureRefusal::Unsigned)?;
            // Valid already (checked when offered, or made here); it must be the
            // author's own.
            if sig.signer != *author || sig.kind == SignatureKind::Vouched {
                return Err(SignatureRefusal::BadSignature);
            }
            accepted.push(*hash);
        }
        for h in &accepted {
            if let Some(s) = self.sigs.offered.remove(h) {
                self.sigs.by_hash.insert(*h, s);
            }
            if let Some(s) = self.sigs.by_hash.get(h) {
                let a = match s.kind {
                    SignatureKind::Migrated => Authorship::Migrated(s.signer),
                    _ => Authorship::Signed(s.signer),
                };
                self.sigs.checked.insert(*h, a);
            }
        }
        Ok(accepted.len())
    }

    /// Check every change of the record against the signatures held (on load, once
    /// the pinned keys are known). What fails is credited to no one and listed.
    pub fn check_record(&mut self) -> RecordCheck {
        let pid = self.partnership_id_str();
        let metas = self.claimed_authors();
        let mut check = RecordCheck::default();
        for (hash, author) in metas {
            let a = self.verify_one(&pid, &hash, author.as_ref());
            self.sigs.checked.insert(hash, a);
            match a {
                Authorship::Signed(_) => check.signed += 1,
                Authorship::Migrated(_) => check.migrated += 1,
                Authorship::Vouched { .. } => check.vouched += 1,
                Authorship::Unverified => check.unverified.push(hash),
            }
        }
        self.sigs.unverified = check.unverified.iter().copied().collect();
        check
    }

    fn verify_one(&self, pid: &str, hash: &ChangeHash, author: Option<&DeviceKey>) -> Authorship {
        let (Some(author), Some(sig)) = (author, self.sigs.by_hash.get(hash)) else {
            return Authorship::Unverified;
        };
        if !self.signed_then(author) || !self.signed_then(&sig.signer) || !sig.is_valid(pid) {
            return Authorship::Unverified;
        }
        match sig.kind {
            SignatureKind::Author if sig.signer == *author => Authorship::Signed(*author),
            SignatureKind::Migrated if sig.signer == *author => Authorship::Migrated(*author),
            // A vouch counts only from this device, for the other partner's change.
            SignatureKind::Vouched if Some(sig.signer) == self.me && sig.signer != *author => {
                Authorship::Vouched {
                    author: *author,
                    by: sig.signer,
                }
            }
            _ => Authorship::Unverified,
        }
    }

    /// Who stands behind a change (for history). Changes found unverified on load,
    /// or never checked and not signed, read as [`Authorship::Unverified`].
    pub fn authorship(&mut self, hash: &ChangeHash, author: Option<&DeviceKey>) -> Authorship {
        if self.sigs.unverified.contains(hash) {
            return Authorship::Unverified;
        }
        if let Some(a) = self.sigs.checked.get(hash) {
            return *a;
        }
        let pid = self.partnership_id_str();
        let a = self.verify_one(&pid, hash, author);
        self.sigs.checked.insert(*hash, a);
        a
    }

    /// Changes that have no signature at all: what a migration signs once.
    pub fn unsigned_changes(&mut self) -> Vec<(ChangeHash, Option<DeviceKey>)> {
        self.commit();
        let mut all = self.claimed_authors();
        all.retain(|(h, _)| !self.sigs.by_hash.contains_key(h));
        all
    }

    /// Every change in causal order with the device it names as author
    /// (Automerge's unsigned `Author`).
    pub(crate) fn claimed_authors(&mut self) -> Vec<(ChangeHash, Option<DeviceKey>)> {
        self.doc
            .get_changes_meta(&[])
            .into_iter()
            .map(|m| {
                let author = m.author.as_ref();
                (
                    m.hash,
                    author.and_then(|a| DeviceKey::from_slice(a.as_bytes())),
                )
            })
            .collect()
    }

    /// Sign, once, every change that predates signing: this device's own as
    /// [`SignatureKind::Migrated`], the partner's as [`SignatureKind::Vouched`].
    /// Returns the new signatures (for the store to write).
    pub fn sign_history(&mut self, id: &DeviceIdentity) -> Vec<ChangeSignature> {
        let pid = self.partnership_id_str();
        let me = id.public();
        let made: Vec<ChangeSignature> = self
            .unsigned_changes()
            .into_iter()
            .map(|(hash, author)| {
                let kind = if author == Some(me) {
                    SignatureKind::Migrated
                } else {
                    SignatureKind::Vouched
                };
                ChangeSignature::make(id, &pid, kind, hash)
            })
            .collect();
        for s in &made {
            self.sigs.checked.remove(&s.hash);
            self.sigs.by_hash.insert(s.hash, s.clone());
        }
        made
    }
}

impl PartnershipDoc {
    /// Take in every change of `other` as sync would: with its signatures, checked
    /// (tests and tools that hold both replicas in one process). On refusal nothing
    /// of `other` stays.
    pub fn merge_from(&mut self, other: &mut PartnershipDoc) -> Result<(), crate::DocError> {
        self.commit();
        other.commit();
        let before = self.doc.get_heads();
        self.offer_signatures(other.all_signatures())
            .map_err(crate::DocError::Unsigned)?;
        self.doc
            .merge(other.automerge_mut())
            .map_err(crate::DocError::Automerge)?;
        if let Err(r) = self.accept_new_changes(&before) {
            self.roll_back_to(&before)?;
            return Err(crate::DocError::Unsigned(r));
        }
        Ok(())
    }

    /// Take in a whole record received in the re-pairing ceremony (over the pairing
    /// connection, after both users compared the code): every change it adds must be
    /// signed by its author, and that author must be pinned here, retired here, or
    /// one of `also` (the re-pairing guest's new key, whose changes made before the
    /// ceremony are its own). On refusal nothing of it stays. Returns the number of
    /// changes added.
    pub fn merge_record(
        &mut self,
        bytes: &[u8],
        signatures: Vec<ChangeSignature>,
        also: &[DeviceKey],
    ) -> Result<usize, crate::DocError> {
        self.commit();
        let mut other = PartnershipDoc::from_automerge(
            automerge::AutoCommit::load(bytes).map_err(crate::DocError::Automerge)?,
        )?;
        if other.partnership_id() != self.partnership_id() {
            return Err(crate::DocError::InvalidValue {
                field: "partnership",
                reason: "the record is of another partnership".into(),
            });
        }
        let other = other.automerge_mut();
        let before = self.doc.get_heads();
        let pinned = self.pinned.clone();
        if let Some(p) = self.pinned.as_mut() {
            p.extend(self.retired.iter().chain(also));
        }
        let result = (|| {
            self.offer_signatures(signatures)
                .map_err(crate::DocError::Unsigned)?;
            self.doc.merge(other).map_err(crate::DocError::Automerge)?;
            self.accept_new_changes(&before)
                .map_err(crate::DocError::Unsigned)
        })();
        self.pinned = pinned;
        self.sigs.offered.clear();
        match result {
            Ok(n) => Ok(n),
            Err(e) => {
                self.roll_back_to(&before)?;
                Err(e)
            }
        }
    }

    /// A replica made from another's saved bytes, as a joining device gets it: every
    /// change checked against `signatures` and `pinned`, then signed by `me` from now on.
    pub fn from_signed(
        bytes: &[u8],
        signatures: Vec<ChangeSignature>,
        pinned: &[DeviceKey],
        me: &DeviceIdentity,
    ) -> Result<PartnershipDoc, crate::DocError> {
        let am = automerge::AutoCommit::load(bytes).map_err(crate::DocError::Automerge)?;
        let mut doc = PartnershipDoc::from_automerge(am)?;
        doc.set_pinned_keys(pinned);
        doc.offer_signatures(signatures)
            .map_err(crate::DocError::Unsigned)?;
        doc.accept_new_changes(&[])
            .map_err(crate::DocError::Unsigned)?;
        doc.set_signer(me);
        Ok(doc)
    }
}
