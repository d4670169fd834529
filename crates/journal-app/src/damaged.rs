//! Items that fail to decrypt: a damaged row (a bad disk, a bad restore, someone editing the
//! database) must not take the rest of a page down with it. Lists leave it out and say so, the
//! item's own address answers `item_damaged`, and the log names it once, without content.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use serde::Serialize;

use crate::error::ServiceError;

/// An item left out of a list because it can't be opened.
#[derive(Debug, Clone, Serialize)]
pub struct DamagedItem {
    /// The item's id; its own address answers 422 `item_damaged`.
    pub id: String,
    /// When it is for: an entry's `YYYY-MM-DD`, a check-in's time (RFC 3339).
    pub date: String,
}

/// Enough to remember every damaged item a server is likely to meet; past it, repeats are
/// logged again rather than remembered without bound.
const REMEMBERED: usize = 10_000;

static LOGGED: LazyLock<Mutex<HashSet<(&'static str, String)>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

/// Logs a damaged item at warn level, once per item in this process.
pub fn note(kind: &'static str, id: &str) {
    if first_report(kind, id) {
        tracing::warn!(kind, id, "an item failed to decrypt with its owner's key and is shown as damaged");
    }
}

fn first_report(kind: &'static str, id: &str) -> bool {
    match LOGGED.lock() {
        Ok(mut seen) if seen.len() < REMEMBERED => seen.insert((kind, id.to_owned())),
        Ok(seen) => !seen.contains(&(kind, id.to_owned())),
        Err(_) => true,
    }
}

/// The answer for a damaged item's own address.
pub fn error(kind: &'static str, id: &str) -> ServiceError {
    note(kind, id);
    ServiceError::Damaged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_damaged_item_is_reported_once() {
        assert!(first_report("entry", "unit-test-one"));
        assert!(!first_report("entry", "unit-test-one"));
        assert!(first_report("mood", "unit-test-one"), "kinds are apart");
        assert!(first_report("entry", "unit-test-two"));
    }
}
