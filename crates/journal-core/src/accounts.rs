//! Accounts and the key hierarchy of SECURITY.md, as operations on `UserRecord`s:
//!
//! ```text
//! password --Argon2id--> root --HKDF tj/auth--> verifier (stored as SHA-256)
//!                             --HKDF tj/kek---> wraps the DEK
//! recovery code --Argon2id--> wraps the DEK
//! session token --HKDF----> wraps the DEK (one copy per live session or API token)
//! DEK wraps the user's X25519 secret key, every entry key and the metrics key.
//! ```
//!
//! Functions marked *blocking* run Argon2id (64 MiB, about a tenth of a second): call them on a
//! blocking thread. Nothing here logs or returns a secret in a printable form.

use journal_crypto::{
    Aad, KdfParams, PasswordKeys, RecoveryCode, SessionToken, SymmetricKey, UserKeyPair, constant_time_eq, derive_root,
    new_salt,
};

use crate::ids::new_id;
use crate::store::{PasswordCredentials, RecoveryCredentials, SessionKind, SessionRecord, UserRecord};
use crate::time_util::Timestamp;
use crate::validate::{DisplayName, Email, Password};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Client,
    Therapist,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Therapist => "therapist",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "client" => Some(Role::Client),
            "therapist" => Some(Role::Therapist),
            _ => None,
        }
    }
}

/// A user whose data key is in memory because they proved who they are (password, recovery
/// code, or a live session token). It is the only way to reach that user's data.
///
/// The fields stay inside journal-core: the data key leaves only as the sub-keys and seals that
/// the functions here and beside the entry, record and bridge types derive from it.
pub struct UnlockedUser {
    pub(crate) user: UserRecord,
    pub(crate) dek: SymmetricKey,
    /// The session this request came through, when it came through one.
    pub(crate) session_id: Option<String>,
    pub(crate) session_kind: Option<SessionKind>,
}

impl UnlockedUser {
    /// A user unlocked outside any session (sign-in, recovery, sign-up, the demo data).
    pub fn new(user: UserRecord, dek: SymmetricKey) -> Self {
        UnlockedUser { user, dek, session_id: None, session_kind: None }
    }

    /// A user unlocked by a live session token.
    pub fn in_session(user: UserRecord, dek: SymmetricKey, session_id: String, session_kind: SessionKind) -> Self {
        UnlockedUser { user, dek, session_id: Some(session_id), session_kind: Some(session_kind) }
    }

    /// The same user and key, for work that outlives the request (a blocking task), tied to no
    /// session.
    pub fn without_session(&self) -> Self {
        UnlockedUser::new(self.user.clone(), self.dek.clone())
    }

    pub fn id(&self) -> &str {
        &self.user.id
    }

    pub fn user(&self) -> &UserRecord {
        &self.user
    }

    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    pub fn session_kind(&self) -> Option<SessionKind> {
        self.session_kind
    }

    /// *Blocking.* Credentials that wrap this user's data key under a new password.
    pub fn password_credentials(
        &self,
        password: &Password,
        kdf: KdfParams,
    ) -> Result<PasswordCredentials, journal_crypto::CryptoError> {
        password_credentials(&self.user.id, password, &self.dek, kdf)
    }

    /// The user's X25519 key pair, unwrapped with the data key.
    pub fn key_pair(&self) -> Option<UserKeyPair> {
        let aad = aad_secret_key(&self.user.id);
        let secret = self.dek.unwrap_key(&self.user.secret_key_wrapped, &aad).ok()?;
        Some(UserKeyPair::from_secret(&secret))
    }
}

fn aad_dek_password(user_id: &str) -> Aad<'_> {
    Aad::new("users", "dek_by_password", user_id, user_id)
}

fn aad_dek_recovery(user_id: &str) -> Aad<'_> {
    Aad::new("users", "dek_by_recovery", user_id, user_id)
}

fn aad_secret_key(user_id: &str) -> Aad<'_> {
    Aad::new("users", "secret_key_wrapped", user_id, user_id)
}

fn aad_session<'a>(session_id: &'a str, user_id: &'a str) -> Aad<'a> {
    Aad::new("sessions", "dek_wrapped", session_id, user_id)
}

/// *Blocking.* Derives the password credentials that wrap `dek`.
pub fn password_credentials(
    user_id: &str,
    password: &Password,
    dek: &SymmetricKey,
    kdf: KdfParams,
) -> Result<PasswordCredentials, journal_crypto::CryptoError> {
    let salt = new_salt();
    let keys = PasswordKeys::from_root(&derive_root(password.as_bytes(), &salt, kdf)?);
    Ok(PasswordCredentials {
        kdf,
        salt: salt.to_vec(),
        verifier: keys.verifier.to_vec(),
        dek_wrapped: keys.kek.wrap(dek, &aad_dek_password(user_id)),
    })
}

/// *Blocking.* A new recovery code and the credentials it unlocks; the previous code stops
/// working as soon as these replace it.
pub fn recovery_credentials(
    user_id: &str,
    dek: &SymmetricKey,
    kdf: KdfParams,
) -> Result<(RecoveryCredentials, RecoveryCode), journal_crypto::CryptoError> {
    let code = RecoveryCode::generate();
    let salt = new_salt();
    let kek = code.kek(&salt, kdf)?;
    let creds =
        RecoveryCredentials { kdf, salt: salt.to_vec(), dek_wrapped: kek.wrap(dek, &aad_dek_recovery(user_id)) };
    Ok((creds, code))
}

pub struct NewAccount {
    pub user: UserRecord,
    pub recovery_code: RecoveryCode,
    /// The new data key, so the creator can start a session without deriving it again.
    pub dek: SymmetricKey,
}

/// *Blocking.* A brand-new account: fresh data key, key pair, password and recovery credentials.
pub fn new_account(
    email: &Email,
    display_name: &DisplayName,
    role: Role,
    password: &Password,
    now: Timestamp,
    kdf: KdfParams,
) -> Result<NewAccount, journal_crypto::CryptoError> {
    let id = new_id();
    fresh_keys(id, email.as_str(), display_name.as_str(), role, password, now, kdf)
}

/// *Blocking.* The account emptied by an operator reset: same id, email, name and role; new
/// keys, so nothing encrypted before can ever be read again.
pub fn reset_account(
    old: &UserRecord,
    password: &Password,
    kdf: KdfParams,
) -> Result<NewAccount, journal_crypto::CryptoError> {
    let mut account =
        fresh_keys(old.id.clone(), &old.email, &old.display_name, old.role, password, old.created_at, kdf)?;
    account.user.disabled = old.disabled;
    account.user.time_zone = old.time_zone.clone();
    account.user.country = old.country.clone();
    account.user.week_start = old.week_start;
    // Never reuse a version number: a server's cached search index must see the reset.
    account.user.content_version = old.content_version + 1;
    Ok(account)
}

fn fresh_keys(
    id: String,
    email: &str,
    display_name: &str,
    role: Role,
    password: &Password,
    now: Timestamp,
    kdf: KdfParams,
) -> Result<NewAccount, journal_crypto::CryptoError> {
    let dek = SymmetricKey::generate();
    let pair = UserKeyPair::generate();
    let password_creds = password_credentials(&id, password, &dek, kdf)?;
    let (recovery, code) = recovery_credentials(&id, &dek, kdf)?;
    let secret_key_wrapped = dek.wrap(&pair.secret(), &aad_secret_key(&id));
    let user = UserRecord {
        email: email.to_owned(),
        display_name: display_name.to_owned(),
        role,
        created_at: now,
        disabled: false,
        time_zone: "UTC".to_owned(),
        country: None,
        week_start: 1,
        content_version: 0,
        password: password_creds,
        recovery,
        public_key: pair.public_bytes().to_vec(),
        secret_key_wrapped,
        id,
    };
    Ok(NewAccount { user, recovery_code: code, dek })
}

/// *Blocking.* The data key if `password` is right. The verifier is compared in constant time.
pub fn unlock_with_password(user: &UserRecord, password: &[u8]) -> Option<SymmetricKey> {
    let root = derive_root(password, &user.password.salt, user.password.kdf).ok()?;
    let keys = PasswordKeys::from_root(&root);
    if !constant_time_eq(&keys.verifier, &user.password.verifier) {
        return None;
    }
    keys.kek.unwrap_key(&user.password.dek_wrapped, &aad_dek_password(&user.id)).ok()
}

/// *Blocking.* The same work as a real password check, for an email that has no account, so
/// that timing does not tell who has one.
pub fn burn_password_check(password: &[u8]) {
    let _ = derive_root(password, &[0u8; 16], KdfParams::DEFAULT);
}

/// *Blocking.* The data key if `code` is this user's current recovery code.
pub fn unlock_with_recovery(user: &UserRecord, code: &RecoveryCode) -> Option<SymmetricKey> {
    let kek = code.kek(&user.recovery.salt, user.recovery.kdf).ok()?;
    kek.unwrap_key(&user.recovery.dek_wrapped, &aad_dek_recovery(&user.id)).ok()
}

/// A new session (or API token) carrying its own wrapped copy of the data key.
pub fn new_session(
    user_id: &str,
    dek: &SymmetricKey,
    kind: SessionKind,
    name: Option<String>,
    now: Timestamp,
    expires_at: Option<Timestamp>,
) -> (SessionRecord, SessionToken) {
    let token = SessionToken::generate();
    let id = new_id();
    let dek_wrapped = token.kek().wrap(dek, &aad_session(&id, user_id));
    let record = SessionRecord {
        token_hash: token.hash().to_vec(),
        user_id: user_id.to_owned(),
        kind,
        name,
        dek_wrapped,
        created_at: now,
        last_seen_at: now,
        expires_at,
        id,
    };
    (record, token)
}

/// The data key held by a session, given the token the client presented.
pub fn unlock_session(session: &SessionRecord, token: &SessionToken) -> Option<SymmetricKey> {
    token.kek().unwrap_key(&session.dek_wrapped, &aad_session(&session.id, &session.user_id)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams { memory_kib: 256, iterations: 1, parallelism: 1 };

    fn account() -> (NewAccount, Password) {
        let pw = Password::parse("password", "a long enough password").unwrap();
        let acc = new_account(
            &Email::parse("sam@example.org").unwrap(),
            &DisplayName::parse("Sam").unwrap(),
            Role::Client,
            &pw,
            1_700_000_000,
            FAST,
        )
        .unwrap();
        (acc, pw)
    }

    #[test]
    fn password_recovery_and_session_unlock_the_same_data_key() {
        let (acc, pw) = account();
        let by_pw = unlock_with_password(&acc.user, pw.as_bytes()).unwrap();
        let by_code = unlock_with_recovery(&acc.user, &acc.recovery_code).unwrap();
        assert_eq!(by_pw.as_bytes(), by_code.as_bytes());
        let (session, token) = new_session(&acc.user.id, &by_pw, SessionKind::Browser, None, 0, None);
        assert_eq!(unlock_session(&session, &token).unwrap().as_bytes(), by_pw.as_bytes());
        assert!(unlock_session(&session, &SessionToken::generate()).is_none());
    }

    #[test]
    fn wrong_password_or_code_unlocks_nothing() {
        let (acc, _) = account();
        assert!(unlock_with_password(&acc.user, b"a long enough passwore").is_none());
        assert!(unlock_with_recovery(&acc.user, &RecoveryCode::generate()).is_none());
    }

    #[test]
    fn password_change_rewraps_the_same_data_key() {
        let (mut acc, pw) = account();
        let dek = unlock_with_password(&acc.user, pw.as_bytes()).unwrap();
        let new_pw = Password::parse("password", "another long password").unwrap();
        acc.user.password = password_credentials(&acc.user.id, &new_pw, &dek, FAST).unwrap();
        assert!(unlock_with_password(&acc.user, pw.as_bytes()).is_none());
        let again = unlock_with_password(&acc.user, new_pw.as_bytes()).unwrap();
        assert_eq!(again.as_bytes(), dek.as_bytes());
    }

    #[test]
    fn credentials_copied_to_another_user_do_not_open() {
        let (a, pw) = account();
        let (mut b, _) = account();
        b.user.password = a.user.password.clone();
        assert!(unlock_with_password(&b.user, pw.as_bytes()).is_none());
    }

    #[test]
    fn key_pair_unwraps_with_the_data_key() {
        let (acc, pw) = account();
        let dek = unlock_with_password(&acc.user, pw.as_bytes()).unwrap();
        let public = acc.user.public_key.clone();
        let unlocked = UnlockedUser { user: acc.user, dek, session_id: None, session_kind: None };
        assert_eq!(unlocked.key_pair().unwrap().public_bytes().to_vec(), public);
    }
}
