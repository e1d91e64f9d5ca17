//! The keyed hashes of pairing: the guest's proof that it holds the invite's
//! secret, its commitment to a nonce, and the verification code both screens show.

use cocoach_doc::DeviceKey;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::PairError;

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
pub(super) fn nonce() -> Result<[u8; 32], PairError> {
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
pub(super) fn proof_is_valid(
    secret: &[u8; 16],
    host: &DeviceKey,
    guest: &DeviceKey,
    proof: &[u8],
) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
