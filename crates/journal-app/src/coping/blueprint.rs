//! "My therapy blueprint": a relapse-prevention summary a person builds at the end of therapy.
//! The draft is made only of the person's own words (safety plan, goal titles, activity names)
//! and counts from their own records under neutral headings; it says nothing clinical of its own.
//! The person edits it and saves it as an ordinary journal entry.

use std::collections::BTreeMap;

use journal_core::metrics::{Assessment, Mood};

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;

/// Below this many check-ins no activity is compared at all.
pub const MIN_CHECKINS: usize = 14;
/// An activity is compared only with at least this many check-ins with it and without it.
pub const MIN_EACH_SIDE: usize = 3;
/// A difference in average mood smaller than this is not called "better".
const MIN_DIFFERENCE: f64 = 0.3;

pub const TITLE: &str = "My therapy blueprint";
pub const TAG: &str = "blueprint";

fn mean(v: &[u8]) -> f64 {
    v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len().max(1) as f64
}

/// Activities that went with better days: one line per activity, with counts.
pub fn better_days(moods: &[Mood]) -> Vec<String> {
    if moods.len() < MIN_CHECKINS {
        return vec![format!(
            "Not enough check-ins yet to see which activities went with better days ({} so far; this needs at least {MIN_CHECKINS}).",
            moods.len()
        )];
    }
    let mut names: BTreeMap<String, ()> = BTreeMap::new();
    for m in moods {
        for a in &m.content.activities {
            names.insert(a.clone(), ());
        }
    }
    let mut found: Vec<(f64, String)> = Vec::new();
    for name in names.keys() {
        let (with, without): (Vec<&Mood>, Vec<&Mood>) =
            moods.iter().partition(|m| m.content.activities.iter().any(|a| a == name));
        if with.len() < MIN_EACH_SIDE || without.len() < MIN_EACH_SIDE {
            continue;
        }
        let w: Vec<u8> = with.iter().map(|m| m.content.score).collect();
        let o: Vec<u8> = without.iter().map(|m| m.content.score).collect();
        let (aw, ao) = (mean(&w), mean(&o));
        if aw - ao >= MIN_DIFFERENCE {
            found.push((
                aw - ao,
                format!(
                    "{name}: on the {} check-ins that noted it, mood averaged {aw:.1} out of 5; on the other {}, {ao:.1}.",
                    w.len(),
                    o.len()
                ),
            ));
        }
    }
    if found.is_empty() {
        return vec!["No activity went with clearly better days in the check-ins so far.".to_owned()];
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.into_iter().map(|(_, s)| s).collect()
}

/// Each questionnaire's path: first and latest result, oldest first in the input.
pub fn score_paths(newest_first: &[Assessment]) -> Vec<String> {
    let mut by: BTreeMap<&'static str, Vec<&Assessment>> = BTreeMap::new();
    for a in newest_first.iter().rev() {
        by.entry(a.instrument.short_name()).or_default().push(a);
    }
    by.into_iter()
        .filter_map(|(name, list)| {
            let (first, last) = (list.first()?, list.last()?);
            let day = |a: &Assessment| journal_core::time_util::rfc3339(a.taken_at)[..10].to_owned();
            Some(if list.len() == 1 {
                format!("{name}: {} on {} (one result).", first.content.total, day(first))
            } else {
                let path: Vec<String> = list.iter().map(|a| a.content.total.to_string()).collect();
                format!(
                    "{name}: {} on {}, {} on {} ({} results: {}).",
                    first.content.total,
                    day(first),
                    last.content.total,
                    day(last),
                    list.len(),
                    path.join(", ")
                )
            })
        })
        .collect()
}

fn section(out: &mut String, heading: &str, lines: &[String], empty: &str) {
    out.push_str(&format!("## {heading}\n\n"));
    if lines.is_empty() {
        out.push_str(&format!("{empty}\n\n"));
    } else {
        for l in lines {
            out.push_str(&format!("- {}\n", l.replace('\n', " ")));
        }
        out.push('\n');
    }
}

/// The draft, in Markdown, for the person to edit.
pub async fn draft(app: &App, who: &UnlockedUser) -> Result<String, ServiceError> {
    let today = journal_core::dates::today_in(&who.user().time_zone).to_string();
    let moods = crate::health::moods::list(app, who, Some("1900-01-01"), Some(&today)).await?;
    let key = crate::health::metrics_key::key(app, who).await?;
    let results = crate::health::assessments::history(app, who, &key, None).await?;
    let (plan, _) = crate::coping::safety_plan::load(app, who).await?;
    let goals = crate::goals::list(app, who).await?;
    let kept: Vec<String> = goals
        .iter()
        .filter(|g| matches!(g.goal.content.status.as_str(), "active" | "completed"))
        .map(|g| {
            format!("{} ({} check-ins, {})", g.goal.content.title, g.checkins.len(), g.goal.content.status.as_str())
        })
        .collect();
    let mut out = String::new();
    section(&mut out, "What went with better days", &better_days(&moods), "");
    section(&mut out, "My warning signs", &plan.warning_signs, "(None written in the safety plan yet.)");
    section(&mut out, "What I can do on my own", &plan.internal_coping, "(None written in the safety plan yet.)");
    section(&mut out, "How my questionnaire scores moved", &score_paths(&results), "(No questionnaires yet.)");
    section(&mut out, "Goals I kept", &kept, "(No goals yet.)");
    out.push_str("## In my own words\n\n");
    Ok(out)
}

/// Saves the edited blueprint as a journal entry, tagged `blueprint`.
pub async fn save(app: &App, who: &UnlockedUser, body: &str) -> Result<journal_core::entries::Entry, ServiceError> {
    let input = crate::journal::EntryInput {
        title: Some(TITLE.to_owned()),
        body: body.to_owned(),
        tags: vec![TAG.to_owned()],
        entry_date: None,
        prompt_id: None,
        mood: None,
    };
    crate::journal::create(app, who, &input).await
}
