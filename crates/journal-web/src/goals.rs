//! Self-care goals: create, edit, pause, archive, check in (today or up to a week back), undo,
//! and progress and streaks in the goal's own periods, in the person's time zone and week.

use jiff::civil::{Date, Weekday};
use journal_core::dates::{parse_date, today_in};
use journal_core::goals::{
    Cadence, CheckinRecord, GoalContent, GoalRecord, Per, Progress, Status, check_in_date_allowed, progress,
};
use journal_core::ids::{looks_like_id, new_id};
use journal_core::records::{RowTable, open_row, seal_row};
use journal_core::time_util::{Timestamp, now};
use journal_core::validate::ValidationError;

use crate::auth::CurrentUser;
use crate::damaged::DamagedItem;
use crate::error::AppError;
use crate::server::AppState;

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

pub fn week_start(who: &CurrentUser) -> Weekday {
    match who.unlocked.user().week_start {
        2 => Weekday::Tuesday,
        3 => Weekday::Wednesday,
        4 => Weekday::Thursday,
        5 => Weekday::Friday,
        6 => Weekday::Saturday,
        7 => Weekday::Sunday,
        _ => Weekday::Monday,
    }
}

fn open_goal(who: &CurrentUser, r: &GoalRecord) -> Result<Goal, AppError> {
    let content = open_row(&who.unlocked, RowTable::Goals, &r.id, &r.content)
        .map_err(|_| crate::damaged::error("goal", &r.id))?;
    Ok(Goal { id: r.id.clone(), content, created_at: r.created_at, updated_at: r.updated_at })
}

fn open_checkin(who: &CurrentUser, r: &CheckinRecord) -> Result<Checkin, AppError> {
    let note = if r.note.is_empty() {
        String::new()
    } else {
        open_row(&who.unlocked, RowTable::GoalCheckins, &r.id, &r.note)
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

fn apply(mut g: GoalContent, input: &GoalInput) -> Result<GoalContent, AppError> {
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

pub async fn create(state: &AppState, who: &CurrentUser, input: &GoalInput) -> Result<Goal, AppError> {
    let today = today_in(&who.unlocked.user().time_zone);
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
        content: seal_row(&who.unlocked, RowTable::Goals, &id, &content),
    };
    state.store.insert_goal(&record).await?;
    crate::bridge::refresh_goals_digest(state, who).await?;
    Ok(Goal { id, content, created_at: at, updated_at: at })
}

pub async fn get(state: &AppState, who: &CurrentUser, id: &str) -> Result<Goal, AppError> {
    if !looks_like_id(id) {
        return Err(AppError::not_found());
    }
    let records = state.store.goals(who.id()).await?;
    let r = records.iter().find(|r| r.id == id).ok_or_else(AppError::not_found)?;
    open_goal(who, r)
}

async fn save(state: &AppState, who: &CurrentUser, goal: &Goal) -> Result<Goal, AppError> {
    let at = now();
    let record = GoalRecord {
        id: goal.id.clone(),
        user_id: who.id().to_owned(),
        created_at: goal.created_at,
        updated_at: at,
        content: seal_row(&who.unlocked, RowTable::Goals, &goal.id, &goal.content),
    };
    if !state.store.update_goal(&record).await? {
        return Err(AppError::not_found());
    }
    crate::bridge::refresh_goals_digest(state, who).await?;
    Ok(Goal { updated_at: at, ..goal.clone() })
}

pub async fn update(state: &AppState, who: &CurrentUser, id: &str, input: &GoalInput) -> Result<Goal, AppError> {
    let mut goal = get(state, who, id).await?;
    goal.content = apply(goal.content, input)?;
    save(state, who, &goal).await
}

/// Pause, resume, complete, archive or restore.
pub async fn set_status(state: &AppState, who: &CurrentUser, id: &str, action: &str) -> Result<Goal, AppError> {
    let mut goal = get(state, who, id).await?;
    let today = today_in(&who.unlocked.user().time_zone).to_string();
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
            return Err(AppError::conflict("goal_status", format!("This goal is {} already.", c.status.as_str())));
        }
        _ => return Err(ValidationError::new("action", "Choose pause, resume, complete, archive or restore.").into()),
    }
    save(state, who, &goal).await
}

pub async fn delete(state: &AppState, who: &CurrentUser, id: &str) -> Result<(), AppError> {
    if !looks_like_id(id) || !state.store.delete_goal(who.id(), id).await? {
        return Err(AppError::not_found());
    }
    crate::bridge::refresh_goals_digest(state, who).await
}

pub const MAX_NOTE_CHARS: usize = 1_000;

pub async fn check_in(
    state: &AppState,
    who: &CurrentUser,
    goal_id: &str,
    date: Option<&str>,
    note: Option<&str>,
) -> Result<Checkin, AppError> {
    let mut goal = get(state, who, goal_id).await?;
    if goal.content.status != Status::Active {
        return Err(AppError::conflict("goal_not_active", "This goal is paused or put away. Resume it to check in."));
    }
    let today = today_in(&who.unlocked.user().time_zone);
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
        note: if note.is_empty() { Vec::new() } else { seal_row(&who.unlocked, RowTable::GoalCheckins, &id, &note) },
    };
    if !state.store.insert_checkin(&record).await? {
        return Err(AppError::not_found());
    }
    if goal.content.include_day(day) {
        // `save` refreshes the therapist digest too.
        save(state, who, &goal).await?;
    } else {
        crate::bridge::refresh_goals_digest(state, who).await?;
    }
    Ok(Checkin { id, goal_id: goal_id.to_owned(), day, note: note.to_owned() })
}

pub async fn undo(state: &AppState, who: &CurrentUser, goal_id: &str, checkin_id: &str) -> Result<(), AppError> {
    if !looks_like_id(goal_id) || !looks_like_id(checkin_id) {
        return Err(AppError::not_found());
    }
    if !state.store.delete_checkin(who.id(), goal_id, checkin_id).await? {
        return Err(AppError::not_found());
    }
    crate::bridge::refresh_goals_digest(state, who).await
}

/// Every goal with its progress today and its check-ins, oldest goal first.
pub async fn list(state: &AppState, who: &CurrentUser) -> Result<Vec<GoalWithProgress>, AppError> {
    Ok(list_checked(state, who).await?.0)
}

/// As `list`, with the goals that can't be opened (damaged) apart, so one bad row never hides
/// the others. A damaged check-in is left out of its goal's progress.
pub async fn list_checked(
    state: &AppState,
    who: &CurrentUser,
) -> Result<(Vec<GoalWithProgress>, Vec<DamagedItem>), AppError> {
    let today = today_in(&who.unlocked.user().time_zone);
    let ws = week_start(who);
    let records = state.store.goals(who.id()).await?;
    let checkins: Vec<Checkin> =
        state.store.checkins(who.id()).await?.iter().filter_map(|c| open_checkin(who, c).ok()).collect();
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
pub async fn active_categories(state: &AppState, who: &CurrentUser) -> Result<Vec<String>, AppError> {
    let records = state.store.goals(who.id()).await?;
    let mut out = Vec::new();
    for r in &records {
        let Ok(g) = open_goal(who, r) else { continue };
        if g.content.status == Status::Active {
            out.push(g.content.category);
        }
    }
    Ok(out)
}
