//! Whole personal records (the prompt book, the safety plan) sealed as one document each, under
//! the records sub-key of the data key (docs/SECURITY.md, "Sub-keys").

use journal_crypto::{Aad, CryptoError, SymmetricKey, open, seal};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::UnlockedUser;

// Document kinds and table names are part of each sealed blob's AAD (and the kinds are also the
// `documents.kind` of their row): changing one makes every existing copy fail to open.
pub const PROMPT_BOOK: &str = "prompt_book";
pub const SAFETY_PLAN: &str = "safety_plan";
/// The achievements already celebrated.
pub const ACHIEVEMENTS_SEEN: &str = "achievements_seen";
/// What has been imported already, so an import is not counted twice.
pub const IMPORT_LEDGER: &str = "import_ledger";
/// An uploaded import file waiting for confirmation.
pub const IMPORT_PENDING: &str = "import_pending";
/// The access-log head sealed at the last sign-in.
pub const ACCESS_LOG_SEAL: &str = "access_log_seal";
/// A therapist's "seen" marks on caseload alerts, per client (`assessments::alerts::SeenMark`).
pub const CASELOAD_SEEN: &str = "caseload_seen";
/// The person's questionnaire schedules (`assessments::schedule::Schedule`).
pub const QUESTIONNAIRE_SCHEDULE: &str = "questionnaire_schedule";
/// The person's own list of check-in activities, in their order.
pub const ACTIVITY_LIST: &str = "activity_list";
/// The therapist proposals a client has accepted or declined (their ids).
pub const PROPOSALS_ANSWERED: &str = "schedule_proposals_answered";

/// The tables whose rows are sealed one by one under the records key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowTable {
    Goals,
    /// A check-in's note.
    GoalCheckins,
    /// The calendar-feed token (`reminders.feed_token_sealed`).
    Reminders,
}

impl RowTable {
    fn label(self) -> &'static str {
        match self {
            RowTable::Goals => "goals",
            RowTable::GoalCheckins => "goal_checkins",
            RowTable::Reminders => "reminders",
        }
    }
}

fn records_key(user: &UnlockedUser) -> SymmetricKey {
    user.dek.derive("tj/records")
}

fn aad<'a>(kind: &'a str, owner: &'a str) -> Aad<'a> {
    Aad::new("documents", "content", kind, owner)
}

pub fn seal_document<T: Serialize>(user: &UnlockedUser, kind: &str, value: &T) -> Vec<u8> {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(value).unwrap_or_default());
    seal(&records_key(user), &aad(kind, user.id()), &json)
}

pub fn open_document<T: DeserializeOwned>(user: &UnlockedUser, kind: &str, blob: &[u8]) -> Result<T, CryptoError> {
    let json = open(&records_key(user), &aad(kind, user.id()), blob)?;
    serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
}

/// Seals one row's value (a goal, a check-in's note) under the records key, bound to its row.
pub fn seal_row<T: Serialize>(user: &UnlockedUser, table: RowTable, id: &str, value: &T) -> Vec<u8> {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(value).unwrap_or_default());
    seal(&records_key(user), &Aad::new(table.label(), "content", id, user.id()), &json)
}

pub fn open_row<T: DeserializeOwned>(
    user: &UnlockedUser,
    table: RowTable,
    id: &str,
    blob: &[u8],
) -> Result<T, CryptoError> {
    let json = open(&records_key(user), &Aad::new(table.label(), "content", id, user.id()), blob)?;
    serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
}

/// Seals raw bytes as a document (a file waiting between an upload and its confirmation).
pub fn seal_document_bytes(user: &UnlockedUser, kind: &str, bytes: &[u8]) -> Vec<u8> {
    seal(&records_key(user), &aad(kind, user.id()), bytes)
}

pub fn open_document_bytes(
    user: &UnlockedUser,
    kind: &str,
    blob: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>, CryptoError> {
    open(&records_key(user), &aad(kind, user.id()), blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind and table must give exactly the AAD (and sub-key) that existing rows were sealed
    /// with; a rename here would orphan them.
    #[test]
    fn records_labels_open_rows_sealed_with_the_old_literals() {
        let u = UnlockedUser::new(crate::testing::user_record("u1"), SymmetricKey::generate());
        let old_key = u.dek.derive("tj/records");
        for (kind, literal) in [
            (PROMPT_BOOK, "prompt_book"),
            (SAFETY_PLAN, "safety_plan"),
            (ACHIEVEMENTS_SEEN, "achievements_seen"),
            (IMPORT_LEDGER, "import_ledger"),
            (IMPORT_PENDING, "import_pending"),
            (ACCESS_LOG_SEAL, "access_log_seal"),
            (CASELOAD_SEEN, "caseload_seen"),
            (QUESTIONNAIRE_SCHEDULE, "questionnaire_schedule"),
            (ACTIVITY_LIST, "activity_list"),
        ] {
            let blob = seal_document(&u, kind, &"v");
            let json = open(&old_key, &Aad::new("documents", "content", literal, "u1"), &blob).unwrap();
            assert_eq!(json.as_slice(), b"\"v\"", "{literal}");
            let blob = seal_document_bytes(&u, kind, b"raw");
            assert_eq!(
                open(&old_key, &Aad::new("documents", "content", literal, "u1"), &blob).unwrap().as_slice(),
                b"raw"
            );
        }
        for (table, literal) in
            [(RowTable::Goals, "goals"), (RowTable::GoalCheckins, "goal_checkins"), (RowTable::Reminders, "reminders")]
        {
            let blob = seal_row(&u, table, "r1", &"v");
            let json = open(&old_key, &Aad::new(literal, "content", "r1", "u1"), &blob).unwrap();
            assert_eq!(json.as_slice(), b"\"v\"", "{literal}");
            let old = seal(&old_key, &Aad::new(literal, "content", "r2", "u1"), b"\"w\"");
            assert_eq!(open_row::<String>(&u, table, "r2", &old).unwrap(), "w");
        }
    }
}
