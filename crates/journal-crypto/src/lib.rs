//! Therapy Journal's cryptography: the key hierarchy of `docs/SECURITY.md`, the blob format, the
//! sharing boxes and the session tokens.
//!
//! This crate does no I/O and knows nothing of tables or HTTP, so a security reviewer can read it
//! alone. It only combines audited RustCrypto primitives; nothing here is hand-rolled.

mod envelope;
mod keys;
mod password;
mod recovery;
mod share;
mod token;

pub use envelope::{Aad, BLOB_VERSION, open, seal};
pub use keys::SymmetricKey;
pub use password::{KdfParams, PasswordKeys, derive_root, new_salt};
pub use recovery::RecoveryCode;
pub use share::{UserKeyPair, box_key, fingerprint, unbox_key};
pub use token::SessionToken;

/// Every failure is deliberately vague: telling an attacker *why* a blob did not open (wrong
/// key, moved row, flipped bit) would only help them.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the data could not be decrypted")]
    Decrypt,
    #[error("the key derivation parameters are invalid")]
    KdfParams,
    #[error("malformed key material")]
    KeyMaterial,
}

/// Compares two secrets in constant time, so response timing reveals nothing of how much of a
/// guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// SHA-256, used to store tokens so that the database alone cannot replay them.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// HMAC-SHA256 under a key the database never holds (the access log's server key), so rows
/// cannot be rewritten and re-chained by someone who can only write the database.
pub fn mac(key: &SymmetricKey, data: &[u8]) -> [u8; 32] {
    use hkdf::hmac::{Hmac, Mac};
    match <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes()) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().into()
        }
        // HMAC takes a key of any length, so a 32-byte key is always accepted.
        Err(_) => unreachable!("HMAC accepts 32-byte keys"),
    }
}

/// Fills a buffer from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand_core::RngCore;
    let mut out = [0u8; N];
    rand_core::OsRng.fill_bytes(&mut out);
    out
}
