//! What a person can learn from their own check-ins: averages, the recent trend, mood by weekday,
//! by activity (with and without, with counts so a reader can judge), sleep against mood, and
//! streaks of days with a check-in or an entry. Pure computation on decrypted data.

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::metrics::MoodContent;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Average of the last 7 days.
    pub recent_average: Option<f64>,
    /// Average of the 30 days before those.
    pub earlier_average: Option<f64>,
    /// `up`, `down`, `steady`, or `not_enough_data`.
    pub direction: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekdayStat {
    pub weekday: &'static str,
    pub average: Option<f64>,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityStat {
    pub activity: String,
    pub average_with: f64,
    pub count_with: usize,
    pub average_without: Option<f64>,
    pub count_without: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SleepStat {
    pub band: &'static str,
    pub average: Option<f64>,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Streaks {
    /// Days in a row, up to today, with a check-in or an entry (today not over yet: a run
    /// ending yesterday still counts).
    pub current: u32,
    pub longest: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoodInsights {
    pub average: Option<f64>,
    pub count: usize,
    pub trend: Trend,
    pub by_weekday: Vec<WeekdayStat>,
    pub by_activity: Vec<ActivityStat>,
    pub sleep: Vec<SleepStat>,
}

fn mean(values: impl Iterator<Item = u8>) -> (Option<f64>, usize) {
    let (sum, n) = values.fold((0u32, 0usize), |(s, n), v| (s + u32::from(v), n + 1));
    ((n > 0).then(|| (f64::from(sum) / n as f64 * 100.0).round() / 100.0), n)
}

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Monday, "monday"),
    (Weekday::Tuesday, "tuesday"),
    (Weekday::Wednesday, "wednesday"),
    (Weekday::Thursday, "thursday"),
    (Weekday::Friday, "friday"),
    (Weekday::Saturday, "saturday"),
    (Weekday::Sunday, "sunday"),
];

/// A named range of sleep hours and the test for it.
type SleepBand = (&'static str, fn(f32) -> bool);

/// Insights over the check-ins in `moods` (local date, content), all within the chosen period.
pub fn mood_insights(moods: &[(Date, &MoodContent)], today: Date) -> MoodInsights {
    let (average, count) = mean(moods.iter().map(|(_, m)| m.score));
    let week_start = today.checked_sub(6.days()).unwrap_or(today);
    let earlier_start = week_start.checked_sub(30.days()).unwrap_or(week_start);
    let (recent, _) = mean(moods.iter().filter(|(d, _)| *d >= week_start && *d <= today).map(|(_, m)| m.score));
    let (earlier, _) = mean(moods.iter().filter(|(d, _)| *d >= earlier_start && *d < week_start).map(|(_, m)| m.score));
    let direction = match (recent, earlier) {
        (Some(r), Some(e)) if r - e >= 0.3 => "up",
        (Some(r), Some(e)) if e - r >= 0.3 => "down",
        (Some(_), Some(_)) => "steady",
        _ => "not_enough_data",
    };
    let by_weekday = WEEKDAYS
        .iter()
        .map(|(w, name)| {
            let (average, count) = mean(moods.iter().filter(|(d, _)| d.weekday() == *w).map(|(_, m)| m.score));
            WeekdayStat { weekday: name, average, count }
        })
        .collect();
    let activities: BTreeSet<&str> = moods.iter().flat_map(|(_, m)| m.activities.iter().map(String::as_str)).collect();
    let mut by_activity: Vec<ActivityStat> = activities
        .into_iter()
        .filter_map(|a| {
            let has = |m: &MoodContent| m.activities.iter().any(|x| x == a);
            let (with, count_with) = mean(moods.iter().filter(|(_, m)| has(m)).map(|(_, m)| m.score));
            let (without, count_without) = mean(moods.iter().filter(|(_, m)| !has(m)).map(|(_, m)| m.score));
            Some(ActivityStat {
                activity: a.to_owned(),
                average_with: with?,
                count_with,
                average_without: without,
                count_without,
            })
        })
        .collect();
    by_activity.sort_by(|a, b| b.count_with.cmp(&a.count_with).then_with(|| a.activity.cmp(&b.activity)));
    let bands: [SleepBand; 3] =
        [("under 6 hours", |h| h < 6.0), ("6 to 8 hours", |h| (6.0..=8.0).contains(&h)), ("over 8 hours", |h| h > 8.0)];
    let sleep = bands
        .iter()
        .map(|(band, test)| {
            let (average, count) =
                mean(moods.iter().filter(|(_, m)| m.sleep_hours.is_some_and(test)).map(|(_, m)| m.score));
            SleepStat { band, average, count }
        })
        .collect();
    MoodInsights {
        average,
        count,
        trend: Trend { recent_average: recent, earlier_average: earlier, direction },
        by_weekday,
        by_activity,
        sleep,
    }
}

/// Streaks over the set of days with a check-in or an entry.
pub fn streaks(days: &BTreeSet<Date>, today: Date) -> Streaks {
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut previous: Option<Date> = None;
    for &d in days.iter().filter(|d| **d <= today) {
        run = match previous {
            Some(p) if p.tomorrow().ok() == Some(d) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(d);
    }
    let yesterday = today.yesterday().unwrap_or(today);
    let mut current = 0u32;
    let mut day = if days.contains(&today) {
        Some(today)
    } else if days.contains(&yesterday) {
        Some(yesterday)
    } else {
        None
    };
    while let Some(d) = day.filter(|d| days.contains(d)) {
        current += 1;
        day = d.yesterday().ok();
    }
    Streaks { current, longest }
}

/// The day on which a run of `length` days in a row was first completed.
pub fn first_run_of(days: &BTreeSet<Date>, length: u32) -> Option<Date> {
    let mut run = 0u32;
    let mut previous: Option<Date> = None;
    for &d in days {
        run = match previous {
            Some(p) if p.tomorrow().ok() == Some(d) => run + 1,
            _ => 1,
        };
        if run >= length {
            return Some(d);
        }
        previous = Some(d);
    }
    None
}

/// How many check-ins fell on each day (for charts).
pub fn per_day(moods: &[(Date, &MoodContent)]) -> BTreeMap<Date, (f64, usize)> {
    let mut out: BTreeMap<Date, (u32, usize)> = BTreeMap::new();
    for (d, m) in moods {
        let e = out.entry(*d).or_insert((0, 0));
        e.0 += u32::from(m.score);
        e.1 += 1;
    }
    out.into_iter().map(|(d, (s, n))| (d, (f64::from(s) / n as f64, n))).collect()
}

/// How mood over time is grouped for a chart or a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    Day,
    Week,
    Month,
}

impl Grouping {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day" => Some(Self::Day),
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    /// The first day of the group `d` falls in; weeks begin on `week_start`.
    pub fn start_of(self, d: Date, week_start: Weekday) -> Date {
        match self {
            Self::Day => d,
            Self::Week => {
                let back = i64::from(d.weekday().since(week_start));
                d.checked_sub(back.days()).unwrap_or(d)
            }
            Self::Month => d.first_of_month(),
        }
    }
}

/// Average mood of one day, week or month, weighted by check-in (not by day).
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub start: Date,
    pub average: f64,
    pub count: usize,
}

/// The per-day figures of [`per_day`] grouped by day, week or month, oldest first.
pub fn group(daily: &BTreeMap<Date, (f64, usize)>, by: Grouping, week_start: Weekday) -> Vec<Bucket> {
    let mut sums: BTreeMap<Date, (f64, usize)> = BTreeMap::new();
    for (d, (avg, n)) in daily {
        let e = sums.entry(by.start_of(*d, week_start)).or_insert((0.0, 0));
        e.0 += avg * *n as f64;
        e.1 += n;
    }
    sums.into_iter()
        .map(|(start, (sum, count))| Bucket { start, average: (sum / count as f64 * 100.0).round() / 100.0, count })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn mood(score: u8, activities: &[&str], sleep: Option<f32>) -> MoodContent {
        MoodContent {
            score,
            emotions: vec![],
            sleep_hours: sleep,
            activities: activities.iter().map(|a| (*a).to_owned()).collect(),
            note: String::new(),
        }
    }

    #[test]
    fn hand_checked_insights() {
        let today = d("2024-06-30"); // a Sunday
        let walk_good = mood(5, &["walk"], Some(8.0));
        let walk_ok = mood(3, &["walk", "work"], Some(7.0));
        let low = mood(1, &["work"], Some(4.5));
        let old = mood(2, &[], None);
        let data = [
            (d("2024-06-30"), &walk_good), // Sunday
            (d("2024-06-29"), &walk_ok),   // Saturday
            (d("2024-06-24"), &low),       // Monday
            (d("2024-06-10"), &old),       // Monday, in the earlier 30 days
        ];
        let i = mood_insights(&data, today);
        assert_eq!((i.average, i.count), (Some(2.75), 4));
        assert_eq!(i.trend.recent_average, Some(3.0), "(5 + 3 + 1) / 3");
        assert_eq!((i.trend.earlier_average, i.trend.direction), (Some(2.0), "up"));
        assert_eq!(i.by_weekday[0], WeekdayStat { weekday: "monday", average: Some(1.5), count: 2 });
        assert_eq!(i.by_weekday[1].count, 0);
        let walk = i.by_activity.iter().find(|a| a.activity == "walk").unwrap();
        assert_eq!(
            (walk.average_with, walk.count_with, walk.average_without, walk.count_without),
            (4.0, 2, Some(1.5), 2)
        );
        let work = i.by_activity.iter().find(|a| a.activity == "work").unwrap();
        assert_eq!((work.average_with, work.average_without), (2.0, Some(3.5)));
        assert_eq!(i.sleep[0], SleepStat { band: "under 6 hours", average: Some(1.0), count: 1 });
        assert_eq!(i.sleep[1], SleepStat { band: "6 to 8 hours", average: Some(4.0), count: 2 });
        assert_eq!(i.sleep[2].count, 0);
    }

    #[test]
    fn grouping_by_week_and_month_weights_each_check_in() {
        let (a, b, c) = (mood(5, &[], None), mood(2, &[], None), mood(3, &[], None));
        // 2024-12-30 is a Monday in the same week as 2025-01-01, but in another month.
        let data = [(d("2024-12-30"), &a), (d("2024-12-30"), &b), (d("2025-01-01"), &c), (d("2025-01-06"), &c)];
        let daily = per_day(&data);
        let weeks = group(&daily, Grouping::Week, Weekday::Monday);
        assert_eq!(weeks.len(), 2);
        assert_eq!((weeks[0].start, weeks[0].average, weeks[0].count), (d("2024-12-30"), 3.33, 3));
        let sunday_weeks = group(&daily, Grouping::Week, Weekday::Sunday);
        assert_eq!(sunday_weeks[0].start, d("2024-12-29"));
        assert_eq!(sunday_weeks[1].start, d("2025-01-05"));
        let months = group(&daily, Grouping::Month, Weekday::Monday);
        assert_eq!(
            months.iter().map(|m| (m.start, m.count)).collect::<Vec<_>>(),
            [(d("2024-12-01"), 2), (d("2025-01-01"), 2)]
        );
        assert_eq!(months[0].average, 3.5);
        assert_eq!(group(&daily, Grouping::Day, Weekday::Monday).len(), 3);
    }

    #[test]
    fn no_data_means_no_claims() {
        let i = mood_insights(&[], d("2024-06-30"));
        assert_eq!((i.average, i.count, i.trend.direction), (None, 0, "not_enough_data"));
        assert!(i.by_activity.is_empty());
    }

    #[test]
    fn streaks_count_runs_and_forgive_an_unfinished_today() {
        let days: BTreeSet<Date> = ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-05", "2024-03-06"]
            .iter()
            .map(|s| d(s))
            .collect();
        assert_eq!(streaks(&days, d("2024-03-06")), Streaks { current: 2, longest: 4 }, "across a leap day");
        assert_eq!(streaks(&days, d("2024-03-07")).current, 2, "today is not over yet");
        assert_eq!(streaks(&days, d("2024-03-08")).current, 0);
        assert_eq!(first_run_of(&days, 4), Some(d("2024-03-01")));
        assert_eq!(first_run_of(&days, 5), None);
        let year: BTreeSet<Date> = ["2023-12-31", "2024-01-01"].iter().map(|s| d(s)).collect();
        assert_eq!(streaks(&year, d("2024-01-01")).longest, 2, "across a year");
    }
}
