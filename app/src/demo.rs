//! `cocoach demo`: two partners on one machine, so a newcomer can try everything
//! alone. Each partner has its own data directory and its own node; they pair over
//! loopback on first run (exactly as two computers would, codes and all) and the
//! window shows both side by side. Later runs reuse the same two directories.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use cocoach_i18n::tr;
use cocoach_node::{Command, Event, NodeConfig, NodeHandle};
use cocoach_store::DataDir;

const LIMIT: Duration = Duration::from_secs(30);

fn loopback(dir: &Path) -> NodeConfig {
    NodeConfig {
        data_dir: DataDir::new(dir),
        bind: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        mdns: false,
        tap: None,
        received: None,
        panic_on_receive: None,
    }
}

/// The demo's home: `dir`, or `cocoach-demo` in the system's temporary directory.
pub fn home(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| std::env::temp_dir().join("cocoach-demo"))
}

pub fn run(dir: Option<PathBuf>, reset: bool, window: bool) -> Result<()> {
    let home = home(dir);
    let tr = crate::term::tr();
    if reset && home.exists() {
        std::fs::remove_dir_all(&home).with_context(|| {
            tr!(
                tr,
                "cli-demo-cannot-remove",
                dir = home.display().to_string()
            )
        })?;
    }
    // One log for both demo partners, beside their two data directories.
    crate::logging::init(Some(&home));
    tracing::info!(command = "demo", "cocoach {}", env!("CARGO_PKG_VERSION"));
    let (ana, bo) = (home.join("ana"), home.join("bo"));
    let rt = crate::gui::runtime()?;
    if !DataDir::new(&ana).partnership_db().exists() || !DataDir::new(&bo).partnership_db().exists()
    {
        if ana.exists() || bo.exists() {
            bail!(tr!(
                tr,
                "cli-demo-half-set-up",
                dir = home.display().to_string()
            ));
        }
        eprintln!("{}", tr!(tr, "cli-demo-pairing"));
        rt.block_on(pair(&ana, &bo))?;
    }
    eprintln!(
        "{}",
        tr!(
            tr,
            "cli-demo-data",
            ana = ana.display().to_string(),
            bo = bo.display().to_string()
        )
    );
    if !window {
        return Ok(());
    }
    let lock = |dir: &std::path::Path| {
        DataDir::new(dir)
            .lock()
            .with_context(|| tr!(tr, "cli-demo-open"))
    };
    crate::gui::open(
        &rt,
        &tr!(tr, "cli-demo-title"),
        [1500.0, 860.0],
        vec![
            crate::gui::PaneSpec {
                cfg: loopback(&ana),
                title: Some(tr!(tr, "cli-demo-ana")),
                lock: lock(&ana)?,
            },
            crate::gui::PaneSpec {
                cfg: loopback(&bo),
                title: Some(tr!(tr, "cli-demo-bo")),
                lock: lock(&bo)?,
            },
        ],
    )?;
    rt.shutdown_timeout(Duration::from_secs(2));
    Ok(())
}

/// The next event `pick` wants; `what` names the step (a cli-demo-step-… message)
/// for the error if none comes.
async fn next(h: &mut NodeHandle, what: &str, pick: impl Fn(&Event) -> bool) -> Result<Event> {
    let tr = crate::term::tr();
    tokio::time::timeout(LIMIT, async {
        loop {
            let Some(e) = h.next_event().await else {
                bail!(tr!(tr, "cli-demo-stopped", step = what));
            };
            if let Event::StartFailed(r)
            | Event::CommandFailed { reason: r, .. }
            | Event::PairFailed { reason: r } = &e
            {
                bail!(tr!(
                    tr,
                    "cli-demo-failed",
                    step = what,
                    reason = tr.id_or_text(r)
                ));
            }
            if pick(&e) {
                return Ok(e);
            }
        }
    })
    .await
    .with_context(|| tr!(tr, "cli-demo-timed-out", step = what))?
}

/// Create Ana's partnership and let Bo join it, through the same commands the
/// window sends; both confirm the verification code after checking it matches.
async fn pair(ana: &Path, bo: &Path) -> Result<()> {
    let rt = tokio::runtime::Handle::current();
    let tr = crate::term::tr();
    let wake: cocoach_node::Wake = Arc::new(|| {});
    let mut a = NodeHandle::spawn(&rt, loopback(ana), wake.clone());
    let mut b = NodeHandle::spawn(&rt, loopback(bo), wake);
    a.send(Command::Create {
        my_name: "Ana".into(),
        lang: crate::term::tr().lang(),
    })?;
    next(
        &mut a,
        &tr!(tr, "cli-demo-step-creating"),
        |e| matches!(e, Event::View(v) if v.partnership.is_some()),
    )
    .await?;
    a.send(Command::Invite)?;
    let Event::InviteReady { ticket, .. } = next(&mut a, &tr!(tr, "cli-demo-step-inviting"), |e| {
        matches!(e, Event::InviteReady { .. })
    })
    .await?
    else {
        bail!(tr!(tr, "cli-demo-no-invite"));
    };
    b.send(Command::Join {
        ticket,
        name: "Bo".into(),
    })?;
    let code = |e: Event| match e {
        Event::PairCode { code, .. } => code,
        _ => String::new(),
    };
    let joining = tr!(tr, "cli-demo-step-joining");
    let cb = code(next(&mut b, &joining, |e| matches!(e, Event::PairCode { .. })).await?);
    let ca = code(next(&mut a, &joining, |e| matches!(e, Event::PairCode { .. })).await?);
    let same = ca == cb && !ca.is_empty();
    a.send(Command::ConfirmPairing(same))?;
    b.send(Command::ConfirmPairing(same))?;
    if !same {
        bail!(tr!(tr, "cli-demo-codes-differ"));
    }
    next(&mut b, &joining, |e| matches!(e, Event::Joined { .. })).await?;
    let pairing = tr!(tr, "cli-demo-step-pairing");
    next(&mut a, &pairing, |e| matches!(e, Event::Paired { .. })).await?;
    let saving = tr!(tr, "cli-demo-step-saving");
    for h in [&mut a, &mut b] {
        h.send(Command::Shutdown)?;
        next(h, &saving, |e| matches!(e, Event::Stopped)).await?;
    }
    Ok(())
}
