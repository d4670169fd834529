//! Fixed-window attempt counters, kept in the database so that every app server on it counts
//! the same attempts. Counters are named by a keyed hash of what they count ("login-ip:…",
//! "login-account:…"), so the table holds no addresses or emails.

use std::time::Duration;

use journal_crypto::SymmetricKey;

use crate::error::AppError;
use crate::server::AppState;

/// The server's keys, derived from the random secret in the database's server-settings row,
/// fetched once per process.
pub struct ServerKeys {
    /// Names counters.
    pub counters: SymmetricKey,
    /// Signs device cookies.
    pub device: SymmetricKey,
}

pub async fn server_keys(state: &AppState) -> Result<&ServerKeys, AppError> {
    state
        .server_keys
        .get_or_try_init(|| async {
            let candidate = journal_crypto::random_bytes::<32>();
            let secret = state.store.server_secret(&candidate, journal_core::time_util::now()).await?;
            let root = SymmetricKey::from_slice(&secret).map_err(|_| {
                tracing::error!("the server secret in the database is not 32 bytes");
                AppError::internal()
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

async fn counter_key(state: &AppState, name: &str) -> Result<[u8; 32], AppError> {
    Ok(server_keys(state).await?.counters.mac(name.as_bytes()))
}

/// Counts one attempt and returns how many there have been in this window (this one included)
/// and how many seconds are left of it.
pub async fn count(state: &AppState, name: &str) -> Result<(u32, u64), AppError> {
    let key = counter_key(state, name).await?;
    let now = journal_core::time_util::now();
    let (n, reset_at) = state.store.hit_counter(&key, window_secs(state.config.rate_limits.window), now).await?;
    Ok((n, u64::try_from(reset_at.saturating_sub(now)).unwrap_or(0).max(1)))
}

/// Counts one attempt; past `max` in the window the answer is 429 with how long to wait.
pub async fn limit(state: &AppState, name: &str, max: u32) -> Result<(), AppError> {
    let (n, wait) = count(state, name).await?;
    if n > max { Err(AppError::rate_limited(wait)) } else { Ok(()) }
}

/// Counts one attempt; past `max` each further one waits a little longer, up to the maximum.
/// Nobody is refused, so nobody can be locked out this way, but guessing gets slow.
pub async fn slow_down(state: &AppState, name: &str, max: u32) -> Result<(), AppError> {
    let (n, _) = count(state, name).await?;
    let limits = &state.config.rate_limits;
    if n > max {
        let delay = limits.login_slowdown_step.saturating_mul(n - max).min(limits.login_slowdown_max);
        tokio::time::sleep(delay).await;
    }
    Ok(())
}

/// Forgets a counter, e.g. an account's count from an address once it signed in there.
pub async fn reset(state: &AppState, name: &str) -> Result<(), AppError> {
    let key = counter_key(state, name).await?;
    state.store.clear_counter(&key).await?;
    Ok(())
}

/// "12 seconds", "1 minute", "15 minutes": rounded up, so it is never shorter than `Retry-After`.
pub fn wait_in_words(secs: u64) -> String {
    match secs {
        0 | 1 => "1 second".to_owned(),
        2..=59 => format!("{secs} seconds"),
        _ => match secs.div_ceil(60) {
            1 => "1 minute".to_owned(),
            m => format!("{m} minutes"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_words_and_rounded_up() {
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(60), "1 minute");
        assert_eq!(wait_in_words(61), "2 minutes");
        assert_eq!(wait_in_words(900), "15 minutes");
    }
}
