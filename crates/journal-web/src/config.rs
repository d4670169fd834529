//! What the operator chooses at start-up.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// The address people use, e.g. `https://journal.example.org`. When it is HTTPS the session
    /// cookie gets `Secure` and the `__Host-` prefix, and responses carry HSTS.
    pub public_url: Option<String>,
    /// Whether anyone may sign up; when closed, `therapy-journal admin create-user` still can.
    pub registration_open: bool,
    /// A browser session ends after this long without a request.
    pub session_idle: Duration,
    /// A browser session ends this long after login, however active.
    pub session_max: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted load balancer).
    pub trust_proxy: bool,
    pub rate_limits: RateLimits,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Memory for all users' in-memory search indexes together; least recently used go first.
    pub search_cache_bytes: usize,
    /// Offer the WHO-5 questionnaire (CC BY-NC-SA 3.0 IGO: non-commercial use only).
    pub who5_enabled: bool,
    /// Crisis lines and emergency numbers: the shipped list unless the operator gave their own.
    pub crisis: journal_core::crisis::Directory,
    /// The server key the access log is MACed under. It lives in a file outside the database
    /// (`--access-log-key`), so someone who can only write the database cannot rewrite the log.
    /// Every app server on one database needs the same key.
    pub access_log_key: journal_crypto::SymmetricKey,
    /// The reminder delivery worker's pace.
    pub delivery: crate::delivery::DeliverySettings,
}

/// Attempts allowed per window, counted in the database so the limits hold across app servers.
/// Going over a limit answers 429 with `Retry-After`, except the per-account limit, which only
/// slows attempts down: a stranger guessing someone's password must not lock them out.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub window: Duration,
    /// Sign-in attempts from one address, whatever the account.
    pub login_per_ip: u32,
    /// Sign-in attempts for one account from one address.
    pub login_per_account_ip: u32,
    /// Sign-in attempts from one browser that signed in to the account before (its device
    /// cookie): instead of the address and account limits.
    pub login_per_device: u32,
    /// Sign-in attempts for one account, from anywhere, before each further one is slowed down.
    pub login_per_account: u32,
    /// The wait added to each attempt past `login_per_account`, times how far past it is…
    pub login_slowdown_step: Duration,
    /// …up to this.
    pub login_slowdown_max: Duration,
    pub register_per_ip: u32,
    pub recover_per_ip: u32,
    /// Recovery attempts for one account from one address (past it, from anywhere, they slow
    /// down like sign-ins).
    pub recover_per_account_ip: u32,
    pub recover_per_account: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            login_per_ip: 50,
            login_per_account_ip: 10,
            login_per_device: 10,
            login_per_account: 10,
            login_slowdown_step: Duration::from_secs(1),
            login_slowdown_max: Duration::from_secs(10),
            register_per_ip: 20,
            recover_per_ip: 20,
            recover_per_account_ip: 5,
            recover_per_account: 5,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            public_url: None,
            registration_open: true,
            session_idle: Duration::from_secs(30 * 60),
            session_max: Duration::from_secs(12 * 3600),
            trust_proxy: false,
            rate_limits: RateLimits::default(),
            max_body_bytes: 1024 * 1024,
            search_cache_bytes: 256 * 1024 * 1024,
            who5_enabled: true,
            crisis: journal_core::crisis::Directory::builtin(),
            // A fresh key for each process: real servers always pass the key file's.
            access_log_key: journal_crypto::SymmetricKey::generate(),
            delivery: crate::delivery::DeliverySettings::default(),
        }
    }
}

impl Config {
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.is_https() { crate::auth::cookie::SESSION_HTTPS } else { crate::auth::cookie::SESSION }
    }

    pub fn device_cookie_name(&self) -> &'static str {
        if self.is_https() { crate::auth::cookie::DEVICE_HTTPS } else { crate::auth::cookie::DEVICE }
    }
}
