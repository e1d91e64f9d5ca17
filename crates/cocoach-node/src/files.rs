//! Files the window asks the node for: a sync file for the partner, written from the
//! live document, and one from the partner, merged into it with every check a
//! connection makes (see `cocoach_sync::file`).

use std::path::Path;

use cocoach_sync::file::{self, FileError};

use crate::{Node, NodeError, lock};

/// A sync file larger than this is refused before it is read.
const MAX_SYNC_FILE: u64 = 512 * 1024 * 1024;

/// What an export of a sync file wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncFileWritten {
    pub changes: usize,
    /// Everything (no sync state yet, or asked for), not only what is new.
    pub whole: bool,
}

impl Node {
    /// Write the changes the partner lacks (per the stored sync state; all of them
    /// with `all`) to `path`, whole or not at all.
    pub fn export_sync_file(&self, path: &Path, all: bool) -> Result<SyncFileWritten, NodeError> {
        // The partner first: `partner()` takes the store's lock itself (taking it
        // inside the hold below would wait on this thread forever).
        let partner = self.partner();
        let since = {
            let store = lock(&self.shared.store);
            let store = store.as_ref().ok_or(NodeError::NoPartnership)?;
            match (all, partner) {
                (false, Some(p)) => file::shared_heads(store.sync_state(&p)?.as_deref()),
                _ => Vec::new(),
            }
        };
        let out = {
            let mut doc = lock(&self.shared.doc);
            let pid = doc.partnership_id().to_string();
            file::export(&mut *doc, &pid, &since).map_err(NodeError::SyncFileWrite)?
        };
        cocoach_store::write_atomically(path, &out.bytes).map_err(|source| NodeError::File {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(SyncFileWritten {
            changes: out.changes,
            whole: since.is_empty(),
        })
    }

    /// Check the sync file at `path` and merge its changes (in steps, each under its
    /// own hold of the document's lock), save them and pass them on. Returns how many
    /// changes were new.
    pub fn import_sync_file(&self, path: &Path) -> Result<u64, NodeError> {
        let partner = self.partner().ok_or(NodeError::NoPartner)?;
        let file_err = |source| NodeError::File {
            path: path.to_path_buf(),
            source,
        };
        let len = std::fs::metadata(path).map_err(file_err)?.len();
        if len > MAX_SYNC_FILE {
            return Err(NodeError::SyncFile(FileError::Damaged));
        }
        let bytes = std::fs::read(path).map_err(file_err)?;
        let pid = lock(&self.shared.doc).partnership_id().to_string();
        let result = file::import(&*self.shared.doc, &pid, &bytes);
        // What passed every check stays (as on the network): save it either way.
        crate::save(&self.shared)?;
        let got = result.map_err(NodeError::SyncFile)?;
        if !got.their_heads.is_empty() {
            let mut store = lock(&self.shared.store);
            if let Some(store) = store.as_mut() {
                let state = store.sync_state(&partner)?;
                let state = file::with_shared_heads(state.as_deref(), got.their_heads);
                store.set_sync_state(&partner, &state)?;
            }
        }
        if got.new > 0 {
            self.shared.changes.send_modify(|v| *v += 1);
        }
        Ok(got.new)
    }
}
