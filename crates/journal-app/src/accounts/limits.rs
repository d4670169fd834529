//! Fixed-window attempt counters, kept in the database so that every app server on it counts
//! the same attempts. Counters are named by a keyed hash of what they count ("login-ip:…",
//! "login-account:…"), so the table holds no addresses or emails.

use std::time::Duration;

use journal_crypto::SymmetricKey;

use crate::App;
use crate::error::ServiceError;

/// The server's keys, derived from the random secret in the database's server-settings row,
/// fetched once per process.
pub struct ServerKeys {
    /// Names counters.
    pub counters: SymmetricKey,
    /// Signs device cookies.
    pub device: SymmetricKey,
}

pub async fn server_keys(app: &App) -> Result<&ServerKeys, ServiceError> {
    app.server_keys
        .get_or_try_init(|| async {
            let candidate = journal_crypto::random_bytes::<32>();
            let secret = app.store.server_secret(&candidate, journal_core::time_util::now()).await?;
            let root = SymmetricKey::from_slice(&secret).map_err(|_| {
                tracing::error!("the server secret in the database is not 32 bytes");
                ServiceError::internal()
            })?;
            Ok(ServerKeys {
                counters: journal_core::server_keys::rate_limit_key(&root),
                device: journal_core::server_keys::device_cookie_key(&root),
            })
        })
        .await
}

fn window_secs(window: Duration) -> i64 {
    i64::try_from(window.as_secs()).unwrap_or(i64::MAX / 4).max(1)
}

async fn counter_key(app: &App, name: &str) -> Result<[u8; 32], ServiceError> {
    Ok(server_keys(app).await?.counters.mac(name.as_bytes()))
}

/// Counts one attempt and returns how many there have been in this window (this one included)
/// and how many seconds are left of it.
pub async fn count(app: &App, name: &str) -> Result<(u32, u64), ServiceError> {
    let key = counter_key(app, name).await?;
    let now = journal_core::time_util::now();
    let (n, reset_at) = app.store.hit_counter(&key, window_secs(app.settings.rate_limits.window), now).await?;
    Ok((n, u64::try_from(reset_at.saturating_sub(now)).unwrap_or(0).max(1)))
}

/// Counts one attempt; past `max` in the window the answer is 429 with how long to wait.
pub async fn limit(app: &App, name: &str, max: u32) -> Result<(), ServiceError> {
    let (n, wait) = count(app, name).await?;
    if n > max { Err(ServiceError::rate_limited(wait)) } else { Ok(()) }
}

/// Counts one attempt; past `max` each further one waits a little longer, up to the maximum.
/// Nobody is refused, so nobody can be locked out this way, but guessing gets slow.
pub async fn slow_down(app: &App, name: &str, max: u32) -> Result<(), ServiceError> {
    let (n, _) = count(app, name).await?;
    let limits = &app.settings.rate_limits;
    if n > max {
        let delay = limits.login_slowdown_step.saturating_mul(n - max).min(limits.login_slowdown_max);
        tokio::time::sleep(delay).await;
    }
    Ok(())
}

/// Forgets a counter, e.g. an account's count from an address once it signed in there.
pub async fn reset(app: &App, name: &str) -> Result<(), ServiceError> {
    let key = counter_key(app, name).await?;
    app.store.clear_counter(&key).await?;
    Ok(())
}
