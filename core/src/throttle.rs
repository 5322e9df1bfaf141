//! Client-side throttling at Neon's documented rate limits, shared by clones. Waiting callers are served in
//! order: each limiter's wait happens under a fair (FIFO) tokio mutex.

use crate::retry::Method;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A limiter whose waiters queue in arrival order.
struct FairLimiter {
    queue: tokio::sync::Mutex<()>,
    limiter: DefaultDirectRateLimiter,
}

impl FairLimiter {
    fn new(period: Duration, burst: u32) -> FairLimiter {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        FairLimiter {
            queue: tokio::sync::Mutex::new(()),
            limiter: RateLimiter::direct(quota),
        }
    }

    async fn wait(&self) {
        let _turn = self.queue.lock().await;
        self.limiter.until_ready().await;
    }
}

/// The throttle of one client and its clones. Quotas are set so that no window of Neon's limits can be
/// exceeded: burst + rate × window stays under the limit.
pub(crate) struct Throttle {
    enabled: bool,
    /// Neon: 700 requests/minute per account. Here: 11/s, burst 30 (at most 690 in any minute).
    account: FairLimiter,
    /// Neon: 40 requests/second per route. Here: 30/s, burst 10.
    routes: Mutex<HashMap<String, Arc<FairLimiter>>>,
    /// Neon: 10 org-key creates/second. Here: 8/s, burst 2.
    org_create: FairLimiter,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle")
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

/// The route key of a request: method plus path template.
pub(crate) fn route_key(method: Method, route: &str) -> String {
    format!("{} {route}", method.as_str())
}

impl Throttle {
    pub(crate) fn new(enabled: bool) -> Throttle {
        Throttle {
            enabled,
            account: FairLimiter::new(Duration::from_micros(1_000_000 / 11), 30),
            routes: Mutex::new(HashMap::new()),
            org_create: FairLimiter::new(Duration::from_millis(125), 2),
        }
    }

    fn route(&self, key: &str) -> Arc<FairLimiter> {
        let mut routes = match self.routes.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        routes
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(FairLimiter::new(Duration::from_micros(1_000_000 / 30), 10))
            })
            .clone()
    }

    /// Waits until a request on `route` may be sent. Returns how long it waited.
    pub(crate) async fn acquire(&self, method: Method, route: &str) -> Duration {
        if !self.enabled {
            return Duration::ZERO;
        }
        let started = tokio::time::Instant::now();
        if method == Method::Post && route.starts_with("/organizations/") {
            self.org_create.wait().await;
        }
        self.route(&route_key(method, route)).wait().await;
        self.account.wait().await;
        started.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn disabled_throttle_never_waits() {
        let t = Throttle::new(false);
        for _ in 0..100 {
            assert_eq!(t.acquire(Method::Get, "/api_keys").await, Duration::ZERO);
        }
    }

    #[tokio::test]
    async fn burst_passes_without_waiting_much() {
        let t = Throttle::new(true);
        for _ in 0..2 {
            t.acquire(Method::Post, "/organizations/{org_id}/api_keys")
                .await;
        }
        for _ in 0..8 {
            t.acquire(Method::Get, "/api_keys").await;
        }
    }
}
