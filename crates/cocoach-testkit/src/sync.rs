//! Run the Automerge sync protocol between two replicas in memory, as the network
//! layer will over QUIC, and capture every message byte that crosses.

use cocoach_doc::automerge::AutoCommit;
use cocoach_doc::automerge::sync::{self, SyncDoc};

#[derive(Debug, Default, Clone)]
pub struct SyncStats {
    pub messages: usize,
    pub bytes: usize,
    pub round_trips: usize,
}

/// Encode `m`, show it to `wire`, decode it and hand it to `to`: the path a message
/// takes over the network.
fn deliver(
    m: sync::Message,
    to: &mut AutoCommit,
    state: &mut sync::State,
    stats: &mut SyncStats,
    wire: &mut impl FnMut(&[u8]),
) -> Result<(), String> {
    let bytes = m.encode();
    wire(&bytes);
    stats.messages += 1;
    stats.bytes += bytes.len();
    let m = sync::Message::decode(&bytes).map_err(|e| e.to_string())?;
    to.sync()
        .receive_sync_message(state, m)
        .map_err(|e| e.to_string())
}

/// Exchange sync messages until neither side has anything to send. Every encoded
/// message is passed to `wire` before it is delivered.
pub fn sync_pair(
    a: &mut AutoCommit,
    b: &mut AutoCommit,
    sa: &mut sync::State,
    sb: &mut sync::State,
    mut wire: impl FnMut(&[u8]),
) -> Result<SyncStats, String> {
    let mut stats = SyncStats::default();
    for _ in 0..100 {
        let ma = a.sync().generate_sync_message(sa);
        let mb = b.sync().generate_sync_message(sb);
        if ma.is_none() && mb.is_none() {
            return Ok(stats);
        }
        stats.round_trips += 1;
        if let Some(m) = ma {
            deliver(m, b, sb, &mut stats, &mut wire)?;
        }
        if let Some(m) = mb {
            deliver(m, a, sa, &mut stats, &mut wire)?;
        }
    }
    Err("sync did not quiesce in 100 round trips".into())
}

/// Sync two replicas from fresh states.
pub fn sync_fresh(
    a: &mut AutoCommit,
    b: &mut AutoCommit,
    wire: impl FnMut(&[u8]),
) -> Result<SyncStats, String> {
    sync_pair(a, b, &mut sync::State::new(), &mut sync::State::new(), wire)
}
