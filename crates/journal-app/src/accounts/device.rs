//! The device cookie's value: proof that this browser signed in to an account before. It lets
//! that browser past the per-account and per-address sign-in limits (it has a limit of its own),
//! so a stranger guessing someone's password cannot lock them out of their own journal.
//!
//! The value is `v1.ISSUED_AT.ACCOUNT.MAC`: the issue time in Unix seconds, a keyed hash of the
//! account's email (so the cookie does not reveal it) and an HMAC-SHA256 over both under a key
//! derived from the server secret. It holds no key and unlocks nothing by itself. The web layer
//! puts it in a cookie.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use journal_crypto::constant_time_eq;

use crate::accounts::limits::server_keys;
use crate::{App, ServiceError};

/// About a year; a browser unused for longer starts again like any other.
pub const MAX_AGE: i64 = 365 * 24 * 3600;

fn account_tag(state_key: &journal_crypto::SymmetricKey, email: &str) -> String {
    URL_SAFE_NO_PAD.encode(&state_key.mac(format!("device-account:{}", email.to_lowercase()).as_bytes())[..16])
}

fn signature(state_key: &journal_crypto::SymmetricKey, payload: &str) -> String {
    URL_SAFE_NO_PAD.encode(state_key.mac(format!("device-cookie:{payload}").as_bytes()))
}

/// A fresh device value for `email`, issued now.
pub async fn issue(app: &App, email: &str) -> Result<String, ServiceError> {
    let key = &server_keys(app).await?.device;
    let payload = format!("v1.{}.{}", journal_core::time_util::now(), account_tag(key, email));
    Ok(format!("{payload}.{}", signature(key, &payload)))
}

/// When `value` is a genuine, unexpired device value for `email`, the name of its own attempt
/// counter.
pub async fn recognised(app: &App, value: &str, email: &str) -> Result<Option<String>, ServiceError> {
    let Some((payload, mac)) = value.rsplit_once('.') else {
        return Ok(None);
    };
    let mut parts = payload.split('.');
    let (Some("v1"), Some(issued), Some(tag), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    let key = &server_keys(app).await?.device;
    if !constant_time_eq(mac.as_bytes(), signature(key, payload).as_bytes()) {
        return Ok(None);
    }
    let Ok(issued) = issued.parse::<i64>() else {
        return Ok(None);
    };
    let now = journal_core::time_util::now();
    let fresh = issued <= now + 300 && now - issued <= MAX_AGE;
    if !fresh || !constant_time_eq(tag.as_bytes(), account_tag(key, email).as_bytes()) {
        return Ok(None);
    }
    Ok(Some(format!("login-device:{payload}")))
}
