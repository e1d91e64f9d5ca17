//! Logging: `tracing` events to stderr, and for the window, the demo and the
//! network commands also to a size-capped file in the data directory
//! (`logs/cocoach.log`, rotated to `cocoach.log.1`, never more than two files).
//!
//! Architecture invariant: logs hold message kinds, ids, sizes, counts and timings
//! only: never note, reflection, ticket or key text, nor names. Errors are logged
//! with their `Display` chain, which names files, rows, fields and ids only.
//!
//! Filters: `RUST_LOG` is honoured, with one twist so that asking for "everything"
//! cannot pull a third-party crate's key material into a log: a bare level
//! (`RUST_LOG=trace`) applies to cocoach's own targets (`cocoach…`), while other
//! crates (iroh, noq…) stay at `warn` at most unless named (`RUST_LOG=iroh=debug`).
//! (iroh's `info` spans carry endpoint ids, i.e. public-key prefixes, into every line
//! logged inside them; at `warn` they are off.)
//! Defaults: stderr `warn` (so the CLI's output is unchanged), the file
//! `warn,cocoach=info`. `COCOACH_TRACE` (the older switch) adds
//! `cocoach::trace::net=trace`: every sync message's kind and size.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::{EnvFilter, fmt};

/// The log file's name inside `<data dir>/logs/`.
pub const FILE_NAME: &str = "cocoach.log";
/// A log file is rotated once it would grow past this.
pub const FILE_CAP: u64 = 5 * 1024 * 1024;

/// The prefix of every target of cocoach's own crates (`cocoach`, `cocoach_net::conn`,
/// `cocoach::trace::net`, …): `EnvFilter` matches targets by prefix.
const OURS: &str = "cocoach";
/// The per-message trace of sync connections (kinds, sizes, timings).
const NET_TRACE: &str = "cocoach::trace::net";

/// Which sink a filter is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Stderr,
    File,
}

/// Third-party crates log at most this much unless `RUST_LOG` names them.
const THIRD_PARTY_MAX: LevelFilter = LevelFilter::WARN;

/// The filter directives for `sink`, from `RUST_LOG` (if set) and `COCOACH_TRACE`.
fn directives(sink: Sink, rust_log: Option<&str>, cocoach_trace: bool) -> String {
    let mut base = LevelFilter::WARN;
    let mut ours = match sink {
        Sink::Stderr => None,
        Sink::File => Some(LevelFilter::INFO),
    };
    let mut extra: Vec<String> = Vec::new();
    for d in split_directives(rust_log.unwrap_or("")) {
        match d.parse::<LevelFilter>() {
            // A bare level: ours at that level, third parties at most `warn`.
            Ok(level) if !d.contains('=') => {
                base = level.min(THIRD_PARTY_MAX);
                ours = Some(level);
            }
            _ => {
                if d.split('=').next().map(str::trim) == Some(OURS) {
                    // The user set cocoach's own level explicitly: theirs wins.
                    ours = None;
                }
                extra.push(d.to_string());
            }
        }
    }
    if cocoach_trace {
        extra.push(format!("{NET_TRACE}=trace"));
    }
    let mut out = vec![base.to_string().to_lowercase()];
    if let Some(l) = ours {
        out.push(format!("{OURS}={}", l.to_string().to_lowercase()));
    }
    out.extend(extra);
    out.join(",")
}

/// `RUST_LOG` split at the commas between directives (not those inside `[…]` or `{…}`).
fn split_directives(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            ',' if depth <= 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect()
}

fn filter(sink: Sink) -> EnvFilter {
    let rust_log = std::env::var("RUST_LOG").ok();
    let trace = std::env::var_os("COCOACH_TRACE").is_some();
    EnvFilter::builder().parse_lossy(directives(sink, rust_log.as_deref(), trace))
}

/// Start logging, once per process: to stderr, and when `data_dir` is given also to
/// `<data_dir>/logs/cocoach.log`. A log file that cannot be opened is reported on
/// stderr and skipped: logging never stops the app.
pub fn init(data_dir: Option<&Path>) {
    let stderr = fmt::layer()
        .with_writer(io::stderr)
        .with_filter(filter(Sink::Stderr));
    let file = data_dir.and_then(|root| {
        let path = root.join("logs").join(FILE_NAME);
        match RotatingFile::open(&path, FILE_CAP) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!(
                    "cocoach: cannot open the log file {}: {e} (continuing without it)",
                    path.display()
                );
                None
            }
        }
    });
    let file_layer = file.map(|f| fmt::layer().with_writer(f).with_filter(filter(Sink::File)));
    // A second call (there is none in the app) keeps the first subscriber.
    if tracing_subscriber::registry()
        .with(stderr)
        .with(file_layer)
        .try_init()
        .is_err()
    {
        tracing::debug!("logging was already set up");
    }
}

/// A log file that never grows past `cap` bytes: when a write would pass it, the
/// file becomes `<name>.1` (replacing the previous one) and a fresh file starts. At
/// most two files, `2 × cap` bytes in all. Created with mode 0600 in a 0700 folder.
#[derive(Debug)]
pub struct RotatingFile {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    path: PathBuf,
    file: Option<File>,
    len: u64,
    cap: u64,
}

fn open_log(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path)?;
    #[cfg(unix)]
    {
        // A file left by someone else with wider permissions is narrowed.
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(f)
}

impl RotatingFile {
    /// Open (or continue) the log at `path`, creating its folder (0700) if needed.
    pub fn open(path: &Path, cap: u64) -> io::Result<RotatingFile> {
        if let Some(dir) = path.parent() {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(dir)?;
        }
        let file = open_log(path)?;
        let len = file.metadata()?.len();
        Ok(RotatingFile {
            state: Mutex::new(State {
                path: path.to_path_buf(),
                file: Some(file),
                len,
                cap,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// `<name>` → `<name>.1`, and a fresh `<name>`. If the rename fails, the current
    /// file is emptied instead: the cap holds either way.
    fn rotate(&mut self) -> io::Result<()> {
        // Close first: Windows cannot rename an open file.
        self.file = None;
        let mut old = self.path.clone().into_os_string();
        old.push(".1");
        let renamed = std::fs::rename(&self.path, PathBuf::from(old));
        let file = open_log(&self.path)?;
        if renamed.is_err() {
            file.set_len(0)?;
        }
        self.file = Some(file);
        self.len = 0;
        Ok(())
    }

    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len() as u64;
        if self.len > 0 && self.len + n > self.cap {
            self.rotate()?;
        }
        let file = match self.file.as_mut() {
            Some(f) => f,
            None => self.file.insert(open_log(&self.path)?),
        };
        // One event is one write (the formatter hands over whole lines).
        file.write_all(buf)?;
        self.len += n;
        Ok(buf.len())
    }
}

/// One event's access to the file.
#[derive(Debug)]
pub struct RotatingWriter<'a>(MutexGuard<'a, State>);

impl Write for RotatingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.0.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl<'a> MakeWriter<'a> for RotatingFile {
    type Writer = RotatingWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        RotatingWriter(self.lock())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_bare_level_is_ours_and_third_parties_stay_at_warn() {
        assert_eq!(directives(Sink::Stderr, None, false), "warn");
        assert_eq!(directives(Sink::File, None, false), "warn,cocoach=info");
        assert_eq!(
            directives(Sink::File, Some("trace"), false),
            "warn,cocoach=trace"
        );
        assert_eq!(
            directives(Sink::Stderr, Some("debug"), false),
            "warn,cocoach=debug"
        );
        assert_eq!(
            directives(Sink::Stderr, Some("error"), false),
            "error,cocoach=error"
        );
        // Named targets are taken as asked, on top of the defaults.
        assert_eq!(
            directives(Sink::File, Some("iroh=debug,cocoach::simnet=trace"), false),
            "warn,cocoach=info,iroh=debug,cocoach::simnet=trace"
        );
        assert_eq!(
            directives(Sink::File, Some("cocoach=debug"), false),
            "warn,cocoach=debug"
        );
        assert_eq!(
            directives(Sink::Stderr, None, true),
            "warn,cocoach::trace::net=trace"
        );
        assert_eq!(
            split_directives("a[s{x=1,y=2}]=debug, b=info,,"),
            vec!["a[s{x=1,y=2}]=debug", "b=info"]
        );
    }

    fn line(i: usize) -> String {
        format!("event {i:04} kind=sync bytes=123\n")
    }

    #[test]
    fn the_log_never_grows_past_two_files_of_the_cap() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("logs").join(FILE_NAME);
        let cap = 1000;
        let log = RotatingFile::open(&path, cap).unwrap();
        let n = 500; // ~17 KB written: many rotations
        for i in 0..n {
            log.make_writer().write_all(line(i).as_bytes()).unwrap();
        }
        let cur = std::fs::read_to_string(&path).unwrap();
        let old = std::fs::read_to_string(t.path().join("logs/cocoach.log.1")).unwrap();
        assert!(cur.len() as u64 <= cap, "{}", cur.len());
        assert!(old.len() as u64 <= cap, "{}", old.len());
        assert!(
            old.len() as u64 > cap - 40,
            "the old file was full: {}",
            old.len()
        );
        let files: Vec<_> = std::fs::read_dir(t.path().join("logs")).unwrap().collect();
        assert_eq!(files.len(), 2, "at most two files");
        // The newest event is in the current file, just after the old file's last.
        assert!(cur.ends_with(&line(n - 1)), "{cur}");
        let first_cur = cur.lines().next().unwrap();
        let last_old = old.lines().last().unwrap();
        let num = |l: &str| l[6..10].parse::<usize>().unwrap();
        assert_eq!(num(first_cur), num(last_old) + 1);
        // Lines are never split across files.
        assert!(
            cur.lines()
                .chain(old.lines())
                .all(|l| l.len() == line(0).len() - 1)
        );
    }

    #[test]
    fn a_reopened_log_continues_and_respects_the_cap() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join(FILE_NAME);
        std::fs::write(&path, "x".repeat(990)).unwrap();
        let log = RotatingFile::open(&path, 1000).unwrap();
        log.make_writer().write_all(line(1).as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), line(1));
        assert_eq!(
            std::fs::read_to_string(t.path().join("cocoach.log.1"))
                .unwrap()
                .len(),
            990
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_log_and_its_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("logs").join(FILE_NAME);
        let log = RotatingFile::open(&path, 100).unwrap();
        for i in 0..10 {
            log.make_writer().write_all(line(i).as_bytes()).unwrap();
        }
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&t.path().join("logs/cocoach.log.1")), 0o600);
        assert_eq!(mode(&t.path().join("logs")), 0o700);
    }
}
