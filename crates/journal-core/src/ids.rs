//! Opaque identifiers: 16 random bytes as lowercase hex. They reveal nothing (not an order, not
//! a count) and are safe in URLs.

pub fn new_id() -> String {
    let bytes = journal_crypto::random_bytes::<16>();
    let mut out = String::with_capacity(32);
    for b in bytes {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// Whether a string from a URL could be one of our ids; anything else is answered with 404
/// before it reaches the database.
pub fn looks_like_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_recognisable() {
        let a = new_id();
        assert!(looks_like_id(&a));
        assert_ne!(a, new_id());
        assert!(!looks_like_id("../etc/passwd"));
        assert!(!looks_like_id(&a.to_uppercase()));
    }
}
