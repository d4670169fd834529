//! Unsaved drafts of an entry (`new`, or an entry's id), sealed under the drafts sub-key of the
//! data key (docs/SECURITY.md, "Sub-keys"). The web crate owns what a draft holds; this owns how
//! it is sealed.

use journal_crypto::{Aad, CryptoError, SymmetricKey, open, seal};
use zeroize::Zeroizing;

use crate::UnlockedUser;

// The sub-key label and the AAD are part of the stored data: changing either makes every
// existing draft fail to open.
fn drafts_key(user: &UnlockedUser) -> SymmetricKey {
    user.dek.derive("tj/drafts")
}

fn aad<'a>(key: &'a str, owner: &'a str) -> Aad<'a> {
    Aad::new("drafts", "content", key, owner)
}

/// Seals a draft's bytes for the draft slot `key`.
pub fn seal_draft(user: &UnlockedUser, key: &str, plaintext: &[u8]) -> Vec<u8> {
    seal(&drafts_key(user), &aad(key, user.id()), plaintext)
}

pub fn open_draft(user: &UnlockedUser, key: &str, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    open(&drafts_key(user), &aad(key, user.id()), blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_open_with_the_old_sub_key_and_label() {
        let u = UnlockedUser::new(crate::testing::user_record("u1"), SymmetricKey::generate());
        let blob = seal_draft(&u, "new", b"half a thought");
        let old_key = u.dek.derive("tj/drafts");
        assert_eq!(
            open(&old_key, &Aad::new("drafts", "content", "new", "u1"), &blob).unwrap().as_slice(),
            b"half a thought"
        );
        // And the other way round: a draft sealed before the move still opens.
        let old = seal(&old_key, &Aad::new("drafts", "content", "e1", "u1"), b"older");
        assert_eq!(open_draft(&u, "e1", &old).unwrap().as_slice(), b"older");
        assert!(open_draft(&u, "new", &old).is_err(), "a draft is bound to its slot");
    }
}
