//! The pre-session packet: what a therapist brings to a client's next session, gathered from the
//! shared items only (entries and thought records the client chose to share; mood, questionnaires
//! and goal progress only when the link shares them). The client's preview goes through the same
//! builder with the same filters, so both sides see exactly the same packet.

use jiff::civil::Date;
use journal_core::entries::Entry;
use journal_core::metrics::{Assessment, Mood};

use crate::App;
use crate::UnlockedUser;
use crate::bridge;
use crate::bridge::summary::{self, Sources, Summary};
use crate::error::ServiceError;

/// One questionnaire result in the period, with its change against the one before it.
pub struct ScoreLine {
    pub instrument: &'static str,
    pub title: &'static str,
    pub date: String,
    pub total: u8,
    pub severity: String,
    /// Points since the result before it (of the same questionnaire), when there is one.
    pub delta: Option<i16>,
    pub previous_total: Option<u8>,
    /// "improved", "worsened" or "unchanged".
    pub direction: &'static str,
    /// The size of the change reaches the instrument's published reliable-change threshold.
    pub reliable: bool,
    /// The instrument's published reliable-change threshold in points; without one the packet
    /// states the numbers only.
    pub threshold: Option<u8>,
    pub self_harm: bool,
}

impl ScoreLine {
    /// The change in plain words, claiming a reliable change only where the instrument's
    /// threshold supports it.
    pub fn change_words(&self) -> String {
        let Some(d) = self.delta else { return "the first result of this questionnaire".to_owned() };
        let prev = self.previous_total.unwrap_or_default();
        if d == 0 {
            return format!("the same as the one before ({prev})");
        }
        let mut s = format!("{d:+} since the one before ({prev})");
        match (self.threshold, self.reliable) {
            (Some(_), true) => s.push_str(&format!(", a reliable change ({})", self.direction)),
            (Some(t), false) => {
                s.push_str(&format!(", smaller than the {t} points this questionnaire needs for a reliable change"))
            }
            (None, _) => s.push_str("; this questionnaire has no published reliable-change threshold"),
        }
        s
    }
}

pub struct Packet {
    pub summary: Summary,
    pub client_id: String,
    pub connection_id: String,
    /// Daily mean mood by day offset from `from`, when mood is shared.
    pub mood_days: Option<Vec<(String, f64)>>,
    pub span_days: usize,
    /// None when questionnaires are not shared.
    pub scores: Option<Vec<ScoreLine>>,
    /// The shared results in the period, oldest first (for the FHIR export).
    pub results: Vec<Assessment>,
    /// Shared entries in the period that are not thought records, newest first.
    pub entries: Vec<Entry>,
    pub thought_records: Vec<Entry>,
}

fn build(src: Sources, from: Date, to: Date, time_zone: &str) -> Packet {
    let tz = journal_core::dates::zone(time_zone);
    let in_range = |d: Date| d >= from && d <= to;
    let span_days = usize::try_from(from.until(to).map(|s| s.get_days()).unwrap_or(0) + 1).unwrap_or(1);
    let mood_days = src.moods.as_ref().map(|moods| mood_line(moods, from, to, &tz));
    let mut results = Vec::new();
    let scores = src.assessments.as_ref().map(|all| {
        // `all` is newest first; each result is compared with the one before it, even when that
        // one is older than the period.
        let mut lines = Vec::new();
        for (i, a) in all.iter().enumerate() {
            let Some(d) = journal_core::dates::local_date(a.taken_at, &tz) else { continue };
            if !in_range(d) {
                continue;
            }
            results.push(a.clone());
            let earlier: Vec<Assessment> =
                all[i + 1..].iter().filter(|e| e.instrument == a.instrument).cloned().collect();
            let change = a.change_against(&earlier);
            let instrument = a.instrument.instrument();
            lines.push(ScoreLine {
                instrument: a.instrument.short_name(),
                title: instrument.title,
                date: d.to_string(),
                total: a.content.total,
                severity: a.content.severity.replace('_', " "),
                delta: change.as_ref().map(|c| c.delta),
                previous_total: change.as_ref().map(|c| c.previous_total),
                direction: change.as_ref().map(|c| c.direction.as_str()).unwrap_or(""),
                reliable: change.as_ref().is_some_and(|c| c.reliable),
                threshold: instrument.change.reliable,
                self_harm: a.content.self_harm,
            });
        }
        lines
    });
    results.reverse();
    let client_id = src.link.client.id.clone();
    let connection_id = src.link.record.id.clone();
    let summary = summary::build(src, from, to, time_zone);
    let (thought_records, entries) = summary.entries.iter().cloned().partition(|e| e.content.thought_record.is_some());
    Packet { summary, client_id, connection_id, mood_days, span_days, scores, results, entries, thought_records }
}

fn mood_line(moods: &[Mood], from: Date, to: Date, tz: &jiff::tz::TimeZone) -> Vec<(String, f64)> {
    let mut by_day: std::collections::BTreeMap<i32, (u32, u32)> = Default::default();
    for m in moods {
        let Some(d) = journal_core::dates::local_date(m.at, tz) else { continue };
        if d < from || d > to {
            continue;
        }
        let offset = from.until(d).map(|s| s.get_days()).unwrap_or(0);
        let e = by_day.entry(offset).or_default();
        e.0 += u32::from(m.content.score);
        e.1 += 1;
    }
    by_day.into_iter().map(|(d, (s, n))| (d.to_string(), f64::from(s) / f64::from(n))).collect()
}

/// The therapist's packet for one linked client; 404 unless linked. Each entry shown in full is
/// logged as read; moods, questionnaires and goals log themselves.
pub async fn for_therapist(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    from: Date,
    to: Date,
) -> Result<Packet, ServiceError> {
    let src = summary::therapist_sources(app, who, client_id, from, to).await?;
    let tz = src.link.client.time_zone.clone();
    let packet = build(src, from, to, &tz);
    for e in packet.entries.iter().chain(&packet.thought_records) {
        bridge::log_read(app, who, client_id, "entry", &e.id, "packet").await?;
    }
    Ok(packet)
}

/// The client's preview of the packet one linked therapist will see: the same sources, read
/// with the client's own keys, through the same filters.
pub async fn for_client(
    app: &App,
    who: &UnlockedUser,
    connection_id: &str,
    from: Date,
    to: Date,
) -> Result<Packet, ServiceError> {
    Ok(build(summary::client_sources(app, who, connection_id).await?, from, to, &who.user().time_zone))
}

/// The packet's questionnaire results as a FHIR R4 Bundle (the same bundle as the person's own
/// export, limited to the shared results in the period).
pub fn fhir(p: &Packet) -> serde_json::Value {
    journal_core::fhir::bundle(&p.client_id, &p.results)
}
