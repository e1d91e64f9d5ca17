//! Real iroh, cut in the middle of a sync. Ana's device holds a year of sessions;
//! Bo's holds the partnership as it was when they paired, so their first sync moves
//! hundreds of KB. Both add actions offline, connect, and one device is cut in the
//! middle: its runtime is dropped with no goodbye (its packets are silenced first,
//! so the partner sees only silence), at a seeded count of the bytes Bo has
//! received (Bo's wire stops reading at exactly that byte, so cuts spread over
//! the transfer, not over what Ana queued at once) or a seeded delay. A device
//! cut while applying a large message keeps its port for a few seconds (the
//! blocking save runs on; a killed process would free it at once): the restart
//! waits for it. It restarts from its disk, both edit once more, and they sync.
//! Some rounds instead black-hole the UDP between them (nftables) until the
//! heartbeat on both sides notices, then lift it. Every round then checks:
//! - both converge (in sync, equal typed record);
//! - every action either device saved is in the record exactly once;
//! - both stores, reopened from disk, hold the same heads and record.
//!
//! `CUT_ROUNDS=n` (default 10) rounds per seed, seeds 1 and a fresh one (every
//! fourth round, from the fourth, is a black hole). The silencing and the black hole
//! need root and `nft`; without them the test says so and cuts without silencing,
//! unless `COCOACH_REQUIRE_NETNS=1` (`.ci/run` sets it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::net::UdpSocket;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cocoach_doc::{Partnership, PartnershipDoc, Slot};
use cocoach_node::{Event, Node};
use cocoach_store::{DataDir, DeviceStore, PartnerRecord, PartnershipStore};
use cocoach_testkit::generate::{HistoryShape, history};
use cocoach_testkit::{Rng, for_each_seed};
use cocoach_tests::loopback;
use tokio::runtime::Runtime;

// ------------------------------------------------------------------ packet filter

/// An nftables table of this test process's own, on the output hook (loopback
/// packets pass it once). Removed when dropped.
struct Filter {
    table: String,
}

impl Filter {
    fn usable() -> bool {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout.starts_with(b"0"))
            .unwrap_or(false);
        let nft = Command::new("nft").args(["list", "tables"]).output();
        let ok = root && nft.map(|o| o.status.success()).unwrap_or(false);
        if !ok {
            let msg = format!("cuts: silencing and black holes need root and nft (root: {root})");
            assert!(std::env::var("COCOACH_REQUIRE_NETNS").is_err(), "{msg}");
            eprintln!("SKIPPED PART: {msg}");
        }
        ok
    }

    fn new() -> Filter {
        let f = Filter {
            table: format!("cocoach_cuts_{}", std::process::id()),
        };
        f.nft(&format!("add table inet {}", f.table));
        f.nft(&format!(
            "add chain inet {} out {{ type filter hook output priority 0 ; }}",
            f.table
        ));
        f
    }

    fn nft(&self, cmd: &str) {
        let out = Command::new("nft").args(cmd.split(' ')).output().unwrap();
        assert!(
            out.status.success(),
            "nft {cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Drop every UDP packet from or to these ports.
    fn drop_ports(&self, ports: &[u16]) {
        let set = ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.nft(&format!(
            "add rule inet {} out udp sport {{ {set} }} drop",
            self.table
        ));
        self.nft(&format!(
            "add rule inet {} out udp dport {{ {set} }} drop",
            self.table
        ));
    }

    fn lift(&self) {
        self.nft(&format!("flush chain inet {} out", self.table));
    }
}

impl Drop for Filter {
    fn drop(&mut self) {
        let _ = Command::new("nft")
            .args(["delete", "table", "inet", &self.table])
            .output();
    }
}

// ------------------------------------------------------------------ a device

#[derive(Debug, Default)]
struct Seen {
    in_sync: bool,
    /// Connections this device has had since it started.
    connections: usize,
}

/// One device: a node in a runtime of its own, so that dropping the runtime is
/// the device vanishing.
struct Device {
    name: &'static str,
    dir: DataDir,
    port: u16,
    rt: Option<Runtime>,
    node: Option<Node>,
    seen: Arc<Mutex<Seen>>,
    tap: cocoach_net::WireTap,
    received: cocoach_net::RxMeter,
}

impl Device {
    fn start(name: &'static str, dir: &DataDir, port: u16) -> Device {
        // Two workers, as the app's runtime (app/src/network.rs): while the sync
        // task applies a large message, the QUIC stack still runs and answers.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let tap = cocoach_net::WireTap::default();
        let mut cfg = loopback(dir);
        cfg.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        cfg.tap = Some(tap.clone());
        let received = cocoach_net::RxMeter::default();
        cfg.received = Some(received.clone());
        // The port of a device just cut may take a moment to be free again.
        let t = Instant::now();
        let mut tries = 0;
        let mut node = loop {
            match rt.block_on(Node::start(cfg.clone())) {
                Ok(n) => break n,
                Err(e) if t.elapsed() < Duration::from_secs(20) => {
                    tries += 1;
                    if tries == 1 {
                        eprintln!(
                            "{name}: start failed ({}); retrying",
                            cocoach_doc::error_text(&e)
                        );
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => {
                    let held = Command::new("ss")
                        .args(["-uanp", &format!("sport = :{port}")])
                        .output()
                        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                        .unwrap_or_default();
                    panic!(
                        "{name} does not start from its disk after {tries} tries: {}\n{held}",
                        cocoach_doc::error_text(&e)
                    )
                }
            }
        };
        if tries > 0 {
            eprintln!(
                "{name}: started after {tries} retries ({:.1} s)",
                t.elapsed().as_secs_f64()
            );
        }
        let mut events = node.take_events().unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let s = seen.clone();
        // Drain the events (a full queue would stall the node) and keep the status.
        rt.spawn(async move {
            while let Some(ev) = events.recv().await {
                match ev {
                    Event::Status(st) => s.lock().unwrap().in_sync = st.in_sync,
                    Event::Connected => s.lock().unwrap().connections += 1,
                    Event::Disconnected { .. } => s.lock().unwrap().in_sync = false,
                    _ => {}
                }
            }
        });
        Device {
            name,
            dir: dir.clone(),
            port,
            rt: Some(rt),
            node: Some(node),
            seen,
            tap,
            received,
        }
    }

    fn node(&self) -> &Node {
        self.node.as_ref().unwrap()
    }

    fn connect(&self) {
        let _g = self.rt.as_ref().unwrap().enter();
        self.node().connect_partner().unwrap();
    }

    /// Add an action named `token`; true once it is saved.
    fn add(&self, token: &str, saved: &mut Vec<String>) {
        let slot = if self.name == "Ana" { Slot::A } else { Slot::B };
        let _g = self.rt.as_ref().unwrap().enter();
        self.node()
            .edit(|d| d.add_action(slot, token, None, None))
            .unwrap_or_else(|e| panic!("{}: the edit {token} failed: {e}", self.name));
        saved.push(token.to_string());
    }

    fn sent(&self) -> usize {
        self.tap.lock().unwrap().len()
    }

    /// Bytes this device's connections have read from the partner.
    fn received(&self) -> usize {
        self.received.count() as usize
    }

    fn connections(&self) -> usize {
        self.seen.lock().unwrap().connections
    }

    fn connected(&self) -> bool {
        self.node().is_connected()
    }

    fn record(&self) -> Partnership {
        self.node().read(|d| d.read().unwrap())
    }

    /// The device vanishes: no goodbye, its tasks dropped wherever they are.
    fn cut(mut self) -> DataDir {
        let rt = self.rt.take().unwrap();
        rt.shutdown_background();
        // Drop the node's handles inside a runtime context (iroh aborts its tasks).
        let tmp = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _g = tmp.enter();
        drop(self.node.take());
        self.dir.clone()
    }

    fn shutdown(mut self) {
        let rt = self.rt.take().unwrap();
        let node = self.node.take().unwrap();
        rt.block_on(node.shutdown());
        let _g = rt.enter();
        drop(node);
    }
}

// ------------------------------------------------------------------ fixture

fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn partner(key: cocoach_doc::DeviceKey, name: &str, port: u16) -> PartnerRecord {
    PartnerRecord {
        key,
        name: name.into(),
        addresses: vec![format!("127.0.0.1:{port}")],
        paired_at_ms: Some(1),
        last_seen_ms: None,
    }
}

/// Ana's device with a year of history; Bo's with the partnership as it stood when
/// Ana's first changes were done (before anything of his): what he had at pairing.
fn fixture(root: &Path, ports: (u16, u16)) -> (DataDir, DataDir) {
    let (da, db) = (DataDir::new(root.join("a")), DataDir::new(root.join("b")));
    let mut p = history(HistoryShape::years(1), 42).unwrap();
    DeviceStore::create_with_identity(&da, &p.id_a)
        .unwrap()
        .set_name("Ana Müller")
        .unwrap();
    DeviceStore::create_with_identity(&db, &p.id_b)
        .unwrap()
        .set_name("Bo Chen")
        .unwrap();
    let all = p.a.automerge_mut().get_changes(&[]);
    let first_actor = all[0].actor_id().clone();
    let last_of_ana = all
        .iter()
        .position(|c| *c.actor_id() != first_actor)
        .unwrap()
        - 1;
    let mut early =
        p.a.automerge_mut()
            .fork_at(&[all[last_of_ana].hash()])
            .unwrap();
    let sigs =
        p.a.all_signatures()
            .into_iter()
            .filter(|s| early.get_change_by_hash(&s.hash).is_some())
            .collect();
    let pins = [p.id_a.public(), p.id_b.public()];
    let mut b = PartnershipDoc::from_signed(&early.save(), sigs, &pins, &p.id_b).unwrap();
    PartnershipStore::create(&da, &mut p.a)
        .unwrap()
        .upsert_partner(&partner(p.id_b.public(), "Bo Chen", ports.1))
        .unwrap();
    PartnershipStore::create(&db, &mut b)
        .unwrap()
        .upsert_partner(&partner(p.id_a.public(), "Ana Müller", ports.0))
        .unwrap();
    (da, db)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

// ------------------------------------------------------------------ checks

/// Both in sync with each other and holding the same record.
fn converge(a: &Device, b: &Device, within: Duration, at: &str) -> Duration {
    let t = Instant::now();
    loop {
        let both = a.seen.lock().unwrap().in_sync && b.seen.lock().unwrap().in_sync;
        if both && a.record() == b.record() {
            return t.elapsed();
        }
        assert!(
            t.elapsed() < within,
            "{at}: no convergence in {within:?} (Ana connected {}, Bo connected {})",
            a.connected(),
            b.connected()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn exactly_once(p: &Partnership, saved: &[String], at: &str) {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &p.actions {
        *count.entry(a.what.as_str()).or_default() += 1;
    }
    for t in saved {
        let n = count.get(t.as_str()).copied().unwrap_or(0);
        assert_eq!(n, 1, "{at}: action {t} is in the record {n} times");
    }
}

fn reopen(dir: &DataDir) -> (Vec<automerge::ChangeHash>, Partnership) {
    let (_, mut doc, _) = PartnershipStore::open(dir, None).unwrap();
    let mut heads = doc.heads();
    heads.sort();
    (heads, doc.read().unwrap())
}

// ------------------------------------------------------------------ rounds

#[derive(Debug, Clone, Copy)]
enum Cut {
    /// Drop a device once Bo has received this many bytes.
    Bytes { ana: bool, at: usize },
    /// Drop a device this long after connecting.
    Delay { ana: bool, after: Duration },
    /// Black-hole both ports once Bo has received this many bytes.
    BlackHole { at: usize },
}

struct Calibration {
    bytes: usize,
    time: Duration,
}

fn wait_received(b: &Device, n: usize, limit: Duration) {
    let t = Instant::now();
    while b.received() < n && t.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// An uncut first sync: how many bytes Bo receives and how long it takes.
fn calibrate(fx: &(DataDir, DataDir), ports: (u16, u16), root: &Path) -> Calibration {
    let (da, db) = (
        DataDir::new(root.join("cal-a")),
        DataDir::new(root.join("cal-b")),
    );
    copy_dir(fx.0.root(), da.root());
    copy_dir(fx.1.root(), db.root());
    let a = Device::start("Ana", &da, ports.0);
    let b = Device::start("Bo", &db, ports.1);
    let t = Instant::now();
    b.connect();
    converge(&a, &b, Duration::from_secs(60), "calibration");
    let c = Calibration {
        bytes: b.received(),
        time: t.elapsed(),
    };
    // Uncut, one connection carries it all: applying the big message keeps Bo
    // from answering heartbeats for seconds, which Ana must not take for a dead
    // path (its QUIC stack still acknowledges).
    assert_eq!(
        (a.connections(), b.connections()),
        (1, 1),
        "an uncut first sync took more than one connection"
    );
    a.shutdown();
    b.shutdown();
    c
}

#[allow(clippy::too_many_arguments)]
fn round(
    rng: &mut Rng,
    r: usize,
    cut: Cut,
    fx: &(DataDir, DataDir),
    ports: (u16, u16),
    root: &Path,
    filter: Option<&Filter>,
) -> String {
    let at = format!("round {r} ({cut:?})");
    let (da, db) = (
        DataDir::new(root.join(format!("r{r}-a"))),
        DataDir::new(root.join(format!("r{r}-b"))),
    );
    copy_dir(fx.0.root(), da.root());
    copy_dir(fx.1.root(), db.root());
    let mut saved = Vec::new();
    let mut a = Device::start("Ana", &da, ports.0);
    let mut b = Device::start("Bo", &db, ports.1);
    for i in 0..3 {
        a.add(&format!("ana-r{r}-offline-{i}"), &mut saved);
        b.add(&format!("bo-r{r}-offline-{i}"), &mut saved);
    }
    if let Cut::Bytes { at: n, .. } | Cut::BlackHole { at: n } = cut {
        // Bo reads nothing past byte n: the cut falls exactly there.
        b.received.stall_at(n as u64);
    }
    a.connect();
    b.connect();
    let outcome = match cut {
        Cut::Bytes { at: n, .. } | Cut::BlackHole { at: n } => {
            wait_received(&b, n, Duration::from_secs(30));
            format!(
                "cut after Bo received {} KB (Ana queued {} KB)",
                b.received() / 1024,
                a.sent() / 1024
            )
        }
        Cut::Delay { after, .. } => {
            std::thread::sleep(after);
            format!("cut after {} ms", after.as_millis())
        }
    };
    match cut {
        Cut::BlackHole { .. } => {
            let f = filter.expect("a black hole needs the filter");
            f.drop_ports(&[ports.0, ports.1]);
            b.received.release();
            let t = Instant::now();
            // Both keep editing while they cannot reach each other.
            a.add(&format!("ana-r{r}-in-the-hole"), &mut saved);
            b.add(&format!("bo-r{r}-in-the-hole"), &mut saved);
            while a.connected() || b.connected() {
                assert!(
                    t.elapsed() < Duration::from_secs(40),
                    "{at}: the heartbeat did not notice the black hole in 40 s"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            let noticed = t.elapsed();
            f.lift();
            let took = converge(&a, &b, Duration::from_secs(60), &at);
            let out = format!(
                "{outcome}; both noticed in {:.1} s; converged {:.1} s after the lift",
                noticed.as_secs_f64(),
                took.as_secs_f64()
            );
            finish(a, b, &saved, &at);
            return out;
        }
        Cut::Bytes { ana, .. } | Cut::Delay { ana, .. } => {
            let (victim, survivor) = if ana { (a, b) } else { (b, a) };
            let (name, port) = (victim.name, victim.port);
            if let Some(f) = filter {
                f.drop_ports(&[port]);
            }
            let dir = victim.cut();
            if let Some(f) = filter {
                f.lift();
            }
            // Bo, if it survived, reads on (the connection it stalled is dead).
            survivor.received.release();
            survivor.add(&format!("{}-r{r}-after-cut", survivor.name), &mut saved);
            std::thread::sleep(Duration::from_millis(rng.below(1500) as u64));
            let back = Device::start(name, &dir, port);
            back.add(&format!("{name}-r{r}-after-restart"), &mut saved);
            back.connect();
            if ana {
                (a, b) = (back, survivor);
            } else {
                (a, b) = (survivor, back);
            }
        }
    }
    let took = converge(&a, &b, Duration::from_secs(60), &at);
    let back = if matches!(
        cut,
        Cut::Bytes { ana: true, .. } | Cut::Delay { ana: true, .. }
    ) {
        &a
    } else {
        &b
    };
    // The survivor still holds the cut connection (its heartbeat has not given it
    // up yet): the restarted device's dial must replace it, not be refused and
    // redialled in a loop (thousands of connections a second, once).
    let dials = back.connections();
    assert!(
        dials <= 3,
        "{at}: the restarted {} needed {dials} connections to sync",
        back.name
    );
    let out = format!(
        "{outcome}; converged {:.1} s after the restart, {dials} connection(s)",
        took.as_secs_f64()
    );
    finish(a, b, &saved, &at);
    out
}

/// Every saved action once on both; both stores reopen equal.
fn finish(a: Device, b: Device, saved: &[String], at: &str) {
    exactly_once(&a.record(), saved, at);
    exactly_once(&b.record(), saved, at);
    let (da, db) = (a.dir.clone(), b.dir.clone());
    a.shutdown();
    b.shutdown();
    let (ha, pa) = reopen(&da);
    let (hb, pb) = reopen(&db);
    assert_eq!(ha, hb, "{at}: the stores reopen with different heads");
    assert!(pa == pb, "{at}: the stores reopen with different records");
    exactly_once(&pa, saved, at);
}

#[test]
fn cut_mid_sync_restart_from_disk_converges() {
    cocoach_testkit::init_test_logging();
    let rounds: usize = std::env::var("CUT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let filter = Filter::usable().then(Filter::new);
    let tmp = tempfile::tempdir().unwrap();
    let ports = (free_port(), free_port());
    let fx = fixture(&tmp.path().join("fixture"), ports);
    let cal = calibrate(&fx, ports, tmp.path());
    eprintln!(
        "cuts: an uncut first sync: Bo receives {} KB in {:.2} s",
        cal.bytes / 1024,
        cal.time.as_secs_f64()
    );
    assert!(
        cal.bytes > 200 * 1024,
        "the first sync should move hundreds of KB, moved {} KB",
        cal.bytes / 1024
    );
    for_each_seed("cut_mid_sync_restart_from_disk_converges", &[1], |seed| {
        let mut rng = Rng::new(seed);
        let root = tmp.path().join(format!("seed-{seed}"));
        for r in 0..rounds {
            let ana = rng.chance(50);
            let cut = if filter.is_some() && r % 4 == 3 {
                Cut::BlackHole {
                    at: rng.below(cal.bytes),
                }
            } else if rng.chance(50) {
                Cut::Bytes {
                    ana,
                    at: rng.below(cal.bytes),
                }
            } else {
                Cut::Delay {
                    ana,
                    after: Duration::from_millis(
                        rng.below(cal.time.as_millis() as usize + 1) as u64
                    ),
                }
            };
            let t = Instant::now();
            let out = round(&mut rng, r, cut, &fx, ports, &root, filter.as_ref());
            eprintln!(
                "cuts: seed {seed} round {r}: {cut:?}: {out} ({:.1} s)",
                t.elapsed().as_secs_f64()
            );
        }
    });
}
