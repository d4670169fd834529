//! The blob format: `version(1) ‖ nonce(24) ‖ ciphertext ‖ tag`, XChaCha20-Poly1305 with a
//! random nonce. The associated data binds every blob to its table, column, row and owner, so a
//! blob copied to another row or another user's account fails to decrypt instead of leaking.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::{CryptoError, SymmetricKey};

pub const BLOB_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Where a blob lives. Each part is length-prefixed when encoded, so `("ab","c")` and
/// `("a","bc")` can never produce the same associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aad<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: &'a str,
    pub owner_id: &'a str,
}

impl<'a> Aad<'a> {
    pub fn new(table: &'a str, column: &'a str, row_id: &'a str, owner_id: &'a str) -> Self {
        Self { table, column, row_id, owner_id }
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let parts = [self.table, self.column, self.row_id, self.owner_id];
        let mut out = Vec::with_capacity(4 + parts.iter().map(|p| p.len() + 4).sum::<usize>());
        out.extend_from_slice(b"tj1\0");
        for part in parts {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
        out
    }
}

pub fn seal(key: &SymmetricKey, aad: &Aad<'_>, plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut rand_core::OsRng);
    let aad = aad.encode();
    let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + TAG_LEN);
    out.push(BLOB_VERSION);
    out.extend_from_slice(&nonce);
    match cipher.encrypt(&nonce, Payload { msg: plaintext, aad: &aad }) {
        Ok(ct) => out.extend_from_slice(&ct),
        // Encryption only fails for plaintexts beyond 256 GiB, which no request can carry.
        Err(_) => unreachable!("XChaCha20-Poly1305 encryption of a bounded message"),
    }
    out
}

pub fn open(key: &SymmetricKey, aad: &Aad<'_>, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if blob.len() < 1 + NONCE_LEN + TAG_LEN || blob[0] != BLOB_VERSION {
        return Err(CryptoError::Decrypt);
    }
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let nonce = XNonce::from_slice(&blob[1..1 + NONCE_LEN]);
    let aad = aad.encode();
    cipher
        .decrypt(nonce, Payload { msg: &blob[1 + NONCE_LEN..], aad: &aad })
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn aad() -> Aad<'static> {
        Aad::new("entries", "body", "row-1", "user-1")
    }

    #[test]
    fn sealed_blob_has_documented_layout() {
        let key = SymmetricKey::generate();
        let blob = seal(&key, &aad(), b"hello");
        assert_eq!(blob[0], BLOB_VERSION);
        assert_eq!(blob.len(), 1 + 24 + 5 + 16);
    }

    #[test]
    fn nonces_differ_between_seals() {
        let key = SymmetricKey::generate();
        assert_ne!(seal(&key, &aad(), b"same"), seal(&key, &aad(), b"same"));
    }

    #[test]
    fn blob_moved_to_another_row_or_owner_fails() {
        let key = SymmetricKey::generate();
        let blob = seal(&key, &aad(), b"secret");
        for moved in [
            Aad::new("entries", "body", "row-2", "user-1"),
            Aad::new("entries", "body", "row-1", "user-2"),
            Aad::new("entries", "title", "row-1", "user-1"),
            Aad::new("moods", "body", "row-1", "user-1"),
            Aad::new("entries", "body", "row-", "1user-1"),
        ] {
            assert_eq!(open(&key, &moved, &blob), Err(CryptoError::Decrypt));
        }
    }

    #[test]
    fn truncated_or_unknown_version_fails() {
        let key = SymmetricKey::generate();
        let mut blob = seal(&key, &aad(), b"secret");
        assert!(open(&key, &aad(), &blob[..20]).is_err());
        blob[0] = 9;
        assert!(open(&key, &aad(), &blob).is_err());
        assert!(open(&key, &aad(), &[]).is_err());
    }

    proptest! {
        #[test]
        fn round_trip(msg in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let key = SymmetricKey::generate();
            let blob = seal(&key, &aad(), &msg);
            prop_assert_eq!(open(&key, &aad(), &blob).map(|p| p.to_vec()), Ok(msg));
        }

        #[test]
        fn wrong_key_fails(msg in proptest::collection::vec(any::<u8>(), 0..256)) {
            let blob = seal(&SymmetricKey::generate(), &aad(), &msg);
            prop_assert!(open(&SymmetricKey::generate(), &aad(), &blob).is_err());
        }

        #[test]
        fn any_flipped_bit_fails(msg in proptest::collection::vec(any::<u8>(), 1..256), pos in any::<usize>(), bit in 0u8..8) {
            let key = SymmetricKey::generate();
            let mut blob = seal(&key, &aad(), &msg);
            let i = pos % blob.len();
            blob[i] ^= 1 << bit;
            prop_assert!(open(&key, &aad(), &blob).is_err());
        }
    }
}
