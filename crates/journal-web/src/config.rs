//! What the operator chooses at start-up. The services see their part of it as
//! `journal_app::Settings`; the rest (cookies, proxies, body size) is HTTP's own.

use std::time::Duration;

pub use journal_app::RateLimits;

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
    /// Questionnaires offered only when the operator turns them on after confirming their
    /// licence (`--enable-instrument pss10`).
    pub enabled_instruments: Vec<journal_core::assessments::InstrumentId>,
    /// Crisis lines and emergency numbers: the shipped list unless the operator gave their own.
    pub crisis: journal_core::crisis::Directory,
    /// The server key the access log is MACed under. It lives in a file outside the database
    /// (`--access-log-key`), so someone who can only write the database cannot rewrite the log.
    /// Every app server on one database needs the same key.
    pub access_log_key: journal_crypto::SymmetricKey,
    /// Call the app "Journal", with a plain icon, for everyone (home screen, tab titles, header):
    /// for services whose clients' phones may be looked at by someone else. Each person can also
    /// choose this for their own device in settings.
    pub neutral_app_name: bool,
    /// The reminder delivery worker's pace.
    pub delivery: journal_app::reminders::DeliverySettings,
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
            enabled_instruments: Vec::new(),
            crisis: journal_core::crisis::Directory::builtin(),
            // A fresh key for each process: real servers always pass the key file's.
            access_log_key: journal_crypto::SymmetricKey::generate(),
            neutral_app_name: false,
            delivery: journal_app::reminders::DeliverySettings::default(),
        }
    }
}

impl Config {
    /// Whether this journal offers a questionnaire (its licence and the operator's flags).
    pub fn offers(&self, id: journal_core::assessments::InstrumentId) -> bool {
        journal_app::offers(id, self.who5_enabled, &self.enabled_instruments)
    }

    /// The questionnaires this journal offers, in the registry's order.
    pub fn offered_instruments(&self) -> Vec<journal_core::assessments::InstrumentId> {
        journal_core::assessments::InstrumentId::ALL.into_iter().filter(|&i| self.offers(i)).collect()
    }

    /// The part of the configuration the services read.
    pub fn settings(&self) -> journal_app::Settings {
        journal_app::Settings {
            public_url: self.public_url.clone(),
            registration_open: self.registration_open,
            session_idle: self.session_idle,
            session_max: self.session_max,
            rate_limits: self.rate_limits.clone(),
            search_cache_bytes: self.search_cache_bytes,
            who5_enabled: self.who5_enabled,
            enabled_instruments: self.enabled_instruments.clone(),
            crisis: self.crisis.clone(),
            access_log_key: self.access_log_key.clone(),
            kdf: journal_crypto::KdfParams::DEFAULT,
            delivery: self.delivery.clone(),
        }
    }

    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}
