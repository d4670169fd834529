//! Per-user search indexes in memory, under one global memory bound (least recently used go
//! first), dropped at logout and after a period of disuse. Nothing here ever touches disk.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::UserIndex;

struct Slot {
    index: Arc<RwLock<UserIndex>>,
    last_used: Instant,
    bytes: usize,
}

pub struct SearchCache {
    limit_bytes: usize,
    slots: Mutex<HashMap<String, Slot>>,
}

impl SearchCache {
    pub fn new(limit_bytes: usize) -> Self {
        Self { limit_bytes, slots: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        match self.slots.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The user's index if it was built from `version` of their entries.
    pub fn get(&self, user_id: &str, version: i64) -> Option<Arc<RwLock<UserIndex>>> {
        let mut slots = self.lock();
        let slot = slots.get_mut(user_id)?;
        let current = slot.index.read().map(|i| i.version == version).unwrap_or(false);
        if !current {
            slots.remove(user_id);
            return None;
        }
        slot.last_used = Instant::now();
        Some(slot.index.clone())
    }

    pub fn insert(&self, user_id: &str, index: UserIndex) -> Arc<RwLock<UserIndex>> {
        let bytes = index.approx_bytes();
        let index = Arc::new(RwLock::new(index));
        let mut slots = self.lock();
        slots.insert(user_id.to_owned(), Slot { index: index.clone(), last_used: Instant::now(), bytes });
        let mut total: usize = slots.values().map(|s| s.bytes).sum();
        while total > self.limit_bytes && slots.len() > 1 {
            let Some(oldest) = slots
                .iter()
                .filter(|(id, _)| id.as_str() != user_id)
                .min_by_key(|(_, s)| s.last_used)
                .map(|(id, _)| id.clone())
            else {
                break;
            };
            if let Some(gone) = slots.remove(&oldest) {
                total -= gone.bytes;
            }
        }
        index
    }

    /// Applies a write made on this server: when the cached index is exactly one version behind,
    /// `apply` updates it in place; otherwise it is dropped and rebuilt on the next search.
    pub fn after_write(&self, user_id: &str, new_version: i64, apply: impl FnOnce(&mut UserIndex)) {
        let mut slots = self.lock();
        let Some(slot) = slots.get_mut(user_id) else {
            return;
        };
        let applied = match slot.index.write() {
            Ok(mut index) if index.version + 1 == new_version => {
                apply(&mut index);
                index.version = new_version;
                slot.bytes = index.approx_bytes();
                true
            }
            _ => false,
        };
        if !applied {
            slots.remove(user_id);
        }
    }

    pub fn remove(&self, user_id: &str) {
        self.lock().remove(user_id);
    }

    pub fn evict_idle(&self, idle: Duration) {
        let now = Instant::now();
        self.lock().retain(|_, s| now.duration_since(s.last_used) < idle);
    }

    /// (users cached, approximate bytes).
    pub fn usage(&self) -> (usize, usize) {
        let slots = self.lock();
        (slots.len(), slots.values().map(|s| s.bytes).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(version: i64, body_len: usize) -> UserIndex {
        let entry = crate::entries::Entry {
            id: "a".into(),
            entry_date: "2024-01-01".into(),
            content: crate::entries::EntryContent {
                // Distinct words, so the index grows with the text.
                body: (0..body_len / 8).map(|i| format!("w{i:05} ")).collect(),
                ..Default::default()
            },
            created_at: 0,
            updated_at: 0,
        };
        UserIndex::build(version, [&entry])
    }

    #[test]
    fn stale_versions_are_not_served() {
        let cache = SearchCache::new(1 << 20);
        cache.insert("u", index(3, 100));
        assert!(cache.get("u", 3).is_some());
        assert!(cache.get("u", 4).is_none());
        assert!(cache.get("u", 3).is_none(), "a stale index is dropped");
    }

    #[test]
    fn memory_bound_evicts_least_recently_used() {
        let one = index(1, 10_000).approx_bytes();
        let cache = SearchCache::new(one * 5 / 2);
        cache.insert("a", index(1, 10_000));
        cache.insert("b", index(1, 10_000));
        assert!(cache.get("a", 1).is_some());
        cache.insert("c", index(1, 10_000));
        assert!(cache.get("b", 1).is_none(), "b was least recently used");
        assert!(cache.get("a", 1).is_some() && cache.get("c", 1).is_some());
        assert!(cache.usage().1 <= one * 5 / 2);
    }

    #[test]
    fn writes_update_in_place_or_invalidate() {
        let cache = SearchCache::new(1 << 20);
        cache.insert("u", index(1, 100));
        cache.after_write("u", 2, |i| i.remove("a"));
        assert_eq!(cache.get("u", 2).unwrap().read().unwrap().len(), 0);
        cache.after_write("u", 5, |_| {});
        assert!(cache.get("u", 5).is_none(), "a gap in versions means another server wrote");
    }
}
