//! Neon's documented rate limits, as sliding windows: 700 requests per minute per account, 40 per second
//! per route (per account), 10 per second for org key creation. Over a limit the request gets 429.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The route whose per-second limit is [`Limits::org_create_per_second`] instead of [`Limits::per_second`].
pub(crate) const ORG_CREATE_ROUTE: &str = "POST /organizations/{org_id}/api_keys";

/// The numbers in force (changeable through `POST /_emulator/rate_limits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Limits {
    /// Requests per minute per account (Neon: 700).
    pub per_minute: u32,
    /// Requests per second per route and account (Neon: 40).
    pub per_second: u32,
    /// `POST /organizations/{org_id}/api_keys` per second and account (Neon: 10).
    pub org_create_per_second: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_minute: 700,
            per_second: 40,
            org_create_per_second: 10,
        }
    }
}

/// Sliding-window counters of accepted requests.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    pub enabled: bool,
    pub limits: Limits,
    per_account: HashMap<String, VecDeque<Instant>>,
    per_route: HashMap<(String, String), VecDeque<Instant>>,
}

impl RateLimiter {
    /// A limiter with Neon's numbers, on or off.
    pub fn new(enabled: bool) -> Self {
        RateLimiter {
            enabled,
            limits: Limits::default(),
            per_account: HashMap::new(),
            per_route: HashMap::new(),
        }
    }

    /// Records a request of `account` on `route` (e.g. `GET /api_keys`); false if it is over a limit
    /// (a rejected request is not counted).
    pub fn admit(&mut self, account: &str, route: &str) -> bool {
        if !self.enabled {
            return true;
        }
        let now = Instant::now();
        let route_limit = if route == ORG_CREATE_ROUTE {
            self.limits.org_create_per_second
        } else {
            self.limits.per_second
        };
        let minute = self.per_account.entry(account.to_owned()).or_default();
        prune(minute, now, Duration::from_secs(60));
        let second = self
            .per_route
            .entry((account.to_owned(), route.to_owned()))
            .or_default();
        prune(second, now, Duration::from_secs(1));
        if second.len() >= route_limit as usize {
            return false;
        }
        let minute = self.per_account.entry(account.to_owned()).or_default();
        if minute.len() >= self.limits.per_minute as usize {
            return false;
        }
        minute.push_back(now);
        self.per_route
            .entry((account.to_owned(), route.to_owned()))
            .or_default()
            .push_back(now);
        true
    }
}

fn prune(window: &mut VecDeque<Instant>, now: Instant, span: Duration) {
    while let Some(first) = window.front() {
        if now.duration_since(*first) >= span {
            window.pop_front();
        } else {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_limit_then_account_limit() {
        let mut rl = RateLimiter::new(true);
        rl.limits = Limits {
            per_minute: 5,
            per_second: 3,
            org_create_per_second: 1,
        };
        assert!(rl.admit("a", "GET /x"));
        assert!(rl.admit("a", "GET /x"));
        assert!(rl.admit("a", "GET /x"));
        assert!(!rl.admit("a", "GET /x"));
        assert!(rl.admit("b", "GET /x"));
        assert!(rl.admit("a", ORG_CREATE_ROUTE));
        assert!(!rl.admit("a", ORG_CREATE_ROUTE));
        assert!(rl.admit("a", "GET /y"));
        assert!(!rl.admit("a", "GET /z"));
    }

    #[test]
    fn disabled_admits_everything() {
        let mut rl = RateLimiter::new(false);
        assert!((0..1000).all(|_| rl.admit("a", "GET /x")));
    }
}
