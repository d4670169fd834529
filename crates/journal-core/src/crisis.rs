//! Crisis lines shipped with the app (docs/CLINICAL.md §11), so help is listed even offline and
//! without calling any third party. Numbers must be re-checked at every release.

use serde::{Deserialize, Serialize};

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
    pub countries: &'static [&'static str],
    pub region: &'static str,
    pub number: &'static str,
}

/// Member states of the European Union, where 112 reaches emergency services.
const EU: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

pub const EMERGENCY_NUMBERS: &[EmergencyNumber] = &[
    EmergencyNumber { countries: &["US", "CA"], region: "United States and Canada", number: "911" },
    EmergencyNumber { countries: &["GB"], region: "United Kingdom", number: "999" },
    EmergencyNumber { countries: EU, region: "European Union", number: "112" },
    EmergencyNumber { countries: &["AU"], region: "Australia", number: "000" },
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

/// Countries a person can choose in settings: those the shipped list has lines or an emergency
/// number for. Anyone else sees every line, with the international directory.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("AU", "Australia"),
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("CA", "Canada"),
    ("HR", "Croatia"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("GR", "Greece"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SK", "Slovakia"),
    ("SI", "Slovenia"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
];

pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// IANA time zones that name one country (as listed in the tz database's `zone.tab`), for a
/// first guess at where someone is when they haven't chosen a country. Zones shared by several
/// countries (UTC, `Etc/…`) are left out on purpose: a wrong guess would put the wrong lines first.
const ZONE_COUNTRIES: &[(&str, &str)] = &[
    // United States
    ("America/New_York", "US"),
    ("America/Detroit", "US"),
    ("America/Kentucky/Louisville", "US"),
    ("America/Kentucky/Monticello", "US"),
    ("America/Indiana/Indianapolis", "US"),
    ("America/Indianapolis", "US"),
    ("America/Chicago", "US"),
    ("America/Menominee", "US"),
    ("America/Denver", "US"),
    ("America/Boise", "US"),
    ("America/Phoenix", "US"),
    ("America/Los_Angeles", "US"),
    ("America/Anchorage", "US"),
    ("America/Juneau", "US"),
    ("America/Adak", "US"),
    ("Pacific/Honolulu", "US"),
    ("US/Eastern", "US"),
    ("US/Central", "US"),
    ("US/Mountain", "US"),
    ("US/Pacific", "US"),
    ("US/Alaska", "US"),
    ("US/Hawaii", "US"),
    // Canada
    ("America/Toronto", "CA"),
    ("America/Montreal", "CA"),
    ("America/Vancouver", "CA"),
    ("America/Edmonton", "CA"),
    ("America/Winnipeg", "CA"),
    ("America/Regina", "CA"),
    ("America/Halifax", "CA"),
    ("America/Moncton", "CA"),
    ("America/St_Johns", "CA"),
    ("America/Whitehorse", "CA"),
    ("America/Yellowknife", "CA"),
    ("America/Iqaluit", "CA"),
    ("Canada/Eastern", "CA"),
    ("Canada/Central", "CA"),
    ("Canada/Mountain", "CA"),
    ("Canada/Pacific", "CA"),
    ("Canada/Atlantic", "CA"),
    ("Canada/Newfoundland", "CA"),
    // United Kingdom and Ireland
    ("Europe/London", "GB"),
    ("Europe/Belfast", "GB"),
    ("GB", "GB"),
    ("Europe/Dublin", "IE"),
    ("Eire", "IE"),
    // Australia
    ("Australia/Sydney", "AU"),
    ("Australia/Melbourne", "AU"),
    ("Australia/Brisbane", "AU"),
    ("Australia/Perth", "AU"),
    ("Australia/Adelaide", "AU"),
    ("Australia/Hobart", "AU"),
    ("Australia/Darwin", "AU"),
    ("Australia/Canberra", "AU"),
    ("Australia/ACT", "AU"),
    ("Australia/NSW", "AU"),
    ("Australia/Lord_Howe", "AU"),
    ("Australia/Broken_Hill", "AU"),
    ("Australia/Lindeman", "AU"),
    ("Australia/Eucla", "AU"),
    // European Union
    ("Europe/Vienna", "AT"),
    ("Europe/Brussels", "BE"),
    ("Europe/Sofia", "BG"),
    ("Europe/Zagreb", "HR"),
    ("Asia/Nicosia", "CY"),
    ("Asia/Famagusta", "CY"),
    ("Europe/Nicosia", "CY"),
    ("Europe/Prague", "CZ"),
    ("Europe/Copenhagen", "DK"),
    ("Europe/Tallinn", "EE"),
    ("Europe/Helsinki", "FI"),
    ("Europe/Paris", "FR"),
    ("Europe/Berlin", "DE"),
    ("Europe/Athens", "GR"),
    ("Europe/Budapest", "HU"),
    ("Europe/Rome", "IT"),
    ("Europe/Riga", "LV"),
    ("Europe/Vilnius", "LT"),
    ("Europe/Luxembourg", "LU"),
    ("Europe/Malta", "MT"),
    ("Europe/Amsterdam", "NL"),
    ("Europe/Warsaw", "PL"),
    ("Europe/Lisbon", "PT"),
    ("Atlantic/Azores", "PT"),
    ("Atlantic/Madeira", "PT"),
    ("Europe/Bucharest", "RO"),
    ("Europe/Bratislava", "SK"),
    ("Europe/Ljubljana", "SI"),
    ("Europe/Madrid", "ES"),
    ("Africa/Ceuta", "ES"),
    ("Atlantic/Canary", "ES"),
    ("Europe/Stockholm", "SE"),
    // Elsewhere: an operator's list (`--crisis-lines`) may know these countries.
    ("Pacific/Auckland", "NZ"),
    ("Asia/Tokyo", "JP"),
    ("Asia/Kolkata", "IN"),
    ("Asia/Calcutta", "IN"),
    ("Asia/Singapore", "SG"),
    ("Asia/Hong_Kong", "HK"),
    ("Africa/Johannesburg", "ZA"),
    ("America/Sao_Paulo", "BR"),
    ("America/Mexico_City", "MX"),
    ("Europe/Oslo", "NO"),
    ("Europe/Zurich", "CH"),
];

/// The country a time zone name points to, when it points to exactly one.
pub fn country_for_time_zone(time_zone: &str) -> Option<&'static str> {
    ZONE_COUNTRIES.iter().find(|(z, _)| *z == time_zone).map(|(_, c)| *c)
}

/// One crisis line, owned so an operator's list can replace the shipped one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// ISO 3166-1 alpha-2 codes; empty means it serves everyone.
    #[serde(default)]
    pub countries: Vec<String>,
    pub region: String,
    pub name: String,
    pub how: String,
    #[serde(default)]
    pub href: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emergency {
    #[serde(default)]
    pub countries: Vec<String>,
    pub region: String,
    pub number: String,
}

/// The crisis lines and emergency numbers the app shows: the shipped list, or the operator's
/// (`--crisis-lines FILE`, the same JSON shape as `GET /api/v1/crisis-resources`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    pub emergency_numbers: Vec<Emergency>,
    pub lines: Vec<Line>,
    /// When the list was last checked against its sources, `YYYY-MM-DD`.
    pub last_reviewed: String,
}

impl Default for Directory {
    fn default() -> Self {
        Self::builtin()
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

impl Directory {
    pub fn builtin() -> Self {
        Self {
            emergency_numbers: EMERGENCY_NUMBERS
                .iter()
                .map(|e| Emergency {
                    countries: strings(e.countries),
                    region: e.region.into(),
                    number: e.number.into(),
                })
                .collect(),
            lines: CRISIS_LINES
                .iter()
                .map(|l| Line {
                    countries: strings(l.countries),
                    region: l.region.into(),
                    name: l.name.into(),
                    how: l.how.into(),
                    href: l.href.map(Into::into),
                    website: l.website.map(Into::into),
                })
                .collect(),
            last_reviewed: LAST_REVIEWED.to_owned(),
        }
    }

    /// Reads and checks an operator's list; the message names what is wrong.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let d: Directory = serde_json::from_str(text).map_err(|e| format!("crisis lines file: {e}"))?;
        if d.lines.is_empty() && d.emergency_numbers.is_empty() {
            return Err("crisis lines file: it lists no lines and no emergency numbers".into());
        }
        for (i, l) in d.lines.iter().enumerate() {
            if l.name.trim().is_empty() || l.how.trim().is_empty() {
                return Err(format!("crisis lines file: line {} needs a name and a `how`", i + 1));
            }
            if let Some(h) = &l.href
                && !(h.starts_with("tel:") || h.starts_with("sms:"))
            {
                return Err(format!("crisis lines file: line {} href must start with tel: or sms:", i + 1));
            }
            if let Some(w) = &l.website
                && !w.starts_with("https://")
            {
                return Err(format!("crisis lines file: line {} website must start with https://", i + 1));
            }
        }
        for (i, e) in d.emergency_numbers.iter().enumerate() {
            if e.number.is_empty() || !e.number.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!("crisis lines file: emergency number {} must be digits", i + 1));
            }
        }
        Ok(d)
    }

    /// What someone in `country` sees: that country's lines and emergency number first, then the
    /// lines that serve everyone. Without a country (or for one the list doesn't know), everything,
    /// with no one country ahead of the others: the lines that serve everyone first, then each
    /// region's in alphabetical order.
    pub fn for_country(&self, country: Option<&str>) -> Directory {
        let Some(c) = country.filter(|c| self.knows(c)) else {
            let mut lines: Vec<Line> = self.lines.iter().filter(|l| l.countries.is_empty()).cloned().collect();
            let mut regional: Vec<Line> = self.lines.iter().filter(|l| !l.countries.is_empty()).cloned().collect();
            // Stable: a region's own lines keep the order the list gives them.
            regional.sort_by(|a, b| a.region.cmp(&b.region));
            lines.extend(regional);
            let mut emergency_numbers = self.emergency_numbers.clone();
            emergency_numbers.sort_by(|a, b| a.region.cmp(&b.region));
            return Directory { emergency_numbers, lines, last_reviewed: self.last_reviewed.clone() };
        };
        let serves = |list: &[String]| list.iter().any(|x| x == c);
        let mut lines: Vec<Line> = self.lines.iter().filter(|l| serves(&l.countries)).cloned().collect();
        lines.extend(self.lines.iter().filter(|l| l.countries.is_empty()).cloned());
        let mut emergency_numbers: Vec<Emergency> =
            self.emergency_numbers.iter().filter(|e| serves(&e.countries)).cloned().collect();
        if emergency_numbers.is_empty() {
            emergency_numbers = self.emergency_numbers.clone();
        }
        Directory { emergency_numbers, lines, last_reviewed: self.last_reviewed.clone() }
    }

    fn knows(&self, country: &str) -> bool {
        self.lines.iter().any(|l| l.countries.iter().any(|x| x == country))
            || self.emergency_numbers.iter().any(|e| e.countries.iter().any(|x| x == country))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_sees_its_own_lines_first_then_international_ones() {
        let d = Directory::builtin();
        let uk = d.for_country(Some("GB"));
        let names: Vec<&str> = uk.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Samaritans", "Shout", "Find A Helpline"]);
        assert_eq!(uk.emergency_numbers.iter().map(|e| e.number.as_str()).collect::<Vec<_>>(), ["999"]);
        let fr = d.for_country(Some("FR"));
        assert_eq!(fr.lines.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["Find A Helpline"]);
        assert_eq!(fr.emergency_numbers[0].number, "112");
        let everyone = d.for_country(None);
        let names: Vec<&str> = everyone.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Find A Helpline",
                "Lifeline",
                "9-8-8 Suicide Crisis Helpline",
                "Shout",
                "Samaritans",
                "988 Suicide & Crisis Lifeline",
                "Crisis Text Line"
            ],
            "no country: everything, no one country first"
        );
        assert_eq!(everyone.lines.len(), d.lines.len());
        assert_eq!(everyone.emergency_numbers.len(), d.emergency_numbers.len());
        assert_eq!(d.for_country(Some("ZZ")), everyone, "unknown country: everything");
    }

    #[test]
    fn a_time_zone_suggests_a_country_only_when_it_names_one() {
        assert_eq!(country_for_time_zone("Europe/London"), Some("GB"));
        assert_eq!(country_for_time_zone("America/New_York"), Some("US"));
        assert_eq!(country_for_time_zone("Australia/Sydney"), Some("AU"));
        assert_eq!(country_for_time_zone("Europe/Dublin"), Some("IE"));
        assert_eq!(country_for_time_zone("America/Toronto"), Some("CA"));
        assert_eq!(country_for_time_zone("UTC"), None);
        assert_eq!(country_for_time_zone("Etc/GMT+5"), None);
        for (zone, country) in ZONE_COUNTRIES {
            assert!(jiff::tz::TimeZone::get(zone).is_ok(), "{zone} is a real time zone");
            assert_eq!(country.len(), 2, "{zone}");
        }
        for (code, _) in COUNTRIES {
            assert!(ZONE_COUNTRIES.iter().any(|(_, c)| c == code), "{code} can be guessed");
        }
    }

    #[test]
    fn every_country_offered_in_settings_has_an_emergency_number() {
        let d = Directory::builtin();
        for (code, _) in COUNTRIES {
            assert!(d.emergency_numbers.iter().any(|e| e.countries.iter().any(|c| c == code)), "{code}");
        }
    }

    #[test]
    fn an_operator_list_is_checked() {
        let own = r#"{"emergency_numbers":[{"countries":["NZ"],"region":"New Zealand","number":"111"}],
            "lines":[{"countries":["NZ"],"region":"New Zealand","name":"Need to talk?","how":"Call or text 1737.","href":"tel:1737"}],
            "last_reviewed":"2026-11-01"}"#;
        let d = Directory::from_json(own).unwrap();
        assert_eq!(d.for_country(Some("NZ")).lines[0].name, "Need to talk?");
        assert!(Directory::from_json("{}").unwrap_err().contains("missing field"));
        let bad_href = own.replace("tel:1737", "javascript:alert(1)");
        assert!(Directory::from_json(&bad_href).unwrap_err().contains("tel: or sms:"));
        let round_trip = serde_json::to_string(&Directory::builtin()).unwrap();
        assert_eq!(Directory::from_json(&round_trip).unwrap(), Directory::builtin());
    }
}
