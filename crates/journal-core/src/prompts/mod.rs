//! The prompt library (`library.toml`, wording written for this project and reviewed for tone),
//! the person's own prompt book (custom prompts, pins, skips, answers; encrypted as a record), and
//! the engine that picks three prompts a day and says why.

mod engine;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub use engine::{Homework, Signals, Suggestion, TrendSignal, choose};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeOfDay {
    Any,
    Morning,
    Evening,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub id: String,
    pub category: String,
    pub time: TimeOfDay,
    pub text: String,
    /// Especially gentle: suited to a stretch of lower mood.
    #[serde(default)]
    pub low_mood: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    pub category: Vec<Category>,
    pub prompt: Vec<Prompt>,
}

static LIBRARY: LazyLock<Library> = LazyLock::new(|| {
    // A unit test parses the same file, so a broken library fails the build's tests, not a user.
    toml::from_str(include_str!("library.toml")).unwrap_or_default()
});

pub fn library() -> &'static Library {
    &LIBRARY
}

pub fn category(id: &str) -> Option<&'static Category> {
    LIBRARY.category.iter().find(|c| c.id == id)
}

pub fn prompt(id: &str) -> Option<&'static Prompt> {
    LIBRARY.prompt.iter().find(|p| p.id == id)
}

pub const MAX_CUSTOM_PROMPT_CHARS: usize = 500;
pub const MAX_CUSTOM_PROMPTS: usize = 200;

/// A prompt the person wrote for themselves. Its id starts with `my-`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomPrompt {
    pub id: String,
    pub text: String,
    pub category: String,
    /// `YYYY-MM-DD`
    pub created_on: String,
}

/// Everything personal about prompts, kept together in one encrypted record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PromptBook {
    #[serde(default)]
    pub custom: Vec<CustomPrompt>,
    #[serde(default)]
    pub pinned: Vec<String>,
    /// Day (`YYYY-MM-DD`) → prompts skipped that day; only today's matter.
    #[serde(default)]
    pub skipped: BTreeMap<String, Vec<String>>,
    /// Prompt id → the last day it was answered.
    #[serde(default)]
    pub answered: BTreeMap<String, String>,
    /// The next (or latest) therapy session, `YYYY-MM-DD`, if the person set one.
    #[serde(default)]
    pub session_date: Option<String>,
}

impl PromptBook {
    /// Forgets skips from before `today`, so the record never grows with time.
    pub fn tidy(&mut self, today: &str) {
        self.skipped.retain(|day, _| day.as_str() >= today);
    }

    pub fn custom(&self, id: &str) -> Option<&CustomPrompt> {
        self.custom.iter().find(|c| c.id == id)
    }

    /// The text and category of a library or custom prompt.
    pub fn lookup(&self, id: &str) -> Option<(String, String)> {
        if let Some(p) = prompt(id) {
            return Some((p.text.clone(), p.category.clone()));
        }
        self.custom(id).map(|c| (c.text.clone(), c.category.clone()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::*;

    #[test]
    fn the_library_parses_and_covers_every_category() {
        let lib: Library = toml::from_str(include_str!("library.toml")).unwrap();
        assert_eq!(lib.category.len(), 15);
        assert!(lib.prompt.len() >= 150, "{} prompts", lib.prompt.len());
        let ids: BTreeSet<&str> = lib.prompt.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), lib.prompt.len(), "prompt ids are unique");
        let mut per_category: HashMap<&str, usize> = HashMap::new();
        for p in &lib.prompt {
            assert!(lib.category.iter().any(|c| c.id == p.category), "{} has a known category", p.id);
            assert!(!p.text.contains('!') && p.text.chars().count() <= 200, "{} reads calmly", p.id);
            *per_category.entry(p.category.as_str()).or_default() += 1;
        }
        for c in &lib.category {
            assert!(per_category.get(c.id.as_str()).copied().unwrap_or(0) >= 8, "{} has enough prompts", c.id);
            assert!(!c.description.is_empty());
        }
        for wanted in [
            "stress",
            "achievements",
            "intentions",
            "gratitude",
            "hard_day",
            "self_compassion",
            "relationships",
            "boundaries",
            "rest_sleep",
            "body_movement",
            "creativity",
            "joy",
            "values",
            "before_session",
            "after_session",
        ] {
            assert!(category(wanted).is_some(), "{wanted}");
        }
        assert_eq!(library().prompt.len(), lib.prompt.len(), "the embedded copy is the same");
    }

    #[test]
    fn old_skips_are_forgotten() {
        let mut book = PromptBook::default();
        book.skipped.insert("2026-01-01".into(), vec!["joy-01".into()]);
        book.skipped.insert("2026-01-02".into(), vec!["joy-02".into()]);
        book.tidy("2026-01-02");
        assert_eq!(book.skipped.keys().collect::<Vec<_>>(), ["2026-01-02"]);
    }
}
