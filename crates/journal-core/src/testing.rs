//! Builders shared by this crate's unit tests.

use journal_crypto::KdfParams;

use crate::Role;
use crate::store::{PasswordCredentials, RecoveryCredentials, UserRecord};

pub fn user_record(id: &str) -> UserRecord {
    UserRecord {
        id: id.to_owned(),
        email: format!("{id}@example.org"),
        display_name: id.to_owned(),
        role: Role::Client,
        created_at: 0,
        disabled: false,
        time_zone: "UTC".to_owned(),
        country: None,
        week_start: 1,
        content_version: 0,
        password: PasswordCredentials { kdf: KdfParams::DEFAULT, salt: vec![], verifier: vec![], dek_wrapped: vec![] },
        recovery: RecoveryCredentials { kdf: KdfParams::DEFAULT, salt: vec![], dek_wrapped: vec![] },
        public_key: vec![],
        secret_key_wrapped: vec![],
    }
}
