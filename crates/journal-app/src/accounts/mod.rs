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
use journal_core::{Role, SessionKind, SessionRecord, StoreError, UserRecord};
use journal_crypto::{RecoveryCode, SessionToken, SymmetricKey};

use crate::accounts::limits as rate_limit;
use crate::error::ServiceError;
use crate::{App, UnlockedUser};

pub mod access_log;
pub mod device;
pub mod kdf;
pub mod limits;

pub fn invalid_credentials() -> ServiceError {
    ServiceError::unauthorized_as(
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

pub async fn register(app: &App, ip: &str, input: RegisterInput<'_>) -> Result<NewAccount, ServiceError> {
    if !app.settings.registration_open {
        return Err(ServiceError::forbidden(
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
    rate_limit::limit(app, &format!("register-ip:{ip}"), app.settings.rate_limits.register_per_ip).await?;
    create_account(app, email, display_name, role, password, time_zone).await
}

/// Creates the account whatever the sign-up setting (the caller decides who may).
pub async fn create_account(
    app: &App,
    email: Email,
    display_name: DisplayName,
    role: Role,
    password: Password,
    time_zone: String,
) -> Result<NewAccount, ServiceError> {
    let kdf = app.settings.kdf;
    let mut account = app
        .kdf
        .run(move || accounts::new_account(&email, &display_name, role, &password, now(), kdf))
        .await?
        .map_err(|_| ServiceError::internal())?;
    account.user.time_zone = time_zone;
    match app.store.insert_user(&account.user).await {
        Ok(()) => Ok(account),
        Err(StoreError::Conflict(_)) => Err(ServiceError::conflict(
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
    app: &App,
    ip: &str,
    email: &str,
    password: &str,
    known: Known<'_>,
) -> Result<(UserRecord, SymmetricKey), ServiceError> {
    let limits = &app.settings.rate_limits;
    let Ok(email) = Email::parse(email) else {
        rate_limit::limit(app, &format!("login-ip:{ip}"), limits.login_per_ip).await?;
        return Err(invalid_credentials());
    };
    let own_counter = match known {
        Known::Device(cookie) => device::recognised(app, cookie, email.as_str()).await?,
        Known::Session(id) => Some(format!("login-session:{id}")),
        Known::Nothing => None,
    };
    let account_ip = format!("login-account-ip:{}:{ip}", email.as_str());
    match &own_counter {
        Some(counter) => rate_limit::limit(app, counter, limits.login_per_device).await?,
        None => {
            rate_limit::limit(app, &format!("login-ip:{ip}"), limits.login_per_ip).await?;
            rate_limit::limit(app, &account_ip, limits.login_per_account_ip).await?;
            rate_limit::slow_down(app, &format!("login-account:{}", email.as_str()), limits.login_per_account).await?;
        }
    }
    let verified = check_password(app, email, password).await?;
    // Someone who got in from here is not a guesser: their earlier typos stop counting.
    rate_limit::reset(app, own_counter.as_deref().unwrap_or(&account_ip)).await?;
    Ok(verified)
}

async fn check_password(app: &App, email: Email, password: &str) -> Result<(UserRecord, SymmetricKey), ServiceError> {
    let password = zeroize::Zeroizing::new(password.as_bytes().to_vec());
    let Some(user) = app.store.user_by_email(email.as_str()).await? else {
        app.kdf.run(move || burn_password_check(&password)).await?;
        return Err(invalid_credentials());
    };
    let (user, dek) = app
        .kdf
        .run(move || {
            let dek = unlock_with_password(&user, &password);
            (user, dek)
        })
        .await?;
    let dek = dek.ok_or_else(invalid_credentials)?;
    if user.disabled {
        return Err(ServiceError::forbidden(
            "account_disabled",
            "This account has been paused by the people who run this journal. Please contact them.",
        ));
    }
    Ok((user, dek))
}

pub async fn start_session(
    app: &App,
    user: &UserRecord,
    dek: &SymmetricKey,
    kind: SessionKind,
    name: Option<String>,
) -> Result<(journal_core::SessionRecord, SessionToken), ServiceError> {
    let now = now();
    let expires_at = match kind {
        SessionKind::Browser => Some(now + i64::try_from(app.settings.session_max.as_secs()).unwrap_or(i64::MAX / 2)),
        SessionKind::Api => None,
    };
    let (record, token) = new_session(&user.id, dek, kind, name, now, expires_at);
    app.store.insert_session(&record).await?;
    Ok((record, token))
}

/// A new browser session: a fresh token at every login.
pub async fn login(
    app: &App,
    ip: &str,
    email: &str,
    password: &str,
    device_cookie: Option<&str>,
) -> Result<(UserRecord, SessionToken), ServiceError> {
    let known = device_cookie.map_or(Known::Nothing, Known::Device);
    let (user, dek) = verify(app, ip, email, password, known).await?;
    let (record, token) = start_session(app, &user, &dek, SessionKind::Browser, None).await?;
    crate::accounts::access_log::signed_in(app, &user, &dek, Event::SignedIn, &record.id, "browser").await?;
    Ok((user, token))
}

/// Signs in outside any session (the command line): checks the password under the same limits
/// as the sign-in page, records the sign-in in a client's access log, and unlocks the account.
pub async fn sign_in(app: &App, email: &str, password: &str) -> Result<UnlockedUser, ServiceError> {
    let (user, dek) = verify(app, SIGN_IN_ELSEWHERE, email, password, Known::Nothing).await?;
    crate::accounts::access_log::signed_in(app, &user, &dek, Event::SignedIn, "", SIGN_IN_ELSEWHERE).await?;
    Ok(UnlockedUser::new(user, dek))
}

/// Where a sign-in without an address comes from, for the limits and the access log.
const SIGN_IN_ELSEWHERE: &str = "cli";

pub async fn create_api_token(
    app: &App,
    ip: &str,
    email: &str,
    password: &str,
    name: &str,
) -> Result<(String, SessionToken), ServiceError> {
    let name = token_name(name)?;
    let (user, dek) = verify(app, ip, email, password, Known::Nothing).await?;
    let (record, token) = start_session(app, &user, &dek, SessionKind::Api, Some(name)).await?;
    crate::accounts::access_log::signed_in(app, &user, &dek, Event::TokenCreated, &record.id, "api").await?;
    Ok((record.id, token))
}

/// Re-checks the password of someone already signed in (before deleting, exporting, …).
pub async fn confirm_password(app: &App, ip: &str, who: &UnlockedUser, password: &str) -> Result<(), ServiceError> {
    let known = who.session_id().map_or(Known::Nothing, Known::Session);
    verify(app, ip, &who.user().email, password, known).await.map(|_| ()).map_err(|e| {
        if matches!(e, ServiceError::Unauthorized { code: "invalid_credentials", .. }) {
            ServiceError::unauthorized_as("wrong_password", "That password isn't right. Please try again.")
                .with_field("password")
        } else {
            e
        }
    })
}

/// Re-wraps only the data key under the new password, and ends every other session and token.
pub async fn change_password(
    app: &App,
    ip: &str,
    who: &UnlockedUser,
    current: &str,
    new: &str,
) -> Result<(), ServiceError> {
    let new = Password::parse("new_password", new)?;
    confirm_password(app, ip, who, current).await.map_err(|e| match e {
        ServiceError::Unauthorized { code: "wrong_password", .. } => e.with_field("current_password"),
        e => e,
    })?;
    let owner = who.without_session();
    let kdf = app.settings.kdf;
    let creds =
        app.kdf.run(move || owner.password_credentials(&new, kdf)).await?.map_err(|_| ServiceError::internal())?;
    app.store.replace_credentials(who.id(), &creds, None, who.session_id()).await?;
    crate::accounts::access_log::by_owner(app, who, Event::PasswordChanged, "account", "password", "").await
}

/// Forgot the password: the recovery code unwraps the data key; a new password and a new code
/// replace the old ones, and every session ends.
pub async fn recover(
    app: &App,
    ip: &str,
    email: &str,
    code: &str,
    new_password: &str,
) -> Result<RecoveryCode, ServiceError> {
    let wrong = || {
        ServiceError::unauthorized_as(
            "invalid_recovery",
            "That email and recovery code don't match. Please check them and try again.",
        )
    };
    let new_password = Password::parse("new_password", new_password)?;
    let limits = &app.settings.rate_limits;
    rate_limit::limit(app, &format!("recover-ip:{ip}"), limits.recover_per_ip).await?;
    let email = Email::parse(email).map_err(|_| wrong())?;
    rate_limit::limit(app, &format!("recover-account-ip:{}:{ip}", email.as_str()), limits.recover_per_account_ip)
        .await?;
    rate_limit::slow_down(app, &format!("recover-account:{}", email.as_str()), limits.recover_per_account).await?;
    let code = RecoveryCode::parse(code);
    let user = app.store.user_by_email(email.as_str()).await?;
    let (Some(user), Some(code)) = (user, code) else {
        app.kdf.run(|| burn_password_check(b"recovery")).await?;
        return Err(wrong());
    };
    let (user, dek) = app
        .kdf
        .run(move || {
            let dek = unlock_with_recovery(&user, &code);
            (user, dek)
        })
        .await?;
    let dek = dek.ok_or_else(wrong)?;
    let user_id = user.id.clone();
    let kdf = app.settings.kdf;
    let (password, recovery, code) = app
        .kdf
        .run(move || -> Result<_, journal_crypto::CryptoError> {
            let password = password_credentials(&user_id, &new_password, &dek, kdf)?;
            let (recovery, code) = recovery_credentials(&user_id, &dek, kdf)?;
            Ok((password, recovery, code))
        })
        .await?
        .map_err(|_| ServiceError::internal())?;
    app.store.replace_credentials(&user.id, &password, Some(&recovery), None).await?;
    crate::accounts::access_log::owner_event(app, &user, Event::Recovered, "account", "recovery_code", "").await?;
    Ok(code)
}

/// Removes every row of the user, keys included, then purges freed space from the files.
pub async fn delete_account(app: &App, ip: &str, who: &UnlockedUser, password: &str) -> Result<(), ServiceError> {
    confirm_password(app, ip, who, password).await?;
    app.store.delete_user(who.id()).await?;
    app.search.remove(who.id());
    app.store.purge_freed_space().await?;
    tracing::info!("an account was deleted");
    Ok(())
}

pub async fn logout(app: &App, who: &UnlockedUser) -> Result<(), ServiceError> {
    if let Some(id) = who.session_id() {
        app.store.delete_session(who.id(), id).await?;
    }
    // Plaintext held for search leaves memory with the person.
    app.search.remove(who.id());
    Ok(())
}

/// Checks and saves the preferences that need no keys; `None` leaves a value as it is.
pub async fn update_preferences(
    app: &App,
    who: &UnlockedUser,
    time_zone: Option<&str>,
    country: Option<&str>,
    week_start: Option<u8>,
) -> Result<(), ServiceError> {
    let user = who.user();
    if let Some(tz) = time_zone {
        set_time_zone(app, who, tz).await?;
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
    app.store.set_preferences(user.id.as_str(), country.as_deref(), week_start).await?;
    Ok(())
}

/// The crisis lines for this person's country (all of them when none is set).
pub fn crisis_for(app: &App, user: Option<&UserRecord>) -> journal_core::crisis::Directory {
    app.settings.crisis.for_country(user.and_then(|u| country_of(u).map(|(c, _)| c)))
}

/// The person's country for crisis lines: the one they chose, or else a guess from the time zone
/// they signed up with (`true` when guessed), which settings lets them change.
pub fn country_of(user: &UserRecord) -> Option<(&str, bool)> {
    match user.country.as_deref() {
        Some(c) => Some((c, false)),
        None => journal_core::crisis::country_for_time_zone(&user.time_zone).map(|c| (c, true)),
    }
}

/// Looks a presented session or API token up, applies idle and absolute expiry, and unwraps the
/// data key: the way from a token to an `UnlockedUser`.
pub async fn authenticate(app: &App, token: &SessionToken) -> Result<UnlockedUser, ServiceError> {
    let store = &app.store;
    let (session, user) = store.session_and_user(&token.hash()).await?.ok_or_else(ServiceError::unauthorized)?;
    let now = now();
    let idle = i64::try_from(app.settings.session_idle.as_secs()).unwrap_or(i64::MAX);
    let expired = session.expires_at.is_some_and(|at| at <= now)
        || (session.kind == SessionKind::Browser && now.saturating_sub(session.last_seen_at) > idle);
    if expired {
        store.delete_session(&session.user_id, &session.id).await?;
        return Err(ServiceError::unauthorized_as(
            "session_expired",
            "You were signed out to keep your journal private. Please sign in again.",
        ));
    }
    let dek = accounts::unlock_session(&session, token).ok_or_else(ServiceError::unauthorized)?;
    if user.disabled {
        return Err(ServiceError::unauthorized());
    }
    // Recording activity costs a write; once a minute is precise enough for a 30-minute timeout,
    // and a shorter timeout is recorded at least twice per timeout so use keeps it alive.
    if now - session.last_seen_at >= (idle / 2).min(60) {
        store.touch_session(&session.id, now).await?;
    }
    Ok(UnlockedUser::in_session(user, dek, session.id, session.kind))
}

/// Expired sessions are refused when presented anyway; this only keeps the tables small, and
/// lets decrypted search indexes go with the sessions that could use them.
pub async fn sweep_expired(app: &App) {
    let now = now();
    let idle = i64::try_from(app.settings.session_idle.as_secs()).unwrap_or(i64::MAX / 2);
    if let Err(e) = app.store.delete_expired_sessions(now, now - idle).await {
        tracing::warn!(error = %e, "could not sweep expired sessions");
    }
    if let Err(e) = app.store.delete_expired_counters(now).await {
        tracing::warn!(error = %e, "could not sweep sign-in attempt counters");
    }
    app.search.evict_idle(app.settings.session_idle);
}

/// Checks and saves the time zone dates are counted in.
pub async fn set_time_zone(app: &App, who: &UnlockedUser, time_zone: &str) -> Result<(), ServiceError> {
    let tz = journal_core::dates::parse_time_zone(time_zone)?;
    app.store.set_time_zone(who.id(), &tz).await?;
    Ok(())
}

/// The account as it is stored now (after a change made in this request).
pub async fn current_record(app: &App, who: &UnlockedUser) -> Result<UserRecord, ServiceError> {
    app.store.user_by_id(who.id()).await?.ok_or_else(ServiceError::unauthorized)
}

/// Every browser session and API token of the account (never the secrets themselves).
pub async fn sessions(app: &App, who: &UnlockedUser) -> Result<Vec<SessionRecord>, ServiceError> {
    Ok(app.store.list_sessions(who.id()).await?)
}

/// Revokes one API token; it stops working at once. Anything else by that id is `not_found`.
pub async fn revoke_token(app: &App, who: &UnlockedUser, id: &str) -> Result<(), ServiceError> {
    let is_token = sessions(app, who).await?.iter().any(|s| s.id == id && s.kind == SessionKind::Api);
    if !is_token || !app.store.delete_session(who.id(), id).await? {
        return Err(ServiceError::not_found());
    }
    Ok(())
}

/// Signs out every other browser; this one and the API tokens stay.
pub async fn end_other_sessions(app: &App, who: &UnlockedUser) -> Result<(), ServiceError> {
    let this = who.session_id();
    for s in sessions(app, who).await?.iter().filter(|s| s.kind == SessionKind::Browser && Some(s.id.as_str()) != this)
    {
        app.store.delete_session(who.id(), &s.id).await?;
    }
    Ok(())
}
