//! Session and API tokens: 32 random bytes. The database stores only their SHA-256, and the
//! user's data key wrapped under a key derived from the token itself, so whoever holds the
//! database but not the cookie can neither log in nor unwrap anything.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use crate::{SymmetricKey, random_bytes, sha256};

pub struct SessionToken(Zeroizing<[u8; 32]>);

impl SessionToken {
    pub fn generate() -> Self {
        Self(Zeroizing::new(random_bytes::<32>()))
    }

    /// The form sent to the client (cookie value or bearer token).
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_slice())
    }

    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != 43 {
            return None;
        }
        let bytes = Zeroizing::new(URL_SAFE_NO_PAD.decode(text).ok()?);
        let array: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(Self(Zeroizing::new(array)))
    }

    /// What the database stores to find the session.
    pub fn hash(&self) -> [u8; 32] {
        sha256(self.0.as_slice())
    }

    /// Wraps this session's copy of the data key.
    pub fn kek(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(*self.0).derive("tj/session")
    }

    /// The CSRF token of this session: derived, never stored, and useless without the cookie
    /// (OWASP's HMAC-based synchroniser token pattern).
    pub fn csrf_token(&self) -> String {
        URL_SAFE_NO_PAD.encode(SymmetricKey::from_bytes(*self.0).derive("tj/csrf").as_bytes())
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_parse_round_trip() {
        let t = SessionToken::generate();
        let back = SessionToken::parse(&t.encode()).unwrap();
        assert_eq!(t.hash(), back.hash());
        assert_eq!(t.csrf_token(), back.csrf_token());
    }

    #[test]
    fn garbage_is_not_a_token() {
        assert!(SessionToken::parse("").is_none());
        assert!(SessionToken::parse("short").is_none());
        assert!(SessionToken::parse(&"!".repeat(43)).is_none());
    }

    #[test]
    fn hash_kek_and_csrf_are_distinct() {
        let t = SessionToken::generate();
        assert_ne!(&t.hash(), t.kek().as_bytes());
        assert_ne!(t.csrf_token(), SessionToken::generate().csrf_token());
    }
}
