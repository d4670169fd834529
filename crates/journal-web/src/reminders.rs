//! Reminders as a private calendar feed (iCalendar, RFC 5545) at a secret, revocable address.
//! Calendar apps keep event texts in the clear, so nothing in the feed says what the app is or
//! what the person is working on: every event is simply "Time for you".

use std::fmt::Write;

use journal_core::goals::ReminderRecord;
use journal_core::records::{RowTable, open_row, seal_row};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::AppState;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub journal_time: Option<String>,
    pub checkin_time: Option<String>,
    pub goal_time: Option<String>,
    pub goal_reminders: bool,
    /// The secret token in the feed's address.
    pub token: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> (String, Vec<u8>) {
    let token = hex(&journal_crypto::random_bytes::<32>());
    let hash = journal_crypto::sha256(token.as_bytes()).to_vec();
    (token, hash)
}

fn settings_of(who: &CurrentUser, r: &ReminderRecord) -> Result<Settings, AppError> {
    let token: String = open_row(&who.unlocked, RowTable::Reminders, who.id(), &r.feed_token_sealed).map_err(|_| {
        tracing::error!("a calendar feed token failed to decrypt with its owner's key");
        AppError::internal()
    })?;
    Ok(Settings {
        journal_time: r.journal_time.clone(),
        checkin_time: r.checkin_time.clone(),
        goal_time: r.goal_time.clone(),
        goal_reminders: r.goal_reminders,
        token,
    })
}

fn record_of(who: &CurrentUser, s: &Settings) -> ReminderRecord {
    ReminderRecord {
        user_id: who.id().to_owned(),
        feed_token_hash: journal_crypto::sha256(s.token.as_bytes()).to_vec(),
        feed_token_sealed: seal_row(&who.unlocked, RowTable::Reminders, who.id(), &s.token),
        journal_time: s.journal_time.clone(),
        checkin_time: s.checkin_time.clone(),
        goal_time: s.goal_time.clone(),
        goal_reminders: s.goal_reminders,
        updated_at: now(),
    }
}

/// The settings, creating a feed address the first time.
pub async fn get(state: &AppState, who: &CurrentUser) -> Result<Settings, AppError> {
    if let Some(r) = state.store.reminders(who.id()).await? {
        return settings_of(who, &r);
    }
    let (token, _) = new_token();
    let s = Settings { token, ..Settings::default() };
    state.store.put_reminders(&record_of(who, &s)).await?;
    Ok(s)
}

/// `HH:MM`, 24-hour; empty means no reminder.
pub fn parse_time(field: &'static str, v: Option<&str>) -> Result<Option<String>, ValidationError> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let ok = v.len() == 5
        && v.as_bytes()[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60);
    if ok { Ok(Some(v.to_owned())) } else { Err(ValidationError::new(field, "Use a time like 08:30 or 21:00.")) }
}

pub async fn update(
    state: &AppState,
    who: &CurrentUser,
    journal_time: Option<&str>,
    checkin_time: Option<&str>,
    goal_time: Option<&str>,
    goal_reminders: bool,
) -> Result<Settings, AppError> {
    let mut s = get(state, who).await?;
    s.journal_time = parse_time("journal_time", journal_time)?;
    s.checkin_time = parse_time("checkin_time", checkin_time)?;
    s.goal_time = parse_time("goal_time", goal_time)?;
    s.goal_reminders = goal_reminders;
    if s.goal_reminders && s.goal_time.is_none() {
        s.goal_time = Some("12:00".to_owned());
    }
    state.store.put_reminders(&record_of(who, &s)).await?;
    Ok(s)
}

/// A new secret address; the old one stops working at once.
pub async fn rotate(state: &AppState, who: &CurrentUser) -> Result<Settings, AppError> {
    let mut s = get(state, who).await?;
    s.token = new_token().0;
    state.store.put_reminders(&record_of(who, &s)).await?;
    Ok(s)
}

/// The feed's address: the public URL when configured, else the address this request came to.
pub fn feed_url(state: &AppState, headers: &axum::http::HeaderMap, token: &str) -> String {
    let base = match &state.config.public_url {
        Some(u) => u.clone(),
        None => {
            let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    format!("{base}/calendar/{token}.ics")
}

/// The calendar for a feed token, or `None` for an unknown (or rotated) one.
pub async fn feed(state: &AppState, token: &str) -> Result<Option<String>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = journal_crypto::sha256(token.as_bytes());
    let Some(r) = state.store.reminders_by_feed(&hash).await? else { return Ok(None) };
    Ok(Some(calendar(&r)))
}

/// RFC 5545. Times are "floating" (no time zone), so a reminder at 21:00 stays at 21:00 wherever
/// the person's calendar is, through clock changes. Lines are short, so none need folding.
pub fn calendar(r: &ReminderRecord) -> String {
    let stamp = jiff::Timestamp::from_second(r.updated_at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    let day = stamp.strftime("%Y%m%d").to_string();
    // Stable per person and kind, without revealing the person.
    let who = hex(&journal_crypto::sha256(&r.feed_token_hash)[..8]);
    let mut out = String::with_capacity(1024);
    let mut line = |s: &str| {
        out.push_str(s);
        out.push_str("\r\n");
    };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//tj//reminders//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("X-WR-CALNAME:Time for you");
    line("REFRESH-INTERVAL;VALUE=DURATION:PT12H");
    line("X-PUBLISHED-TTL:PT12H");
    let events = [
        ("write", r.journal_time.as_deref(), "Time for you", "A few quiet minutes to write, if you'd like."),
        ("notice", r.checkin_time.as_deref(), "Time for you", "A moment to notice how you are."),
        (
            "step",
            if r.goal_reminders { r.goal_time.as_deref() } else { None },
            "Time for you",
            "A small step for yourself today.",
        ),
    ];
    for (kind, time, summary, description) in events {
        let Some(time) = time else { continue };
        let hhmm = time.replace(':', "");
        line("BEGIN:VEVENT");
        line(&format!("UID:{kind}-{who}@reminders"));
        line(&format!("DTSTAMP:{dtstamp}"));
        line(&format!("DTSTART:{day}T{hhmm}00"));
        line("DURATION:PT15M");
        line("RRULE:FREQ=DAILY");
        line(&format!("SUMMARY:{summary}"));
        line(&format!("DESCRIPTION:{}", escape_text(description)));
        line("TRANSP:TRANSPARENT");
        line("BEGIN:VALARM");
        line("ACTION:DISPLAY");
        line("TRIGGER:PT0M");
        line(&format!("DESCRIPTION:{summary}"));
        line("END:VALARM");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// TEXT values escape backslash, semicolon and comma (RFC 5545 §3.3.11).
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ';' | ',' => {
                let _ = write!(out, "\\{c}");
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_is_well_formed_and_says_nothing_personal() {
        let r = ReminderRecord {
            user_id: "u".into(),
            feed_token_hash: vec![1; 32],
            feed_token_sealed: vec![],
            journal_time: Some("21:30".into()),
            checkin_time: None,
            goal_time: Some("12:00".into()),
            goal_reminders: true,
            updated_at: 1_767_225_600,
        };
        let ics = calendar(&r);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        assert!(ics.contains("DTSTART:20260101T213000\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 75), "no line needs folding");
        for word in ["Therapy", "therapy", "journal entry", "mood", "goal:"] {
            assert!(!ics.contains(word), "{word} is not in the feed");
        }
        assert!(parse_time("t", Some("24:00")).is_err() && parse_time("t", Some("7:00")).is_err());
        assert_eq!(parse_time("t", Some(" ")).unwrap(), None);
    }
}
