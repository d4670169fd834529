//! The one-time recovery code shown at sign-up. It is run through Argon2id like a password and
//! wraps a copy of the data key, so it is the only way back in when the password is lost.

use std::fmt;

use zeroize::Zeroizing;

use crate::{CryptoError, KdfParams, SymmetricKey, derive_root, random_bytes};

/// Crockford's base32: no I, L, O or U, so a code copied by hand is hard to get wrong.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_BYTES: usize = 15; // 120 bits, 24 characters
const GROUP: usize = 4;

pub struct RecoveryCode(Zeroizing<String>);

impl RecoveryCode {
    pub fn generate() -> Self {
        let bytes = Zeroizing::new(random_bytes::<CODE_BYTES>());
        let mut chars = String::with_capacity(CODE_BYTES * 8 / 5);
        let mut acc: u32 = 0;
        let mut bits = 0;
        for &b in bytes.iter() {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                chars.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
            }
        }
        Self(Zeroizing::new(chars))
    }

    /// Accepts what a person types: any case, spaces or dashes, and the letters people confuse
    /// with digits. Returns `None` when it cannot be a code at all.
    pub fn parse(input: &str) -> Option<Self> {
        let mut out = String::with_capacity(24);
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return None;
            }
            out.push(c);
        }
        (out.len() == CODE_BYTES * 8 / 5).then(|| Self(Zeroizing::new(out)))
    }

    /// Grouped for reading aloud or writing down: `ABCD-EFGH-…`.
    pub fn display(&self) -> String {
        self.0.as_bytes().chunks(GROUP).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }

    /// The key-encryption key this code unlocks.
    pub fn kek(&self, salt: &[u8], params: KdfParams) -> Result<SymmetricKey, CryptoError> {
        Ok(derive_root(self.0.as_bytes(), salt, params)?.derive("tj/recovery"))
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_code_parses_back_from_its_display() {
        let code = RecoveryCode::generate();
        let shown = code.display();
        assert_eq!(shown.len(), 24 + 5);
        let parsed = RecoveryCode::parse(&shown.to_lowercase().replace('-', " ")).unwrap();
        assert_eq!(parsed.display(), shown);
    }

    #[test]
    fn lookalike_letters_are_forgiven() {
        let code = RecoveryCode::parse("0000-1111-2222-3333-4444-5555").unwrap();
        let typed = RecoveryCode::parse("oooo-iiii-2222-3333-4444-5555").unwrap();
        assert_eq!(code.display(), typed.display());
    }

    #[test]
    fn wrong_length_or_symbols_are_refused() {
        assert!(RecoveryCode::parse("ABCD").is_none());
        assert!(RecoveryCode::parse("ABCD-EFGH-JKMN-PQRS-TVWX-YZ0U").is_none());
        assert!(RecoveryCode::parse("ÄBCD-EFGH-JKMN-PQRS-TVWX-YZ01").is_none());
    }

    #[test]
    fn codes_are_random() {
        assert_ne!(RecoveryCode::generate().display(), RecoveryCode::generate().display());
    }
}
