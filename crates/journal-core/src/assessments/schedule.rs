//! Questionnaire schedules and what is due: before each session (in the days before the session
//! date the person set), weekly, or every N weeks. Only the current window counts: a missed one
//! quietly expires and is never shown as failed. Pure; the caller supplies today, the session
//! date and when each questionnaire was last taken.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use super::InstrumentId;
use crate::validate::ValidationError;

/// How often a questionnaire comes round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "every")]
pub enum Cadence {
    /// In the days before each session date.
    Session,
    /// Once in every run of 7 × `weeks` days (1 = weekly).
    Weeks { weeks: u8 },
}

/// Days before a session in which its questionnaire is due (the session day included).
pub const SESSION_WINDOW_DAYS: i32 = 3;
pub const MAX_WEEKS: u8 = 12;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub instrument: InstrumentId,
    pub cadence: Cadence,
    /// The day it was set: week-based windows count from it.
    #[serde(with = "date_text")]
    pub since: Date,
}

impl Schedule {
    pub fn check(&self) -> Result<(), ValidationError> {
        match self.cadence {
            Cadence::Weeks { weeks } if !(1..=MAX_WEEKS).contains(&weeks) => {
                Err(ValidationError::new("weeks", format!("Choose every 1 to {MAX_WEEKS} weeks.")))
            }
            _ => Ok(()),
        }
    }
}

/// A questionnaire due now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    pub instrument: InstrumentId,
    /// "Before Thursday's session", "This week", "This fortnight" …
    pub label: String,
    /// The window it is due in; after `until` it expires.
    #[serde(with = "date_text")]
    pub from: Date,
    #[serde(with = "date_text")]
    pub until: Date,
}

/// Dates as `YYYY-MM-DD`.
mod date_text {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// What is due today. `last_taken` gives the day each questionnaire was last answered. A
/// questionnaire answered in the current window is not due; one whose window passed is simply
/// not listed. One questionnaire is listed once, by its earliest-ending window.
pub fn due(
    schedules: &[Schedule],
    today: Date,
    session: Option<Date>,
    last_taken: impl Fn(InstrumentId) -> Option<Date>,
) -> Vec<Due> {
    let mut out: Vec<Due> = Vec::new();
    for s in schedules {
        let window = match s.cadence {
            Cadence::Session => session.filter(|&d| d >= today).and_then(|d| {
                let from = d.checked_sub((SESSION_WINDOW_DAYS - 1).days()).ok()?;
                let label = if d == today {
                    "Before today's session".to_owned()
                } else {
                    format!("Before {}'s session", weekday_name(d.weekday()))
                };
                (from <= today).then_some((from, d, label))
            }),
            Cadence::Weeks { weeks } => {
                let len = i64::from(weeks.clamp(1, MAX_WEEKS)) * 7;
                let days = (today - s.since).get_days();
                if days < 0 {
                    None
                } else {
                    let start = s.since.checked_add(((i64::from(days) / len) * len).days()).ok();
                    let end = start.and_then(|st| st.checked_add((len - 1).days()).ok());
                    let label = match weeks {
                        1 => "This week".to_owned(),
                        2 => "This fortnight".to_owned(),
                        n => format!("Every {n} weeks"),
                    };
                    start.zip(end).map(|(a, b)| (a, b, label))
                }
            }
        };
        let Some((from, until, label)) = window else { continue };
        if last_taken(s.instrument).is_some_and(|t| t >= from) {
            continue;
        }
        match out.iter_mut().find(|d| d.instrument == s.instrument) {
            Some(d) if until < d.until => *d = Due { instrument: s.instrument, label, from, until },
            Some(_) => {}
            None => out.push(Due { instrument: s.instrument, label, from, until }),
        }
    }
    out.sort_by_key(|d| d.until);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn sched(instrument: InstrumentId, cadence: Cadence, since: &str) -> Schedule {
        Schedule { instrument, cadence, since: d(since) }
    }

    #[test]
    fn before_a_session_it_is_due_in_the_three_days_before_and_then_expires() {
        let s = [sched(InstrumentId::Phq4, Cadence::Session, "2026-12-01")];
        // Thursday 10 December 2026.
        let session = Some(d("2026-12-10"));
        let never = |_| None;
        assert!(due(&s, d("2026-12-07"), session, never).is_empty(), "too early");
        let got = due(&s, d("2026-12-08"), session, never);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].label, "Before Thursday's session");
        assert_eq!((got[0].from, got[0].until), (d("2026-12-08"), d("2026-12-10")));
        assert_eq!(due(&s, d("2026-12-10"), session, never)[0].label, "Before today's session");
        assert!(due(&s, d("2026-12-11"), session, never).is_empty(), "missed: it quietly expires");
        assert!(due(&s, d("2026-12-09"), None, never).is_empty(), "no session date, nothing due");
        // Answered in the window: done. Answered before it: due again.
        assert!(due(&s, d("2026-12-09"), session, |_| Some(d("2026-12-08"))).is_empty());
        assert_eq!(due(&s, d("2026-12-09"), session, |_| Some(d("2026-12-07"))).len(), 1);
    }

    #[test]
    fn weekly_and_every_n_weeks_count_from_the_day_set() {
        let weekly = [sched(InstrumentId::Who5, Cadence::Weeks { weeks: 1 }, "2026-12-01")];
        let got = due(&weekly, d("2026-12-03"), None, |_| None);
        assert_eq!((got[0].label.as_str(), got[0].from, got[0].until), ("This week", d("2026-12-01"), d("2026-12-07")));
        assert!(due(&weekly, d("2026-12-05"), None, |_| Some(d("2026-12-02"))).is_empty());
        // The next week it is due again; the week missed before is not mentioned.
        let got = due(&weekly, d("2026-12-16"), None, |_| Some(d("2026-12-02")));
        assert_eq!((got[0].from, got[0].until), (d("2026-12-15"), d("2026-12-21")));
        let every3 = [sched(InstrumentId::Phq9, Cadence::Weeks { weeks: 3 }, "2026-12-01")];
        let got = due(&every3, d("2026-12-22"), None, |_| Some(d("2026-12-21")));
        assert_eq!((got[0].label.as_str(), got[0].from), ("Every 3 weeks", d("2026-12-22")));
        assert!(due(&every3, d("2026-11-30"), None, |_| None).is_empty(), "not before it was set");
        let fortnight = [sched(InstrumentId::Gad7, Cadence::Weeks { weeks: 2 }, "2026-12-01")];
        assert_eq!(due(&fortnight, d("2026-12-14"), None, |_| None)[0].label, "This fortnight");
    }

    #[test]
    fn one_questionnaire_is_listed_once_soonest_first() {
        let s = [
            sched(InstrumentId::Phq9, Cadence::Weeks { weeks: 4 }, "2026-12-01"),
            sched(InstrumentId::Phq9, Cadence::Session, "2026-12-01"),
            sched(InstrumentId::Gad7, Cadence::Weeks { weeks: 1 }, "2026-12-07"),
        ];
        let got = due(&s, d("2026-12-09"), Some(d("2026-12-10")), |_| None);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].instrument, got[0].label.as_str()), (InstrumentId::Phq9, "Before Thursday's session"));
        assert_eq!(got[1].instrument, InstrumentId::Gad7);
    }

    #[test]
    fn a_schedule_keeps_its_shape_when_stored() {
        let s = vec![
            sched(InstrumentId::Phq4, Cadence::Session, "2026-12-01"),
            sched(InstrumentId::Who5, Cadence::Weeks { weeks: 2 }, "2026-11-30"),
        ];
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"[{"instrument":"phq4","cadence":{"every":"session"},"since":"2026-12-01"},{"instrument":"who5","cadence":{"every":"weeks","weeks":2},"since":"2026-11-30"}]"#
        );
        assert_eq!(serde_json::from_str::<Vec<Schedule>>(&json).unwrap(), s);
    }

    #[test]
    fn weeks_out_of_range_are_refused() {
        for weeks in [0, 13] {
            let e = sched(InstrumentId::Phq9, Cadence::Weeks { weeks }, "2026-12-01").check().unwrap_err();
            assert_eq!(e.message, "Choose every 1 to 12 weeks.");
        }
        assert!(sched(InstrumentId::Phq9, Cadence::Weeks { weeks: 12 }, "2026-12-01").check().is_ok());
        assert!(sched(InstrumentId::Phq9, Cadence::Session, "2026-12-01").check().is_ok());
    }
}
