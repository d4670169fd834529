//! From a password to the root key (Argon2id), and from the root key to the login verifier and
//! the key-encryption key (HKDF with distinct labels). The server stores only SHA-256 of the
//! auth key, so the verifier in the database cannot be used to unwrap anything.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::{CryptoError, SymmetricKey, random_bytes, sha256};

/// Stored with each user so the cost can be raised later without locking anyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// SECURITY.md: Argon2id, m = 64 MiB, t = 3, p = 1.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };
}

pub fn new_salt() -> [u8; 16] {
    random_bytes::<16>()
}

/// Runs Argon2id. Slow and memory-hungry on purpose: call it on a blocking thread.
pub fn derive_root(secret: &[u8], salt: &[u8], params: KdfParams) -> Result<SymmetricKey, CryptoError> {
    let params = Params::new(params.memory_kib, params.iterations, params.parallelism, Some(32))
        .map_err(|_| CryptoError::KdfParams)?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(secret, salt, out.as_mut_slice()).map_err(|_| CryptoError::KdfParams)?;
    Ok(SymmetricKey::from_bytes(*out))
}

/// What a password unlocks.
pub struct PasswordKeys {
    /// SHA-256 of the auth key: what the server keeps to check a login.
    pub verifier: [u8; 32],
    /// Wraps the user's data key.
    pub kek: SymmetricKey,
}

impl PasswordKeys {
    pub fn from_root(root: &SymmetricKey) -> Self {
        let auth = root.derive("tj/auth");
        Self { verifier: sha256(auth.as_bytes()), kek: root.derive("tj/kek") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Small parameters keep the unit tests quick; the real cost is exercised by the HTTP tests.
    const FAST: KdfParams = KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 };

    #[test]
    fn same_password_and_salt_give_same_keys() {
        let salt = new_salt();
        let a = PasswordKeys::from_root(&derive_root(b"correct horse", &salt, FAST).unwrap());
        let b = PasswordKeys::from_root(&derive_root(b"correct horse", &salt, FAST).unwrap());
        assert_eq!(a.verifier, b.verifier);
        assert_eq!(a.kek.as_bytes(), b.kek.as_bytes());
    }

    #[test]
    fn different_salt_or_password_gives_different_keys() {
        let salt = new_salt();
        let a = PasswordKeys::from_root(&derive_root(b"correct horse", &salt, FAST).unwrap());
        let b = PasswordKeys::from_root(&derive_root(b"correct horsf", &salt, FAST).unwrap());
        let c = PasswordKeys::from_root(&derive_root(b"correct horse", &new_salt(), FAST).unwrap());
        assert_ne!(a.verifier, b.verifier);
        assert_ne!(a.verifier, c.verifier);
    }

    #[test]
    fn verifier_is_not_the_kek() {
        let keys = PasswordKeys::from_root(&derive_root(b"pw", &new_salt(), FAST).unwrap());
        assert_ne!(&keys.verifier, keys.kek.as_bytes());
    }

    #[test]
    fn default_params_are_the_documented_ones() {
        assert_eq!(KdfParams::DEFAULT.memory_kib, 65536);
        assert_eq!(KdfParams::DEFAULT.iterations, 3);
        assert_eq!(KdfParams::DEFAULT.parallelism, 1);
    }

    #[test]
    fn absurd_params_are_refused() {
        let bad = KdfParams { memory_kib: 1, iterations: 0, parallelism: 0 };
        assert!(derive_root(b"pw", &new_salt(), bad).is_err());
    }
}
