//! Crisis lines shipped with the app (docs/CLINICAL.md §11), so help is listed even offline and
//! without calling any third party. Numbers must be re-checked at every release.

use serde::Serialize;

/// When this list was last compared with docs/CLINICAL.md §11.
pub const LAST_REVIEWED: &str = "2026-11-27";

#[derive(Debug, Clone, Copy, Serialize)]
pub struct CrisisLine {
    /// ISO 3166-1 alpha-2 country codes this line serves; empty means international.
    pub countries: &'static [&'static str],
    pub region: &'static str,
    pub name: &'static str,
    pub how: &'static str,
    /// `tel:` or `sms:` link target, when one tap can reach it.
    pub href: Option<&'static str>,
    pub website: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct EmergencyNumber {
    pub region: &'static str,
    pub number: &'static str,
}

pub const EMERGENCY_NUMBERS: &[EmergencyNumber] = &[
    EmergencyNumber { region: "United States and Canada", number: "911" },
    EmergencyNumber { region: "United Kingdom", number: "999" },
    EmergencyNumber { region: "European Union", number: "112" },
    EmergencyNumber { region: "Australia", number: "000" },
];

pub const CRISIS_LINES: &[CrisisLine] = &[
    CrisisLine {
        countries: &["US"],
        region: "United States",
        name: "988 Suicide & Crisis Lifeline",
        how: "Call or text 988, any time. Chat at 988lifeline.org.",
        href: Some("tel:988"),
        website: Some("https://988lifeline.org"),
    },
    CrisisLine {
        countries: &["US"],
        region: "United States",
        name: "Crisis Text Line",
        how: "Text HOME to 741741.",
        href: Some("sms:741741"),
        website: None,
    },
    CrisisLine {
        countries: &["CA"],
        region: "Canada",
        name: "9-8-8 Suicide Crisis Helpline",
        how: "Call or text 9-8-8, any time, in English or French.",
        href: Some("tel:988"),
        website: None,
    },
    CrisisLine {
        countries: &["GB", "IE"],
        region: "United Kingdom and Ireland",
        name: "Samaritans",
        how: "Call 116 123, free, day or night. Email jo@samaritans.org.",
        href: Some("tel:116123"),
        website: Some("https://www.samaritans.org"),
    },
    CrisisLine {
        countries: &["GB"],
        region: "United Kingdom",
        name: "Shout",
        how: "Text SHOUT to 85258.",
        href: Some("sms:85258"),
        website: None,
    },
    CrisisLine {
        countries: &["AU"],
        region: "Australia",
        name: "Lifeline",
        how: "Call 13 11 14 or text 0477 13 11 14, any time.",
        href: Some("tel:131114"),
        website: None,
    },
    CrisisLine {
        countries: &[],
        region: "Other countries",
        name: "Find A Helpline",
        how: "Free, confidential helplines in more than 130 countries.",
        href: None,
        website: Some("https://findahelpline.com"),
    },
];
