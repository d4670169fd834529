//! Reminders as a private calendar feed (iCalendar, RFC 5545) at a secret, revocable address.
//! Calendar apps keep event texts in the clear, so nothing in the feed says what the app is or
//! what the person is working on: every event is simply "Time for you".

use std::fmt::Write;

use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property, Trigger};
use journal_core::goals::ReminderRecord;
use journal_core::records::{RowTable, open_row, seal_row};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

/// Every event and alarm says only this: calendar apps keep event texts in the clear.
const SUMMARY: &str = "Time for you";

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

fn settings_of(who: &UnlockedUser, r: &ReminderRecord) -> Result<Settings, ServiceError> {
    let token: String = open_row(who, RowTable::Reminders, who.id(), &r.feed_token_sealed).map_err(|_| {
        tracing::error!("a calendar feed token failed to decrypt with its owner's key");
        ServiceError::internal()
    })?;
    Ok(Settings {
        journal_time: r.journal_time.clone(),
        checkin_time: r.checkin_time.clone(),
        goal_time: r.goal_time.clone(),
        goal_reminders: r.goal_reminders,
        token,
    })
}

fn record_of(who: &UnlockedUser, s: &Settings) -> ReminderRecord {
    ReminderRecord {
        user_id: who.id().to_owned(),
        feed_token_hash: journal_crypto::sha256(s.token.as_bytes()).to_vec(),
        feed_token_sealed: seal_row(who, RowTable::Reminders, who.id(), &s.token),
        journal_time: s.journal_time.clone(),
        checkin_time: s.checkin_time.clone(),
        goal_time: s.goal_time.clone(),
        goal_reminders: s.goal_reminders,
        updated_at: now(),
    }
}

/// The settings, creating a feed address the first time.
pub async fn get(app: &App, who: &UnlockedUser) -> Result<Settings, ServiceError> {
    if let Some(r) = app.store.reminders(who.id()).await? {
        return settings_of(who, &r);
    }
    let (token, _) = new_token();
    let s = Settings { token, ..Settings::default() };
    app.store.put_reminders(&record_of(who, &s)).await?;
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
    app: &App,
    who: &UnlockedUser,
    journal_time: Option<&str>,
    checkin_time: Option<&str>,
    goal_time: Option<&str>,
    goal_reminders: bool,
) -> Result<Settings, ServiceError> {
    let mut s = get(app, who).await?;
    s.journal_time = parse_time("journal_time", journal_time)?;
    s.checkin_time = parse_time("checkin_time", checkin_time)?;
    s.goal_time = parse_time("goal_time", goal_time)?;
    s.goal_reminders = goal_reminders;
    if s.goal_reminders && s.goal_time.is_none() {
        s.goal_time = Some("12:00".to_owned());
    }
    app.store.put_reminders(&record_of(who, &s)).await?;
    Ok(s)
}

/// A new secret address; the old one stops working at once.
pub async fn rotate(app: &App, who: &UnlockedUser) -> Result<Settings, ServiceError> {
    let mut s = get(app, who).await?;
    s.token = new_token().0;
    app.store.put_reminders(&record_of(who, &s)).await?;
    Ok(s)
}

/// The feed's address: the public URL when configured, else the host the request came to.
pub fn feed_url(app: &App, request_host: Option<&str>, token: &str) -> String {
    let base = match &app.settings.public_url {
        Some(u) => u.clone(),
        None => {
            let host = request_host.unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    format!("{base}/calendar/{token}.ics")
}

/// The calendar for a feed token, or `None` for an unknown (or rotated) one.
pub async fn feed(app: &App, token: &str) -> Result<Option<String>, ServiceError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = journal_crypto::sha256(token.as_bytes());
    let Some(r) = app.store.reminders_by_feed(&hash).await? else { return Ok(None) };
    calendar(&r).map(Some).map_err(|_| {
        tracing::error!("a calendar feed could not be written");
        ServiceError::internal()
    })
}

/// RFC 5545, written by the `icalendar` crate (escaping, folding, CRLF). Times are "floating"
/// (no time zone), so a reminder at 21:00 stays at 21:00 wherever the person's calendar is,
/// through clock changes. Dates are ours (jiff) and go in as text, so no second date library
/// appears in our code.
pub fn calendar(r: &ReminderRecord) -> Result<String, std::fmt::Error> {
    let stamp = jiff::Timestamp::from_second(r.updated_at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    let day = stamp.strftime("%Y%m%d").to_string();
    // Stable per person and kind, without revealing the person.
    let who = hex(&journal_crypto::sha256(&r.feed_token_hash)[..8]);
    let mut cal = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//tj//reminders//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", SUMMARY),
    ] {
        cal.append_property(Property::new(key, value));
    }
    cal.append_property(Property::new("REFRESH-INTERVAL", "PT12H").add_parameter("VALUE", "DURATION").done());
    cal.append_property(Property::new("X-PUBLISHED-TTL", "PT12H"));
    let events = [
        ("write", r.journal_time.as_deref(), "A few quiet minutes to write, if you'd like."),
        ("notice", r.checkin_time.as_deref(), "A moment to notice how you are."),
        ("step", if r.goal_reminders { r.goal_time.as_deref() } else { None }, "A small step for yourself today."),
    ];
    let at_start = Trigger::try_from(&Property::new("TRIGGER", "PT0M")).map_err(|()| std::fmt::Error)?;
    for (kind, time, description) in events {
        let Some(time) = time else { continue };
        let hhmm = time.replace(':', "");
        // The crate gives every nested component a fresh random UID and the current time unless
        // they are set; a feed that changes on every fetch would look like new alarms to calendar
        // apps that track alarm UIDs (RFC 9074).
        let alarm = Alarm::display(SUMMARY, at_start.clone())
            .uid(&format!("{kind}-{who}-alarm@reminders"))
            .add_property("DTSTAMP", &dtstamp)
            .done();
        cal.push(
            Event::new()
                .uid(&format!("{kind}-{who}@reminders"))
                .add_property("DTSTAMP", &dtstamp)
                .add_property("DTSTART", format!("{day}T{hhmm}00"))
                .add_property("DURATION", "PT15M")
                .add_property("RRULE", "FREQ=DAILY")
                .summary(SUMMARY)
                .description(description)
                .add_property("TRANSP", "TRANSPARENT")
                .alarm(alarm)
                .done(),
        );
    }
    let mut out = String::with_capacity(2048);
    write!(out, "{cal}")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ReminderRecord {
        ReminderRecord {
            user_id: "u".into(),
            feed_token_hash: vec![1; 32],
            feed_token_sealed: vec![],
            journal_time: Some("21:30".into()),
            checkin_time: None,
            goal_time: Some("12:00".into()),
            goal_reminders: true,
            updated_at: 1_767_225_600,
        }
    }

    #[test]
    fn the_feed_is_well_formed_and_says_nothing_personal() {
        let ics = calendar(&record()).unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(ics.matches("BEGIN:VALARM\r\nACTION:DISPLAY\r\n").count(), 2, "{ics}");
        assert!(ics.contains("\r\nDTSTART:20260101T213000\r\n"), "floating: no Z, no TZID\n{ics}");
        assert!(!ics.contains("TZID"));
        assert!(ics.contains("\r\nDESCRIPTION:A few quiet minutes to write\\, if you'd like.\r\n"), "{ics}");
        assert_eq!(ics.matches("SUMMARY:").count(), 2);
        assert_eq!(ics.matches("SUMMARY:Time for you\r\n").count(), 2);
        assert!(ics.split("\r\n").all(|l| l.len() <= 75), "no line needs folding");
        assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "every line ends in CRLF");
        for word in ["Therapy", "therapy", "journal entry", "mood", "goal:", "ICALENDAR-RS"] {
            assert!(!ics.contains(word), "{word} is not in the feed");
        }
        assert_eq!(calendar(&record()).unwrap(), ics, "the same settings give the same feed, byte for byte");
        assert!(parse_time("t", Some("24:00")).is_err() && parse_time("t", Some("7:00")).is_err());
        assert_eq!(parse_time("t", Some(" ")).unwrap(), None);
    }

    /// What the feed relies on from the crate, should a future text be longer or less tame.
    #[test]
    fn the_crate_escapes_and_folds_as_rfc_5545_says() {
        let text = "A comma, a semicolon; a backslash \\ and a new\nline, then words enough to go well past \
                    seventy-five octets: é, ü, 心, 🌿.";
        let mut cal = Calendar::empty();
        cal.push(Event::new().uid("u").add_property("DTSTAMP", "20260101T000000Z").description(text).done());
        let ics = cal.to_string();
        let lines: Vec<&str> = ics.split("\r\n").collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:#?}");
        let unfolded = ics.replace("\r\n ", "");
        let expected = text.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;").replace('\n', "\\n");
        assert!(unfolded.contains(&format!("\r\nDESCRIPTION:{expected}\r\n")), "{unfolded}");
    }
}
