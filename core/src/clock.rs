//! Neon's clock, as seen through the `Date` header of its responses.
//!
//! Key timestamps (`created_at`, `last_used_at`) are written by Neon's clock, not this machine's, so a window
//! in which a key may have been created must be measured on Neon's clock. Every response's `Date` header
//! updates the offset between the two; until one arrives the offset is zero.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

/// The slack added on each side of a window measured on Neon's clock: `Date` and Neon's timestamps are whole
/// seconds (up to 1 s each), plus the time a response takes to arrive.
pub(crate) const WINDOW_SLACK: Duration = Duration::from_secs(2);

/// The offset of Neon's clock from this machine's, shared by a client's clones.
#[derive(Debug, Default)]
pub(crate) struct ServerClock {
    offset_ms: AtomicI64,
}

impl ServerClock {
    /// Reads the `Date` header of a response (RFC 9110 IMF-fixdate, or any RFC 2822 date); ignores a missing
    /// or unreadable one.
    pub(crate) fn observe(&self, headers: &http::HeaderMap) {
        let Some(date) = headers
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)
        else {
            return;
        };
        let offset = date.signed_duration_since(DateTime::<Utc>::from(SystemTime::now()));
        self.offset_ms
            .store(offset.num_milliseconds(), Ordering::Relaxed);
    }

    /// This machine's `local` time on Neon's clock.
    pub(crate) fn to_server(&self, local: SystemTime) -> DateTime<Utc> {
        let offset = chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        DateTime::<Utc>::from(local) + offset
    }

    /// Now, on Neon's clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.to_server(SystemTime::now())
    }
}

/// Parses an HTTP `Date` value (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(value.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `[start − slack, end + slack]`, widened to whole seconds.
pub(crate) fn window(start: DateTime<Utc>, end: DateTime<Utc>) -> (SystemTime, SystemTime) {
    let slack = chrono::Duration::from_std(WINDOW_SLACK).unwrap_or_default();
    let low = start - slack;
    let high = end + slack;
    let floor = DateTime::from_timestamp(low.timestamp(), 0).unwrap_or(low);
    let ceil_secs = if high.timestamp_subsec_nanos() > 0 {
        high.timestamp() + 1
    } else {
        high.timestamp()
    };
    let ceil = DateTime::from_timestamp(ceil_secs, 0).unwrap_or(high);
    (floor.into(), ceil.into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn offset_follows_the_date_header() {
        let clock = ServerClock::default();
        let ahead = Utc::now() + chrono::Duration::seconds(5);
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::DATE,
            ahead
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string()
                .parse()
                .unwrap(),
        );
        clock.observe(&headers);
        let skew = clock.now() - Utc::now();
        assert!(
            skew > chrono::Duration::milliseconds(3900) && skew < chrono::Duration::seconds(6),
            "{skew}"
        );
    }

    #[test]
    fn unreadable_dates_are_ignored() {
        let clock = ServerClock::default();
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::DATE, "yesterday".parse().unwrap());
        clock.observe(&headers);
        assert!((clock.now() - Utc::now()).num_milliseconds().abs() < 1000);
        assert!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").is_some());
    }

    #[test]
    fn windows_are_whole_seconds_with_slack() {
        let start = DateTime::parse_from_rfc3339("2025-01-01T00:00:10.400Z")
            .unwrap()
            .with_timezone(&Utc);
        let end = DateTime::parse_from_rfc3339("2025-01-01T00:00:12.100Z")
            .unwrap()
            .with_timezone(&Utc);
        let (low, high) = window(start, end);
        assert_eq!(
            DateTime::<Utc>::from(low).to_rfc3339(),
            "2025-01-01T00:00:08+00:00"
        );
        assert_eq!(
            DateTime::<Utc>::from(high).to_rfc3339(),
            "2025-01-01T00:00:15+00:00"
        );
    }
}
