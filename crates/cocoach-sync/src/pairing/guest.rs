//! The joining side's steps.

use cocoach_doc::DeviceKey;

use super::proof::{nonce, nonce_commitment, pair_proof, verification_code};
use super::{PairError, Ticket, clean_name};
use crate::message::Message;

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
        /// The signatures of the document's changes (checked when it is opened).
        signatures: Vec<cocoach_doc::ChangeSignature>,
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
    /// Re-pairing: this device's record, sent once our user confirmed the code.
    record: Option<Message>,
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
            record: None,
        })
    }

    /// Re-pairing a device restored without its key: `document` and `signatures`
    /// (this device's whole record) go to the host after our user confirmed the
    /// code, never before.
    #[must_use]
    pub fn with_record(
        mut self,
        document: Vec<u8>,
        signatures: Vec<cocoach_doc::ChangeSignature>,
    ) -> PairingGuest {
        self.record = Some(Message::PairRecord {
            document,
            signatures,
        });
        self
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
            let mut send = vec![Message::PairConfirm];
            send.extend(self.record.take());
            GuestStep::Send(send)
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
                signatures,
            } if self.confirmed => {
                self.done = true;
                GuestStep::Welcomed {
                    host_name: clean_name(&host_name),
                    document,
                    signatures,
                }
            }
            _ => {
                self.done = true;
                GuestStep::Failed(PairError::Protocol("unexpected pairing message"))
            }
        }
    }
}
