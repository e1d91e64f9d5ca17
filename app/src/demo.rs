//! `cocoach demo`: two partners on one machine, so a newcomer can try everything
//! alone. Each partner has its own data directory and its own node; they pair over
//! loopback on first run (exactly as two computers would, codes and all) and the
//! window shows both side by side. Later runs reuse the same two directories.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use cocoach_node::{Command, Event, NodeConfig, NodeHandle};
use cocoach_store::DataDir;

const LIMIT: Duration = Duration::from_secs(30);

fn loopback(dir: &Path) -> NodeConfig {
    NodeConfig {
        data_dir: DataDir::new(dir),
        bind: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        mdns: false,
        tap: None,
        panic_on_receive: None,
    }
}

/// The demo's home: `dir`, or `cocoach-demo` in the system's temporary directory.
pub fn home(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| std::env::temp_dir().join("cocoach-demo"))
}

pub fn run(dir: Option<PathBuf>, reset: bool, window: bool) -> Result<()> {
    let home = home(dir);
    if reset && home.exists() {
        std::fs::remove_dir_all(&home)
            .with_context(|| format!("cannot remove the old demo in {}", home.display()))?;
    }
    // One log for both demo partners, beside their two data directories.
    crate::logging::init(Some(&home));
    tracing::info!(command = "demo", "cocoach {}", env!("CARGO_PKG_VERSION"));
    let (ana, bo) = (home.join("ana"), home.join("bo"));
    let rt = crate::gui::runtime()?;
    if !DataDir::new(&ana).partnership_db().exists() || !DataDir::new(&bo).partnership_db().exists()
    {
        if ana.exists() || bo.exists() {
            bail!(
                "the demo in {} is half set up; run `cocoach demo --reset` to start it again",
                home.display()
            );
        }
        eprintln!("Pairing the two demo partners over loopback…");
        rt.block_on(pair(&ana, &bo))?;
    }
    eprintln!("Demo data: {} and {}", ana.display(), bo.display());
    if !window {
        return Ok(());
    }
    let _locks = (
        DataDir::new(&ana)
            .lock()
            .context("the demo is already open")?,
        DataDir::new(&bo)
            .lock()
            .context("the demo is already open")?,
    );
    crate::gui::open(
        &rt,
        "cocoach demo — Ana and Bo",
        [1500.0, 860.0],
        vec![
            (loopback(&ana), Some("Demo: Ana's computer".into())),
            (loopback(&bo), Some("Demo: Bo's computer".into())),
        ],
    )?;
    rt.shutdown_timeout(Duration::from_secs(2));
    Ok(())
}

async fn next(h: &mut NodeHandle, what: &str, pick: impl Fn(&Event) -> bool) -> Result<Event> {
    tokio::time::timeout(LIMIT, async {
        loop {
            let Some(e) = h.next_event().await else {
                bail!("the demo node stopped while {what}");
            };
            if let Event::StartFailed(r)
            | Event::CommandFailed { reason: r, .. }
            | Event::PairFailed { reason: r } = &e
            {
                bail!("while {what}: {r}");
            }
            if pick(&e) {
                return Ok(e);
            }
        }
    })
    .await
    .with_context(|| format!("timed out while {what}"))?
}

/// Create Ana's partnership and let Bo join it, through the same commands the
/// window sends; both confirm the verification code after checking it matches.
async fn pair(ana: &Path, bo: &Path) -> Result<()> {
    let rt = tokio::runtime::Handle::current();
    let wake: cocoach_node::Wake = Arc::new(|| {});
    let mut a = NodeHandle::spawn(&rt, loopback(ana), wake.clone());
    let mut b = NodeHandle::spawn(&rt, loopback(bo), wake);
    a.send(Command::Create {
        my_name: "Ana".into(),
        lang: cocoach_i18n::Lang::En,
    })?;
    next(
        &mut a,
        "creating Ana's partnership",
        |e| matches!(e, Event::View(v) if v.partnership.is_some()),
    )
    .await?;
    a.send(Command::Invite)?;
    let Event::InviteReady { ticket, .. } = next(&mut a, "inviting", |e| {
        matches!(e, Event::InviteReady { .. })
    })
    .await?
    else {
        bail!("no invite");
    };
    b.send(Command::Join {
        ticket,
        name: "Bo".into(),
    })?;
    let code = |e: Event| match e {
        Event::PairCode { code, .. } => code,
        _ => String::new(),
    };
    let cb = code(next(&mut b, "joining", |e| matches!(e, Event::PairCode { .. })).await?);
    let ca = code(next(&mut a, "joining", |e| matches!(e, Event::PairCode { .. })).await?);
    let same = ca == cb && !ca.is_empty();
    a.send(Command::ConfirmPairing(same))?;
    b.send(Command::ConfirmPairing(same))?;
    if !same {
        bail!("the two demo partners saw different codes");
    }
    next(&mut b, "joining", |e| matches!(e, Event::Joined { .. })).await?;
    next(&mut a, "pairing", |e| matches!(e, Event::Paired { .. })).await?;
    for h in [&mut a, &mut b] {
        h.send(Command::Shutdown)?;
        next(h, "saving", |e| matches!(e, Event::Stopped)).await?;
    }
    Ok(())
}
