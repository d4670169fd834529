//! The session cookie: HttpOnly, SameSite=Lax, and Secure with the `__Host-` prefix over HTTPS.
//! No `Max-Age`, so it also ends when the browser closes.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::config::Config;

/// The session cookie's name over plain HTTP, and over HTTPS (where the `__Host-` prefix makes the
/// browser refuse it unless `Secure`, host-only and `Path=/`). The OpenAPI document names them from
/// here too, so the contract and the server cannot disagree.
pub const SESSION: &str = "tj_session";
pub const SESSION_HTTPS: &str = "__Host-tj_session";
/// The device cookie that lets a browser past the per-account sign-in limit.
pub const DEVICE: &str = "tj_device";
pub const DEVICE_HTTPS: &str = "__Host-tj_device";

// The names are chosen here, beside the cookies, so the configuration need not know about them.
impl Config {
    pub fn session_cookie_name(&self) -> &'static str {
        if self.is_https() { SESSION_HTTPS } else { SESSION }
    }

    pub fn device_cookie_name(&self) -> &'static str {
        if self.is_https() { DEVICE_HTTPS } else { DEVICE }
    }
}

pub fn find<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

pub fn session_cookie(config: &Config, value: &str) -> HeaderValue {
    let secure = if config.is_https() { "; Secure" } else { "" };
    let text = format!("{}={value}; Path=/; HttpOnly; SameSite=Lax{secure}", config.session_cookie_name());
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("tj_session=; Path=/"))
}

pub fn clear_session_cookie(config: &Config) -> HeaderValue {
    let secure = if config.is_https() { "; Secure" } else { "" };
    let text = format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", config.session_cookie_name());
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("tj_session=; Path=/; Max-Age=0"))
}

/// The person's theme choice, readable without a session so the login page matches too.
pub const THEME_COOKIE: &str = "tj_theme";

pub fn theme(headers: &HeaderMap) -> &'static str {
    match find(headers, THEME_COOKIE) {
        Some("light") => "light",
        Some("dark") => "dark",
        _ => "system",
    }
}
