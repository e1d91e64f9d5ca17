//! The commands that talk to the partner: invite, join, sync. Each runs a node on a
//! small tokio runtime and prints what happens.

use crate::term::{esay, esay_raw, say};
use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use cocoach_i18n::tr;
use cocoach_node::{Event, Node, NodeConfig};
use cocoach_store::{DataDir, DeviceStore};
use cocoach_sync::Ticket;
use tokio::sync::oneshot;

use crate::cli::NetOpts;

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .with_context(|| tr!(crate::term::tr(), "cli-no-runtime"))
}

fn config(dir: &DataDir, net: &NetOpts) -> NodeConfig {
    NodeConfig {
        data_dir: dir.clone(),
        bind: net.listen,
        mdns: !net.no_mdns,
        tap: None,
        received: None,
        panic_on_receive: None,
    }
}

/// Flush what we printed (the ticket, the code) so a script reading it sees it now.
fn flush_stdout() {
    if let Err(e) = std::io::stdout().flush() {
        tracing::debug!(error = %e, "could not flush stdout");
    }
}

/// Ask the user whether the codes match (or say yes for them).
async fn ask_codes(code: &str, who: &str, yes: bool) -> bool {
    let tr = crate::term::tr();
    say!("{}", tr!(tr, "cli-verification-code", code = code));
    flush_stdout();
    if yes {
        return true;
    }
    let who = if who.is_empty() {
        tr!(tr, "cli-your-partner")
    } else {
        who.to_string()
    };
    esay_raw!("{} ", tr!(tr, "cli-same-code", who = who));
    let answer = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await;
    // Yes in either language: "y"/"yes", or the Dutch "j"/"ja".
    matches!(answer, Ok(Ok(l)) if ["y", "yes", "j", "ja"].iter().any(|y| l.trim().eq_ignore_ascii_case(y)))
}

pub fn invite(dir: &DataDir, yes: bool, rejoin: bool, net: &NetOpts) -> Result<()> {
    crate::logging::init(Some(dir.root()));
    tracing::info!(command = "invite", "cocoach {}", env!("CARGO_PKG_VERSION"));
    let tr = crate::term::tr();
    runtime()?.block_on(async {
        let mut node = Node::start(config(dir, net)).await?;
        let mut events = node
            .take_events()
            .with_context(|| tr!(tr, "cli-no-event-stream"))?;
        if !node.has_partnership() {
            bail!(tr!(tr, "cli-invite-no-partnership"));
        }
        let ticket = match (rejoin, node.partner()) {
            // The node decides: a partner who never synced (their join was cut
            // off) may be invited again.
            (false, partner) => match (node.invite(), partner) {
                (Err(cocoach_node::NodeError::AlreadyPaired), Some(p)) => {
                    bail!(tr!(tr, "cli-invite-full", key = p.short()))
                }
                (result, _) => result?,
            },
            (true, None) => bail!(tr!(tr, "cli-invite-rejoin-no-partner")),
            (true, Some(_)) => node.invite_rejoin()?,
        };
        say!("{}", ticket.encode());
        flush_stdout();
        tracing::info!(
            addrs = ticket.addrs.len(),
            rejoin,
            "invite open for 15 minutes"
        );
        if rejoin {
            esay!("{}", tr!(tr, "cli-invite-rejoin-give"));
        } else {
            esay!("{}", tr!(tr, "cli-invite-give"));
        }
        let expires = tokio::time::sleep(Duration::from_millis(
            u64::try_from(ticket.expires_at_ms - cocoach_doc::now_ms()).unwrap_or(0),
        ));
        tokio::pin!(expires);
        let result = loop {
            tokio::select! {
                ev = events.recv() => match ev {
                    Some(Event::PairCode { code, partner_name }) => {
                        let ok = ask_codes(&code, &partner_name, yes).await;
                        node.confirm_pairing(ok);
                    }
                    Some(Event::Paired { partner_name }) => {
                        tracing::info!("paired (host)");
                        say!("{}", tr!(tr, "cli-paired", name = partner_name));
                        break Ok(());
                    }
                    Some(Event::PairFailed { reason }) => break Err(anyhow::anyhow!(tr!(tr, "cli-pairing-failed", reason = tr.id_or_text(&reason)))),
                    Some(_) => {}
                    None => break Err(anyhow::anyhow!(tr!(tr, "cli-node-stopped"))),
                },
                _ = &mut expires => break Err(anyhow::anyhow!(tr!(tr, "cli-invite-expired"))),
            }
        };
        if let Err(e) = &result {
            tracing::info!(error = %format!("{e:#}"), "invite ended");
        }
        node.shutdown().await;
        result
    })
}

pub fn join(
    dir: &DataDir,
    ticket: &str,
    name: Option<&str>,
    yes: bool,
    rejoin: bool,
    net: &NetOpts,
) -> Result<()> {
    crate::logging::init(Some(dir.root()));
    tracing::info!(
        command = if rejoin { "rejoin" } else { "join" },
        "cocoach {}",
        env!("CARGO_PKG_VERSION")
    );
    let tr = crate::term::tr();
    // `-`: the first line of standard input. A command line shows in `ps` and in
    // the shell's history; standard input does not.
    let text = if ticket == "-" {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .with_context(|| tr!(tr, "cli-join-stdin"))?;
        line
    } else {
        ticket.to_string()
    };
    let ticket = Ticket::decode(text.trim())?;
    if ticket.rejoin != rejoin {
        bail!(if rejoin {
            tr!(tr, "cli-rejoin-not-a-rejoin-invite")
        } else {
            tr!(tr, "cli-join-rejoin-invite")
        });
    }
    let mut device = DeviceStore::open_or_create(dir)?;
    let name = match name {
        Some(n) => n.trim().to_string(),
        None => device.name()?,
    };
    if name.is_empty() && !rejoin {
        bail!(tr!(tr, "cli-join-name"));
    }
    if !name.is_empty() {
        device.set_name(&name)?;
    }
    drop(device);
    runtime()?.block_on(async {
        let mut node = Node::start(config(dir, net)).await?;
        let mut events = node
            .take_events()
            .with_context(|| tr!(tr, "cli-no-event-stream"))?;
        let (tx, rx) = oneshot::channel();
        let mut tx = Some(tx);
        let result = {
            let joining: std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send + '_>> =
                if rejoin {
                    Box::pin(node.rejoin(ticket, rx))
                } else {
                    Box::pin(node.join(ticket, &name, rx))
                };
            tokio::pin!(joining);
            loop {
                tokio::select! {
                    r = &mut joining => break r,
                    Some(ev) = events.recv() => {
                        if let Event::PairCode { code, .. } = ev {
                            let ok = ask_codes(&code, "", yes).await;
                            if let Some(tx) = tx.take()
                                && tx.send(ok).is_err()
                            {
                                tracing::debug!("the join ended before the codes were compared");
                            }
                        }
                    }
                }
            }
        };
        let outcome = match result {
            Ok(host) => {
                tracing::info!("paired (guest)");
                say!("{}", tr!(tr, "cli-paired", name = host));
                Ok(())
            }
            Err(e) if rejoin => Err(anyhow::Error::from(e).context(tr!(tr, "cli-rejoin-failed"))),
            Err(e) => Err(anyhow::Error::from(e).context(tr!(tr, "cli-join-failed"))),
        };
        node.shutdown().await;
        outcome
    })
}

pub fn sync(dir: &DataDir, once: bool, timeout: u64, net: &NetOpts) -> Result<()> {
    crate::logging::init(Some(dir.root()));
    tracing::info!(
        command = "sync",
        once,
        timeout_s = timeout,
        "cocoach {}",
        env!("CARGO_PKG_VERSION")
    );
    let started = Instant::now();
    let tr = crate::term::tr();
    runtime()?.block_on(async {
        let mut node = Node::start(config(dir, net)).await?;
        let mut events = node
            .take_events()
            .with_context(|| tr!(tr, "cli-no-event-stream"))?;
        // Close the endpoint before saying why not (dropped open, iroh logs an error).
        if !node.has_partnership() {
            node.shutdown().await;
            bail!(tr!(tr, "cli-sync-no-partnership"));
        }
        if node.needs_rejoin() {
            node.shutdown().await;
            bail!(tr!(tr, "cli-status-rejoin"));
        }
        node.connect_partner()?;
        if once {
            esay!("{}", tr!(tr, "cli-syncing-once"));
        } else {
            esay!("{}", tr!(tr, "cli-syncing"));
        }
        let deadline = tokio::time::sleep(Duration::from_secs(timeout));
        tokio::pin!(deadline);
        let mut connected = false;
        let mut last_problem = tr!(tr, "cli-no-answer-yet");
        let result = loop {
            tokio::select! {
                ev = events.recv() => match ev {
                    Some(Event::Connected) => { connected = true; esay!("{}", tr!(tr, "cli-connected")); }
                    Some(Event::Disconnected { reason }) => { connected = false; esay!("{}", tr!(tr, "cli-disconnected", reason = reason.as_str())); last_problem = reason; }
                    Some(Event::DocChanged) => esay!("{}", tr!(tr, "cli-received")),
                    Some(Event::Status(s)) => {
                        if once && s.in_sync {
                            tracing::info!(ms = started.elapsed().as_millis(), "in sync");
                            say!("{}", tr!(tr, "cli-in-sync"));
                            break Ok(());
                        }
                    }
                    Some(Event::Unreachable { reason, retry_in }) => {
                        esay!("{}", tr!(tr, "cli-unreachable", reason = reason.as_str(), secs = format!("{:.1}", retry_in.as_secs_f32())));
                        last_problem = reason;
                    }
                    Some(Event::Refused { alpn }) => esay!("{}", tr!(tr, "cli-refused", alpn = alpn.to_string())),
                    Some(Event::Error(e)) => esay!("{}", tr!(tr, "cli-error", error = e.to_string())),
                    Some(Event::Tampered { what }) => esay!("{}", tr!(tr, "cli-tampered", what = tr.t(&what))),
                    Some(_) => {}
                    None => break Err(anyhow::anyhow!(tr!(tr, "cli-node-stopped"))),
                },
                _ = &mut deadline, if once => {
                    break Err(if connected {
                        anyhow::anyhow!(tr!(tr, "cli-sync-not-in-sync", secs = timeout))
                    } else {
                        anyhow::anyhow!(tr!(tr, "cli-sync-unreachable", secs = timeout, reason = last_problem.as_str()))
                    });
                }
                _ = tokio::signal::ctrl_c() => break Ok(()),
            }
        };
        if let Err(e) = &result {
            tracing::info!(error = %format!("{e:#}"), "sync ended");
        }
        node.shutdown().await;
        result
    })
}
