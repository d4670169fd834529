//! Picks the day's three prompts. Every choice comes from a rule a person can be told about
//! (`reason`), in this order: homework from the therapist, pinned prompts, the therapy session
//! date, the mood trend, the latest questionnaire change, active self-care goals, tags written
//! lately, the time of day, then whatever has not been explored for a while. A prompt answered in
//! the last 30 days is not offered again, nor one skipped today. The same signals on the same day
//! give the same prompts; only the time-of-day choice turns from intentions in the morning to
//! reflection in the evening.

use std::collections::{BTreeMap, HashSet};

use jiff::ToSpan;
use jiff::civil::Date;

use super::{CustomPrompt, TimeOfDay, library};

/// A prompt a therapist assigned (it always comes first).
#[derive(Debug, Clone, PartialEq)]
pub struct Homework {
    pub id: String,
    pub text: String,
}

/// Whether something got better or harder lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendSignal {
    Better,
    Harder,
}

#[derive(Debug, Clone)]
pub struct Signals<'a> {
    /// Seeds the daily choice, so two people see different prompts on the same day.
    pub user_id: &'a str,
    pub today: Date,
    /// Local hour, 0–23.
    pub hour: i8,
    /// Average mood of the last 7 days against the 30 before.
    pub mood_recent: Option<f64>,
    pub mood_earlier: Option<f64>,
    /// The latest questionnaire's change against the one before: (short name, direction).
    pub assessment: Option<(&'a str, TrendSignal)>,
    /// Goal categories (`rest_sleep`, `mindfulness`, …) of the person's active goals.
    pub goal_categories: &'a [String],
    /// Tags of recent entries with their counts, most used first.
    pub recent_tags: &'a [(String, usize)],
    pub homework: &'a [Homework],
    /// Prompt id → last day answered.
    pub answered: &'a BTreeMap<String, String>,
    pub skipped_today: &'a [String],
    pub pinned: &'a [String],
    pub custom: &'a [CustomPrompt],
    pub session_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: String,
    pub text: String,
    pub category: String,
    pub reason: String,
    /// `homework`, `pinned`, `custom` or `library`.
    pub source: &'static str,
}

pub const PER_DAY: usize = 3;
const NOT_AGAIN_FOR_DAYS: i64 = 30;

/// FNV-1a: stable across Rust releases, unlike the standard hasher, so a day's choice never moves.
fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// A goal category's nearest prompt category, and how to name it in a reason.
fn goal_prompt_category(goal: &str) -> Option<(&'static str, &'static str)> {
    Some(match goal {
        "rest_sleep" => ("rest_sleep", "rest and sleep"),
        "mindfulness" => ("gratitude", "mindfulness"),
        "physical_activity" => ("body_movement", "movement"),
        "social_connection" => ("relationships", "connection"),
        "creative" => ("creativity", "creative"),
        "boundaries" => ("boundaries", "boundaries"),
        "self_compassion" => ("self_compassion", "self-compassion"),
        "joy" => ("joy", "joy"),
        "support_resources" => ("values", "support"),
        _ => return None,
    })
}

/// Words in tags that point to a category.
const TAG_HINTS: &[(&str, &str)] = &[
    ("work", "stress"),
    ("job", "stress"),
    ("boss", "stress"),
    ("deadline", "stress"),
    ("exam", "stress"),
    ("school", "stress"),
    ("study", "stress"),
    ("money", "stress"),
    ("stress", "stress"),
    ("anxi", "hard_day"),
    ("panic", "hard_day"),
    ("worry", "hard_day"),
    ("sad", "self_compassion"),
    ("grief", "self_compassion"),
    ("lonely", "relationships"),
    ("family", "relationships"),
    ("friend", "relationships"),
    ("partner", "relationships"),
    ("mum", "relationships"),
    ("mom", "relationships"),
    ("dad", "relationships"),
    ("kids", "relationships"),
    ("relationship", "relationships"),
    ("sleep", "rest_sleep"),
    ("tired", "rest_sleep"),
    ("rest", "rest_sleep"),
    ("exercise", "body_movement"),
    ("walk", "body_movement"),
    ("run", "body_movement"),
    ("gym", "body_movement"),
    ("yoga", "body_movement"),
    ("art", "creativity"),
    ("music", "creativity"),
    ("draw", "creativity"),
    ("boundar", "boundaries"),
    ("therapy", "before_session"),
    ("gratitude", "gratitude"),
    ("grateful", "gratitude"),
];

struct Wish {
    category: String,
    reason: String,
    gentle: bool,
}

fn day_phrase(today: Date, day: Date) -> String {
    match today.until(day).map(|s| s.get_days()).unwrap_or(99) {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        _ => format!("on {}", day.strftime("%A")),
    }
}

fn wishes(s: &Signals<'_>) -> Vec<Wish> {
    let mut out = Vec::new();
    let mut wish =
        |category: &str, reason: String, gentle: bool| out.push(Wish { category: category.to_owned(), reason, gentle });
    if let Some(session) = s.session_date {
        let days = s.today.until(session).map(|d| d.get_days()).unwrap_or(99);
        let before = (1..=2).contains(&days) || (days == 0 && s.hour < 15);
        let after = (-3..=-1).contains(&days) || (days == 0 && s.hour >= 15);
        if before {
            wish("before_session", format!("Your therapy session is {}", day_phrase(s.today, session)), false);
        } else if after {
            wish("after_session", format!("You had a therapy session {}", day_phrase(s.today, session)), false);
        }
    }
    let low = matches!((s.mood_recent, s.mood_earlier), (Some(r), Some(e)) if e - r >= 0.3);
    match (s.mood_recent, s.mood_earlier) {
        (Some(r), Some(e)) if e - r >= 0.3 => wish("hard_day", "Your mood has been lower this week".into(), true),
        (Some(r), Some(e)) if r - e >= 0.3 => {
            wish("achievements", "Your mood has lifted a little this week".into(), false)
        }
        _ => {}
    }
    match s.assessment {
        Some((name, TrendSignal::Harder)) => {
            wish("self_compassion", format!("Your latest {name} was harder than the one before"), true)
        }
        Some((name, TrendSignal::Better)) => {
            wish("achievements", format!("Your latest {name} showed real progress"), false)
        }
        None => {}
    }
    // One goal a day, turning through them so each gets its turn.
    let mut goals: Vec<&str> = s.goal_categories.iter().map(String::as_str).collect();
    goals.sort_unstable();
    goals.dedup();
    if !goals.is_empty() {
        let day_number = s.today.since(Date::constant(2000, 1, 1)).map(|d| d.get_days()).unwrap_or(0);
        let pick = goals[usize::try_from(day_number).unwrap_or(0) % goals.len()];
        if let Some((category, name)) = goal_prompt_category(pick) {
            wish(category, format!("You're working on a {name} goal"), low);
        }
    }
    if let Some((tag, category)) = s.recent_tags.iter().find_map(|(tag, _)| {
        let lower = tag.to_lowercase();
        TAG_HINTS.iter().find(|(hint, _)| lower.contains(hint)).map(|(_, c)| (tag, *c))
    }) {
        wish(category, format!("You've been writing about \u{201c}{tag}\u{201d} lately"), low);
    }
    match s.hour {
        5..=11 => wish("intentions", "A gentle start to the day".into(), low),
        18..=23 | 0..=4 => {
            let evening = ["gratitude", "achievements", "rest_sleep"];
            let i = stable_hash(&[s.user_id, &s.today.to_string(), "evening"]) as usize % evening.len();
            wish(evening[i], "Something for the end of the day".into(), low);
        }
        _ => {}
    }
    // Then the categories answered least recently, the day's order breaking ties.
    let mut last_answered: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, day) in s.answered {
        if let Some(p) = super::prompt(id) {
            let e = last_answered.entry(p.category.as_str()).or_insert(day.as_str());
            if day.as_str() > *e {
                *e = day.as_str();
            }
        }
    }
    let today = s.today.to_string();
    let mut rest: Vec<&str> = library()
        .category
        .iter()
        .map(|c| c.id.as_str())
        .filter(|c| !matches!(*c, "before_session" | "after_session"))
        .collect();
    rest.sort_by_key(|c| (last_answered.get(c).copied().unwrap_or(""), stable_hash(&[s.user_id, &today, c])));
    for c in rest {
        wish(c, "Something you haven't explored lately".into(), low);
    }
    out
}

struct Candidate<'a> {
    id: &'a str,
    text: &'a str,
    category: &'a str,
    time: TimeOfDay,
    gentle: bool,
    source: &'static str,
}

pub fn choose(s: &Signals<'_>) -> Vec<Suggestion> {
    let today = s.today.to_string();
    let cutoff = s.today.checked_sub(NOT_AGAIN_FOR_DAYS.days()).unwrap_or(s.today).to_string();
    let recently_answered = |id: &str| s.answered.get(id).is_some_and(|d| d.as_str() > cutoff.as_str());
    let skipped: HashSet<&str> = s.skipped_today.iter().map(String::as_str).collect();
    let mut out: Vec<Suggestion> = Vec::with_capacity(PER_DAY);
    let mut used_categories: HashSet<String> = HashSet::new();

    for h in s.homework.iter().filter(|h| !skipped.contains(h.id.as_str())) {
        out.push(Suggestion {
            id: h.id.clone(),
            text: h.text.clone(),
            category: "homework".into(),
            reason: "From your therapist".into(),
            source: "homework",
        });
    }
    let candidates: Vec<Candidate<'_>> = library()
        .prompt
        .iter()
        .map(|p| Candidate {
            id: &p.id,
            text: &p.text,
            category: &p.category,
            time: p.time,
            gentle: p.low_mood,
            source: "library",
        })
        .chain(s.custom.iter().map(|c| Candidate {
            id: &c.id,
            text: &c.text,
            category: &c.category,
            time: TimeOfDay::Any,
            gentle: false,
            source: "custom",
        }))
        .collect();
    let by_id = |id: &str| candidates.iter().find(|c| c.id == id);
    for id in s.pinned {
        if out.len() >= PER_DAY {
            break;
        }
        if let Some(c) = by_id(id).filter(|c| !skipped.contains(c.id) && !recently_answered(c.id)) {
            used_categories.insert(c.category.to_owned());
            out.push(Suggestion {
                id: c.id.to_owned(),
                text: c.text.to_owned(),
                category: c.category.to_owned(),
                reason: "You pinned this prompt".into(),
                source: "pinned",
            });
        }
    }
    let period = match s.hour {
        5..=11 => TimeOfDay::Morning,
        18..=23 | 0..=4 => TimeOfDay::Evening,
        _ => TimeOfDay::Any,
    };
    for wish in wishes(s) {
        if out.len() >= PER_DAY {
            break;
        }
        if used_categories.contains(&wish.category) {
            continue;
        }
        let best = candidates
            .iter()
            .filter(|c| c.category == wish.category)
            .filter(|c| !skipped.contains(c.id) && !recently_answered(c.id) && !out.iter().any(|o| o.id == c.id))
            .filter(|c| c.time == TimeOfDay::Any || c.time == period)
            .min_by_key(|c| {
                let fits_time = c.time == period && period != TimeOfDay::Any;
                let fits_mood = c.gentle == wish.gentle || !wish.gentle;
                (!(fits_mood), !fits_time, stable_hash(&[s.user_id, &today, c.id]))
            });
        if let Some(c) = best {
            used_categories.insert(wish.category.clone());
            out.push(Suggestion {
                id: c.id.to_owned(),
                text: c.text.to_owned(),
                category: c.category.to_owned(),
                reason: wish.reason,
                source: c.source,
            });
        }
    }
    out.truncate(PER_DAY.max(s.homework.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    struct Situation {
        answered: BTreeMap<String, String>,
        goals: Vec<String>,
        tags: Vec<(String, usize)>,
        homework: Vec<Homework>,
        skipped: Vec<String>,
        pinned: Vec<String>,
        custom: Vec<CustomPrompt>,
    }

    impl Situation {
        fn new() -> Self {
            Self {
                answered: BTreeMap::new(),
                goals: vec![],
                tags: vec![],
                homework: vec![],
                skipped: vec![],
                pinned: vec![],
                custom: vec![],
            }
        }

        fn signals(&self, today: &str, hour: i8) -> Signals<'_> {
            Signals {
                user_id: "user-1",
                today: d(today),
                hour,
                mood_recent: None,
                mood_earlier: None,
                assessment: None,
                goal_categories: &self.goals,
                recent_tags: &self.tags,
                homework: &self.homework,
                answered: &self.answered,
                skipped_today: &self.skipped,
                pinned: &self.pinned,
                custom: &self.custom,
                session_date: None,
            }
        }
    }

    fn categories(list: &[Suggestion]) -> Vec<&str> {
        list.iter().map(|s| s.category.as_str()).collect()
    }

    #[test]
    fn three_distinct_prompts_the_same_all_day() {
        let sit = Situation::new();
        let a = choose(&sit.signals("2026-03-10", 13));
        assert_eq!(a.len(), 3);
        assert_eq!(choose(&sit.signals("2026-03-10", 14)), a, "deterministic for the day");
        let cats: HashSet<&str> = categories(&a).into_iter().collect();
        assert_eq!(cats.len(), 3, "three different categories");
        assert!(a.iter().all(|s| s.reason == "Something you haven't explored lately"));
        assert_ne!(choose(&sit.signals("2026-03-11", 14)), a, "another day, other prompts");
    }

    #[test]
    fn homework_always_comes_first() {
        let mut sit = Situation::new();
        sit.homework = vec![Homework { id: "hw-1".into(), text: "Notice one automatic thought.".into() }];
        let mut s = sit.signals("2026-03-10", 9);
        s.mood_recent = Some(2.0);
        s.mood_earlier = Some(3.5);
        let chosen = choose(&s);
        assert_eq!((chosen[0].id.as_str(), chosen[0].reason.as_str()), ("hw-1", "From your therapist"));
        assert_eq!(chosen.len(), 3);
    }

    #[test]
    fn lower_mood_brings_a_gentle_prompt_with_its_reason() {
        let sit = Situation::new();
        let mut s = sit.signals("2026-03-10", 13);
        s.mood_recent = Some(2.1);
        s.mood_earlier = Some(3.4);
        let chosen = choose(&s);
        assert_eq!(chosen[0].reason, "Your mood has been lower this week");
        assert_eq!(chosen[0].category, "hard_day");
        assert!(super::super::prompt(&chosen[0].id).unwrap().low_mood, "a gentle one");
        s.mood_recent = Some(3.9);
        assert_eq!(choose(&s)[0].category, "achievements");
        s.mood_recent = Some(3.5);
        assert_eq!(choose(&s)[0].reason, "Something you haven't explored lately", "a steady week changes nothing");
    }

    #[test]
    fn questionnaire_goals_and_tags_each_give_a_reason() {
        let mut sit = Situation::new();
        sit.goals = vec!["physical_activity".into()];
        sit.tags = vec![("Work".into(), 4), ("tuesday".into(), 1)];
        let mut s = sit.signals("2026-03-10", 13);
        s.assessment = Some(("PHQ-9", TrendSignal::Harder));
        let chosen = choose(&s);
        assert_eq!(categories(&chosen), ["self_compassion", "body_movement", "stress"]);
        assert_eq!(chosen[0].reason, "Your latest PHQ-9 was harder than the one before");
        assert_eq!(chosen[1].reason, "You're working on a movement goal");
        assert_eq!(chosen[2].reason, "You've been writing about \u{201c}Work\u{201d} lately");
    }

    #[test]
    fn mornings_bring_intentions_and_evenings_reflection() {
        let sit = Situation::new();
        let morning = choose(&sit.signals("2026-03-10", 7));
        assert_eq!(morning[0].category, "intentions");
        assert_eq!(super::super::prompt(&morning[0].id).unwrap().time, TimeOfDay::Morning);
        let evening = choose(&sit.signals("2026-03-10", 21));
        assert!(["gratitude", "achievements", "rest_sleep"].contains(&evening[0].category.as_str()));
        assert_eq!(evening[0].reason, "Something for the end of the day");
        assert!(evening.iter().all(|s| super::super::prompt(&s.id).unwrap().time != TimeOfDay::Morning));
    }

    #[test]
    fn session_dates_bring_preparation_then_reflection() {
        let sit = Situation::new();
        let mut s = sit.signals("2026-03-10", 13);
        s.session_date = Some(d("2026-03-11"));
        let before = choose(&s);
        assert_eq!(
            (before[0].category.as_str(), before[0].reason.as_str()),
            ("before_session", "Your therapy session is tomorrow")
        );
        s.session_date = Some(d("2026-03-09"));
        let after = choose(&s);
        assert_eq!(
            (after[0].category.as_str(), after[0].reason.as_str()),
            ("after_session", "You had a therapy session yesterday")
        );
        s.session_date = Some(d("2026-02-01"));
        assert!(!categories(&choose(&s)).iter().any(|c| c.ends_with("_session")), "long past: nothing");
    }

    #[test]
    fn answered_prompts_rest_for_thirty_days_and_skips_are_replaced() {
        let mut sit = Situation::new();
        let first = choose(&sit.signals("2026-03-10", 13));
        sit.answered.insert(first[0].id.clone(), "2026-03-01".into());
        let later = choose(&sit.signals("2026-03-10", 13));
        assert!(!later.iter().any(|s| s.id == first[0].id), "answered nine days ago");
        sit.skipped = vec![later[1].id.clone()];
        let after_skip = choose(&sit.signals("2026-03-10", 13));
        assert!(!after_skip.iter().any(|s| s.id == later[1].id));
        assert_eq!(after_skip.len(), 3);
        // Every library prompt answered yesterday: nothing left to offer but the custom one.
        let mut all = Situation::new();
        all.answered = library().prompt.iter().map(|p| (p.id.clone(), "2026-03-09".to_owned())).collect();
        all.custom = vec![CustomPrompt {
            id: "my-1".into(),
            text: "What would I tell a friend?".into(),
            category: "self_compassion".into(),
            created_on: "2026-03-01".into(),
        }];
        let left = choose(&all.signals("2026-03-10", 13));
        assert_eq!(left.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["my-1"]);
        assert_eq!(left[0].source, "custom");
        assert_eq!(choose(&all.signals("2026-04-10", 13)).len(), 3, "thirty days later they come back");
    }

    #[test]
    fn pinned_prompts_come_after_homework() {
        let mut sit = Situation::new();
        sit.pinned = vec!["values-03".into()];
        let chosen = choose(&sit.signals("2026-03-10", 13));
        assert_eq!((chosen[0].id.as_str(), chosen[0].reason.as_str()), ("values-03", "You pinned this prompt"));
        assert!(!chosen[1..].iter().any(|s| s.category == "values"));
    }
}
