//! The challenge log: a CBT thought record (docs/CLINICAL.md §9) stored as a journal entry, so
//! it is encrypted under its own entry key, searchable, and shareable like any entry.

use serde::{Deserialize, Serialize};

use crate::validate::ValidationError;

/// Thinking traps, with the definitions written for this project (docs/CLINICAL.md §9b).
pub struct Distortion {
    pub slug: &'static str,
    pub name: &'static str,
    pub definition: &'static str,
    pub example: &'static str,
}

pub const DISTORTIONS: &[Distortion] = &[
    Distortion {
        slug: "all-or-nothing",
        name: "All-or-nothing thinking",
        definition: "Seeing things in two extremes with no middle ground",
        example: "If it's not perfect, it's a failure.",
    },
    Distortion {
        slug: "overgeneralization",
        name: "Overgeneralization",
        definition: "Treating one event as a never-ending pattern (\u{201c}always\u{201d}, \u{201c}never\u{201d})",
        example: "I got rejected; nobody will ever want me.",
    },
    Distortion {
        slug: "mental-filter",
        name: "Mental filter",
        definition: "Dwelling on one negative detail so the whole situation looks dark",
        example: "Fixating on one critical comment in a good review",
    },
    Distortion {
        slug: "discounting-positive",
        name: "Disqualifying the positive",
        definition: "Dismissing good things as not counting",
        example: "They only said that to be nice.",
    },
    Distortion {
        slug: "mind-reading",
        name: "Mind reading",
        definition: "Assuming you know what others think, usually negative",
        example: "She thinks I'm boring.",
    },
    Distortion {
        slug: "fortune-telling",
        name: "Fortune telling",
        definition: "Predicting a bad outcome and treating it as fact",
        example: "I'll fail the interview.",
    },
    Distortion {
        slug: "catastrophizing",
        name: "Catastrophizing",
        definition: "Blowing a problem up to the worst possible outcome",
        example: "This headache must be a tumour.",
    },
    Distortion {
        slug: "magnification-negative",
        name: "Magnifying the negative",
        definition: "Judging a situation only by what went wrong",
        example: "I skipped one run, so the week was wasted.",
    },
    Distortion {
        slug: "emotional-reasoning",
        name: "Emotional reasoning",
        definition: "Taking a feeling as proof of a fact",
        example: "I feel guilty, so I must have done wrong.",
    },
    Distortion {
        slug: "should-statements",
        name: "Should and must statements",
        definition: "Rigid rules for yourself or others that produce guilt or anger",
        example: "I should be over this by now.",
    },
    Distortion {
        slug: "labeling",
        name: "Labeling",
        definition: "Attaching a global label to a person because of one behaviour",
        example: "I'm an idiot.",
    },
    Distortion {
        slug: "personalization",
        name: "Personalization (self-blame)",
        definition: "Taking responsibility for events outside your control",
        example: "My son failed because I'm a bad parent.",
    },
    Distortion {
        slug: "other-blaming",
        name: "Blaming others",
        definition: "Putting all responsibility on someone else and ignoring your own part or options",
        example: "It's entirely their fault I'm miserable.",
    },
];

pub fn distortion(slug: &str) -> Option<&'static Distortion> {
    DISTORTIONS.iter().find(|d| d.slug == slug)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feeling {
    pub name: String,
    /// 0–100
    pub intensity: u8,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThoughtRecord {
    pub situation: String,
    pub thoughts: String,
    #[serde(default)]
    pub emotions: Vec<Feeling>,
    #[serde(default)]
    pub distortions: Vec<String>,
    #[serde(default)]
    pub evidence_for: String,
    #[serde(default)]
    pub evidence_against: String,
    #[serde(default)]
    pub balanced_thought: String,
    /// The same feelings rated again at the end.
    #[serde(default)]
    pub rerated: Vec<Feeling>,
}

const MAX_TEXT: usize = 5_000;
const MAX_FEELINGS: usize = 10;

fn text(field: &'static str, value: &str, required: bool, label: &str) -> Result<String, ValidationError> {
    let v = crate::validate::multi_line(value);
    let v = v.trim();
    if required && v.is_empty() {
        return Err(ValidationError::new(field, format!("Please write a few words about {label}.")));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(ValidationError::new(field, format!("Please keep {label} under {MAX_TEXT} characters.")));
    }
    Ok(v.to_owned())
}

fn feelings(field: &'static str, list: &[Feeling]) -> Result<Vec<Feeling>, ValidationError> {
    if list.len() > MAX_FEELINGS {
        return Err(ValidationError::new(field, format!("Up to {MAX_FEELINGS} feelings, please.")));
    }
    let mut out = Vec::with_capacity(list.len());
    for f in list {
        let name = crate::validate::single_line(&f.name);
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        if name.chars().count() > 60 {
            return Err(ValidationError::new(field, "A feeling's name can be up to 60 characters."));
        }
        if f.intensity > 100 {
            return Err(ValidationError::new(field, "Rate each feeling from 0 to 100."));
        }
        out.push(Feeling { name: name.to_owned(), intensity: f.intensity });
    }
    Ok(out)
}

impl ThoughtRecord {
    /// Trims and checks every part; the message names the part to fix.
    pub fn validated(&self) -> Result<ThoughtRecord, ValidationError> {
        let mut distortions = Vec::new();
        for d in &self.distortions {
            if distortion(d).is_none() {
                return Err(ValidationError::new(
                    "distortions",
                    format!("\u{201c}{d}\u{201d} is not one of the thinking traps."),
                ));
            }
            if !distortions.contains(d) {
                distortions.push(d.clone());
            }
        }
        Ok(ThoughtRecord {
            situation: text("situation", &self.situation, true, "what happened")?,
            thoughts: text("thoughts", &self.thoughts, true, "the thoughts that came up")?,
            emotions: feelings("emotions", &self.emotions)?,
            distortions,
            evidence_for: text("evidence_for", &self.evidence_for, false, "the evidence for the thought")?,
            evidence_against: text("evidence_against", &self.evidence_against, false, "the evidence against it")?,
            balanced_thought: text("balanced_thought", &self.balanced_thought, false, "the balanced thought")?,
            rerated: feelings("rerated", &self.rerated)?,
        })
    }

    /// The entry's title: the start of the situation.
    pub fn title(&self) -> String {
        let first = self.situation.lines().next().unwrap_or("").trim();
        let mut t: String = first.chars().take(80).collect();
        if first.chars().count() > 80 {
            t.push('…');
        }
        format!("Thought record: {t}")
    }

    /// A readable Markdown version, stored as the entry's body so search, export and sharing
    /// see the whole record.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let feelings = |list: &[Feeling]| {
            list.iter().map(|f| format!("- {} ({}/100)", f.name, f.intensity)).collect::<Vec<_>>().join("\n")
        };
        let mut section = |title: &str, body: &str| {
            if !body.trim().is_empty() {
                md.push_str(&format!("## {title}\n\n{}\n\n", body.trim()));
            }
        };
        section("Situation", &self.situation);
        section("Feelings", &feelings(&self.emotions));
        section("Thoughts", &self.thoughts);
        let traps: Vec<String> =
            self.distortions.iter().filter_map(|d| distortion(d)).map(|d| format!("- {}", d.name)).collect();
        section("Thinking traps", &traps.join("\n"));
        section("Evidence for the thought", &self.evidence_for);
        section("Evidence against the thought", &self.evidence_against);
        section("A more balanced thought", &self.balanced_thought);
        section("Feelings now", &feelings(&self.rerated));
        md.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_checked_and_written_out() {
        let r = ThoughtRecord {
            situation: "  Meeting ran late and my manager frowned.  ".into(),
            thoughts: "She thinks I'm useless.".into(),
            emotions: vec![
                Feeling { name: "anxious".into(), intensity: 80 },
                Feeling { name: " ".into(), intensity: 5 },
            ],
            distortions: vec!["mind-reading".into(), "mind-reading".into()],
            balanced_thought: "She may have been thinking about something else.".into(),
            rerated: vec![Feeling { name: "anxious".into(), intensity: 40 }],
            ..Default::default()
        };
        let v = r.validated().unwrap();
        assert_eq!(v.situation, "Meeting ran late and my manager frowned.");
        assert_eq!(v.emotions.len(), 1, "empty feelings are dropped");
        assert_eq!(v.distortions, ["mind-reading"]);
        let md = v.to_markdown();
        assert!(md.contains("## Thinking traps\n\n- Mind reading"));
        assert!(md.contains("- anxious (80/100)") && md.contains("- anxious (40/100)"));
        assert!(!md.contains("Evidence for"), "empty parts are left out");
        assert_eq!(v.title(), "Thought record: Meeting ran late and my manager frowned.");

        let bad = ThoughtRecord { distortions: vec!["gloom".into()], ..r.clone() };
        assert_eq!(bad.validated().unwrap_err().field, "distortions");
        let hot = ThoughtRecord { emotions: vec![Feeling { name: "sad".into(), intensity: 101 }], ..r.clone() };
        assert_eq!(hot.validated().unwrap_err().field, "emotions");
        let empty = ThoughtRecord { situation: " ".into(), ..r };
        assert_eq!(empty.validated().unwrap_err().field, "situation");
    }

    #[test]
    fn every_trap_from_the_clinical_list_is_offered() {
        assert_eq!(DISTORTIONS.len(), 13);
        assert!(distortion("catastrophizing").is_some() && distortion("personalization").is_some());
    }
}
