//! Fixed-window attempt counters per key ("login-ip:…", "login-account:…"), in memory. Each
//! server counts its own attempts; behind a load balancer the effective limit is per server.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

const PRUNE_AT: usize = 10_000;

impl RateLimiter {
    /// Counts one attempt; `Err(seconds)` says how long until the next is allowed.
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let mut map = match self.windows.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() > PRUNE_AT {
            map.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let wait = window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_then_says_when_to_retry() {
        let rl = RateLimiter::default();
        for _ in 0..3 {
            assert!(rl.hit("k", 3, Duration::from_secs(60)).is_ok());
        }
        let wait = rl.hit("k", 3, Duration::from_secs(60)).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(rl.hit("other", 3, Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn window_resets() {
        let rl = RateLimiter::default();
        assert!(rl.hit("k", 1, Duration::from_millis(1)).is_ok());
        std::thread::sleep(Duration::from_millis(5));
        assert!(rl.hit("k", 1, Duration::from_millis(1)).is_ok());
    }
}
