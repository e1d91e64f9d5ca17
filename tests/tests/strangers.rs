//! Only the paired partner gets in. An unpaired key, the partner's key on the wrong
//! ALPN, and a replayed invite are all turned away at the handshake: the stranger
//! receives zero bytes. And the private journal never crosses the wire.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cocoach_net::{ALPN_PAIR, ALPN_SYNC};
use cocoach_node::Event;
use cocoach_store::{DeviceStore, Journal, JournalLink};
use cocoach_sync::{Message, encode_frame};
use cocoach_tests::{note_reaches_partner, paired_nodes, raw_endpoint};
use iroh::{Endpoint, EndpointAddr, PublicKey};

/// Dial `target` on `alpn`, say something, and count the bytes that come back.
async fn knock(
    ep: &Endpoint,
    target: PublicKey,
    addrs: &[SocketAddr],
    alpn: &[u8],
    say: &Message,
) -> usize {
    let mut addr = EndpointAddr::new(target);
    for a in addrs {
        addr = addr.with_ip_addr(*a);
    }
    let r = tokio::time::timeout(Duration::from_secs(5), ep.connect(addr, alpn)).await;
    let Ok(Ok(conn)) = r else {
        return 0; // refused during the handshake
    };
    let Ok((mut send, mut recv)) = conn.open_bi().await else {
        return 0;
    };
    let _ = send.write_all(&encode_frame(&say.encode()).unwrap()).await;
    // Count every byte that arrives, whatever ends the stream.
    let mut got = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while let Ok(Ok(Some(chunk))) =
        tokio::time::timeout_at(deadline, recv.read_chunk(1 << 16)).await
    {
        got += chunk.len();
    }
    got
}

/// A Hello naming the right partnership: the worst case, a stranger who knows the id.
fn hello(partnership_id: &str) -> Message {
    Message::Hello(cocoach_sync::Hello {
        protocol: cocoach_sync::PROTOCOL_VERSION,
        partnership_id: partnership_id.to_string(),
        heads: vec![],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_get_nothing_and_the_journal_never_leaves() {
    let tap_a = Arc::new(Mutex::new(Vec::new()));
    let tap = tap_a.clone();
    let p = paired_nodes(move |c| c.tap = Some(tap)).await.unwrap();
    let (a, b, mut ea, mut eb, session, replayed) = (p.a, p.b, p.ea, p.eb, p.session, p.ticket);
    let db = p.db.clone();
    let marker = format!("PRIVATE-{}", cocoach_doc::new_id().unwrap());
    Journal::open_or_create(&p.da)
        .unwrap()
        .add(
            &format!("I am nervous: {marker}"),
            &JournalLink::Session(session.to_string()),
        )
        .unwrap();

    let a_key = PublicKey::from_bytes(&a.me().0).unwrap();
    let pid = a.read(|d| d.partnership_id());
    let hello = || hello(&pid);
    let a_addrs = a.addrs();

    // 1. A stranger's key on the sync ALPN.
    let stranger = raw_endpoint([0x5e; 32]).await;
    assert_eq!(
        knock(&stranger, a_key, &a_addrs, ALPN_SYNC, &hello()).await,
        0
    );
    // 2. The partner's own key on the pairing ALPN (no invite open) and on an unknown ALPN.
    let b_seed = DeviceStore::open_or_create(&db).unwrap().identity().seed();
    let b_twin = raw_endpoint(*b_seed).await;
    assert_eq!(
        knock(&b_twin, a_key, &a_addrs, ALPN_PAIR, &hello()).await,
        0
    );
    assert_eq!(
        knock(&b_twin, a_key, &a_addrs, b"cocoach/other/1", &hello()).await,
        0
    );
    // 3. The used invite, replayed by a stranger.
    let request = cocoach_sync::PairingGuest::new(
        replayed,
        cocoach_doc::DeviceKey([0x5e; 32]),
        "Eve",
        cocoach_doc::now_ms(),
    )
    .unwrap()
    .request();
    assert_eq!(
        knock(&stranger, a_key, &a_addrs, ALPN_PAIR, &request).await,
        0
    );
    // A saw each refusal (the sync ALPN one proves the gate, not a later check, said no).
    let mut refused = Vec::new();
    while let Ok(Some(ev)) = tokio::time::timeout(Duration::from_millis(500), ea.recv()).await {
        if let Event::Refused { alpn } = ev {
            refused.push(alpn);
        }
    }
    assert!(refused.iter().any(|a| a == "cocoach/sync/1"), "{refused:?}");
    assert!(refused.iter().any(|a| a == "cocoach/pair/1"), "{refused:?}");

    // Shared notes sync; the journal stays home.
    note_reaches_partner(&a, &b, &mut ea, &mut eb, &session, "SHARED-NOTE-7")
        .await
        .unwrap();

    // Nothing of the journal ever went out; the shared note did (so the tap works).
    let sent = tap_a.lock().unwrap().clone();
    let contains = |needle: &[u8]| sent.windows(needle.len()).any(|w| w == needle);
    assert!(!sent.is_empty());
    assert!(
        !contains(marker.as_bytes()),
        "journal text crossed the wire"
    );
    assert!(contains(b"SHARED-NOTE-7"), "the tap does see shared notes");

    stranger.close().await;
    b_twin.close().await;
    a.shutdown().await;
    b.shutdown().await;
}

/// A request that does not prove the invite's secret (someone guessing, or holding
/// an altered invite), sent while the invite is open.
fn bad_request(ticket: &cocoach_sync::Ticket, who: u8) -> Message {
    let mut wrong = ticket.clone();
    wrong.secret[0] ^= 1;
    cocoach_sync::PairingGuest::new(
        wrong,
        cocoach_doc::DeviceKey([who; 32]),
        "Eve",
        cocoach_doc::now_ms(),
    )
    .unwrap()
    .request()
}

/// Events for a moment, to look for pairing failures.
async fn pair_failures(ea: &mut tokio::sync::mpsc::Receiver<Event>) -> Vec<String> {
    let mut failed = Vec::new();
    while let Ok(Some(ev)) = tokio::time::timeout(Duration::from_millis(700), ea.recv()).await {
        if let Event::PairFailed { reason } = ev {
            failed.push(reason);
        }
    }
    failed
}

/// Strangers knocking on an open invite are refused without disturbing it: no
/// "pairing failed" on the host's screen, and the invited partner still pairs. An
/// invite whose pairing failed closes at once: a later knock gets zero bytes. And
/// an invite knocked on too often closes by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_never_disturb_a_pairing_and_a_failed_one_closes_the_invite() {
    use cocoach_node::Node;
    use cocoach_store::DataDir;
    use cocoach_tests::{init_partnership, loopback};
    let start = |name: &'static str| async move {
        let t = tempfile::tempdir().unwrap();
        let dir = DataDir::new(t.path());
        if name == "Ana" {
            init_partnership(&dir, name, |_| Ok(())).unwrap();
        }
        let mut node = Node::start(loopback(&dir)).await.unwrap();
        let events = node.take_events().unwrap();
        (t, node, events)
    };
    let stranger = raw_endpoint([0x5e; 32]).await;

    // 1. Knocks during an open invite leave it alone; the partner pairs.
    let (_ta, a, mut ea) = start("Ana").await;
    let (_tb, b, mut eb) = start("Bo").await;
    let a_key = PublicKey::from_bytes(&a.me().0).unwrap();
    let ticket = a.invite().unwrap();
    let addrs = a.addrs();
    for i in 0..3 {
        knock(
            &stranger,
            a_key,
            &addrs,
            ALPN_PAIR,
            &bad_request(&ticket, 0x60 + i),
        )
        .await;
    }
    assert_eq!(
        pair_failures(&mut ea).await,
        Vec::<String>::new(),
        "a stranger disturbed the pairing"
    );
    cocoach_tests::pair_with(&a, &mut ea, &b, &mut eb, "Bo", ticket)
        .await
        .unwrap();
    assert_eq!(a.partner(), Some(b.me()));
    a.shutdown().await;
    b.shutdown().await;

    // 2. A pairing the guest declines closes the invite: nothing answers afterwards.
    let (_ta, a, mut ea) = start("Ana").await;
    let (_tb, b, _eb) = start("Bo").await;
    let a_key = PublicKey::from_bytes(&a.me().0).unwrap();
    let ticket = a.invite().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tx.send(false).unwrap();
    assert!(
        b.join(ticket.clone(), "Bo", rx).await.is_err(),
        "a declined code paired"
    );
    assert_eq!(
        pair_failures(&mut ea).await.len(),
        1,
        "the host is told once"
    );
    let after = knock(
        &stranger,
        a_key,
        &a.addrs(),
        ALPN_PAIR,
        &bad_request(&ticket, 0x70),
    )
    .await;
    assert_eq!(after, 0, "the failed invite still answered");
    a.shutdown().await;
    b.shutdown().await;

    // 3. Too many refused attempts close the invite.
    let (_ta, a, mut ea) = start("Ana").await;
    let a_key = PublicKey::from_bytes(&a.me().0).unwrap();
    let ticket = a.invite().unwrap();
    let addrs = a.addrs();
    for i in 0..=cocoach_net::MAX_FAILED_ATTEMPTS {
        knock(
            &stranger,
            a_key,
            &addrs,
            ALPN_PAIR,
            &bad_request(&ticket, 0x80 + i as u8),
        )
        .await;
    }
    let failures = pair_failures(&mut ea).await;
    assert!(
        failures.iter().any(|r| r == "err-invite-too-many-attempts"),
        "{failures:?}"
    );
    let after = knock(
        &stranger,
        a_key,
        &addrs,
        ALPN_PAIR,
        &bad_request(&ticket, 0x7f),
    )
    .await;
    assert_eq!(after, 0, "the invite stayed open");
    stranger.close().await;
    a.shutdown().await;
}

/// An invite nobody uses closes at its expiry by itself: the host is told, and the
/// pairing ALPN stops answering (a knock before expiry is answered: the control).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unused_invite_closes_the_pairing_alpn_at_its_expiry() {
    use cocoach_node::Node;
    use cocoach_store::DataDir;
    use cocoach_tests::{init_partnership, loopback};
    let t = tempfile::tempdir().unwrap();
    let dir = DataDir::new(t.path());
    init_partnership(&dir, "Ana", |_| Ok(())).unwrap();
    let mut a = Node::start(loopback(&dir)).await.unwrap();
    let mut ea = a.take_events().unwrap();
    let stranger = raw_endpoint([0x5d; 32]).await;
    let a_key = PublicKey::from_bytes(&a.me().0).unwrap();
    let ticket = a.invite_until(cocoach_doc::now_ms() + 2_500).unwrap();
    let addrs = a.addrs();
    // Made now: a guest refuses to build a request for an expired invite.
    let late = bad_request(&ticket, 0x92);
    let before = knock(
        &stranger,
        a_key,
        &addrs,
        ALPN_PAIR,
        &bad_request(&ticket, 0x91),
    )
    .await;
    assert!(before > 0, "the open invite did not answer (no control)");
    let mut failures = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !failures.iter().any(|r: &String| r.contains("expired"))
        && tokio::time::Instant::now() < deadline
    {
        failures.extend(pair_failures(&mut ea).await);
    }
    assert!(
        failures.iter().any(|r| r.contains("expired")),
        "the host was not told: {failures:?}"
    );
    let after = knock(&stranger, a_key, &addrs, ALPN_PAIR, &late).await;
    assert_eq!(after, 0, "the expired invite still answered");
    stranger.close().await;
    a.shutdown().await;
}

/// What a knock says once connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Say {
    /// A sync Hello naming the right partnership.
    RightHello,
    Garbage,
    Silence,
}

/// Dial and say `say`; whether the connection could not even be made, and the
/// bytes that came back within `wait`.
async fn knock_cell(
    ep: &Endpoint,
    target: PublicKey,
    addrs: &[SocketAddr],
    alpn: &[u8],
    say: Say,
    pid: &str,
    wait: Duration,
) -> (bool, Vec<u8>) {
    let mut addr = EndpointAddr::new(target);
    for a in addrs {
        addr = addr.with_ip_addr(*a);
    }
    let r = tokio::time::timeout(Duration::from_secs(5), ep.connect(addr, alpn)).await;
    let Ok(Ok(conn)) = r else {
        return (true, Vec::new());
    };
    let Ok((mut send, mut recv)) = conn.open_bi().await else {
        return (false, Vec::new());
    };
    let bytes = match say {
        Say::RightHello => encode_frame(&hello(pid).encode()).unwrap(),
        Say::Garbage => vec![0xff; 300],
        Say::Silence => Vec::new(),
    };
    if !bytes.is_empty() {
        let _ = send.write_all(&bytes).await;
    }
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Ok(Some(chunk))) =
        tokio::time::timeout_at(deadline, recv.read_chunk(1 << 16)).await
    {
        got.extend_from_slice(&chunk);
    }
    conn.close(0u32.into(), b"done");
    (false, got)
}

/// Every knock of {stranger, the partner's key} × {sync, pair, unknown, empty ALPN} ×
/// {invite open, closed} × {right Hello, garbage, silence}, each on its own
/// connection, with the real partner as the positive control in the same harness:
/// only the partner's key on the sync ALPN is let in (and gets bytes); every other
/// knock is refused at the handshake with zero bytes, except the pairing ALPN while
/// an invite is open, which answers at most a rejection and pairs no one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stranger_matrix_every_knock_refused_and_the_partner_gets_through() {
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b, mut ea, mut eb, session) = (p.a, p.b, p.ea, p.eb, p.session);
    let a_key = PublicKey::from_bytes(&a.me().0).unwrap();
    let pid = a.read(|d| d.partnership_id()).to_string();
    let a_addrs = a.addrs();
    let stranger = raw_endpoint([0x5e; 32]).await;
    let b_seed = DeviceStore::open_or_create(&p.db)
        .unwrap()
        .identity()
        .seed();
    let twin = raw_endpoint(*b_seed).await;
    let alpns: [&[u8]; 4] = [ALPN_SYNC, ALPN_PAIR, b"cocoach/other/1", b""];
    let mut cells = 0;
    for invite_open in [false, true] {
        for (who, ep) in [("stranger", &stranger), ("partner", &twin)] {
            for alpn in alpns {
                for say in [Say::RightHello, Say::Garbage, Say::Silence] {
                    cells += 1;
                    if invite_open {
                        // Each cell meets a fresh invite: a failed attempt closes one.
                        // A paired host opens only re-pairing invites (a plain one
                        // would give the partner's place away).
                        a.invite_rejoin().unwrap();
                    }
                    let cell = format!(
                        "{who} × {:?} × invite {} × {say:?}",
                        String::from_utf8_lossy(alpn),
                        if invite_open { "open" } else { "closed" }
                    );
                    let admitted = who == "partner" && alpn == ALPN_SYNC;
                    let wait = if admitted {
                        Duration::from_millis(1500)
                    } else {
                        Duration::from_millis(800)
                    };
                    let (refused, got) =
                        knock_cell(ep, a_key, &a_addrs, alpn, say, &pid, wait).await;
                    if admitted {
                        // The positive control: the partner's key is let in.
                        assert!(!refused, "{cell}: the partner was refused");
                        if say == Say::RightHello {
                            assert!(!got.is_empty(), "{cell}: the partner got nothing");
                        }
                    } else if invite_open && alpn == ALPN_PAIR {
                        // The pairing ALPN must let unknown keys reach it while an
                        // invite is open; it answers at most a rejection.
                        assert!(!refused, "{cell}: the open invite was unreachable");
                        let mut d = cocoach_sync::FrameDecoder::default();
                        d.push(&got);
                        while let Ok(Some(f)) = d.next_frame() {
                            let m = Message::decode(&f);
                            assert!(
                                matches!(m, Ok(Message::PairReject { .. })),
                                "{cell}: answered {m:?}"
                            );
                        }
                    } else {
                        // Refused by the gate (the connection closes before or right
                        // after TLS): not one byte of ours.
                        assert!(got.is_empty(), "{cell}: got {} bytes", got.len());
                    }
                }
            }
        }
    }
    assert_eq!(cells, 48);
    // No one was paired or shown a code by any of it.
    while let Ok(Some(ev)) = tokio::time::timeout(Duration::from_millis(300), ea.recv()).await {
        assert!(
            !matches!(ev, Event::PairCode { .. } | Event::Paired { .. }),
            "{ev:?}"
        );
    }
    // The real partner, in the same harness, still syncs a note.
    note_reaches_partner(&a, &b, &mut ea, &mut eb, &session, "AFTER-THE-MATRIX")
        .await
        .unwrap();
    stranger.close().await;
    twin.close().await;
    a.shutdown().await;
    b.shutdown().await;
}
