//! Therapy Journal's domain: the rules about accounts, keys, entries, health data, goals and sharing,
//! expressed as types, and the `Store` trait that the storage crates implement.
//!
//! Nothing here speaks HTTP or SQL. Everything a user wrote reaches a `Store` only as ciphertext.

pub mod accounts;
pub mod assessments;
pub mod bridge;
pub mod crisis;
pub mod dates;
pub mod drafts;
pub mod emotions;
pub mod entries;
pub mod fhir;
pub mod goals;
pub mod ids;
pub mod import;
pub mod insights;
pub mod metrics;
pub mod prompts;
pub mod records;
pub mod reminder_delivery;
pub mod reminder_schedule;
pub mod safety_plan;
pub mod search;
pub mod server_keys;
pub mod store;
#[cfg(test)]
mod testing;
pub mod thought_records;
pub mod time_util;
pub mod validate;

pub use accounts::{Role, UnlockedUser};
pub use store::{SessionKind, SessionRecord, Store, StoreError, UserRecord};
