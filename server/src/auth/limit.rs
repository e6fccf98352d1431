//! A small in-memory rate limiter for sign-in and token creation: at most
//! `max` attempts per key (client address, username) in a fixed window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Limiter {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Limiter {
            max,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt for every key; false when any of them is over the limit.
    pub fn allow(&self, keys: &[String]) -> bool {
        let now = Instant::now();
        let mut seen = match self.seen.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if seen.len() > 10_000 {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let mut allowed = true;
        for key in keys {
            let entry = seen.entry(key.clone()).or_insert((now, 0));
            if now.duration_since(entry.0) >= self.window {
                *entry = (now, 0);
            }
            entry.1 = entry.1.saturating_add(1);
            if entry.1 > self.max {
                allowed = false;
            }
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attempt_after_the_limit_is_refused_per_key() {
        let l = Limiter::new(2, Duration::from_secs(60));
        let a = ["ip:1".to_owned(), "user:ada".to_owned()];
        assert!(l.allow(&a));
        assert!(l.allow(&a));
        assert!(!l.allow(&a));
        assert!(l.allow(&["ip:2".to_owned(), "user:bob".to_owned()]));
        let zero = Limiter::new(1, Duration::ZERO);
        assert!(
            zero.allow(&a) && zero.allow(&a),
            "a new window starts afresh"
        );
    }
}
