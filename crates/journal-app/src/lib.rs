//! The application layer of Therapy Journal: every service the product offers, written once and
//! used alike by the HTTP layer (`journal-web`) and the command line (`therapy-journal`).
//!
//! A service is shaped `fn(&App, &UnlockedUser, input) -> Result<T, ServiceError>`: the `App`
//! holds the store and what is shared across requests, the `UnlockedUser` is the only way to a
//! user's data, and `ServiceError` says what went wrong with a stable code and no HTTP status.
//!
//! The folders are the product's words: `accounts`, `journal`, `health` (moods, assessments, the
//! metrics key), `goals` (achievements, reminders, review), `prompts`, `coping` (thought records,
//! the safety plan), `bridge` (links, shares, comments, homework, caseload, summary) and
//! `portability` (export, import). This crate knows nothing of HTTP.

pub mod accounts;
pub mod bridge;
pub mod coping;
pub mod damaged;
pub mod error;
pub mod goals;
pub mod health;
pub mod journal;
pub mod portability;
pub mod prompts;
pub mod reminders;

use std::sync::Arc;
use std::time::Duration;

pub use error::{ServiceError, ServiceResult};
use journal_core::Store;
pub use journal_core::UnlockedUser;
use journal_core::search::cache::SearchCache;

use crate::accounts::kdf::KdfWorkers;
use crate::accounts::limits::ServerKeys;

/// What the services need of the operator's choices.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address people use, e.g. `https://journal.example.org` (calendar links name it).
    pub public_url: Option<String>,
    /// Whether anyone may sign up; when closed, the command line still can.
    pub registration_open: bool,
    /// A browser session ends after this long without a request.
    pub session_idle: Duration,
    /// A browser session ends this long after login, however active.
    pub session_max: Duration,
    pub rate_limits: RateLimits,
    /// Memory for all users' in-memory search indexes together; least recently used go first.
    pub search_cache_bytes: usize,
    /// Offer the WHO-5 questionnaire (CC BY-NC-SA 3.0 IGO: non-commercial use only).
    pub who5_enabled: bool,
    /// Questionnaires offered only when the operator turns them on after confirming their
    /// licence (`--enable-instrument pss10`).
    pub enabled_instruments: Vec<journal_core::assessments::InstrumentId>,
    /// Crisis lines and emergency numbers: the shipped list unless the operator gave their own.
    pub crisis: journal_core::crisis::Directory,
    /// The server key the access log is MACed under (kept outside the database).
    pub access_log_key: journal_crypto::SymmetricKey,
    /// Argon2id cost for new passwords and recovery codes. Each account keeps the cost it was
    /// created with, so only tests that are not about sign-in choose a cheaper one.
    pub kdf: journal_crypto::KdfParams,
    /// The reminder delivery worker's pace.
    pub delivery: reminders::DeliverySettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: None,
            registration_open: true,
            session_idle: Duration::from_secs(30 * 60),
            session_max: Duration::from_secs(12 * 3600),
            rate_limits: RateLimits::default(),
            search_cache_bytes: 256 * 1024 * 1024,
            who5_enabled: true,
            enabled_instruments: Vec::new(),
            crisis: journal_core::crisis::Directory::builtin(),
            // A fresh key for each process: real servers always pass the key file's.
            access_log_key: journal_crypto::SymmetricKey::generate(),
            kdf: journal_crypto::KdfParams::DEFAULT,
            delivery: reminders::DeliverySettings::default(),
        }
    }
}

impl Settings {
    /// Whether this journal offers a questionnaire (its licence and the operator's flags).
    pub fn offers(&self, id: journal_core::assessments::InstrumentId) -> bool {
        offers(id, self.who5_enabled, &self.enabled_instruments)
    }

    /// The questionnaires this journal offers, in the registry's order.
    pub fn offered_instruments(&self) -> Vec<journal_core::assessments::InstrumentId> {
        journal_core::assessments::InstrumentId::ALL.into_iter().filter(|&i| self.offers(i)).collect()
    }
}

/// One rule for the server's pages and its services: the registry's licence, the operator's
/// `--enable-instrument` and `--disable-who5`.
pub fn offers(
    id: journal_core::assessments::InstrumentId,
    who5_enabled: bool,
    enabled: &[journal_core::assessments::InstrumentId],
) -> bool {
    let disabled: &[_] = if who5_enabled { &[] } else { &[journal_core::assessments::InstrumentId::Who5] };
    id.offered(enabled, disabled)
}

/// Attempts allowed per window, counted in the database so the limits hold across app servers.
/// Going over a limit is refused with `rate_limited`, except the per-account limit, which only
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

/// The application: one per process, cheap to clone (everything is shared).
#[derive(Clone)]
pub struct App {
    /// Only services reach the store; nothing outside this crate can.
    store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    /// Derived from the database's server secret on first use.
    server_keys: Arc<tokio::sync::OnceCell<ServerKeys>>,
    kdf: KdfWorkers,
    /// Users' decrypted search indexes, kept in memory between requests.
    pub search: Arc<SearchCache>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Self {
        let search = Arc::new(SearchCache::new(settings.search_cache_bytes));
        Self { store, settings: Arc::new(settings), server_keys: Arc::default(), kdf: KdfWorkers::default(), search }
    }

    /// Signs in with an email and password, outside any session: see `accounts::sign_in`.
    pub async fn sign_in(&self, email: &str, password: &str) -> ServiceResult<UnlockedUser> {
        accounts::sign_in(self, email, password).await
    }

    /// Whether the database answers (for the health check); the error is for the log only.
    pub async fn ping(&self) -> Result<(), journal_core::StoreError> {
        self.store.ping().await
    }

    /// CPU-heavy work that is not Argon2 (decrypting and indexing a journal) on a blocking thread.
    pub async fn run_blocking<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
        tokio::task::spawn_blocking(work).await.map_err(|_| ServiceError::internal())
    }
}
