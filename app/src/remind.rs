//! Desktop reminders with no server: the rule is `cocoach_doc::remind`, what was
//! sent is remembered in the device file (`cocoach_store::Reminders`), and this
//! module sends them — from `cocoach remind` (cron, a systemd timer) and, every
//! minute, from the window while it runs.
//!
//! A reminder is never lost for want of a notification service (no desktop, no
//! D-Bus session, a server that does not answer): the command line prints it, and
//! the window shows it as its own notice. It still counts as sent.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use cocoach_doc::Partnership;
use cocoach_doc::Slot;
use cocoach_doc::remind::{LocalNow, QuietHours, due_now};
use cocoach_i18n::{Tr, tr};
use cocoach_node::View;
use cocoach_store::{DataDir, DeviceStore, PartnershipStore, Reminders, StoreError};
use cocoach_ui::CocoachUi;

use crate::term::say;

/// Where a reminder is shown.
pub trait Notifier: Send {
    /// Show one notification. An error means it was not shown (the caller shows
    /// the reminder some other way).
    fn notify(&self, title: &str, body: &str) -> Result<()>;
}

/// The desktop's notification service (freedesktop notifications over D-Bus on
/// Linux and the BSDs, through notify-rust's pure-Rust zbus; the system's own
/// elsewhere).
#[derive(Debug, Default, Clone, Copy)]
pub struct Desktop;

/// How long the notification service may take to answer; one that hangs must not
/// hang a cron job or the window's reminders.
const NOTIFY_LIMIT: Duration = Duration::from_secs(10);

impl Notifier for Desktop {
    fn notify(&self, title: &str, body: &str) -> Result<()> {
        // The texts hold what either partner wrote: nothing in them may steer the
        // notification server (control characters, bidirectional overrides).
        let title = crate::term::clean(title).into_owned();
        let body = crate::term::clean(body).into_owned();
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("cocoach-notify".into())
            .spawn(move || {
                let _ = tx.send(show(&title, &body));
            })
            .context("cannot start the notification thread")?;
        rx.recv_timeout(NOTIFY_LIMIT)
            .map_err(|_| anyhow!("the notification service did not answer"))?
    }
}

fn show(title: &str, body: &str) -> Result<()> {
    let body = if body_is_markup() {
        markup_escaped(body)
    } else {
        body.to_string()
    };
    notify_rust::Notification::new()
        .appname("cocoach")
        .summary(title)
        .body(&body)
        .show()
        .map(drop)
        .context("no notification service")
}

/// Whether the notification server reads the body as markup (most do), where a
/// `<` or `&` the partner wrote would be taken for a tag.
#[cfg(all(unix, not(target_os = "macos")))]
fn body_is_markup() -> bool {
    notify_rust::get_capabilities().is_ok_and(|c| c.iter().any(|c| c == "body-markup"))
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn body_is_markup() -> bool {
    false
}

fn markup_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One reminder that was due, as it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub key: String,
    pub title: String,
    pub body: String,
    /// The notifier showed it; if not, the caller shows [`Sent::fallback`].
    pub delivered: bool,
}

impl Sent {
    /// The reminder as one line, for the terminal or the window's notice.
    pub fn fallback(&self, tr: &Tr) -> String {
        tr!(
            tr,
            "remind-fallback",
            title = self.title.as_str(),
            body = self.body.as_str()
        )
    }
}

/// Send the reminders due at `now` through `notifier`, in `tr`'s language, and
/// remember each as sent (shown or not: the caller shows what was not).
pub fn send_due(
    p: &Partnership,
    me: Slot,
    now: LocalNow,
    store: &mut Reminders,
    notifier: &dyn Notifier,
    tr: &Tr,
) -> Result<Vec<Sent>> {
    let quiet = store.quiet_hours()?;
    let sent = store.sent_keys()?;
    let mut out = Vec::new();
    for r in due_now(p, me, now, &sent, quiet) {
        let (title, body) = (r.title(tr), r.body(tr));
        let delivered = match notifier.notify(&title, &body) {
            Ok(()) => true,
            Err(e) => {
                // The reason only (no service, no answer): never the reminder's text.
                tracing::info!(error = %format!("{e:#}"), "reminder not shown as a notification");
                false
            }
        };
        store.mark_sent(&r.key, cocoach_doc::now_ms())?;
        out.push(Sent {
            key: r.key,
            title,
            body,
            delivered,
        });
    }
    Ok(out)
}

/// `cocoach remind [--quiet-hours FROM-TO]`.
pub fn run(data_dir: Option<PathBuf>, quiet_hours: Option<&str>) -> Result<()> {
    let tr = crate::term::tr();
    // What only explains (nothing due, the window is open) is said on a terminal
    // only, so cron mails nothing; a reminder is always printed.
    let terminal = std::io::stdout().is_terminal();
    let root = match data_dir {
        Some(d) => d,
        None => crate::commands::default_data_dir()?,
    };
    if !root.exists() {
        bail!(tr!(tr, "cli-no-data", dir = root.display().to_string()));
    }
    let new_quiet = quiet_hours
        .map(|q| {
            q.parse::<QuietHours>()
                .map_err(|_| anyhow!(tr!(tr, "remind-quiet-invalid", value = q)))
        })
        .transpose()?;
    let dir = DataDir::new(root);
    let _lock = match dir.lock() {
        Ok(l) => l,
        // The window is open on it and reminds by itself; quiet hours can only be
        // set once it is closed.
        Err(StoreError::Locked(_)) if new_quiet.is_none() => {
            if terminal {
                say!("{}", tr!(tr, "remind-window-open"));
            }
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let device = DeviceStore::open_or_create(&dir)?;
    let mut store = Reminders::open(&dir)?;
    if let Some(q) = new_quiet {
        store.set_quiet_hours(q)?;
        if q.is_off() {
            say!("{}", tr!(tr, "remind-quiet-off"));
        } else {
            say!(
                "{}",
                tr!(
                    tr,
                    "remind-quiet-set",
                    from = q.from.to_string(),
                    to = q.to.to_string()
                )
            );
        }
    }
    let doc = match PartnershipStore::open(&dir, Some(device.identity())) {
        Ok((_, doc, _)) => doc,
        Err(StoreError::NoPartnership(_)) => {
            if terminal {
                say!("{}", tr!(tr, "remind-no-partnership"));
            }
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let p = doc.read()?;
    let me = doc.my_slot()?;
    let now = LocalNow::now();
    let sent = send_due(&p, me, now, &mut store, &Desktop, &tr)?;
    for s in sent.iter().filter(|s| !s.delivered) {
        say!("{}", s.fallback(&tr));
    }
    if sent.is_empty() && terminal {
        let quiet = store.quiet_hours()?;
        if quiet.contains(now.time) {
            say!("{}", tr!(tr, "remind-quiet-now", to = quiet.to.to_string()));
        } else {
            say!("{}", tr!(tr, "remind-none"));
        }
    }
    Ok(())
}

/// How often the window looks for reminders due.
pub const EVERY: Duration = Duration::from_secs(60);

/// One look for reminders due in one pane.
struct Job {
    pane: usize,
    view: Arc<View>,
    tr: Arc<Tr>,
}

/// The window's reminders: every minute, each pane's latest view goes to a worker
/// thread, which works out what is due, sends it through the notifier and
/// remembers it in that pane's device file; what could not be shown comes back as
/// a notice for the pane.
///
/// The window holds its data directory's lock, and its node holds a connection to
/// the device file. The worker opens only the device file (never the partnership,
/// never the lock, never creating a device: the view shows a partnership only once
/// the node has opened it), as a second SQLite connection in the same program,
/// which SQLite serialises with the node's; the partnership itself comes from the
/// view. It is a thread of its own because a notification may take seconds (a
/// D-Bus round trip, a slow server), and the window never waits.
pub struct Watcher {
    jobs: Option<mpsc::Sender<Job>>,
    notices: mpsc::Receiver<(usize, String)>,
    next: Option<Instant>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// Reminders for panes over `dirs` (one per pane, in order), shown through
    /// `notifier`; `wake` asks the window for a frame when a notice is waiting.
    pub fn start(
        dirs: Vec<DataDir>,
        notifier: Box<dyn Notifier>,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Watcher {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, notices) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("cocoach-reminders".into())
            .spawn(move || work(&dirs, &inbox, &outbox, notifier.as_ref(), wake.as_ref()));
        let jobs = match spawned {
            Ok(_) => Some(jobs),
            Err(e) => {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "cannot start the reminders thread: no reminders while the window is open");
                None
            }
        };
        Watcher {
            jobs,
            notices,
            next: None,
        }
    }

    /// Call once per frame: at most every [`EVERY`], hand each pane's latest view
    /// to the worker; and show what came back as notices.
    pub fn tick(&mut self, panes: &mut [CocoachUi], now: Instant) {
        while let Ok((pane, text)) = self.notices.try_recv() {
            if let Some(p) = panes.get_mut(pane) {
                p.notice(text, false);
            }
        }
        if self.next.is_some_and(|t| now < t) {
            return;
        }
        let Some(jobs) = &self.jobs else { return };
        let mut any = false;
        for (pane, p) in panes.iter().enumerate() {
            let Some(view) = p.view.clone() else { continue };
            if view.partnership.is_none() || view.my_slot.is_none() {
                continue;
            }
            any = true;
            let job = Job {
                pane,
                view,
                tr: p.tr.clone(),
            };
            if jobs.send(job).is_err() {
                self.jobs = None;
                return;
            }
        }
        // Before the first partnership shows, look again at the next frame.
        if any {
            self.next = Some(now + EVERY);
        }
    }
}

fn work(
    dirs: &[DataDir],
    inbox: &mpsc::Receiver<Job>,
    outbox: &mpsc::Sender<(usize, String)>,
    notifier: &dyn Notifier,
    wake: &(dyn Fn() + Send + Sync),
) {
    let mut stores: HashMap<usize, Reminders> = HashMap::new();
    while let Ok(job) = inbox.recv() {
        let (Some(p), Some(me)) = (job.view.partnership.as_ref(), job.view.my_slot) else {
            continue;
        };
        let Some(dir) = dirs.get(job.pane) else {
            continue;
        };
        let store = match stores.entry(job.pane) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => match Reminders::open(dir) {
                Ok(s) => e.insert(s),
                Err(err) => {
                    tracing::warn!(error = %cocoach_doc::error_text(&err), "cannot open the reminders of the device file");
                    continue;
                }
            },
        };
        match send_due(p, me, LocalNow::now(), store, notifier, &job.tr) {
            Ok(sent) => {
                for s in sent.iter().filter(|s| !s.delivered) {
                    if outbox.send((job.pane, s.fallback(&job.tr))).is_err() {
                        return;
                    }
                    wake();
                }
            }
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "reminders could not be sent"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use cocoach_doc::PartnershipDoc;
    use cocoach_i18n::Lang;
    use cocoach_node::{Command, Event, NodeLink, SendError};
    use std::sync::Mutex;

    /// A notifier that records what it shows, or refuses (no service).
    #[derive(Clone, Default)]
    struct FakeSink {
        shown: Arc<Mutex<Vec<(String, String)>>>,
        unavailable: bool,
    }

    impl Notifier for FakeSink {
        fn notify(&self, title: &str, body: &str) -> Result<()> {
            if self.unavailable {
                bail!("no notification service");
            }
            self.shown
                .lock()
                .unwrap()
                .push((title.to_string(), body.to_string()));
            Ok(())
        }
    }

    /// A data directory with a partnership: Ana's action due on 2026-12-03.
    fn setup() -> (tempfile::TempDir, DataDir, Partnership, Slot) {
        let t = tempfile::tempdir().unwrap();
        let dir = DataDir::new(t.path());
        let device = DeviceStore::open_or_create(&dir).unwrap();
        let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
        doc.add_action(
            Slot::A,
            "Email Jana",
            Some("2026-12-03".parse().unwrap()),
            None,
        )
        .unwrap();
        let p = doc.read().unwrap();
        let me = doc.my_slot().unwrap();
        (t, dir, p, me)
    }

    fn at(date: &str, time: &str) -> LocalNow {
        LocalNow {
            date: date.parse().unwrap(),
            time: time.parse().unwrap(),
        }
    }

    #[test]
    fn due_reminders_go_through_the_notifier_once_in_the_users_language() {
        let (_t, dir, p, me) = setup();
        let mut store = Reminders::open(&dir).unwrap();
        let sink = FakeSink::default();
        let nl = Tr::get(Lang::Nl);
        let sent = send_due(&p, me, at("2026-12-02", "10:00"), &mut store, &sink, &nl).unwrap();
        assert_eq!(sent.len(), 1);
        assert!(sent[0].delivered);
        assert_eq!(
            *sink.shown.lock().unwrap(),
            [(
                "Morgen is de deadline".to_string(),
                "Je actie ‘Email Jana’ moet morgen af zijn, 3 december 2026.".to_string()
            )]
        );
        // Later the same day, and after reopening the store: not again.
        let again = send_due(&p, me, at("2026-12-02", "10:01"), &mut store, &sink, &nl).unwrap();
        assert!(again.is_empty());
        drop(store);
        let mut store = Reminders::open(&dir).unwrap();
        let again = send_due(&p, me, at("2026-12-02", "17:00"), &mut store, &sink, &nl).unwrap();
        assert!(again.is_empty());
        assert_eq!(sink.shown.lock().unwrap().len(), 1);
    }

    #[test]
    fn without_a_notification_service_the_reminder_is_kept_for_the_caller_to_show() {
        let (_t, dir, p, me) = setup();
        let mut store = Reminders::open(&dir).unwrap();
        let sink = FakeSink {
            unavailable: true,
            ..FakeSink::default()
        };
        let en = Tr::get(Lang::En);
        let sent = send_due(&p, me, at("2026-12-02", "10:00"), &mut store, &sink, &en).unwrap();
        assert_eq!(sent.len(), 1);
        assert!(!sent[0].delivered);
        assert_eq!(
            sent[0].fallback(&en),
            "Reminder: Due tomorrow — Your action “Email Jana” is due tomorrow, 3 December 2026."
        );
        // Shown another way, so sent: not again.
        assert!(
            send_due(&p, me, at("2026-12-02", "11:00"), &mut store, &sink, &en)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn nothing_is_sent_or_remembered_in_quiet_hours() {
        let (_t, dir, p, me) = setup();
        let mut store = Reminders::open(&dir).unwrap();
        store
            .set_quiet_hours("09:00-11:00".parse().unwrap())
            .unwrap();
        let sink = FakeSink::default();
        let en = Tr::get(Lang::En);
        let sent = send_due(&p, me, at("2026-12-02", "10:00"), &mut store, &sink, &en).unwrap();
        assert!(sent.is_empty());
        assert!(store.sent_keys().unwrap().is_empty());
        let sent = send_due(&p, me, at("2026-12-02", "11:00"), &mut store, &sink, &en).unwrap();
        assert_eq!(sent.len(), 1);
    }

    #[test]
    fn markup_the_partner_wrote_is_shown_as_text() {
        assert_eq!(markup_escaped("<b>R&D</b>"), "&lt;b&gt;R&amp;D&lt;/b&gt;");
    }

    /// A node that only hands out the events it was given.
    struct Events(Vec<Event>);

    impl NodeLink for Events {
        fn send(&self, _cmd: Command) -> Result<(), SendError> {
            Ok(())
        }
        fn try_event(&mut self) -> Option<Event> {
            self.0.pop()
        }
    }

    /// The window's path: a pane's view goes to the worker, which sends through
    /// the notifier; with no notification service the reminder becomes the pane's
    /// notice, in the pane's language. Each once, and not again a minute later.
    #[test]
    fn the_window_turns_an_unshown_reminder_into_its_own_notice_once() {
        let t = tempfile::tempdir().unwrap();
        let dir = DataDir::new(t.path());
        let device = DeviceStore::open_or_create(&dir).unwrap();
        let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
        // Overdue today, wherever and whenever the test runs: due whatever the
        // date (quiet hours off, so whatever the time).
        let deadline = cocoach_doc::Date::today().add_days(-2).unwrap();
        doc.add_action(Slot::A, "Update CV", Some(deadline), None)
            .unwrap();
        let mut store = Reminders::open(&dir).unwrap();
        store.set_quiet_hours(QuietHours::OFF).unwrap();
        drop(store);
        let view = View {
            me: device.identity().public(),
            my_name: "Ana".into(),
            partnership: Some(doc.read().unwrap()),
            my_slot: Some(Slot::A),
            conflicts: Vec::new(),
            saved: true,
            not_saved: None,
            partner_last_seen_ms: None,
            applied: 0,
        };
        let mut pane = CocoachUi::new(Box::new(Events(vec![Event::View(Arc::new(view))])));
        pane.set_lang(Lang::En);
        let mut panes = vec![pane];
        let sink = FakeSink {
            unavailable: true,
            ..FakeSink::default()
        };
        let (woke_tx, woke) = mpsc::channel();
        let woke_tx = Mutex::new(woke_tx);
        let wake = Arc::new(move || {
            let _ = woke_tx.lock().unwrap().send(());
        });
        let mut w = Watcher::start(vec![dir.clone()], Box::new(sink), wake);
        let start = Instant::now();
        // No view yet: nothing to look at.
        w.tick(&mut panes, start);
        panes[0].logic();
        w.tick(&mut panes, start);
        woke.recv_timeout(Duration::from_secs(20)).expect("woken");
        w.tick(&mut panes, start);
        let notices: Vec<_> = panes[0].notices.iter().map(|n| n.text.clone()).collect();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            notices[0].starts_with("Reminder: Past its deadline"),
            "{notices:?}"
        );
        assert!(!panes[0].notices[0].error);
        // A minute later: remembered as sent, nothing new.
        panes[0].notices.clear();
        w.tick(&mut panes, start + EVERY);
        assert!(woke.recv_timeout(Duration::from_secs(2)).is_err());
        w.tick(&mut panes, start + EVERY);
        assert!(panes[0].notices.is_empty());
        let sent = Reminders::open(&dir).unwrap().sent_keys().unwrap();
        assert_eq!(sent.len(), 1);
        assert!(sent.iter().all(|k| k.starts_with("overdue:")));
    }
}
