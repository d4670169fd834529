//! The quick mood check-in: one page, a few taps, done in seconds on a phone; works without
//! JavaScript. Recent check-ins are listed below the form, each with edit and delete: a mis-tap
//! must not stay in insights or a therapist's chart. Right after a check-in, the confirmation
//! carries an undo button for ten minutes.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::emotions::{Quadrant, activity_icon, main_quadrant, mood_label};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use journal_app::health::moods::{self, MoodChange, MoodInput};

/// How long after a check-in its confirmation still offers "Undo".
const UNDO_SECONDS: i64 = 600;
use crate::state::AppState;

pub struct RecentRow {
    pub id: String,
    pub when: String,
    pub score: u8,
    pub label: &'static str,
    pub emotions: String,
    pub sleep: Option<f32>,
    pub note: String,
    /// It can't be opened; shown as such, in its place.
    pub damaged: bool,
}

#[derive(Template)]
#[template(path = "mood.html")]
struct MoodPage {
    shell: Shell,
    quadrants: [Quadrant; 4],
    activities: Vec<Activity>,
    recent: Vec<RecentRow>,
    notice: Option<&'static str>,
    saved: Option<Saved>,
    error: Option<AppError>,
    /// What was sent, shown again beside the error so nothing has to be chosen twice.
    kept: Kept,
    /// A problem with the activity just added, shown beside that form.
    activity_error: Option<String>,
    list_len: usize,
    manage_open: bool,
}

/// An activity chip: the defaults, then the person's own words from their recent check-ins.
pub struct Activity {
    pub name: String,
    pub icon: &'static str,
    pub checked: bool,
    /// On the person's own list (and so movable), not only a word from a recent check-in.
    pub in_list: bool,
}

#[derive(Default)]
pub struct Kept {
    pub score: u8,
    pub emotions: Vec<String>,
    pub other_emotions: String,
    pub sleep_hours: String,
    pub other_activities: String,
    pub note: String,
}

impl Kept {
    fn from_form(fields: &[(String, String)]) -> Kept {
        let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
        Kept {
            score: get("score").trim().parse().unwrap_or(0),
            emotions: fields.iter().filter(|(f, _)| f == "emotion").map(|(_, v)| v.clone()).collect(),
            other_emotions: get("other_emotions"),
            sleep_hours: get("sleep_hours"),
            other_activities: get("other_activities"),
            note: get("note"),
        }
    }
}

impl MoodPage {
    fn has_emotion(&self, word: &str) -> bool {
        self.kept.emotions.iter().any(|e| e == word)
    }
}

/// The check-in just made, for "Saved" and its undo button.
pub struct Saved {
    pub id: String,
    pub time: String,
    pub undo: bool,
    /// Something from the coping toolbox that fits how the person said they feel.
    pub suggestion: super::toolbox_page::Suggestion,
}

fn time_of(ts: i64, zone: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(ts)
        .map(|t| {
            let z = t.to_zoned_datetime(zone.clone());
            format!("{:02}:{:02}", z.hour(), z.minute())
        })
        .unwrap_or_default()
}

fn when_of(ts: i64, zone: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(ts)
        .map(|t| {
            let z = t.to_zoned_datetime(zone.clone());
            format!("{} at {}", super::dates::long_date(&z.date().to_string()), time_of(ts, zone))
        })
        .unwrap_or_default()
}

async fn page(
    state: &AppState,
    user: &PageUser,
    notice: Option<&'static str>,
    saved_id: Option<&str>,
    error: Option<AppError>,
    fields: &[(String, String)],
) -> Result<Response, PageError> {
    let tz = user.current.unlocked.user().time_zone.clone();
    let zone = jiff::tz::TimeZone::get(&tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = journal_core::dates::today_in(&tz);
    let week_ago = today.saturating_sub(jiff::Span::new().days(6));
    // The last 90 days: this week's list, and the person's own activities for the chips.
    let (all, damaged) =
        moods::list_checked(state, &user.current, None, Some(&today.to_string())).await.or_page(user.theme)?;
    let this_week = |ts: i64| journal_core::dates::local_date(ts, &zone).is_some_and(|d| d >= week_ago);
    let kept = Kept::from_form(fields);
    let list = journal_app::health::activities::list(state, &user.current).await.or_page(user.theme)?;
    let activities = activity_chips(&list, &all, fields);
    let (error, activity_error) = match error {
        Some(e) if e.field.as_deref() == Some("activity_name") => (None, Some(e)),
        e => (e, None),
    };
    let status = error.as_ref().or(activity_error.as_ref()).map(|e| e.status);
    let recent: Vec<_> = all.into_iter().filter(|m| this_week(m.at)).collect();
    let saved = saved_id.and_then(|id| recent.iter().find(|m| m.id == id)).map(|m| Saved {
        id: m.id.clone(),
        time: time_of(m.at, &zone),
        undo: journal_core::time_util::now() - m.at <= UNDO_SECONDS,
        suggestion: super::toolbox_page::suggestion_for(main_quadrant(&m.content.emotions), m.content.score),
    });
    let mut rows: Vec<(i64, RecentRow)> = recent
        .into_iter()
        .map(|m| {
            let row = RecentRow {
                id: m.id,
                when: when_of(m.at, &zone),
                score: m.content.score,
                label: mood_label(m.content.score),
                emotions: m.content.emotions.join(", "),
                sleep: m.content.sleep_hours,
                note: m.content.note,
                damaged: false,
            };
            (m.at, row)
        })
        .collect();
    for d in damaged {
        let at = d.date.parse::<jiff::Timestamp>().map(|t| t.as_second()).unwrap_or(0);
        if !this_week(at) {
            continue;
        }
        let row = RecentRow {
            id: d.id,
            when: when_of(at, &zone),
            score: 0,
            label: "",
            emotions: String::new(),
            sleep: None,
            note: String::new(),
            damaged: true,
        };
        rows.push((at, row));
    }
    // Newest first.
    rows.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let recent = rows.into_iter().map(|(_, r)| r).collect();
    let mut res = render(&MoodPage {
        shell: Shell::for_user("Mood check-in", user),
        quadrants: Quadrant::ALL,
        activities,
        recent,
        notice,
        saved,
        error,
        kept,
        manage_open: activity_error.is_some() || notice == Some(ACTIVITIES_NOTICE),
        activity_error: activity_error.map(|e| e.message),
        list_len: list.len(),
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

/// The person's list of activities, then other words of theirs from recent check-ins (most used
/// first), each ticked if it was just sent with a form that needs correcting.
fn activity_chips(
    list: &[String],
    recent: &[journal_core::metrics::Mood],
    fields: &[(String, String)],
) -> Vec<Activity> {
    let sent: Vec<&str> = fields.iter().filter(|(f, _)| f == "activity").map(|(_, v)| v.as_str()).collect();
    let mut own: Vec<(String, usize)> = Vec::new();
    for a in recent.iter().flat_map(|m| &m.content.activities) {
        if list.contains(a) {
            continue;
        }
        match own.iter_mut().find(|(w, _)| w == a) {
            Some((_, n)) => *n += 1,
            None => own.push((a.clone(), 1)),
        }
    }
    own.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let chip = |name: String, in_list: bool| Activity {
        icon: activity_icon(&name),
        checked: sent.contains(&name.as_str()),
        name,
        in_list,
    };
    list.iter().map(|a| chip(a.clone(), true)).chain(own.into_iter().take(12).map(|(a, _)| chip(a, false))).collect()
}

const ACTIVITIES_NOTICE: &str = "Your activities are updated.";

#[derive(Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    direction: String,
}

/// Adds to the person's activities (`POST /mood/activities`).
pub async fn add_activity(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(f): PageForm<ActivityForm>,
) -> Response {
    match journal_app::health::activities::add(&state, &user.current, &f.name).await.map_err(AppError::from) {
        Ok(()) => Redirect::to("/mood?notice=activities#your-activities").into_response(),
        Err(e) if e.status.is_client_error() => page(&state, &user, None, None, Some(e), &[]).await.into_response(),
        Err(e) => error_page(e, user.theme),
    }
}

/// Moves one activity up or down (`POST /mood/activities/move`); works without JavaScript.
pub async fn move_activity(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(f): PageForm<ActivityForm>,
) -> Result<Response, PageError> {
    let up = match f.direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(PageError::new(AppError::invalid("direction", "Please choose up or down."), user.theme)),
    };
    journal_app::health::activities::move_by_one(&state, &user.current, &f.name, up).await.or_page(user.theme)?;
    Ok(Redirect::to("/mood?notice=activities#your-activities").into_response())
}

/// Takes an activity off the list (`POST /mood/activities/remove`); past check-ins keep it.
pub async fn remove_activity(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(f): PageForm<ActivityForm>,
) -> Result<Response, PageError> {
    journal_app::health::activities::remove(&state, &user.current, &f.name).await.or_page(user.theme)?;
    Ok(Redirect::to("/mood?notice=activities#your-activities").into_response())
}

#[derive(Deserialize)]
pub struct NoticeParam {
    saved: Option<String>,
    notice: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(p): PageQuery<NoticeParam>,
) -> Result<Response, PageError> {
    let notice = match p.notice.as_deref() {
        Some("undone") => Some("Undone. That check-in is gone."),
        Some("deleted") => Some("The check-in is deleted."),
        Some("updated") => Some("Your check-in is corrected."),
        Some("activities") => Some(ACTIVITIES_NOTICE),
        _ => None,
    };
    page(&state, &user, notice, p.saved.as_deref(), None, &[]).await
}

/// Reads the check-in form (also the edit form, which lists feelings and activities as words).
fn read_form(fields: &[(String, String)]) -> Result<MoodInput, AppError> {
    let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let all = |k: &str| fields.iter().filter(|(f, _)| f == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let own =
        |k: &str| get(k).split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    let Ok(score) = get("score").parse::<i64>() else {
        return Err(AppError::invalid("score", "Please choose how you're feeling, from very low to very good."));
    };
    let sleep = get("sleep_hours");
    let sleep_hours = if sleep.is_empty() {
        None
    } else {
        match sleep.parse::<f64>() {
            Ok(h) => Some(h),
            Err(_) => return Err(AppError::invalid("sleep_hours", "Sleep is a number of hours, like 7 or 6.5.")),
        }
    };
    let mut emotions = all("emotion");
    emotions.extend(own("other_emotions"));
    let mut activities = all("activity");
    activities.extend(own("other_activities"));
    let note = get("note");
    Ok(MoodInput { score, emotions, sleep_hours, activities, note: Some(note).filter(|n| !n.is_empty()), at: None })
}

pub async fn check_in(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Response {
    let input = match read_form(&fields) {
        Ok(i) => i,
        Err(e) => return page(&state, &user, None, None, Some(e), &fields).await.into_response(),
    };
    match moods::check_in(&state, &user.current, &input).await.map_err(AppError::from) {
        Ok(m) => Redirect::to(&format!("/mood?saved={}", m.id)).into_response(),
        Err(e) if e.status.is_client_error() => page(&state, &user, None, None, Some(e), &fields).await.into_response(),
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Template)]
#[template(path = "mood_edit.html")]
struct EditPage {
    shell: Shell,
    id: String,
    when: String,
    score: u8,
    emotions: String,
    sleep: String,
    activities: String,
    note: String,
    error: Option<AppError>,
}

/// What the correction form shows: the check-in as stored, or as just sent.
struct EditValues {
    score: u8,
    emotions: String,
    sleep: String,
    activities: String,
    note: String,
}

impl From<&journal_core::metrics::Mood> for EditValues {
    fn from(m: &journal_core::metrics::Mood) -> Self {
        EditValues {
            score: m.content.score,
            emotions: m.content.emotions.join(", "),
            sleep: m.content.sleep_hours.map(|h| h.to_string()).unwrap_or_default(),
            activities: m.content.activities.join(", "),
            note: m.content.note.clone(),
        }
    }
}

fn edit_page(
    user: &PageUser,
    m: &journal_core::metrics::Mood,
    values: &EditValues,
    error: Option<AppError>,
) -> Response {
    let zone = jiff::tz::TimeZone::get(&user.current.unlocked.user().time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&EditPage {
        shell: Shell::for_user("Correct a check-in", user),
        id: m.id.clone(),
        when: when_of(m.at, &zone),
        score: values.score,
        emotions: values.emotions.clone(),
        sleep: values.sleep.clone(),
        activities: values.activities.clone(),
        note: values.note.clone(),
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let m = moods::get(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(edit_page(&user, &m, &EditValues::from(&m), None))
}

pub async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let current = moods::get(&state, &user.current, &id).await.or_page(user.theme)?;
    let input = match read_form(&fields) {
        Ok(i) => i,
        Err(e) => return Ok(edit_page(&user, &current, &sent_back(&current, &fields), Some(e))),
    };
    let change = MoodChange {
        score: Some(input.score),
        emotions: Some(input.emotions),
        sleep_hours: Some(input.sleep_hours),
        activities: Some(input.activities),
        note: Some(input.note.unwrap_or_default()),
        at: None,
    };
    Ok(match moods::update(&state, &user.current, &id, change).await.map_err(AppError::from) {
        Ok(_) => Redirect::to("/mood?notice=updated").into_response(),
        Err(e) if e.status.is_client_error() && e.field.is_some() => {
            edit_page(&user, &current, &sent_back(&current, &fields), Some(e))
        }
        Err(e) => error_page(e, user.theme),
    })
}

/// The correction as it was sent, for showing again beside its error: the words as typed, the
/// mood as chosen (or as it was, when none was), so nothing has to be typed twice.
fn sent_back(current: &journal_core::metrics::Mood, fields: &[(String, String)]) -> EditValues {
    let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
    EditValues {
        score: get("score").trim().parse().unwrap_or(current.content.score),
        emotions: get("other_emotions"),
        sleep: get("sleep_hours"),
        activities: get("other_activities"),
        note: get("note"),
    }
}

#[derive(Template)]
#[template(path = "mood_delete.html")]
struct DeletePage {
    shell: Shell,
    id: String,
    when: String,
    label: &'static str,
}

pub async fn delete_confirm(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let zone = jiff::tz::TimeZone::get(&user.current.unlocked.user().time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let m = moods::get(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(render(&DeletePage {
        shell: Shell::for_user("Delete a check-in", &user),
        when: when_of(m.at, &zone),
        label: mood_label(m.content.score),
        id: m.id,
    }))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    undo: String,
}

/// Deletes after the confirmation page, or at once from the "Undo" button of a fresh check-in.
pub async fn delete(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<DeleteForm>,
) -> Result<Response, PageError> {
    moods::delete(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(Redirect::to(if f.undo.is_empty() { "/mood?notice=deleted" } else { "/mood?notice=undone" }).into_response())
}
