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
        let id = std::process::id() % 100_000;
        let (a, b) = (format!("ccA{id}"), format!("ccB{id}"));
        let (va, vb) = (format!("va{id}"), format!("vb{id}"));
        sh(&["ip", "netns", "add", &a]);
        sh(&["ip", "netns", "add", &b]);
        let lab = Lab {
            a: a.clone(),
            b: b.clone(),
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

    fn cocoach(&self, ns_b: bool, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", if ns_b { &self.b } else { &self.a }])
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
    let out = Command::new(env!("CARGO_BIN_EXE_cocoach"))
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
    let mut invite = lab
        .cocoach(false, a, &[&["invite", "--yes"][..], &na].concat())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines(&mut invite);
    let ticket = rx.recv_timeout(Duration::from_secs(30)).expect("no ticket");
    let joined = ok(
        lab.cocoach(
            true,
            b,
            &[&["join", &ticket, "--yes", "--name", "Bo"][..], &nb].concat(),
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
