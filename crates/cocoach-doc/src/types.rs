//! Small value types shared by the document API: partner slots, device keys,
//! calendar dates and random ids.

use std::fmt;
use std::str::FromStr;

use crate::DocError;

/// Which of the two partners. `A` created the partnership, `B` joined it.
///
/// Slots (not device keys) are what the document uses to say "whose": they exist
/// before the partner has paired, and they never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    A,
    B,
}

impl Slot {
    pub const BOTH: [Slot; 2] = [Slot::A, Slot::B];

    pub fn key(self) -> &'static str {
        match self {
            Slot::A => "a",
            Slot::B => "b",
        }
    }

    pub fn other(self) -> Slot {
        match self {
            Slot::A => Slot::B,
            Slot::B => Slot::A,
        }
    }

    pub fn parse(s: &str) -> Option<Slot> {
        match s {
            "a" => Some(Slot::A),
            "b" => Some(Slot::B),
            _ => None,
        }
    }
}

/// A device's ed25519 public key: its identity on the network and the key that
/// signs the contract.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceKey(pub [u8; 32]);

impl DeviceKey {
    pub fn to_hex(&self) -> String {
        hex_encode(&self.0)
    }

    /// First 8 hex characters, for display next to a name.
    pub fn short(&self) -> String {
        self.to_hex()[..8].to_string()
    }

    pub fn from_slice(bytes: &[u8]) -> Option<DeviceKey> {
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(DeviceKey(arr))
    }
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceKey({})", self.short())
    }
}

impl fmt::Display for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl FromStr for DeviceKey {
    type Err = DocError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = hex_decode(s).ok_or_else(|| DocError::InvalidValue {
            field: "device key",
            reason: "not hexadecimal".into(),
        })?;
        DeviceKey::from_slice(&bytes).ok_or_else(|| DocError::InvalidValue {
            field: "device key",
            reason: "must be 32 bytes".into(),
        })
    }
}

/// Milliseconds since the Unix epoch, from the system clock.
pub fn now_ms() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

/// A new random id: 12 lowercase hex characters (48 bits), for sessions and actions.
pub fn new_id() -> Result<String, DocError> {
    let mut buf = [0u8; 6];
    getrandom::fill(&mut buf).map_err(DocError::Random)?;
    Ok(hex_encode(&buf))
}

pub fn hex_encode(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| Some((nibble(p[0])? << 4) | nibble(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let b = [0u8, 1, 0xab, 0xff];
        assert_eq!(hex_decode(&hex_encode(&b)).unwrap(), b);
        assert!(hex_decode("zz").is_none());
        assert!(hex_decode("abc").is_none());
    }
}
