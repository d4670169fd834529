//! Achievements from every part of the journal: writing, check-ins, questionnaires and goals.
//! Each is computed from the person's own records; a small encrypted list remembers which have
//! been celebrated, so each is shown once, warmly, and then kept on the achievements page.

use journal_core::goals::milestones;
use journal_core::records::{ACHIEVEMENTS_SEEN as SEEN, open_document, seal_document};
use journal_core::time_util::now;

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;
use crate::health::moods::Achievement;

/// A warm sentence for an achievement; never about what was missed.
pub fn message(a: &Achievement) -> String {
    let id = a.id.as_str();
    if id == "first-entry" {
        "You started writing. Putting things into words takes courage.".into()
    } else if id == "first-check-in" {
        "Your first check-in. Noticing how you feel is a skill, and you've begun.".into()
    } else if id == "seven-days" {
        "A week of showing up for yourself, one day at a time.".into()
    } else if id == "thirty-check-ins" {
        "Thirty check-ins. That's a real picture of your days, built by you.".into()
    } else if id == "reliable-improvement" {
        "Your answers show a real change for the better. Take a moment to notice how far you've come.".into()
    } else if id.ends_with("-first") {
        "The first step on a new goal. Small steps count.".into()
    } else if id.ends_with("-completed") {
        "You completed a goal. Whatever it took, you did it.".into()
    } else {
        "You kept at it. That steadiness is something to be proud of.".into()
    }
}

/// Everything earned, newest first.
pub async fn all(app: &App, who: &UnlockedUser) -> Result<Vec<Achievement>, ServiceError> {
    let mut out = crate::health::moods::insights(app, who, 1).await?.achievements;
    let ws = crate::goals::week_start(who);
    for g in crate::goals::list(app, who).await? {
        let days: Vec<jiff::civil::Date> = g.checkins.iter().map(|c| c.day).collect();
        for (suffix, title, day) in milestones(&g.goal.content, &days, ws) {
            out.push(Achievement {
                id: format!("goal-{}-{suffix}", g.goal.id),
                kind: "goal".into(),
                title: format!("{title}: {}", g.goal.content.title),
                earned_at: day.to_string(),
            });
        }
    }
    out.sort_by(|a, b| b.earned_at.cmp(&a.earned_at).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

async fn seen(app: &App, who: &UnlockedUser) -> Result<Vec<String>, ServiceError> {
    match app.store.document(who.id(), SEEN).await? {
        Some((blob, _)) => open_document(who, SEEN, &blob).map_err(|_| ServiceError::internal()),
        None => Ok(Vec::new()),
    }
}

/// Achievements not celebrated yet; they count as celebrated from now on.
pub async fn celebrate(app: &App, who: &UnlockedUser) -> Result<Vec<Achievement>, ServiceError> {
    let earned = all(app, who).await?;
    let mut seen = seen(app, who).await?;
    let fresh: Vec<Achievement> = earned.into_iter().filter(|a| !seen.contains(&a.id)).collect();
    if !fresh.is_empty() {
        seen.extend(fresh.iter().map(|a| a.id.clone()));
        let blob = seal_document(who, SEEN, &seen);
        app.store.put_document(who.id(), SEEN, &blob, now()).await?;
    }
    Ok(fresh)
}
