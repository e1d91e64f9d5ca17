//! Store errors keep what went wrong underneath as their `source()`, so a caller
//! printing the chain (`{:#}` in the CLI, `cocoach_doc::error_text` at the event boundary)
//! shows it, and code can still inspect the original error.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::error::Error;

use cocoach_doc::{PartnershipDoc, automerge::AutomergeError};
use cocoach_store::{DataDir, DeviceStore, PartnershipStore, StoreError};

#[test]
fn a_database_path_that_is_a_directory_keeps_the_io_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    std::fs::create_dir(dir.partnership_db()).unwrap();
    let err = PartnershipStore::open(&dir, None).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains(&dir.partnership_db().display().to_string()),
        "names the file: {err}"
    );
    let io = err
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("the io::Error is the source");
    assert_eq!(io.kind(), std::io::ErrorKind::IsADirectory);
    // The message does not repeat its source, so a printed chain says it once.
    assert!(!err.to_string().contains(&io.to_string()), "{err}");
}

#[test]
fn a_snapshot_automerge_cannot_load_keeps_the_automerge_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let device = DeviceStore::open_or_create(&dir).unwrap();
    let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    store.compact(&mut doc).unwrap();
    drop(store);
    let c = rusqlite::Connection::open(dir.partnership_db()).unwrap();
    // A chunk with a good magic number and a wrong checksum.
    c.execute("UPDATE snapshots SET bytes = x'856f4a83000000000000'", [])
        .unwrap();
    drop(c);
    let err = PartnershipStore::open(&dir, None).unwrap_err();
    let StoreError::Damaged { reason, .. } = &err else {
        panic!("expected Damaged, got {err:?}");
    };
    assert!(reason.contains("snapshot"), "{reason}");
    err.source()
        .and_then(|s| s.downcast_ref::<AutomergeError>())
        .expect("the AutomergeError is the source");
}
