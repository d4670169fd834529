//! The quick mood check-in: one page, a few taps, done in seconds on a phone; works without
//! JavaScript. Recent check-ins are listed below the form.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::emotions::{DEFAULT_ACTIVITIES, EMOTIONS, EmotionGroup, mood_label};
use serde::Deserialize;

use super::{PageForm, PageUser, Shell, error_page, render};
use crate::error::AppError;
use crate::moods::{self, MoodInput};
use crate::server::AppState;

pub struct RecentRow {
    pub when: String,
    pub score: u8,
    pub label: &'static str,
    pub emotions: String,
    pub sleep: Option<f32>,
    pub note: String,
    /// It can't be opened; shown as such, in its place.
    pub damaged: bool,
}

fn when(at: i64, zone: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(at)
        .map(|t| {
            let z = t.to_zoned_datetime(zone.clone());
            format!("{} at {:02}:{:02}", super::journal_pages::long_date(&z.date().to_string()), z.hour(), z.minute())
        })
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "mood.html")]
struct MoodPage {
    shell: Shell,
    scores: [(u8, &'static str); 5],
    groups: &'static [EmotionGroup],
    activities: &'static [&'static str],
    recent: Vec<RecentRow>,
    notice: bool,
    error: Option<AppError>,
}

async fn page(state: &AppState, user: &PageUser, notice: bool, error: Option<AppError>) -> Response {
    let tz = user.current.unlocked.user.time_zone.clone();
    let today = journal_core::dates::today_in(&tz);
    let week_ago = today.saturating_sub(jiff::Span::new().days(6)).to_string();
    let (recent, damaged) =
        match moods::list_checked(state, &user.current, Some(&week_ago), Some(&today.to_string())).await {
            Ok(m) => m,
            Err(e) => return error_page(e, user.theme),
        };
    let zone = jiff::tz::TimeZone::get(&tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let mut rows: Vec<(i64, RecentRow)> = recent
        .into_iter()
        .map(|m| {
            let row = RecentRow {
                when: when(m.at, &zone),
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
        let row = RecentRow {
            when: when(at, &zone),
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
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&MoodPage {
        shell: Shell::for_user("Mood check-in", user),
        scores: journal_core::emotions::MOOD_SCALE,
        groups: EMOTIONS,
        activities: DEFAULT_ACTIVITIES,
        recent,
        notice,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

#[derive(Deserialize)]
pub struct NoticeParam {
    saved: Option<String>,
}

pub async fn show(State(state): State<AppState>, user: PageUser, Query(p): Query<NoticeParam>) -> Response {
    page(&state, &user, p.saved.is_some(), None).await
}

pub async fn check_in(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let all = |k: &str| fields.iter().filter(|(f, _)| f == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let own =
        |k: &str| get(k).split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    let Ok(score) = get("score").parse::<i64>() else {
        let e = AppError::invalid("score", "Please choose how you're feeling, from very low to very good.");
        return page(&state, &user, false, Some(e)).await;
    };
    let sleep = get("sleep_hours");
    let sleep_hours = if sleep.is_empty() {
        None
    } else {
        match sleep.parse::<f64>() {
            Ok(h) => Some(h),
            Err(_) => {
                let e = AppError::invalid("sleep_hours", "Sleep is a number of hours, like 7 or 6.5.");
                return page(&state, &user, false, Some(e)).await;
            }
        }
    };
    let mut emotions = all("emotion");
    emotions.extend(own("other_emotions"));
    let mut activities = all("activity");
    activities.extend(own("other_activities"));
    let note = get("note");
    let input =
        MoodInput { score, emotions, sleep_hours, activities, note: Some(note).filter(|n| !n.is_empty()), at: None };
    match moods::check_in(&state, &user.current, &input).await {
        Ok(_) => Redirect::to("/mood?saved=1").into_response(),
        Err(e) if e.status.is_client_error() => page(&state, &user, false, Some(e)).await,
        Err(e) => error_page(e, user.theme),
    }
}
