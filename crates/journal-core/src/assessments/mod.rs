//! Standard questionnaires, scored exactly as published (docs/CLINICAL.md §1–3, §7): item
//! wording, answer options, LOINC codes, totals, severity bands and the change thresholds used in
//! measurement-based care. Clinical content lives here and nowhere else.

mod gad7;
mod phq9;
mod who5;

use serde::Serialize;

use crate::validate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentId {
    Phq9,
    Gad7,
    Who5,
}

impl InstrumentId {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "phq9" => Some(Self::Phq9),
            "gad7" => Some(Self::Gad7),
            "who5" => Some(Self::Who5),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phq9 => "phq9",
            Self::Gad7 => "gad7",
            Self::Who5 => "who5",
        }
    }

    /// The short name people know it by ("PHQ-9"), for reasons and summaries.
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Phq9 => "PHQ-9",
            Self::Gad7 => "GAD-7",
            Self::Who5 => "WHO-5",
        }
    }

    pub fn instrument(self) -> &'static Instrument {
        match self {
            Self::Phq9 => &phq9::PHQ9,
            Self::Gad7 => &gad7::GAD7,
            Self::Who5 => &who5::WHO5,
        }
    }
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

/// How much change counts, and which way is better.
#[derive(Debug, Serialize)]
pub struct ChangeRule {
    /// |Δ| at or above this is a reliable change.
    pub reliable: u8,
    /// |Δ| at or above this is clinically important.
    pub clinically_important: u8,
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
    pub copyright: &'static str,
}

/// A scored result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: u8,
    pub severity: &'static str,
    /// PHQ-9 item 9 above 0, whatever the total (CLINICAL.md §1).
    pub self_harm: bool,
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
                raw += a as u16;
            }
        }
        let total = (raw * u16::from(self.total_factor)).min(255) as u8;
        let severity = self.bands.iter().find(|b| (b.min..=b.max).contains(&total)).map(|b| b.severity).unwrap_or("");
        let self_harm = self.id == InstrumentId::Phq9 && answers.get(8).is_some_and(|&a| a > 0);
        Ok(Score { total, severity, self_harm })
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
            reliable: size >= u16::from(self.change.reliable),
            clinically_important: size >= u16::from(self.change.clinically_important),
            direction,
            response: phq9.then(|| baseline > 0 && u16::from(total) * 2 <= u16::from(baseline)),
            remission: phq9.then_some(total < 5),
        }
    }
}

/// The PHQ/GAD answer scale (CLINICAL.md §1; LOINC answer list LL358-3).
pub(crate) const FREQUENCY: &[AnswerOption] = &[
    AnswerOption { value: 0, label: "Not at all", loinc: Some("LA6568-5") },
    AnswerOption { value: 1, label: "Several days", loinc: Some("LA6569-3") },
    AnswerOption { value: 2, label: "More than half the days", loinc: Some("LA6570-1") },
    AnswerOption { value: 3, label: "Nearly every day", loinc: Some("LA6571-9") },
];

#[cfg(test)]
mod tests;
