//! What a sync session needs of the document it syncs ([`Replica`]), and how it
//! reaches it: directly, or through the lock that guards it ([`Access`]).

use automerge::{AutoCommit, ChangeHash, ReadDoc};
use cocoach_doc::{
    ChangeSignature, PartnershipDoc, Protected, SignatureBatch, SignatureRefusal, TrustFacts,
};

use crate::limits::Carried;

/// What a sync session needs of the document it syncs: Automerge itself, and the
/// signatures that travel with the changes (see `cocoach_doc`'s `signed.rs`). The
/// partnership document is the one replica the app syncs.
pub trait Replica {
    fn automerge(&mut self) -> &mut AutoCommit;
    /// The signatures of the changes `carried` by an outgoing message.
    fn signatures_carried(&mut self, carried: &Carried) -> Vec<ChangeSignature>;
    /// Signatures the partner sent with a message, before Automerge sees it: those
    /// worth checking ([`PartnershipDoc::signatures_to_check`]) ...
    fn signatures_to_check(
        &mut self,
        offered: Vec<ChangeSignature>,
    ) -> Result<SignatureBatch, SignatureRefusal>;
    /// ... and those that verified ([`PartnershipDoc::keep_checked`]).
    fn keep_checked(&mut self, valid: Vec<ChangeSignature>);
    /// After Automerge applied a message: every change new since `before` must be
    /// its author's, signed. `changes_before` is [`Replica::change_count`] and
    /// `missing_before` the carried changes the document lacked, both taken before
    /// the message was applied (`None`: it carried a whole document).
    fn accept_received(
        &mut self,
        before: &[ChangeHash],
        changes_before: u64,
        missing_before: Option<&[ChangeHash]>,
    ) -> Result<usize, SignatureRefusal>;
    /// How many changes the document holds.
    fn change_count(&mut self) -> u64 {
        self.automerge().stats().num_changes
    }
    /// Which of `hashes` the document does not hold.
    fn missing(&mut self, hashes: &[ChangeHash]) -> Vec<ChangeHash> {
        let am = self.automerge();
        hashes
            .iter()
            .filter(|h| am.get_change_meta_by_hash(h).is_none())
            .copied()
            .collect()
    }
    /// Go back to `before`, dropping what a refused message brought.
    fn roll_back_to(&mut self, before: &[ChangeHash]) -> Result<(), cocoach_doc::DocError>;
    /// What sync may never change (who the partners are), noted before a step of
    /// a message applies ([`PartnershipDoc::trust_facts`]) ...
    fn protected_facts(&mut self) -> Option<TrustFacts> {
        None
    }
    /// ... and which of it the step changed ([`PartnershipDoc::changed_protected`]).
    fn changed_protected(&mut self, _before: &Option<TrustFacts>) -> Option<Protected> {
        None
    }
}

/// How a session reaches the document it syncs: the document itself, or the lock
/// that guards it (then each step of a large message takes the lock anew, and a
/// local edit can go in between). A poisoned lock still gives the document: every
/// step leaves it whole (a refused step is rolled back before the lock is let go).
pub trait Access {
    type Doc: Replica;
    fn with<T>(&mut self, f: impl FnOnce(&mut Self::Doc) -> T) -> T;
}

impl<R: Replica> Access for &mut R {
    type Doc = R;
    fn with<T>(&mut self, f: impl FnOnce(&mut R) -> T) -> T {
        f(self)
    }
}

impl<R: Replica> Access for &std::sync::Mutex<R> {
    type Doc = R;
    fn with<T>(&mut self, f: impl FnOnce(&mut R) -> T) -> T {
        f(&mut self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

impl Replica for PartnershipDoc {
    fn automerge(&mut self) -> &mut AutoCommit {
        self.automerge_mut()
    }
    fn signatures_carried(&mut self, carried: &Carried) -> Vec<ChangeSignature> {
        match carried {
            Carried::Changes(hashes) => self.signatures_for(hashes),
            Carried::WholeDocument => self.all_signatures(),
        }
    }
    fn signatures_to_check(
        &mut self,
        offered: Vec<ChangeSignature>,
    ) -> Result<SignatureBatch, SignatureRefusal> {
        PartnershipDoc::signatures_to_check(self, offered)
    }
    fn keep_checked(&mut self, valid: Vec<ChangeSignature>) {
        PartnershipDoc::keep_checked(self, valid)
    }
    fn accept_received(
        &mut self,
        before: &[ChangeHash],
        changes_before: u64,
        missing_before: Option<&[ChangeHash]>,
    ) -> Result<usize, SignatureRefusal> {
        PartnershipDoc::accept_received(self, before, changes_before, missing_before)
    }
    fn roll_back_to(&mut self, before: &[ChangeHash]) -> Result<(), cocoach_doc::DocError> {
        PartnershipDoc::roll_back_to(self, before)
    }
    fn protected_facts(&mut self) -> Option<TrustFacts> {
        Some(self.trust_facts())
    }
    fn changed_protected(&mut self, before: &Option<TrustFacts>) -> Option<Protected> {
        before
            .as_ref()
            .and_then(|b| PartnershipDoc::changed_protected(self, b))
    }
}
