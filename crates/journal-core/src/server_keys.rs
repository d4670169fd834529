//! The server's own keys, derived from the random secret in the database's server-settings row.
//! They guard no user data: they name rate-limit counters and sign device cookies.

use journal_crypto::SymmetricKey;

// The labels are part of the stored data: a change renames every counter and signs out every
// remembered device.

/// Names the attempt counters, so the table holds no addresses or emails.
pub fn rate_limit_key(root: &SymmetricKey) -> SymmetricKey {
    root.derive("tj/rate-limit")
}

/// Signs device cookies.
pub fn device_cookie_key(root: &SymmetricKey) -> SymmetricKey {
    root.derive("tj/device-cookie")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_key_labels_are_unchanged() {
        let root = SymmetricKey::from_bytes([7; 32]);
        assert_eq!(rate_limit_key(&root).as_bytes(), root.derive("tj/rate-limit").as_bytes());
        assert_eq!(device_cookie_key(&root).as_bytes(), root.derive("tj/device-cookie").as_bytes());
        assert_ne!(rate_limit_key(&root).as_bytes(), device_cookie_key(&root).as_bytes());
    }
}
