//! A partner that dials again while we shut down (its last connection died on its
//! side, ours still lingering) must still read our hello — our heads, often the only
//! news it lacks to know it is in sync — before the connection goes. Closing a QUIC
//! connection drops whatever is still in flight, so we say goodbye and wait for the
//! partner to close. Before, such a late connection was closed at once: under 30 %
//! packet loss the partner's `sync --once` then waited 90 s for a device that had
//! already quit (seen in CI, app/tests/netns.rs).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use cocoach_net::ALPN_SYNC;
use cocoach_store::DeviceStore;
use cocoach_sync::{FrameDecoder, MAX_FRAME, Message, encode_frame};
use cocoach_tests::{paired_nodes, raw_endpoint};
use iroh::endpoint::Connection;
use iroh::{EndpointAddr, PublicKey};

/// Open a sync connection as the partner and send our hello.
async fn dial(
    ep: &iroh::Endpoint,
    to: EndpointAddr,
    hello: &Message,
) -> (Connection, iroh::endpoint::RecvStream) {
    let conn = ep.connect(to, ALPN_SYNC).await.unwrap();
    let (mut send, recv) = conn.open_bi().await.unwrap();
    send.write_all(&encode_frame(&hello.encode()).unwrap())
        .await
        .unwrap();
    // Keep our side open: the partner must not wait for us to finish to talk.
    std::mem::forget(send);
    (conn, recv)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_dialling_during_shutdown_reads_everything_before_the_close() {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b) = (p.a, p.b);
    b.shutdown().await;
    drop((b, p.eb));
    let mut to = EndpointAddr::new(PublicKey::from_bytes(&a.me().0).unwrap());
    for addr in a.addrs() {
        to = to.with_ip_addr(addr);
    }
    let hello = Message::Hello(cocoach_sync::Hello {
        protocol: cocoach_sync::PROTOCOL_VERSION,
        partnership_id: a.read(|d| d.partnership_id()).to_string(),
        heads: vec![],
    });
    // The partner's device, speaking by hand.
    let seed = *DeviceStore::open_or_create(&p.db)
        .unwrap()
        .identity()
        .seed();
    let twin = raw_endpoint(seed).await;

    // Connection 1 stays open and unread: A will linger on it once it shuts down.
    let (first, _first_recv) = dial(&twin, to.clone(), &hello).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let partner = async {
        // A is shutting down now; the partner, having given up on connection 1,
        // dials again.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (second, mut recv) = dial(&twin, to.clone(), &hello).await;
        let mut frames = FrameDecoder::new(MAX_FRAME);
        let mut kinds = Vec::new();
        let ended = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                match recv.read_chunk(1 << 16).await {
                    Ok(Some(chunk)) => frames.push(&chunk),
                    Ok(None) => return Ok(()),
                    Err(e) => return Err(e.to_string()),
                }
                while let Some(f) = frames.next_frame().unwrap() {
                    kinds.push(Message::decode(&f).unwrap().kind());
                }
                // A says goodbye, then keeps its side open (answering heartbeats)
                // until we close.
                if kinds.last() == Some(&"bye") {
                    return Ok(());
                }
            }
        })
        .await
        .expect("A said goodbye within 10 s");
        assert_eq!(
            ended,
            Ok(()),
            "A's goodbye arrived, not a close ({kinds:?})"
        );
        assert_eq!(kinds.first(), Some(&"hello"), "{kinds:?}");
        assert_eq!(kinds.last(), Some(&"bye"), "{kinds:?}");
        // A waits for us to close (whatever we still had in flight arrives).
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(
            second.close_reason().is_none(),
            "A closed before we did: {:?}",
            second.close_reason()
        );
        second.close(0u32.into(), b"bye");
        first.close(0u32.into(), b"bye");
    };
    tokio::join!(a.shutdown(), partner);
    twin.close().await;
}

/// Both partners quitting at the same moment — two `sync --once` that reach "in
/// sync" together, the usual end of a scripted sync — each said goodbye and then
/// waited for the other to close first: both sat out the whole linger (15 s)
/// before the command returned (found by app/tests/crash_steps.rs, whose syncs
/// took 15 s). A partner's goodbye means it has sent its last: we end our side
/// then, and both close in milliseconds, each having read all the other sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_quitting_together_do_not_wait_out_the_linger() {
    cocoach_testkit::init_test_logging();
    let mut p = cocoach_tests::paired_nodes(|_| {}).await.unwrap();
    p.b.connect_partner().unwrap();
    cocoach_tests::both_in_sync(&mut p.ea, &mut p.eb)
        .await
        .unwrap();
    let t = std::time::Instant::now();
    tokio::join!(p.a.shutdown(), p.b.shutdown());
    let took = t.elapsed();
    assert!(
        took < cocoach_net::CLOSE_LINGER / 3,
        "shutting both down took {took:?}; the linger is {:?}",
        cocoach_net::CLOSE_LINGER
    );
}
