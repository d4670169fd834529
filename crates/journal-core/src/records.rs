//! Whole personal records (the prompt book, the safety plan) sealed as one document each, under
//! the records sub-key of the data key (docs/SECURITY.md, "Sub-keys").

use journal_crypto::{Aad, CryptoError, SymmetricKey, open, seal};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::UnlockedUser;

pub const PROMPT_BOOK: &str = "prompt_book";
pub const SAFETY_PLAN: &str = "safety_plan";

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
pub fn seal_row<T: Serialize>(user: &UnlockedUser, table: &str, id: &str, value: &T) -> Vec<u8> {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(value).unwrap_or_default());
    seal(&records_key(user), &Aad::new(table, "content", id, user.id()), &json)
}

pub fn open_row<T: DeserializeOwned>(
    user: &UnlockedUser,
    table: &str,
    id: &str,
    blob: &[u8],
) -> Result<T, CryptoError> {
    let json = open(&records_key(user), &Aad::new(table, "content", id, user.id()), blob)?;
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
