//! The inviting side's steps.

use cocoach_doc::DeviceKey;

use super::proof::{nonce, nonce_commitment, proof_is_valid, verification_code};
use super::{PairError, Ticket, clean_name};
use crate::message::Message;

/// What the host should do next.
#[derive(Debug, PartialEq, Eq)]
pub enum HostStep {
    /// Show `code` next to the guest's name and ask the user to confirm.
    ShowCode { code: String, guest_name: String },
    /// Send these messages; nothing else to do yet.
    Send(Vec<Message>),
    /// Both confirmed: add `guest` to the document, then send `Welcome`. When
    /// re-pairing, `record` is the guest's record, to merge before its place is
    /// given the new key.
    Accepted {
        guest: DeviceKey,
        guest_name: String,
        record: Option<GuestRecord>,
    },
    /// Pairing failed; send `reply` (if any) and close.
    Failed {
        error: PairError,
        reply: Option<Message>,
    },
}

/// What a re-pairing guest holds: its whole document and the signatures of its
/// changes. Untrusted bytes until the node checked them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestRecord {
    pub document: Vec<u8>,
    pub signatures: Vec<cocoach_doc::ChangeSignature>,
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
        record: Option<GuestRecord>,
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
    /// A re-pairing invite: the guest must send its record before it is accepted.
    rejoin: bool,
    state: HostState,
}

impl PairingHost {
    pub fn new(ticket: Ticket) -> Result<PairingHost, PairError> {
        Ok(PairingHost::with_nonce(ticket, nonce()?))
    }

    /// A host with a given nonce (tests).
    pub fn with_nonce(ticket: Ticket, nonce: [u8; 32]) -> PairingHost {
        PairingHost {
            rejoin: ticket.rejoin,
            ticket,
            failed_attempts: 0,
            nonce,
            used: false,
            state: HostState::WaitingRequest,
        }
    }

    /// An invite for re-pairing the partner's device (restored without its key,
    /// `Ticket::rejoin`): accepted only once the guest also sent its record.
    pub fn is_rejoin(&self) -> bool {
        self.rejoin
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
                    record: None,
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
            // The record comes after the guest's own confirmation, once.
            (
                HostState::Verifying {
                    guest: g,
                    guest_ok: true,
                    record: record @ None,
                    ..
                },
                Message::PairRecord {
                    document,
                    signatures,
                },
            ) if *g == guest && self.rejoin => {
                *record = Some(GuestRecord {
                    document,
                    signatures,
                });
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
            (HostState::Verifying { guest: g, .. }, Message::PairRecord { .. })
                if *g == guest && !self.rejoin =>
            {
                self.state = HostState::Done;
                fail(PairError::Protocol(
                    "this invite is for a new partner, not for re-pairing a restored device",
                ))
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
            record,
        } = &mut self.state
        {
            if self.rejoin && record.is_none() {
                return HostStep::Send(Vec::new());
            }
            let step = HostStep::Accepted {
                guest: *guest,
                guest_name: guest_name.clone(),
                record: record.take(),
            };
            self.state = HostState::Done;
            return step;
        }
        HostStep::Send(Vec::new())
    }
}
