//! Journal entries. Title, body, tags, mood and prompt are one JSON document encrypted under a
//! random per-entry key (CEK); the CEK is wrapped by the user's data key. Sharing an entry later
//! means boxing that CEK to a therapist, so an update keeps the same CEK.

use jiff::civil::Date;
use journal_crypto::{Aad, CryptoError, SymmetricKey, open, seal};
use serde::{Deserialize, Serialize};

use crate::UnlockedUser;
use crate::time_util::Timestamp;
use crate::validate::ValidationError;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 100_000;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 40;
const MAX_PROMPT_ID_CHARS: usize = 64;

/// What is encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EntryContent {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub mood: Option<u8>,
    pub prompt_id: Option<String>,
    /// Set when the entry is a thought record from the challenge log; the body then holds the
    /// same record written out as Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought_record: Option<crate::thought_records::ThoughtRecord>,
}

/// A tag as people type it ("#Sleep ", "hard day") becomes a stable form ("sleep", "hard-day").
pub fn normalize_tag(input: &str) -> Option<String> {
    let t = crate::validate::single_line(input);
    let t = t.trim().trim_start_matches('#').trim();
    if t.is_empty() {
        return None;
    }
    let t: String = t.split_whitespace().collect::<Vec<_>>().join("-").to_lowercase();
    (t.chars().count() <= MAX_TAG_CHARS).then_some(t)
}

impl EntryContent {
    pub fn parse(
        title: Option<&str>,
        body: &str,
        tags: &[String],
        mood: Option<i64>,
        prompt_id: Option<&str>,
    ) -> Result<Self, ValidationError> {
        let title = crate::validate::single_line(title.unwrap_or("")).trim().to_owned();
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(ValidationError::new("title", "Please keep the title to one line of up to 200 characters."));
        }
        let body = crate::validate::multi_line(body);
        if body.trim().is_empty() {
            return Err(ValidationError::new("body", "There's nothing written yet. Even a few words are enough."));
        }
        if body.chars().count() > MAX_BODY_CHARS {
            return Err(ValidationError::new(
                "body",
                "This entry is longer than 100,000 characters. Please split it into two entries.",
            ));
        }
        if tags.len() > MAX_TAGS {
            return Err(ValidationError::new("tags", "Please use up to 20 tags."));
        }
        let mut clean: Vec<String> = Vec::with_capacity(tags.len());
        for tag in tags {
            let t = normalize_tag(tag).ok_or_else(|| {
                ValidationError::new(
                    "tags",
                    format!("'{tag}' can't be a tag. Tags are short words, up to 40 characters."),
                )
            })?;
            if !clean.contains(&t) {
                clean.push(t);
            }
        }
        let mood = match mood {
            None => None,
            Some(m @ 1..=5) => Some(m as u8),
            Some(_) => {
                return Err(ValidationError::new("mood", "Mood is a number from 1 (very low) to 5 (very good)."));
            }
        };
        let prompt_id = match prompt_id.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) if p.chars().count() <= MAX_PROMPT_ID_CHARS && p.chars().all(|c| c.is_ascii_graphic()) => {
                Some(p.to_owned())
            }
            Some(_) => {
                return Err(ValidationError::new("prompt_id", "That prompt id is not one of ours."));
            }
            None => None,
        };
        Ok(Self { title, body, tags: clean, mood, prompt_id, thought_record: None })
    }

    /// What the title is, or else the opening words of the body.
    pub fn display_title(&self) -> String {
        if !self.title.is_empty() {
            return self.title.clone();
        }
        let first = self.body.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
        let first = first.trim_start_matches(['#', '>', '-', '*', ' ']);
        let mut out: String = first.chars().take(60).collect();
        if first.chars().count() > 60 {
            out.push('…');
        }
        if out.is_empty() { "Untitled".to_owned() } else { out }
    }
}

/// A stored entry: ciphertext plus the clear metadata.
#[derive(Debug, Clone)]
pub struct EntryRecord {
    pub id: String,
    pub user_id: String,
    pub entry_date: String,
    pub key_wrapped: Vec<u8>,
    pub content: Vec<u8>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A decrypted entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub entry_date: String,
    pub content: EntryContent,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn aad_key<'a>(id: &'a str, owner: &'a str) -> Aad<'a> {
    Aad::new("entries", "key_wrapped", id, owner)
}

fn aad_content<'a>(id: &'a str, owner: &'a str) -> Aad<'a> {
    Aad::new("entries", "content", id, owner)
}

/// Encrypts an entry. `cek` is the entry's existing key on update, `None` for a new entry.
pub fn seal_entry(
    user: &UnlockedUser,
    id: &str,
    entry_date: Date,
    content: &EntryContent,
    cek: Option<SymmetricKey>,
    created_at: Timestamp,
    updated_at: Timestamp,
) -> EntryRecord {
    let cek = cek.unwrap_or_else(SymmetricKey::generate);
    let json = zeroize::Zeroizing::new(serde_json::to_vec(content).unwrap_or_default());
    EntryRecord {
        id: id.to_owned(),
        user_id: user.id().to_owned(),
        entry_date: entry_date.to_string(),
        key_wrapped: user.dek.wrap(&cek, &aad_key(id, user.id())),
        content: seal(&cek, &aad_content(id, user.id()), &json),
        created_at,
        updated_at,
    }
}

/// The entry's key, unwrapped with the owner's data key.
pub fn entry_key(user: &UnlockedUser, record: &EntryRecord) -> Result<SymmetricKey, CryptoError> {
    user.dek.unwrap_key(&record.key_wrapped, &aad_key(&record.id, &record.user_id))
}

/// Decrypts with a known entry key (the owner's, or one boxed to a therapist).
pub fn open_with_key(record: &EntryRecord, cek: &SymmetricKey) -> Result<Entry, CryptoError> {
    let json = open(cek, &aad_content(&record.id, &record.user_id), &record.content)?;
    let content: EntryContent = serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)?;
    Ok(Entry {
        id: record.id.clone(),
        entry_date: record.entry_date.clone(),
        content,
        created_at: record.created_at,
        updated_at: record.updated_at,
    })
}

pub fn open_entry(user: &UnlockedUser, record: &EntryRecord) -> Result<Entry, CryptoError> {
    if record.user_id != user.id() {
        return Err(CryptoError::Decrypt);
    }
    open_with_key(record, &entry_key(user, record)?)
}

/// Position in the newest-first order, for cursor paging that never repeats or skips an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryCursor {
    pub entry_date: String,
    pub created_at: Timestamp,
    pub id: String,
}

impl EntryCursor {
    pub fn of(record: &EntryRecord) -> Self {
        Self { entry_date: record.entry_date.clone(), created_at: record.created_at, id: record.id.clone() }
    }

    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.entry_date, self.created_at, self.id)
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let bad =
            || ValidationError::new("cursor", "That cursor is not one we gave out. Start again from the first page.");
        let mut parts = s.splitn(3, '.');
        let (Some(date), Some(created), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        crate::dates::parse_date("cursor", date).map_err(|_| bad())?;
        let created_at = created.parse().map_err(|_| bad())?;
        if !crate::ids::looks_like_id(id) {
            return Err(bad());
        }
        Ok(Self { entry_date: date.to_owned(), created_at, id: id.to_owned() })
    }
}

/// Which entries a list asks for.
#[derive(Debug, Clone, Default)]
pub struct EntryQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub after: Option<EntryCursor>,
    pub limit: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::UnlockedUser;

    fn user(id: &str) -> UnlockedUser {
        let mut u = crate::testing::user_record(id);
        u.id = id.to_owned();
        UnlockedUser { user: u, dek: SymmetricKey::generate(), session_id: None, session_kind: None }
    }

    #[test]
    fn tags_are_normalised_and_deduplicated() {
        let c = EntryContent::parse(None, "hi", &["#Sleep ".into(), "sleep".into(), "hard day".into()], None, None)
            .unwrap();
        assert_eq!(c.tags, vec!["sleep", "hard-day"]);
        assert!(EntryContent::parse(None, "hi", &["".into()], None, None).is_err());
        assert!(EntryContent::parse(None, "hi", &["x".repeat(41)], None, None).is_err());
    }

    #[test]
    fn limits_name_their_field() {
        assert_eq!(EntryContent::parse(None, "  ", &[], None, None).unwrap_err().field, "body");
        assert_eq!(EntryContent::parse(None, "a", &[], Some(6), None).unwrap_err().field, "mood");
        assert_eq!(EntryContent::parse(None, "a", &[], Some(0), None).unwrap_err().field, "mood");
        assert_eq!(EntryContent::parse(Some(&"t".repeat(201)), "a", &[], None, None).unwrap_err().field, "title");
        assert_eq!(EntryContent::parse(None, &"a".repeat(100_001), &[], None, None).unwrap_err().field, "body");
    }

    #[test]
    fn sealed_entries_open_only_for_their_owner_and_row() {
        let alice = user("a");
        let content = EntryContent::parse(Some("t"), "secret words", &["tag".into()], Some(3), None).unwrap();
        let date = crate::dates::parse_date("d", "2024-05-01").unwrap();
        let rec = seal_entry(&alice, "e1", date, &content, None, 1, 1);
        assert_eq!(open_entry(&alice, &rec).unwrap().content, content);

        let mut moved = rec.clone();
        moved.id = "e2".to_owned();
        assert!(open_entry(&alice, &moved).is_err(), "a blob copied to another row fails");
        let bob = user("b");
        let mut stolen = rec.clone();
        stolen.user_id = "b".to_owned();
        assert!(open_entry(&bob, &stolen).is_err(), "a blob copied to another user fails");
    }

    #[test]
    fn update_keeps_the_entry_key() {
        let alice = user("a");
        let date = crate::dates::parse_date("d", "2024-05-01").unwrap();
        let c = EntryContent::parse(None, "one", &[], None, None).unwrap();
        let rec = seal_entry(&alice, "e1", date, &c, None, 1, 1);
        let cek = entry_key(&alice, &rec).unwrap();
        let c2 = EntryContent::parse(None, "two", &[], None, None).unwrap();
        let rec2 = seal_entry(&alice, "e1", date, &c2, Some(cek.clone()), 1, 2);
        assert_eq!(entry_key(&alice, &rec2).unwrap().as_bytes(), cek.as_bytes());
        assert_eq!(open_with_key(&rec2, &cek).unwrap().content.body, "two");
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = EntryCursor { entry_date: "2024-01-02".into(), created_at: 17, id: crate::ids::new_id() };
        assert_eq!(EntryCursor::parse(&c.encode()).unwrap(), c);
        for bad in ["", "x", "2024-01-02.1", "2024-13-02.1.abc", "2024-01-02.x.0123"] {
            assert!(EntryCursor::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_title_falls_back_to_the_first_words() {
        let c = EntryContent::parse(None, "\n# Rough morning\nmore", &[], None, None).unwrap();
        assert_eq!(c.display_title(), "Rough morning");
    }
}
