//! Two `cocoach` processes in separate network namespaces, joined by a veth pair,
//! pair and then sync through 30 % random packet loss, and through a partition that
//! heals while both are trying. Needs root, `ip` (iproute2) and `nft` (nftables):
//! `.ci/run` installs them. Without root the test says so and does nothing, unless
//! `COCOACH_REQUIRE_NETNS=1` (set by CI) makes that a failure.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::{finish, lines, ok};

const IP_A: &str = "10.231.0.1";
const IP_B: &str = "10.231.0.2";

/// Two namespaces with a veth pair between them; removed on drop.
struct Lab {
    a: String,
    b: String,
    /// The veth ends in A and B.
    devs: (String, String),
}

fn sh(args: &[&str]) {
    let out = Command::new(args[0])
        .args(&args[1..])
        .output()
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Lab {
    fn new() -> Lab {
        // Tests in this binary run in parallel: each lab gets its own names.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = format!("{}x{n}", std::process::id() % 100_000);
        let (a, b) = (format!("ccA{id}"), format!("ccB{id}"));
        let (va, vb) = (format!("va{id}"), format!("vb{id}"));
        sh(&["ip", "netns", "add", &a]);
        sh(&["ip", "netns", "add", &b]);
        let lab = Lab {
            a: a.clone(),
            b: b.clone(),
            devs: (va.clone(), vb.clone()),
        };
        sh(&[
            "ip", "link", "add", &va, "type", "veth", "peer", "name", &vb,
        ]);
        sh(&["ip", "link", "set", &va, "netns", &a]);
        sh(&["ip", "link", "set", &vb, "netns", &b]);
        for (ns, dev, ip) in [(&a, &va, IP_A), (&b, &vb, IP_B)] {
            sh(&[
                "ip",
                "-n",
                ns,
                "addr",
                "add",
                &format!("{ip}/24"),
                "dev",
                dev,
            ]);
            sh(&["ip", "-n", ns, "link", "set", dev, "up"]);
            sh(&["ip", "-n", ns, "link", "set", "lo", "up"]);
        }
        lab
    }

    /// Drop `percent` % of packets leaving each namespace (100: a partition).
    fn chaos(&self, percent: u32) {
        for ns in [&self.a, &self.b] {
            self.heal_one(ns);
            sh(&[
                "ip", "netns", "exec", ns, "nft", "add", "table", "inet", "chaos",
            ]);
            sh(&[
                "ip",
                "netns",
                "exec",
                ns,
                "nft",
                "add",
                "chain",
                "inet",
                "chaos",
                "out",
                "{ type filter hook output priority 0 ; }",
            ]);
            let rule = if percent >= 100 {
                "ip daddr 10.231.0.0/24 drop".to_string()
            } else {
                format!("ip daddr 10.231.0.0/24 numgen random mod 100 < {percent} drop")
            };
            let mut args = vec![
                "ip", "netns", "exec", ns, "nft", "add", "rule", "inet", "chaos", "out",
            ];
            args.extend(rule.split(' '));
            sh(&args);
        }
    }

    /// Let multicast (mDNS) out of each namespace over the veth link: a namespace
    /// has no default route, so without this the kernel refuses the mDNS sends.
    fn multicast(&self) {
        for (ns, dev) in [(&self.a, &self.devs.0), (&self.b, &self.devs.1)] {
            sh(&["ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", dev]);
        }
    }

    fn heal_one(&self, ns: &str) {
        let _ = Command::new("ip")
            .args([
                "netns", "exec", ns, "nft", "delete", "table", "inet", "chaos",
            ])
            .output();
    }

    fn heal(&self) {
        self.heal_one(&self.a);
        self.heal_one(&self.b);
    }

    /// Pair A (inviting, in its namespace) with B (joining as "Bo"); `na`/`nb` are
    /// the network options of each side.
    fn pair(&self, a: &Path, b: &Path, na: &[&str], nb: &[&str]) {
        let mut invite = self
            .cocoach(false, a, &[&["invite", "--yes"][..], na].concat())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let rx = lines(&mut invite);
        let ticket = rx.recv_timeout(Duration::from_secs(30)).expect("no ticket");
        let joined = ok(
            self.cocoach(
                true,
                b,
                &[&["join", &ticket, "--yes", "--name", "Bo"][..], nb].concat(),
            )
            .output()
            .unwrap(),
            "join",
        );
        assert!(joined.contains("paired with Ana"), "{joined}");
        assert!(
            finish(invite, Duration::from_secs(30), "invite")
                .status
                .success()
        );
    }

    fn cocoach(&self, ns_b: bool, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        support::english(&mut c)
            .args(["netns", "exec", if ns_b { &self.b } else { &self.a }])
            .arg(env!("CARGO_BIN_EXE_cocoach"))
            .arg("--data-dir")
            .arg(dir)
            .args(args);
        c
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.a]).output();
        let _ = Command::new("ip").args(["netns", "del", &self.b]).output();
    }
}

fn local(dir: &Path, args: &[&str]) -> String {
    let out = support::cocoach()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    ok(out, &format!("{args:?}"))
}

fn can_run() -> bool {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let tools = ["ip", "nft"].iter().all(|t| {
        Command::new("sh")
            .args(["-c", &format!("command -v {t}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    });
    if root && tools {
        return true;
    }
    let msg = format!("netns test needs root, ip and nft (root: {root}, tools: {tools})");
    assert!(std::env::var("COCOACH_REQUIRE_NETNS").is_err(), "{msg}");
    eprintln!("SKIPPED: {msg}");
    false
}

#[test]
fn sync_through_packet_loss_and_a_healing_partition() {
    if !can_run() {
        return;
    }
    let lab = Lab::new();
    let (ta, tb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (ta.path(), tb.path());
    local(a, &["init", "--name", "Ana"]);
    let s = local(a, &["session", "new", "--date", "2026-11-20"])
        .trim()
        .to_string();
    let net_a = ["--listen", &format!("{IP_A}:0"), "--no-mdns"].map(String::from);
    let net_b = ["--listen", &format!("{IP_B}:0"), "--no-mdns"].map(String::from);
    let na: Vec<&str> = net_a.iter().map(String::as_str).collect();
    let nb: Vec<&str> = net_b.iter().map(String::as_str).collect();

    // Pair across the veth link.
    lab.pair(a, b, &na, &nb);

    let sync_both = |tag: &str| {
        let sa = lab
            .cocoach(
                false,
                a,
                &[&["sync", "--once", "--timeout", "90"][..], &na].concat(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let sb = lab
            .cocoach(
                true,
                b,
                &[&["sync", "--once", "--timeout", "90"][..], &nb].concat(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        (sa, sb, tag.to_string())
    };
    let wait_both = |(sa, sb, tag): (Child, Child, String)| {
        let oa = finish(sa, Duration::from_secs(120), &format!("{tag}: sync on A"));
        let ob = finish(sb, Duration::from_secs(120), &format!("{tag}: sync on B"));
        ok(oa, &format!("{tag}: sync on A"));
        ok(ob, &format!("{tag}: sync on B"));
    };

    // 1. Offline edits on both sides, then sync through 30 % loss each way.
    local(
        a,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "partner",
            "--field",
            "goal",
            "Ana typed this through the loss",
        ],
    );
    local(
        b,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "me",
            "--field",
            "reality",
            "Bo typed this through the loss",
        ],
    );
    local(
        b,
        &["action", "add", "Call the recruiter", "--due", "2026-11-30"],
    );
    lab.chaos(30);
    wait_both(sync_both("30% loss"));
    lab.heal();
    let (ea, eb) = (local(a, &["export"]), local(b, &["export"]));
    assert_eq!(ea, eb, "after syncing through loss");
    for want in [
        "Ana typed this through the loss",
        "Bo typed this through the loss",
        "Call the recruiter",
    ] {
        assert!(ea.contains(want), "{want}");
    }

    // 2. A partition: both start syncing while cut off; the link heals after 4 s.
    local(
        a,
        &[
            "action",
            "add",
            "Write to Jana",
            "--due",
            "2026-12-02",
            "--owner",
            "me",
        ],
    );
    local(
        b,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "partner",
            "--field",
            "options",
            "Ask the alumni group",
        ],
    );
    lab.chaos(100);
    let running = sync_both("partition");
    std::thread::sleep(Duration::from_secs(4));
    lab.heal();
    wait_both(running);
    let (ea, eb) = (local(a, &["export"]), local(b, &["export"]));
    assert_eq!(ea, eb, "after the partition healed");
    assert!(ea.contains("Write to Jana") && ea.contains("Ask the alumni group"));
}

/// LAN discovery: both partners come back on ports the other has never seen, so the
/// remembered addresses are useless and only mDNS can bring them together. Without
/// mDNS the same situation fails (the control), so the test shows discovery did it.
#[test]
fn mdns_finds_the_partner_when_remembered_addresses_are_stale() {
    if !can_run() {
        return;
    }
    let lab = Lab::new();
    lab.multicast();
    let (ta, tb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (ta.path(), tb.path());
    local(a, &["init", "--name", "Ana"]);
    let pair_a = ["--listen", &format!("{IP_A}:0"), "--no-mdns"].map(String::from);
    let pair_b = ["--listen", &format!("{IP_B}:0"), "--no-mdns"].map(String::from);
    let pa: Vec<&str> = pair_a.iter().map(String::as_str).collect();
    let pb: Vec<&str> = pair_b.iter().map(String::as_str).collect();
    lab.pair(a, b, &pa, &pb);
    local(
        a,
        &[
            "action",
            "add",
            "Ana's step found by mDNS",
            "--due",
            "2026-12-01",
        ],
    );
    local(
        b,
        &[
            "action",
            "add",
            "Bo's step found by mDNS",
            "--due",
            "2026-12-02",
        ],
    );

    // New ports on both sides: each remembers only the other's old address.
    let sync = |ns_b: bool, dir: &Path, listen: &str, mdns: bool, timeout: &str| {
        let mut args = vec!["sync", "--once", "--timeout", timeout, "--listen", listen];
        if !mdns {
            args.push("--no-mdns");
        }
        lab.cocoach(ns_b, dir, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (la, lb) = (format!("{IP_A}:47001"), format!("{IP_B}:47002"));

    // Control: without discovery, neither can find the other.
    let sa = sync(false, a, &la, false, "6");
    let sb = sync(true, b, &lb, false, "6");
    let oa = finish(sa, Duration::from_secs(60), "control sync on A");
    let ob = finish(sb, Duration::from_secs(60), "control sync on B");
    assert!(
        !oa.status.success() && !ob.status.success(),
        "without mDNS the stale addresses must not be enough"
    );
    assert!(!local(b, &["export"]).contains("Ana's step"));

    // With mDNS (the default) they find each other.
    let (la, lb) = (format!("{IP_A}:47003"), format!("{IP_B}:47004"));
    let sa = sync(false, a, &la, true, "60");
    let sb = sync(true, b, &lb, true, "60");
    ok(
        finish(sa, Duration::from_secs(90), "mdns sync on A"),
        "mdns sync on A",
    );
    ok(
        finish(sb, Duration::from_secs(90), "mdns sync on B"),
        "mdns sync on B",
    );
    let (ea, eb) = (local(a, &["export"]), local(b, &["export"]));
    assert_eq!(ea, eb);
    assert!(ea.contains("Ana's step found by mDNS") && ea.contains("Bo's step found by mDNS"));
}
