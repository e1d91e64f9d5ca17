//! Driving nodes only through `NodeHandle` (commands in, events out), as the GUI
//! does: create a partnership, invite, join, compare codes, then edits on either
//! side reach the other's view. A failing edit reports itself and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use cocoach_doc::{ContractField, DocError, Slot};
use cocoach_node::{Command, Event, NodeHandle, View};
use cocoach_store::DataDir;
use cocoach_tests::loopback;

const LIMIT: Duration = Duration::from_secs(30);

/// Wait for the first event `pick` accepts, skipping others.
async fn expect<T>(
    h: &mut NodeHandle,
    what: &str,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> Result<T> {
    tokio::time::timeout(LIMIT, async {
        loop {
            let Some(e) = h.next_event().await else {
                bail!("the node stopped while waiting for {what}");
            };
            if let Event::StartFailed(e) | Event::CommandFailed { reason: e, .. } = &e {
                bail!("while waiting for {what}: {e}");
            }
            if let Some(t) = pick(&e) {
                return Ok(t);
            }
        }
    })
    .await
    .with_context(|| format!("no {what} within {LIMIT:?}"))?
}

fn view_where(mut ok: impl FnMut(&View) -> bool) -> impl FnMut(&Event) -> Option<Arc<View>> {
    move |e| match e {
        Event::View(v) if ok(v) => Some(v.clone()),
        _ => None,
    }
}

fn place(v: &View) -> Option<String> {
    v.partnership.as_ref().map(|p| p.contract.place.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_handles_pair_and_sync_through_commands_only() -> Result<()> {
    let (ta, tb) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let wakes = Arc::new(AtomicUsize::new(0));
    let w = wakes.clone();
    let wake: cocoach_node::Wake = Arc::new(move || {
        w.fetch_add(1, Ordering::Relaxed);
    });
    let rt = tokio::runtime::Handle::current();
    let mut a = NodeHandle::spawn(&rt, loopback(&DataDir::new(ta.path())), wake.clone());
    let mut b = NodeHandle::spawn(&rt, loopback(&DataDir::new(tb.path())), wake);

    // First run on both: no partnership yet.
    let va = expect(&mut a, "A's first view", view_where(|_| true)).await?;
    assert!(va.partnership.is_none());
    assert!(
        wakes.load(Ordering::Relaxed) > 0,
        "the driver is woken for events"
    );

    a.send(Command::Create {
        my_name: "Ana Müller".into(),
        lang: cocoach_i18n::Lang::En,
    })?;
    let va = expect(
        &mut a,
        "A's partnership",
        view_where(|v| v.partnership.is_some()),
    )
    .await?;
    assert_eq!(va.my_slot, Some(Slot::A));
    assert_eq!(va.my_name, "Ana Müller");

    a.send(Command::Invite)?;
    let ticket = expect(&mut a, "the invite", |e| match e {
        Event::InviteReady { ticket, .. } => Some(ticket.clone()),
        _ => None,
    })
    .await?;

    b.send(Command::Join {
        ticket: format!("  {ticket}\n"),
        name: "Bo Lindqvist".into(),
    })?;
    let code_b = expect(&mut b, "B's code", |e| match e {
        Event::PairCode { code, .. } => Some(code.clone()),
        _ => None,
    })
    .await?;
    let code_a = expect(&mut a, "A's code", |e| match e {
        Event::PairCode { code, partner_name } => Some((code.clone(), partner_name.clone())),
        _ => None,
    })
    .await?;
    assert_eq!(code_a.0, code_b, "both screens show the same code");
    assert_eq!(code_a.1, "Bo Lindqvist");
    a.send(Command::ConfirmPairing(true))?;
    b.send(Command::ConfirmPairing(true))?;
    let host = expect(&mut b, "joined", |e| match e {
        Event::Joined { partner_name } => Some(partner_name.clone()),
        _ => None,
    })
    .await?;
    assert_eq!(host, "Ana Müller");
    let vb = expect(
        &mut b,
        "B's partnership",
        view_where(|v| v.partnership.is_some()),
    )
    .await?;
    assert_eq!(vb.my_slot, Some(Slot::B));

    // A edits; B's view shows it (pushed over the live connection).
    a.send(Command::Edit {
        what: "set the place",
        edit: Box::new(|d| d.set_contract(ContractField::Place, "Café Lindt, Fridays")),
    })?;
    expect(
        &mut b,
        "A's place on B",
        view_where(|v| place(v).as_deref() == Some("Café Lindt, Fridays")),
    )
    .await?;

    // B edits; A sees it.

    b.send(Command::Edit {
        what: "add a ground rule",
        edit: Box::new(|d| d.add_ground_rule("Phones face down")),
    })?;
    expect(
        &mut a,
        "B's rule on A",
        view_where(|v| {
            v.partnership.as_ref().is_some_and(|p| {
                p.contract
                    .ground_rules
                    .iter()
                    .any(|r| r == "Phones face down")
            })
        }),
    )
    .await?;

    // A failing edit says so and changes nothing.
    a.send(Command::Edit {
        what: "edit a missing session",
        edit: Box::new(|_| {
            Err(DocError::NotFound {
                what: "session",
                id: "nope".into(),
            })
        }),
    })?;
    let err = tokio::time::timeout(LIMIT, async {
        loop {
            if let Some(Event::CommandFailed { what, reason }) = a.next_event().await {
                return (what, reason);
            }
        }
    })
    .await?;
    assert_eq!(err.0, "edit a missing session");
    assert!(err.1.contains("nope"), "{}", err.1);

    // Signing goes through the node's own key.
    a.send(Command::SignContract)?;
    expect(
        &mut b,
        "A's signature on B",
        view_where(|v| {
            v.partnership
                .as_ref()
                .is_some_and(|p| p.signatures.a.is_current() && !p.signatures.b.is_current())
        }),
    )
    .await?;

    a.send(Command::Shutdown)?;
    b.send(Command::Shutdown)?;
    expect(&mut a, "A stopped", |e| {
        matches!(e, Event::Stopped).then_some(())
    })
    .await?;
    expect(&mut b, "B stopped", |e| {
        matches!(e, Event::Stopped).then_some(())
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_ticket_fails_clearly_and_an_empty_name_is_refused() -> Result<()> {
    let t = tempfile::tempdir()?;
    let mut h = NodeHandle::spawn(
        &tokio::runtime::Handle::current(),
        loopback(&DataDir::new(t.path())),
        Arc::new(|| {}),
    );
    h.send(Command::Join {
        ticket: "cocoach-not-a-ticket".into(),
        name: "Bo".into(),
    })?;
    let reason = expect(&mut h, "pair failure", |e| match e {
        Event::PairFailed { reason } => Some(reason.clone()),
        _ => None,
    })
    .await?;
    assert_eq!(reason, "err-bad-invite");
    h.send(Command::Create {
        my_name: " ".into(),
        lang: cocoach_i18n::Lang::En,
    })?;
    let r = expect(&mut h, "refusal", |_| None::<()>).await;
    let msg = format!("{:#}", r.unwrap_err());
    // The refusal names its message, which the window shows in the user's words.
    assert!(msg.contains("err-name-required"), "{msg}");
    let en = cocoach_i18n::Tr::get(cocoach_i18n::Lang::En);
    assert_eq!(en.id_or_text("err-name-required"), "please enter your name");
    Ok(())
}

/// An error reaches the screen with its whole chain: what failed in our words, then
/// what the operating system said (here: the journal's file is a folder). Before the
/// chain was kept, the reason stopped at our words or repeated them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_command_shows_what_went_wrong_underneath() -> Result<()> {
    let t = tempfile::tempdir()?;
    let dir = DataDir::new(t.path());
    std::fs::create_dir_all(dir.journal_db())?;
    let mut h = NodeHandle::spawn(
        &tokio::runtime::Handle::current(),
        loopback(&dir),
        Arc::new(|| {}),
    );
    h.send(Command::JournalList {
        query: String::new(),
    })?;
    let (what, reason) = tokio::time::timeout(LIMIT, async {
        loop {
            match h.next_event().await {
                Some(Event::CommandFailed { what, reason }) => return Some((what, reason)),
                Some(_) => continue,
                None => return None,
            }
        }
    })
    .await?
    .context("the node stopped")?;
    assert_eq!(
        what, "edit-open-journal",
        "a message id the window shows in its language"
    );
    let en = cocoach_i18n::Tr::get(cocoach_i18n::Lang::En);
    assert_eq!(en.t(&what), "open your journal");
    let file = dir.journal_db().display().to_string();
    let os = std::io::Error::from(std::io::ErrorKind::IsADirectory).to_string();
    assert!(reason.contains(&file), "names the file: {reason}");
    assert!(
        reason.contains("Is a directory"),
        "says what the system said ({os}): {reason}"
    );
    assert_eq!(reason.matches(&file).count(), 1, "said once: {reason}");
    Ok(())
}
