//! Pairing two devices, sans IO: the invite ticket, the proof of its secret, the
//! 6-digit verification code both screens show, and the host's and guest's steps.
//!
//! 1. Host A makes a [`Ticket`]: its device key (= iroh EndpointId), current
//!    addresses, the partnership id, a one-time secret, an expiry (15 minutes).
//! 2. Guest B dials A on the pairing ALPN (TLS proves it reached A's key) and sends
//!    `PairRequest { proof, name }`, where `proof` = HMAC(secret, both keys).
//! 3. A checks the invite is unused, unexpired and the proof right, and burns it.
//!    Both compute the same [`verification_code`] from both keys and the secret.
//! 4. Each user compares the codes and confirms (`PairConfirm`) or declines
//!    (`PairReject`). When both confirmed, A adds B to the document and sends
//!    `Welcome { host_name, document }`.
//!
//! One file on purpose (~750 lines): the ticket, the proof and the two state
//! machines are one protocol and change together; the last third is its tests.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::LazyLock;

use cocoach_doc::DeviceKey;
use data_encoding::{Encoding, Specification};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::message::Message;

/// How long an invite stays valid.
pub const INVITE_LIFETIME_MS: i64 = 15 * 60 * 1000;

const TICKET_PREFIX: &str = "cocoach";
const TICKET_VERSION: u8 = 1;

/// Why pairing failed, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairError {
    #[error("this invite is not a cocoach invite, or it was copied incompletely or altered")]
    BadTicket,
    #[error("this invite has expired: ask your partner for a new one")]
    Expired,
    #[error("this invite was already used: ask your partner for a new one")]
    AlreadyUsed,
    #[error("this invite does not match: it was altered or is from another invite")]
    BadProof,
    #[error("pairing refused: {0}")]
    Refused(String),
    #[error("pairing protocol error: {0}")]
    Protocol(&'static str),
    /// The guest revealed a nonce other than the one it committed to: it tried to
    /// choose the code after seeing the host's nonce.
    #[error("the other device broke its pairing commitment: pairing refused")]
    BrokenCommitment,
    #[error("no randomness available from the operating system")]
    Random(#[source] getrandom::Error),
}

/// An invite: everything the guest needs to reach the host and prove it was invited.
#[derive(Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The host's device key (its iroh EndpointId).
    pub host: DeviceKey,
    pub partnership_id: [u8; 16],
    pub secret: [u8; 16],
    /// Unix time in milliseconds after which the invite is refused.
    pub expires_at_ms: i64,
    pub addrs: Vec<SocketAddr>,
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret and the text form never appear in logs.
        f.debug_struct("Ticket")
            .field("expires_at_ms", &self.expires_at_ms)
            .field("addrs", &self.addrs.len())
            .finish_non_exhaustive()
    }
}

impl Ticket {
    /// A new invite from `host` for `partnership_id`, valid for [`INVITE_LIFETIME_MS`].
    pub fn new(
        host: DeviceKey,
        partnership_id: [u8; 16],
        addrs: Vec<SocketAddr>,
        now_ms: i64,
    ) -> Result<Ticket, getrandom::Error> {
        let mut secret = [0u8; 16];
        getrandom::fill(&mut secret)?;
        Ok(Ticket {
            host,
            partnership_id,
            secret,
            expires_at_ms: now_ms + INVITE_LIFETIME_MS,
            addrs,
        })
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![TICKET_VERSION];
        b.extend_from_slice(&self.host.0);
        b.extend_from_slice(&self.partnership_id);
        b.extend_from_slice(&self.secret);
        b.extend_from_slice(&self.expires_at_ms.to_be_bytes());
        let addrs: Vec<&SocketAddr> = self.addrs.iter().take(8).collect();
        b.push(addrs.len() as u8);
        for a in addrs {
            match a.ip() {
                IpAddr::V4(ip) => {
                    b.push(4);
                    b.extend_from_slice(&ip.octets());
                }
                IpAddr::V6(ip) => {
                    b.push(6);
                    b.extend_from_slice(&ip.octets());
                }
            }
            b.extend_from_slice(&a.port().to_be_bytes());
        }
        let sum = Sha256::digest(&b);
        b.extend_from_slice(&sum[..4]);
        b
    }

    fn from_bytes(b: &[u8]) -> Option<Ticket> {
        if b.len() < 4 {
            return None;
        }
        let (body, sum) = b.split_at(b.len() - 4);
        if Sha256::digest(body)[..4] != *sum {
            return None;
        }
        let mut r = body;
        let mut take = |n: usize| -> Option<&[u8]> {
            if r.len() < n {
                return None;
            }
            let (h, t) = r.split_at(n);
            r = t;
            Some(h)
        };
        if take(1)?[0] != TICKET_VERSION {
            return None;
        }
        let host = DeviceKey(take(32)?.try_into().ok()?);
        let partnership_id: [u8; 16] = take(16)?.try_into().ok()?;
        let secret: [u8; 16] = take(16)?.try_into().ok()?;
        let expires_at_ms = i64::from_be_bytes(take(8)?.try_into().ok()?);
        let n = take(1)?[0];
        let mut addrs = Vec::new();
        for _ in 0..n {
            let ip = match take(1)?[0] {
                4 => IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(take(4)?).ok()?)),
                6 => IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(take(16)?).ok()?)),
                _ => return None,
            };
            let port = u16::from_be_bytes(take(2)?.try_into().ok()?);
            addrs.push(SocketAddr::new(ip, port));
        }
        if !r.is_empty() {
            return None;
        }
        Some(Ticket {
            host,
            partnership_id,
            secret,
            expires_at_ms,
            addrs,
        })
    }

    /// The text form: `cocoach` + base32 (lowercase). Also fits a QR code (upper-case it
    /// for alphanumeric mode; parsing ignores case).
    pub fn encode(&self) -> String {
        format!("{TICKET_PREFIX}{}", base32_encode(&self.to_bytes()))
    }

    /// Parse a ticket typed, pasted or scanned. Whitespace and case are ignored; any
    /// altered character is caught by the checksum.
    pub fn decode(text: &str) -> Result<Ticket, PairError> {
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let body = t.strip_prefix(TICKET_PREFIX).ok_or(PairError::BadTicket)?;
        let bytes = base32_decode(body).ok_or(PairError::BadTicket)?;
        Ticket::from_bytes(&bytes).ok_or(PairError::BadTicket)
    }

    pub fn is_expired(&self, now_ms: i64) -> bool {
        now_ms >= self.expires_at_ms
    }
}

/// The ticket's base32: RFC 4648's alphabet in lower case, no padding, and only the
/// canonical text for each byte string (the unused bits of the last character must
/// be zero), so no two texts decode to the same ticket.
static B32: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("abcdefghijklmnopqrstuvwxyz234567");
    spec.padding = None;
    spec.check_trailing_bits = true;
    #[allow(clippy::expect_used)] // a constant specification; every test builds it
    spec.encoding()
        .expect("the ticket's base32 specification is valid")
});

fn base32_encode(data: &[u8]) -> String {
    B32.encode(data)
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    B32.decode(s.as_bytes()).ok()
}

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 keyed with the invite's secret over `label`, then both keys.
fn keyed(secret: &[u8; 16], label: &[u8], host: &DeviceKey, guest: &DeviceKey) -> HmacSha256 {
    // HMAC pads a key shorter than the hash's block with zeros (RFC 2104), so the
    // block-sized key `new` takes, the secret followed by zeros, is the same key as
    // the secret itself, and `new` cannot fail (`new_from_slice` returns a Result).
    let mut key = hmac::digest::Key::<HmacSha256>::default();
    key[..secret.len()].copy_from_slice(secret);
    let mut mac = <HmacSha256 as KeyInit>::new(&key);
    mac.update(label);
    mac.update(&host.0);
    mac.update(&guest.0);
    mac
}

const PROOF_LABEL: &[u8] = b"cocoach-pair-proof-v1";
const CODE_LABEL: &[u8] = b"cocoach-verify-v2";
const COMMIT_LABEL: &[u8] = b"cocoach-pair-commit-v1";

/// A fresh 32-byte nonce for one pairing.
fn nonce() -> Result<[u8; 32], PairError> {
    let mut n = [0u8; 32];
    getrandom::fill(&mut n).map_err(PairError::Random)?;
    Ok(n)
}

/// The guest's commitment to its nonce, bound to both keys. The guest sends it
/// before it sees the host's nonce, and the code depends on both nonces, so no one
/// — not even someone who saw the invite — can search for a key or nonce that makes
/// the codes match: a man in the middle has one chance in a million per attempt,
/// and each attempt burns the invite.
pub fn nonce_commitment(host: &DeviceKey, guest: &DeviceKey, nonce: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update(COMMIT_LABEL)
        .chain_update(host.0)
        .chain_update(guest.0)
        .chain_update(nonce)
        .finalize()
        .into()
}

/// The guest's proof that it holds the invite's secret, bound to both keys.
pub fn pair_proof(secret: &[u8; 16], host: &DeviceKey, guest: &DeviceKey) -> [u8; 32] {
    keyed(secret, PROOF_LABEL, host, guest)
        .finalize()
        .into_bytes()
        .into()
}

/// Whether `proof` is [`pair_proof`] for these keys, compared in constant time.
fn proof_is_valid(secret: &[u8; 16], host: &DeviceKey, guest: &DeviceKey, proof: &[u8]) -> bool {
    keyed(secret, PROOF_LABEL, host, guest)
        .verify_slice(proof)
        .is_ok()
}

/// The code both screens show, e.g. "492 017": the same on both sides only if both
/// talk to each other with the invite's secret and the same two pairing nonces (the
/// host's, and the guest's it committed to first).
pub fn verification_code(
    secret: &[u8; 16],
    host: &DeviceKey,
    guest: &DeviceKey,
    host_nonce: &[u8; 32],
    guest_nonce: &[u8; 32],
) -> String {
    let mut mac = keyed(secret, CODE_LABEL, host, guest);
    mac.update(host_nonce);
    mac.update(guest_nonce);
    let h = mac.finalize().into_bytes();
    let n = u64::from_be_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]) % 1_000_000;
    format!("{:03} {:03}", n / 1000, n % 1000)
}

/// What the host should do next.
#[derive(Debug, PartialEq, Eq)]
pub enum HostStep {
    /// Show `code` next to the guest's name and ask the user to confirm.
    ShowCode { code: String, guest_name: String },
    /// Send these messages; nothing else to do yet.
    Send(Vec<Message>),
    /// Both confirmed: add `guest` to the document, then send `Welcome`.
    Accepted {
        guest: DeviceKey,
        guest_name: String,
    },
    /// Pairing failed; send `reply` (if any) and close.
    Failed {
        error: PairError,
        reply: Option<Message>,
    },
}

#[derive(Debug, PartialEq, Eq)]
enum HostState {
    WaitingRequest,
    /// The request proved the secret (the invite is burnt); the guest's commitment
    /// to its nonce comes next.
    WaitingCommit {
        guest: DeviceKey,
        guest_name: String,
    },
    /// Our nonce went out; the guest reveals the nonce it committed to.
    WaitingReveal {
        guest: DeviceKey,
        guest_name: String,
        commit: [u8; 32],
    },
    Verifying {
        guest: DeviceKey,
        guest_name: String,
        host_ok: bool,
        guest_ok: bool,
    },
    Done,
}

/// The inviting side. One host serves one invite; the invite is burnt by the first
/// request that proves its secret, whatever happens next.
#[derive(Debug)]
pub struct PairingHost {
    ticket: Ticket,
    /// Requests refused that were not the invited guest's pairing (wrong secret,
    /// another device while one is pairing).
    failed_attempts: u32,
    /// This pairing's host nonce, sent only after the guest committed to its own.
    nonce: [u8; 32],
    used: bool,
    state: HostState,
}

impl PairingHost {
    pub fn new(ticket: Ticket) -> Result<PairingHost, PairError> {
        Ok(PairingHost::with_nonce(ticket, nonce()?))
    }

    /// A host with a given nonce (tests).
    pub fn with_nonce(ticket: Ticket, nonce: [u8; 32]) -> PairingHost {
        PairingHost {
            ticket,
            failed_attempts: 0,
            nonce,
            used: false,
            state: HostState::WaitingRequest,
        }
    }

    pub fn ticket(&self) -> &Ticket {
        &self.ticket
    }

    /// The pairing this invite was for has ended (accepted, declined, or broken):
    /// the invite should close.
    pub fn is_over(&self) -> bool {
        self.state == HostState::Done
    }

    /// Whether `guest` is the device this invite's pairing is under way with.
    pub fn is_pairing_with(&self, guest: &DeviceKey) -> bool {
        match &self.state {
            HostState::WaitingCommit { guest: g, .. }
            | HostState::WaitingReveal { guest: g, .. }
            | HostState::Verifying { guest: g, .. } => g == guest,
            HostState::WaitingRequest | HostState::Done => false,
        }
    }

    /// Count one refused attempt that was not the pairing's own; returns the count.
    pub fn note_failed_attempt(&mut self) -> u32 {
        self.failed_attempts += 1;
        self.failed_attempts
    }

    /// A message from a guest whose key TLS authenticated as `guest`.
    pub fn receive(&mut self, guest: DeviceKey, msg: Message, now_ms: i64) -> HostStep {
        let fail = |error: PairError| HostStep::Failed {
            reply: Some(Message::PairReject {
                reason: error.to_string(),
            }),
            error,
        };
        match (&mut self.state, msg) {
            (HostState::WaitingRequest, Message::PairRequest { proof, name }) => {
                if self.used {
                    return fail(PairError::AlreadyUsed);
                }
                if self.ticket.is_expired(now_ms) {
                    return fail(PairError::Expired);
                }
                if !proof_is_valid(&self.ticket.secret, &self.ticket.host, &guest, &proof) {
                    return fail(PairError::BadProof);
                }
                self.used = true;
                self.state = HostState::WaitingCommit {
                    guest,
                    guest_name: clean_name(&name),
                };
                HostStep::Send(Vec::new())
            }
            (
                HostState::WaitingCommit {
                    guest: g,
                    guest_name,
                },
                Message::PairCommit { commit },
            ) if *g == guest => {
                self.state = HostState::WaitingReveal {
                    guest,
                    guest_name: std::mem::take(guest_name),
                    commit,
                };
                HostStep::Send(vec![Message::PairNonce { nonce: self.nonce }])
            }
            (
                HostState::WaitingReveal {
                    guest: g,
                    guest_name,
                    commit,
                },
                Message::PairReveal { nonce },
            ) if *g == guest => {
                if nonce_commitment(&self.ticket.host, &guest, &nonce) != *commit {
                    self.state = HostState::Done;
                    return fail(PairError::BrokenCommitment);
                }
                let guest_name = std::mem::take(guest_name);
                let code = verification_code(
                    &self.ticket.secret,
                    &self.ticket.host,
                    &guest,
                    &self.nonce,
                    &nonce,
                );
                self.state = HostState::Verifying {
                    guest,
                    guest_name: guest_name.clone(),
                    host_ok: false,
                    guest_ok: false,
                };
                HostStep::ShowCode { code, guest_name }
            }
            // A second request (a replay, or another device) never disturbs the first.
            (_, Message::PairRequest { .. }) => fail(PairError::AlreadyUsed),
            (
                HostState::Verifying {
                    guest: g, guest_ok, ..
                },
                Message::PairConfirm,
            ) if *g == guest => {
                *guest_ok = true;
                self.maybe_accept()
            }
            (HostState::Verifying { guest: g, .. }, Message::PairReject { reason })
                if *g == guest =>
            {
                self.state = HostState::Done;
                HostStep::Failed {
                    error: PairError::Refused(reason),
                    reply: None,
                }
            }
            (state, _) => {
                let ours = match state {
                    HostState::WaitingCommit { guest: g, .. }
                    | HostState::WaitingReveal { guest: g, .. }
                    | HostState::Verifying { guest: g, .. } => *g == guest,
                    HostState::WaitingRequest | HostState::Done => false,
                };
                if ours {
                    self.state = HostState::Done;
                }
                fail(PairError::Protocol("unexpected pairing message"))
            }
        }
    }

    /// The host's user compared the codes: `true` if they match.
    pub fn user_confirms(&mut self, matches: bool) -> HostStep {
        match &mut self.state {
            HostState::Verifying { host_ok, .. } if matches => {
                *host_ok = true;
                self.maybe_accept()
            }
            HostState::Verifying { .. } => {
                self.state = HostState::Done;
                HostStep::Failed {
                    reply: Some(Message::PairReject {
                        reason: "the codes did not match on your partner's screen".into(),
                    }),
                    error: PairError::Refused("you said the codes do not match".into()),
                }
            }
            _ => HostStep::Failed {
                error: PairError::Protocol("nothing to confirm"),
                reply: None,
            },
        }
    }

    fn maybe_accept(&mut self) -> HostStep {
        if let HostState::Verifying {
            guest,
            guest_name,
            host_ok: true,
            guest_ok: true,
        } = &self.state
        {
            let step = HostStep::Accepted {
                guest: *guest,
                guest_name: guest_name.clone(),
            };
            self.state = HostState::Done;
            return step;
        }
        HostStep::Send(Vec::new())
    }
}

/// What the guest should do next.
#[derive(Debug, PartialEq, Eq)]
pub enum GuestStep {
    Send(Vec<Message>),
    /// The host accepted the request and sent its nonce: send `send` (our reveal)
    /// and show `code` for the user to compare.
    ShowCode {
        code: String,
        send: Vec<Message>,
    },
    /// Paired: store the document and the host as partner.
    Welcomed {
        host_name: String,
        document: Vec<u8>,
    },
    Failed(PairError),
}

/// The joining side.
#[derive(Debug)]
pub struct PairingGuest {
    ticket: Ticket,
    guest: DeviceKey,
    name: String,
    /// Committed to in the first flight, revealed after the host's nonce arrived.
    nonce: [u8; 32],
    host_nonce: Option<[u8; 32]>,
    confirmed: bool,
    done: bool,
}

impl PairingGuest {
    /// Refuses an expired ticket before dialling anyone.
    pub fn new(
        ticket: Ticket,
        guest: DeviceKey,
        name: &str,
        now_ms: i64,
    ) -> Result<PairingGuest, PairError> {
        PairingGuest::with_nonce(ticket, guest, name, now_ms, nonce()?)
    }

    /// A guest with a given nonce (tests).
    pub fn with_nonce(
        ticket: Ticket,
        guest: DeviceKey,
        name: &str,
        now_ms: i64,
        nonce: [u8; 32],
    ) -> Result<PairingGuest, PairError> {
        if ticket.is_expired(now_ms) {
            return Err(PairError::Expired);
        }
        Ok(PairingGuest {
            ticket,
            guest,
            name: clean_name(name),
            nonce,
            host_nonce: None,
            confirmed: false,
            done: false,
        })
    }

    /// The first flight, sent as soon as the connection to the host is up: the
    /// proof of the invite's secret, then the commitment to our nonce.
    pub fn first_flight(&self) -> Vec<Message> {
        vec![
            self.request(),
            Message::PairCommit {
                commit: nonce_commitment(&self.ticket.host, &self.guest, &self.nonce),
            },
        ]
    }

    /// The request alone (the proof and our name).
    pub fn request(&self) -> Message {
        Message::PairRequest {
            proof: pair_proof(&self.ticket.secret, &self.ticket.host, &self.guest),
            name: self.name.clone(),
        }
    }

    /// The code to show, once the host's nonce has arrived; the host shows the same.
    pub fn code(&self) -> Option<String> {
        let host_nonce = self.host_nonce.as_ref()?;
        Some(verification_code(
            &self.ticket.secret,
            &self.ticket.host,
            &self.guest,
            host_nonce,
            &self.nonce,
        ))
    }

    /// The guest's user compared the codes.
    pub fn user_confirms(&mut self, matches: bool) -> GuestStep {
        if self.host_nonce.is_none() {
            self.done = true;
            return GuestStep::Failed(PairError::Protocol("no code was shown yet"));
        }
        if matches {
            self.confirmed = true;
            GuestStep::Send(vec![Message::PairConfirm])
        } else {
            self.done = true;
            GuestStep::Failed(PairError::Refused("you said the codes do not match".into()))
        }
    }

    /// The message to send when the user declines.
    pub fn decline_message() -> Message {
        Message::PairReject {
            reason: "the codes did not match on your partner's screen".into(),
        }
    }

    pub fn receive(&mut self, msg: Message) -> GuestStep {
        if self.done {
            return GuestStep::Failed(PairError::Protocol("pairing already finished"));
        }
        match msg {
            Message::PairReject { reason } => {
                self.done = true;
                GuestStep::Failed(PairError::Refused(reason))
            }
            Message::PairNonce { nonce } if self.host_nonce.is_none() && !self.confirmed => {
                self.host_nonce = Some(nonce);
                match self.code() {
                    Some(code) => GuestStep::ShowCode {
                        code,
                        send: vec![Message::PairReveal { nonce: self.nonce }],
                    },
                    None => GuestStep::Failed(PairError::Protocol("no code")),
                }
            }
            Message::Welcome {
                host_name,
                document,
            } if self.confirmed => {
                self.done = true;
                GuestStep::Welcomed {
                    host_name: clean_name(&host_name),
                    document,
                }
            }
            _ => {
                self.done = true;
                GuestStep::Failed(PairError::Protocol("unexpected pairing message"))
            }
        }
    }
}

fn clean_name(s: &str) -> String {
    let n: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    if n.is_empty() { "Partner".into() } else { n }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket() -> Ticket {
        Ticket {
            host: DeviceKey([1; 32]),
            partnership_id: [2; 16],
            secret: [3; 16],
            expires_at_ms: 1_000_000,
            addrs: vec![
                "192.0.2.7:4433".parse().unwrap(),
                "[2001:db8::1]:9".parse().unwrap(),
            ],
        }
    }

    #[test]
    fn tickets_round_trip_and_survive_case_and_whitespace() {
        let t = ticket();
        let s = t.encode();
        assert!(s.starts_with("cocoach"));
        assert_eq!(Ticket::decode(&s).unwrap(), t);
        let spaced: String = s.to_uppercase().chars().flat_map(|c| [c, ' ']).collect();
        assert_eq!(Ticket::decode(&spaced).unwrap(), t);
        assert!(!format!("{t:?}").contains(&s[8..20]));
    }

    #[test]
    fn altered_or_truncated_tickets_are_refused() {
        let s = ticket().encode();
        for i in 7..s.len() {
            let mut b = s.clone().into_bytes();
            b[i] = if b[i] == b'a' { b'b' } else { b'a' };
            let altered = String::from_utf8(b).unwrap();
            assert_eq!(
                Ticket::decode(&altered),
                Err(PairError::BadTicket),
                "altered at {i}"
            );
        }
        assert_eq!(Ticket::decode(&s[..s.len() - 3]), Err(PairError::BadTicket));
        assert_eq!(Ticket::decode("hello"), Err(PairError::BadTicket));
        assert_eq!(Ticket::decode(""), Err(PairError::BadTicket));
    }

    /// Request and commitment, the host's nonce, the reveal: both show a code.
    /// Returns the host's step after the reveal and the guest's code.
    pub(super) fn exchange(
        host: &mut PairingHost,
        guest: &mut PairingGuest,
        guest_key: DeviceKey,
    ) -> (HostStep, Option<String>) {
        let mut to_guest = Vec::new();
        for m in guest.first_flight() {
            match host.receive(guest_key, m, 0) {
                HostStep::Send(msgs) => to_guest.extend(msgs),
                other => return (other, None),
            }
        }
        let mut code = None;
        let mut last = HostStep::Send(Vec::new());
        for m in to_guest {
            match guest.receive(m) {
                GuestStep::ShowCode { code: c, send } => {
                    code = Some(c);
                    for m in send {
                        last = host.receive(guest_key, m, 0);
                    }
                }
                other => panic!("guest: {other:?}"),
            }
        }
        (last, code)
    }

    fn run_pairing(host_ok: bool, guest_ok: bool) -> (HostStep, Option<GuestStep>) {
        let t = ticket();
        let guest_key = DeviceKey([9; 32]);
        let mut host = PairingHost::new(t.clone()).unwrap();
        let mut guest = PairingGuest::new(t, guest_key, "Bo", 0).unwrap();
        assert_eq!(guest.code(), None, "no code before the host's nonce");
        let (HostStep::ShowCode { code, guest_name }, guest_code) =
            exchange(&mut host, &mut guest, guest_key)
        else {
            panic!("host did not show a code");
        };
        assert_eq!(Some(code), guest_code, "both screens show the same code");
        assert_eq!(guest_name, "Bo");
        let g = guest.user_confirms(guest_ok);
        let mut last = host.user_confirms(host_ok);
        if let GuestStep::Send(msgs) = g {
            for m in msgs {
                last = host.receive(guest_key, m, 0);
            }
        }
        (last, None)
    }

    #[test]
    fn both_confirm_then_host_accepts() {
        let (last, _) = run_pairing(true, true);
        assert_eq!(
            last,
            HostStep::Accepted {
                guest: DeviceKey([9; 32]),
                guest_name: "Bo".into()
            }
        );
    }

    #[test]
    fn a_declined_code_fails_pairing() {
        let (last, _) = run_pairing(false, true);
        assert!(matches!(last, HostStep::Failed { .. }), "{last:?}");
    }

    #[test]
    fn invites_are_single_use_expire_and_check_the_proof() {
        let t = ticket();
        let mut host = PairingHost::new(t.clone()).unwrap();
        // Wrong secret (an altered or different invite).
        let mut wrong = t.clone();
        wrong.secret = [4; 16];
        let g = PairingGuest::new(wrong, DeviceKey([9; 32]), "Eve", 0).unwrap();
        assert!(matches!(
            host.receive(DeviceKey([9; 32]), g.request(), 0),
            HostStep::Failed {
                error: PairError::BadProof,
                ..
            }
        ));
        // A proof made for another guest key does not work for this key.
        let g = PairingGuest::new(t.clone(), DeviceKey([8; 32]), "Bo", 0).unwrap();
        assert!(matches!(
            host.receive(DeviceKey([9; 32]), g.request(), 0),
            HostStep::Failed {
                error: PairError::BadProof,
                ..
            }
        ));
        // Expired.
        let g = PairingGuest::new(t.clone(), DeviceKey([9; 32]), "Bo", 0).unwrap();
        assert!(matches!(
            host.receive(DeviceKey([9; 32]), g.request(), 1_000_000),
            HostStep::Failed {
                error: PairError::Expired,
                ..
            }
        ));
        assert_eq!(
            PairingGuest::new(t.clone(), DeviceKey([9; 32]), "Bo", 2_000_000).unwrap_err(),
            PairError::Expired
        );
        // First valid use burns it; a replay is refused.
        assert!(matches!(
            host.receive(DeviceKey([9; 32]), g.request(), 0),
            HostStep::Send(ref m) if m.is_empty()
        ));
        let mut fresh = PairingHost::new(t.clone()).unwrap();
        assert!(matches!(
            fresh.receive(DeviceKey([9; 32]), g.request(), 0),
            HostStep::Send(ref m) if m.is_empty()
        ));
        assert!(matches!(
            fresh.receive(DeviceKey([7; 32]), g.request(), 0),
            HostStep::Failed { .. }
        ));
    }

    /// The whole proof is checked: a single changed bit anywhere is refused.
    #[test]
    fn a_proof_altered_in_any_byte_is_refused() {
        let t = ticket();
        let good = pair_proof(&t.secret, &t.host, &DeviceKey([9; 32]));
        for i in 0..good.len() {
            let mut proof = good;
            proof[i] ^= 0x80;
            let mut host = PairingHost::new(t.clone()).unwrap();
            let step = host.receive(
                DeviceKey([9; 32]),
                Message::PairRequest {
                    proof,
                    name: "Eve".into(),
                },
                0,
            );
            assert!(
                matches!(
                    step,
                    HostStep::Failed {
                        error: PairError::BadProof,
                        ..
                    }
                ),
                "byte {i}: {step:?}"
            );
        }
    }

    /// A guest must reveal the nonce it committed to before it saw the host's: one
    /// that picks another nonce afterwards (to steer the code) is refused.
    #[test]
    fn a_nonce_other_than_the_committed_one_is_refused() {
        let t = ticket();
        let key = DeviceKey([9; 32]);
        let mut host = PairingHost::with_nonce(t.clone(), [5; 32]);
        let guest = PairingGuest::with_nonce(t, key, "Mallory", 0, [6; 32]).unwrap();
        for m in guest.first_flight() {
            assert!(matches!(host.receive(key, m, 0), HostStep::Send(_)));
        }
        let step = host.receive(key, Message::PairReveal { nonce: [7; 32] }, 0);
        assert!(
            matches!(
                step,
                HostStep::Failed {
                    error: PairError::BrokenCommitment,
                    ..
                }
            ),
            "{step:?}"
        );
        // And the pairing is over: the right nonce now is too late.
        let step = host.receive(key, Message::PairReveal { nonce: [6; 32] }, 0);
        assert!(matches!(step, HostStep::Failed { .. }), "{step:?}");
    }

    /// Someone who saw the invite (Mallory) races the real guest (Bo). Under the old
    /// code, `HMAC(secret, host‖guest)`, Mallory could search keys offline until her
    /// code equalled the one Bo's screen showed, so both screens agreed and the host
    /// user confirmed her. Now: Bo, refused because the invite is burnt, never shows
    /// a code to compare; and Mallory's code depends on a host nonce she sees only
    /// after committing to hers, so no choice of hers aims it at a target — over
    /// 2,000 pairings (fresh host nonces) her committed nonce hit a chosen code at
    /// most once (chance 1 in 10⁶ each).
    #[test]
    fn a_man_in_the_middle_holding_the_ticket_cannot_make_the_codes_agree() {
        let t = ticket();
        let (bo, mallory) = (DeviceKey([9; 32]), DeviceKey([0x66; 32]));
        let mut host = PairingHost::with_nonce(t.clone(), [5; 32]);
        let mut m = PairingGuest::with_nonce(t.clone(), mallory, "Bo", 0, [6; 32]).unwrap();
        let mut b = PairingGuest::with_nonce(t.clone(), bo, "Bo", 0, [7; 32]).unwrap();
        // Mallory is first: her request proves the secret and burns the invite.
        let (step, m_code) = exchange(&mut host, &mut m, mallory);
        assert!(matches!(step, HostStep::ShowCode { .. }), "{step:?}");
        assert!(m_code.is_some());
        // Bo's request is refused, and Bo never gets a code to show.
        let HostStep::Failed {
            reply: Some(reply), ..
        } = host.receive(bo, b.request(), 0)
        else {
            panic!("Bo's request was not refused");
        };
        assert!(matches!(b.receive(reply), GuestStep::Failed(_)));
        assert_eq!(b.code(), None, "Bo shows no code");

        // Aiming at a code: the one Bo would have seen with the same host nonce.
        let mut rng_nonce = [0u8; 32];
        let mut hits = 0;
        for i in 0..2000u32 {
            rng_nonce[..4].copy_from_slice(&i.to_be_bytes());
            let target = verification_code(&t.secret, &t.host, &bo, &rng_nonce, &[7; 32]);
            let hers = verification_code(&t.secret, &t.host, &mallory, &rng_nonce, &[6; 32]);
            hits += usize::from(hers == target);
        }
        assert!(hits <= 1, "{hits} of 2000 codes agreed");
    }

    #[test]
    fn codes_differ_for_different_keys_secrets_or_nonces() {
        let (n1, n2) = ([1; 32], [2; 32]);
        let code = |s: [u8; 16], g: u8, hn: &[u8; 32], gn: &[u8; 32]| {
            verification_code(&s, &DeviceKey([2; 32]), &DeviceKey([g; 32]), hn, gn)
        };
        let a = code([1; 16], 3, &n1, &n2);
        assert_eq!(a.len(), 7);
        assert_ne!(a, code([1; 16], 4, &n1, &n2));
        assert_ne!(a, code([5; 16], 3, &n1, &n2));
        assert_ne!(a, code([1; 16], 3, &n2, &n2));
        assert_ne!(a, code([1; 16], 3, &n1, &n1));
    }

    /// The RFC's keys are not 16 bytes: this checks the crate and the hash chosen.
    fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(key).unwrap();
        mac.update(msg);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Case 6: a key longer than the block is hashed first.
        let mac = hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// RFC 4648's test vectors, lowercase and without padding.
    #[test]
    fn base32_matches_rfc_4648_lowercase_unpadded() {
        let vectors = [
            ("", ""),
            ("f", "my"),
            ("fo", "mzxq"),
            ("foo", "mzxw6"),
            ("foob", "mzxw6yq"),
            ("fooba", "mzxw6ytb"),
            ("foobar", "mzxw6ytboi"),
        ];
        for (plain, coded) in vectors {
            assert_eq!(base32_encode(plain.as_bytes()), coded);
            assert_eq!(base32_decode(coded).unwrap(), plain.as_bytes());
        }
        // Not canonical: unused bits set ("mz" = "f" with a 1 in the padding), a
        // length no byte count gives, padding, upper case or a foreign letter.
        for bad in ["mz", "m", "mzx", "mzxw6y", "my======", "MY", "m1", "m8"] {
            assert_eq!(base32_decode(bad), None, "{bad:?}");
        }
    }
}
