//! A partner whose sync task is busy for longer than the heartbeat's patience —
//! applying and saving a large message, a first sync of a long history on a slow
//! machine — answers no heartbeats, yet its QUIC stack still acknowledges our
//! packets: it is busy, not gone, and the connection must stay up. Before
//! (found by tests/tests/cuts.rs), we gave such a partner up after 5 s of
//! silence and dropped a healthy connection in the middle of its first sync.
//!
//! The node's test hook `COCOACH_TEST_SAVE_DELAY_MS` holds each save of the
//! partner's changes, and the connection waits for that save before it answers
//! anything: B is busy for 8 s after each change A sends. This is the only test
//! in its binary, because the hook is read once per process.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use cocoach_doc::Date;
use cocoach_node::Event;
use cocoach_tests::{both_in_sync, paired_nodes, wait_for};

const BUSY: Duration = Duration::from_secs(8);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_busy_saving_is_not_given_up() {
    #[allow(unsafe_code)]
    // SAFETY: the first thing the only test of this binary does, before any
    // thread that could read the environment exists.
    unsafe {
        std::env::set_var("COCOACH_TEST_SAVE_DELAY_MS", BUSY.as_millis().to_string())
    };
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b, mut ea, mut eb) = (p.a, p.b, p.ea, p.eb);
    b.connect_partner().unwrap();
    wait_for(&mut ea, Duration::from_secs(30), |e| {
        matches!(e, Event::Connected).then_some(())
    })
    .await
    .unwrap();
    // Whatever the first exchange brings (B may be busy saving it already).
    both_in_sync(&mut ea, &mut eb).await.unwrap();
    while ea.try_recv().is_ok() {}
    // A change B must save: B's connection is silent for BUSY while it does.
    a.edit(|d| {
        d.add_action(
            cocoach_doc::Slot::A,
            "call the recruiter",
            Date::new(2026, 12, 1),
            None,
        )
    })
    .unwrap();
    let t = std::time::Instant::now();
    let mut drops = Vec::new();
    let until = tokio::time::Instant::now() + BUSY + Duration::from_secs(8);
    let mut synced = None;
    while let Ok(Some(ev)) = tokio::time::timeout_at(until, ea.recv()).await {
        match ev {
            Event::Disconnected { reason } => drops.push(reason),
            Event::Status(s) if s.in_sync => {
                synced = Some(t.elapsed());
                break;
            }
            _ => {}
        }
    }
    assert!(
        drops.is_empty(),
        "A gave up a partner busy saving for {} s: {drops:?}",
        BUSY.as_secs()
    );
    let synced = synced.expect("A and B never came back in sync after B's save");
    // B answered only once its save was done: it really was busy that long.
    assert!(
        synced >= BUSY,
        "in sync after {synced:?}, before B's save was done"
    );
    eprintln!(
        "busy_partner: B was busy {} s; in sync again after {:.1} s on the same connection",
        BUSY.as_secs(),
        synced.as_secs_f64()
    );
    let on_b = b.read(|d| d.read().unwrap());
    assert!(on_b.actions.iter().any(|x| x.what == "call the recruiter"));
    a.shutdown().await;
    b.shutdown().await;
}
