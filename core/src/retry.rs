//! Neon's retry rules (the matrix in `docs/neon-api.md`), backoff, `Retry-After`, and the per-client retry budget.

use rand::Rng;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// What kind of call is being retried: it decides what is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// `GET`: always safe.
    Get,
    /// `DELETE` (revoke): retried like a read (a repeated revoke answers 404 at worst).
    Delete,
    /// `POST` (create): the secret is shown once, so never repeated once the request may have been written.
    Post,
}

impl Method {
    pub(crate) fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Delete => http::Method::DELETE,
            Method::Post => http::Method::POST,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Delete => "DELETE",
            Method::Post => "POST",
        }
    }
}

/// How one attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Connect refused, DNS, TLS handshake: nothing was sent.
    NotSent,
    /// A response with this non-2xx status.
    Status(u16),
    /// The attempt timed out after the request may have been written.
    Timeout,
    /// Reset or EOF after the request may have been written.
    Lost,
    /// A 2xx whose body could not be read or parsed.
    BrokenBody,
}

impl std::fmt::Display for Failure {
    /// A few words for logs: `status 503`, `timeout`, `connection lost`, ...
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NotSent => f.write_str("not sent (connection failed)"),
            Failure::Status(status) => write!(f, "status {status}"),
            Failure::Timeout => f.write_str("timeout"),
            Failure::Lost => f.write_str("connection lost"),
            Failure::BrokenBody => f.write_str("broken response body"),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Try again (subject to retries left, budget and deadline).
    Retry,
    /// Give up with the attempt's error.
    Fail,
    /// A create may have happened: give up with `OutcomeUnknown`.
    OutcomeUnknown,
}

/// The retry matrix. `broken_bodies_retried` counts earlier retries of a broken 2xx body in this call.
pub(crate) fn verdict(method: Method, failure: Failure, broken_bodies_retried: u32) -> Verdict {
    let create = method == Method::Post;
    match failure {
        Failure::NotSent => Verdict::Retry,
        Failure::Status(423 | 429 | 503) => Verdict::Retry,
        Failure::Status(408 | 500 | 502 | 504) | Failure::Timeout | Failure::Lost => {
            if create {
                Verdict::OutcomeUnknown
            } else {
                Verdict::Retry
            }
        }
        Failure::Status(_) => Verdict::Fail,
        Failure::BrokenBody => match method {
            Method::Post => Verdict::OutcomeUnknown,
            Method::Get if broken_bodies_retried >= 1 => Verdict::Fail,
            Method::Get | Method::Delete => Verdict::Retry,
        },
    }
}

/// Full-jitter exponential backoff: a random wait in `[0, min(cap, base * 2^retry)]`.
pub(crate) fn backoff(base: Duration, cap: Duration, retry: u32) -> Duration {
    let ceiling = backoff_ceiling(base, cap, retry);
    let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    if millis == 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(rand::rng().random_range(0..=millis))
}

/// The upper bound of [`backoff`] for a retry number.
pub(crate) fn backoff_ceiling(base: Duration, cap: Duration, retry: u32) -> Duration {
    let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
    base.checked_mul(factor).unwrap_or(cap).min(cap)
}

/// Parses `Retry-After`: delta-seconds (`"120"`, fractions accepted) or an HTTP-date (a past date is zero).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    parse_retry_after_unclamped(value).map(|wait| wait.min(MAX_RETRY_AFTER))
}

/// The longest `Retry-After` kept: anything longer says "not today" just as well, and stays far from the
/// overflow edges of every binding's time types.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(30 * 24 * 60 * 60);

fn parse_retry_after_unclamped(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Duration::try_from_secs_f64(secs).ok();
        }
        return None;
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// A per-client retry budget shared by clones, like AWS's standard retry mode: retries spend tokens,
/// successes earn a few back, so a storm of failures is not amplified.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
}

impl RetryBudget {
    /// Tokens when full.
    pub(crate) const CAPACITY: u32 = 500;
    /// Cost of a retry.
    pub(crate) const RETRY_COST: u32 = 5;
    /// Cost of a retry after a timeout.
    pub(crate) const TIMEOUT_COST: u32 = 10;
    /// Refund for a success.
    pub(crate) const SUCCESS_REFUND: u32 = 1;

    pub(crate) fn new() -> RetryBudget {
        RetryBudget {
            tokens: AtomicU32::new(Self::CAPACITY),
        }
    }

    /// Takes the cost of a retry; `false` (and nothing taken) when the budget cannot pay it.
    pub(crate) fn try_spend(&self, timeout: bool) -> bool {
        let cost = if timeout {
            Self::TIMEOUT_COST
        } else {
            Self::RETRY_COST
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// Gives a token back after a success (saturating at the capacity).
    pub(crate) fn refund(&self) {
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(Self::SUCCESS_REFUND).min(Self::CAPACITY))
            });
    }

    /// Tokens left.
    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_clamped_to_thirty_days() {
        assert_eq!(
            parse_retry_after("18446744073709551615"),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(parse_retry_after("86400"), Some(Duration::from_secs(86400)));
        assert_eq!(parse_retry_after("1e400"), None);
    }

    #[test]
    fn matrix_matches_design() {
        use Failure::*;
        use Method::*;
        use Verdict::*;
        for m in [Get, Delete, Post] {
            assert_eq!(verdict(m, NotSent, 0), Retry);
            for s in [423, 429, 503] {
                assert_eq!(verdict(m, Status(s), 0), Retry);
            }
            for s in [400, 401, 403, 404, 409, 418, 422] {
                assert_eq!(verdict(m, Status(s), 0), Fail);
            }
        }
        for f in [
            Status(408),
            Status(500),
            Status(502),
            Status(504),
            Timeout,
            Lost,
            BrokenBody,
        ] {
            assert_eq!(verdict(Post, f, 0), OutcomeUnknown, "{f:?}");
            assert_eq!(verdict(Delete, f, 0), Retry, "{f:?}");
            assert_eq!(verdict(Get, f, 0), Retry, "{f:?}");
        }
        assert_eq!(verdict(Get, BrokenBody, 1), Fail);
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        let base = Duration::from_millis(250);
        let cap = Duration::from_secs(10);
        assert_eq!(backoff_ceiling(base, cap, 0), base);
        assert_eq!(backoff_ceiling(base, cap, 2), Duration::from_secs(1));
        assert_eq!(backoff_ceiling(base, cap, 10), cap);
        assert_eq!(backoff_ceiling(base, cap, u32::MAX), cap);
        for retry in 0..40 {
            assert!(backoff(base, cap, retry) <= cap);
        }
        assert_eq!(backoff(Duration::ZERO, cap, 3), Duration::ZERO);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let future = (chrono::Utc::now() + chrono::Duration::seconds(30))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let wait = parse_retry_after(&future).unwrap_or_default();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
    }

    #[test]
    fn budget_spends_refunds_and_saturates() {
        let b = RetryBudget::new();
        b.refund();
        assert_eq!(b.available(), RetryBudget::CAPACITY);
        assert!(b.try_spend(true));
        assert_eq!(
            b.available(),
            RetryBudget::CAPACITY - RetryBudget::TIMEOUT_COST
        );
        while b.try_spend(false) {}
        assert!(b.available() < RetryBudget::RETRY_COST);
        assert!(!b.try_spend(false));
        b.refund();
        assert!(b.available() >= 1);
    }
}
