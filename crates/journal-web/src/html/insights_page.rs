//! The insights page: what a person's own check-ins show, in charts and in words.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use journal_core::insights::{Grouping, group};

use super::{PageUser, Shell, charts, error_page, render};
use crate::server::AppState;
use journal_app::health::moods;

pub struct ActivityRow {
    pub activity: String,
    pub with: String,
    pub count_with: usize,
    pub without: String,
    pub count_without: usize,
}

#[derive(Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    shell: Shell,
    days: u32,
    count: usize,
    trend: &'static str,
    over_time: String,
    over_time_summary: String,
    weekday_chart: String,
    weekday_summary: String,
    by: &'static str,
    sleep_chart: Option<String>,
    sleep_summary: String,
    activities: Vec<ActivityRow>,
    current_streak: u32,
    longest_streak: u32,
    achievements: Vec<journal_app::health::moods::Achievement>,
    /// Check-ins that can't be opened, left out of every figure.
    damaged: usize,
}

#[derive(Deserialize)]
pub struct DaysParam {
    days: Option<u32>,
    by: Option<String>,
}

fn one(v: f64) -> String {
    format!("{v:.1}")
}

pub async fn show(State(state): State<AppState>, user: PageUser, PageQuery(p): PageQuery<DaysParam>) -> Response {
    let days = p.days.filter(|d| [7, 30, 90, 365].contains(d)).unwrap_or(30);
    let report = match moods::insights(&state, &user.current, days).await {
        Ok(r) => r,
        Err(e) => return error_page(e, user.theme),
    };
    let by = p.by.as_deref().and_then(Grouping::parse).unwrap_or(match days {
        365 => Grouping::Month,
        90 => Grouping::Week,
        _ => Grouping::Day,
    });
    // Offsets in days from the start of the period place each day, week or month on the chart;
    // a week or month that began before the period is drawn at its start.
    let points: Vec<(String, f64)> = group(&report.per_day, by, jiff::civil::Weekday::Monday)
        .iter()
        .filter_map(|b| {
            let offset = report.from.until(b.start).ok()?.get_days().max(0);
            Some((offset.to_string(), b.average))
        })
        .collect();
    let trend = match report.mood.trend.direction {
        "up" => "Your mood this week is a little higher than in the weeks before.",
        "down" => "Your mood this week is a little lower than in the weeks before. Be gentle with yourself.",
        "steady" => "Your mood this week is about the same as in the weeks before.",
        _ => "There aren't enough check-ins yet to compare this week with the ones before.",
    };
    let over_time_summary = match (report.mood.average, report.mood.count) {
        (Some(avg), n) => format!(
            "{n} {} on {} {} in the last {days} days; the average was {} out of 5.{}",
            if n == 1 { "check-in" } else { "check-ins" },
            report.daily.len(),
            if report.daily.len() == 1 { "day" } else { "days" },
            one(avg),
            match by {
                Grouping::Day => String::new(),
                _ => format!(" Each point is the average of one {}.", by.as_str()),
            }
        ),
        _ => format!("No check-ins in the last {days} days yet."),
    };
    let bars: Vec<(&str, Option<f64>)> = report.mood.by_weekday.iter().map(|w| (w.weekday, w.average)).collect();
    let best = report
        .mood
        .by_weekday
        .iter()
        .filter(|w| w.count > 0)
        .max_by(|a, b| a.average.unwrap_or(0.0).total_cmp(&b.average.unwrap_or(0.0)));
    let weekday_summary = match best {
        Some(w) => format!(
            "Your highest average is on {}s ({} from {} check-ins). Small differences may be chance.",
            capitalise(w.weekday),
            one(w.average.unwrap_or(0.0)),
            w.count
        ),
        None => "No check-ins yet to compare weekdays.".to_owned(),
    };
    let sleep_bars: Vec<(&str, Option<f64>)> = report
        .mood
        .sleep
        .iter()
        .map(|s| (s.band.trim_end_matches(" hours").trim_end_matches(" hour"), s.average))
        .collect();
    let sleep_known: Vec<_> = report.mood.sleep.iter().filter(|s| s.count > 0).collect();
    let sleep_summary = if sleep_known.is_empty() {
        "Add hours of sleep to a check-in and you'll see here how sleep and mood go together.".to_owned()
    } else {
        let parts: Vec<String> = sleep_known
            .iter()
            .map(|s| {
                format!(
                    "after {} of sleep, {} ({} {})",
                    s.band,
                    one(s.average.unwrap_or(0.0)),
                    s.count,
                    if s.count == 1 { "check-in" } else { "check-ins" }
                )
            })
            .collect();
        format!("Average mood {}. Sleep is one of many things that shape a day.", parts.join("; "))
    };
    let sleep_chart = (!sleep_known.is_empty())
        .then(|| charts::mood_bars("mood-sleep", "Mood by hours of sleep", &sleep_summary, &sleep_bars));
    let activities = report
        .mood
        .by_activity
        .iter()
        .map(|a| ActivityRow {
            activity: a.activity.clone(),
            with: one(a.average_with),
            count_with: a.count_with,
            without: a.average_without.map(one).unwrap_or_else(|| "–".to_owned()),
            count_without: a.count_without,
        })
        .collect();
    render(&InsightsPage {
        shell: Shell::for_user("Insights", &user),
        days,
        count: report.mood.count,
        trend,
        over_time: charts::mood_over_time("mood-time", "Mood over time", &over_time_summary, &points, days as usize),
        over_time_summary,
        weekday_chart: charts::by_weekday("mood-weekday", "Average mood by weekday", &weekday_summary, &bars),
        weekday_summary,
        by: by.as_str(),
        sleep_chart,
        sleep_summary,
        activities,
        current_streak: report.streaks.current,
        longest_streak: report.streaks.longest,
        achievements: report.achievements,
        damaged: report.damaged,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
