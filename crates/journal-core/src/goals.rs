//! Self-care goals: categories, cadence, and the arithmetic of progress and streaks. Streaks are
//! counted in the goal's own periods (days for a daily goal, weeks for a weekly one); a period
//! the goal was paused in neither breaks nor extends a streak, and the period in progress never
//! breaks one. All dates are civil dates in the person's time zone, so daylight-saving changes
//! cannot move a check-in to another day.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::validate::ValidationError;

/// The nine self-care categories (their ids are part of the API), with a plain name and starter goals.
pub const CATEGORIES: &[(&str, &str, &[&str])] = &[
    (
        "rest_sleep",
        "Rest and sleep",
        &[
            "Screens off 30 minutes before bed",
            "Lights out by the same time each night",
            "A quiet ten-minute rest in the afternoon",
        ],
    ),
    (
        "mindfulness",
        "Mindfulness and relaxation",
        &["Five slow breaths before lunch", "One round of box breathing", "Notice three things on a short walk"],
    ),
    (
        "physical_activity",
        "Physical activity",
        &["Ten minutes outside", "A short stretch after waking", "Walk part of a journey"],
    ),
    (
        "social_connection",
        "Social connection",
        &["Message one person I care about", "Have a meal with someone", "Call a friend or family member"],
    ),
    (
        "creative",
        "Creative outlets",
        &["Ten minutes of drawing, writing or music", "Cook something new", "Take one photo I like"],
    ),
    (
        "boundaries",
        "Boundaries",
        &[
            "Finish work at a set time",
            "Say no to one thing I don't have room for",
            "An hour without checking messages",
        ],
    ),
    (
        "self_compassion",
        "Self-compassion",
        &["Write one kind sentence to myself", "Rest without earning it first", "Notice one thing I handled well"],
    ),
    ("joy", "Activities that bring joy", &["Listen to a song I love", "Spend time on a hobby", "Plan one small treat"]),
    (
        "support_resources",
        "Other support",
        &["Look over my safety plan", "Write down what to bring to therapy", "Go to a support group or class"],
    ),
];

pub fn category_name(id: &str) -> Option<&'static str> {
    CATEGORIES.iter().find(|(c, _, _)| *c == id).map(|(_, n, _)| *n)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Day,
    Week,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    pub times: u8,
    pub per: Per,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Paused,
    Completed,
    Archived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Completed => "completed",
            Status::Archived => "archived",
        }
    }
}

/// Everything about a goal, encrypted as one blob: the title and why are personal, and so is
/// which kind of self-care someone is working on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalContent {
    pub title: String,
    #[serde(default)]
    pub why: String,
    pub category: String,
    pub cadence: Cadence,
    /// `YYYY-MM-DD`
    pub start_date: String,
    #[serde(default)]
    pub end_date: Option<String>,
    pub status: Status,
    /// Pauses as (first day, last day); an open pause has no last day yet.
    #[serde(default)]
    pub pauses: Vec<(String, Option<String>)>,
    #[serde(default)]
    pub completed_on: Option<String>,
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_WHY_CHARS: usize = 2_000;

impl GoalContent {
    /// Checks a new or edited goal; the message names the field.
    pub fn check(&self) -> Result<(), ValidationError> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(ValidationError::new("title", "Please give your goal a short name."));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(ValidationError::new("title", "Please keep the name under 200 characters."));
        }
        if self.why.chars().count() > MAX_WHY_CHARS {
            return Err(ValidationError::new("why", "Please keep this under 2,000 characters."));
        }
        if category_name(&self.category).is_none() {
            return Err(ValidationError::new("category", "Please choose one of the nine categories."));
        }
        let max = match self.cadence.per {
            Per::Day => 10,
            Per::Week => 21,
        };
        if self.cadence.times == 0 || self.cadence.times > max {
            return Err(ValidationError::new(
                "cadence",
                format!(
                    "Choose between 1 and {max} times a {}.",
                    if self.cadence.per == Per::Day { "day" } else { "week" }
                ),
            ));
        }
        let start: Date =
            self.start_date.parse().map_err(|_| ValidationError::new("start_date", "Use a date like 2026-03-01."))?;
        if let Some(end) = &self.end_date {
            let end: Date = end.parse().map_err(|_| ValidationError::new("end_date", "Use a date like 2026-03-01."))?;
            if end < start {
                return Err(ValidationError::new("end_date", "The end date is before the start date."));
            }
        }
        Ok(())
    }

    fn start(&self) -> Option<Date> {
        self.start_date.parse().ok()
    }

    /// Makes room for a check-in on `day`: a check-in before the start date moves the start back
    /// to it. Someone who sets up "walk every day" tonight and then logs yesterday's walk means
    /// it to count; refusing it, or keeping it where progress and streaks never look, would
    /// both tell them their walk did not happen. Returns whether the start moved.
    pub fn include_day(&mut self, day: Date) -> bool {
        match self.start() {
            Some(start) if day >= start => false,
            _ => {
                self.start_date = day.to_string();
                true
            }
        }
    }

    fn end(&self) -> Option<Date> {
        self.end_date.as_deref().and_then(|d| d.parse().ok())
    }

    /// Was the goal paused on any day of `[from, to]`?
    fn paused_within(&self, from: Date, to: Date, today: Date) -> bool {
        self.pauses.iter().any(|(a, b)| {
            let Ok(a) = a.parse::<Date>() else { return false };
            let b = b.as_deref().and_then(|b| b.parse::<Date>().ok()).unwrap_or(today);
            a <= to && b >= from
        })
    }
}

/// The first day of the period `d` falls in.
pub fn period_start(d: Date, per: Per, week_start: Weekday) -> Date {
    match per {
        Per::Day => d,
        Per::Week => d.checked_sub(i64::from(d.weekday().since(week_start)).days()).unwrap_or(d),
    }
}

fn next_period(d: Date, per: Per) -> Option<Date> {
    d.checked_add(match per {
        Per::Day => 1.days(),
        Per::Week => 7.days(),
    })
    .ok()
}

fn previous_period(d: Date, per: Per) -> Option<Date> {
    d.checked_sub(match per {
        Per::Day => 1.days(),
        Per::Week => 7.days(),
    })
    .ok()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Check-ins in the current day or week.
    pub done: u32,
    pub target: u32,
    /// Periods in a row that met the target (days or weeks, as `unit` says).
    pub current_streak: u32,
    pub longest_streak: u32,
    /// `day` or `week`.
    pub unit: &'static str,
    /// Share of periods that met the target over the last 4 and 12 weeks, 0–100 (none yet: null).
    pub rate_4_weeks: Option<u8>,
    pub rate_12_weeks: Option<u8>,
}

/// Counts check-ins per period of the goal's cadence.
fn per_period(days: &[Date], per: Per, week_start: Weekday) -> BTreeMap<Date, u32> {
    let mut out = BTreeMap::new();
    for d in days {
        *out.entry(period_start(*d, per, week_start)).or_insert(0) += 1;
    }
    out
}

/// Progress of a goal on `today`, from the days of its check-ins (one entry per check-in).
pub fn progress(goal: &GoalContent, checkins: &[Date], today: Date, week_start: Weekday) -> Progress {
    let per = goal.cadence.per;
    let target = u32::from(goal.cadence.times);
    let counts = per_period(checkins, per, week_start);
    let unit = if per == Per::Day { "day" } else { "week" };
    let current = period_start(today, per, week_start);
    let done = counts.get(&current).copied().unwrap_or(0);
    let Some(start) = goal.start().map(|s| period_start(s, per, week_start)) else {
        return Progress {
            done,
            target,
            current_streak: 0,
            longest_streak: 0,
            unit,
            rate_4_weeks: None,
            rate_12_weeks: None,
        };
    };
    let last = goal.end().map(|e| period_start(e, per, week_start)).filter(|e| *e < current).unwrap_or(current);
    let met = |p: &Date| counts.get(p).copied().unwrap_or(0) >= target;
    let paused = |p: Date| {
        let end = next_period(p, per).and_then(|n| n.yesterday().ok()).unwrap_or(p);
        goal.paused_within(p, end, today)
    };

    // Longest: walk forward through every period since the start.
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut p = start;
    while p <= last {
        if met(&p) {
            run += 1;
            longest = longest.max(run);
        } else if !(paused(p) || p == current) {
            run = 0;
        }
        match next_period(p, per) {
            Some(n) => p = n,
            None => break,
        }
    }

    // Current: walk back from now; the period in progress and paused ones are forgiven.
    let mut streak = 0u32;
    let mut p = last;
    while p >= start {
        if met(&p) {
            streak += 1;
        } else if !(paused(p) || p == current) {
            break;
        }
        match previous_period(p, per) {
            Some(prev) => p = prev,
            None => break,
        }
    }

    let rate = |weeks: i64| -> Option<u8> {
        let from = today.checked_sub((weeks * 7 - 1).days()).unwrap_or(today);
        let mut p = period_start(from, per, week_start).max(start);
        let (mut total, mut hit) = (0u32, 0u32);
        while p <= last {
            let is_current = p == current;
            if met(&p) {
                total += 1;
                hit += 1;
            } else if !(paused(p) || is_current) {
                total += 1;
            }
            match next_period(p, per) {
                Some(n) => p = n,
                None => break,
            }
        }
        (total > 0).then(|| (f64::from(hit) / f64::from(total) * 100.0).round() as u8)
    };
    Progress {
        done,
        target,
        current_streak: streak,
        longest_streak: longest,
        unit,
        rate_4_weeks: rate(4),
        rate_12_weeks: rate(12),
    }
}

/// Milestones of one goal: (id suffix, title, day earned).
pub fn milestones(goal: &GoalContent, checkins: &[Date], week_start: Weekday) -> Vec<(String, String, Date)> {
    let mut out = Vec::new();
    let mut days: Vec<Date> = checkins.to_vec();
    days.sort_unstable();
    if let Some(first) = days.first() {
        out.push(("first".to_owned(), "First check-in".to_owned(), *first));
    }
    let per = goal.cadence.per;
    let target = u32::from(goal.cadence.times);
    let counts = per_period(&days, per, week_start);
    let steps: &[u32] = if per == Per::Day { &[7, 30, 100] } else { &[4, 12, 52] };
    let unit = if per == Per::Day { "days" } else { "weeks" };
    // Runs of met periods, paused periods bridging them; the day a run reaches each step.
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return out };
    let mut run = 0u32;
    let mut p = period_start(*first, per, week_start);
    let last_p = period_start(*last, per, week_start);
    let far_future = last.checked_add(1.days()).unwrap_or(*last);
    let mut reached: Vec<u32> = Vec::new();
    while p <= last_p {
        let n = counts.get(&p).copied().unwrap_or(0);
        let end = next_period(p, per).and_then(|x| x.yesterday().ok()).unwrap_or(p);
        if n >= target {
            run += 1;
            for s in steps {
                if run == *s && !reached.contains(s) {
                    reached.push(*s);
                    // Earned on the check-in that completed the period.
                    let day =
                        days.iter().filter(|d| **d >= p && **d <= end).nth((target - 1) as usize).copied().unwrap_or(p);
                    out.push((format!("streak-{s}"), format!("{s} {unit} in a row"), day));
                }
            }
        } else if !goal.paused_within(p, end, far_future) {
            run = 0;
        }
        match next_period(p, per) {
            Some(x) => p = x,
            None => break,
        }
    }
    if let (Status::Completed, Some(day)) = (goal.status, goal.completed_on.as_deref().and_then(|d| d.parse().ok())) {
        out.push(("completed".to_owned(), "Goal completed".to_owned(), day));
    }
    out
}

/// A stored goal: everything but its id, owner and times is in the encrypted `content`.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalRecord {
    pub id: String,
    pub user_id: String,
    pub created_at: crate::time_util::Timestamp,
    pub updated_at: crate::time_util::Timestamp,
    pub content: Vec<u8>,
}

/// A stored check-in: the day is in clear (like any timestamp), the note encrypted (empty when
/// there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckinRecord {
    pub id: String,
    pub goal_id: String,
    pub user_id: String,
    /// `YYYY-MM-DD`
    pub day: String,
    pub created_at: crate::time_util::Timestamp,
    pub note: Vec<u8>,
}

/// Reminder times and the private calendar feed. The feed is found by the SHA-256 of its secret
/// token; the token itself is kept sealed under the owner's records key so it can be shown again.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderRecord {
    pub user_id: String,
    pub feed_token_hash: Vec<u8>,
    pub feed_token_sealed: Vec<u8>,
    /// `HH:MM`, local time.
    pub journal_time: Option<String>,
    pub checkin_time: Option<String>,
    pub goal_time: Option<String>,
    pub goal_reminders: bool,
    pub updated_at: crate::time_util::Timestamp,
}

/// Check-ins may be backdated up to a week, never into the future.
pub fn check_in_date_allowed(date: Date, today: Date) -> Result<(), ValidationError> {
    if date > today {
        return Err(ValidationError::new("date", "A check-in can't be in the future."));
    }
    if date < today.checked_sub(7.days()).unwrap_or(today) {
        return Err(ValidationError::new("date", "You can add check-ins for the last seven days."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn goal(times: u8, per: Per, start: &str) -> GoalContent {
        GoalContent {
            title: "Ten minutes outside".into(),
            why: String::new(),
            category: "physical_activity".into(),
            cadence: Cadence { times, per },
            start_date: start.into(),
            end_date: None,
            status: Status::Active,
            pauses: vec![],
            completed_on: None,
        }
    }

    fn days(list: &[&str]) -> Vec<Date> {
        list.iter().map(|s| d(s)).collect()
    }

    #[test]
    fn a_daily_streak_crosses_a_year_end_and_forgives_today() {
        let g = goal(1, Per::Day, "2025-12-01");
        let c = days(&["2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"]);
        let p = progress(&g, &c, d("2026-01-03"), Weekday::Monday);
        assert_eq!((p.done, p.current_streak, p.longest_streak, p.unit), (0, 4, 4, "day"), "today isn't over yet");
        let p = progress(&g, &c, d("2026-01-04"), Weekday::Monday);
        assert_eq!(p.current_streak, 0, "a whole missed day ends the run");
        assert_eq!(p.longest_streak, 4);
    }

    #[test]
    fn weekly_goals_count_in_weeks_from_the_chosen_first_day() {
        let g = goal(3, Per::Week, "2026-02-01");
        // Mon 2026-02-02 week: three check-ins; next week: three; this week: one so far.
        let c =
            days(&["2026-02-02", "2026-02-04", "2026-02-06", "2026-02-09", "2026-02-10", "2026-02-15", "2026-02-17"]);
        let p = progress(&g, &c, d("2026-02-18"), Weekday::Monday);
        assert_eq!((p.done, p.target, p.unit), (1, 3, "week"));
        assert_eq!(p.current_streak, 2, "two full weeks; this one is still going");
        // With weeks starting on Sunday, 2026-02-15 (a Sunday) belongs to the next week.
        let p = progress(&g, &c, d("2026-02-18"), Weekday::Sunday);
        assert_eq!(p.done, 2);
    }

    #[test]
    fn a_paused_goal_keeps_its_streak() {
        let mut g = goal(1, Per::Day, "2026-03-01");
        g.pauses = vec![("2026-03-03".into(), Some("2026-03-05".into()))];
        let c = days(&["2026-03-01", "2026-03-02", "2026-03-06", "2026-03-07"]);
        let p = progress(&g, &c, d("2026-03-07"), Weekday::Monday);
        assert_eq!(p.current_streak, 4, "the paused days neither break nor count");
        assert_eq!(p.rate_4_weeks, Some(100), "paused days are left out of the rate");
        g.pauses.clear();
        assert_eq!(progress(&g, &c, d("2026-03-07"), Weekday::Monday).current_streak, 2);
    }

    #[test]
    fn rates_cover_four_and_twelve_weeks() {
        let g = goal(1, Per::Week, "2025-01-01");
        // Met in 3 of the last 4 finished weeks (Mondays), this week not yet.
        let c = days(&["2026-03-02", "2026-03-09", "2026-03-23"]);
        let p = progress(&g, &c, d("2026-03-31"), Weekday::Monday);
        assert_eq!(p.rate_4_weeks, Some(75), "3 of 4 weeks (the week in progress isn't counted)");
        assert_eq!(p.rate_12_weeks, Some(25), "3 of 12");
    }

    #[test]
    fn milestones_are_reached_once_with_their_day() {
        let g = goal(1, Per::Day, "2026-01-01");
        let c: Vec<Date> = (0..8).map(|i| d("2026-01-28").checked_add(i.days()).unwrap()).collect();
        let m = milestones(&g, &c, Weekday::Monday);
        assert_eq!(m[0], ("first".into(), "First check-in".into(), d("2026-01-28")));
        assert_eq!(m[1], ("streak-7".into(), "7 days in a row".into(), d("2026-02-03")));
        assert_eq!(m.len(), 2);
        let mut done = goal(2, Per::Week, "2026-01-01");
        done.status = Status::Completed;
        done.completed_on = Some("2026-02-01".into());
        let weekly: Vec<Date> =
            (0..8).map(|w| d("2026-01-05").checked_add((w * 7).days()).unwrap()).flat_map(|x| [x, x]).collect();
        let m = milestones(&done, &weekly, Weekday::Monday);
        assert!(m.iter().any(|(id, t, _)| id == "streak-4" && t == "4 weeks in a row"));
        assert!(m.iter().any(|(id, _, _)| id == "completed"));
    }

    #[test]
    fn a_check_in_before_the_start_moves_the_start_back_and_counts() {
        let mut g = goal(1, Per::Day, "2026-03-10");
        assert!(!g.include_day(d("2026-03-10")), "on the start day nothing moves");
        assert!(!g.include_day(d("2026-03-12")));
        assert_eq!(g.start_date, "2026-03-10");
        let days = [d("2026-03-08"), d("2026-03-09"), d("2026-03-10")];
        assert_eq!(progress(&g, &days, d("2026-03-10"), Weekday::Monday).current_streak, 1, "before: ignored");
        assert!(g.include_day(d("2026-03-08")));
        assert_eq!(g.start_date, "2026-03-08");
        assert!(g.check().is_ok());
        assert_eq!(progress(&g, &days, d("2026-03-10"), Weekday::Monday).current_streak, 3);
    }

    #[test]
    fn check_ins_go_back_a_week_at_most() {
        let today = d("2026-03-01");
        assert!(check_in_date_allowed(d("2026-02-22"), today).is_ok());
        assert_eq!(check_in_date_allowed(d("2026-02-21"), today).unwrap_err().field, "date");
        assert!(check_in_date_allowed(d("2026-03-02"), today).is_err());
    }

    #[test]
    fn goals_are_checked() {
        let mut g = goal(1, Per::Day, "2026-01-01");
        assert!(g.check().is_ok());
        g.cadence.times = 0;
        assert_eq!(g.check().unwrap_err().field, "cadence");
        g.cadence.times = 1;
        g.category = "chores".into();
        assert_eq!(g.check().unwrap_err().field, "category");
        g.category = "joy".into();
        g.end_date = Some("2025-12-31".into());
        assert_eq!(g.check().unwrap_err().field, "end_date");
    }

    /// The straightforward definition: consecutive met days ending today or yesterday.
    fn brute_daily_streak(set: &std::collections::BTreeSet<Date>, today: Date) -> u32 {
        let mut day = if set.contains(&today) { today } else { today.yesterday().unwrap() };
        let mut n = 0;
        while set.contains(&day) {
            n += 1;
            day = day.yesterday().unwrap();
        }
        n
    }

    fn brute_weekly(set: &[Date], times: u32, today: Date, ws: Weekday, start: Date) -> u32 {
        let week_of = |x: Date| x.checked_sub(i64::from(x.weekday().since(ws)).days()).unwrap();
        let mut w = week_of(today);
        let count = |w: Date| set.iter().filter(|x| week_of(**x) == w).count() as u32;
        let mut n = 0;
        if count(w) >= times {
            n += 1;
        }
        w = w.checked_sub(7.days()).unwrap();
        while w >= week_of(start) && count(w) >= times {
            n += 1;
            w = w.checked_sub(7.days()).unwrap();
        }
        n
    }

    proptest! {
        #[test]
        fn daily_streaks_match_the_plain_definition(offsets in proptest::collection::btree_set(0i64..120, 0..90), back in 0i64..5) {
            // Days around a year end and a leap day: 2023-11-15 … 2024-03-13.
            let base = d("2023-11-15");
            let set: std::collections::BTreeSet<Date> = offsets.iter().map(|o| base.checked_add(o.days()).unwrap()).collect();
            let today = d("2024-03-13").checked_sub(back.days()).unwrap();
            let c: Vec<Date> = set.iter().copied().filter(|x| *x <= today).collect();
            let set: std::collections::BTreeSet<Date> = c.iter().copied().collect();
            let p = progress(&goal(1, Per::Day, "2023-11-15"), &c, today, Weekday::Monday);
            prop_assert_eq!(p.current_streak, brute_daily_streak(&set, today));
            prop_assert!(p.longest_streak >= p.current_streak);
            prop_assert!(p.rate_4_weeks.unwrap_or(0) <= 100);
        }

        #[test]
        fn weekly_streaks_match_the_plain_definition(
            offsets in proptest::collection::vec(0i64..100, 0..80),
            times in 1u8..4,
            ws in 0u8..7,
        ) {
            let ws = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday][ws as usize];
            let base = d("2024-12-01");
            let today = d("2025-03-10");
            let c: Vec<Date> = offsets.iter().map(|o| base.checked_add(o.days()).unwrap()).collect();
            let p = progress(&goal(times, Per::Week, "2024-12-01"), &c, today, ws);
            prop_assert_eq!(p.current_streak, brute_weekly(&c, u32::from(times), today, ws, base));
        }

        #[test]
        fn adding_a_check_in_never_shortens_a_streak(offsets in proptest::collection::vec(0i64..60, 0..40), extra in 0i64..60) {
            let base = d("2024-01-15");
            let today = d("2024-03-14");
            let mut c: Vec<Date> = offsets.iter().map(|o| base.checked_add(o.days()).unwrap()).collect();
            let g = goal(1, Per::Day, "2024-01-15");
            let before = progress(&g, &c, today, Weekday::Monday);
            c.push(base.checked_add(extra.days()).unwrap());
            let after = progress(&g, &c, today, Weekday::Monday);
            prop_assert!(after.current_streak >= before.current_streak);
            prop_assert!(after.longest_streak >= before.longest_streak);
        }
    }

    #[test]
    fn check_ins_near_a_clock_change_keep_their_local_day() {
        use jiff::tz::TimeZone;
        let london = TimeZone::get("Europe/London").unwrap();
        // 00:30 local on the night the clocks go forward (2026-03-29) and back (2026-10-25).
        for (instant, day) in [
            ("2026-03-29T00:30:00Z", "2026-03-29"),
            ("2026-03-28T23:30:00Z", "2026-03-28"),
            ("2026-10-24T23:30:00Z", "2026-10-25"),
        ] {
            let t: jiff::Timestamp = instant.parse().unwrap();
            assert_eq!(t.to_zoned_datetime(london.clone()).date(), d(day), "{instant}");
        }
        let g = goal(1, Per::Day, "2026-03-27");
        let c = days(&["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30"]);
        assert_eq!(
            progress(&g, &c, d("2026-03-30"), Weekday::Monday).current_streak,
            4,
            "a 23-hour day is still a day"
        );
    }
}
