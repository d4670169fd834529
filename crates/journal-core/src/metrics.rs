//! Health data (questionnaire results and mood check-ins) is encrypted under one metrics
//! key per user, wrapped by the data key. A therapist the person chooses to share with receives a
//! box of this key (SECURITY.md, "Sharing"), never a copy of the data.

use journal_crypto::{Aad, CryptoError, SymmetricKey, open, seal};
use serde::{Deserialize, Serialize};

use crate::UnlockedUser;
use crate::assessments::{Change, InstrumentId};
use crate::time_util::Timestamp;

fn aad_key(user_id: &str) -> Aad<'_> {
    Aad::new("metrics_keys", "key_wrapped", user_id, user_id)
}

fn aad_assessment<'a>(id: &'a str, owner: &'a str) -> Aad<'a> {
    Aad::new("assessments", "content", id, owner)
}

/// A new metrics key for `user`, and its wrapped form to store.
pub fn new_metrics_key(user: &UnlockedUser) -> (SymmetricKey, Vec<u8>) {
    let key = SymmetricKey::generate();
    let wrapped = user.dek.wrap(&key, &aad_key(user.id()));
    (key, wrapped)
}

pub fn unwrap_metrics_key(user: &UnlockedUser, wrapped: &[u8]) -> Result<SymmetricKey, CryptoError> {
    user.dek.unwrap_key(wrapped, &aad_key(user.id()))
}

/// What is encrypted for one questionnaire result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentContent {
    pub answers: Vec<u8>,
    pub total: u8,
    pub severity: String,
    pub self_harm: bool,
}

/// A stored result: ciphertext plus the clear metadata.
#[derive(Debug, Clone)]
pub struct AssessmentRecord {
    pub id: String,
    pub user_id: String,
    pub instrument: String,
    pub taken_at: Timestamp,
    pub content: Vec<u8>,
}

/// A decrypted result.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: String,
    pub instrument: InstrumentId,
    pub taken_at: Timestamp,
    pub content: AssessmentContent,
}

impl Assessment {
    /// Its change against the previous result, given the results before it (newest first).
    pub fn change_against(&self, earlier: &[Assessment]) -> Option<Change> {
        let previous = earlier.first()?;
        let baseline = earlier.last()?;
        Some(self.instrument.instrument().change(self.content.total, previous.content.total, baseline.content.total))
    }
}

pub fn seal_assessment(
    user: &UnlockedUser,
    key: &SymmetricKey,
    id: &str,
    instrument: InstrumentId,
    taken_at: Timestamp,
    content: &AssessmentContent,
) -> AssessmentRecord {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(content).unwrap_or_default());
    AssessmentRecord {
        id: id.to_owned(),
        user_id: user.id().to_owned(),
        instrument: instrument.as_str().to_owned(),
        taken_at,
        content: seal(key, &aad_assessment(id, user.id()), &json),
    }
}

pub fn open_assessment(key: &SymmetricKey, record: &AssessmentRecord) -> Result<Assessment, CryptoError> {
    let instrument = InstrumentId::parse(&record.instrument).ok_or(CryptoError::Decrypt)?;
    let json = open(key, &aad_assessment(&record.id, &record.user_id), &record.content)?;
    let content = serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)?;
    Ok(Assessment { id: record.id.clone(), instrument, taken_at: record.taken_at, content })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> UnlockedUser {
        UnlockedUser {
            user: crate::testing::user_record(id),
            dek: SymmetricKey::generate(),
            session_id: None,
            session_kind: None,
        }
    }

    #[test]
    fn results_open_only_with_their_key_and_place() {
        let a = user("a");
        let (key, wrapped) = new_metrics_key(&a);
        assert_eq!(unwrap_metrics_key(&a, &wrapped).unwrap().as_bytes(), key.as_bytes());
        assert!(unwrap_metrics_key(&user("b"), &wrapped).is_err());
        let content = AssessmentContent { answers: vec![1, 2, 3], total: 6, severity: "mild".into(), self_harm: false };
        let rec = seal_assessment(&a, &key, "x1", InstrumentId::Phq9, 5, &content);
        assert_eq!(open_assessment(&key, &rec).unwrap().content, content);
        let mut moved = rec.clone();
        moved.id = "x2".into();
        assert!(open_assessment(&key, &moved).is_err());
        assert!(open_assessment(&SymmetricKey::generate(), &rec).is_err());
    }
}

// ---------------------------------------------------------------- mood check-ins

fn aad_mood<'a>(id: &'a str, owner: &'a str) -> Aad<'a> {
    Aad::new("moods", "content", id, owner)
}

pub const MAX_MOOD_WORDS: usize = 20;
pub const MAX_MOOD_WORD_CHARS: usize = 40;
pub const MAX_MOOD_NOTE_CHARS: usize = 2000;

/// What is encrypted for one check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoodContent {
    pub score: u8,
    pub emotions: Vec<String>,
    pub sleep_hours: Option<f32>,
    pub activities: Vec<String>,
    pub note: String,
}

fn words(field: &'static str, list: &[String]) -> Result<Vec<String>, crate::validate::ValidationError> {
    if list.len() > MAX_MOOD_WORDS {
        return Err(crate::validate::ValidationError::new(field, "Please choose up to 20."));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for w in list {
        let w = crate::validate::single_line(w).trim().to_lowercase();
        if w.is_empty() || w.chars().count() > MAX_MOOD_WORD_CHARS {
            return Err(crate::validate::ValidationError::new(
                field,
                "Each one is a word or two, up to 40 characters.",
            ));
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    Ok(out)
}

impl MoodContent {
    pub fn parse(
        score: i64,
        emotions: &[String],
        sleep_hours: Option<f64>,
        activities: &[String],
        note: Option<&str>,
    ) -> Result<Self, crate::validate::ValidationError> {
        use crate::validate::ValidationError;
        if !(1..=5).contains(&score) {
            return Err(ValidationError::new("score", "Mood is a number from 1 (very low) to 5 (very good)."));
        }
        let sleep_hours = match sleep_hours {
            None => None,
            Some(h) if h.is_finite() && (0.0..=24.0).contains(&h) => Some(((h * 10.0).round() / 10.0) as f32),
            Some(_) => return Err(ValidationError::new("sleep_hours", "Sleep is a number of hours from 0 to 24.")),
        };
        let note = crate::validate::multi_line(note.unwrap_or("")).trim().to_owned();
        if note.chars().count() > MAX_MOOD_NOTE_CHARS {
            return Err(ValidationError::new(
                "note",
                "Please keep the note under 2,000 characters, or write an entry.",
            ));
        }
        Ok(Self {
            score: score as u8,
            emotions: words("emotions", emotions)?,
            sleep_hours,
            activities: words("activities", activities)?,
            note,
        })
    }
}

#[derive(Debug, Clone)]
pub struct MoodRecord {
    pub id: String,
    pub user_id: String,
    pub at: Timestamp,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Mood {
    pub id: String,
    pub at: Timestamp,
    pub content: MoodContent,
}

pub fn seal_mood(
    user: &UnlockedUser,
    key: &SymmetricKey,
    id: &str,
    at: Timestamp,
    content: &MoodContent,
) -> MoodRecord {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(content).unwrap_or_default());
    MoodRecord {
        id: id.to_owned(),
        user_id: user.id().to_owned(),
        at,
        content: seal(key, &aad_mood(id, user.id()), &json),
    }
}

pub fn open_mood(key: &SymmetricKey, record: &MoodRecord) -> Result<Mood, CryptoError> {
    let json = open(key, &aad_mood(&record.id, &record.user_id), &record.content)?;
    let content = serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)?;
    Ok(Mood { id: record.id.clone(), at: record.at, content })
}

#[cfg(test)]
mod mood_tests {
    use super::*;

    #[test]
    fn check_ins_are_validated_and_normalised() {
        let m =
            MoodContent::parse(4, &["Calm".into(), "calm".into()], Some(7.25), &["walk".into()], Some(" ok ")).unwrap();
        assert_eq!(
            (m.score, m.emotions.clone(), m.sleep_hours, m.note.as_str()),
            (4, vec!["calm".to_owned()], Some(7.3), "ok")
        );
        assert_eq!(MoodContent::parse(0, &[], None, &[], None).unwrap_err().field, "score");
        assert_eq!(MoodContent::parse(6, &[], None, &[], None).unwrap_err().field, "score");
        assert_eq!(MoodContent::parse(3, &[], Some(25.0), &[], None).unwrap_err().field, "sleep_hours");
        assert_eq!(MoodContent::parse(3, &[], Some(f64::NAN), &[], None).unwrap_err().field, "sleep_hours");
        assert_eq!(MoodContent::parse(3, &["".into()], None, &[], None).unwrap_err().field, "emotions");
        assert_eq!(MoodContent::parse(3, &[], None, &["x".repeat(41)], None).unwrap_err().field, "activities");
        assert_eq!(MoodContent::parse(3, &[], None, &[], Some(&"n".repeat(2001))).unwrap_err().field, "note");
    }

    #[test]
    fn check_ins_open_only_in_their_place() {
        let u = UnlockedUser {
            user: crate::testing::user_record("a"),
            dek: SymmetricKey::generate(),
            session_id: None,
            session_kind: None,
        };
        let key = SymmetricKey::generate();
        let c = MoodContent::parse(2, &["tired".into()], Some(5.0), &[], Some("long day")).unwrap();
        let r = seal_mood(&u, &key, "m1", 100, &c);
        assert_eq!(open_mood(&key, &r).unwrap().content, c);
        let mut moved = r.clone();
        moved.id = "m2".into();
        assert!(open_mood(&key, &moved).is_err());
    }
}
