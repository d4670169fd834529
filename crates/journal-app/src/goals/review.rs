//! The weekly review: a gentle look back over one week (in the person's own week), and a
//! reflection that can be kept as a journal entry.

use jiff::ToSpan;
use jiff::civil::Date;
use journal_core::dates::{parse_date, today_in};
use journal_core::goals::{Per, Status, period_start};

use crate::App;
use crate::UnlockedUser;
use crate::error::ServiceError;
use crate::health::moods::Achievement;

pub struct GoalWeek {
    pub id: String,
    pub title: String,
    pub done: u32,
    /// What the cadence asks for in a week (times × 7 for a daily goal).
    pub target: u32,
}

pub struct Review {
    pub from: Date,
    pub to: Date,
    pub entries: usize,
    pub check_ins: usize,
    pub mood_average: Option<f64>,
    pub previous_mood_average: Option<f64>,
    pub goals: Vec<GoalWeek>,
    pub goal_check_ins: usize,
    pub wins: Vec<Achievement>,
    pub reflection_prompt: &'static str,
}

fn mean(v: &[u8]) -> Option<f64> {
    (!v.is_empty()).then(|| (v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64 * 10.0).round() / 10.0)
}

/// The week containing `day` (default: this week).
pub async fn review(app: &App, who: &UnlockedUser, day: Option<&str>) -> Result<Review, ServiceError> {
    let today = today_in(&who.user().time_zone);
    let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date("week", d)?,
        None => today,
    };
    let ws = crate::goals::week_start(who);
    let from = period_start(day, Per::Week, ws);
    let to = from.checked_add(6.days()).unwrap_or(from);
    let prev_from = from.checked_sub(7.days()).unwrap_or(from);

    let entry_days = app.store.entry_days(who.id(), &from.to_string(), &to.to_string()).await?;
    let entries: usize = entry_days.iter().map(|(_, n)| usize::try_from(*n).unwrap_or(0)).sum();

    let moods = crate::health::moods::list(app, who, Some(&prev_from.to_string()), Some(&to.to_string())).await?;
    let zone = journal_core::dates::zone(&who.user().time_zone);
    let (mut this, mut before) = (Vec::new(), Vec::new());
    for m in &moods {
        match journal_core::dates::local_date(m.at, &zone) {
            Some(d) if d >= from => this.push(m.content.score),
            Some(_) => before.push(m.content.score),
            None => {}
        }
    }

    let mut goals = Vec::new();
    let mut goal_check_ins = 0;
    for g in crate::goals::list(app, who).await? {
        let done = g.checkins.iter().filter(|c| c.day >= from && c.day <= to).count();
        goal_check_ins += done;
        if g.goal.content.status == Status::Active || done > 0 {
            let times = u32::from(g.goal.content.cadence.times);
            let target = if g.goal.content.cadence.per == Per::Day { times * 7 } else { times };
            goals.push(GoalWeek {
                id: g.goal.id.clone(),
                title: g.goal.content.title.clone(),
                done: u32::try_from(done).unwrap_or(0),
                target,
            });
        }
    }
    let (from_s, to_s) = (from.to_string(), to.to_string());
    let wins = crate::goals::achievements::all(app, who)
        .await?
        .into_iter()
        .filter(|a| a.earned_at.as_str() >= from_s.as_str() && a.earned_at.as_str() <= to_s.as_str())
        .collect();
    Ok(Review {
        from,
        to,
        entries,
        check_ins: this.len(),
        mood_average: mean(&this),
        previous_mood_average: mean(&before),
        goals,
        goal_check_ins,
        wins,
        reflection_prompt: "Looking back over this week, what is one thing you'd like to carry into the next?",
    })
}

impl Review {
    /// The week in words, for the page and for the saved entry.
    pub fn trend(&self) -> &'static str {
        match (self.mood_average, self.previous_mood_average) {
            (Some(a), Some(b)) if a - b >= 0.3 => "a little higher than the week before",
            (Some(a), Some(b)) if b - a >= 0.3 => "a little lower than the week before",
            (Some(_), Some(_)) => "about the same as the week before",
            _ => "",
        }
    }

    /// The review as Markdown, followed by the person's reflection.
    pub fn to_markdown(&self, reflection: &str) -> String {
        let mut md = format!("## The week of {} to {}\n\n", self.from, self.to);
        md.push_str(&format!("- Entries written: {}\n", self.entries));
        md.push_str(&format!("- Mood check-ins: {}\n", self.check_ins));
        if let Some(avg) = self.mood_average {
            let trend = self.trend();
            md.push_str(&format!(
                "- Average mood: {avg:.1} out of 5{}\n",
                if trend.is_empty() { String::new() } else { format!(", {trend}") }
            ));
        }
        for g in &self.goals {
            md.push_str(&format!("- {}: {} of {}\n", g.title, g.done, g.target));
        }
        if !self.wins.is_empty() {
            md.push_str("\n### Wins\n\n");
            for w in &self.wins {
                md.push_str(&format!("- {}\n", w.title));
            }
        }
        let reflection = journal_core::validate::multi_line(reflection);
        let reflection = reflection.trim();
        if !reflection.is_empty() {
            md.push_str(&format!("\n### {}\n\n{reflection}\n", self.reflection_prompt));
        }
        md
    }
}

/// Saves the review, with the person's reflection, as a journal entry dated the week's last day
/// (or today, if the week is not over).
pub async fn save(
    app: &App,
    who: &UnlockedUser,
    day: Option<&str>,
    reflection: &str,
) -> Result<journal_core::entries::Entry, ServiceError> {
    let r = review(app, who, day).await?;
    let today = today_in(&who.user().time_zone);
    let input = crate::journal::EntryInput {
        title: Some(format!("Weekly review: {} to {}", r.from, r.to)),
        body: r.to_markdown(reflection),
        tags: vec!["weekly-review".to_owned()],
        entry_date: Some(r.to.min(today).to_string()),
        prompt_id: None,
        mood: None,
    };
    crate::journal::create(app, who, &input).await
}
