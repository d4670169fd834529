//! Imports from our own export, Day One (JSON export zip), jrnl (JSON export) and Daylio (CSV
//! backup). Each parser turns a file into a [`Batch`] of plain records, or refuses the whole file
//! with an error that names the line or field; nothing here touches storage. Every record has a
//! stable `key` from its source, so importing the same file twice adds nothing the second time.

mod csv_rows;
mod dayone_text;
mod formats;

use serde::Serialize;

pub use formats::{DaylioMapping, parse};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// A Day One zip may not unpack to more than this (zip bombs).
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
pub const MAX_RECORDS: usize = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    TherapyJournal,
    DayOne,
    Jrnl,
    Daylio,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "therapy-journal" => Self::TherapyJournal,
            "dayone" => Self::DayOne,
            "jrnl" => Self::Jrnl,
            "daylio" => Self::Daylio,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TherapyJournal => "therapy-journal",
            Self::DayOne => "dayone",
            Self::Jrnl => "jrnl",
            Self::Daylio => "daylio",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedEntry {
    pub key: String,
    /// `YYYY-MM-DD`
    pub date: String,
    pub created_at: Option<i64>,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub mood: Option<u8>,
    pub thought_record: Option<crate::thought_records::ThoughtRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedMood {
    pub key: String,
    pub at: i64,
    pub score: u8,
    pub emotions: Vec<String>,
    pub sleep_hours: Option<f64>,
    pub activities: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAssessment {
    pub key: String,
    pub instrument: crate::assessments::InstrumentId,
    pub taken_at: i64,
    pub answers: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedGoal {
    pub key: String,
    pub goal: crate::goals::GoalContent,
    /// (day, note)
    pub checkins: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub entries: Vec<ImportedEntry>,
    pub moods: Vec<ImportedMood>,
    pub assessments: Vec<ImportedAssessment>,
    pub goals: Vec<ImportedGoal>,
    pub safety_plan: Option<crate::safety_plan::SafetyPlan>,
    /// The person's own check-in activities, in their order (our own format only).
    pub activities: Option<Vec<String>>,
    pub custom_prompts: Vec<crate::prompts::CustomPrompt>,
    /// Photos and other attachments left out (Day One).
    pub skipped_attachments: usize,
}

impl Batch {
    /// Imported text keeps to the same free-text rule as text written here
    /// ([`crate::validate::multi_line`]): another app's export may carry control characters a
    /// person never saw, and they should arrive as the words alone.
    pub fn tidy(&mut self) {
        use crate::validate::{multi_line as multi, single_line as single};
        let singles = |list: &mut Vec<String>| list.iter_mut().for_each(|s| *s = single(s));
        for e in &mut self.entries {
            e.title = single(&e.title);
            e.body = multi(&e.body);
            singles(&mut e.tags);
            if let Some(r) = &mut e.thought_record {
                for text in [&mut r.situation, &mut r.thoughts, &mut r.evidence_for, &mut r.evidence_against] {
                    *text = multi(text);
                }
                r.balanced_thought = multi(&r.balanced_thought);
                singles(&mut r.distortions);
                for f in r.emotions.iter_mut().chain(r.rerated.iter_mut()) {
                    f.name = single(&f.name);
                }
            }
        }
        for m in &mut self.moods {
            singles(&mut m.emotions);
            singles(&mut m.activities);
            m.note = multi(&m.note);
        }
        for g in &mut self.goals {
            g.goal.title = single(&g.goal.title);
            g.goal.why = multi(&g.goal.why);
            g.goal.category = single(&g.goal.category);
            for (_, note) in &mut g.checkins {
                *note = multi(note);
            }
        }
        if let Some(p) = &mut self.safety_plan {
            for list in [
                &mut p.warning_signs,
                &mut p.internal_coping,
                &mut p.distraction_places,
                &mut p.means_safety,
                &mut p.reasons_for_living,
            ] {
                singles(list);
            }
            for c in p.distraction_people.iter_mut().chain(&mut p.help_people).chain(&mut p.professionals) {
                c.name = single(&c.name);
                c.phone = single(&c.phone);
            }
        }
        for c in &mut self.custom_prompts {
            c.text = multi(&c.text);
            c.category = single(&c.category);
        }
    }

    /// The first and last day in the file.
    pub fn date_range(&self) -> Option<(String, String)> {
        let days = self
            .entries
            .iter()
            .map(|e| e.date.clone())
            .chain(self.moods.iter().filter_map(|m| crate::time_util::rfc3339(m.at).get(..10).map(str::to_owned)));
        let (mut lo, mut hi): (Option<String>, Option<String>) = (None, None);
        for d in days {
            if lo.as_ref().is_none_or(|l| &d < l) {
                lo = Some(d.clone());
            }
            if hi.as_ref().is_none_or(|h| &d > h) {
                hi = Some(d);
            }
        }
        lo.zip(hi)
    }
}

/// Why a file was refused: where, and what is wrong, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// "line 12", "entries[3].creationDate", "Journal.json" …
    pub location: String,
    pub message: String,
}

impl ImportError {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self { location: location.into(), message: message.into() }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// A stable key for a record from its format and identifying fields.
pub fn key(format: Format, parts: &[&str]) -> String {
    let mut buf = Vec::new();
    for p in std::iter::once(format.as_str()).chain(parts.iter().copied()) {
        buf.extend_from_slice(&(p.len() as u64).to_be_bytes());
        buf.extend_from_slice(p.as_bytes());
    }
    journal_crypto::sha256(&buf)[..16].iter().map(|b| format!("{b:02x}")).collect()
}
