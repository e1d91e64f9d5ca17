//! A test-only SQLite VFS over the system's own (`unix`): it records every write,
//! truncate and sync of the files under one watched folder, builds the images a
//! power cut would leave at each sync point, and fails a chosen I/O call.
//!
//! Installed as SQLite's default VFS for the whole test process, so the stores
//! open their files through it unchanged: nothing in the product knows it exists.
//! Files outside the watched folder pass straight through (other tests in the
//! same process, and the images being checked).
//!
//! The model of a power cut (SQLite's own crash tests use the same): what a file
//! held at its last `xSync` is durable; every write or truncate since then may or
//! may not have reached the disk, in any order, and a write may be torn at
//! 512-byte sectors (each sector of it written or not; the rest of a sector is
//! kept — SQLite's "powersafe overwrite", which the unix VFS declares). Directory
//! entries are taken as they are: SQLite syncs the folder of a new journal or log
//! at its first sync, and our own create-then-link is checked on the real system
//! calls (`app/tests/dirsync.rs`). The `-shm` index is left out of every image:
//! after a power cut SQLite rebuilds it from the log.
//!
//! `unsafe` is allowed in this module alone: it is a C interface.
#![allow(unsafe_code)]

use std::collections::HashMap;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use rusqlite::ffi;

use crate::Rng;

const SECTOR: u64 = 512;

#[derive(Debug, Clone)]
enum Op {
    Write { off: u64, data: Vec<u8> },
    Truncate(u64),
}

#[derive(Debug, Default)]
struct Model {
    durable: Vec<u8>,
    pending: Vec<Op>,
}

/// Which later, unsynced writes an image keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// None: only what was synced.
    Synced,
    /// All of them (what a process crash leaves: the page cache survives).
    All,
    /// A random subset, some torn at sectors.
    Torn,
}

/// The files of the watched folder as a power cut at one sync point leaves them.
#[derive(Debug, Clone)]
pub struct Image {
    /// How many sync points came before this one (0-based).
    pub sync_point: u64,
    pub kept: Kept,
    /// Paths relative to the watched folder, with their bytes.
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

impl Image {
    /// Write the image into `dir` (which must exist).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for (rel, bytes) in &self.files {
            let p = dir.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(p, bytes)?;
        }
        Ok(())
    }
}

/// Which I/O call fails, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// The 1-based number of the call (reads, writes, truncates and syncs of
    /// watched files, counted together) that fails.
    pub at: u64,
    /// A write fails as "disk full" (`SQLITE_FULL`) instead of an I/O error.
    pub full: bool,
    /// Every call from `at` on fails, not only that one (a disk that stays full).
    pub persist: bool,
}

#[derive(Debug, Default)]
struct State {
    root: Option<PathBuf>,
    models: HashMap<u64, Model>,
    paths: HashMap<PathBuf, u64>,
    capture: bool,
    rng: Option<Rng>,
    syncs: u64,
    images: Vec<Image>,
    calls: u64,
    fault: Option<Fault>,
    failed: u64,
}

fn state() -> MutexGuard<'static, State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    STATE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The system's VFS we delegate to, and ours (addresses: raw pointers are not `Sync`).
static VFS: OnceLock<Result<(usize, usize), String>> = OnceLock::new();

fn inner_vfs() -> *mut ffi::sqlite3_vfs {
    match VFS.get() {
        Some(Ok((inner, _))) => *inner as *mut ffi::sqlite3_vfs,
        _ => std::ptr::null_mut(),
    }
}

/// Make this VFS SQLite's default for the process (once; later calls do nothing).
pub fn install() -> Result<(), String> {
    VFS.get_or_init(|| {
        // SAFETY: sqlite3_vfs_find initialises SQLite and returns a pointer that
        // lives as long as the process (the built-in VFS is never unregistered).
        let inner = unsafe { ffi::sqlite3_vfs_find(std::ptr::null()) };
        if inner.is_null() {
            return Err("SQLite has no default VFS".into());
        }
        // SAFETY: `inner` is a valid VFS; we copy it and replace what we wrap.
        let mut ours: ffi::sqlite3_vfs = unsafe { std::ptr::read(inner) };
        ours.zName = c"cocoach-test".as_ptr();
        ours.pNext = std::ptr::null_mut();
        ours.szOsFile = c_int::try_from(std::mem::size_of::<ShimFile>()).unwrap_or(c_int::MAX);
        ours.xOpen = Some(x_open);
        ours.xDelete = Some(x_delete);
        let ours = Box::into_raw(Box::new(ours));
        // SAFETY: `ours` is leaked, so it outlives every connection.
        let rc = unsafe { ffi::sqlite3_vfs_register(ours, 1) };
        if rc != ffi::SQLITE_OK {
            return Err(format!("sqlite3_vfs_register failed ({rc})"));
        }
        Ok((inner as usize, ours as usize))
    })
    .clone()
    .map(|_| ())
}

/// Watch the files under `root` from now on, forgetting everything watched before.
/// `seed` drives the torn images; `capture` builds images at each sync point.
pub fn watch(root: &Path, seed: u64, capture: bool) {
    let mut s = state();
    *s = State {
        root: Some(root.to_path_buf()),
        capture,
        rng: Some(Rng::new(seed)),
        ..State::default()
    };
}

/// Stop watching; what was recorded is dropped.
pub fn unwatch() {
    *state() = State::default();
}

/// The images built since the last call.
pub fn take_images() -> Vec<Image> {
    std::mem::take(&mut state().images)
}

/// How many sync points of watched files have passed.
pub fn sync_points() -> u64 {
    state().syncs
}

/// The image of the watched files as they are now, with every write kept (what
/// a clean stop leaves), for a last check.
pub fn image_now() -> Image {
    let mut s = state();
    let point = s.syncs;
    build(&mut s, point, Kept::All)
}

/// Fail an I/O call (see [`Fault`]), counting from 0 again; `None` stops failing
/// (and counting: [`calls`] keeps what it counted).
pub fn set_fault(fault: Option<Fault>) {
    let mut s = state();
    s.fault = fault;
    if fault.is_some() {
        s.calls = 0;
        s.failed = 0;
    }
}

/// How many watched I/O calls were made since the fault was set, and how many failed.
pub fn calls() -> (u64, u64) {
    let s = state();
    (s.calls, s.failed)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Read,
    Write,
    Truncate,
    Sync,
}

/// Count a call on a watched file; `Some(code)` if it must fail.
fn fail_this(call: Call) -> Option<c_int> {
    let mut s = state();
    let f = s.fault?;
    s.calls += 1;
    let hit = s.calls == f.at || (f.persist && s.calls > f.at);
    if !hit {
        return None;
    }
    s.failed += 1;
    Some(match call {
        Call::Read => ffi::SQLITE_IOERR_READ,
        Call::Write if f.full => ffi::SQLITE_FULL,
        Call::Write => ffi::SQLITE_IOERR_WRITE,
        Call::Truncate => ffi::SQLITE_IOERR_TRUNCATE,
        Call::Sync => ffi::SQLITE_IOERR_FSYNC,
    })
}

fn apply(bytes: &mut Vec<u8>, op: &Op) {
    match op {
        Op::Write { off, data } => {
            let off = usize::try_from(*off).unwrap_or(usize::MAX);
            let end = off.saturating_add(data.len());
            if bytes.len() < end {
                bytes.resize(end, 0);
            }
            bytes[off..end].copy_from_slice(data);
        }
        Op::Truncate(len) => bytes.truncate(usize::try_from(*len).unwrap_or(usize::MAX)),
    }
}

/// A write torn at sector boundaries: the pieces that reached the disk.
fn torn(rng: &mut Rng, off: u64, data: &[u8]) -> Vec<Op> {
    let mut out = Vec::new();
    let end = off + data.len() as u64;
    let mut at = off;
    while at < end {
        let next = ((at / SECTOR) + 1) * SECTOR;
        let piece_end = next.min(end);
        if rng.chance(60) {
            let lo = usize::try_from(at - off).unwrap_or(0);
            let hi = usize::try_from(piece_end - off).unwrap_or(0);
            out.push(Op::Write {
                off: at,
                data: data[lo..hi].to_vec(),
            });
        }
        at = piece_end;
    }
    out
}

fn build(s: &mut State, point: u64, kept: Kept) -> Image {
    let Some(root) = s.root.clone() else {
        return Image {
            sync_point: point,
            kept,
            files: Vec::new(),
        };
    };
    let mut rng = s.rng.take().unwrap_or_else(|| Rng::new(point));
    let mut files = Vec::new();
    let mut paths: Vec<(PathBuf, u64)> = s.paths.iter().map(|(p, i)| (p.clone(), *i)).collect();
    paths.sort();
    for (path, ino) in paths {
        if path.to_string_lossy().ends_with("-shm") {
            continue;
        }
        // Only files still there under this name (a deleted log is gone).
        let here = std::fs::symlink_metadata(&path).is_ok_and(|m| m.ino() == ino);
        let Some(model) = s.models.get(&ino) else {
            continue;
        };
        if !here {
            continue;
        }
        let mut bytes = model.durable.clone();
        for op in &model.pending {
            match kept {
                Kept::Synced => {}
                Kept::All => apply(&mut bytes, op),
                Kept::Torn => match op {
                    Op::Truncate(_) => {
                        if rng.chance(50) {
                            apply(&mut bytes, op);
                        }
                    }
                    Op::Write { off, data } => match rng.below(3) {
                        0 => {}
                        1 => apply(&mut bytes, op),
                        _ => {
                            for piece in torn(&mut rng, *off, data) {
                                apply(&mut bytes, &piece);
                            }
                        }
                    },
                },
            }
        }
        let rel = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
        files.push((rel, bytes));
    }
    s.rng = Some(rng);
    Image {
        sync_point: point,
        kept,
        files,
    }
}

#[repr(C)]
struct ShimFile {
    base: ffi::sqlite3_file,
    inner: *mut ffi::sqlite3_file,
    /// The watched file's inode, 0 when not watched.
    ino: u64,
}

/// Start watching the file SQLite just opened at `name`, if it is under the root.
fn watch_file(name: *const c_char) -> u64 {
    if name.is_null() {
        return 0;
    }
    // SAFETY: SQLite passes a NUL-terminated path.
    let path = PathBuf::from(
        unsafe { CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned(),
    );
    let mut s = state();
    let Some(root) = &s.root else { return 0 };
    if !path.starts_with(root) {
        return 0;
    }
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return 0;
    };
    let ino = meta.ino();
    // Known under this name or another (a hard link), unless every name it had is gone
    // (the inode was reused by a new file).
    let known = s.models.contains_key(&ino)
        && s.paths
            .iter()
            .any(|(p, i)| *i == ino && std::fs::symlink_metadata(p).is_ok_and(|m| m.ino() == ino));
    if !known {
        // Made or written outside SQLite (our create-then-link syncs it first): durable.
        let durable = std::fs::read(&path).unwrap_or_default();
        s.paths.retain(|_, i| *i != ino);
        s.models.insert(
            ino,
            Model {
                durable,
                pending: Vec::new(),
            },
        );
    }
    s.paths.insert(path, ino);
    ino
}

fn inner_of(file: *mut ffi::sqlite3_file) -> (*mut ffi::sqlite3_file, u64) {
    let shim = file.cast::<ShimFile>();
    // SAFETY: SQLite hands back the file our xOpen filled.
    unsafe { ((*shim).inner, (*shim).ino) }
}

/// The inner file's method table.
///
/// # Safety
/// `inner` must be a file the inner VFS opened.
unsafe fn methods(inner: *mut ffi::sqlite3_file) -> &'static ffi::sqlite3_io_methods {
    // SAFETY: the caller's promise; the unix VFS's tables are static.
    unsafe { &*(*inner).pMethods }
}

unsafe extern "C" fn x_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let inner_vfs = inner_vfs();
    if inner_vfs.is_null() {
        return ffi::SQLITE_ERROR;
    }
    let shim = file.cast::<ShimFile>();
    // SAFETY: `file` has room for a ShimFile (our szOsFile); the inner file gets
    // its own allocation of the inner VFS's size, zeroed as SQLite expects.
    unsafe {
        (*shim).base.pMethods = std::ptr::null();
        (*shim).inner = std::ptr::null_mut();
        (*shim).ino = 0;
        let size = u64::try_from((*inner_vfs).szOsFile).unwrap_or(0);
        let mem = ffi::sqlite3_malloc64(size).cast::<ffi::sqlite3_file>();
        if mem.is_null() {
            return ffi::SQLITE_NOMEM;
        }
        std::ptr::write_bytes(mem.cast::<u8>(), 0, usize::try_from(size).unwrap_or(0));
        let Some(open) = (*inner_vfs).xOpen else {
            ffi::sqlite3_free(mem.cast());
            return ffi::SQLITE_ERROR;
        };
        let rc = open(inner_vfs, name, mem, flags, out_flags);
        if rc != ffi::SQLITE_OK {
            if !(*mem).pMethods.is_null()
                && let Some(close) = methods(mem).xClose
            {
                close(mem);
            }
            ffi::sqlite3_free(mem.cast());
            return rc;
        }
        (*shim).inner = mem;
        (*shim).ino = watch_file(name);
        (*shim).base.pMethods = &IO_METHODS;
        rc
    }
}

unsafe extern "C" fn x_delete(
    _vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    sync_dir: c_int,
) -> c_int {
    let inner_vfs = inner_vfs();
    if inner_vfs.is_null() {
        return ffi::SQLITE_ERROR;
    }
    if !name.is_null() {
        // SAFETY: SQLite passes a NUL-terminated path.
        let path = PathBuf::from(
            unsafe { CStr::from_ptr(name) }
                .to_string_lossy()
                .into_owned(),
        );
        let mut s = state();
        if let Some(ino) = s.paths.remove(&path)
            && !s.paths.values().any(|i| *i == ino)
        {
            s.models.remove(&ino);
        }
    }
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        match (*inner_vfs).xDelete {
            Some(delete) => delete(inner_vfs, name, sync_dir),
            None => ffi::SQLITE_ERROR,
        }
    }
}

static IO_METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    // Version 2: shared memory for the write-ahead log, but no memory-mapped reads
    // (every read comes through xRead, where a fault can be injected).
    iVersion: 2,
    xClose: Some(f_close),
    xRead: Some(f_read),
    xWrite: Some(f_write),
    xTruncate: Some(f_truncate),
    xSync: Some(f_sync),
    xFileSize: Some(f_file_size),
    xLock: Some(f_lock),
    xUnlock: Some(f_unlock),
    xCheckReservedLock: Some(f_check_reserved_lock),
    xFileControl: Some(f_file_control),
    xSectorSize: Some(f_sector_size),
    xDeviceCharacteristics: Some(f_device_characteristics),
    xShmMap: Some(f_shm_map),
    xShmLock: Some(f_shm_lock),
    xShmBarrier: Some(f_shm_barrier),
    xShmUnmap: Some(f_shm_unmap),
    xFetch: None,
    xUnfetch: None,
};

unsafe extern "C" fn f_close(file: *mut ffi::sqlite3_file) -> c_int {
    let (inner, _) = inner_of(file);
    if inner.is_null() {
        return ffi::SQLITE_OK;
    }
    // SAFETY: closing the inner file once, then freeing its memory.
    unsafe {
        let rc = methods(inner).xClose.map_or(ffi::SQLITE_OK, |f| f(inner));
        ffi::sqlite3_free(inner.cast());
        (*file.cast::<ShimFile>()).inner = std::ptr::null_mut();
        rc
    }
}

unsafe extern "C" fn f_read(
    file: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amt: c_int,
    off: ffi::sqlite3_int64,
) -> c_int {
    let (inner, ino) = inner_of(file);
    if ino != 0
        && let Some(rc) = fail_this(Call::Read)
    {
        return rc;
    }
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xRead
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, buf, amt, off))
    }
}

unsafe extern "C" fn f_write(
    file: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amt: c_int,
    off: ffi::sqlite3_int64,
) -> c_int {
    let (inner, ino) = inner_of(file);
    if ino != 0
        && let Some(rc) = fail_this(Call::Write)
    {
        return rc;
    }
    // SAFETY: delegating with SQLite's own arguments.
    let rc = unsafe {
        methods(inner)
            .xWrite
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, buf, amt, off))
    };
    if rc == ffi::SQLITE_OK && ino != 0 {
        let len = usize::try_from(amt).unwrap_or(0);
        // SAFETY: SQLite's buffer holds `amt` bytes.
        let data = unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), len) }.to_vec();
        let mut s = state();
        if let Some(m) = s.models.get_mut(&ino) {
            m.pending.push(Op::Write {
                off: u64::try_from(off).unwrap_or(0),
                data,
            });
        }
    }
    rc
}

unsafe extern "C" fn f_truncate(file: *mut ffi::sqlite3_file, size: ffi::sqlite3_int64) -> c_int {
    let (inner, ino) = inner_of(file);
    if ino != 0
        && let Some(rc) = fail_this(Call::Truncate)
    {
        return rc;
    }
    // SAFETY: delegating with SQLite's own arguments.
    let rc = unsafe {
        methods(inner)
            .xTruncate
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, size))
    };
    if rc == ffi::SQLITE_OK && ino != 0 {
        let mut s = state();
        if let Some(m) = s.models.get_mut(&ino) {
            m.pending
                .push(Op::Truncate(u64::try_from(size).unwrap_or(0)));
        }
    }
    rc
}

unsafe extern "C" fn f_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    let (inner, ino) = inner_of(file);
    if ino != 0 {
        if let Some(rc) = fail_this(Call::Sync) {
            return rc;
        }
        // A power cut just before this sync: what every file holds on the disk.
        let mut s = state();
        if s.capture {
            let point = s.syncs;
            for kept in [Kept::Synced, Kept::All, Kept::Torn] {
                let image = build(&mut s, point, kept);
                s.images.push(image);
            }
        }
        s.syncs += 1;
    }
    // SAFETY: delegating with SQLite's own arguments.
    let rc = unsafe {
        methods(inner)
            .xSync
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, flags))
    };
    if rc == ffi::SQLITE_OK && ino != 0 {
        let mut s = state();
        if let Some(m) = s.models.get_mut(&ino) {
            let pending = std::mem::take(&mut m.pending);
            for op in &pending {
                apply(&mut m.durable, op);
            }
        }
    }
    rc
}

unsafe extern "C" fn f_file_size(
    file: *mut ffi::sqlite3_file,
    size: *mut ffi::sqlite3_int64,
) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xFileSize
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, size))
    }
}

unsafe extern "C" fn f_lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xLock
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, level))
    }
}

unsafe extern "C" fn f_unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xUnlock
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, level))
    }
}

unsafe extern "C" fn f_check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xCheckReservedLock
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, out))
    }
}

unsafe extern "C" fn f_file_control(
    file: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xFileControl
            .map_or(ffi::SQLITE_NOTFOUND, |f| f(inner, op, arg))
    }
}

unsafe extern "C" fn f_sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe { methods(inner).xSectorSize.map_or(4096, |f| f(inner)) }
}

unsafe extern "C" fn f_device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xDeviceCharacteristics
            .map_or(0, |f| f(inner))
    }
}

unsafe extern "C" fn f_shm_map(
    file: *mut ffi::sqlite3_file,
    page: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xShmMap
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, page, size, extend, out))
    }
}

unsafe extern "C" fn f_shm_lock(
    file: *mut ffi::sqlite3_file,
    off: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xShmLock
            .map_or(ffi::SQLITE_IOERR, |f| f(inner, off, n, flags))
    }
}

unsafe extern "C" fn f_shm_barrier(file: *mut ffi::sqlite3_file) {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        if let Some(f) = methods(inner).xShmBarrier {
            f(inner);
        }
    }
}

unsafe extern "C" fn f_shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    let (inner, _) = inner_of(file);
    // SAFETY: delegating with SQLite's own arguments.
    unsafe {
        methods(inner)
            .xShmUnmap
            .map_or(ffi::SQLITE_OK, |f| f(inner, delete))
    }
}
