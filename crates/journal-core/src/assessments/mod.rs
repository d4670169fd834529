//! Standard questionnaires, scored exactly as published (docs/CLINICAL.md §1–5, §7): the registry
//! of every instrument the app knows, with its item wording, answer options, LOINC codes where
//! verified, totals, severity bands, screening cut-offs, the change thresholds used in
//! measurement-based care, its licence notice and whether it may be offered. Clinical content
//! lives here and nowhere else.

pub mod alerts;
mod gad7;
mod phq9;
mod pss10;
pub mod schedule;
mod short_forms;
mod who5;

use serde::{Deserialize, Serialize};

use crate::validate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentId {
    Phq9,
    Gad7,
    Who5,
    Phq2,
    Gad2,
    Phq4,
    Pss10,
}

impl InstrumentId {
    /// The registry: every instrument the app knows, in the order they are listed.
    pub const ALL: [InstrumentId; 7] = [
        InstrumentId::Phq9,
        InstrumentId::Gad7,
        InstrumentId::Who5,
        InstrumentId::Phq4,
        InstrumentId::Phq2,
        InstrumentId::Gad2,
        InstrumentId::Pss10,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phq9 => "phq9",
            Self::Gad7 => "gad7",
            Self::Who5 => "who5",
            Self::Phq2 => "phq2",
            Self::Gad2 => "gad2",
            Self::Phq4 => "phq4",
            Self::Pss10 => "pss10",
        }
    }

    /// The short name people know it by ("PHQ-9"), for reasons and summaries.
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Phq9 => "PHQ-9",
            Self::Gad7 => "GAD-7",
            Self::Who5 => "WHO-5",
            Self::Phq2 => "PHQ-2",
            Self::Gad2 => "GAD-2",
            Self::Phq4 => "PHQ-4",
            Self::Pss10 => "PSS-10",
        }
    }

    pub fn instrument(self) -> &'static Instrument {
        match self {
            Self::Phq9 => &phq9::PHQ9,
            Self::Gad7 => &gad7::GAD7,
            Self::Who5 => &who5::WHO5,
            Self::Phq2 => &short_forms::PHQ2,
            Self::Gad2 => &short_forms::GAD2,
            Self::Phq4 => &short_forms::PHQ4,
            Self::Pss10 => &pss10::PSS10,
        }
    }

    /// Whether this journal offers it: `disabled` lists what the operator turned off (WHO-5),
    /// `enabled` what they turned on after confirming its licence (PSS-10).
    pub fn offered(self, enabled: &[InstrumentId], disabled: &[InstrumentId]) -> bool {
        match self.instrument().offer {
            Offer::Always => true,
            Offer::UnlessDisabled => !disabled.contains(&self),
            Offer::WhenEnabled => enabled.contains(&self),
        }
    }
}

/// Ids as a person would read them in an error: "phq9, gad7 or who5".
pub fn id_list(ids: &[InstrumentId]) -> String {
    let names: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// When an instrument may be offered, which follows from its licence (docs/CLINICAL.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Offer {
    /// Free to use without permission.
    Always,
    /// Offered unless the operator turns it off (`--disable-who5`): non-commercial licences.
    UnlessDisabled,
    /// Offered only when the operator turns it on (`--enable-instrument ID`) after confirming
    /// they may use it.
    WhenEnabled,
}

/// A screening cut-off over some of the items: a short form's total, or one of the PHQ-4's
/// two-item subscales. At or above `positive_at`, the full instrument in `follow_up` is offered.
#[derive(Debug, Serialize)]
pub struct Screen {
    /// `depression` or `anxiety`.
    pub key: &'static str,
    pub label: &'static str,
    /// The items it adds up, counting from 1.
    pub items: &'static [usize],
    pub positive_at: u8,
    pub follow_up: Option<InstrumentId>,
}

/// One screen's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreenResult {
    pub key: &'static str,
    pub label: &'static str,
    pub total: u8,
    pub positive: bool,
}

#[derive(Debug, Serialize)]
pub struct AnswerOption {
    pub value: u8,
    pub label: &'static str,
    /// LOINC answer code, when the instrument has them.
    pub loinc: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Item {
    pub text: &'static str,
    pub loinc: Option<&'static str>,
}

/// A band of totals, as closed ranges of the reported total.
#[derive(Debug, Serialize)]
pub struct Band {
    pub min: u8,
    pub max: u8,
    pub severity: &'static str,
    pub label: &'static str,
}

/// How much change counts, and which way is better. An instrument with no published threshold
/// has `None`: its changes are shown, never called reliable.
#[derive(Debug, Serialize)]
pub struct ChangeRule {
    /// |Δ| at or above this is a reliable change.
    pub reliable: Option<u8>,
    /// |Δ| at or above this is clinically important.
    pub clinically_important: Option<u8>,
    pub lower_is_better: bool,
    /// Where the thresholds come from.
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Instrument {
    pub id: InstrumentId,
    pub title: &'static str,
    pub stem: &'static str,
    pub items: &'static [Item],
    pub options: &'static [AnswerOption],
    /// PHQ-9's difficulty question: recorded, never added to the total.
    pub extra_item: Option<(&'static Item, &'static [AnswerOption])>,
    pub panel_loinc: Option<&'static str>,
    pub total_loinc: Option<&'static str>,
    pub bands: &'static [Band],
    pub change: ChangeRule,
    /// Multiplier from the raw sum to the reported total (WHO-5 reports raw × 4).
    pub total_factor: u8,
    /// Items scored in reverse (highest option counts 0), counting from 1: PSS-10's positively
    /// worded items.
    pub reverse_scored: &'static [usize],
    /// Screening cut-offs, for the short forms.
    pub screens: &'static [Screen],
    /// The licence notice, shown under the form and the result.
    pub copyright: &'static str,
    pub offer: Offer,
    /// The published source of the items and scoring (docs/CLINICAL.md has the full reference).
    pub source: &'static str,
}

/// A scored result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: u8,
    pub severity: &'static str,
    /// PHQ-9 item 9 above 0, whatever the total (CLINICAL.md §1).
    pub self_harm: bool,
    /// The short forms' screens (CLINICAL.md §3a); empty for the others.
    pub screens: Vec<ScreenResult>,
    /// Full instruments to offer next: a positive screen's follow-up.
    pub next: Vec<InstrumentId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Worsened,
    Unchanged,
}

impl Direction {
    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::Improved => "improved",
            Direction::Worsened => "worsened",
            Direction::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub previous_total: u8,
    pub delta: i16,
    pub reliable: bool,
    pub clinically_important: bool,
    pub direction: Direction,
    /// PHQ-9 only: at least 50 % below the first PHQ-9 (the baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<bool>,
    /// PHQ-9 only: total below 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remission: Option<bool>,
}

impl Instrument {
    /// Checks every answer and scores them. Errors name the question, counting from 1.
    pub fn score(&self, answers: &[i64]) -> Result<Score, ValidationError> {
        let n = self.items.len();
        let allowed = if self.extra_item.is_some() { n..=n + 1 } else { n..=n };
        if !allowed.contains(&answers.len()) {
            let expected = if self.extra_item.is_some() {
                format!("{n} answers (or {} with the last question)", n + 1)
            } else {
                format!("{n} answers")
            };
            return Err(ValidationError::new(
                "answers",
                format!("{} needs {expected}; {} were given.", self.title, answers.len()),
            ));
        }
        let max = self.options.iter().map(|o| o.value).max().unwrap_or(0);
        let mut raw: u16 = 0;
        for (i, &a) in answers.iter().enumerate() {
            let (limit, what) = match (i >= n, self.extra_item) {
                (true, Some((_, extra))) => (extra.iter().map(|o| o.value).max().unwrap_or(0), "the last question"),
                _ => (max, ""),
            };
            if a < 0 || a > i64::from(limit) {
                let which =
                    if what.is_empty() { format!("Question {}", i + 1) } else { "The last question".to_owned() };
                return Err(ValidationError::new("answers", format!("{which} needs an answer from 0 to {limit}.")));
            }
            if i < n {
                raw += self.item_score(i, a as u8) as u16;
            }
        }
        let total = (raw * u16::from(self.total_factor)).min(255) as u8;
        let severity = self.bands.iter().find(|b| (b.min..=b.max).contains(&total)).map(|b| b.severity).unwrap_or("");
        let self_harm = self.id == InstrumentId::Phq9 && answers.get(8).is_some_and(|&a| a > 0);
        let screens: Vec<ScreenResult> = self
            .screens
            .iter()
            .map(|s| {
                let sub: u16 = s
                    .items
                    .iter()
                    .filter_map(|&n| answers.get(n - 1))
                    .map(|&a| u16::from(self.item_score(n_index(n), a as u8)))
                    .sum();
                let total = sub.min(255) as u8;
                ScreenResult { key: s.key, label: s.label, total, positive: total >= s.positive_at }
            })
            .collect();
        let mut next = Vec::new();
        for (s, r) in self.screens.iter().zip(&screens) {
            if let (true, Some(f)) = (r.positive, s.follow_up)
                && !next.contains(&f)
            {
                next.push(f);
            }
        }
        Ok(Score { total, severity, self_harm, screens, next })
    }

    /// An answer's contribution to the total: reversed for reverse-scored items (0 = 4, 1 = 3, …).
    fn item_score(&self, index: usize, answer: u8) -> u8 {
        if self.reverse_scored.contains(&(index + 1)) {
            let max = self.options.iter().map(|o| o.value).max().unwrap_or(0);
            max.saturating_sub(answer)
        } else {
            answer
        }
    }

    /// The largest total it can report.
    pub fn max_total(&self) -> u16 {
        u16::from(self.options.iter().map(|o| o.value).max().unwrap_or(0))
            * self.items.len() as u16
            * u16::from(self.total_factor)
    }

    /// Change against the previous result of the same instrument (`baseline` is the first one).
    pub fn change(&self, total: u8, previous: u8, baseline: u8) -> Change {
        let delta = i16::from(total) - i16::from(previous);
        let size = delta.unsigned_abs();
        let better = if self.change.lower_is_better { delta < 0 } else { delta > 0 };
        let direction = match delta {
            0 => Direction::Unchanged,
            _ if better => Direction::Improved,
            _ => Direction::Worsened,
        };
        let phq9 = self.id == InstrumentId::Phq9;
        Change {
            previous_total: previous,
            delta,
            reliable: self.change.reliable.is_some_and(|t| size >= u16::from(t)),
            clinically_important: self.change.clinically_important.is_some_and(|t| size >= u16::from(t)),
            direction,
            response: phq9.then(|| baseline > 0 && u16::from(total) * 2 <= u16::from(baseline)),
            remission: phq9.then_some(total < 5),
        }
    }
}

/// Screens name items counting from 1.
fn n_index(n: usize) -> usize {
    n - 1
}

/// The notice Pfizer asks to keep with the PHQ and GAD instruments (CLINICAL.md §4).
pub(crate) const PFIZER_NOTICE: &str = "Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.";

/// The PHQ/GAD answer scale (CLINICAL.md §1; LOINC answer list LL358-3).
pub(crate) const FREQUENCY: &[AnswerOption] = &[
    AnswerOption { value: 0, label: "Not at all", loinc: Some("LA6568-5") },
    AnswerOption { value: 1, label: "Several days", loinc: Some("LA6569-3") },
    AnswerOption { value: 2, label: "More than half the days", loinc: Some("LA6570-1") },
    AnswerOption { value: 3, label: "Nearly every day", loinc: Some("LA6571-9") },
];

#[cfg(test)]
mod tests;
