//! "Since last session": what a therapist sees of one client for a date range, built from the
//! shared items only. The client's own preview goes through the same function with the same
//! filter, so both sides see exactly the same summary.

use jiff::ToSpan;
use jiff::civil::Date;
use journal_core::entries::Entry;
use journal_core::metrics::{Assessment, Mood};

use crate::App;
use crate::UnlockedUser;
use crate::bridge::{self, GoalDigest, Homework, Link};
use crate::error::ServiceError;

pub struct Sources {
    pub link: Link,
    pub entries: Vec<Entry>,
    pub moods: Option<Vec<Mood>>,
    pub assessments: Option<Vec<Assessment>>,
    pub goals: Option<Vec<GoalDigest>>,
    pub homework: Vec<Homework>,
}

pub struct AssessmentLine {
    pub instrument: &'static str,
    pub date: String,
    pub total: u8,
    pub severity: String,
    pub delta: Option<i16>,
    pub reliable: bool,
    pub direction: &'static str,
    pub self_harm: bool,
}

pub struct Summary {
    pub client_name: String,
    pub therapist_name: String,
    pub from: Date,
    pub to: Date,
    pub entries: Vec<Entry>,
    /// None when mood is not shared.
    pub mood: Option<MoodSummary>,
    pub assessments: Option<Vec<AssessmentLine>>,
    pub goals: Option<Vec<GoalDigest>>,
    pub homework: Vec<Homework>,
}

pub struct MoodSummary {
    pub count: usize,
    pub average: Option<f64>,
    pub previous_average: Option<f64>,
    pub trend: &'static str,
}

fn mean(v: &[u8]) -> Option<f64> {
    (!v.is_empty()).then(|| (v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64 * 10.0).round() / 10.0)
}

pub fn build(src: Sources, from: Date, to: Date, time_zone: &str) -> Summary {
    let tz = journal_core::dates::zone(time_zone);
    let span = from.until(to).map(|s| s.get_days()).unwrap_or(0) + 1;
    let prev_from = from.checked_sub(i64::from(span).days()).unwrap_or(from);
    let in_range = |d: Date| d >= from && d <= to;
    let entries = src.entries.into_iter().filter(|e| e.entry_date.parse::<Date>().is_ok_and(in_range)).collect();
    let mood = src.moods.map(|moods| {
        let (mut now, mut before) = (Vec::new(), Vec::new());
        for m in &moods {
            match journal_core::dates::local_date(m.at, &tz) {
                Some(d) if in_range(d) => now.push(m.content.score),
                Some(d) if d >= prev_from && d < from => before.push(m.content.score),
                _ => {}
            }
        }
        let (average, previous_average) = (mean(&now), mean(&before));
        let trend = match (average, previous_average) {
            (Some(a), Some(b)) if a - b >= 0.3 => "higher than the period before",
            (Some(a), Some(b)) if b - a >= 0.3 => "lower than the period before",
            (Some(_), Some(_)) => "about the same as the period before",
            _ => "",
        };
        MoodSummary { count: now.len(), average, previous_average, trend }
    });
    let assessments = src.assessments.map(|all| {
        // `all` is newest first.
        let mut lines = Vec::new();
        for (i, a) in all.iter().enumerate() {
            let Some(d) = journal_core::dates::local_date(a.taken_at, &tz) else { continue };
            if !in_range(d) {
                continue;
            }
            let earlier: Vec<Assessment> =
                all[i + 1..].iter().filter(|e| e.instrument == a.instrument).cloned().collect();
            let change = a.change_against(&earlier);
            lines.push(AssessmentLine {
                instrument: a.instrument.short_name(),
                date: d.to_string(),
                total: a.content.total,
                severity: a.content.severity.replace('_', " "),
                delta: change.as_ref().map(|c| c.delta),
                reliable: change.as_ref().is_some_and(|c| c.reliable),
                direction: change.as_ref().map(|c| c.direction.as_str()).unwrap_or(""),
                self_harm: a.content.self_harm,
            });
        }
        lines
    });
    let homework = src
        .homework
        .into_iter()
        .filter(|h| {
            journal_core::dates::local_date(h.created_at, &tz).is_some_and(|d| d <= to)
                && h.answered_at.and_then(|t| journal_core::dates::local_date(t, &tz)).is_none_or(|d| d >= from)
        })
        .collect();
    Summary {
        client_name: src.link.client.display_name.clone(),
        therapist_name: src.link.therapist.display_name.clone(),
        from,
        to,
        entries,
        mood,
        assessments,
        goals: src.goals,
        homework,
    }
}

/// What one linked client shares with this therapist, read through the link (404 unless
/// linked). Moods reach back far enough for the period and the one before it.
pub(crate) async fn therapist_sources(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    from: Date,
    to: Date,
) -> Result<Sources, ServiceError> {
    let (link, entries) = bridge::client_entries(app, who, client_id).await?;
    let moods = if link.record.share_mood {
        let days = i64::from(from.until(to).map(|s| s.get_days()).unwrap_or(0)) * 2 + 60;
        Some(bridge::client_moods(app, who, client_id, bridge::since(days)).await?)
    } else {
        None
    };
    let assessments =
        if link.record.share_assessments { Some(bridge::client_assessments(app, who, client_id).await?) } else { None };
    let goals = if link.record.share_goals { Some(bridge::client_goals(app, who, client_id).await?) } else { None };
    let homework = bridge::client_homework(app, who, client_id).await?;
    Ok(Sources { link, entries, moods, assessments, goals, homework })
}

/// The same sources as the client sees them for one of their links: read with their own keys,
/// through the same filters, so a preview shows exactly what the therapist will see.
pub(crate) async fn client_sources(
    app: &App,
    who: &UnlockedUser,
    connection_id: &str,
) -> Result<Sources, ServiceError> {
    let link = bridge::links(app, who)
        .await?
        .into_iter()
        .find(|l| l.record.id == connection_id && l.record.client_id == who.id())
        .ok_or_else(ServiceError::not_found)?;
    let shared = bridge::shares_by_entry(app, who).await?;
    let ids: Vec<String> =
        shared.iter().filter(|(_, links)| links.iter().any(|l| l == connection_id)).map(|(e, _)| e.clone()).collect();
    let mut entries = Vec::new();
    for r in app.store.entries_by_ids(who.id(), &ids).await? {
        match journal_core::entries::open_entry(who, &r) {
            Ok(e) => entries.push(e),
            Err(_) => crate::damaged::note("entry", &r.id),
        }
    }
    entries.sort_by(|a, b| b.entry_date.cmp(&a.entry_date).then_with(|| b.created_at.cmp(&a.created_at)));
    let sharing = link.sharing();
    // The metrics key is only needed (and only made) when something it seals is shared.
    let key = if sharing.any() { Some(crate::health::metrics_key::key(app, who).await?) } else { None };
    let moods = match (&key, sharing.mood) {
        (Some(key), true) => {
            let records = app.store.list_moods(who.id(), i64::MIN, i64::MAX).await?;
            Some(records.iter().filter_map(|r| journal_core::metrics::open_mood(key, r).ok()).collect())
        }
        _ => None,
    };
    let assessments = match (&key, sharing.assessments) {
        (Some(key), true) => Some(crate::health::assessments::history(app, who, key, None).await?),
        _ => None,
    };
    let goals = if sharing.goals {
        Some(crate::goals::list(app, who).await?.iter().map(GoalDigest::of).collect())
    } else {
        None
    };
    let homework =
        bridge::my_homework(app, who).await?.into_iter().filter(|h| h.connection_id == connection_id).collect();
    Ok(Sources { link, entries, moods, assessments, goals, homework })
}

/// The therapist's summary of one linked client. Only the entries in the range are shown, in
/// full, and each is logged as read.
pub async fn for_therapist(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    from: Date,
    to: Date,
) -> Result<Summary, ServiceError> {
    let src = therapist_sources(app, who, client_id, from, to).await?;
    let tz = src.link.client.time_zone.clone();
    let summary = build(src, from, to, &tz);
    for e in &summary.entries {
        bridge::log_read(app, who, client_id, "entry", &e.id, "summary").await?;
    }
    Ok(summary)
}

/// The client's preview of what one linked therapist will see.
pub async fn for_client(
    app: &App,
    who: &UnlockedUser,
    connection_id: &str,
    from: Date,
    to: Date,
) -> Result<Summary, ServiceError> {
    Ok(build(client_sources(app, who, connection_id).await?, from, to, &who.user().time_zone))
}

/// Parses a range, defaulting to the last 14 days.
pub fn range(who: &UnlockedUser, from: Option<&str>, to: Option<&str>) -> Result<(Date, Date), ServiceError> {
    let today = journal_core::dates::today_in(&who.user().time_zone);
    let to = match to.map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => journal_core::dates::parse_date("to", t)?,
        None => today,
    };
    let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
        Some(f) => journal_core::dates::parse_date("from", f)?,
        None => to.checked_sub(13.days()).unwrap_or(to),
    };
    if from > to {
        return Err(
            journal_core::validate::ValidationError::new("from", "The start date is after the end date.").into()
        );
    }
    if from.until(to).map(|s| s.get_days()).unwrap_or(0) > 366 {
        return Err(journal_core::validate::ValidationError::new("from", "A summary can cover up to a year.").into());
    }
    Ok((from, to))
}
