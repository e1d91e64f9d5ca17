//! What each command does. Edits go: open store → typed edit on the document →
//! commit → save in one SQLite transaction → print.

use crate::term::{esay, say, say_raw};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use cocoach_doc::{ActionStatus, ContractField, Date, HalfText, PartnershipDoc, Slot, export};
use cocoach_i18n::{Tr, tr};
use cocoach_store::{
    DataDir, DeviceStore, DirLock, EditError, Journal, JournalLink, PartnershipStore,
};

use crate::cli::{
    ActionCmd, Cli, Command, ContractCmd, DeckCmd, ExportFormat, JournalCmd, NoteField, NotesCmd,
    SessionCmd, SyncFileCmd, Who,
};

pub fn default_data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("org", "cocoach", "cocoach")
        .map(|d| d.data_dir().to_path_buf())
        .with_context(|| tr!(crate::term::tr(), "cli-no-home"))
}

/// An open data directory: lock held, identity loaded.
struct Ctx {
    dir: DataDir,
    device: DeviceStore,
    _lock: DirLock,
}

impl Ctx {
    /// Open the data directory. Only `init` may create it: any other command on a
    /// directory that does not exist is a mistake (a typo in `--data-dir`, say).
    fn open(data_dir: Option<PathBuf>, create: bool) -> Result<Ctx> {
        let root = match data_dir {
            Some(d) => d,
            None => default_data_dir()?,
        };
        if !create && !root.exists() {
            bail!(tr!(
                crate::term::tr(),
                "cli-no-data",
                dir = root.display().to_string()
            ));
        }
        let dir = DataDir::new(root);
        let lock = dir.lock()?;
        let device = DeviceStore::open_or_create(&dir)?;
        Ok(Ctx {
            dir,
            device,
            _lock: lock,
        })
    }

    fn partnership(&self) -> Result<(PartnershipStore, PartnershipDoc)> {
        // Signs this device's changes; only signatures by the keys pinned here count,
        // as in the window.
        let (store, doc, _) = PartnershipStore::open(&self.dir, Some(self.device.identity()))?;
        Ok((store, doc))
    }

    /// Run one edit and save it durably, through the same write path as the window
    /// (`PartnershipStore::commit_edit`): a failed edit is rolled back, and a failed
    /// compaction after the save is a warning, never a failed edit (a retry would
    /// apply it twice).
    fn edit<T>(&self, f: impl FnOnce(&mut PartnershipDoc) -> Result<T>) -> Result<T> {
        let (mut store, mut doc) = self.partnership()?;
        let edited = store.commit_edit(&mut doc, f).map_err(|e| match e {
            EditError::Edit(e) => e,
            EditError::NotSaved(e) => {
                anyhow::Error::new(e).context(tr!(crate::term::tr(), "cli-not-saved"))
            }
        })?;
        if let Some(e) = edited.compaction_failed {
            esay!(
                "{}",
                tr!(
                    crate::term::tr(),
                    "cli-compaction-failed",
                    reason = cocoach_doc::error_text(&e)
                )
            );
        }
        Ok(edited.value)
    }

    fn my_slot(&self, doc: &PartnershipDoc) -> Result<Slot> {
        Ok(doc.my_slot()?)
    }
}

fn who(doc: &PartnershipDoc, w: Who) -> Result<Slot> {
    let me = doc.my_slot()?;
    Ok(match w {
        Who::Me => me,
        Who::Partner => me.other(),
    })
}

fn date_or_today(s: Option<&str>) -> Result<Date> {
    match s {
        Some(s) => Ok(s.parse()?),
        None => Ok(Date::today()),
    }
}

/// `demo` and `remind` open their own data directories and return before a context
/// is opened.
fn unreachable_demo() -> Result<()> {
    anyhow::bail!("internal: the demo runs before a data directory is opened")
}

pub fn run(cli: Cli) -> Result<()> {
    let Some(command) = cli.command else {
        let root = match cli.data_dir {
            Some(d) => d,
            None => default_data_dir()?,
        };
        return crate::gui::run(root);
    };
    if let Command::Demo {
        dir,
        reset,
        no_window,
    } = command
    {
        return crate::demo::run(dir, reset, !no_window);
    }
    // Opens the data directory itself: with the window open, it leaves the
    // reminding to the window instead of failing.
    if let Command::Remind { quiet_hours } = &command {
        return crate::remind::run(cli.data_dir, quiet_hours.as_deref());
    }
    // Backup needs no lock (it works while the window runs); restore takes it itself.
    if let Command::Backup { .. } | Command::Restore { .. } = &command {
        return crate::backup::run(cli.data_dir, command);
    }
    let tr = crate::term::tr();
    let creates = matches!(command, Command::Init { .. } | Command::Join { .. });
    let ctx = Ctx::open(cli.data_dir, creates)?;
    match command {
        Command::Demo { .. } | Command::Remind { .. } => unreachable_demo(),
        Command::Backup { .. } | Command::Restore { .. } => {
            bail!("internal: backup and restore run before a data directory is opened")
        }
        Command::Init { name } => init(&ctx, &tr, &name),
        Command::Invite { yes, rejoin, net } => crate::network::invite(&ctx.dir, yes, rejoin, &net),
        Command::Rejoin { ticket, yes, net } => {
            crate::network::join(&ctx.dir, &ticket, None, yes, true, &net)
        }
        Command::Join {
            ticket,
            name,
            yes,
            net,
        } => crate::network::join(&ctx.dir, &ticket, name.as_deref(), yes, false, &net),
        Command::Sync { once, timeout, net } => crate::network::sync(&ctx.dir, once, timeout, &net),
        Command::Status => status(&ctx, &tr),
        Command::SyncFile(SyncFileCmd::Export { file, all }) => {
            crate::syncfile::export(&ctx.dir, ctx.device.identity(), &tr, &file, all)
        }
        Command::SyncFile(SyncFileCmd::Import { file }) => {
            crate::syncfile::import(&ctx.dir, ctx.device.identity(), &tr, &file)
        }
        Command::Export { format, output } => {
            let (_, doc) = ctx.partnership()?;
            let text = match format {
                ExportFormat::Markdown => export::markdown_in(&tr, &doc.read()?),
                ExportFormat::Ics => return crate::calendar::export(&tr, &doc.read()?, output),
            };
            match output {
                Some(path) => std::fs::write(&path, text).with_context(|| {
                    tr!(tr, "cli-cannot-write", path = path.display().to_string())
                })?,
                None => say_raw!("{text}"),
            }
            Ok(())
        }
        Command::Contract(c) => contract(&ctx, &tr, c),
        Command::Session(c) => session(&ctx, &tr, c),
        Command::Notes(NotesCmd::Append(n)) => ctx.edit(|doc| {
            let session = doc.find_session(&n.session)?;
            let coachee = who(doc, n.coachee)?;
            let field = match n.field {
                NoteField::Options => {
                    doc.add_option(&session, coachee, &n.text)?;
                    return Ok(());
                }
                NoteField::Review => HalfText::Review,
                NoteField::Goal => HalfText::Goal,
                NoteField::Reality => HalfText::Reality,
                NoteField::Will => HalfText::Will,
                NoteField::Notes => HalfText::Notes,
            };
            doc.append_half_text(&session, coachee, field, &n.text)?;
            Ok(())
        }),
        Command::Action(c) => action(&ctx, &tr, c),
        Command::Deck(c) => deck(&ctx, &tr, c),
        Command::Reflect {
            text,
            session,
            action,
        } => {
            let link = match (session, action) {
                (Some(s), _) => {
                    let (_, doc) = ctx.partnership()?;
                    JournalLink::Session(doc.find_session(&s)?.to_string())
                }
                (None, Some(a)) => {
                    let (_, doc) = ctx.partnership()?;
                    JournalLink::Action(doc.find_action(&a)?.to_string())
                }
                (None, None) => JournalLink::None,
            };
            let mut j = Journal::open_or_create(&ctx.dir)?;
            let id = j.add(&text, &link)?;
            say!("{}", tr!(tr, "cli-reflection-saved", id = id.to_string()));
            Ok(())
        }
        Command::Journal(c) => {
            let j = Journal::open_or_create(&ctx.dir)?;
            let entries = match c {
                JournalCmd::List => j.list()?,
                JournalCmd::Search { query } => j.search(&query)?,
            };
            say!("{}", tr!(tr, "cli-journal-private"));
            for e in entries {
                let day = Date::from_days_since_epoch(e.created_at_ms.div_euclid(86_400_000))
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let link = match &e.link {
                    JournalLink::None => String::new(),
                    JournalLink::Session(s) => {
                        format!(" [{}]", tr!(tr, "cli-journal-session", id = s.as_str()))
                    }
                    JournalLink::Action(a) => {
                        format!(" [{}]", tr!(tr, "cli-journal-action", id = a.as_str()))
                    }
                };
                say!("#{} {day}{link}\n{}\n", e.id, e.text);
            }
            Ok(())
        }
        Command::History { limit, at } => history(&ctx, &tr, limit, at),
        Command::Conflicts => {
            let (_, doc) = ctx.partnership()?;
            let conflicts = doc.conflicts();
            if conflicts.is_empty() {
                say!("{}", tr!(tr, "cli-no-conflicts"));
            }
            for (i, c) in conflicts.iter().enumerate() {
                say!("{}. {}", i + 1, c.label());
                for (j, v) in c.values.iter().enumerate() {
                    say!("   {}) {v}", j + 1);
                }
            }
            Ok(())
        }
        Command::Resolve { number, choice } => ctx.edit(|doc| {
            let conflicts = doc.conflicts();
            let c = number
                .checked_sub(1)
                .and_then(|i| conflicts.get(i))
                .with_context(|| tr!(tr, "cli-no-such-conflict", number = number))?;
            let choice = choice
                .checked_sub(1)
                .with_context(|| tr!(tr, "cli-choices-from-one"))?;
            doc.resolve_conflict(c, choice)?;
            Ok(())
        }),
        Command::Compact => {
            let (mut store, mut doc) = ctx.partnership()?;
            let r = store.compact(&mut doc)?;
            say!(
                "{}",
                tr!(
                    tr,
                    "cli-compacted",
                    n = r.folded,
                    bytes = r.snapshot_bytes,
                    ms = r.millis
                )
            );
            Ok(())
        }
    }
}

fn init(ctx: &Ctx, tr: &Tr, name: &str) -> Result<()> {
    let me = ctx.device.identity().public();
    let mut doc = PartnershipDoc::create_in(name, ctx.device.identity(), tr.lang())?;
    // The name first: a crash between the two leaves a named device without a
    // partnership (`init` again), never a partnership whose device has no name
    // to give a partner (found by the crash-step test).
    let mut device = DeviceStore::open_or_create(&ctx.dir)?;
    device.set_name(name.trim())?;
    PartnershipStore::create(&ctx.dir, &mut doc)?;
    say!(
        "{}\n{}",
        tr!(
            tr,
            "cli-created",
            id = doc.partnership_id().to_string(),
            dir = ctx.dir.root().display().to_string()
        ),
        tr!(tr, "cli-device-key", key = me.to_string())
    );
    Ok(())
}

fn status(ctx: &Ctx, tr: &Tr) -> Result<()> {
    let (store, doc) = ctx.partnership()?;
    let p = doc.read()?;
    let me = ctx.device.identity().public();
    let mine = p.slot_of(&me);
    say!(
        "{}",
        tr!(tr, "cli-status-partnership", id = p.id.to_string())
    );
    for s in Slot::BOTH {
        let tag = if Some(s) == mine {
            format!(" {}", tr!(tr, "cli-status-you"))
        } else {
            String::new()
        };
        let key = p
            .partner(s)
            .key
            .map_or_else(|| tr!(tr, "cli-status-not-joined"), |k| k.short());
        say!(
            "  {}",
            tr!(
                tr,
                "cli-status-partner",
                slot = s.key().to_uppercase(),
                name = p.name(s),
                you = tag,
                key = key
            )
        );
    }
    if mine.is_none() {
        say!("{}", tr!(tr, "cli-status-rejoin"));
    }
    say!("{}", contract_line(tr, &p));
    let open = p
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .count();
    say!(
        "{}",
        tr!(
            tr,
            "cli-status-counts",
            sessions = p.sessions.len(),
            actions = p.actions.len(),
            open = open
        )
    );
    let conflicts = doc.conflicts().len();
    if conflicts > 0 {
        say!("{}", tr!(tr, "cli-status-conflicts", n = conflicts));
    }
    let mut doc = doc;
    for rec in store.partners()? {
        let seen = match rec.last_seen_ms {
            Some(ms) => tr!(
                tr,
                "cli-status-last-exchange",
                name = rec.name.as_str(),
                key = rec.key.short(),
                when = cocoach_doc::format_time(ms)
            ),
            None => tr!(
                tr,
                "cli-status-never-exchanged",
                name = rec.name.as_str(),
                key = rec.key.short()
            ),
        };
        say!("{seen}");
        if !rec.addresses.is_empty() {
            say!(
                "  {}",
                tr!(tr, "cli-status-addresses", list = rec.addresses.join(", "))
            );
        }
        // From the sync state of the last exchange: what the partner acknowledged.
        let unseen = store
            .sync_state(&rec.key)?
            .and_then(|b| cocoach_doc::automerge::sync::State::decode(&b).ok())
            .map(|st| doc.automerge_mut().get_changes(&st.shared_heads).len());
        match unseen {
            Some(0) => say!("  {}", tr!(tr, "cli-status-partner-has-all")),
            Some(n) => say!("  {}", tr!(tr, "cli-status-not-acknowledged", n = n)),
            None => say!("  {}", tr!(tr, "cli-status-not-synced")),
        }
    }
    say!(
        "{}",
        tr!(
            tr,
            "cli-status-stored",
            file = store.file().display().to_string(),
            n = store.change_rows()?
        )
    );
    Ok(())
}

fn agreement_text(tr: &Tr, p: &cocoach_doc::Partnership) -> String {
    p.agreement_text(tr, None).0
}

/// "contract: signed by both" — the first line of `status` and `contract show`.
fn contract_line(tr: &Tr, p: &cocoach_doc::Partnership) -> String {
    tr!(tr, "cli-status-contract", agreement = agreement_text(tr, p))
}

fn contract(ctx: &Ctx, tr: &Tr, c: ContractCmd) -> Result<()> {
    match c {
        ContractCmd::Show => {
            let (_, doc) = ctx.partnership()?;
            let p = doc.read()?;
            let k = &p.contract;
            say!("{}", contract_line(tr, &p));
            for s in Slot::BOTH {
                let st = p.signature_text(tr, s);
                say!("  {}: {st}", p.name(s));
            }
            say!(
                "frequency: {}",
                k.frequency.as_ref().map_or("", |f| f.as_str())
            );
            say!("place: {}", k.place);
            say!(
                "session_minutes: {}",
                k.session_minutes.map(|m| m.to_string()).unwrap_or_default()
            );
            say!(
                "term_start: {}",
                k.term.start.map(|d| d.to_string()).unwrap_or_default()
            );
            say!(
                "term_end: {}",
                k.term.end.map(|d| d.to_string()).unwrap_or_default()
            );
            say!(
                "term_sessions: {}",
                k.term.sessions.map(|m| m.to_string()).unwrap_or_default()
            );
            say!("coaches_first: {}", p.name(k.coaches_first));
            say!("turns: {}", k.turns.as_str());
            say!("question_style: {}", k.question_style);
            say!(
                "meeting_time: {}",
                k.meeting_time
                    .map_or_else(|| tr!(tr, "calendar-by-agreement"), |t| t.to_string())
            );
            say!("{}", tr!(tr, "cli-contract-ground-rules"));
            for (i, r) in k.ground_rules.iter().enumerate() {
                say!("  {}. {r}", i + 1);
            }
            for o in &k.off_limits {
                say!(
                    "{}",
                    tr!(
                        tr,
                        "cli-contract-off-limits",
                        name = p.name(o.by),
                        topic = o.topic.as_str()
                    )
                );
            }
            Ok(())
        }
        ContractCmd::Set { field, value } => {
            let Some(f) = ContractField::parse(&field) else {
                let names: Vec<_> = ContractField::ALL.iter().map(|f| f.key()).collect();
                bail!(tr!(
                    tr,
                    "cli-unknown-field",
                    field = format!("{field:?}"),
                    names = names.join(", ")
                ));
            };
            ctx.edit(|doc| Ok(doc.set_contract(f, &value)?))
        }
        ContractCmd::AddRule { rule } => ctx.edit(|doc| Ok(doc.add_ground_rule(&rule)?)),
        ContractCmd::RemoveRule { number } => ctx.edit(|doc| {
            let i = number
                .checked_sub(1)
                .with_context(|| tr!(tr, "cli-rules-from-one"))?;
            Ok(doc.remove_ground_rule(i)?)
        }),
        ContractCmd::OffLimits { topic } => ctx.edit(|doc| {
            let me = ctx.my_slot(doc)?;
            Ok(doc.add_off_limits(me, &topic)?)
        }),
        ContractCmd::Sign => {
            ctx.edit(|doc| Ok(doc.sign_contract(ctx.device.identity())?))?;
            let (_, doc) = ctx.partnership()?;
            say!(
                "{}",
                tr!(
                    tr,
                    "cli-status-contract",
                    agreement = agreement_text(tr, &doc.read()?)
                )
            );
            Ok(())
        }
    }
}

fn session(ctx: &Ctx, tr: &Tr, c: SessionCmd) -> Result<()> {
    match c {
        SessionCmd::New {
            date,
            coach_first,
            first_meeting,
        } => {
            let date = date_or_today(date.as_deref())?;
            let id = ctx.edit(|doc| {
                let id = if first_meeting {
                    doc.new_first_meeting(date)?
                } else {
                    doc.new_session(date)?
                };
                if let Some(w) = coach_first {
                    let coach = who(doc, w)?;
                    doc.set_session_coached_first(&id, coach)?;
                }
                Ok(id)
            })?;
            say!("{id}");
            Ok(())
        }
        SessionCmd::Next => {
            let (_, doc) = ctx.partnership()?;
            let p = doc.read()?;
            let today = Date::today();
            let line = p.next_meeting_text(tr, today);
            say!("{line}");
            let coach = p.next_coach_first(p.next_meeting(today).unwrap_or(today));
            say!("{}", tr!(tr, "cli-next-coach", name = p.name(coach)));
            Ok(())
        }
        SessionCmd::List => {
            let (_, doc) = ctx.partnership()?;
            let p = doc.read()?;
            for s in &p.sessions {
                let closed = if s.closed_at_ms.is_some() {
                    format!("  {}", tr!(tr, "cli-closed"))
                } else {
                    String::new()
                };
                say!(
                    "{}  {}  {}{closed}",
                    s.id,
                    s.date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| tr!(tr, "cli-undated")),
                    tr!(tr, "cli-coaches-first", name = p.name(s.coached_first))
                );
            }
            Ok(())
        }
        SessionCmd::Close { id, skip_reason } => ctx.edit(|doc| {
            let id = doc.find_session(&id)?;
            Ok(doc.close_session(&id, &skip_reason)?)
        }),
        SessionCmd::Decline { id, coachee } => ctx.edit(|doc| {
            let id = doc.find_session(&id)?;
            let coachee = who(doc, coachee)?;
            Ok(doc.mark_declined(&id, coachee)?)
        }),
    }
}

fn action(ctx: &Ctx, tr: &Tr, c: ActionCmd) -> Result<()> {
    match c {
        ActionCmd::Add {
            text,
            due,
            owner,
            session,
        } => {
            let due: Date = due.parse()?;
            let id = ctx.edit(|doc| {
                let owner = who(doc, owner)?;
                let session = session
                    .as_deref()
                    .map(|s| doc.find_session(s))
                    .transpose()?;
                Ok(doc.add_action(owner, &text, Some(due), session.as_ref())?)
            })?;
            say!("{id}");
            Ok(())
        }
        ActionCmd::Done { id, celebrate, on } => {
            let on = date_or_today(on.as_deref())?;
            ctx.edit(|doc| {
                let id = doc.find_action(&id)?;
                Ok(doc.mark_action_done(&id, on, &celebrate)?)
            })
        }
        ActionCmd::Drop { id } => ctx.edit(|doc| {
            let id = doc.find_action(&id)?;
            Ok(doc.set_action_status(&id, ActionStatus::Dropped)?)
        }),
        ActionCmd::Reopen { id } => ctx.edit(|doc| {
            let id = doc.find_action(&id)?;
            Ok(doc.set_action_status(&id, ActionStatus::Open)?)
        }),
        ActionCmd::Obstacle { id, obstacle } => ctx.edit(|doc| {
            let id = doc.find_action(&id)?;
            Ok(doc.add_obstacle(&id, &obstacle)?)
        }),
        ActionCmd::List => {
            let (_, doc) = ctx.partnership()?;
            let p = doc.read()?;
            let today = Date::today();
            for a in &p.actions {
                let due = a.deadline.map(|d| {
                    let late = a.status == ActionStatus::Open
                        && cocoach_doc::Due::of(Some(d), today).is_overdue();
                    let late = if late {
                        format!(" {}", tr!(tr, "cli-overdue"))
                    } else {
                        String::new()
                    };
                    format!(" {}{late}", tr!(tr, "cli-due", date = d.to_string()))
                });
                let status = match a.status {
                    ActionStatus::Open => tr!(tr, "cli-action-open"),
                    ActionStatus::Done => tr!(tr, "cli-action-done"),
                    ActionStatus::Dropped => tr!(tr, "cli-action-dropped"),
                };
                say!(
                    "{}  [{status}] {}: {}{}",
                    a.id,
                    p.name(a.owner),
                    a.what.replace('\n', " "),
                    due.unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}

fn history(ctx: &Ctx, tr: &Tr, limit: usize, at: Option<String>) -> Result<()> {
    let (_, mut doc) = ctx.partnership()?;
    let entries = doc.history();
    if let Some(prefix) = at {
        let hits: Vec<_> = entries
            .iter()
            .filter(|e| e.hash.to_string().starts_with(prefix.trim()))
            .collect();
        let [entry] = hits.as_slice() else {
            bail!(tr!(
                tr,
                "cli-ambiguous-hash",
                prefix = format!("{prefix:?}"),
                n = hits.len()
            ));
        };
        let p = doc.read_at(&[entry.hash])?;
        say_raw!("{}", export::markdown_in(tr, &p));
        return Ok(());
    }
    let p = doc.read()?;
    let skip = entries.len().saturating_sub(limit);
    for e in &entries[skip..] {
        let who = e
            .author
            .and_then(|k| p.slot_of_any(&k).map(|s| p.name(s)))
            .unwrap_or_else(|| tr!(tr, "cli-unknown-device"));
        let note = e
            .authorship
            .note()
            .map(|n| format!("  [{n}]"))
            .unwrap_or_default();
        say!(
            "{}  {}  {who}: {}{note}",
            &e.hash.to_string()[..12],
            cocoach_doc::format_time(e.time_ms),
            e.message
        );
    }
    Ok(())
}

fn deck(ctx: &Ctx, tr: &Tr, cmd: DeckCmd) -> Result<()> {
    match cmd {
        DeckCmd::List { stage } => {
            let (_, doc) = ctx.partnership()?;
            let p = doc.read()?;
            let stages = match stage {
                Some(s) => vec![s.stage()],
                None => cocoach_doc::Stage::ALL.to_vec(),
            };
            for (n, stage) in stages.into_iter().enumerate() {
                if n > 0 {
                    say!("");
                }
                say!("{}", stage.title(tr));
                for card in p.deck(tr, stage) {
                    match card.added {
                        None => say!("  {}", card.text),
                        Some((by, id)) => say!(
                            "  {}  ({}, {id})",
                            card.text,
                            tr!(tr, "session-deck-by", name = p.name(by))
                        ),
                    }
                }
            }
            Ok(())
        }
        DeckCmd::Add { stage, text } => {
            let id = ctx.edit(|doc| Ok(doc.add_question(stage.stage(), &text)?))?;
            say!("{id}");
            Ok(())
        }
        DeckCmd::Remove { id } => ctx.edit(|doc| {
            let p = doc.read()?;
            let found: Vec<_> = p
                .questions
                .iter()
                .filter(|q| q.id.as_str().starts_with(id.trim()))
                .map(|q| q.id.clone())
                .collect();
            match found.as_slice() {
                [one] => Ok(doc.remove_question(one)?),
                [] => bail!(tr!(tr, "cli-deck-not-found", id = id.as_str())),
                _ => bail!(tr!(tr, "cli-deck-ambiguous", id = id.as_str())),
            }
        }),
    }
}
