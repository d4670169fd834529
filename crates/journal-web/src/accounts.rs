//! Account operations shared by the JSON API and the pages: each checks its rate limits, runs
//! the Argon2 work on the bounded worker pool, and talks to the store. Handlers only decode
//! input and shape output.

use journal_core::accounts::{
    self, NewAccount, burn_password_check, new_session, password_credentials, recovery_credentials,
    unlock_with_password, unlock_with_recovery,
};
use journal_core::bridge::Event;
use journal_core::time_util::now;
use journal_core::validate::{DisplayName, Email, Password, ValidationError, token_name};
use journal_core::{Role, SessionKind, StoreError, UserRecord};
use journal_crypto::{KdfParams, RecoveryCode, SessionToken, SymmetricKey};

use crate::auth::{CurrentUser, rate_limit};
use crate::error::AppError;
use crate::server::AppState;

pub fn invalid_credentials() -> AppError {
    AppError::new(
        axum::http::StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "That email and password don't match. Please check them and try again.",
    )
}

/// What the sign-in limits know of whoever is trying, beyond their address.
#[derive(Clone, Copy)]
pub enum Known<'a> {
    Nothing,
    /// The value of the device cookie the browser sent, to be checked.
    Device(&'a str),
    /// Someone already signed in (with this session) confirming their password.
    Session(&'a str),
}

pub struct RegisterInput<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    /// IANA name; UTC when not given.
    pub time_zone: Option<&'a str>,
}

pub async fn register(state: &AppState, ip: &str, input: RegisterInput<'_>) -> Result<NewAccount, AppError> {
    if !state.config.registration_open {
        return Err(AppError::forbidden(
            "registration_closed",
            "New accounts are created by the people who run this journal. Please ask them for one.",
        ));
    }
    let email = Email::parse(input.email)?;
    let display_name = DisplayName::parse(input.display_name)?;
    let role = Role::parse(input.role)
        .ok_or_else(|| ValidationError::new("role", "Please choose whether you are a client or a therapist."))?;
    let password = Password::parse("password", input.password)?;
    let time_zone = match input.time_zone.map(str::trim).filter(|t| !t.is_empty()) {
        Some(tz) => journal_core::dates::parse_time_zone(tz)?,
        None => "UTC".to_owned(),
    };
    rate_limit::limit(state, &format!("register-ip:{ip}"), state.config.rate_limits.register_per_ip).await?;
    create_account(state, email, display_name, role, password, time_zone).await
}

/// Creates the account whatever the sign-up setting (the caller decides who may).
pub async fn create_account(
    state: &AppState,
    email: Email,
    display_name: DisplayName,
    role: Role,
    password: Password,
    time_zone: String,
) -> Result<NewAccount, AppError> {
    let mut account = state
        .kdf
        .run(move || accounts::new_account(&email, &display_name, role, &password, now(), KdfParams::DEFAULT))
        .await?
        .map_err(|_| AppError::internal())?;
    account.user.time_zone = time_zone;
    match state.store.insert_user(&account.user).await {
        Ok(()) => Ok(account),
        Err(StoreError::Conflict(_)) => Err(AppError::conflict(
            "email_taken",
            "There is already an account with that email. You can sign in, or recover it with your recovery code.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Checks email and password; unknown emails cost the same work and get the same answer.
///
/// Limits: a browser that signed in to this account before (or a signed-in session) has its own
/// counter. Anyone else is counted per address and per account and address, which refuse when
/// exceeded, and per account, which only slows down, so a stranger cannot lock the owner out.
async fn verify(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
    known: Known<'_>,
) -> Result<(UserRecord, SymmetricKey), AppError> {
    let limits = &state.config.rate_limits;
    let Ok(email) = Email::parse(email) else {
        rate_limit::limit(state, &format!("login-ip:{ip}"), limits.login_per_ip).await?;
        return Err(invalid_credentials());
    };
    let own_counter = match known {
        Known::Device(cookie) => crate::auth::device::recognised(state, cookie, email.as_str()).await?,
        Known::Session(id) => Some(format!("login-session:{id}")),
        Known::Nothing => None,
    };
    let account_ip = format!("login-account-ip:{}:{ip}", email.as_str());
    match &own_counter {
        Some(counter) => rate_limit::limit(state, counter, limits.login_per_device).await?,
        None => {
            rate_limit::limit(state, &format!("login-ip:{ip}"), limits.login_per_ip).await?;
            rate_limit::limit(state, &account_ip, limits.login_per_account_ip).await?;
            rate_limit::slow_down(state, &format!("login-account:{}", email.as_str()), limits.login_per_account)
                .await?;
        }
    }
    let verified = check_password(state, email, password).await?;
    // Someone who got in from here is not a guesser: their earlier typos stop counting.
    rate_limit::reset(state, own_counter.as_deref().unwrap_or(&account_ip)).await?;
    Ok(verified)
}

async fn check_password(
    state: &AppState,
    email: Email,
    password: &str,
) -> Result<(UserRecord, SymmetricKey), AppError> {
    let password = zeroize::Zeroizing::new(password.as_bytes().to_vec());
    let Some(user) = state.store.user_by_email(email.as_str()).await? else {
        state.kdf.run(move || burn_password_check(&password)).await?;
        return Err(invalid_credentials());
    };
    let (user, dek) = state
        .kdf
        .run(move || {
            let dek = unlock_with_password(&user, &password);
            (user, dek)
        })
        .await?;
    let dek = dek.ok_or_else(invalid_credentials)?;
    if user.disabled {
        return Err(AppError::forbidden(
            "account_disabled",
            "This account has been paused by the people who run this journal. Please contact them.",
        ));
    }
    Ok((user, dek))
}

pub async fn start_session(
    state: &AppState,
    user: &UserRecord,
    dek: &SymmetricKey,
    kind: SessionKind,
    name: Option<String>,
) -> Result<(journal_core::SessionRecord, SessionToken), AppError> {
    let now = now();
    let expires_at = match kind {
        SessionKind::Browser => Some(now + i64::try_from(state.config.session_max.as_secs()).unwrap_or(i64::MAX / 2)),
        SessionKind::Api => None,
    };
    let (record, token) = new_session(&user.id, dek, kind, name, now, expires_at);
    state.store.insert_session(&record).await?;
    Ok((record, token))
}

/// A new browser session: a fresh token at every login.
pub async fn login(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
    device_cookie: Option<&str>,
) -> Result<(UserRecord, SessionToken), AppError> {
    let known = device_cookie.map_or(Known::Nothing, Known::Device);
    let (user, dek) = verify(state, ip, email, password, known).await?;
    let (record, token) = start_session(state, &user, &dek, SessionKind::Browser, None).await?;
    crate::access_log::signed_in(state, &user, &dek, Event::SignedIn, &record.id, "browser").await?;
    Ok((user, token))
}

pub async fn create_api_token(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
    name: &str,
) -> Result<(String, SessionToken), AppError> {
    let name = token_name(name)?;
    let (user, dek) = verify(state, ip, email, password, Known::Nothing).await?;
    let (record, token) = start_session(state, &user, &dek, SessionKind::Api, Some(name)).await?;
    crate::access_log::signed_in(state, &user, &dek, Event::TokenCreated, &record.id, "api").await?;
    Ok((record.id, token))
}

/// Re-checks the password of someone already signed in (before deleting, exporting, …).
pub async fn confirm_password(state: &AppState, ip: &str, who: &CurrentUser, password: &str) -> Result<(), AppError> {
    let known = who.unlocked.session_id().map_or(Known::Nothing, Known::Session);
    verify(state, ip, &who.unlocked.user().email, password, known).await.map(|_| ()).map_err(|e| {
        if e.code == "invalid_credentials" {
            AppError::new(e.status, "wrong_password", "That password isn't right. Please try again.")
                .with_field("password")
        } else {
            e
        }
    })
}

/// Re-wraps only the data key under the new password, and ends every other session and token.
pub async fn change_password(
    state: &AppState,
    ip: &str,
    who: &CurrentUser,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let new = Password::parse("new_password", new)?;
    confirm_password(state, ip, who, current)
        .await
        .map_err(|e| if e.code == "wrong_password" { e.with_field("current_password") } else { e })?;
    let owner = who.unlocked.without_session();
    let creds = state
        .kdf
        .run(move || owner.password_credentials(&new, KdfParams::DEFAULT))
        .await?
        .map_err(|_| AppError::internal())?;
    state.store.replace_credentials(who.id(), &creds, None, who.unlocked.session_id()).await?;
    crate::access_log::by_owner(state, who, Event::PasswordChanged, "account", "password", "").await
}

/// Forgot the password: the recovery code unwraps the data key; a new password and a new code
/// replace the old ones, and every session ends.
pub async fn recover(
    state: &AppState,
    ip: &str,
    email: &str,
    code: &str,
    new_password: &str,
) -> Result<RecoveryCode, AppError> {
    let wrong = || {
        AppError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "invalid_recovery",
            "That email and recovery code don't match. Please check them and try again.",
        )
    };
    let new_password = Password::parse("new_password", new_password)?;
    let limits = &state.config.rate_limits;
    rate_limit::limit(state, &format!("recover-ip:{ip}"), limits.recover_per_ip).await?;
    let email = Email::parse(email).map_err(|_| wrong())?;
    rate_limit::limit(state, &format!("recover-account-ip:{}:{ip}", email.as_str()), limits.recover_per_account_ip)
        .await?;
    rate_limit::slow_down(state, &format!("recover-account:{}", email.as_str()), limits.recover_per_account).await?;
    let code = RecoveryCode::parse(code);
    let user = state.store.user_by_email(email.as_str()).await?;
    let (Some(user), Some(code)) = (user, code) else {
        state.kdf.run(|| burn_password_check(b"recovery")).await?;
        return Err(wrong());
    };
    let (user, dek) = state
        .kdf
        .run(move || {
            let dek = unlock_with_recovery(&user, &code);
            (user, dek)
        })
        .await?;
    let dek = dek.ok_or_else(wrong)?;
    let user_id = user.id.clone();
    let (password, recovery, code) = state
        .kdf
        .run(move || -> Result<_, journal_crypto::CryptoError> {
            let password = password_credentials(&user_id, &new_password, &dek, KdfParams::DEFAULT)?;
            let (recovery, code) = recovery_credentials(&user_id, &dek, KdfParams::DEFAULT)?;
            Ok((password, recovery, code))
        })
        .await?
        .map_err(|_| AppError::internal())?;
    state.store.replace_credentials(&user.id, &password, Some(&recovery), None).await?;
    crate::access_log::owner_event(state, &user, Event::Recovered, "account", "recovery_code", "").await?;
    Ok(code)
}

/// Removes every row of the user, keys included, then purges freed space from the files.
pub async fn delete_account(state: &AppState, ip: &str, who: &CurrentUser, password: &str) -> Result<(), AppError> {
    confirm_password(state, ip, who, password).await?;
    state.store.delete_user(who.id()).await?;
    state.search.remove(who.id());
    state.store.purge_freed_space().await?;
    tracing::info!("an account was deleted");
    Ok(())
}

pub async fn logout(state: &AppState, who: &CurrentUser) -> Result<(), AppError> {
    if let Some(id) = who.unlocked.session_id() {
        state.store.delete_session(who.id(), id).await?;
    }
    // Plaintext held for search leaves memory with the person.
    state.search.remove(who.id());
    Ok(())
}

impl AppError {
    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(std::borrow::Cow::Borrowed(field));
        self
    }
}

/// Checks and saves the preferences that need no keys; `None` leaves a value as it is.
pub async fn update_preferences(
    state: &AppState,
    who: &CurrentUser,
    time_zone: Option<&str>,
    country: Option<&str>,
    week_start: Option<u8>,
) -> Result<(), AppError> {
    let user = who.unlocked.user();
    if let Some(tz) = time_zone {
        let tz = journal_core::dates::parse_time_zone(tz)?;
        state.store.set_time_zone(user.id.as_str(), &tz).await?;
    }
    let country = match country.map(str::trim) {
        None => user.country.clone(),
        // Chosen on purpose, unlike no choice at all (then the time zone suggests one).
        Some("") => Some(String::new()),
        Some(c) => {
            let c = c.to_ascii_uppercase();
            if journal_core::crisis::country_name(&c).is_none() {
                return Err(ValidationError::new(
                    "country",
                    "Please choose a country from the list, or leave it empty to see every country's lines.",
                )
                .into());
            }
            Some(c)
        }
    };
    let week_start = match week_start {
        None => user.week_start,
        Some(d @ 1..=7) => d,
        Some(_) => {
            return Err(ValidationError::new("week_start", "week_start must be 1 (Monday) to 7 (Sunday).").into());
        }
    };
    state.store.set_preferences(user.id.as_str(), country.as_deref(), week_start).await?;
    Ok(())
}

/// The crisis lines for this person's country (all of them when none is set).
pub fn crisis_for(state: &AppState, user: Option<&UserRecord>) -> journal_core::crisis::Directory {
    state.config.crisis.for_country(user.and_then(|u| country_of(u).map(|(c, _)| c)))
}

/// The person's country for crisis lines: the one they chose, or else a guess from the time zone
/// they signed up with (`true` when guessed), which settings lets them change.
pub fn country_of(user: &UserRecord) -> Option<(&str, bool)> {
    match user.country.as_deref() {
        Some(c) => Some((c, false)),
        None => journal_core::crisis::country_for_time_zone(&user.time_zone).map(|c| (c, true)),
    }
}
