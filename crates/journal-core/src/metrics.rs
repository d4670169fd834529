//! Health data (questionnaire results, and later mood check-ins) is encrypted under one metrics
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
