//! Mood check-ins: validation, encryption under the metrics key, date ranges in the person's
//! own time zone.

use jiff::ToSpan;
use journal_core::dates::{parse_date, parse_moment, start_of_day, today_in};
use journal_core::ids::new_id;
use journal_core::metrics::{Mood, MoodContent, open_mood, seal_mood};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;

use crate::App;
use crate::UnlockedUser;
use crate::damaged::DamagedItem;
use crate::error::ServiceError;
use crate::health::metrics_key::key as metrics_key;

pub struct MoodInput {
    pub score: i64,
    pub emotions: Vec<String>,
    pub sleep_hours: Option<f64>,
    pub activities: Vec<String>,
    pub note: Option<String>,
    pub at: Option<String>,
}

/// A check-in may be backdated, but not placed in the future (five minutes of clock slack).
pub async fn check_in(app: &App, who: &UnlockedUser, input: &MoodInput) -> Result<Mood, ServiceError> {
    let content =
        MoodContent::parse(input.score, &input.emotions, input.sleep_hours, &input.activities, input.note.as_deref())?;
    let at = match input.at.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => check_moment(a)?,
        None => now(),
    };
    let key = metrics_key(app, who).await?;
    let record = seal_mood(who, &key, &new_id(), at, &content);
    app.store.insert_mood(&record).await?;
    Ok(Mood { id: record.id, at, content })
}

/// What a correction changes; `None` leaves a field as it was (`sleep_hours: Some(None)` clears it).
#[derive(Default)]
pub struct MoodChange {
    pub score: Option<i64>,
    pub emotions: Option<Vec<String>>,
    pub sleep_hours: Option<Option<f64>>,
    pub activities: Option<Vec<String>>,
    pub note: Option<String>,
    pub at: Option<String>,
}

fn check_moment(at: &str) -> Result<i64, ServiceError> {
    let at = parse_moment("at", at.trim())?;
    if at > now() + 300 {
        return Err(ValidationError::new("at", "A check-in can't be in the future.").into());
    }
    if at < -2_208_988_800 {
        return Err(ValidationError::new("at", "Please choose a time after 1900.").into());
    }
    Ok(at)
}

/// One of the person's own check-ins; anyone else's is not found.
pub async fn get(app: &App, who: &UnlockedUser, id: &str) -> Result<Mood, ServiceError> {
    let key = metrics_key(app, who).await?;
    let record = app.store.mood(who.id(), id).await?.ok_or_else(ServiceError::not_found)?;
    open_mood(&key, &record).map_err(|_| crate::damaged::error("mood", id))
}

/// Corrects a check-in: validated like a new one and sealed again under the metrics key, so a
/// therapist it is shared with reads the corrected value from then on.
pub async fn update(app: &App, who: &UnlockedUser, id: &str, change: MoodChange) -> Result<Mood, ServiceError> {
    let key = metrics_key(app, who).await?;
    let record = app.store.mood(who.id(), id).await?.ok_or_else(ServiceError::not_found)?;
    let current = open_mood(&key, &record).map_err(|_| crate::damaged::error("mood", id))?;
    let c = current.content;
    let sleep = match change.sleep_hours {
        Some(s) => s,
        None => c.sleep_hours.map(f64::from),
    };
    let content = MoodContent::parse(
        change.score.unwrap_or(i64::from(c.score)),
        change.emotions.as_deref().unwrap_or(&c.emotions),
        sleep,
        change.activities.as_deref().unwrap_or(&c.activities),
        Some(change.note.as_deref().unwrap_or(&c.note)),
    )?;
    let at = match change.at.as_deref() {
        Some(a) => check_moment(a)?,
        None => current.at,
    };
    let record = seal_mood(who, &key, id, at, &content);
    if !app.store.update_mood(&record).await? {
        return Err(ServiceError::not_found());
    }
    Ok(Mood { id: id.to_owned(), at, content })
}

pub async fn delete(app: &App, who: &UnlockedUser, id: &str) -> Result<(), ServiceError> {
    if app.store.delete_mood(who.id(), id).await? { Ok(()) } else { Err(ServiceError::not_found()) }
}

/// Check-ins from the start of `from` to the end of `to` (dates where the person is), oldest
/// first. Without dates: the last 90 days.
pub async fn list(
    app: &App,
    who: &UnlockedUser,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<Mood>, ServiceError> {
    Ok(list_checked(app, who, from, to).await?.0)
}

/// As `list`, with the check-ins that can't be opened (damaged) apart, so one bad row never
/// hides the others.
pub async fn list_checked(
    app: &App,
    who: &UnlockedUser,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Vec<Mood>, Vec<DamagedItem>), ServiceError> {
    let tz = who.user().time_zone.clone();
    let to = match to {
        Some(t) => parse_date("to", t)?,
        None => today_in(&tz),
    };
    let from = match from {
        Some(f) => parse_date("from", f)?,
        None => to.checked_sub(89.days()).unwrap_or(to),
    };
    if from > to {
        return Err(ValidationError::new("from", "The start date is after the end date.").into());
    }
    let end = to.tomorrow().unwrap_or(to);
    // The key first: getting it may replace it (after a link ended) and re-seal every check-in.
    let key = metrics_key(app, who).await?;
    let records = app.store.list_moods(who.id(), start_of_day(from, &tz), start_of_day(end, &tz)).await?;
    let mut moods = Vec::with_capacity(records.len());
    let mut damaged = Vec::new();
    for r in &records {
        match open_mood(&key, r) {
            Ok(m) => moods.push(m),
            Err(_) => {
                crate::damaged::note("mood", &r.id);
                damaged.push(DamagedItem { id: r.id.clone(), date: journal_core::time_util::rfc3339(r.at) });
            }
        }
    }
    Ok((moods, damaged))
}

// ---------------------------------------------------------------- insights

/// A milestone reached, computed from the person's own records.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Achievement {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD`
    pub earned_at: String,
}

pub struct Report {
    /// The first day of the period.
    pub from: jiff::civil::Date,
    /// Average mood of each day in the period that has check-ins, oldest first (for charts).
    pub daily: Vec<(jiff::civil::Date, f64)>,
    /// Average and count of check-ins of each day in the period that has any.
    pub per_day: std::collections::BTreeMap<jiff::civil::Date, (f64, usize)>,
    pub mood: journal_core::insights::MoodInsights,
    pub streaks: journal_core::insights::Streaks,
    pub achievements: Vec<Achievement>,
    /// Check-ins that can't be opened (damaged), left out of every figure.
    pub damaged: usize,
}

pub async fn insights(app: &App, who: &UnlockedUser, days: u32) -> Result<Report, ServiceError> {
    use std::collections::BTreeSet;

    use journal_core::insights::{first_run_of, mood_insights, streaks};
    if !(1..=3660).contains(&days) {
        return Err(ValidationError::new("days", "days must be between 1 and 3660.").into());
    }
    let tz = who.user().time_zone.clone();
    let zone = jiff::tz::TimeZone::get(&tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = today_in(&tz);
    let local = |ts: i64| journal_core::dates::local_date(ts, &zone);
    // Everything once: the period's figures, and all-time streaks and milestones.
    let (all, damaged) = list_checked(app, who, Some("1900-01-01"), Some(&today.to_string())).await?;
    let from = today.checked_sub(i64::from(days - 1).days()).unwrap_or(today);
    let dated: Vec<_> = all.iter().filter_map(|m| Some((local(m.at)?, &m.content))).collect();
    let in_period: Vec<_> = dated.iter().filter(|(d, _)| *d >= from).cloned().collect();
    let mood = mood_insights(&in_period, today);
    let per_day = journal_core::insights::per_day(&in_period);
    let daily = per_day.iter().map(|(d, (avg, _))| (*d, *avg)).collect();

    let entry_days = app.store.entry_days(who.id(), "1900-01-01", &today.to_string()).await?;
    let entry_dates: BTreeSet<jiff::civil::Date> = entry_days.iter().filter_map(|(d, _)| d.parse().ok()).collect();
    let mut active: BTreeSet<jiff::civil::Date> = dated.iter().map(|(d, _)| *d).collect();
    active.extend(entry_dates.iter().copied());
    let streaks = streaks(&active, today);

    let mut achievements = Vec::new();
    let mut earn = |id: &str, kind: &str, title: &str, date: jiff::civil::Date| {
        achievements.push(Achievement {
            id: id.to_owned(),
            kind: kind.to_owned(),
            title: title.to_owned(),
            earned_at: date.to_string(),
        })
    };
    if let Some(first) = entry_dates.first() {
        earn("first-entry", "journal", "Your first entry", *first);
    }
    if let Some((first, _)) = dated.first() {
        earn("first-check-in", "mood", "Your first check-in", *first);
    }
    if let Some(day) = first_run_of(&active, 7) {
        earn("seven-days", "streak", "Seven days in a row", day);
    }
    if let Some((day, _)) = dated.get(29) {
        earn("thirty-check-ins", "mood", "Thirty check-ins", *day);
    }
    let key = crate::health::metrics_key::key(app, who).await?;
    let history = crate::health::assessments::history(app, who, &key, None).await?;
    // Oldest first, so the first reliable improvement is the one celebrated.
    let mut earliest: Option<(jiff::civil::Date, &'static str)> = None;
    for (i, a) in history.iter().enumerate().rev() {
        let earlier: Vec<_> = history[i + 1..].iter().filter(|e| e.instrument == a.instrument).cloned().collect();
        if let Some(c) = a.change_against(&earlier)
            && c.reliable
            && c.direction == journal_core::assessments::Direction::Improved
            && let Some(day) = local(a.taken_at)
        {
            earliest = Some((day, a.instrument.instrument().title));
            break;
        }
    }
    if let Some((day, title)) = earliest {
        earn("reliable-improvement", "assessment", &format!("A real improvement on the {title}"), day);
    }
    Ok(Report { from, daily, per_day, mood, streaks, achievements, damaged: damaged.len() })
}
