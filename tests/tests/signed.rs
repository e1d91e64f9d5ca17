//! Every change is signed by its author's device key and checked on receipt and on
//! load. Automerge's `Author` is unsigned bytes: a hostile partner can make a change
//! that names the other partner as its author with one call of the Rust API. Such a
//! change is refused when it arrives and is never credited to anyone.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use anyhow::{Context, Result};
use cocoach_doc::automerge::transaction::Transactable;
use cocoach_doc::automerge::{ActorId, Author, ChangeHash, ROOT, ReadDoc};
use cocoach_doc::{
    Authorship, ChangeSignature, DeviceIdentity, DocError, HalfText, PartnershipDoc, SignatureKind,
    SignatureRefusal, Slot,
};
use cocoach_node::Event;
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_sync::{Message, SyncError, SyncSession};
use cocoach_testkit::generate::{Pair, pair};

fn exchange(
    a: &mut PartnershipDoc,
    sa: &mut SyncSession,
    b: &mut PartnershipDoc,
    sb: &mut SyncSession,
) -> Result<(), SyncError> {
    cocoach_tests::exchange_sessions(a, sa, b, sb)
}

/// A change made on `d`'s device with the Rust automerge API, naming `claimed` as
/// its author (a fresh actor, so its first change carries the `Author` footer).
fn forge(d: &mut PartnershipDoc, claimed: &DeviceIdentity) -> ChangeHash {
    let am = d.automerge_mut();
    let mut forged = am
        .fork()
        .with_actor(ActorId::random())
        .with_author(Some(Author::from(claimed.public().0.to_vec())));
    forged
        .put(ROOT, "forged", "I agreed to pay for everything")
        .unwrap();
    let hash = forged.commit().unwrap();
    am.merge(&mut forged).unwrap();
    hash
}

fn fresh() -> (Pair, SyncSession, SyncSession) {
    let mut p = pair(41).unwrap();
    let pins = [p.id_a.public(), p.id_b.public()];
    p.a.set_pinned_keys(&pins);
    p.b.set_pinned_keys(&pins);
    let pid = p.a.partnership_id().to_string();
    (
        p,
        SyncSession::new(&pid, None),
        SyncSession::new(&pid, None),
    )
}

fn refusal(e: SyncError) -> SignatureRefusal {
    match e {
        SyncError::Forged { reason, .. } => reason,
        e => panic!("expected a signature refusal, got {e:?}"),
    }
}

#[test]
fn honest_changes_sync_and_are_credited_to_their_signed_authors() {
    let (mut p, mut sa, mut sb) = fresh();
    let s =
        p.b.new_session(cocoach_doc::Date::new(2026, 12, 1).unwrap())
            .unwrap();
    p.b.append_half_text(&s, Slot::A, HalfText::Goal, "UX research")
        .unwrap();
    p.b.commit();
    exchange(&mut p.a, &mut sa, &mut p.b, &mut sb).unwrap();
    assert_eq!(p.a.heads(), p.b.heads());
    let last = p.a.history().pop().unwrap();
    assert_eq!(last.authorship, Authorship::Signed(p.id_b.public()));
    assert_eq!(last.author, Some(p.id_b.public()));
    assert_eq!(p.a.author_slot(&last), Some(Slot::B));
}

/// B makes a change naming A as its author. Unsigned, signed by B's own key, or
/// carrying a made-up "signature by A": each refused, and A's record is as before.
#[test]
fn a_change_naming_the_partner_as_author_is_refused_however_it_is_signed() {
    for attempt in [
        "unsigned",
        "signed by the wrong device",
        "a false signature",
    ] {
        let (mut p, mut sa, mut sb) = fresh();
        let before = p.a.heads();
        let hash = forge(&mut p.b, &p.id_a);
        let pid = p.b.partnership_id().to_string();
        match attempt {
            "unsigned" => {}
            "signed by the wrong device" => p.b.load_signatures([ChangeSignature::make(
                &p.id_b,
                &pid,
                SignatureKind::Author,
                hash,
            )]),
            _ => p.b.load_signatures([ChangeSignature {
                hash,
                signer: p.id_a.public(),
                kind: SignatureKind::Author,
                signature: [7; 64],
            }]),
        }
        let err = exchange(&mut p.a, &mut sa, &mut p.b, &mut sb).unwrap_err();
        let why = refusal(err);
        let expected = if attempt == "signed by the wrong device" {
            SignatureRefusal::BadSignature
        } else {
            SignatureRefusal::Unsigned
        };
        assert_eq!(why, expected, "{attempt}");
        assert_eq!(p.a.heads(), before, "{attempt}: A kept part of it");
        assert!(
            p.a.history().iter().all(|e| e.hash != hash),
            "{attempt}: the forged change is in A's history"
        );
    }
}

/// A change with no author, or one by a device that is neither partner (signed
/// with its own valid key): refused.
#[test]
fn a_change_by_no_one_or_by_a_stranger_is_refused() {
    let (mut p, mut sa, mut sb) = fresh();
    let am = p.b.automerge_mut();
    let mut anon = am.fork().with_actor(ActorId::random()).with_author(None);
    anon.put(ROOT, "anon", 1).unwrap();
    anon.commit();
    am.merge(&mut anon).unwrap();
    let err = exchange(&mut p.a, &mut sa, &mut p.b, &mut sb).unwrap_err();
    assert_eq!(refusal(err), SignatureRefusal::NoAuthor);

    let (mut p, mut sa, mut sb) = fresh();
    let stranger = DeviceIdentity::from_seed([99; 32]);
    let hash = forge(&mut p.b, &stranger);
    let pid = p.b.partnership_id().to_string();
    p.b.load_signatures([ChangeSignature::make(
        &stranger,
        &pid,
        SignatureKind::Author,
        hash,
    )]);
    let err = exchange(&mut p.a, &mut sa, &mut p.b, &mut sb).unwrap_err();
    assert_eq!(refusal(err), SignatureRefusal::UnknownAuthor);
}

/// The receipt check looks only at the changes a message carries, unless the
/// document grew by more than those: here an unsigned change arrives first with its
/// dependency missing (Automerge queues it), and applies only when a later message
/// brings that dependency, honestly signed. The second message is refused whole.
#[test]
fn an_unsigned_change_queued_by_one_message_is_refused_when_a_later_one_applies_it() {
    use cocoach_doc::automerge::ReadDoc;
    let (mut p, mut sa, mut sb) = fresh();
    exchange(&mut p.a, &mut sa, &mut p.b, &mut sb).unwrap();
    let before = p.a.heads();
    // B's honest change D, then an unsigned change X on top of it.
    p.b.set_contract(cocoach_doc::ContractField::Place, "Café Zürich")
        .unwrap();
    let d = p.b.commit().unwrap();
    let x = forge(&mut p.b, &p.id_b);
    let raw = |doc: &mut PartnershipDoc, h: ChangeHash| {
        doc.automerge()
            .get_change_by_hash(&h)
            .unwrap()
            .raw_bytes()
            .to_vec()
    };
    let (raw_d, raw_x) = (raw(&mut p.b, d), raw(&mut p.b, x));
    let send = |seq: u64, chunk: Vec<u8>, signatures| Message::Sync {
        seq,
        data: cocoach_testkit::hostile::changes_message(vec![chunk]).encode(),
        signatures,
    };
    // X alone: its dependency is missing, so nothing applies yet.
    sa.receive(&mut p.a, send(1_000, raw_x, vec![])).unwrap();
    assert_eq!(p.a.heads(), before);
    // D with its signature: D and the queued X apply together; X is unsigned.
    let sig_d = p.b.signatures_for([&d]);
    assert_eq!(sig_d.len(), 1);
    let err = sa.receive(&mut p.a, send(1_001, raw_d, sig_d)).unwrap_err();
    assert_eq!(refusal(err), SignatureRefusal::Unsigned);
    assert_eq!(p.a.heads(), before, "A kept part of it");
}

/// Over real iroh, through the node: the forged change is refused, the window is
/// told, and A's screen and disk never show it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_network_a_forged_authorship_is_refused_and_reported() -> Result<()> {
    cocoach_testkit::init_test_logging();
    let p = cocoach_tests::paired_nodes(|_| {}).await?;
    let (a, b, mut ea, session, da) = (p.a, p.b, p.ea, p.session.clone(), p.da.clone());
    let a_key = a.me();
    // B's device makes a change to A's goal that names A as its author.
    b.edit(|d| {
        let am = d.automerge_mut();
        let mut forged = am
            .fork()
            .with_actor(ActorId::random())
            .with_author(Some(Author::from(a_key.0.to_vec())));
        forged
            .put(ROOT, "forged", "A agreed to pay for everything")
            .map_err(DocError::Automerge)?;
        forged.commit();
        am.merge(&mut forged).map_err(DocError::Automerge)?;
        d.append_half_text(&session, Slot::B, HalfText::Goal, "with the forgery")
    })?;
    b.connect_partner()?;
    let what = cocoach_tests::wait_for(&mut ea, Duration::from_secs(20), |e| match e {
        Event::Tampered { what } => Some(what.clone()),
        _ => None,
    })
    .await
    .context("A did not report the forged change")?;
    assert_eq!(what, "tampered-unsigned");
    let en = cocoach_i18n::Tr::get(cocoach_i18n::Lang::En);
    assert!(en.t(&what).contains("who wrote what"), "{what}");
    let shown = a.read(|d| {
        (
            d.read(),
            d.automerge().get(ROOT, "forged").ok().flatten().is_some(),
        )
    });
    let shown = (shown.0?, shown.1);
    assert!(!shown.1, "A's document holds the forged field");
    assert!(
        !shown
            .0
            .session(&session)
            .context("session")?
            .half(Slot::B)
            .goal
            .contains("forgery"),
        "part of the refused message was kept"
    );
    a.shutdown().await;
    b.shutdown().await;
    drop((a, b, ea));
    let (_, stored, _) = PartnershipStore::open(&da, None)?;
    assert!(
        stored.automerge().get(ROOT, "forged")?.is_none(),
        "A's disk holds it"
    );
    Ok(())
}

/// Make `dir`'s partnership look like one saved before signing: no signatures, no
/// mark, format version 1.
fn unsign(dir: &DataDir) {
    let c = rusqlite::Connection::open(dir.partnership_db()).unwrap();
    c.execute_batch(
        "DELETE FROM signatures; DELETE FROM meta WHERE key = 'signing_since';
         PRAGMA user_version = 1;",
    )
    .unwrap();
}

fn stored_pair(dir: &DataDir) -> Pair {
    let mut p = pair(43).unwrap();
    let s =
        p.b.new_session(cocoach_doc::Date::new(2026, 12, 1).unwrap())
            .unwrap();
    p.b.append_half_text(&s, Slot::B, HalfText::Goal, "Research")
        .unwrap();
    p.b.commit();
    cocoach_testkit::generate::merge_both(&mut p).unwrap();
    let mut store = PartnershipStore::create(dir, &mut p.a).unwrap();
    store
        .upsert_partner(&cocoach_store::PartnerRecord {
            key: p.id_b.public(),
            name: "Bo".into(),
            addresses: vec![],
            paired_at_ms: Some(1),
            last_seen_ms: None,
        })
        .unwrap();
    p
}

/// A partnership saved before signing is signed once on its first open: this
/// device's own changes as "migrated", the partner's as "vouched" by this device,
/// and the history says so. The next open signs nothing.
#[test]
fn history_from_before_signing_is_signed_once_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let p = stored_pair(&dir);
    unsign(&dir);
    let (store, mut doc, report) = PartnershipStore::open(&dir, Some(&p.id_a)).unwrap();
    let n = doc.history().len();
    assert_eq!(report.signed_history, n);
    assert!(store.record().unverified.is_empty(), "{:?}", store.record());
    let kinds: Vec<Authorship> = doc.history().iter().map(|e| e.authorship).collect();
    assert!(kinds.contains(&Authorship::Migrated(p.id_a.public())));
    assert!(kinds.contains(&Authorship::Vouched {
        author: p.id_b.public(),
        by: p.id_a.public()
    }));
    assert!(kinds.iter().all(|k| !matches!(k, Authorship::Signed(_))));
    drop((store, doc));
    let (store, _, report) = PartnershipStore::open(&dir, Some(&p.id_a)).unwrap();
    assert_eq!(report.signed_history, 0);
    assert!(store.record().unverified.is_empty());
}

/// On load every signature is checked again: one damaged in the file leaves its
/// change credited to no one, and a change saved without a signature after signing
/// began (by an older build, say) is never signed later.
#[test]
fn on_load_a_bad_or_missing_signature_leaves_the_change_credited_to_no_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let p = stored_pair(&dir);
    let (_, mut doc, _) = PartnershipStore::open(&dir, Some(&p.id_a)).unwrap();
    let victim = doc
        .history()
        .into_iter()
        .find(|e| e.author == Some(p.id_b.public()))
        .unwrap()
        .hash;
    drop(doc);
    let c = rusqlite::Connection::open(dir.partnership_db()).unwrap();
    let n = c
        .execute(
            "UPDATE signatures SET signature = zeroblob(64) WHERE hash = ?1",
            [victim.0.as_slice()],
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(c);
    let (store, mut doc, report) = PartnershipStore::open(&dir, Some(&p.id_a)).unwrap();
    assert_eq!(report.signed_history, 0);
    assert_eq!(store.record().unverified, vec![victim]);
    let e = doc
        .history()
        .into_iter()
        .find(|e| e.hash == victim)
        .unwrap();
    assert_eq!((e.authorship, e.author), (Authorship::Unverified, None));
    assert_eq!(e.claimed, Some(p.id_b.public()));
    assert_eq!(doc.author_slot(&e), None);

    // A change saved with no signature row (an older build edited the file).
    let c = rusqlite::Connection::open(dir.partnership_db()).unwrap();
    c.execute(
        "DELETE FROM signatures WHERE hash != ?1",
        [victim.0.as_slice()],
    )
    .unwrap();
    drop(c);
    let (store, _, report) = PartnershipStore::open(&dir, Some(&p.id_a)).unwrap();
    assert_eq!(report.signed_history, 0, "unsigned changes were laundered");
    assert_eq!(store.record().signed + store.record().migrated, 0);
}

/// The recipe in docs/USER_GUIDE.md verifies the signatures with `sqlite3` data and
/// Python's `cryptography`, without cocoach; a damaged one is caught.
#[test]
fn the_documented_recipe_verifies_the_signatures_without_cocoach() {
    let has_python = std::process::Command::new("python3")
        .args(["-c", "import cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_python {
        // CI installs both and sets this, so there the test always runs.
        assert!(
            std::env::var_os("COCOACH_REQUIRE_PYTHON").is_none(),
            "python3 with the cryptography package is required"
        );
        eprintln!("skipped: python3 with the `cryptography` package is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let p = stored_pair(&dir);
    drop(PartnershipStore::open(&dir, Some(&p.id_a)).unwrap());
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/verify-signatures.py"
    );
    let run = || {
        std::process::Command::new("python3")
            .arg(script)
            .arg(dir.partnership_db())
            .output()
            .expect("python3 runs")
    };
    let ok = run();
    let out = String::from_utf8_lossy(&ok.stdout).to_string();
    assert!(
        ok.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(out.contains(" 0 bad"), "{out}");
    let c = rusqlite::Connection::open(dir.partnership_db()).unwrap();
    c.execute_batch("UPDATE signatures SET signature = zeroblob(64) WHERE rowid = 1")
        .unwrap();
    drop(c);
    let bad = run();
    assert!(
        !bad.status.success(),
        "{}",
        String::from_utf8_lossy(&bad.stdout)
    );
    assert!(String::from_utf8_lossy(&bad.stdout).contains(" 1 bad"));
}
