//! A personal safety plan with the structure of Stanley & Brown's Safety Planning Intervention
//! (Cogn Behav Pract 2012;19:256–264): six steps plus reasons for living, in our own words
//! (docs/CLINICAL.md §8; the official template is not reproduced).

use serde::{Deserialize, Serialize};

use crate::validate::{ValidationError, single_line};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyPlan {
    #[serde(default)]
    pub warning_signs: Vec<String>,
    #[serde(default)]
    pub internal_coping: Vec<String>,
    #[serde(default)]
    pub distraction_people: Vec<Contact>,
    #[serde(default)]
    pub distraction_places: Vec<String>,
    #[serde(default)]
    pub help_people: Vec<Contact>,
    #[serde(default)]
    pub professionals: Vec<Contact>,
    #[serde(default)]
    pub means_safety: Vec<String>,
    #[serde(default)]
    pub reasons_for_living: Vec<String>,
}

/// The steps in order, with our wording: (field, heading, what to write).
pub const STEPS: &[(&str, &str, &str)] = &[
    (
        "warning_signs",
        "1. Signs that a hard time is building",
        "Thoughts, feelings, situations or habits that tell you things are getting harder, and that it's time to use this plan.",
    ),
    (
        "internal_coping",
        "2. Things I can do on my own",
        "Small things that help you through a difficult moment without needing anyone else: a walk, music, a shower, breathing slowly.",
    ),
    (
        "distraction",
        "3. People and places that take my mind off things",
        "People to be around and places to go. You don't have to tell them how you feel; being there is enough.",
    ),
    (
        "help_people",
        "4. People I can ask for help",
        "People you trust enough to tell that you're struggling, and how to reach them.",
    ),
    (
        "professionals",
        "5. Professionals I can contact",
        "Your therapist or doctor, an out-of-hours service, the nearest emergency department. Crisis lines are listed below.",
    ),
    (
        "means_safety",
        "6. Making where I am safer",
        "Ways to put distance between you and anything you could use to hurt yourself, and who could help with that.",
    ),
    (
        "reasons_for_living",
        "What I'm living for",
        "People, hopes, plans and small things that matter to you, even on the hardest days.",
    ),
];

pub const MAX_ITEMS: usize = 20;
pub const MAX_ITEM_CHARS: usize = 500;

fn items(field: &'static str, list: &[String]) -> Result<Vec<String>, ValidationError> {
    let out: Vec<String> = list.iter().map(|s| single_line(s).trim().to_owned()).filter(|s| !s.is_empty()).collect();
    if out.len() > MAX_ITEMS {
        return Err(ValidationError::new(field, format!("Up to {MAX_ITEMS} lines in each step, please.")));
    }
    if out.iter().any(|s| s.chars().count() > MAX_ITEM_CHARS) {
        return Err(ValidationError::new(field, format!("Please keep each line under {MAX_ITEM_CHARS} characters.")));
    }
    Ok(out)
}

fn contacts(field: &'static str, list: &[Contact]) -> Result<Vec<Contact>, ValidationError> {
    let out: Vec<Contact> = list
        .iter()
        .map(|c| Contact {
            name: single_line(&c.name).trim().to_owned(),
            phone: single_line(&c.phone).trim().to_owned(),
        })
        .filter(|c| !c.name.is_empty() || !c.phone.is_empty())
        .collect();
    if out.len() > MAX_ITEMS {
        return Err(ValidationError::new(field, format!("Up to {MAX_ITEMS} people in each step, please.")));
    }
    for c in &out {
        if c.name.chars().count() > 200 || c.phone.chars().count() > 60 {
            return Err(ValidationError::new(field, "Please keep names under 200 characters and numbers under 60."));
        }
        if c.name.is_empty() {
            return Err(ValidationError::new(field, "Please add a name next to each number."));
        }
    }
    Ok(out)
}

impl SafetyPlan {
    pub fn validated(&self) -> Result<SafetyPlan, ValidationError> {
        Ok(SafetyPlan {
            warning_signs: items("warning_signs", &self.warning_signs)?,
            internal_coping: items("internal_coping", &self.internal_coping)?,
            distraction_people: contacts("distraction_people", &self.distraction_people)?,
            distraction_places: items("distraction_places", &self.distraction_places)?,
            help_people: contacts("help_people", &self.help_people)?,
            professionals: contacts("professionals", &self.professionals)?,
            means_safety: items("means_safety", &self.means_safety)?,
            reasons_for_living: items("reasons_for_living", &self.reasons_for_living)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == SafetyPlan::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_trimmed_and_checked() {
        let plan = SafetyPlan {
            warning_signs: vec!["  Not sleeping ".into(), "".into()],
            help_people: vec![
                Contact { name: "Sam".into(), phone: " 07700 900123 ".into() },
                Contact { name: " ".into(), phone: "".into() },
            ],
            ..Default::default()
        };
        let v = plan.validated().unwrap();
        assert_eq!(v.warning_signs, ["Not sleeping"]);
        assert_eq!(v.help_people, [Contact { name: "Sam".into(), phone: "07700 900123".into() }]);
        let nameless =
            SafetyPlan { professionals: vec![Contact { name: "".into(), phone: "111".into() }], ..Default::default() };
        assert_eq!(nameless.validated().unwrap_err().field, "professionals");
        let long = SafetyPlan { means_safety: vec!["x".repeat(501)], ..Default::default() };
        assert_eq!(long.validated().unwrap_err().field, "means_safety");
        assert!(SafetyPlan::default().is_empty());
        assert_eq!(STEPS.len(), 7, "six steps and reasons for living");
    }
}
