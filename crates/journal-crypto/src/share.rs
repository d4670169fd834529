//! Each user's X25519 key pair and the authenticated boxes that carry an item key from a client
//! to a therapist. `crypto_box` authenticates the sender too, so someone who can only write to
//! the database cannot plant a share that looks like it came from the client.
//!
//! NaCl boxes take no associated data, so the place a box belongs to (the same `Aad` as for
//! envelopes) travels inside the authenticated plaintext, after the key, and must match on open.

use crypto_box::aead::{Aead, AeadCore};
use crypto_box::{ChaChaBox, PublicKey, SecretKey};

use crate::{Aad, CryptoError, SymmetricKey, sha256};

const BOX_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

pub struct UserKeyPair {
    secret: SecretKey,
}

impl UserKeyPair {
    pub fn generate() -> Self {
        Self { secret: SecretKey::generate(&mut rand_core::OsRng) }
    }

    pub fn from_secret(key: &SymmetricKey) -> Self {
        Self { secret: SecretKey::from(*key.as_bytes()) }
    }

    /// The secret half as a key, to be wrapped by the data key.
    pub fn secret(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(self.secret.to_bytes())
    }

    pub fn public_bytes(&self) -> [u8; 32] {
        *self.secret.public_key().as_bytes()
    }
}

fn public_key(bytes: &[u8]) -> Result<PublicKey, CryptoError> {
    PublicKey::from_slice(bytes).map_err(|_| CryptoError::KeyMaterial)
}

/// A short, human-comparable fingerprint of a public key (shown before linking to a therapist).
pub fn fingerprint(public: &[u8]) -> String {
    let digest = sha256(public);
    digest[..10].chunks(2).map(|pair| format!("{:02X}{:02X}", pair[0], pair[1])).collect::<Vec<_>>().join(" ")
}

pub fn box_key(
    sender: &UserKeyPair,
    recipient_public: &[u8],
    key: &SymmetricKey,
    aad: &Aad<'_>,
) -> Result<Vec<u8>, CryptoError> {
    let b = ChaChaBox::new(&public_key(recipient_public)?, &sender.secret);
    let nonce = ChaChaBox::generate_nonce(&mut rand_core::OsRng);
    let mut msg = zeroize::Zeroizing::new(key.as_bytes().to_vec());
    msg.extend_from_slice(&aad.encode());
    let ct = b.encrypt(&nonce, msg.as_slice()).map_err(|_| CryptoError::KeyMaterial)?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(BOX_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

pub fn unbox_key(
    recipient: &UserKeyPair,
    sender_public: &[u8],
    blob: &[u8],
    aad: &Aad<'_>,
) -> Result<SymmetricKey, CryptoError> {
    if blob.len() < 1 + NONCE_LEN + 16 || blob[0] != BOX_VERSION {
        return Err(CryptoError::Decrypt);
    }
    let b = ChaChaBox::new(&public_key(sender_public)?, &recipient.secret);
    let nonce = crypto_box::Nonce::from_slice(&blob[1..1 + NONCE_LEN]);
    let plain = zeroize::Zeroizing::new(b.decrypt(nonce, &blob[1 + NONCE_LEN..]).map_err(|_| CryptoError::Decrypt)?);
    if plain.len() < 32 || !crate::constant_time_eq(&plain[32..], &aad.encode()) {
        return Err(CryptoError::Decrypt);
    }
    SymmetricKey::from_slice(&plain[..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aad() -> Aad<'static> {
        Aad::new("entry_shares", "key", "entry-1", "client-1")
    }

    #[test]
    fn therapist_opens_what_client_boxed() {
        let client = UserKeyPair::generate();
        let therapist = UserKeyPair::generate();
        let cek = SymmetricKey::generate();
        let blob = box_key(&client, &therapist.public_bytes(), &cek, &aad()).unwrap();
        let opened = unbox_key(&therapist, &client.public_bytes(), &blob, &aad()).unwrap();
        assert_eq!(opened.as_bytes(), cek.as_bytes());
    }

    #[test]
    fn box_from_an_impostor_fails() {
        let client = UserKeyPair::generate();
        let impostor = UserKeyPair::generate();
        let therapist = UserKeyPair::generate();
        let blob = box_key(&impostor, &therapist.public_bytes(), &SymmetricKey::generate(), &aad()).unwrap();
        assert!(unbox_key(&therapist, &client.public_bytes(), &blob, &aad()).is_err());
    }

    #[test]
    fn box_for_someone_else_or_elsewhere_fails() {
        let client = UserKeyPair::generate();
        let therapist = UserKeyPair::generate();
        let other = UserKeyPair::generate();
        let blob = box_key(&client, &therapist.public_bytes(), &SymmetricKey::generate(), &aad()).unwrap();
        assert!(unbox_key(&other, &client.public_bytes(), &blob, &aad()).is_err());
        let moved = Aad::new("entry_shares", "key", "entry-2", "client-1");
        assert!(unbox_key(&therapist, &client.public_bytes(), &blob, &moved).is_err());
    }

    #[test]
    fn secret_survives_wrapping_round_trip() {
        let pair = UserKeyPair::generate();
        let restored = UserKeyPair::from_secret(&pair.secret());
        assert_eq!(pair.public_bytes(), restored.public_bytes());
    }

    #[test]
    fn fingerprint_is_stable_and_readable() {
        let pair = UserKeyPair::generate();
        let f = fingerprint(&pair.public_bytes());
        assert_eq!(f, fingerprint(&pair.public_bytes()));
        assert_eq!(f.len(), 5 * 4 + 4);
    }
}
