//! `cocoach sync-file export|import`: carry changes to the partner by file when the
//! two devices have no network path (see `cocoach_sync::file` for the format and the
//! checks).

use std::path::Path;

use anyhow::{Context, Result, bail};
use cocoach_doc::DeviceIdentity;
use cocoach_i18n::{Tr, tr};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_sync::file::{self, FileError};

use crate::term::say;

/// A sync file larger than this is refused before it is read (a week of typing is
/// a few hundred KB; five years of a partnership a few tens of MB).
const MAX_FILE: u64 = 512 * 1024 * 1024;

/// Write the changes the partner has not acknowledged (per the stored sync state),
/// or all of them, to `path`.
pub fn export(dir: &DataDir, me: &DeviceIdentity, tr: &Tr, path: &Path, all: bool) -> Result<()> {
    let (store, mut doc, _) = PartnershipStore::open(dir, Some(me))?;
    let partner = store.pinned_partner(me.public())?;
    let since = match (all, partner) {
        (true, _) | (false, None) => Vec::new(),
        (false, Some(p)) => file::shared_heads(store.sync_state(&p)?.as_deref()),
    };
    let pid = doc.partnership_id().to_string();
    let out = file::export(&mut doc, &pid, &since)
        .map_err(|e| anyhow::anyhow!(cocoach_doc::error_text(&e)))?;
    cocoach_store::write_atomically(path, &out.bytes)
        .with_context(|| tr!(tr, "cli-cannot-write", path = path.display().to_string()))?;
    let path = path.display().to_string();
    if since.is_empty() {
        say!(
            "{}",
            tr!(tr, "syncfile-wrote-all", n = out.changes, path = path)
        );
    } else if out.changes == 0 {
        say!("{}", tr!(tr, "syncfile-wrote-nothing-new", path = path));
    } else {
        say!(
            "{}",
            tr!(tr, "syncfile-wrote", n = out.changes, path = path)
        );
    }
    Ok(())
}

/// Why a sync file was refused, in the user's words.
pub fn refusal(tr: &Tr, e: &FileError) -> String {
    match e {
        FileError::NotASyncFile => tr!(tr, "syncfile-not-a-file"),
        FileError::NewerVersion(v) => tr!(tr, "syncfile-newer", version = *v),
        FileError::Truncated { expected, found } => tr!(
            tr,
            "syncfile-truncated",
            found = *found,
            expected = *expected
        ),
        FileError::Damaged => tr!(tr, "syncfile-damaged"),
        FileError::WrongPartnership => tr!(tr, "syncfile-wrong-partnership"),
        FileError::Refused(e) => tr!(tr, "syncfile-refused", reason = cocoach_doc::error_text(e)),
    }
}

/// Check `path` and merge its changes, then save them like any change from the
/// partner.
pub fn import(dir: &DataDir, me: &DeviceIdentity, tr: &Tr, path: &Path) -> Result<()> {
    let shown = path.display().to_string();
    let len = std::fs::metadata(path)
        .with_context(|| tr!(tr, "syncfile-cannot-read", path = shown.as_str()))?
        .len();
    if len > MAX_FILE {
        bail!(tr!(tr, "syncfile-too-large", path = shown.as_str()));
    }
    let bytes = std::fs::read(path)
        .with_context(|| tr!(tr, "syncfile-cannot-read", path = shown.as_str()))?;
    let (mut store, mut doc, _) = PartnershipStore::open(dir, Some(me))?;
    let Some(partner) = store.pinned_partner(me.public())? else {
        bail!(tr!(tr, "syncfile-no-partner"));
    };
    let pid = doc.partnership_id().to_string();
    let result = file::import(&mut doc, &pid, &bytes);
    // What passed every check is kept even when a later message was refused (as on
    // the network): save it before reporting.
    let (saved, _) = store.save_then_compact(&mut doc)?;
    if let Ok(got) = &result
        && !got.their_heads.is_empty()
    {
        // Both now hold the partner's heads: the next export starts after them.
        let state = store.sync_state(&partner)?;
        let state = file::with_shared_heads(state.as_deref(), got.their_heads.clone());
        store.set_sync_state(&partner, &state)?;
    }
    match result {
        Ok(got) if got.new == 0 => {
            say!("{}", tr!(tr, "syncfile-nothing-new", path = shown.as_str()));
            Ok(())
        }
        Ok(got) => {
            say!(
                "{}",
                tr!(tr, "syncfile-imported", n = got.new, path = shown.as_str())
            );
            tracing::info!(new = got.new, saved = saved.changes, "sync file imported");
            Ok(())
        }
        Err(e) => {
            tracing::warn!(error = %cocoach_doc::error_text(&e), "sync file refused");
            bail!(refusal(tr, &e))
        }
    }
}
