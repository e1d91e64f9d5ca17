//! The invite: its bytes, its checksum, and its text (`cocoach` + base32).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::LazyLock;

use cocoach_doc::DeviceKey;
use data_encoding::{Encoding, Specification};
use sha2::{Digest, Sha256};

use super::{INVITE_LIFETIME_MS, PairError};

const TICKET_PREFIX: &str = "cocoach";
const TICKET_VERSION: u8 = 1;
/// The same layout, for an invite that re-pairs the partner's device (restored
/// without its key) instead of welcoming a new partner. Older builds refuse it as
/// "not a cocoach invite", which is what they should do.
const TICKET_VERSION_REJOIN: u8 = 2;

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
    /// Re-pairing the partner's restored device, not pairing a new partner.
    pub rejoin: bool,
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret and the text form never appear in logs.
        f.debug_struct("Ticket")
            .field("expires_at_ms", &self.expires_at_ms)
            .field("addrs", &self.addrs.len())
            .field("rejoin", &self.rejoin)
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
            rejoin: false,
        })
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![if self.rejoin {
            TICKET_VERSION_REJOIN
        } else {
            TICKET_VERSION
        }];
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
        let rejoin = match take(1)?[0] {
            TICKET_VERSION => false,
            TICKET_VERSION_REJOIN => true,
            _ => return None,
        };
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
            rejoin,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pairing::test_ticket as ticket;

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
