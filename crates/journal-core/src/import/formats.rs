//! The four formats.

use std::collections::BTreeMap;
use std::io::Read;

use jiff::civil::{Date, DateTime, Time};
use serde_json::Value;

use super::{
    Batch, Format, ImportError, ImportedAssessment, ImportedEntry, ImportedGoal, ImportedMood, MAX_FILE_BYTES,
    MAX_RECORDS, MAX_UNPACKED_BYTES, csv_rows, dayone_text, key,
};

/// Daylio mood labels to 1–5; the defaults are Daylio's own five.
#[derive(Debug, Clone)]
pub struct DaylioMapping(pub BTreeMap<String, u8>);

impl Default for DaylioMapping {
    fn default() -> Self {
        Self(
            [("rad", 5), ("good", 4), ("meh", 3), ("bad", 2), ("awful", 1)]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect(),
        )
    }
}

impl DaylioMapping {
    /// `label:score,label:score`, added to (and overriding) the defaults.
    pub fn parse(s: &str) -> Result<Self, ImportError> {
        let mut m = Self::default();
        for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (label, score) = pair.rsplit_once(':').ok_or_else(|| {
                ImportError::new("mood_map", format!("\u{201c}{pair}\u{201d} should look like label:3"))
            })?;
            let score: u8 = score.trim().parse().ok().filter(|s| (1..=5).contains(s)).ok_or_else(|| {
                ImportError::new("mood_map", format!("the score for \u{201c}{label}\u{201d} must be 1 to 5"))
            })?;
            m.0.insert(label.trim().to_lowercase(), score);
        }
        Ok(m)
    }
}

fn text(bytes: &[u8], what: &str) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        ImportError::new(
            format!("{what}, line {line}"),
            "this isn't UTF-8 text; export the file again, or save it as UTF-8",
        )
    })
}

fn json(text: &str, what: &str) -> Result<Value, ImportError> {
    serde_json::from_str(text)
        .map_err(|e| ImportError::new(format!("{what}, line {}", e.line()), format!("this isn't valid JSON ({e})")))
}

fn string(v: &Value, at: &str, field: &str) -> Result<String, ImportError> {
    match &v[field] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        _ => Err(ImportError::new(format!("{at}.{field}"), "should be text")),
    }
}

fn array<'a>(v: &'a Value, at: &str) -> Result<&'a Vec<Value>, ImportError> {
    let list = v.as_array().ok_or_else(|| ImportError::new(at, "should be a list"))?;
    if list.len() > MAX_RECORDS {
        return Err(ImportError::new(at, format!("has more than {MAX_RECORDS} items")));
    }
    Ok(list)
}

fn tags(v: &Value, at: &str) -> Result<Vec<String>, ImportError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(list) => list
            .iter()
            .map(|t| {
                t.as_str()
                    .map(|s| s.trim_start_matches('@').to_owned())
                    .ok_or_else(|| ImportError::new(at, "tags should be text"))
            })
            .collect(),
        _ => Err(ImportError::new(at, "should be a list of tags")),
    }
}

fn timestamp(s: &str, at: &str) -> Result<i64, ImportError> {
    s.parse::<jiff::Timestamp>().map(|t| t.as_second()).map_err(|_| {
        ImportError::new(at, format!("\u{201c}{s}\u{201d} is not a date and time like 2024-01-02T09:15:00Z"))
    })
}

fn local(date: Date, time: Time, time_zone: &str) -> i64 {
    let zone = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    DateTime::from_parts(date, time).to_zoned_datetime(zone).map(|z| z.timestamp().as_second()).unwrap_or(0)
}

/// Reads a file in `format`. `time_zone` places times that carry none (jrnl, Daylio).
pub fn parse(format: Format, bytes: &[u8], time_zone: &str, daylio: &DaylioMapping) -> Result<Batch, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::new("file", "is larger than 50 MB"));
    }
    if bytes.is_empty() {
        return Err(ImportError::new("file", "is empty"));
    }
    let mut batch = match format {
        Format::TherapyJournal => own(bytes),
        Format::DayOne => day_one(bytes),
        Format::Jrnl => jrnl(bytes, time_zone),
        Format::Daylio => daylio_csv(bytes, time_zone, daylio),
    }?;
    batch.tidy();
    Ok(batch)
}

fn own(bytes: &[u8]) -> Result<Batch, ImportError> {
    let doc = json(&text(bytes, "file")?, "file")?;
    if doc["format"] != "therapy-journal-export" {
        return Err(ImportError::new("format", "this is not a Therapy Journal export"));
    }
    if doc["version"] != 1 {
        return Err(ImportError::new("version", "this export is from a newer version; update Therapy Journal first"));
    }
    let f = Format::TherapyJournal;
    let mut b = Batch::default();
    for (i, e) in array(&doc["entries"], "entries")?.iter().enumerate() {
        let at = format!("entries[{i}]");
        let id = string(e, &at, "id")?;
        let date = string(e, &at, "entry_date")?;
        date.parse::<Date>()
            .map_err(|_| ImportError::new(format!("{at}.entry_date"), "should be a date like 2024-01-02"))?;
        let thought_record = match &e["thought_record"] {
            Value::Null => None,
            v => Some(
                serde_json::from_value(v.clone())
                    .map_err(|err| ImportError::new(format!("{at}.thought_record"), err.to_string()))?,
            ),
        };
        b.entries.push(ImportedEntry {
            key: key(f, &["entry", &id]),
            date,
            created_at: Some(timestamp(&string(e, &at, "created_at")?, &format!("{at}.created_at"))?),
            title: string(e, &at, "title")?,
            body: string(e, &at, "body")?,
            tags: tags(&e["tags"], &format!("{at}.tags"))?,
            mood: e["mood"].as_u64().and_then(|m| u8::try_from(m).ok()),
            thought_record,
        });
    }
    for (i, m) in array(&doc["moods"], "moods")?.iter().enumerate() {
        let at = format!("moods[{i}]");
        let when = string(m, &at, "at")?;
        let score = m["score"]
            .as_u64()
            .and_then(|s| u8::try_from(s).ok())
            .ok_or_else(|| ImportError::new(format!("{at}.score"), "should be 1 to 5"))?;
        let note = string(m, &at, "note")?;
        b.moods.push(ImportedMood {
            key: key(f, &["mood", &when, &score.to_string(), &note]),
            at: timestamp(&when, &format!("{at}.at"))?,
            score,
            emotions: tags(&m["emotions"], &format!("{at}.emotions"))?,
            sleep_hours: m["sleep_hours"].as_f64(),
            activities: tags(&m["activities"], &format!("{at}.activities"))?,
            note,
        });
    }
    for (i, a) in array(&doc["assessments"], "assessments")?.iter().enumerate() {
        let at = format!("assessments[{i}]");
        let instrument = crate::assessments::InstrumentId::parse(&string(a, &at, "instrument")?).ok_or_else(|| {
            ImportError::new(
                format!("{at}.instrument"),
                format!("should be {}", crate::assessments::id_list(&crate::assessments::InstrumentId::ALL)),
            )
        })?;
        let when = string(a, &at, "taken_at")?;
        let answers: Vec<i64> =
            array(&a["answers"], &format!("{at}.answers"))?.iter().map(|v| v.as_i64().unwrap_or(-1)).collect();
        b.assessments.push(ImportedAssessment {
            key: key(f, &["assessment", instrument.as_str(), &when]),
            instrument,
            taken_at: timestamp(&when, &format!("{at}.taken_at"))?,
            answers,
        });
    }
    for (i, g) in array(&doc["goals"], "goals")?.iter().enumerate() {
        let at = format!("goals[{i}]");
        let goal: crate::goals::GoalContent = serde_json::from_value(g["goal"].clone())
            .map_err(|e| ImportError::new(format!("{at}.goal"), e.to_string()))?;
        let checkins = array(&g["checkins"], &format!("{at}.checkins"))?
            .iter()
            .map(|c| (c["date"].as_str().unwrap_or("").to_owned(), c["note"].as_str().unwrap_or("").to_owned()))
            .collect();
        b.goals.push(ImportedGoal { key: key(f, &["goal", &string(g, &at, "id")?]), goal, checkins });
    }
    if !doc["safety_plan"].is_null() {
        b.safety_plan = Some(
            serde_json::from_value(doc["safety_plan"].clone())
                .map_err(|e| ImportError::new("safety_plan", e.to_string()))?,
        );
    }
    if !doc["activities"].is_null() {
        let mut list: Vec<String> = Vec::new();
        for (i, a) in array(&doc["activities"], "activities")?.iter().enumerate() {
            let name = crate::emotions::parse_activity(a.as_str().unwrap_or(""))
                .map_err(|e| ImportError::new(format!("activities[{i}]"), e.message))?;
            if !list.contains(&name) && list.len() < crate::emotions::MAX_ACTIVITIES {
                list.push(name);
            }
        }
        b.activities = Some(list);
    }
    if !doc["prompts"]["custom"].is_null() {
        b.custom_prompts = serde_json::from_value(doc["prompts"]["custom"].clone())
            .map_err(|e| ImportError::new("prompts.custom", e.to_string()))?;
    }
    Ok(b)
}

/// Day One's export: a zip holding `Journal.json` (or the JSON itself).
fn day_one(bytes: &[u8]) -> Result<Batch, ImportError> {
    let (name, text) = if bytes.starts_with(b"PK") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| ImportError::new("file", format!("this zip can't be opened ({e})")))?;
        let mut chosen = None;
        for i in 0..zip.len() {
            let Ok(f) = zip.by_index(i) else { continue };
            let n = f.name().to_owned();
            if n.ends_with(".json") && !n.starts_with("__MACOSX") && (chosen.is_none() || n.ends_with("Journal.json")) {
                chosen = Some((i, n));
            }
        }
        let (i, name) = chosen.ok_or_else(|| ImportError::new("file", "there's no Journal.json in this zip"))?;
        let f = zip.by_index(i).map_err(|e| ImportError::new(&name, e.to_string()))?;
        if f.size() > MAX_UNPACKED_BYTES {
            return Err(ImportError::new(&name, "unpacks to more than 200 MB"));
        }
        let mut out = Vec::new();
        // The declared size can lie; never read more than the limit.
        f.take(MAX_UNPACKED_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| ImportError::new(&name, format!("can't be unpacked ({e})")))?;
        if out.len() as u64 > MAX_UNPACKED_BYTES {
            return Err(ImportError::new(&name, "unpacks to more than 200 MB"));
        }
        (name.clone(), text(&out, &name)?)
    } else {
        ("file".to_owned(), text(bytes, "file")?)
    };
    let doc = json(&text, &name)?;
    let f = Format::DayOne;
    let mut b = Batch::default();
    for (i, e) in array(&doc["entries"], "entries")?.iter().enumerate() {
        let at = format!("entries[{i}]");
        let uuid = string(e, &at, "uuid")?;
        if uuid.is_empty() {
            return Err(ImportError::new(format!("{at}.uuid"), "is missing"));
        }
        let created = timestamp(&string(e, &at, "creationDate")?, &format!("{at}.creationDate"))?;
        let zone = jiff::tz::TimeZone::get(&string(e, &at, "timeZone")?).unwrap_or(jiff::tz::TimeZone::UTC);
        let date = jiff::Timestamp::from_second(created)
            .map(|t| t.to_zoned_datetime(zone).date().to_string())
            .unwrap_or_default();
        let raw = string(e, &at, "text")?;
        let (title, body) = match raw.split_once('\n') {
            Some((first, rest)) if first.starts_with("# ") => {
                (dayone_text::title(first.trim_start_matches("# ").trim()), dayone_text::body(rest.trim_start()))
            }
            _ => (String::new(), dayone_text::body(&raw)),
        };
        let mut t = tags(&e["tags"], &format!("{at}.tags"))?;
        if e["starred"] == true {
            t.push("starred".into());
        }
        for kind in ["photos", "videos", "audios", "pdfAttachments"] {
            b.skipped_attachments += e[kind].as_array().map_or(0, Vec::len);
        }
        b.entries.push(ImportedEntry {
            key: key(f, &[&uuid]),
            date,
            created_at: Some(created),
            title,
            body,
            tags: t,
            mood: None,
            thought_record: None,
        });
    }
    Ok(b)
}

fn jrnl(bytes: &[u8], time_zone: &str) -> Result<Batch, ImportError> {
    let doc = json(&text(bytes, "file")?, "file")?;
    let f = Format::Jrnl;
    let mut b = Batch::default();
    for (i, e) in array(&doc["entries"], "entries")?.iter().enumerate() {
        let at = format!("entries[{i}]");
        let date_s = string(e, &at, "date")?;
        let date: Date =
            date_s.parse().map_err(|_| ImportError::new(format!("{at}.date"), "should be a date like 2024-01-02"))?;
        let time_s = string(e, &at, "time")?;
        let time: Time = if time_s.is_empty() {
            Time::midnight()
        } else {
            time_s.parse().map_err(|_| ImportError::new(format!("{at}.time"), "should be a time like 09:15"))?
        };
        let title = string(e, &at, "title")?;
        let body = string(e, &at, "body")?;
        let mut t = tags(&e["tags"], &format!("{at}.tags"))?;
        if e["starred"] == true {
            t.push("starred".into());
        }
        let body = if body.trim().is_empty() { title.clone() } else { body };
        b.entries.push(ImportedEntry {
            key: key(f, &[&date_s, &time_s, &title, &body]),
            date: date.to_string(),
            created_at: Some(local(date, time, time_zone)),
            title,
            body,
            tags: t,
            mood: None,
            thought_record: None,
        });
    }
    Ok(b)
}

/// `20:30`, `8:30 pm`, `08:30 AM`.
fn daylio_time(s: &str) -> Option<Time> {
    let s = s.trim().to_lowercase();
    let (clock, pm) = match (s.strip_suffix("pm"), s.strip_suffix("am")) {
        (Some(c), _) => (c.trim().to_owned(), Some(true)),
        (_, Some(c)) => (c.trim().to_owned(), Some(false)),
        _ => (s.clone(), None),
    };
    let (h, m) = clock.split_once(':')?;
    let (mut h, m): (i8, i8) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    match pm {
        Some(true) if (1..=11).contains(&h) => h += 12,
        Some(false) if h == 12 => h = 0,
        Some(_) if !(1..=12).contains(&h) => return None,
        _ => {}
    }
    Time::new(h, m, 0, 0).ok()
}

fn daylio_csv(bytes: &[u8], time_zone: &str, mapping: &DaylioMapping) -> Result<Batch, ImportError> {
    let text = text(bytes, "file")?;
    let rows = csv_rows::rows(&text)?;
    let Some(((_, header), rest)) = rows.split_first() else { return Err(ImportError::new("file", "is empty")) };
    let col = |name: &str| header.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
    let (Some(c_date), Some(c_time), Some(c_mood)) = (col("full_date"), col("time"), col("mood")) else {
        return Err(ImportError::new("line 1", "needs the columns full_date, time and mood (a Daylio CSV export)"));
    };
    let (c_act, c_title, c_note) = (col("activities"), col("note_title"), col("note"));
    if rest.len() > MAX_RECORDS {
        return Err(ImportError::new("file", format!("has more than {MAX_RECORDS} rows")));
    }
    let f = Format::Daylio;
    let mut b = Batch::default();
    for (line, row) in rest {
        let at = format!("line {line}");
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(|s| s.trim().to_owned()).unwrap_or_default();
        let date_s = get(Some(c_date));
        let date: Date = date_s
            .parse()
            .map_err(|_| ImportError::new(&at, format!("\u{201c}{date_s}\u{201d} is not a date like 2024-01-02")))?;
        let time_s = get(Some(c_time));
        let time = daylio_time(&time_s).ok_or_else(|| {
            ImportError::new(&at, format!("\u{201c}{time_s}\u{201d} is not a time like 20:30 or 8:30 pm"))
        })?;
        let label = get(Some(c_mood)).to_lowercase();
        let score = *mapping.0.get(&label).ok_or_else(|| {
            ImportError::new(
                &at,
                format!("the mood \u{201c}{label}\u{201d} has no score yet; give it one (1 to 5) in the mapping"),
            )
        })?;
        let activities: Vec<String> =
            get(c_act).split(" | ").map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect();
        let note = [get(c_title), get(c_note)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n");
        b.moods.push(ImportedMood {
            key: key(f, &[&date_s, &time_s, &label, &note]),
            at: local(date, time, time_zone),
            score,
            emotions: Vec::new(),
            sleep_hours: None,
            activities,
            note,
        });
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const DAYLIO: &str = "full_date,date,weekday,time,mood,activities,note_title,note\n\
        2024-03-10,March 10,Sunday,8:30 pm,rad,friends | walk,A good day,\"Long walk, then \"\"tea\"\"\"\n\
        2024-03-09,March 9,Saturday,07:05,awful,,,\n";

    #[test]
    fn daylio_rows_become_check_ins() {
        let b = parse(Format::Daylio, DAYLIO.as_bytes(), "Europe/London", &DaylioMapping::default()).unwrap();
        assert_eq!(b.moods.len(), 2);
        assert_eq!(
            (b.moods[0].score, b.moods[0].activities.clone()),
            (5, vec!["friends".to_owned(), "walk".to_owned()])
        );
        assert_eq!(b.moods[0].note, "A good day\nLong walk, then \"tea\"");
        assert_eq!(crate::time_util::rfc3339(b.moods[0].at), "2024-03-10T20:30:00Z");
        assert_eq!(b.moods[1].score, 1);
        let old = "full_date,date,weekday,time,mood,activities,note\n2024-03-10,March 10,Sunday,12:15 am,super,,\n";
        let err = parse(Format::Daylio, old.as_bytes(), "UTC", &DaylioMapping::default()).unwrap_err();
        assert_eq!(err.location, "line 2");
        assert!(err.message.contains("super"));
        let mapped = parse(Format::Daylio, old.as_bytes(), "UTC", &DaylioMapping::parse("super:4").unwrap()).unwrap();
        assert_eq!(
            (mapped.moods[0].score, crate::time_util::rfc3339(mapped.moods[0].at)),
            (4, "2024-03-10T00:15:00Z".into())
        );
        let again = parse(Format::Daylio, DAYLIO.as_bytes(), "Europe/London", &DaylioMapping::default()).unwrap();
        assert_eq!(again.moods[0].key, b.moods[0].key, "stable keys make a second import a no-op");
    }

    #[test]
    fn jrnl_and_day_one_entries() {
        let j = r#"{"tags": {"@work": 1}, "entries": [{"title": "Monday", "body": "Long day.", "date": "2024-01-08", "time": "21:40", "tags": ["@work"], "starred": true}]}"#;
        let b = parse(Format::Jrnl, j.as_bytes(), "UTC", &DaylioMapping::default()).unwrap();
        assert_eq!(
            (b.entries[0].title.as_str(), b.entries[0].tags.clone()),
            ("Monday", vec!["work".to_owned(), "starred".to_owned()])
        );
        let d = r##"{"metadata": {}, "entries": [{"uuid": "ABC", "creationDate": "2024-01-01T23:30:00Z", "timeZone": "America/New_York",
            "text": "# New year\nQuiet evening.", "tags": ["Family"], "starred": false, "photos": [{"md5": "x"}, {"md5": "y"}]}]}"##;
        let b = parse(Format::DayOne, d.as_bytes(), "UTC", &DaylioMapping::default()).unwrap();
        assert_eq!(
            (b.entries[0].date.as_str(), b.entries[0].title.as_str(), b.entries[0].body.as_str()),
            ("2024-01-01", "New year", "Quiet evening.")
        );
        assert_eq!(b.skipped_attachments, 2);
        let bad = parse(
            Format::DayOne,
            br#"{"entries": [{"uuid": "A", "creationDate": "yesterday", "text": "x"}]}"#,
            "UTC",
            &DaylioMapping::default(),
        );
        assert_eq!(bad.unwrap_err().location, "entries[0].creationDate");
    }

    #[test]
    fn hostile_files_are_refused_with_a_place() {
        let m = DaylioMapping::default();
        assert!(parse(Format::Jrnl, b"\xff\xfe{", "UTC", &m).unwrap_err().message.contains("UTF-8"));
        assert_eq!(parse(Format::Jrnl, b"{\"entries\": [", "UTC", &m).unwrap_err().location, "file, line 1");
        assert_eq!(
            parse(Format::TherapyJournal, b"{\"format\": \"other\"}", "UTC", &m).unwrap_err().location,
            "format"
        );
        assert!(parse(Format::DayOne, b"PK\x03\x04 not really a zip", "UTC", &m).unwrap_err().message.contains("zip"));
        assert_eq!(parse(Format::Daylio, b"", "UTC", &m).unwrap_err().location, "file");
    }

    #[test]
    fn imported_text_loses_control_characters() {
        let j = "{\"entries\": [{\"title\": \"A\\u0000 title\\r\\n\", \"body\": \"one\\r\\ntwo\\u001b[1m\\u0007\", \"date\": \"2024-01-08\", \"time\": \"09:00\", \"tags\": [\"@a\\u0000b\"]}]}";
        let b = parse(Format::Jrnl, j.as_bytes(), "UTC", &DaylioMapping::default()).unwrap();
        let e = &b.entries[0];
        assert_eq!(
            (e.title.as_str(), e.body.as_str(), e.tags.clone()),
            ("A title ", "one\ntwo[1m", vec!["ab".to_owned()])
        );
    }

    proptest! {
        #[test]
        fn no_input_makes_a_parser_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), text in ".{0,300}") {
            let m = DaylioMapping::default();
            for f in [Format::TherapyJournal, Format::DayOne, Format::Jrnl, Format::Daylio] {
                let _ = parse(f, &bytes, "UTC", &m);
                let _ = parse(f, text.as_bytes(), "Europe/London", &m);
            }
            let csvish = format!("full_date,time,mood,activities,note\n{text}");
            let _ = parse(Format::Daylio, csvish.as_bytes(), "UTC", &m);
            let jsonish = format!("{{\"entries\": [{{\"date\": \"{text}\", \"time\": \"{text}\", \"title\": 1}}]}}");
            let _ = parse(Format::Jrnl, jsonish.as_bytes(), "UTC", &m);
        }
    }
}
