//! Integration tests of cocoach live in `tests/`; `src/bin/` holds helper programs
//! they drive (the crash writer). This library holds helpers shared by the tests.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use cocoach_doc::{DeviceKey, PartnershipDoc};
use cocoach_node::{Event, Node, NodeConfig};
use cocoach_store::{DataDir, DeviceStore, PartnershipStore};
use tokio::sync::{mpsc, oneshot};

/// A bare iroh endpoint on loopback with the key of `seed`: a device that speaks
/// our protocols by hand (a stranger, or a hostile copy of the partner).
///
/// # Panics
/// When loopback cannot be bound (the test cannot run).
pub async fn raw_endpoint(seed: [u8; 32]) -> iroh::Endpoint {
    #[allow(clippy::expect_used)] // tests: a failed bind is a failed test
    iroh::Endpoint::builder(iroh::endpoint::presets::Minimal)
        .secret_key(iroh::SecretKey::from_bytes(&seed))
        .relay_mode(iroh::RelayMode::Disabled)
        .clear_ip_transports()
        .bind_addr("127.0.0.1:0")
        .expect("a loopback address")
        .bind()
        .await
        .expect("bind on loopback")
}

/// Node config on loopback, no mDNS.
pub fn loopback(dir: &DataDir) -> NodeConfig {
    NodeConfig {
        data_dir: dir.clone(),
        bind: "127.0.0.1:0"
            .parse()
            .unwrap_or_else(|_| std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
        mdns: false,
        tap: None,
        received: None,
        panic_on_receive: None,
    }
}

/// Create a partnership in `dir` as `name` (partner A), with `prepare` applied.
pub fn init_partnership(
    dir: &DataDir,
    name: &str,
    prepare: impl FnOnce(&mut PartnershipDoc) -> Result<()>,
) -> Result<DeviceKey> {
    let mut device = DeviceStore::open_or_create(dir)?;
    device.set_name(name)?;
    let me = device.identity().public();
    let mut doc = PartnershipDoc::create(name, device.identity())?;
    prepare(&mut doc)?;
    doc.commit();
    PartnershipStore::create(dir, &mut doc)?;
    Ok(me)
}

/// Wait for an event matching `pick`, up to `limit`.
pub async fn wait_for<T>(
    events: &mut mpsc::Receiver<Event>,
    limit: Duration,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> Result<T> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .context("timed out waiting for an event")?
            .context("event stream ended")?;
        if let Some(t) = pick(&ev) {
            return Ok(t);
        }
    }
}

/// Pair host `a` with guest `b` (both confirming the code). Returns the code each saw.
pub async fn pair(
    a: &Node,
    ea: &mut mpsc::Receiver<Event>,
    b: &Node,
    eb: &mut mpsc::Receiver<Event>,
    b_name: &str,
) -> Result<(String, String, cocoach_sync::Ticket)> {
    let ticket = a.invite()?;
    pair_with(a, ea, b, eb, b_name, ticket).await
}

/// [`pair`] with an invite `a` already opened.
pub async fn pair_with(
    a: &Node,
    ea: &mut mpsc::Receiver<Event>,
    b: &Node,
    eb: &mut mpsc::Receiver<Event>,
    b_name: &str,
    ticket: cocoach_sync::Ticket,
) -> Result<(String, String, cocoach_sync::Ticket)> {
    let (tx, rx) = oneshot::channel();
    let joining = b.join(ticket.clone(), b_name, rx);
    tokio::pin!(joining);
    let mut tx = Some(tx);
    let (mut code_a, mut code_b) = (None, None);
    let mut joined = false;
    let mut paired = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !(joined && paired) {
        tokio::select! {
            r = &mut joining, if !joined => { r?; joined = true; }
            Some(ev) = ea.recv() => match ev {
                Event::PairCode { code, .. } => { code_a = Some(code); a.confirm_pairing(true); }
                Event::Paired { .. } => paired = true,
                Event::PairFailed { reason } => bail!("host: {reason}"),
                _ => {}
            },
            Some(ev) = eb.recv() => {
                if let Event::PairCode { code, .. } = ev {
                    code_b = Some(code);
                    if let Some(tx) = tx.take() { let _ = tx.send(true); }
                }
            }
            _ = tokio::time::sleep_until(deadline) => bail!("pairing did not finish in 20 s"),
        }
    }
    Ok((
        code_a.context("host saw no code")?,
        code_b.context("guest saw no code")?,
        ticket,
    ))
}

/// Two started nodes in fresh data directories, paired (A hosted, B joined), with a
/// session created by A before pairing (B's half's goal reads "Goal: UX research.\n",
/// so both start from the same text). Nothing is connected for syncing yet.
#[derive(Debug)]
pub struct Paired {
    pub a: Node,
    pub b: Node,
    pub ea: mpsc::Receiver<Event>,
    pub eb: mpsc::Receiver<Event>,
    pub da: DataDir,
    pub db: DataDir,
    pub session: cocoach_doc::SessionId,
    /// The invite B used (already spent).
    pub ticket: cocoach_sync::Ticket,
    pub codes: (String, String),
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// Pair two fresh nodes on loopback; `tweak_a` adjusts A's config (a wire tap, say).
pub async fn paired_nodes(tweak_a: impl FnOnce(&mut NodeConfig)) -> Result<Paired> {
    let dirs = (tempfile::tempdir()?, tempfile::tempdir()?);
    let (da, db) = (DataDir::new(dirs.0.path()), DataDir::new(dirs.1.path()));
    let mut session = cocoach_doc::SessionId::default();
    init_partnership(&da, "Ana", |d| {
        session = d.new_session(cocoach_doc::Date::new(2026, 11, 20).context("date")?)?;
        d.set_half_text(
            &session,
            cocoach_doc::Slot::B,
            cocoach_doc::HalfText::Goal,
            "Goal: UX research.\n",
        )?;
        Ok(())
    })?;
    let mut ca = loopback(&da);
    tweak_a(&mut ca);
    let mut a = Node::start(ca).await?;
    let mut b = Node::start(loopback(&db)).await?;
    let mut ea = a.take_events().context("events")?;
    let mut eb = b.take_events().context("events")?;
    let (code_a, code_b, ticket) = pair(&a, &mut ea, &b, &mut eb, "Bo").await?;
    Ok(Paired {
        a,
        b,
        ea,
        eb,
        da,
        db,
        session,
        ticket,
        codes: (code_a, code_b),
        _dirs: dirs,
    })
}

/// `wait_for` predicate: the node reports that both sides hold the same heads.
pub fn in_sync(e: &Event) -> Option<()> {
    matches!(e, Event::Status(s) if s.in_sync).then_some(())
}

/// Wait until both nodes report being in sync with each other.
pub async fn both_in_sync(
    ea: &mut mpsc::Receiver<Event>,
    eb: &mut mpsc::Receiver<Event>,
) -> Result<()> {
    wait_for(ea, Duration::from_secs(20), in_sync).await?;
    wait_for(eb, Duration::from_secs(20), in_sync).await
}

/// Two data directories holding a generated partnership of `years` of weekly
/// sessions, with known identities (Ana Müller in `da`, Bo Chen in `db`). Returns
/// the id of the last session.
pub fn seeded_pair(years: usize, da: &DataDir, db: &DataDir) -> Result<cocoach_doc::SessionId> {
    use cocoach_testkit::generate::{HistoryShape, history};
    let mut p = history(HistoryShape::years(years), 42)?;
    DeviceStore::create_with_identity(da, &p.id_a)?.set_name("Ana Müller")?;
    DeviceStore::create_with_identity(db, &p.id_b)?.set_name("Bo Chen")?;
    let session =
        p.a.read()?
            .sessions
            .last()
            .map(|s| s.id.clone())
            .context("no session")?;
    // Each pinned the other at pairing (whose changes and signatures count).
    for (dir, doc, partner, name) in [
        (da, &mut p.a, p.id_b.public(), "Bo Chen"),
        (db, &mut p.b, p.id_a.public(), "Ana Müller"),
    ] {
        PartnershipStore::create(dir, doc)?.upsert_partner(&cocoach_store::PartnerRecord {
            key: partner,
            name: name.into(),
            addresses: Vec::new(),
            paired_at_ms: Some(1),
            last_seen_ms: None,
        })?;
    }
    Ok(session)
}

/// Deliver messages between two in-memory sync sessions, both ways, until quiet;
/// the first error is returned (the session that refused already rolled back).
///
/// # Panics
/// When the exchange does not settle in 200 messages (a bug in the session).
pub fn exchange_sessions(
    a: &mut PartnershipDoc,
    sa: &mut cocoach_sync::SyncSession,
    b: &mut PartnershipDoc,
    sb: &mut cocoach_sync::SyncSession,
) -> Result<(), cocoach_sync::SyncError> {
    use cocoach_sync::Message;
    let mut queue: Vec<(bool, Message)> = sa.start(a).into_iter().map(|m| (true, m)).collect();
    queue.extend(sb.start(b).into_iter().map(|m| (false, m)));
    for _ in 0..200 {
        if queue.is_empty() {
            return Ok(());
        }
        let (to_b, m) = queue.remove(0);
        let r = if to_b {
            sb.receive(&mut *b, m)?
        } else {
            sa.receive(&mut *a, m)?
        };
        queue.extend(r.reply.into_iter().map(|m| (!to_b, m)));
    }
    panic!("no quiescence");
}

/// A writes `text` into its notes of `session`, B connects, and the two sync: the
/// positive control after a test's refusals. Fails unless B then holds the text.
pub async fn note_reaches_partner(
    a: &Node,
    b: &Node,
    ea: &mut mpsc::Receiver<Event>,
    eb: &mut mpsc::Receiver<Event>,
    session: &cocoach_doc::SessionId,
    text: &str,
) -> Result<()> {
    use cocoach_doc::{HalfText, Slot};
    a.edit(|d| d.append_half_text(session, Slot::A, HalfText::Notes, text))?;
    b.connect_partner()?;
    both_in_sync(ea, eb).await?;
    let arrived = b.read(|d| {
        d.read()
            .ok()
            .and_then(|p| {
                p.session(session)
                    .map(|s| s.half(Slot::A).notes.contains(text))
            })
            .unwrap_or(false)
    });
    if !arrived {
        bail!("the note did not reach the partner");
    }
    Ok(())
}

/// The map at `path` from the document's root (each step a key), for tests that
/// read or write the document as another build would. Panics (a failed test) if a
/// step is not a map.
pub fn map_at(
    doc: &cocoach_doc::automerge::AutoCommit,
    path: &[&str],
) -> cocoach_doc::automerge::ObjId {
    use cocoach_doc::automerge::{ObjType, ROOT, ReadDoc, Value};
    let mut at = ROOT;
    for key in path {
        at = match doc.get(&at, *key) {
            Ok(Some((Value::Object(ObjType::Map), id))) => id,
            other => panic!("{key} in {path:?} is not a map: {other:?}"),
        };
    }
    at
}
