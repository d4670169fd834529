//! Self-care goals: create, edit, pause, archive, check in (today or up to a week back), undo,
//! and progress and streaks in the goal's own periods, in the person's time zone and week.

use jiff::civil::{Date, Weekday};
use journal_core::bridge::{GOALS_DIGEST, goals_digest_aad};
use journal_core::dates::{parse_date, today_in};
use journal_core::goals::{
    Cadence, CheckinRecord, GoalContent, GoalRecord, Per, Progress, Status, check_in_date_allowed, progress,
};
use journal_core::ids::{looks_like_id, new_id};
use journal_core::records::{RowTable, open_row, seal_row};
use journal_core::time_util::{Timestamp, now};
use journal_core::validate::ValidationError;

use serde::{Deserialize, Serialize};

use crate::App;
use crate::UnlockedUser;
use crate::damaged::DamagedItem;
use crate::error::ServiceError;

pub mod achievements;
pub mod reminders;
pub mod review;

#[derive(Debug, Clone)]
pub struct Goal {
    pub id: String,
    pub content: GoalContent,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Checkin {
    pub id: String,
    pub goal_id: String,
    pub day: Date,
    pub note: String,
}

pub struct GoalWithProgress {
    pub goal: Goal,
    pub progress: Progress,
    pub checkins: Vec<Checkin>,
}

pub fn week_start(who: &UnlockedUser) -> Weekday {
    match who.user().week_start {
        2 => Weekday::Tuesday,
        3 => Weekday::Wednesday,
        4 => Weekday::Thursday,
        5 => Weekday::Friday,
        6 => Weekday::Saturday,
        7 => Weekday::Sunday,
        _ => Weekday::Monday,
    }
}

fn open_goal(who: &UnlockedUser, r: &GoalRecord) -> Result<Goal, ServiceError> {
    let content =
        open_row(who, RowTable::Goals, &r.id, &r.content).map_err(|_| crate::damaged::error("goal", &r.id))?;
    Ok(Goal { id: r.id.clone(), content, created_at: r.created_at, updated_at: r.updated_at })
}

fn open_checkin(who: &UnlockedUser, r: &CheckinRecord) -> Result<Checkin, ServiceError> {
    let note = if r.note.is_empty() {
        String::new()
    } else {
        open_row(who, RowTable::GoalCheckins, &r.id, &r.note)
            .map_err(|_| crate::damaged::error("goal check-in", &r.id))?
    };
    Ok(Checkin {
        id: r.id.clone(),
        goal_id: r.goal_id.clone(),
        day: r.day.parse().map_err(|_| crate::damaged::error("goal check-in", &r.id))?,
        note,
    })
}

/// What a person sends to create or change a goal; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct GoalInput {
    pub title: Option<String>,
    pub why: Option<String>,
    pub category: Option<String>,
    pub times: Option<i64>,
    pub per: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<Option<String>>,
}

fn apply(mut g: GoalContent, input: &GoalInput) -> Result<GoalContent, ServiceError> {
    if let Some(t) = &input.title {
        g.title = journal_core::validate::single_line(t).trim().to_owned();
    }
    if let Some(w) = &input.why {
        g.why = journal_core::validate::multi_line(w).trim().to_owned();
    }
    if let Some(c) = &input.category {
        g.category = journal_core::validate::single_line(c).trim().to_owned();
    }
    if let Some(times) = input.times {
        g.cadence.times = u8::try_from(times).map_err(|_| ValidationError::new("cadence", "Choose how many times."))?;
    }
    if let Some(per) = &input.per {
        g.cadence.per = match per.as_str() {
            "day" => Per::Day,
            "week" => Per::Week,
            _ => return Err(ValidationError::new("cadence", "Choose per day or per week.").into()),
        };
    }
    if let Some(s) = input.start_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        g.start_date = parse_date("start_date", s)?.to_string();
    }
    if let Some(e) = &input.end_date {
        g.end_date = match e.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(e) => Some(parse_date("end_date", e)?.to_string()),
            None => None,
        };
    }
    g.check()?;
    Ok(g)
}

pub async fn create(app: &App, who: &UnlockedUser, input: &GoalInput) -> Result<Goal, ServiceError> {
    let today = today_in(&who.user().time_zone);
    let blank = GoalContent {
        title: String::new(),
        why: String::new(),
        category: String::new(),
        cadence: Cadence { times: 1, per: Per::Day },
        start_date: today.to_string(),
        end_date: None,
        status: Status::Active,
        pauses: Vec::new(),
        completed_on: None,
    };
    let content = apply(blank, input)?;
    let id = new_id();
    let at = now();
    let record = GoalRecord {
        id: id.clone(),
        user_id: who.id().to_owned(),
        created_at: at,
        updated_at: at,
        content: seal_row(who, RowTable::Goals, &id, &content),
    };
    app.store.insert_goal(&record).await?;
    refresh_digest(app, who).await?;
    Ok(Goal { id, content, created_at: at, updated_at: at })
}

pub async fn get(app: &App, who: &UnlockedUser, id: &str) -> Result<Goal, ServiceError> {
    if !looks_like_id(id) {
        return Err(ServiceError::not_found());
    }
    let records = app.store.goals(who.id()).await?;
    let r = records.iter().find(|r| r.id == id).ok_or_else(ServiceError::not_found)?;
    open_goal(who, r)
}

async fn save(app: &App, who: &UnlockedUser, goal: &Goal) -> Result<Goal, ServiceError> {
    let at = now();
    let record = GoalRecord {
        id: goal.id.clone(),
        user_id: who.id().to_owned(),
        created_at: goal.created_at,
        updated_at: at,
        content: seal_row(who, RowTable::Goals, &goal.id, &goal.content),
    };
    if !app.store.update_goal(&record).await? {
        return Err(ServiceError::not_found());
    }
    refresh_digest(app, who).await?;
    Ok(Goal { updated_at: at, ..goal.clone() })
}

pub async fn update(app: &App, who: &UnlockedUser, id: &str, input: &GoalInput) -> Result<Goal, ServiceError> {
    let mut goal = get(app, who, id).await?;
    goal.content = apply(goal.content, input)?;
    save(app, who, &goal).await
}

/// Pause, resume, complete, archive or restore.
pub async fn set_status(app: &App, who: &UnlockedUser, id: &str, action: &str) -> Result<Goal, ServiceError> {
    let mut goal = get(app, who, id).await?;
    let today = today_in(&who.user().time_zone).to_string();
    let c = &mut goal.content;
    let close_pause = |c: &mut GoalContent| {
        if let Some(last) = c.pauses.last_mut()
            && last.1.is_none()
        {
            // A pause ends the day before the goal starts again.
            let yesterday = today.parse::<Date>().ok().and_then(|d| d.yesterday().ok()).map(|d| d.to_string());
            last.1 = Some(yesterday.unwrap_or_else(|| today.clone()).max(last.0.clone()));
        }
    };
    match (action, c.status) {
        ("pause", Status::Active) => {
            c.status = Status::Paused;
            c.pauses.push((today.clone(), None));
        }
        ("resume", Status::Paused) => {
            close_pause(c);
            c.status = Status::Active;
        }
        ("complete", Status::Active | Status::Paused) => {
            close_pause(c);
            c.status = Status::Completed;
            c.completed_on = Some(today.clone());
        }
        ("archive", _) => {
            close_pause(c);
            c.status = Status::Archived;
        }
        ("restore", Status::Archived | Status::Completed) => {
            c.status = Status::Active;
            c.completed_on = None;
        }
        ("pause" | "resume" | "complete" | "restore", _) => {
            return Err(ServiceError::conflict("goal_status", format!("This goal is {} already.", c.status.as_str())));
        }
        _ => return Err(ValidationError::new("action", "Choose pause, resume, complete, archive or restore.").into()),
    }
    save(app, who, &goal).await
}

pub async fn delete(app: &App, who: &UnlockedUser, id: &str) -> Result<(), ServiceError> {
    if !looks_like_id(id) || !app.store.delete_goal(who.id(), id).await? {
        return Err(ServiceError::not_found());
    }
    refresh_digest(app, who).await
}

pub const MAX_NOTE_CHARS: usize = 1_000;

pub async fn check_in(
    app: &App,
    who: &UnlockedUser,
    goal_id: &str,
    date: Option<&str>,
    note: Option<&str>,
) -> Result<Checkin, ServiceError> {
    let mut goal = get(app, who, goal_id).await?;
    if goal.content.status != Status::Active {
        return Err(ServiceError::conflict(
            "goal_not_active",
            "This goal is paused or put away. Resume it to check in.",
        ));
    }
    let today = today_in(&who.user().time_zone);
    let day = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date("date", d)?,
        None => today,
    };
    check_in_date_allowed(day, today)?;
    let note = journal_core::validate::multi_line(note.unwrap_or(""));
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ValidationError::new("note", "Please keep the note under 1,000 characters.").into());
    }
    let id = new_id();
    let record = CheckinRecord {
        id: id.clone(),
        goal_id: goal_id.to_owned(),
        user_id: who.id().to_owned(),
        day: day.to_string(),
        created_at: now(),
        note: if note.is_empty() { Vec::new() } else { seal_row(who, RowTable::GoalCheckins, &id, &note) },
    };
    if !app.store.insert_checkin(&record).await? {
        return Err(ServiceError::not_found());
    }
    if goal.content.include_day(day) {
        // `save` refreshes the therapist digest too.
        save(app, who, &goal).await?;
    } else {
        refresh_digest(app, who).await?;
    }
    Ok(Checkin { id, goal_id: goal_id.to_owned(), day, note: note.to_owned() })
}

pub async fn undo(app: &App, who: &UnlockedUser, goal_id: &str, checkin_id: &str) -> Result<(), ServiceError> {
    if !looks_like_id(goal_id) || !looks_like_id(checkin_id) {
        return Err(ServiceError::not_found());
    }
    if !app.store.delete_checkin(who.id(), goal_id, checkin_id).await? {
        return Err(ServiceError::not_found());
    }
    refresh_digest(app, who).await
}

/// Every goal with its progress today and its check-ins, oldest goal first.
pub async fn list(app: &App, who: &UnlockedUser) -> Result<Vec<GoalWithProgress>, ServiceError> {
    Ok(list_checked(app, who).await?.0)
}

/// As `list`, with the goals that can't be opened (damaged) apart, so one bad row never hides
/// the others. A damaged check-in is left out of its goal's progress.
pub async fn list_checked(
    app: &App,
    who: &UnlockedUser,
) -> Result<(Vec<GoalWithProgress>, Vec<DamagedItem>), ServiceError> {
    let today = today_in(&who.user().time_zone);
    let ws = week_start(who);
    let records = app.store.goals(who.id()).await?;
    let checkins: Vec<Checkin> =
        app.store.checkins(who.id()).await?.iter().filter_map(|c| open_checkin(who, c).ok()).collect();
    let mut damaged = Vec::new();
    let mut out = Vec::with_capacity(records.len());
    for r in &records {
        let Ok(goal) = open_goal(who, r) else {
            damaged.push(DamagedItem { id: r.id.clone(), date: journal_core::time_util::rfc3339(r.created_at) });
            continue;
        };
        let mine: Vec<Checkin> = checkins.iter().filter(|c| c.goal_id == goal.id).cloned().collect();
        let days: Vec<Date> = mine.iter().map(|c| c.day).collect();
        let progress = progress(&goal.content, &days, today, ws);
        out.push(GoalWithProgress { goal, progress, checkins: mine });
    }
    Ok((out, damaged))
}

/// Categories of the active goals, for the prompt engine.
pub async fn active_categories(app: &App, who: &UnlockedUser) -> Result<Vec<String>, ServiceError> {
    let records = app.store.goals(who.id()).await?;
    let mut out = Vec::new();
    for r in &records {
        let Ok(g) = open_goal(who, r) else { continue };
        if g.content.status == Status::Active {
            out.push(g.content.category);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- the digest a therapist may see

/// Goal progress as a client shares it: titles and numbers, no notes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GoalDigest {
    pub title: String,
    pub category: String,
    pub status: String,
    pub done: u32,
    pub target: u32,
    pub unit: String,
    pub current_streak: u32,
    pub rate_4_weeks: Option<u8>,
    /// Days with a check-in, `YYYY-MM-DD`, newest 120.
    pub days: Vec<String>,
}

impl GoalDigest {
    pub fn of(g: &GoalWithProgress) -> Self {
        GoalDigest {
            title: g.goal.content.title.clone(),
            category: g.goal.content.category.clone(),
            status: g.goal.content.status.as_str().to_owned(),
            done: g.progress.done,
            target: g.progress.target,
            unit: g.progress.unit.to_owned(),
            current_streak: g.progress.current_streak,
            rate_4_weeks: g.progress.rate_4_weeks,
            days: g.checkins.iter().rev().take(120).map(|c| c.day.to_string()).collect(),
        }
    }
}

/// Keeps the shared goals digest current (sealed under the metrics key), or removes it when no
/// link shares goals.
pub async fn refresh_digest(app: &App, who: &UnlockedUser) -> Result<(), ServiceError> {
    if who.user().role == journal_core::Role::Therapist {
        return Ok(());
    }
    let sharing = app.store.connections(who.id()).await?.iter().any(|c| c.client_id == who.id() && c.share_goals);
    if !sharing {
        if app.store.document(who.id(), GOALS_DIGEST).await?.is_some() {
            app.store.put_document(who.id(), GOALS_DIGEST, &[], now()).await?;
        }
        return Ok(());
    }
    let digest: Vec<GoalDigest> = list(app, who).await?.iter().map(GoalDigest::of).collect();
    let key = crate::health::metrics_key::key(app, who).await?;
    let json = zeroize::Zeroizing::new(serde_json::to_vec(&digest).unwrap_or_default());
    app.store
        .put_document(who.id(), GOALS_DIGEST, &journal_crypto::seal(&key, &goals_digest_aad(who.id()), &json), now())
        .await?;
    Ok(())
}
