//! Reminders that are sent (email, a webhook or ntfy topic) rather than fetched (the calendar
//! feed): the rows the delivery worker reads, and the keys that seal what it needs.
//!
//! The worker runs with nobody signed in, so it cannot use anyone's data key. What it needs to
//! send is therefore sealed under the **delivery key**, derived from the server key kept in a
//! file outside the database (the access-log key file): a copy of the database alone opens no
//! destination, while the running server can. What it needs is only where to send and when;
//! every message is a neutral line, so no content is ever needed or stored here.

use journal_crypto::{Aad, SymmetricKey};

use crate::time_util::Timestamp;

/// The kinds of channel a person can add. Web Push comes later, as a third kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    Email,
    Webhook,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(ChannelKind::Email),
            "webhook" => Some(ChannelKind::Webhook),
            _ => None,
        }
    }
}

/// A place reminders go.
#[derive(Debug, Clone)]
pub struct ChannelRecord {
    pub id: String,
    pub user_id: String,
    pub kind: ChannelKind,
    /// The address or URL, sealed under the delivery key (see [`seal_destination`]).
    pub destination_sealed: Vec<u8>,
    /// When the person proved they receive it (email: the link was followed). A webhook URL is
    /// the person's own entry and counts as verified when added.
    pub verified_at: Option<Timestamp>,
    /// SHA-256 of the verification link's token, while one is outstanding.
    pub verify_token_hash: Option<Vec<u8>>,
    pub verify_expires_at: Option<Timestamp>,
    /// Consecutive failed deliveries, shown on the reminders page; a success resets it.
    pub failures: i64,
    /// A short code (`timeout`, `http_500`, `refused` …), never a message from the far end.
    pub last_error: Option<String>,
    pub last_failed_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// One reminder and its next due time. `spec` is the JSON of a
/// [`crate::reminder_schedule::Plan`]: kind, local time, weekdays, dates, quiet hours.
#[derive(Debug, Clone)]
pub struct JobRecord {
    pub id: String,
    pub user_id: String,
    pub channel_id: String,
    pub spec: String,
    /// The person chose specific wording over the neutral line.
    pub specific_wording: bool,
    /// `None` when nothing is left to send (a past homework date).
    pub due_at: Option<Timestamp>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// A claimed job with what sending it needs.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub job: JobRecord,
    pub channel_kind: ChannelKind,
    pub destination_sealed: Vec<u8>,
    pub channel_verified: bool,
    pub time_zone: String,
}

// The labels are part of the stored data: a change makes every destination unreadable.

/// Seals destinations; derived from the server key file, never stored.
pub fn delivery_key(server_key: &SymmetricKey) -> SymmetricKey {
    server_key.derive("tj/reminder-destination")
}

/// Signs the stop and snooze links in messages, so they work without signing in.
pub fn link_key(server_key: &SymmetricKey) -> SymmetricKey {
    server_key.derive("tj/reminder-link")
}

fn destination_aad<'a>(channel_id: &'a str, user_id: &'a str) -> Aad<'a> {
    Aad::new("reminder_channels", "destination", channel_id, user_id)
}

pub fn seal_destination(key: &SymmetricKey, channel_id: &str, user_id: &str, destination: &str) -> Vec<u8> {
    journal_crypto::seal(key, &destination_aad(channel_id, user_id), destination.as_bytes())
}

pub fn open_destination(key: &SymmetricKey, channel_id: &str, user_id: &str, blob: &[u8]) -> Option<String> {
    let plain = journal_crypto::open(key, &destination_aad(channel_id, user_id), blob).ok()?;
    String::from_utf8(plain.to_vec()).ok()
}

/// The token in a stop or snooze link for a job: a MAC, so nothing is stored for it and a link
/// for one job never works for another.
pub fn link_token(key: &SymmetricKey, action: &str, job_id: &str) -> String {
    let mut data = Vec::with_capacity(action.len() + 1 + job_id.len());
    data.extend_from_slice(action.as_bytes());
    data.push(0);
    data.extend_from_slice(job_id.as_bytes());
    journal_crypto::mac(key, &data).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn link_token_matches(key: &SymmetricKey, action: &str, job_id: &str, token: &str) -> bool {
    journal_crypto::constant_time_eq(link_token(key, action, job_id).as_bytes(), token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unchanged_and_destinations_are_bound_to_their_row() {
        let root = SymmetricKey::from_bytes([9; 32]);
        assert_eq!(delivery_key(&root).as_bytes(), root.derive("tj/reminder-destination").as_bytes());
        assert_eq!(link_key(&root).as_bytes(), root.derive("tj/reminder-link").as_bytes());
        let key = delivery_key(&root);
        let blob = seal_destination(&key, "c1", "u1", "https://ntfy.example/topic");
        assert_eq!(open_destination(&key, "c1", "u1", &blob).as_deref(), Some("https://ntfy.example/topic"));
        assert_eq!(open_destination(&key, "c2", "u1", &blob), None, "another row");
        assert_eq!(open_destination(&key, "c1", "u2", &blob), None, "another person");
        assert_eq!(open_destination(&link_key(&root), "c1", "u1", &blob), None, "another key");
    }

    #[test]
    fn link_tokens_are_per_job_and_action() {
        let key = link_key(&SymmetricKey::from_bytes([3; 32]));
        let stop = link_token(&key, "stop", "j1");
        assert_eq!(stop.len(), 64);
        assert!(link_token_matches(&key, "stop", "j1", &stop));
        assert!(!link_token_matches(&key, "snooze", "j1", &stop));
        assert!(!link_token_matches(&key, "stop", "j2", &stop));
        assert!(!link_token_matches(&key, "stop", "j1", "00"));
    }
}
