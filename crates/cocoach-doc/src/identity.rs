//! The device identity (an ed25519 key pair) and the contract's canonical encoding,
//! hash and signatures.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::DocError;
use crate::model::Contract;
use crate::types::DeviceKey;

/// One device's secret key. The same 32-byte seed is the device's network identity
/// (its iroh `SecretKey`) and the key that signs the contract.
///
/// `Debug` never prints the secret.
#[derive(Clone)]
pub struct DeviceIdentity {
    key: SigningKey,
}

impl std::fmt::Debug for DeviceIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceIdentity")
            .field("public", &self.public())
            .finish_non_exhaustive()
    }
}

impl DeviceIdentity {
    pub fn from_seed(seed: [u8; 32]) -> DeviceIdentity {
        DeviceIdentity {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// A fresh identity from the operating system's random source.
    pub fn generate() -> Result<DeviceIdentity, DocError> {
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut_slice()).map_err(DocError::Random)?;
        Ok(DeviceIdentity::from_seed(*seed))
    }

    /// The secret seed, wiped from memory when the copy is dropped. (The signing
    /// key itself is wiped on drop too: ed25519-dalek's `zeroize` feature.)
    pub fn seed(&self) -> zeroize::Zeroizing<[u8; 32]> {
        zeroize::Zeroizing::new(self.key.to_bytes())
    }

    pub fn public(&self) -> DeviceKey {
        DeviceKey(self.key.verifying_key().to_bytes())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }
}

/// Verify an ed25519 signature made by `key` (strict verification).
pub fn verify(key: &DeviceKey, message: &[u8], signature: &[u8; 64]) -> bool {
    let Ok(vk) = VerifyingKey::from_bytes(&key.0) else {
        return false;
    };
    vk.verify_strict(message, &Signature::from_bytes(signature))
        .is_ok()
}

const CONTRACT_DOMAIN: &[u8] = b"cocoach-contract-v1";
const SIGNATURE_DOMAIN: &[u8] = b"cocoach-contract-signature-v1";

/// The bytes a partner signs: the signature domain followed by the contract hash.
pub fn signing_message(hash: &[u8; 32]) -> Vec<u8> {
    let mut m = SIGNATURE_DOMAIN.to_vec();
    m.extend_from_slice(hash);
    m
}

/// SHA-256 of the canonical encoding of the contract, bound to this partnership and
/// both partners' keys. Names are left out: renaming yourself does not unsign; so is
/// the meeting time of day (see below).
pub fn contract_hash(partnership_id: &str, keys: [Option<DeviceKey>; 2], c: &Contract) -> [u8; 32] {
    let mut e = Enc(Vec::with_capacity(512));
    e.bytes(CONTRACT_DOMAIN);
    e.str(partnership_id);
    for k in keys {
        e.opt(k.map(|k| k.0.to_vec()).as_deref());
    }
    e.opt(c.frequency.as_ref().map(|f| f.as_str().as_bytes()));
    e.str(&c.place);
    e.opt_u64(c.session_minutes);
    e.opt(
        c.term
            .start
            .map(|d| d.to_string())
            .as_deref()
            .map(str::as_bytes),
    );
    e.opt(
        c.term
            .end
            .map(|d| d.to_string())
            .as_deref()
            .map(str::as_bytes),
    );
    e.opt_u64(c.term.sessions);
    e.str(c.coaches_first.key());
    e.str(c.turns.as_str());
    e.str(&c.question_style);
    e.len(c.ground_rules.len());
    for r in &c.ground_rules {
        e.str(r);
    }
    e.len(c.off_limits.len());
    for o in &c.off_limits {
        e.str(o.by.key());
        e.str(&o.topic);
    }
    // Not `meeting_time`: added later, and a scheduling detail. Hashing it would make
    // a build that knows it and one that does not see different contracts, so partners
    // on different versions could never both be "signed"; changing the time of day
    // does not ask anyone to sign again.
    Sha256::digest(&e.0).into()
}

/// Length-prefixed, tagged encoding: unambiguous, so two different contracts never
/// encode to the same bytes.
struct Enc(Vec<u8>);

impl Enc {
    fn len(&mut self, n: usize) {
        self.0
            .extend_from_slice(&u64::try_from(n).unwrap_or(u64::MAX).to_be_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn opt(&mut self, b: Option<&[u8]>) {
        match b {
            None => self.0.push(0),
            Some(b) => {
                self.0.push(1);
                self.bytes(b);
            }
        }
    }
    fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                self.0.extend_from_slice(&v.to_be_bytes());
            }
        }
    }
}

/// Domain of a signature that also names its version (see [`StoredSignature`]).
const SIGNATURE_DOMAIN_V2: &[u8] = b"cocoach-contract-signature-v2";

/// The highest version a signature may carry (it is kept in SQLite's signed
/// 64-bit integers).
pub const MAX_SIGNATURE_VERSION: u64 = i64::MAX as u64;

/// A partner's signature of the contract, as stored in `signatures.<slot>`.
///
/// Two encodings share the key (the value stays bytes; its length tells them apart):
/// - format 1 (104 bytes, before rollback protection): `hash 32 ‖ ed25519 64 ‖
///   signed-at ms i64 BE`, over `cocoach-contract-signature-v1 ‖ hash`. Reads as
///   version 0.
/// - format 2 (145 bytes): `0x02 ‖ hash 32 ‖ ed25519 64 ‖ signed-at ms i64 BE ‖
///   version u64 BE ‖ previous hash 32`, over `cocoach-contract-signature-v2 ‖
///   version ‖ previous hash ‖ hash ‖ signed-at`. The version rises with every
///   signature either partner makes; the previous hash is what this partner's
///   signature covered before (zeros for a first signature). Each device remembers
///   the highest version it has seen in each partner's place, so an older signature
///   put back there reads as rolled back, not as signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredSignature {
    pub hash: [u8; 32],
    pub signature: [u8; 64],
    pub at_ms: i64,
    /// 0 for format 1.
    pub version: u64,
    pub prev: [u8; 32],
    /// Format 1: signs the hash alone.
    pub legacy: bool,
}

impl StoredSignature {
    pub const LEN_V1: usize = 32 + 64 + 8;
    pub const LEN: usize = 1 + 32 + 64 + 8 + 8 + 32;

    /// A new signature (format 2) by `id`.
    pub fn make(
        id: &DeviceIdentity,
        hash: [u8; 32],
        version: u64,
        prev: [u8; 32],
        at_ms: i64,
    ) -> StoredSignature {
        let mut s = StoredSignature {
            hash,
            signature: [0; 64],
            at_ms,
            version: version.min(MAX_SIGNATURE_VERSION),
            prev,
            legacy: false,
        };
        s.signature = id.sign(&s.message());
        s
    }

    /// The bytes the signature is over.
    pub fn message(&self) -> Vec<u8> {
        if self.legacy {
            return signing_message(&self.hash);
        }
        let mut m = SIGNATURE_DOMAIN_V2.to_vec();
        m.extend_from_slice(&self.version.to_be_bytes());
        m.extend_from_slice(&self.prev);
        m.extend_from_slice(&self.hash);
        m.extend_from_slice(&self.at_ms.to_be_bytes());
        m
    }

    /// Whether `key` made this signature.
    pub fn verifies(&self, key: &DeviceKey) -> bool {
        self.version <= MAX_SIGNATURE_VERSION && verify(key, &self.message(), &self.signature)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(Self::LEN);
        if !self.legacy {
            v.push(2);
        }
        v.extend_from_slice(&self.hash);
        v.extend_from_slice(&self.signature);
        v.extend_from_slice(&self.at_ms.to_be_bytes());
        if !self.legacy {
            v.extend_from_slice(&self.version.to_be_bytes());
            v.extend_from_slice(&self.prev);
        }
        v
    }

    pub fn decode(b: &[u8]) -> Option<StoredSignature> {
        let (legacy, body) = match (b.len(), b.first()) {
            (Self::LEN_V1, _) => (true, b),
            (Self::LEN, Some(2)) => (false, &b[1..]),
            _ => return None,
        };
        let (version, prev) = if legacy {
            (0, [0; 32])
        } else {
            (
                u64::from_be_bytes(body[104..112].try_into().ok()?),
                body[112..144].try_into().ok()?,
            )
        };
        Some(StoredSignature {
            hash: body[..32].try_into().ok()?,
            signature: body[32..96].try_into().ok()?,
            at_ms: i64::from_be_bytes(body[96..104].try_into().ok()?),
            version,
            prev,
            legacy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_the_signed_message_and_key() {
        let id = DeviceIdentity::from_seed([7; 32]);
        let other = DeviceIdentity::from_seed([8; 32]);
        let sig = id.sign(b"hello");
        assert!(verify(&id.public(), b"hello", &sig));
        assert!(!verify(&id.public(), b"hellO", &sig));
        assert!(!verify(&other.public(), b"hello", &sig));
        assert_eq!(DeviceIdentity::from_seed(*id.seed()).public(), id.public());
        assert!(!format!("{id:?}").contains(&crate::types::hex_encode(id.seed().as_slice())));
    }

    #[test]
    fn stored_signature_round_trips_and_rejects_bad_lengths() {
        let id = DeviceIdentity::from_seed([7; 32]);
        let s = StoredSignature::make(&id, [1; 32], 3, [4; 32], 1_700_000_000_000);
        assert_eq!(s.encode().len(), StoredSignature::LEN);
        assert_eq!(StoredSignature::decode(&s.encode()), Some(s));
        assert!(s.verifies(&id.public()));
        // The version and the previous hash are signed: change either, it fails.
        assert!(!StoredSignature { version: 4, ..s }.verifies(&id.public()));
        assert!(!StoredSignature { prev: [5; 32], ..s }.verifies(&id.public()));
        assert!(!StoredSignature { at_ms: 1, ..s }.verifies(&id.public()));
        assert_eq!(StoredSignature::decode(&s.encode()[1..]), None);
        assert_eq!(StoredSignature::decode(&[]), None);
        let mut wrong_tag = s.encode();
        wrong_tag[0] = 3;
        assert_eq!(StoredSignature::decode(&wrong_tag), None);

        // Format 1, as builds before rollback protection wrote it, reads as version 0.
        let mut v1 = [1u8; 32].to_vec();
        v1.extend_from_slice(&id.sign(&signing_message(&[1; 32])));
        v1.extend_from_slice(&1_700_000_000_000i64.to_be_bytes());
        let old = StoredSignature::decode(&v1).unwrap();
        assert!(old.legacy && old.version == 0 && old.verifies(&id.public()));
        assert_eq!(old.encode(), v1);
    }
}
