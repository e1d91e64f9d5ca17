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

    /// 0 for A, 1 for B: the position in pairs kept as `[A, B]`.
    pub fn index(self) -> usize {
        match self {
            Slot::A => 0,
            Slot::B => 1,
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

/// Lowercase hex.
pub fn hex_encode(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// Hex in either case, surrounding whitespace ignored; `None` for anything else.
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.trim().as_bytes())
        .ok()
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

    /// Keys and ids are written lowercase; reading takes either case (a key typed
    /// from another screen) and ignores surrounding whitespace, nothing else.
    #[test]
    fn hex_writes_lowercase_and_reads_either_case() {
        assert_eq!(hex_encode(&[0x00, 0x0f, 0xa0, 0xff, 0x12]), "000fa0ff12");
        assert_eq!(hex_encode(&[]), "");
        assert_eq!(hex_decode("00FFaBcD").unwrap(), [0x00, 0xff, 0xab, 0xcd]);
        assert_eq!(hex_decode(" 0a0b\n").unwrap(), [0x0a, 0x0b]);
        assert_eq!(hex_decode("").unwrap(), Vec::<u8>::new());
        for bad in ["0g", "0a  0b", "+1", "\u{e9}", "0x0a", "a-"] {
            assert!(hex_decode(bad).is_none(), "{bad:?}");
        }
    }
}
