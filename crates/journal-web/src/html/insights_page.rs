//! The insights page: what a person's own check-ins show, in charts and in words.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use journal_core::insights::{Grouping, group};

use super::charts;
use super::page::{OrPage, PageError, render};
use super::shell::{PageUser, Shell};
use crate::state::AppState;
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
    year: Vec<PixelMonth>,
}

/// One row of the year in pixels: a month, and a cell for each of its days (31, padded).
pub struct PixelMonth {
    pub name: String,
    pub cells: Vec<Pixel>,
}

pub struct Pixel {
    /// `m1`…`m5` for the day's average mood, `none` without a check-in, `na` past the month's
    /// end, `future` after today.
    pub class: &'static str,
    /// "Okay (3.2)" for a day with check-ins.
    pub mood: Option<String>,
    /// "3 Mar 2026", for the tooltip.
    pub date: String,
}

/// Check-ins needed on each weekday compared, and in all, before the page names a best day.
const WEEKDAY_MIN_EACH: usize = 3;
const WEEKDAY_MIN_TOTAL: usize = 14;

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn short_date(d: jiff::civil::Date) -> String {
    format!("{} {}", d.day(), MONTHS[usize::from(d.month().unsigned_abs()).clamp(1, 12) - 1])
}

/// The last twelve months, this one included, each day coloured by its average mood.
fn year_in_pixels(
    per_day: &std::collections::BTreeMap<jiff::civil::Date, (f64, usize)>,
    today: jiff::civil::Date,
) -> Vec<PixelMonth> {
    let first = today.first_of_month();
    (0..12i64)
        .rev()
        .filter_map(|back| first.checked_sub(jiff::Span::new().months(back)).ok())
        .map(|month| {
            let cells = (1..=31i8)
                .map(|day| {
                    let Some(d) = (day <= month.days_in_month()).then(|| month.with().day(day).build().ok()).flatten()
                    else {
                        return Pixel { class: "na", mood: None, date: String::new() };
                    };
                    let date = format!("{} {}", short_date(d), d.year());
                    if d > today {
                        return Pixel { class: "future", mood: None, date };
                    }
                    match per_day.get(&d) {
                        Some((avg, _)) => {
                            let n = avg.round().clamp(1.0, 5.0) as u8;
                            let class = ["m1", "m2", "m3", "m4", "m5"][usize::from(n - 1)];
                            let label = journal_core::emotions::mood_label(n);
                            Pixel { class, mood: Some(format!("{label} ({avg:.1})")), date }
                        }
                        None => Pixel { class: "none", mood: None, date },
                    }
                })
                .collect();
            let m = usize::from(month.month().unsigned_abs()).clamp(1, 12) - 1;
            PixelMonth { name: format!("{} {}", MONTHS[m], month.year()), cells }
        })
        .collect()
}

#[derive(Deserialize)]
pub struct DaysParam {
    days: Option<u32>,
    by: Option<String>,
}

fn one(v: f64) -> String {
    format!("{v:.1}")
}

pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(p): PageQuery<DaysParam>,
) -> Result<Response, PageError> {
    let days = p.days.filter(|d| [7, 30, 90, 365].contains(d)).unwrap_or(30);
    let report = moods::insights(&state, &user.current, days).await.or_page(user.theme)?;
    let by = p.by.as_deref().and_then(Grouping::parse).unwrap_or(match days {
        365 => Grouping::Month,
        90 => Grouping::Week,
        _ => Grouping::Day,
    });
    // Offsets in days from the start of the period place each day, week or month on the chart;
    // a week or month that began before the period is drawn at its start.
    let points: Vec<charts::Point> = group(&report.per_day, by, jiff::civil::Weekday::Monday)
        .iter()
        .filter_map(|b| {
            let offset = report.from.until(b.start).ok()?.get_days().max(0);
            let label = match by {
                Grouping::Day => short_date(b.start),
                Grouping::Week => format!("week of {}", short_date(b.start)),
                Grouping::Month => {
                    format!(
                        "{} {}",
                        MONTHS[usize::from(b.start.month().unsigned_abs()).clamp(1, 12) - 1],
                        b.start.year()
                    )
                }
            };
            Some(charts::Point { offset: usize::try_from(offset).ok()?, value: b.average, label })
        })
        .collect();
    let today = journal_core::dates::today_in(&user.current.unlocked.user().time_zone);
    let span = usize::try_from(report.from.until(today).map(|s| s.get_days()).unwrap_or(0)).unwrap_or(0) + 1;
    let mid = report.from.checked_add(jiff::Span::new().days(i64::try_from(span / 2).unwrap_or(0))).unwrap_or(today);
    let ticks = [(0, short_date(report.from)), (span / 2, short_date(mid)), (span - 1, short_date(today))];
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
    // A best day is named only when there is enough to compare: a day of one or two check-ins
    // says more about that day than about the weekday.
    let comparable: Vec<_> = report.mood.by_weekday.iter().filter(|w| w.count >= WEEKDAY_MIN_EACH).collect();
    let best = comparable.iter().max_by(|a, b| a.average.unwrap_or(0.0).total_cmp(&b.average.unwrap_or(0.0)));
    let weekday_summary = match best {
        Some(w) if comparable.len() >= 2 && report.mood.count >= WEEKDAY_MIN_TOTAL => format!(
            "Of the days with at least {WEEKDAY_MIN_EACH} check-ins, your highest average is on {}s ({} from {} check-ins). Small differences may be chance.",
            capitalise(w.weekday),
            one(w.average.unwrap_or(0.0)),
            w.count
        ),
        _ if report.mood.count == 0 => "No check-ins yet to compare weekdays.".to_owned(),
        _ => format!(
            "Not enough check-ins yet to compare days. That takes at least {WEEKDAY_MIN_TOTAL} in this period, with {WEEKDAY_MIN_EACH} or more on each day compared."
        ),
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
    let all = moods::list(
        &state,
        &user.current,
        Some(&today.first_of_month().saturating_sub(jiff::Span::new().months(11)).to_string()),
        Some(&today.to_string()),
    )
    .await
    .or_page(user.theme)?;
    let zone = jiff::tz::TimeZone::get(&user.current.unlocked.user().time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let dated: Vec<_> =
        all.iter().filter_map(|m| Some((journal_core::dates::local_date(m.at, &zone)?, &m.content))).collect();
    let year = year_in_pixels(&journal_core::insights::per_day(&dated), today);
    Ok(render(&InsightsPage {
        shell: Shell::for_user("Insights", &user),
        days,
        count: report.mood.count,
        trend,
        over_time: charts::line_chart("mood-time", "Mood over time", &over_time_summary, &points, span, &ticks),
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
        year,
    }))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use jiff::civil::date;

    #[test]
    fn the_year_has_twelve_months_of_31_cells_coloured_by_the_days_average() {
        let mut per_day = BTreeMap::new();
        per_day.insert(date(2026, 3, 3), (3.4, 2));
        per_day.insert(date(2026, 12, 1), (1.0, 1));
        let year = super::year_in_pixels(&per_day, date(2026, 12, 6));
        assert_eq!(year.len(), 12);
        assert_eq!(year[0].name, "Jan 2026");
        assert_eq!(year[11].name, "Dec 2026");
        assert!(year.iter().all(|m| m.cells.len() == 31));
        let march = &year[2];
        assert_eq!(march.cells[2].class, "m3");
        assert_eq!(march.cells[2].mood.as_deref(), Some("Okay (3.4)"));
        assert_eq!(march.cells[2].date, "3 Mar 2026");
        assert_eq!(year[1].cells[28].class, "na", "no 29 February in 2026");
        assert_eq!(year[11].cells[0].class, "m1");
        assert_eq!(year[11].cells[1].class, "none");
        assert_eq!(year[11].cells[6].class, "future");
    }
}
