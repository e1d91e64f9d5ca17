//! Contract signatures cannot be rolled back. Each signature names a rising version
//! and the hash it replaces, and each device remembers the newest signature it has
//! seen in each partner's place (`contract_seen` in `partnership.sqlite3`). A
//! hostile partner who puts the contract back to an earlier co-signed version,
//! with both old signatures copied back in place (valid ed25519 signatures, in a
//! change honestly signed by the hostile device itself), gets "not signed" and a
//! warning, not "signed by both" — now and after a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use anyhow::Result;
use cocoach_doc::automerge::transaction::Transactable;
use cocoach_doc::automerge::{ObjId, ROOT, ReadDoc, ScalarValue};
use cocoach_doc::{
    Agreement, ContractField, PartnershipDoc, SignatureState, Slot, StoredSignature,
};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_sync::{SyncError, SyncSession};
use cocoach_testkit::generate::{Pair, pair};

fn exchange(
    a: &mut PartnershipDoc,
    sa: &mut SyncSession,
    b: &mut PartnershipDoc,
    sb: &mut SyncSession,
) -> Result<(), SyncError> {
    cocoach_tests::exchange_sessions(a, sa, b, sb)
}

struct World {
    p: Pair,
    sa: SyncSession,
    sb: SyncSession,
    _dir: tempfile::TempDir,
    dir: DataDir,
    store_a: PartnershipStore,
}

impl World {
    fn new() -> Result<World> {
        let mut p = pair(7)?;
        let t = tempfile::tempdir()?;
        let dir = DataDir::new(t.path());
        let store_a = PartnershipStore::create(&dir, &mut p.a)?;
        let pid = p.a.partnership_id().to_string();
        Ok(World {
            p,
            sa: SyncSession::new(&pid, None),
            sb: SyncSession::new(&pid, None),
            _dir: t,
            dir,
            store_a,
        })
    }

    /// Sync, then A saves what it received (as the node does).
    fn sync(&mut self) -> Result<()> {
        exchange(&mut self.p.a, &mut self.sa, &mut self.p.b, &mut self.sb)?;
        self.store_a.save(&mut self.p.a)?;
        Ok(())
    }

    /// Both signatures as they are now (read on B's side).
    fn signatures_now(&self) -> [Vec<u8>; 2] {
        [
            signature_bytes(&self.p.b, Slot::A),
            signature_bytes(&self.p.b, Slot::B),
        ]
    }

    /// B puts the contract back to `place` with the `old` signatures, through
    /// Automerge directly, in one change B's device signs as its own; then sync.
    fn roll_back_to(&mut self, place: &str, old: &[Vec<u8>; 2]) -> Result<()> {
        cocoach_testkit::hostile::roll_back_contract(&mut self.p.b, place, [&old[0], &old[1]])?;
        self.sync()
    }

    /// Both set the place to `place` and sign, A first.
    fn agree_on(&mut self, place: &str) -> Result<()> {
        self.p.a.set_contract(ContractField::Place, place)?;
        self.p.a.sign_contract(&self.p.id_a)?;
        self.p.a.commit();
        self.store_a.save(&mut self.p.a)?;
        self.sync()?;
        self.p.b.sign_contract(&self.p.id_b)?;
        self.p.b.commit();
        self.sync()?;
        Ok(())
    }
}

fn signatures_obj(d: &PartnershipDoc) -> ObjId {
    d.automerge().get(ROOT, "signatures").unwrap().unwrap().1
}

fn signature_bytes(d: &PartnershipDoc, slot: Slot) -> Vec<u8> {
    let b = cocoach_testkit::hostile::contract_signature_bytes(d, slot);
    assert!(!b.is_empty(), "no signature in {slot:?}'s place");
    b
}

#[test]
fn a_contract_rolled_back_to_an_earlier_co_signed_version_is_not_signed_by_both() -> Result<()> {
    let mut w = World::new()?;
    w.agree_on("Café Zürich")?;
    assert_eq!(
        w.p.a.read()?.signatures.agreement(),
        Agreement::SignedByBoth
    );
    let old = w.signatures_now();

    w.agree_on("Online")?;
    let p = w.p.a.read()?;
    assert_eq!(p.signatures.agreement(), Agreement::SignedByBoth);
    assert_eq!(p.contract.place, "Online");
    // Versions rise: the second agreement's signatures supersede the first's.
    let v = |b: &[u8]| StoredSignature::decode(b).unwrap().version;
    assert!(v(&signature_bytes(&w.p.a, Slot::A)) > v(&old[0]));
    assert!(v(&signature_bytes(&w.p.a, Slot::B)) > v(&old[1]));

    // Every change is B's own and signed by B: the record check lets it through.
    w.roll_back_to("Café Zürich", &old)?;
    let p = w.p.a.read()?;
    assert_eq!(p.contract.place, "Café Zürich", "the rollback arrived");
    assert!(matches!(p.signatures.a, SignatureState::RolledBack { .. }));
    assert_ne!(p.signatures.agreement(), Agreement::SignedByBoth);
    assert_eq!(p.signatures.rolled_back(), Some(Slot::A));
    let (text, agreed) = p.agreement_text(
        &cocoach_i18n::Tr::get(cocoach_i18n::Lang::En),
        Some(Slot::A),
    );
    assert!(!agreed);
    assert!(
        text.starts_with("Not signed") && text.contains("older signature of yours"),
        "{text}"
    );
    assert!(
        p.signature_text(&cocoach_i18n::Tr::get(cocoach_i18n::Lang::En), Slot::A)
            .starts_with("not signed")
    );

    // After a restart it still reads so: what A has seen is kept on A's disk.
    drop(w.store_a);
    let (_store, reopened, _) = PartnershipStore::open(&w.dir, Some(&w.p.id_a))?;
    let p = reopened.read()?;
    assert_eq!(p.contract.place, "Café Zürich");
    assert!(matches!(p.signatures.a, SignatureState::RolledBack { .. }));
    assert_ne!(p.signatures.agreement(), Agreement::SignedByBoth);
    Ok(())
}

/// The history still shows each version as it was signed then, and after a
/// rollback the partners can agree again: signing anew supersedes everything.
#[test]
fn after_a_rollback_signing_again_restores_the_agreement_and_history_reads_the_past() -> Result<()>
{
    let mut w = World::new()?;
    w.agree_on("Café Zürich")?;
    let first_heads = w.p.a.heads();
    let old = w.signatures_now();
    w.agree_on("Online")?;
    w.roll_back_to("Café Zürich", &old)?;
    assert_ne!(
        w.p.a.read()?.signatures.agreement(),
        Agreement::SignedByBoth
    );

    // The document as it was when first agreed reads as agreed then.
    let then = w.p.a.read_at(&first_heads)?;
    assert_eq!(then.signatures.agreement(), Agreement::SignedByBoth);

    // Both choose to sign what the contract says now: agreed again, no warning.
    w.p.a.sign_contract(&w.p.id_a)?;
    w.p.a.commit();
    w.store_a.save(&mut w.p.a)?;
    w.sync()?;
    w.p.b.sign_contract(&w.p.id_b)?;
    w.p.b.commit();
    w.sync()?;
    let p = w.p.a.read()?;
    assert_eq!(p.signatures.agreement(), Agreement::SignedByBoth);
    assert_eq!(p.signatures.rolled_back(), None);
    Ok(())
}

/// A signature in the format before rollback protection (104 bytes, version 0)
/// still counts; once a newer one was seen in that place, it reads as rolled back.
#[test]
fn a_signature_from_before_versions_counts_until_a_newer_one_is_seen() -> Result<()> {
    let mut w = World::new()?;
    w.p.a.set_contract(ContractField::Place, "Café Zürich")?;
    w.p.a.commit();
    let p = w.p.a.read()?;
    let hash =
        cocoach_doc::contract_hash(&p.id, [p.partners[0].key, p.partners[1].key], &p.contract);
    let legacy = |id: &cocoach_doc::DeviceIdentity| {
        let mut v = hash.to_vec();
        v.extend_from_slice(&id.sign(&cocoach_doc::signing_message(&hash)));
        v.extend_from_slice(&1_700_000_000_000i64.to_be_bytes());
        v
    };
    let (la, lb) = (legacy(&w.p.id_a), legacy(&w.p.id_b));
    let sigs = signatures_obj(&w.p.a);
    w.p.a
        .automerge_mut()
        .put(&sigs, "a", ScalarValue::Bytes(la.clone()))?;
    w.p.a
        .automerge_mut()
        .put(&sigs, "b", ScalarValue::Bytes(lb.clone()))?;
    w.p.a.commit();
    w.store_a.save(&mut w.p.a)?;
    assert_eq!(
        w.p.a.read()?.signatures.agreement(),
        Agreement::SignedByBoth
    );

    w.sync()?;
    w.agree_on("Online")?;
    w.roll_back_to("Café Zürich", &[la, lb])?;
    let p = w.p.a.read()?;
    assert!(matches!(p.signatures.a, SignatureState::RolledBack { .. }));
    assert!(matches!(p.signatures.b, SignatureState::RolledBack { .. }));
    assert_ne!(p.signatures.agreement(), Agreement::SignedByBoth);
    Ok(())
}

/// A node stand-in that publishes one view.
struct OneView(Option<cocoach_api::Event>);

impl cocoach_api::NodeLink for OneView {
    fn send(&self, _: cocoach_api::Command) -> Result<(), cocoach_api::SendError> {
        Ok(())
    }
    fn try_event(&mut self) -> Option<cocoach_api::Event> {
        self.0.take()
    }
}

/// The window warns in its status bar wherever the partner is, and the contract
/// screen says "not signed" with why.
#[test]
fn the_window_warns_of_a_rolled_back_signature() -> Result<()> {
    use egui_kittest::kittest::Queryable;
    let mut w = World::new()?;
    w.agree_on("Café Zürich")?;
    let old = w.signatures_now();
    w.agree_on("Online")?;
    w.roll_back_to("Café Zürich", &old)?;
    let view = cocoach_api::View {
        me: w.p.id_a.public(),
        my_name: "Ana Müller".into(),
        partnership: Some(w.p.a.read()?),
        my_slot: Some(Slot::A),
        conflicts: Vec::new(),
        saved: true,
        not_saved: None,
        partner_last_seen_ms: None,
        applied: 0,
    };
    let link = OneView(Some(cocoach_api::Event::View(std::sync::Arc::new(view))));
    let mut h = egui_kittest::Harness::builder()
        .with_size([1100.0, 900.0])
        .build_ui_state(
            |ui, app: &mut cocoach_ui::CocoachUi| {
                app.logic();
                app.ui(ui);
            },
            cocoach_ui::CocoachUi::new(Box::new(link)),
        );
    h.run_steps(3);
    let shows = |h: &egui_kittest::Harness<'_, cocoach_ui::CocoachUi>, t: &str| {
        h.query_all_by_label_contains(t).next().is_some()
    };
    assert!(shows(&h, "Contract: an older signature was put back"));
    h.get_by_label_contains("Contract: an older signature")
        .click();
    h.run_steps(3);
    assert!(shows(
        &h,
        "Not signed: an older signature of yours was put back"
    ));
    assert!(!shows(&h, "Signed by both of you"));
    Ok(())
}
