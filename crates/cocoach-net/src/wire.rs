//! `cocoach-sync` messages over one QUIC bidirectional stream.

use std::time::Duration;

use cocoach_sync::{FrameDecoder, Message, encode_frame};
use iroh::endpoint::{RecvStream, SendStream};

use crate::{NetError, RxMeter, WireTap, lock};

/// The per-message trace (kinds and sizes, never content): enable it with
/// `RUST_LOG=cocoach::trace::net=trace`.
pub(crate) const TRACE: &str = "cocoach::trace::net";

/// One framed, bidirectional message stream.
#[derive(Debug)]
pub struct Wire {
    send: SendStream,
    recv: RecvStream,
    decoder: FrameDecoder,
    tap: Option<WireTap>,
    received: Option<RxMeter>,
    /// Bytes read from the peer (for tests and statistics).
    pub bytes_in: u64,
    pub bytes_out: u64,
}

impl Wire {
    pub fn new(
        send: SendStream,
        recv: RecvStream,
        tap: Option<WireTap>,
        received: Option<RxMeter>,
    ) -> Wire {
        Wire {
            send,
            recv,
            decoder: FrameDecoder::default(),
            tap,
            received,
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    pub async fn send(&mut self, msg: &Message) -> Result<(), NetError> {
        let frame = encode_frame(&msg.encode()).map_err(NetError::Protocol)?;
        tracing::trace!(target: TRACE, kind = msg.kind(), bytes = frame.len(), "->");
        self.bytes_out += frame.len() as u64;
        if let Some(tap) = &self.tap {
            lock(tap).extend_from_slice(&frame);
        }
        self.send
            .write_all(&frame)
            .await
            .map_err(|e| NetError::Connection(e.into()))
    }

    pub async fn send_all(&mut self, msgs: &[Message]) -> Result<(), NetError> {
        for m in msgs {
            self.send(m).await?;
        }
        Ok(())
    }

    /// The next message, or `None` when the peer finished its stream.
    pub async fn recv(&mut self) -> Result<Option<Message>, NetError> {
        loop {
            // Tests: once the meter's stall point is reached, read and decode
            // nothing more (before the decoder, so a cancelled `recv` loses nothing).
            let mut limit = 64 * 1024;
            if let Some(m) = &self.received {
                m.hold().await;
                limit = limit.min(m.until_stall());
            }
            if let Some(frame) = self.decoder.next_frame().map_err(NetError::Protocol)? {
                let msg = Message::decode(&frame).map_err(NetError::Protocol)?;
                tracing::trace!(target: TRACE, kind = msg.kind(), bytes = frame.len() + 4, "<-");
                return Ok(Some(msg));
            }
            match self.recv.read_chunk(limit).await {
                Ok(Some(chunk)) => {
                    self.bytes_in += chunk.len() as u64;
                    if let Some(m) = &self.received {
                        m.add(chunk.len());
                    }
                    self.decoder.push(&chunk);
                }
                Ok(None) => return Ok(None),
                Err(e) => return Err(NetError::Connection(e.into())),
            }
        }
    }

    /// `recv` with a deadline.
    pub async fn recv_within(&mut self, limit: Duration) -> Result<Option<Message>, NetError> {
        tokio::time::timeout(limit, self.recv())
            .await
            .map_err(|_| NetError::Timeout("the other device stopped answering"))?
    }

    /// Say we are done sending.
    pub fn finish(&mut self) {
        if let Err(e) = self.send.finish() {
            tracing::debug!(error = %cocoach_doc::error_text(&e), "the stream was already closed");
        }
    }
}
