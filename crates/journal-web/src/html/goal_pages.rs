//! Goals, achievements, the weekly review and reminders, as pages.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan;
use journal_core::goals::{CATEGORIES, Per, Status, category_name};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render, request_host};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::goals::{self, GoalInput, GoalWithProgress};
use journal_app::health::moods::Achievement;

pub struct Celebration {
    pub title: String,
    pub message: String,
}

pub fn celebrations(list: Vec<Achievement>) -> Vec<Celebration> {
    list.into_iter()
        .map(|a| Celebration { message: journal_app::goals::achievements::message(&a), title: a.title })
        .collect()
}

pub struct GoalCard {
    pub id: String,
    pub title: String,
    pub why: String,
    pub category: &'static str,
    pub cadence: String,
    pub status: &'static str,
    pub progress: String,
    pub streak: String,
    pub done_today: Option<String>,
    pub percent: u32,
}

fn cadence_text(times: u8, per: Per) -> String {
    match (times, per) {
        (1, Per::Day) => "Every day".into(),
        (n, Per::Day) => format!("{n} times a day"),
        (1, Per::Week) => "Once a week".into(),
        (n, Per::Week) => format!("{n} times a week"),
    }
}

fn card(g: &GoalWithProgress, today: jiff::civil::Date) -> GoalCard {
    let c = &g.goal.content;
    let p = &g.progress;
    let period = if c.cadence.per == Per::Day { "today" } else { "this week" };
    let progress = if p.done >= p.target {
        format!("Done {period}. Well done.")
    } else {
        format!("{} of {} {period}", p.done, p.target)
    };
    let unit = |n: u32| {
        if p.unit == "day" {
            if n == 1 { "day" } else { "days" }
        } else if n == 1 {
            "week"
        } else {
            "weeks"
        }
    };
    let streak = match (p.current_streak, p.longest_streak) {
        (0, 0) => "Your first check-in starts a streak.".to_owned(),
        (0, l) => format!("Your longest run so far: {l} {}. A new one can start today.", unit(l)),
        (n, l) if n == l => format!("{n} {} in a row, your longest yet.", unit(n)),
        (n, l) => format!("{n} {} in a row. Longest: {l}.", unit(n)),
    };
    GoalCard {
        id: g.goal.id.clone(),
        title: c.title.clone(),
        why: c.why.clone(),
        category: category_name(&c.category).unwrap_or(""),
        cadence: cadence_text(c.cadence.times, c.cadence.per),
        status: c.status.as_str(),
        progress,
        streak,
        done_today: g.checkins.iter().rev().find(|x| x.day == today).map(|x| x.id.clone()),
        percent: (p.done.min(p.target) * 100).checked_div(p.target).unwrap_or(0),
    }
}

#[derive(Template)]
#[template(path = "goals.html")]
struct GoalsPage {
    shell: Shell,
    active: Vec<GoalCard>,
    paused: Vec<GoalCard>,
    finished: Vec<GoalCard>,
    suggestions: Vec<(&'static str, &'static str, &'static [&'static str])>,
    celebrations: Vec<Celebration>,
    notice: Option<&'static str>,
    error: Option<AppError>,
    /// Goals that can't be opened, left out.
    damaged: usize,
}

#[derive(Deserialize)]
pub struct Notice {
    notice: Option<String>,
}

async fn goals_page(
    state: &AppState,
    user: &PageUser,
    notice: Option<&'static str>,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let (list, damaged) = goals::list_checked(state, &user.current).await.or_page(user.theme)?;
    let celebrations = match journal_app::goals::achievements::celebrate(state, &user.current).await {
        Ok(c) => celebrations(c),
        Err(e) => return Err(PageError::new(e, user.theme)),
    };
    let today = journal_core::dates::today_in(&user.current.unlocked.user().time_zone);
    let (mut active, mut paused, mut finished) = (vec![], vec![], vec![]);
    for g in &list {
        match g.goal.content.status {
            Status::Active => active.push(card(g, today)),
            Status::Paused => paused.push(card(g, today)),
            Status::Completed | Status::Archived => finished.push(card(g, today)),
        }
    }
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&GoalsPage {
        shell: Shell::for_user("Goals", user),
        active,
        paused,
        finished,
        suggestions: CATEGORIES.to_vec(),
        celebrations,
        notice,
        error,
        damaged: damaged.len(),
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

pub async fn index(State(state): State<AppState>, user: PageUser, PageQuery(q): PageQuery<Notice>) -> Response {
    let notice = match q.notice.as_deref() {
        Some("checked-in") => Some("Checked in. Every step counts."),
        Some("undone") => Some("That check-in is removed."),
        Some("created") => Some("Your goal is set. Start whenever you're ready."),
        Some("paused") => Some("Paused. Your streak will be waiting when you come back."),
        Some("resumed") => Some("Welcome back to this goal."),
        Some("completed") => Some("Marked as complete. That's worth celebrating."),
        Some("archived") => Some("Put away. You can bring it back any time."),
        Some("restored") => Some("It's back with your active goals."),
        Some("deleted") => Some("The goal is deleted."),
        _ => None,
    };
    goals_page(&state, &user, notice, None).await.into_response()
}

#[derive(Deserialize)]
pub struct AdoptForm {
    category: String,
    title: String,
}

/// One tap: a starter goal as it is, once a day (or once a week for some).
pub async fn adopt(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<AdoptForm>) -> Response {
    let input = GoalInput {
        title: Some(f.title),
        category: Some(f.category),
        times: Some(1),
        per: Some("day".into()),
        ..Default::default()
    };
    match goals::create(&state, &user.current, &input).await.map_err(AppError::from) {
        Ok(_) => Redirect::to("/goals?notice=created").into_response(),
        Err(e) if e.status.is_client_error() => goals_page(&state, &user, None, Some(e)).await.into_response(),
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct GoalForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    why: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    times: String,
    #[serde(default)]
    per: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    end_date: String,
}

impl GoalForm {
    fn input(&self) -> Result<GoalInput, AppError> {
        let times = self
            .times
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("cadence", "Choose how many times, as a number."))?;
        Ok(GoalInput {
            title: Some(self.title.clone()),
            why: Some(self.why.clone()),
            category: Some(self.category.clone()),
            times: Some(times),
            per: Some(self.per.clone()),
            start_date: Some(self.start_date.clone()),
            end_date: Some(Some(self.end_date.clone())),
        })
    }
}

#[derive(Template)]
#[template(path = "goal_form.html")]
struct GoalFormPage {
    shell: Shell,
    heading: &'static str,
    action: String,
    form: GoalForm,
    categories: Vec<(&'static str, &'static str)>,
    error: Option<AppError>,
}

fn form_page(user: &PageUser, editing: Option<&str>, form: GoalForm, error: Option<AppError>) -> Response {
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&GoalFormPage {
        shell: Shell::for_user(if editing.is_some() { "Edit goal" } else { "New goal" }, user),
        heading: if editing.is_some() { "Edit goal" } else { "A new goal" },
        action: match editing {
            Some(id) => format!("/goals/{id}/edit"),
            None => "/goals/new".into(),
        },
        form,
        categories: CATEGORIES.iter().map(|(c, n, _)| (*c, *n)).collect(),
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

#[derive(Deserialize)]
pub struct NewParams {
    category: Option<String>,
    title: Option<String>,
}

pub async fn new_form(user: PageUser, PageQuery(p): PageQuery<NewParams>) -> Response {
    let today = journal_core::dates::today_in(&user.current.unlocked.user().time_zone).to_string();
    let form = GoalForm {
        title: p.title.unwrap_or_default(),
        category: p.category.filter(|c| category_name(c).is_some()).unwrap_or_default(),
        times: "1".into(),
        per: "day".into(),
        start_date: today,
        ..Default::default()
    };
    form_page(&user, None, form, None)
}

pub async fn create(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<GoalForm>) -> Response {
    let result = match f.input() {
        Ok(input) => goals::create(&state, &user.current, &input).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to("/goals?notice=created").into_response(),
        Err(e) if e.status.is_client_error() => form_page(&user, None, f, Some(e)),
        Err(e) => error_page(e, user.theme),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let g = goals::get(&state, &user.current, &id).await.or_page(user.theme)?;
    let c = g.content;
    let form = GoalForm {
        title: c.title,
        why: c.why,
        category: c.category,
        times: c.cadence.times.to_string(),
        per: if c.cadence.per == Per::Day { "day".into() } else { "week".into() },
        start_date: c.start_date,
        end_date: c.end_date.unwrap_or_default(),
    };
    Ok(form_page(&user, Some(&id), form, None))
}

pub async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<GoalForm>,
) -> Response {
    let result = match f.input() {
        Ok(input) => goals::update(&state, &user.current, &id, &input).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/goals/{id}")).into_response(),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            form_page(&user, Some(&id), f, Some(e))
        }
        Err(e) => error_page(e, user.theme),
    }
}

pub struct CheckinRow {
    pub id: String,
    pub date: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage {
    shell: Shell,
    card: GoalCard,
    rate_4: String,
    rate_12: String,
    checkins: Vec<CheckinRow>,
    days: Vec<(String, String)>,
    can_check_in: bool,
    celebrations: Vec<Celebration>,
    error: Option<AppError>,
}

async fn goal_page(
    state: &AppState,
    user: &PageUser,
    id: &str,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let list = goals::list(state, &user.current).await.or_page(user.theme)?;
    let Some(g) = list.iter().find(|g| g.goal.id == id) else {
        return Err(PageError::new(AppError::not_found(), user.theme));
    };
    let celebrations = match journal_app::goals::achievements::celebrate(state, &user.current).await {
        Ok(c) => celebrations(c),
        Err(e) => return Err(PageError::new(e, user.theme)),
    };
    let today = journal_core::dates::today_in(&user.current.unlocked.user().time_zone);
    let rate = |r: Option<u8>| r.map(|r| format!("{r}%")).unwrap_or_else(|| "not yet".to_owned());
    let days = (0..=7i64)
        .filter_map(|back| {
            let d = today.checked_sub(back.days()).ok()?;
            let label = match back {
                0 => "Today".to_owned(),
                1 => "Yesterday".to_owned(),
                _ => d.strftime("%A %-d %B").to_string(),
            };
            Some((d.to_string(), label))
        })
        .collect();
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&GoalPage {
        shell: Shell::for_user(&g.goal.content.title, user),
        card: card(g, today),
        rate_4: rate(g.progress.rate_4_weeks),
        rate_12: rate(g.progress.rate_12_weeks),
        checkins: g
            .checkins
            .iter()
            .rev()
            .take(30)
            .map(|c| CheckinRow { id: c.id.clone(), date: c.day.to_string(), note: c.note.clone() })
            .collect(),
        days,
        can_check_in: g.goal.content.status == Status::Active,
        celebrations,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

pub async fn show(State(state): State<AppState>, user: PageUser, Path(id): Path<String>) -> Response {
    goal_page(&state, &user, &id, None).await.into_response()
}

#[derive(Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    note: String,
    /// Where to come back to: the goal's page or the list.
    #[serde(default)]
    back: String,
}

pub async fn check_in(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<CheckInForm>,
) -> Response {
    match goals::check_in(&state, &user.current, &id, Some(&f.date), Some(&f.note)).await.map_err(AppError::from) {
        Ok(_) if f.back == "goal" => Redirect::to(&format!("/goals/{id}")).into_response(),
        Ok(_) => Redirect::to("/goals?notice=checked-in").into_response(),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            goal_page(&state, &user, &id, Some(e)).await.into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct BackForm {
    #[serde(default)]
    back: String,
}

pub async fn undo(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, checkin)): Path<(String, String)>,
    PageForm(f): PageForm<BackForm>,
) -> Result<Response, PageError> {
    Ok(match goals::undo(&state, &user.current, &id, &checkin).await.or_page(user.theme)? {
        () if f.back == "goal" => Redirect::to(&format!("/goals/{id}")).into_response(),
        () => Redirect::to("/goals?notice=undone").into_response(),
    })
}

#[derive(Deserialize)]
pub struct StatusForm {
    action: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<StatusForm>,
) -> Response {
    let notice = match f.action.as_str() {
        "pause" => "paused",
        "resume" => "resumed",
        "complete" => "completed",
        "archive" => "archived",
        "restore" => "restored",
        _ => "",
    };
    match goals::set_status(&state, &user.current, &id, &f.action).await.map_err(AppError::from) {
        Ok(_) => Redirect::to(&format!("/goals?notice={notice}")).into_response(),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            goal_page(&state, &user, &id, Some(e)).await.into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn delete(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<DeleteForm>,
) -> Result<Response, PageError> {
    if f.confirm.is_none() {
        return Ok(Redirect::to(&format!("/goals/{id}")).into_response());
    }
    goals::delete(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(Redirect::to("/goals?notice=deleted").into_response())
}

// ---------------------------------------------------------------- achievements

pub struct AchievementRow {
    pub title: String,
    pub message: String,
    pub earned_at: String,
}

#[derive(Template)]
#[template(path = "achievements.html")]
struct AchievementsPage {
    shell: Shell,
    rows: Vec<AchievementRow>,
}

pub async fn achievements(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    // Seeing them here counts as celebrating them.
    if let Err(e) = journal_app::goals::achievements::celebrate(&state, &user.current).await {
        return Err(PageError::new(e, user.theme));
    }
    let list = journal_app::goals::achievements::all(&state, &user.current).await.or_page(user.theme)?;
    Ok(render(&AchievementsPage {
        shell: Shell::for_user("Achievements", &user),
        rows: list
            .into_iter()
            .map(|a| AchievementRow {
                message: journal_app::goals::achievements::message(&a),
                title: a.title,
                earned_at: a.earned_at,
            })
            .collect(),
    }))
}

// ---------------------------------------------------------------- weekly review

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    shell: Shell,
    r: journal_app::goals::review::Review,
    wins: Vec<AchievementRow>,
    previous_week: String,
    next_week: Option<String>,
    week: String,
    error: Option<AppError>,
}

#[derive(Deserialize)]
pub struct WeekParam {
    week: Option<String>,
}

async fn review_page(
    state: &AppState,
    user: &PageUser,
    week: Option<&str>,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let r = journal_app::goals::review::review(state, &user.current, week).await.or_page(user.theme)?;
    let today = journal_core::dates::today_in(&user.current.unlocked.user().time_zone);
    let previous_week = r.from.checked_sub(7.days()).map(|d| d.to_string()).unwrap_or_default();
    let next_week = r.to.tomorrow().ok().filter(|d| *d <= today).map(|d| d.to_string());
    let wins = r
        .wins
        .iter()
        .map(|a| AchievementRow {
            message: journal_app::goals::achievements::message(a),
            title: a.title.clone(),
            earned_at: a.earned_at.clone(),
        })
        .collect();
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&ReviewPage {
        shell: Shell::for_user("Weekly review", user),
        week: r.from.to_string(),
        wins,
        previous_week,
        next_week,
        r,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

pub async fn review(State(state): State<AppState>, user: PageUser, PageQuery(p): PageQuery<WeekParam>) -> Response {
    review_page(&state, &user, p.week.as_deref(), None).await.into_response()
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    week: String,
    #[serde(default)]
    reflection: String,
}

pub async fn save_review(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<ReviewForm>) -> Response {
    match journal_app::goals::review::save(&state, &user.current, Some(&f.week), &f.reflection)
        .await
        .map_err(AppError::from)
    {
        Ok(e) => Redirect::to(&format!("/journal/{}?notice=saved", e.id)).into_response(),
        Err(e) if e.status.is_client_error() => {
            review_page(&state, &user, Some(&f.week), Some(e)).await.into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

// ---------------------------------------------------------------- reminders

#[derive(Template)]
#[template(path = "reminders.html")]
struct RemindersPage {
    shell: Shell,
    feed_url: String,
    journal_time: String,
    checkin_time: String,
    goal_time: String,
    goal_reminders: bool,
    notice: Option<&'static str>,
    error: Option<AppError>,
}

async fn reminders_page(
    state: &AppState,
    user: &PageUser,
    headers: &HeaderMap,
    notice: Option<&'static str>,
    error: Option<AppError>,
) -> Response {
    let s = match journal_app::goals::reminders::get(state, &user.current).await {
        Ok(s) => s,
        Err(e) => return error_page(e, user.theme),
    };
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&RemindersPage {
        shell: Shell::for_user("Reminders", user),
        feed_url: journal_app::goals::reminders::feed_url(state, request_host(headers), &s.token),
        journal_time: s.journal_time.unwrap_or_default(),
        checkin_time: s.checkin_time.unwrap_or_default(),
        goal_time: s.goal_time.unwrap_or_default(),
        goal_reminders: s.goal_reminders,
        notice,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

pub async fn reminders(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: PageUser,
    PageQuery(q): PageQuery<Notice>,
) -> Response {
    let notice = match q.notice.as_deref() {
        Some("saved") => Some("Saved. Calendars that follow the address pick up changes within a few hours."),
        Some("rotated") => {
            Some("Your calendar has a new address. The old one no longer works; add the new one to your calendar.")
        }
        _ => None,
    };
    reminders_page(&state, &user, &headers, notice, None).await
}

#[derive(Deserialize)]
pub struct RemindersForm {
    #[serde(default)]
    journal_time: String,
    #[serde(default)]
    checkin_time: String,
    #[serde(default)]
    goal_time: String,
    #[serde(default)]
    goal_reminders: Option<String>,
}

pub async fn save_reminders(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: PageUser,
    PageForm(f): PageForm<RemindersForm>,
) -> Response {
    let r = journal_app::goals::reminders::update(
        &state,
        &user.current,
        Some(&f.journal_time),
        Some(&f.checkin_time),
        Some(&f.goal_time),
        f.goal_reminders.is_some(),
    )
    .await
    .map_err(AppError::from);
    match r {
        Ok(_) => Redirect::to("/reminders?notice=saved").into_response(),
        Err(e) if e.status.is_client_error() => reminders_page(&state, &user, &headers, None, Some(e)).await,
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn rotate(State(state): State<AppState>, user: PageUser, PageForm(_): PageForm<Empty>) -> Response {
    match journal_app::goals::reminders::rotate(&state, &user.current).await {
        Ok(_) => Redirect::to("/reminders?notice=rotated").into_response(),
        Err(e) => error_page(e, user.theme),
    }
}

/// The calendar feed itself: no sign-in, the secret address is the key.
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or("");
    match journal_app::goals::reminders::feed(&state, token).await.map_err(AppError::from) {
        Ok(Some(ics)) => {
            let mut res = ics.into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
            res
        }
        Ok(None) => (axum::http::StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => e.into_response(),
    }
}
