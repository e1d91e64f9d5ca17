//! Messages exchanged between two cocoach devices, one per frame. The encoding is our
//! own, small and strict: a tag byte, then fixed-width integers and length-prefixed
//! bytes. Decoding never panics, never allocates more than the frame holds, and
//! refuses trailing bytes.

use automerge::ChangeHash;
use cocoach_doc::ChangeSignature;

use crate::SyncError;

/// Version of this protocol, carried in `Hello`. 2: every `Sync` and the `Welcome`
/// carry the signatures of the changes they hold.
pub const PROTOCOL_VERSION: u16 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    pub protocol: u16,
    pub partnership_id: String,
    pub heads: Vec<ChangeHash>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// First message on a sync connection: who we think we are syncing, and our heads.
    Hello(Hello),
    /// One Automerge sync protocol message. `seq` numbers the sender's `Sync` and
    /// `Idle` messages on this connection, so duplicates and stale reorders are dropped.
    /// `signatures`: one per change the message carries, by its author's device.
    Sync {
        seq: u64,
        data: Vec<u8>,
        signatures: Vec<ChangeSignature>,
    },
    /// "I have nothing more to send; these are my heads." Lets the peer notice a
    /// stalled exchange (a lost message) and restart it. `ack`: the sender has seen
    /// the same heads announced by the receiver, so both know they are in sync.
    Idle {
        seq: u64,
        heads: Vec<ChangeHash>,
        ack: bool,
    },
    Heartbeat {
        nonce: u64,
    },
    HeartbeatAck {
        nonce: u64,
    },
    /// Pairing, guest → host: proof that the guest holds the invite's secret.
    PairRequest {
        proof: [u8; 32],
        name: String,
    },
    /// Pairing, guest → host, right after the request: a commitment to the guest's
    /// nonce (see `pairing::nonce_commitment`).
    PairCommit {
        commit: [u8; 32],
    },
    /// Pairing, host → guest, once the request and commitment are in: the host's nonce.
    PairNonce {
        nonce: [u8; 32],
    },
    /// Pairing, guest → host: the nonce the guest committed to. Both now show the code.
    PairReveal {
        nonce: [u8; 32],
    },
    /// Pairing: this side's user confirmed that the verification codes match.
    PairConfirm,
    /// Pairing: refused (expired, used, wrong code, declined …), with a reason to show.
    PairReject {
        reason: String,
    },
    /// Pairing, host → guest: the host's name and the whole partnership document.
    Welcome {
        host_name: String,
        document: Vec<u8>,
        signatures: Vec<ChangeSignature>,
    },
    /// Re-pairing, guest → host, after the guest's user confirmed the code: the
    /// restored device's whole record (a backup restored without its device key),
    /// so that what it holds and the partner lacks is kept. Sent only to a host that
    /// opened a re-pairing invite; a host pairing a new partner refuses it.
    PairRecord {
        document: Vec<u8>,
        signatures: Vec<ChangeSignature>,
    },
    /// Closing the connection on purpose.
    Bye,
}

mod tag {
    pub const HELLO: u8 = 1;
    pub const SYNC: u8 = 2;
    pub const IDLE: u8 = 3;
    pub const HEARTBEAT: u8 = 4;
    pub const HEARTBEAT_ACK: u8 = 5;
    pub const PAIR_REQUEST: u8 = 10;
    pub const PAIR_CONFIRM: u8 = 11;
    pub const PAIR_REJECT: u8 = 12;
    pub const WELCOME: u8 = 13;
    pub const PAIR_COMMIT: u8 = 14;
    pub const PAIR_NONCE: u8 = 15;
    pub const PAIR_REVEAL: u8 = 16;
    pub const PAIR_RECORD: u8 = 17;
    pub const BYE: u8 = 20;
}

/// Limits on decoded fields (beyond the frame limit).
const MAX_STRING: usize = 4096;
const MAX_HEADS: usize = 1024;

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn heads(&mut self, heads: &[ChangeHash]) {
        self.u64(heads.len() as u64);
        for h in heads {
            self.0.extend_from_slice(&h.0);
        }
    }
}

struct Reader<'a>(&'a [u8]);

fn bad(what: &'static str) -> SyncError {
    SyncError::Decode(what)
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], SyncError> {
        if self.0.len() < n {
            return Err(bad("message ends early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, SyncError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, SyncError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u64(&mut self) -> Result<u64, SyncError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    fn len(&mut self, max: usize) -> Result<usize, SyncError> {
        let n = self.u64()?;
        let n = usize::try_from(n).map_err(|_| bad("length too large"))?;
        if n > max || n > self.0.len() {
            return Err(bad("length out of range"));
        }
        Ok(n)
    }
    fn bytes(&mut self) -> Result<Vec<u8>, SyncError> {
        let n = self.len(usize::MAX)?;
        Ok(self.take(n)?.to_vec())
    }
    fn signatures(&mut self) -> Result<Vec<ChangeSignature>, SyncError> {
        let n = self.len(usize::MAX)?;
        ChangeSignature::decode_list(self.take(n)?).ok_or(bad("malformed signature list"))
    }
    fn string(&mut self) -> Result<String, SyncError> {
        let n = self.len(MAX_STRING)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| bad("text is not UTF-8"))
    }
    fn arr32(&mut self) -> Result<[u8; 32], SyncError> {
        let mut a = [0u8; 32];
        a.copy_from_slice(self.take(32)?);
        Ok(a)
    }
    fn heads(&mut self) -> Result<Vec<ChangeHash>, SyncError> {
        let n = self.u64()?;
        let n = usize::try_from(n).map_err(|_| bad("too many heads"))?;
        if n > MAX_HEADS || n.saturating_mul(32) > self.0.len() {
            return Err(bad("too many heads"));
        }
        (0..n).map(|_| self.arr32().map(ChangeHash)).collect()
    }
    fn end(self) -> Result<(), SyncError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(bad("trailing bytes"))
        }
    }
}

impl Message {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        match self {
            Message::Hello(h) => {
                w.u8(tag::HELLO);
                w.u16(h.protocol);
                w.bytes(h.partnership_id.as_bytes());
                w.heads(&h.heads);
            }
            Message::Sync {
                seq,
                data,
                signatures,
            } => {
                w.u8(tag::SYNC);
                w.u64(*seq);
                w.bytes(data);
                w.bytes(&ChangeSignature::encode_list(signatures));
            }
            Message::Idle { seq, heads, ack } => {
                w.u8(tag::IDLE);
                w.u64(*seq);
                w.heads(heads);
                w.u8(u8::from(*ack));
            }
            Message::Heartbeat { nonce } => {
                w.u8(tag::HEARTBEAT);
                w.u64(*nonce);
            }
            Message::HeartbeatAck { nonce } => {
                w.u8(tag::HEARTBEAT_ACK);
                w.u64(*nonce);
            }
            Message::PairRequest { proof, name } => {
                w.u8(tag::PAIR_REQUEST);
                w.0.extend_from_slice(proof);
                w.bytes(name.as_bytes());
            }
            Message::PairCommit { commit } => {
                w.u8(tag::PAIR_COMMIT);
                w.0.extend_from_slice(commit);
            }
            Message::PairNonce { nonce } => {
                w.u8(tag::PAIR_NONCE);
                w.0.extend_from_slice(nonce);
            }
            Message::PairReveal { nonce } => {
                w.u8(tag::PAIR_REVEAL);
                w.0.extend_from_slice(nonce);
            }
            Message::PairConfirm => w.u8(tag::PAIR_CONFIRM),
            Message::PairReject { reason } => {
                w.u8(tag::PAIR_REJECT);
                w.bytes(reason.as_bytes());
            }
            Message::Welcome {
                host_name,
                document,
                signatures,
            } => {
                w.u8(tag::WELCOME);
                w.bytes(host_name.as_bytes());
                w.bytes(document);
                w.bytes(&ChangeSignature::encode_list(signatures));
            }
            Message::PairRecord {
                document,
                signatures,
            } => {
                w.u8(tag::PAIR_RECORD);
                w.bytes(document);
                w.bytes(&ChangeSignature::encode_list(signatures));
            }
            Message::Bye => w.u8(tag::BYE),
        }
        w.0
    }

    pub fn decode(b: &[u8]) -> Result<Message, SyncError> {
        let mut r = Reader(b);
        let m = match r.u8()? {
            tag::HELLO => Message::Hello(Hello {
                protocol: r.u16()?,
                partnership_id: r.string()?,
                heads: r.heads()?,
            }),
            tag::SYNC => Message::Sync {
                seq: r.u64()?,
                data: r.bytes()?,
                signatures: r.signatures()?,
            },
            tag::IDLE => Message::Idle {
                seq: r.u64()?,
                heads: r.heads()?,
                ack: match r.u8()? {
                    0 => false,
                    1 => true,
                    _ => return Err(bad("bad flag")),
                },
            },
            tag::HEARTBEAT => Message::Heartbeat { nonce: r.u64()? },
            tag::HEARTBEAT_ACK => Message::HeartbeatAck { nonce: r.u64()? },
            tag::PAIR_REQUEST => Message::PairRequest {
                proof: r.arr32()?,
                name: r.string()?,
            },
            tag::PAIR_COMMIT => Message::PairCommit { commit: r.arr32()? },
            tag::PAIR_NONCE => Message::PairNonce { nonce: r.arr32()? },
            tag::PAIR_REVEAL => Message::PairReveal { nonce: r.arr32()? },
            tag::PAIR_CONFIRM => Message::PairConfirm,
            tag::PAIR_REJECT => Message::PairReject {
                reason: r.string()?,
            },
            tag::WELCOME => Message::Welcome {
                host_name: r.string()?,
                document: r.bytes()?,
                signatures: r.signatures()?,
            },
            tag::PAIR_RECORD => Message::PairRecord {
                document: r.bytes()?,
                signatures: r.signatures()?,
            },
            tag::BYE => Message::Bye,
            t => return Err(SyncError::UnknownMessage(t)),
        };
        r.end()?;
        Ok(m)
    }

    /// A short name for logs (never content).
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Hello(_) => "hello",
            Message::Sync { .. } => "sync",
            Message::Idle { .. } => "idle",
            Message::Heartbeat { .. } => "heartbeat",
            Message::HeartbeatAck { .. } => "heartbeat-ack",
            Message::PairRequest { .. } => "pair-request",
            Message::PairCommit { .. } => "pair-commit",
            Message::PairNonce { .. } => "pair-nonce",
            Message::PairReveal { .. } => "pair-reveal",
            Message::PairConfirm => "pair-confirm",
            Message::PairReject { .. } => "pair-reject",
            Message::Welcome { .. } => "welcome",
            Message::PairRecord { .. } => "pair-record",
            Message::Bye => "bye",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Message> {
        vec![
            Message::Hello(Hello {
                protocol: 1,
                partnership_id: "abc".into(),
                heads: vec![ChangeHash([1; 32]), ChangeHash([2; 32])],
            }),
            Message::Sync {
                seq: 3,
                data: vec![0x42, 0, 1],
                signatures: vec![ChangeSignature {
                    hash: ChangeHash([3; 32]),
                    signer: cocoach_doc::DeviceKey([4; 32]),
                    kind: cocoach_doc::SignatureKind::Author,
                    signature: [5; 64],
                }],
            },
            Message::Idle {
                seq: 4,
                heads: vec![],
                ack: true,
            },
            Message::Heartbeat { nonce: 7 },
            Message::HeartbeatAck { nonce: u64::MAX },
            Message::PairRequest {
                proof: [9; 32],
                name: "Bo Chen".into(),
            },
            Message::PairCommit { commit: [7; 32] },
            Message::PairNonce { nonce: [8; 32] },
            Message::PairReveal { nonce: [9; 32] },
            Message::PairConfirm,
            Message::PairReject {
                reason: "expired".into(),
            },
            Message::Welcome {
                host_name: "Ana Müller".into(),
                document: vec![1, 2, 3],
                signatures: vec![],
            },
            Message::PairRecord {
                document: vec![4, 5, 6],
                signatures: vec![],
            },
            Message::Bye,
        ]
    }

    #[test]
    fn every_message_round_trips() {
        for m in samples() {
            assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        }
    }

    #[test]
    fn truncated_extended_or_garbled_messages_are_errors_not_panics() {
        for m in samples() {
            let b = m.encode();
            for cut in 0..b.len() {
                assert!(
                    Message::decode(&b[..cut]).is_err(),
                    "{} cut at {cut}",
                    m.kind()
                );
            }
            let mut longer = b.clone();
            longer.push(0);
            assert!(Message::decode(&longer).is_err());
        }
        // A huge announced length is refused, not allocated.
        let mut b = vec![tag::SYNC];
        b.extend_from_slice(&1u64.to_be_bytes());
        b.extend_from_slice(&u64::MAX.to_be_bytes());
        assert!(Message::decode(&b).is_err());
        let mut b = vec![tag::IDLE];
        b.extend_from_slice(&1u64.to_be_bytes());
        b.extend_from_slice(&(1u64 << 40).to_be_bytes());
        assert!(Message::decode(&b).is_err());
        assert!(Message::decode(&[255]).is_err());
    }

    /// Pseudo-random garbage never decodes to a panic: the seed the test always used,
    /// plus one fresh (printed; `SEED=…` replays one).
    #[test]
    fn garbage_never_panics() {
        cocoach_testkit::for_each_seed("message garbage", &[0x1234_5678], garbage);
    }

    fn garbage(seed: u64) {
        let mut x = seed.max(1); // xorshift never leaves 0
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| (x >> (i % 8 * 8)) as u8 ^ i as u8)
                .collect();
            let _ = Message::decode(&bytes);
        }
    }
}
