//! When a reminder is next due: pure computation from what the person chose (a kind, a local time,
//! weekdays), their time zone and their quiet hours. No I/O; the delivery worker stores the
//! result as a job and calls [`next_due`] again after each delivery.
//!
//! Times are wall-clock times in the person's zone, so a 21:00 reminder stays at 21:00 through
//! daylight-saving changes: on both transition days it fires once, at 21:00 local. A chosen time
//! that does not exist on a day (inside a spring-forward gap) fires once, at the first instant
//! after the gap; one that happens twice (an autumn fold) fires once, at its first occurrence.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use serde::{Deserialize, Serialize};

use crate::time_util::Timestamp;

/// Every message says only this unless the person opts into specific wording: a notification or
/// an email subject is seen by providers and by anyone glancing at a lock screen.
pub const NEUTRAL_LINE: &str = "A moment for you";

/// Monday is bit 0 … Sunday bit 6.
pub const EVERY_DAY: u8 = 0b111_1111;

/// What reminds, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Spec {
    /// A journaling nudge at a local time on the chosen weekdays (daily = every weekday).
    Nudge {
        #[serde(with = "hhmm")]
        time: Time,
        weekdays: u8,
    },
    /// A goal's check-in, at a local time on the chosen weekdays.
    GoalCheckin {
        #[serde(with = "hhmm")]
        time: Time,
        weekdays: u8,
    },
    /// Homework with a due date: the day before and on the day, at a local time.
    HomeworkDue {
        #[serde(with = "ymd")]
        due: Date,
        #[serde(with = "hhmm")]
        time: Time,
    },
    /// The evening before a therapy session.
    SessionEve {
        #[serde(with = "ymd")]
        session: Date,
        #[serde(with = "hhmm")]
        time: Time,
    },
    /// Once, `days` days after the last thing the person wrote, at a local time.
    QuietDays {
        days: u16,
        #[serde(with = "hhmm")]
        time: Time,
        last_activity: Timestamp,
    },
}

impl Spec {
    /// The line a message carries when the person asked for specific wording. Nothing here
    /// names a goal, a questionnaire, a mood or the app: only the kind of moment.
    pub fn specific_line(&self) -> &'static str {
        match self {
            Spec::Nudge { .. } => "A few quiet minutes to write, if you'd like.",
            Spec::GoalCheckin { .. } => "A small step for yourself today.",
            Spec::HomeworkDue { .. } => "Something you planned between sessions is coming up.",
            Spec::SessionEve { .. } => "A few minutes to note what you want to bring.",
            Spec::QuietDays { .. } => "It's been a few days. The page is here whenever you'd like it.",
        }
    }
}

/// What a stored reminder holds: the spec and the person's quiet hours at the time it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub spec: Spec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet: Option<QuietHours>,
}

/// A nightly window without reminders; one due inside it waits until `end`. `start == end` means
/// none. The window may run over midnight (22:00–07:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    #[serde(with = "hhmm")]
    pub start: Time,
    #[serde(with = "hhmm")]
    pub end: Time,
}

/// `HH:MM` in JSON, as people write it.
mod hhmm {
    use jiff::civil::Time;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:02}:{:02}", t.hour(), t.minute()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text).ok_or_else(|| D::Error::custom("a time like 21:00"))
    }
}

/// `YYYY-MM-DD` in JSON.
mod ymd {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|_| D::Error::custom("a date like 2026-03-29"))
    }
}

impl QuietHours {
    fn contains(&self, t: Time) -> bool {
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Less => self.start <= t && t < self.end,
            std::cmp::Ordering::Greater => t >= self.start || t < self.end,
        }
    }
}

/// Parses `HH:MM` (24-hour), as forms and the API send it.
pub fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

pub fn weekday_bit(day: Weekday) -> u8 {
    1 << (day.to_monday_zero_offset() as u8)
}

/// The one instant a local date and time stands for in `tz`: a time in a gap is moved to the end
/// of the gap (the first valid instant), a time in a fold takes its first occurrence.
pub fn resolve(tz: &TimeZone, at: DateTime) -> Option<Timestamp> {
    let ambiguous = tz.to_ambiguous_timestamp(at);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } | AmbiguousOffset::Fold { .. } => {
            ambiguous.earlier().ok().map(|t| t.as_second())
        }
        AmbiguousOffset::Gap { .. } => {
            let inside = ambiguous.later().ok()?;
            let transition = tz.preceding(inside).next()?;
            Some(transition.timestamp().as_second())
        }
    }
}

/// Moves an instant that falls in the quiet hours to their end (that day, or the next).
fn outside_quiet(tz: &TimeZone, quiet: Option<QuietHours>, ts: Timestamp) -> Option<Timestamp> {
    let Some(q) = quiet else { return Some(ts) };
    let local = jiff::Timestamp::from_second(ts).ok()?.to_zoned_datetime(tz.clone()).datetime();
    if !q.contains(local.time()) {
        return Some(ts);
    }
    let day = if local.time() >= q.end { local.date().tomorrow().ok()? } else { local.date() };
    resolve(tz, day.to_datetime(q.end))
}

/// The first due instant strictly after `after`, or `None` when the reminder has nothing left to
/// say (homework and sessions in the past, a quiet-days nudge already given).
pub fn next_due(spec: &Spec, tz: &TimeZone, quiet: Option<QuietHours>, after: Timestamp) -> Option<Timestamp> {
    let today = jiff::Timestamp::from_second(after).ok()?.to_zoned_datetime(tz.clone()).date();
    let candidates: Vec<DateTime> = match spec {
        Spec::Nudge { time, weekdays } | Spec::GoalCheckin { time, weekdays } => {
            if weekdays & EVERY_DAY == 0 {
                return None;
            }
            // Yesterday too: quiet hours may move yesterday's reminder past `after`.
            (-1..=8)
                .filter_map(|n| today.checked_add(jiff::Span::new().days(n)).ok())
                .filter(|d| weekdays & weekday_bit(d.weekday()) != 0)
                .map(|d| d.to_datetime(*time))
                .collect()
        }
        Spec::HomeworkDue { due, time } => {
            [due.yesterday().ok(), Some(*due)].into_iter().flatten().map(|d| d.to_datetime(*time)).collect()
        }
        Spec::SessionEve { session, time } => {
            session.yesterday().ok().map(|d| d.to_datetime(*time)).into_iter().collect()
        }
        Spec::QuietDays { days, time, last_activity } => {
            let since = jiff::Timestamp::from_second(*last_activity).ok()?.to_zoned_datetime(tz.clone()).date();
            since
                .checked_add(jiff::Span::new().days(i64::from(*days)))
                .ok()
                .map(|d| d.to_datetime(*time))
                .into_iter()
                .collect()
        }
    };
    candidates
        .into_iter()
        .filter_map(|at| resolve(tz, at))
        .filter_map(|ts| outside_quiet(tz, quiet, ts))
        .filter(|&ts| ts > after)
        .min()
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    fn at(tz: &TimeZone, d: Date, t: Time) -> Timestamp {
        d.to_datetime(t).to_zoned_datetime(tz.clone()).unwrap().timestamp().as_second()
    }

    fn local(tz: &TimeZone, ts: Timestamp) -> DateTime {
        jiff::Timestamp::from_second(ts).unwrap().to_zoned_datetime(tz.clone()).datetime()
    }

    /// Every due instant from `from` for `days` days.
    fn run(spec: &Spec, tz: &TimeZone, quiet: Option<QuietHours>, from: Timestamp, until: Timestamp) -> Vec<Timestamp> {
        let mut out = Vec::new();
        let mut cursor = from;
        while let Some(next) = next_due(spec, tz, quiet, cursor) {
            if next > until {
                break;
            }
            out.push(next);
            cursor = next;
        }
        out
    }

    #[test]
    fn a_21_00_reminder_fires_once_at_21_00_local_on_both_transition_days() {
        let tz = london();
        let spec = Spec::Nudge { time: time(21, 0, 0, 0), weekdays: EVERY_DAY };
        // 2026: clocks go forward on 29 March and back on 25 October.
        for (day, hours_since_previous) in [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)] {
            let from = at(&tz, day.yesterday().unwrap(), time(12, 0, 0, 0));
            let until = at(&tz, day.tomorrow().unwrap(), time(12, 0, 0, 0));
            let fired = run(&spec, &tz, None, from, until);
            assert_eq!(fired.len(), 2, "the day before and the transition day, once each");
            assert_eq!(local(&tz, fired[1]), day.to_datetime(time(21, 0, 0, 0)));
            assert_eq!(local(&tz, fired[0]).time(), time(21, 0, 0, 0));
            assert_eq!(fired[1] - fired[0], hours_since_previous * 3600, "a 23- or 25-hour day between");
        }
    }

    #[test]
    fn a_time_in_the_spring_gap_fires_once_at_the_end_of_the_gap() {
        let tz = london();
        // 01:30 does not exist on 29 March 2026 in London: 01:00 GMT becomes 02:00 BST.
        let spec = Spec::Nudge { time: time(1, 30, 0, 0), weekdays: EVERY_DAY };
        let from = at(&tz, date(2026, 3, 28), time(12, 0, 0, 0));
        let until = at(&tz, date(2026, 3, 30), time(12, 0, 0, 0));
        let fired = run(&spec, &tz, None, from, until);
        assert_eq!(fired.len(), 2);
        assert_eq!(local(&tz, fired[0]), date(2026, 3, 29).to_datetime(time(2, 0, 0, 0)));
        assert_eq!(local(&tz, fired[1]), date(2026, 3, 30).to_datetime(time(1, 30, 0, 0)));
    }

    #[test]
    fn a_time_in_the_autumn_fold_fires_once_at_its_first_occurrence() {
        let tz = london();
        let spec = Spec::Nudge { time: time(1, 30, 0, 0), weekdays: EVERY_DAY };
        let from = at(&tz, date(2026, 10, 24), time(12, 0, 0, 0));
        let until = at(&tz, date(2026, 10, 25), time(12, 0, 0, 0));
        let fired = run(&spec, &tz, None, from, until);
        assert_eq!(fired.len(), 1, "01:30 happens twice that night; the reminder once");
        let z = jiff::Timestamp::from_second(fired[0]).unwrap().to_zoned_datetime(tz.clone());
        assert_eq!(z.offset(), jiff::tz::offset(1), "the first 01:30, still in summer time");
    }

    #[test]
    fn weekdays_are_respected() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let mon_wed = weekday_bit(Weekday::Monday) | weekday_bit(Weekday::Wednesday);
        let spec = Spec::Nudge { time: time(8, 15, 0, 0), weekdays: mon_wed };
        // Sunday 7 June 2026.
        let from = at(&tz, date(2026, 6, 7), time(9, 0, 0, 0));
        let fired = run(&spec, &tz, None, from, from + 14 * 86_400);
        let days: Vec<Weekday> = fired.iter().map(|&t| local(&tz, t).date().weekday()).collect();
        assert_eq!(days, [Weekday::Monday, Weekday::Wednesday, Weekday::Monday, Weekday::Wednesday]);
        assert!(fired.iter().all(|&t| local(&tz, t).time() == time(8, 15, 0, 0)));
        assert_eq!(next_due(&Spec::Nudge { time: time(8, 0, 0, 0), weekdays: 0 }, &tz, None, from), None);
    }

    #[test]
    fn quiet_hours_hold_a_reminder_until_they_end() {
        let tz = london();
        let quiet = Some(QuietHours { start: time(22, 0, 0, 0), end: time(7, 30, 0, 0) });
        let spec = Spec::Nudge { time: time(23, 0, 0, 0), weekdays: EVERY_DAY };
        let from = at(&tz, date(2026, 5, 4), time(12, 0, 0, 0));
        let fired = run(&spec, &tz, quiet, from, from + 2 * 86_400);
        let shown: Vec<DateTime> = fired.iter().map(|&t| local(&tz, t)).collect();
        assert_eq!(
            shown,
            [date(2026, 5, 5).to_datetime(time(7, 30, 0, 0)), date(2026, 5, 6).to_datetime(time(7, 30, 0, 0))]
        );
        // A daytime window, and one outside it.
        let lunch = Some(QuietHours { start: time(12, 0, 0, 0), end: time(13, 0, 0, 0) });
        let noon = Spec::Nudge { time: time(12, 15, 0, 0), weekdays: EVERY_DAY };
        let first = next_due(&noon, &tz, lunch, from).unwrap();
        assert_eq!(local(&tz, first), date(2026, 5, 4).to_datetime(time(13, 0, 0, 0)));
        let none = Some(QuietHours { start: time(9, 0, 0, 0), end: time(9, 0, 0, 0) });
        assert_eq!(local(&tz, next_due(&noon, &tz, none, from).unwrap()).time(), time(12, 15, 0, 0));
    }

    #[test]
    fn homework_the_day_before_and_on_the_day_then_nothing() {
        let tz = london();
        let spec = Spec::HomeworkDue { due: date(2026, 2, 10), time: time(18, 0, 0, 0) };
        let from = at(&tz, date(2026, 2, 1), time(0, 0, 0, 0));
        let fired = run(&spec, &tz, None, from, from + 30 * 86_400);
        let days: Vec<Date> = fired.iter().map(|&t| local(&tz, t).date()).collect();
        assert_eq!(days, [date(2026, 2, 9), date(2026, 2, 10)]);
    }

    #[test]
    fn the_evening_before_a_session_once() {
        let tz = london();
        let spec = Spec::SessionEve { session: date(2026, 2, 12), time: time(19, 0, 0, 0) };
        let from = at(&tz, date(2026, 2, 1), time(0, 0, 0, 0));
        let fired = run(&spec, &tz, None, from, from + 30 * 86_400);
        assert_eq!(fired.len(), 1);
        assert_eq!(local(&tz, fired[0]), date(2026, 2, 11).to_datetime(time(19, 0, 0, 0)));
        assert_eq!(spec.specific_line(), "A few minutes to note what you want to bring.");
    }

    #[test]
    fn quiet_days_once_after_n_days_without_writing() {
        let tz = london();
        let last = at(&tz, date(2026, 4, 1), time(22, 0, 0, 0));
        let spec = Spec::QuietDays { days: 3, time: time(10, 0, 0, 0), last_activity: last };
        let fired = run(&spec, &tz, None, last, last + 30 * 86_400);
        assert_eq!(fired.len(), 1);
        assert_eq!(local(&tz, fired[0]), date(2026, 4, 4).to_datetime(time(10, 0, 0, 0)));
        assert!(!spec.specific_line().contains("should"), "worded without guilt");
    }

    #[test]
    fn specs_round_trip_as_json_and_times_parse() {
        let spec = Spec::Nudge { time: time(21, 0, 0, 0), weekdays: EVERY_DAY };
        let json = serde_json::to_string(&spec).unwrap();
        assert!(json.contains("\"kind\":\"nudge\""), "{json}");
        assert_eq!(serde_json::from_str::<Spec>(&json).unwrap(), spec);
        assert_eq!(parse_time("07:05"), Some(time(7, 5, 0, 0)));
        for bad in ["7:05", "24:00", "12:60", "", "ab:cd"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
