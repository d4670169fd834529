//! The storage contract. Implementations keep rows of ids, timestamps and ciphertext; they never
//! see a key or a plaintext. Every method that touches a user's data takes that user's id, so a
//! query cannot forget its owner.

use async_trait::async_trait;
use journal_crypto::KdfParams;

use crate::accounts::Role;
use crate::entries::{EntryQuery, EntryRecord};
use crate::metrics::{AssessmentRecord, MoodRecord};
use crate::time_util::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken (e.g. the email is taken).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database failed or could not be reached. The message is for logs, never for users.
    #[error("database error: {0}")]
    Backend(String),
    /// The disk holding the database is full: nothing was written, reads still work. The message
    /// is for logs.
    #[error("storage full: {0}")]
    Full(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The rows of one import, all of the same user, sealed and ready to write.
#[derive(Default)]
pub struct ImportWrite {
    pub entries: Vec<EntryRecord>,
    pub moods: Vec<MoodRecord>,
    pub assessments: Vec<AssessmentRecord>,
    pub goals: Vec<crate::goals::GoalRecord>,
    pub checkins: Vec<crate::goals::CheckinRecord>,
    /// `(kind, sealed content)`, each replacing the user's document of that kind.
    pub documents: Vec<(String, Vec<u8>)>,
    pub at: Timestamp,
}

/// A user row: account metadata in clear, every key wrapped.
#[derive(Clone)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: Timestamp,
    pub disabled: bool,
    /// IANA name; today's date and week boundaries are computed here.
    pub time_zone: String,
    /// ISO 3166-1 alpha-2 code choosing which crisis lines come first; none shows them all.
    pub country: Option<String>,
    /// First day of the week, 1 = Monday … 7 = Sunday.
    pub week_start: u8,
    /// Bumped by every write to the user's entries (see `search`).
    pub content_version: i64,
    pub password: PasswordCredentials,
    pub recovery: RecoveryCredentials,
    /// X25519 public key, in clear so others can box keys to this user.
    pub public_key: Vec<u8>,
    /// X25519 secret key wrapped by the data key.
    pub secret_key_wrapped: Vec<u8>,
}

/// Everything that changes when the password changes: the data key itself does not.
#[derive(Clone)]
pub struct PasswordCredentials {
    pub kdf: KdfParams,
    pub salt: Vec<u8>,
    /// SHA-256 of the auth key.
    pub verifier: Vec<u8>,
    /// The data key wrapped under the password's key-encryption key.
    pub dek_wrapped: Vec<u8>,
}

#[derive(Clone)]
pub struct RecoveryCredentials {
    pub kdf: KdfParams,
    pub salt: Vec<u8>,
    /// The data key wrapped under the recovery code's key-encryption key.
    pub dek_wrapped: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A browser login: idle and absolute expiry apply.
    Browser,
    /// A named bearer token for scripts: lives until revoked or the password changes.
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "browser" => Some(SessionKind::Browser),
            "api" => Some(SessionKind::Api),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct SessionRecord {
    pub id: String,
    pub user_id: String,
    /// SHA-256 of the token; the token itself is never stored.
    pub token_hash: Vec<u8>,
    pub kind: SessionKind,
    pub name: Option<String>,
    /// The data key wrapped under a key derived from the token.
    pub dek_wrapped: Vec<u8>,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`, for logs and `/healthz`.
    fn backend(&self) -> &'static str;

    /// Succeeds once the database answers a query.
    async fn ping(&self) -> StoreResult<()>;

    /// Waits for in-flight queries and closes every connection (SQLite also checkpoints its WAL).
    async fn close(&self);

    /// Makes deleted bytes unrecoverable from the files where the backend allows it (SQLite: WAL
    /// checkpoint with truncation; PostgreSQL: `VACUUM` of every table).
    async fn purge_freed_space(&self) -> StoreResult<()>;

    // ---- users
    async fn insert_user(&self, user: &UserRecord) -> StoreResult<()>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>>;
    async fn list_users(&self) -> StoreResult<Vec<UserRecord>>;
    /// Returns whether such a user existed.
    async fn set_user_disabled(&self, id: &str, disabled: bool) -> StoreResult<bool>;
    /// Replaces the password (and, when given, the recovery) credentials and ends every session
    /// of the user except `keep_session`, in one transaction.
    async fn replace_credentials(
        &self,
        user_id: &str,
        password: &PasswordCredentials,
        recovery: Option<&RecoveryCredentials>,
        keep_session: Option<&str>,
    ) -> StoreResult<()>;
    /// Erases everything the user owns and installs fresh key material (`user` keeps its id,
    /// email, name and role). The access log, its head and the head's MAC are kept: they are the
    /// person's record of who saw what, and the reset becomes an event in it. Returns whether the
    /// user existed.
    async fn reset_user(&self, user: &UserRecord) -> StoreResult<bool>;
    /// Removes every row of the user, keys included. Returns whether the user existed.
    async fn delete_user(&self, id: &str) -> StoreResult<bool>;

    // ---- sessions and API tokens
    async fn insert_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn session_by_token_hash(&self, token_hash: &[u8]) -> StoreResult<Option<SessionRecord>>;
    /// The session and its user in one query: every authenticated request asks this first.
    async fn session_and_user(&self, token_hash: &[u8]) -> StoreResult<Option<(SessionRecord, UserRecord)>>;
    async fn touch_session(&self, id: &str, at: Timestamp) -> StoreResult<()>;
    async fn list_sessions(&self, user_id: &str) -> StoreResult<Vec<SessionRecord>>;
    /// Returns whether the user had such a session.
    async fn delete_session(&self, user_id: &str, id: &str) -> StoreResult<bool>;
    /// Removes browser sessions idle since `idle_before` or past their absolute expiry.
    async fn delete_expired_sessions(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64>;

    // ---- sign-in attempt counters and the server secret, shared by every app server
    /// Counts one attempt against `key` in a fixed window of `window` seconds (a new window
    /// starts when the last one has ended) and returns the count so far and when the window
    /// ends. Atomic, so app servers sharing the database share the count.
    async fn hit_counter(&self, key: &[u8], window: i64, now: Timestamp) -> StoreResult<(u32, Timestamp)>;
    /// Forgets a counter (after a successful sign-in).
    async fn clear_counter(&self, key: &[u8]) -> StoreResult<()>;
    /// Removes counters whose window has ended.
    async fn delete_expired_counters(&self, now: Timestamp) -> StoreResult<u64>;
    /// The server secret: `candidate` is kept when there is none yet, and whichever was kept
    /// first is returned, so every app server on the database gets the same one.
    async fn server_secret(&self, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>>;

    // ---- preferences
    async fn set_preferences(&self, user_id: &str, country: Option<&str>, week_start: u8) -> StoreResult<()>;
    async fn set_time_zone(&self, user_id: &str, time_zone: &str) -> StoreResult<()>;

    // ---- journal entries (every write bumps the owner's content version and returns it)
    async fn insert_entry(&self, entry: &EntryRecord) -> StoreResult<i64>;
    /// Many entries of one user in one transaction (imports, demo data).
    async fn insert_entries(&self, user_id: &str, entries: &[EntryRecord]) -> StoreResult<i64>;
    /// Everything one import adds, in one transaction: a failure half-way leaves none of it.
    /// Returns the new content version.
    async fn import(&self, user_id: &str, batch: &ImportWrite) -> StoreResult<i64>;
    /// `None` when the user has no such entry.
    async fn update_entry(&self, entry: &EntryRecord) -> StoreResult<Option<i64>>;
    /// `None` when the user has no such entry.
    async fn delete_entry(&self, user_id: &str, id: &str) -> StoreResult<Option<i64>>;
    async fn entry(&self, user_id: &str, id: &str) -> StoreResult<Option<EntryRecord>>;
    /// The user's entries among `ids` (at most 200), in no particular order.
    async fn entries_by_ids(&self, user_id: &str, ids: &[String]) -> StoreResult<Vec<EntryRecord>>;
    /// Newest `entry_date` first (then newest created), strictly after `query.after`.
    async fn list_entries(&self, user_id: &str, query: &EntryQuery) -> StoreResult<Vec<EntryRecord>>;
    /// Every entry of the user, newest first (for the search index and tag filters).
    async fn all_entries(&self, user_id: &str) -> StoreResult<Vec<EntryRecord>>;
    /// How many entries each day in `from..=to` has (days without entries are left out).
    async fn entry_days(&self, user_id: &str, from: &str, to: &str) -> StoreResult<Vec<(String, i64)>>;
    /// Entries from the same day of the year (`MM-DD`) or of the month (`DD`) before `before`.
    async fn entries_on_month_day(
        &self,
        user_id: &str,
        month_day: &str,
        day_of_month: &str,
        before: &str,
    ) -> StoreResult<Vec<EntryRecord>>;

    // ---- autosaved drafts (encrypted by the caller)
    // ---- therapist bridge
    async fn create_invite(&self, invite: &crate::bridge::InviteRecord) -> StoreResult<()>;
    async fn invite(&self, code_hash: &[u8]) -> StoreResult<Option<crate::bridge::InviteRecord>>;
    /// Uses the invite (unused and unexpired at `now`) and creates the link, in one transaction.
    /// `Ok(false)` when the invite is gone; `Conflict` when the two are linked already.
    async fn redeem_invite(
        &self,
        code_hash: &[u8],
        connection: &crate::bridge::ConnectionRecord,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Links where the user is the therapist or the client, oldest first.
    async fn connections(&self, user_id: &str) -> StoreResult<Vec<crate::bridge::ConnectionRecord>>;
    /// Ends a link from either side: its shares go with it, and the client's metrics key is marked
    /// for rotation. Returns the ended link.
    async fn delete_connection(&self, user_id: &str, id: &str) -> StoreResult<Option<crate::bridge::ConnectionRecord>>;
    async fn set_metrics_sharing(
        &self,
        client_id: &str,
        connection_id: &str,
        sharing: crate::bridge::Sharing,
        metrics_box: Option<&[u8]>,
    ) -> StoreResult<bool>;
    /// Shares one of the client's entries over one of the client's links (false if either isn't
    /// theirs). Sharing again replaces the boxed key.
    async fn put_share(&self, client_id: &str, share: &crate::bridge::ShareRecord) -> StoreResult<bool>;
    async fn delete_share(&self, client_id: &str, entry_id: &str, connection_id: &str) -> StoreResult<bool>;
    /// Every share of the client's entries.
    async fn shares_of_client(&self, client_id: &str) -> StoreResult<Vec<crate::bridge::ShareRecord>>;
    /// The client's entries shared with this therapist, newest entry date first, with their shares.
    async fn shared_entries(
        &self,
        therapist_id: &str,
        client_id: &str,
    ) -> StoreResult<Vec<(crate::entries::EntryRecord, crate::bridge::ShareRecord)>>;
    async fn insert_comment(&self, comment: &crate::bridge::CommentRecord) -> StoreResult<()>;
    async fn comments(&self, entry_id: &str) -> StoreResult<Vec<crate::bridge::CommentRecord>>;
    async fn insert_assignment(&self, a: &crate::bridge::AssignmentRecord) -> StoreResult<()>;
    /// Homework on the given links, newest first.
    async fn assignments(&self, connection_ids: &[String]) -> StoreResult<Vec<crate::bridge::AssignmentRecord>>;
    /// Marks homework answered by one of the client's entries (false if it isn't theirs).
    async fn answer_assignment(&self, client_id: &str, id: &str, entry_id: &str, at: Timestamp) -> StoreResult<bool>;
    /// Appends to the client's access log, extending its chain with a row keyed under the server
    /// key and sealing the new head with it. Does nothing for an unknown user.
    async fn append_access(
        &self,
        key: &journal_crypto::SymmetricKey,
        row: &crate::bridge::NewAccess,
    ) -> StoreResult<()>;
    /// The client's access log, oldest first.
    async fn access_log(&self, client_id: &str) -> StoreResult<Vec<crate::bridge::AccessRow>>;
    /// One user's recorded head and its MAC (`None` for an unknown user).
    async fn access_log_head(&self, user_id: &str) -> StoreResult<Option<crate::bridge::Head>>;
    /// Records the server key's MAC over a user's current head (once, when the key is made).
    async fn set_access_log_head_mac(&self, user_id: &str, head: &[u8], mac: &[u8]) -> StoreResult<bool>;
    /// Every row of every chain (by client, oldest first) and each user's recorded head.
    async fn access_log_all(&self) -> StoreResult<(Vec<crate::bridge::AccessRow>, crate::bridge::Heads)>;
    async fn metrics_rotation_pending(&self, user_id: &str) -> StoreResult<bool>;
    /// Replaces the metrics key and every record under it, and the boxes of links that share it.
    async fn rotate_metrics(
        &self,
        user_id: &str,
        wrapped: &[u8],
        moods: &[MoodRecord],
        assessments: &[AssessmentRecord],
        boxes: &[(String, Vec<u8>)],
    ) -> StoreResult<()>;

    // ---- goals and reminders
    async fn insert_goal(&self, goal: &crate::goals::GoalRecord) -> StoreResult<()>;
    /// False when no such goal belongs to the user.
    async fn update_goal(&self, goal: &crate::goals::GoalRecord) -> StoreResult<bool>;
    async fn delete_goal(&self, user_id: &str, id: &str) -> StoreResult<bool>;
    async fn goals(&self, user_id: &str) -> StoreResult<Vec<crate::goals::GoalRecord>>;
    /// False when the goal is not the user's.
    async fn insert_checkin(&self, checkin: &crate::goals::CheckinRecord) -> StoreResult<bool>;
    async fn delete_checkin(&self, user_id: &str, goal_id: &str, id: &str) -> StoreResult<bool>;
    /// Every check-in of the user's goals, oldest day first.
    async fn checkins(&self, user_id: &str) -> StoreResult<Vec<crate::goals::CheckinRecord>>;
    async fn reminders(&self, user_id: &str) -> StoreResult<Option<crate::goals::ReminderRecord>>;
    async fn reminders_by_feed(&self, token_hash: &[u8]) -> StoreResult<Option<crate::goals::ReminderRecord>>;
    async fn put_reminders(&self, r: &crate::goals::ReminderRecord) -> StoreResult<()>;

    /// Saves a whole encrypted record (`kind`: `prompt_book`, `safety_plan`), replacing the last.
    async fn put_document(&self, user_id: &str, kind: &str, content: &[u8], at: Timestamp) -> StoreResult<()>;
    async fn document(&self, user_id: &str, kind: &str) -> StoreResult<Option<(Vec<u8>, Timestamp)>>;
    async fn put_draft(&self, user_id: &str, key: &str, content: &[u8], at: Timestamp) -> StoreResult<()>;
    async fn draft(&self, user_id: &str, key: &str) -> StoreResult<Option<(Vec<u8>, Timestamp)>>;
    async fn delete_draft(&self, user_id: &str, key: &str) -> StoreResult<()>;

    // ---- health data
    async fn metrics_key(&self, user_id: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Stores the wrapped key unless the user already has one; returns the one in force.
    async fn create_metrics_key(&self, user_id: &str, wrapped: &[u8], at: Timestamp) -> StoreResult<Vec<u8>>;
    async fn insert_assessment(&self, record: &AssessmentRecord) -> StoreResult<()>;
    /// Stores a result sent with a form token (hashed) unless that token already produced one,
    /// and returns the id of the result in force. Tokens used before `forget_before` are forgotten.
    async fn insert_assessment_once(
        &self,
        record: &AssessmentRecord,
        token_hash: &[u8],
        forget_before: Timestamp,
    ) -> StoreResult<String>;
    /// Newest first; all instruments when `instrument` is `None`.
    async fn list_assessments(&self, user_id: &str, instrument: Option<&str>) -> StoreResult<Vec<AssessmentRecord>>;
    async fn insert_mood(&self, record: &MoodRecord) -> StoreResult<()>;
    async fn mood(&self, user_id: &str, id: &str) -> StoreResult<Option<MoodRecord>>;
    /// Replaces a check-in's moment and content. False when the user has no such check-in.
    async fn update_mood(&self, record: &MoodRecord) -> StoreResult<bool>;
    /// False when the user has no such check-in.
    async fn delete_mood(&self, user_id: &str, id: &str) -> StoreResult<bool>;
    /// Oldest first, with `from <= at < to`.
    async fn list_moods(&self, user_id: &str, from: Timestamp, to: Timestamp) -> StoreResult<Vec<MoodRecord>>;

    // Reminders that are sent (`reminder_delivery`). Claiming is the only method several app
    // servers race on: each due job goes to exactly one of them.
    async fn insert_reminder_channel(&self, channel: &crate::reminder_delivery::ChannelRecord) -> StoreResult<()>;
    async fn reminder_channels(&self, user_id: &str) -> StoreResult<Vec<crate::reminder_delivery::ChannelRecord>>;
    /// Deletes the channel and its reminders.
    async fn delete_reminder_channel(&self, user_id: &str, id: &str) -> StoreResult<bool>;
    /// Marks the channel whose verification token hashes to `token_hash` as verified, if the
    /// token has not expired; returns its id.
    async fn verify_reminder_channel(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<Option<String>>;
    async fn insert_reminder_job(&self, job: &crate::reminder_delivery::JobRecord) -> StoreResult<()>;
    async fn reminder_jobs(&self, user_id: &str) -> StoreResult<Vec<crate::reminder_delivery::JobRecord>>;
    async fn delete_reminder_job(&self, user_id: &str, id: &str) -> StoreResult<bool>;
    /// A job by id alone, for the stop and snooze links (which carry their own MAC).
    async fn reminder_job(&self, id: &str) -> StoreResult<Option<crate::reminder_delivery::JobRecord>>;
    /// Moves a job's next due time (snooze), unless it is claimed.
    async fn set_reminder_due(&self, id: &str, due_at: Option<Timestamp>) -> StoreResult<bool>;
    /// Claims up to `limit` jobs due at `now` whose lease is free, for `lease` seconds.
    async fn claim_reminder_jobs(
        &self,
        worker: &str,
        now: Timestamp,
        lease: i64,
        limit: i64,
    ) -> StoreResult<Vec<crate::reminder_delivery::ClaimedJob>>;
    /// After a delivery (or a deliberate skip): the next due time, attempts reset, the claim
    /// released and the channel's failure count cleared when `delivered`. Only the claim's holder.
    async fn finish_reminder_job(
        &self,
        id: &str,
        worker: &str,
        next_due: Option<Timestamp>,
        delivered: bool,
    ) -> StoreResult<bool>;
    /// After a failed attempt: the job's next due time (a retry, or the next occurrence once
    /// retries are spent), its attempt count, and the error code on the job and the channel.
    async fn fail_reminder_job(
        &self,
        id: &str,
        worker: &str,
        retry_at: Option<Timestamp>,
        attempts: i64,
        error: &str,
        now: Timestamp,
    ) -> StoreResult<bool>;
}
