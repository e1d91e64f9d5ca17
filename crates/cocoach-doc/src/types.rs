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

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(z: i64) -> Option<Date> {
        let z = z + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = if m <= 2 { y + 1 } else { y };
        Date::new(
            i32::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }

    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Today's date in UTC.
    pub fn today() -> Date {
        Date::from_ms(now_ms())
    }

    /// The UTC date of a time in milliseconds since the epoch.
    pub fn from_ms(ms: i64) -> Date {
        Date::from_days_since_epoch(ms.div_euclid(86_400_000)).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DocError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DocError::InvalidValue {
            field: "date",
            reason: format!("{s:?} is not a date of the form YYYY-MM-DD"),
        };
        let s = s.trim();
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u8 = m.parse().map_err(|_| bad())?;
        let d: u8 = d.parse().map_err(|_| bad())?;
        Date::new(y, m, d).ok_or_else(bad)
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
    getrandom::fill(&mut buf).map_err(|e| DocError::Random(e.to_string()))?;
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
    fn dates_round_trip_through_days() {
        for z in -700_000..2_900_000i64 {
            if z % 997 != 0 {
                continue;
            }
            let d = Date::from_days_since_epoch(z).unwrap();
            assert_eq!(d.days_since_epoch(), z);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2024, 2, 29).unwrap().to_string(), "2024-02-29");
        assert!(Date::new(2023, 2, 29).is_none());
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            "2026-11-22".parse::<Date>().unwrap(),
            Date::new(2026, 11, 22).unwrap()
        );
        for bad in [
            "",
            "2026-1-2",
            "2026-13-01",
            "2026-02-30",
            "x",
            "2026-11-22-1",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

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
