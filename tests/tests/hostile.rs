//! A hostile partner device — holding the partner's own key, so the gate admits it —
//! sends what Automerge 0.12 cannot survive: a Bloom filter with 0 bits per entry
//! (a division by zero), one with `u32::MAX` probes (a 16 GiB allocation), a small
//! message that inflates to 300 MiB, and ten frames of 64 MiB. Each is refused and
//! ends that connection only: the process stays up, its peak memory stays under
//! 512 MiB, and afterwards the real partner still syncs a normal edit.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::net::SocketAddr;
use std::time::Duration;

use cocoach_doc::automerge::sync;
use cocoach_net::ALPN_SYNC;
use cocoach_node::{Event, Node};
use cocoach_store::DeviceStore;
use cocoach_sync::{Message, encode_frame};
use cocoach_testkit::hostile::{bloom, bomb_message, with_have};
use cocoach_tests::{loopback, paired_nodes, raw_endpoint, wait_for};
use iroh::{Endpoint, EndpointAddr, PublicKey};

/// One sync connection: our Hello, then `frames` as they are; waits until the
/// other side ends the connection (or 30 s).
async fn attack(
    ep: &Endpoint,
    target: PublicKey,
    addrs: &[SocketAddr],
    hello: &Message,
    frames: Vec<&[u8]>,
) {
    let mut addr = EndpointAddr::new(target);
    for a in addrs {
        addr = addr.with_ip_addr(*a);
    }
    let conn = ep.connect(addr, ALPN_SYNC).await.unwrap();
    let (mut send, mut recv) = conn.open_bi().await.unwrap();
    send.write_all(&encode_frame(&hello.encode()).unwrap())
        .await
        .unwrap();
    for f in frames {
        if send.write_all(f).await.is_err() {
            break; // refused mid-way: the connection is gone
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(_)) = recv.read_chunk(1 << 16).await {}
    })
    .await;
    conn.close(0u32.into(), b"");
}

fn sync_frame(m: sync::Message) -> Vec<u8> {
    encode_frame(
        &Message::Sync {
            seq: 1,
            data: m.encode(),
            signatures: vec![],
        }
        .encode(),
    )
    .unwrap()
}

/// Peak resident memory of this process so far (Linux: `VmHWM`), in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb / 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_sync_input_is_refused_and_the_node_keeps_syncing() {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b, mut ea) = (p.a, p.b, p.ea);
    b.shutdown().await;
    drop((b, p.eb));
    let a_key = PublicKey::from_bytes(&a.me().0).unwrap();
    let addrs = a.addrs();
    let pid = a.read(|d| d.partnership_id()).to_string();
    let hello = Message::Hello(cocoach_sync::Hello {
        protocol: cocoach_sync::PROTOCOL_VERSION,
        partnership_id: pid,
        heads: vec![],
    });
    // The partner's own key: the gate lets it in, as it would a buggy build.
    let seed = DeviceStore::open_or_create(&p.db)
        .unwrap()
        .identity()
        .seed();
    let twin = raw_endpoint(*seed).await;

    let before = peak_rss_mib();
    // One 64 MiB frame, sent ten times (the attacker holds it once).
    let mut huge = (64u32 << 20).to_be_bytes().to_vec();
    huge.resize(4 + (64 << 20), 0x42);
    let (zero_bits, probes, bomb) = (
        sync_frame(with_have(bloom(1, 0, 7))),
        sync_frame(with_have(bloom(1, 10, u32::MAX))),
        sync_frame(bomb_message(300 << 20)),
    );
    let attacks: Vec<(&str, Vec<&[u8]>)> = vec![
        ("0 bits per entry", vec![&zero_bits]),
        ("u32::MAX probes", vec![&probes]),
        ("300 MiB inflated", vec![&bomb]),
        ("ten 64 MiB frames", vec![&huge; 10]),
    ];
    for (what, frames) in attacks {
        attack(&twin, a_key, &addrs, &hello, frames).await;
        let reason = wait_for(&mut ea, Duration::from_secs(60), |e| match e {
            Event::Disconnected { reason } => Some(reason.clone()),
            _ => None,
        })
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
        eprintln!("{what}: refused ({reason})");
        assert!(
            !reason.contains("internal error"),
            "{what}: a panic: {reason}"
        );
    }
    let peak = peak_rss_mib();
    eprintln!("peak RSS: {before} MiB before the attacks, {peak} MiB after");
    assert!(peak < 512, "peak RSS {peak} MiB");
    twin.close().await;

    // The real partner still syncs a normal edit.
    let mut b = Node::start(loopback(&p.db)).await.unwrap();
    let eb = b.take_events().unwrap();
    b.connect_partner().unwrap();
    b.edit(|d| d.add_ground_rule("After the attacks")).unwrap();
    wait_for(&mut ea, Duration::from_secs(20), |e| {
        matches!(e, Event::DocChanged).then_some(())
    })
    .await
    .unwrap();
    let rules = a.read(|d| d.read().unwrap().contract.ground_rules);
    assert!(
        rules.contains(&"After the attacks".to_string()),
        "{rules:?}"
    );
    drop(eb);
    a.shutdown().await;
    b.shutdown().await;
}
