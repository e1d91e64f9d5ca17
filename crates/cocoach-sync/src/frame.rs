//! Length-prefixed framing: `[u32 big-endian length][payload]`. A frame longer than
//! the limit is a protocol error reported from its 4-byte header, before anything is
//! allocated for it.

use crate::SyncError;

/// The largest frame we accept: a whole-document sync message of a long partnership
/// is a few MB; 64 MiB leaves room without letting a peer make us allocate gigabytes.
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

/// Frame one payload.
pub fn encode_frame(payload: &[u8]) -> Result<Vec<u8>, SyncError> {
    if payload.len() > MAX_FRAME {
        return Err(SyncError::FrameTooLarge {
            len: payload.len(),
            max: MAX_FRAME,
        });
    }
    let len = u32::try_from(payload.len()).map_err(|_| SyncError::FrameTooLarge {
        len: payload.len(),
        max: MAX_FRAME,
    })?;
    let mut out = Vec::with_capacity(4 + payload.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    Ok(out)
}

/// Collects bytes as they arrive and yields whole frames.
#[derive(Debug)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    max: usize,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder::new(MAX_FRAME)
    }
}

impl FrameDecoder {
    pub fn new(max: usize) -> FrameDecoder {
        FrameDecoder {
            buf: Vec::new(),
            max,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The length announced by the next frame's header, checked against the limit.
    /// `Ok(None)` until the 4 header bytes are there.
    pub fn next_len(&self) -> Result<Option<usize>, SyncError> {
        let Some(header) = self.buf.get(..4) else {
            return Ok(None);
        };
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        if len > self.max {
            return Err(SyncError::FrameTooLarge { len, max: self.max });
        }
        Ok(Some(len))
    }

    /// The next whole frame, if one has arrived.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>, SyncError> {
        let Some(len) = self.next_len()? else {
            return Ok(None);
        };
        if self.buf.len() < 4 + len {
            return Ok(None);
        }
        let frame = self.buf[4..4 + len].to_vec();
        self.buf.drain(..4 + len);
        Ok(Some(frame))
    }

    /// Bytes received that do not yet form a whole frame.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_in_any_chunking() {
        let payloads: Vec<Vec<u8>> = vec![vec![], b"a".to_vec(), vec![7; 1000], b"last".to_vec()];
        let stream: Vec<u8> = payloads
            .iter()
            .flat_map(|p| encode_frame(p).unwrap())
            .collect();
        for chunk in [1, 2, 3, 5, 999, stream.len()] {
            let mut d = FrameDecoder::default();
            let mut got = Vec::new();
            for c in stream.chunks(chunk) {
                d.push(c);
                while let Some(f) = d.next_frame().unwrap() {
                    got.push(f);
                }
            }
            assert_eq!(got, payloads, "chunk size {chunk}");
            assert_eq!(d.pending(), 0);
        }
    }

    #[test]
    fn an_oversized_frame_is_refused_from_its_header() {
        let mut d = FrameDecoder::new(100);
        d.push(&1000u32.to_be_bytes());
        assert!(matches!(
            d.next_frame(),
            Err(SyncError::FrameTooLarge {
                len: 1000,
                max: 100
            })
        ));
        let mut d = FrameDecoder::default();
        d.push(&u32::MAX.to_be_bytes());
        assert!(d.next_frame().is_err());
    }
}
