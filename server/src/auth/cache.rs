//! Callers recently resolved from a bearer token or a session cookie, so that
//! a busy API client or browser does not cost two database queries per
//! request. An entry lives a few seconds (`ttl`) and never past the token's or
//! session's own expiry. Revoking a token, signing out or changing a user on
//! this instance drops every entry at once; another instance sharing the
//! database notices within `ttl`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Caller;

/// How long a resolved caller is reused.
pub const TTL: Duration = Duration::from_secs(5);
/// Past this many entries, stale ones are swept before inserting.
const SWEEP_AT: usize = 4_096;

struct Entry {
    at: Instant,
    /// Unix seconds the credential stops being valid, if it does.
    expires_at: Option<i64>,
    caller: Caller,
}

pub struct CallerCache {
    ttl: Duration,
    /// Keyed by the credential's SHA-256 (hex), never the credential itself.
    entries: Mutex<HashMap<String, Entry>>,
}

impl Default for CallerCache {
    fn default() -> Self {
        Self::new(TTL)
    }
}

impl CallerCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The caller for this credential hash, if resolved less than `ttl` ago
    /// and still valid at `now` (unix seconds).
    pub fn get(&self, hash: &str, now: i64) -> Option<Caller> {
        let entries = self.entries();
        let entry = entries.get(hash)?;
        let fresh = entry.at.elapsed() < self.ttl && entry.expires_at.is_none_or(|e| now < e);
        fresh.then(|| entry.caller.clone())
    }

    pub fn put(&self, hash: String, caller: Caller, expires_at: Option<i64>) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries();
        if entries.len() >= SWEEP_AT {
            let ttl = self.ttl;
            entries.retain(|_, e| e.at.elapsed() < ttl);
        }
        entries.insert(
            hash,
            Entry {
                at: Instant::now(),
                expires_at,
                caller,
            },
        );
    }

    /// Forget everything (a token revoked, a session ended, a user changed).
    pub fn clear(&self) {
        self.entries().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_end_with_the_ttl_the_expiry_or_a_clear() {
        let cache = CallerCache::new(Duration::from_millis(200));
        cache.put("a".into(), Caller::anonymous(), None);
        cache.put("b".into(), Caller::anonymous(), Some(100));
        assert!(cache.get("a", 50).is_some());
        assert!(cache.get("b", 99).is_some());
        assert!(cache.get("b", 100).is_none(), "expired credential");
        assert!(cache.get("c", 50).is_none());
        std::thread::sleep(Duration::from_millis(250));
        assert!(cache.get("a", 50).is_none(), "past the ttl");
        cache.put("a".into(), Caller::anonymous(), None);
        cache.clear();
        assert!(cache.get("a", 50).is_none());
        let off = CallerCache::new(Duration::ZERO);
        off.put("a".into(), Caller::anonymous(), None);
        assert!(off.get("a", 0).is_none());
    }

    #[test]
    fn many_entries_stay_bounded() {
        let cache = CallerCache::new(Duration::from_millis(1));
        for i in 0..3 * SWEEP_AT {
            if i % SWEEP_AT == 0 {
                std::thread::sleep(Duration::from_millis(2));
            }
            cache.put(format!("{i}"), Caller::anonymous(), None);
        }
        assert!(cache.entries().len() <= SWEEP_AT + 1);
    }
}
