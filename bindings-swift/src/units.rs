//! Durations, dates and counts across the FFI. Swift hands them over as `Double` seconds (never as uniffi's
//! `Duration`/`SystemTime`, whose Swift lowering traps on a negative, NaN or infinite value); they are checked
//! here with the core's rules. Durations coming back are exact ([`FfiDuration`]).

use crate::error::FfiError;
use chrono::{DateTime, Utc};
use neon_api_keys::{duration_from_secs, Error, ErrorKind};
use std::time::Duration;

/// A duration handed to Swift, exactly: whole seconds plus nanoseconds.
#[derive(uniffi::Record, Debug, Clone, Copy, PartialEq, Eq)]
pub struct FfiDuration {
    /// Whole seconds.
    pub seconds: u64,
    /// The nanoseconds past `seconds` (below 1,000,000,000).
    pub nanoseconds: u32,
}

impl From<Duration> for FfiDuration {
    fn from(d: Duration) -> FfiDuration {
        FfiDuration {
            seconds: d.as_secs(),
            nanoseconds: d.subsec_nanos(),
        }
    }
}

/// `seconds` as a [`Duration`] (the core's `duration_from_secs`: finite and not negative, else
/// `InvalidInput` naming `what`).
pub(crate) fn duration(what: &str, seconds: f64) -> Result<Duration, Error> {
    duration_from_secs(what, seconds)
}

/// `seconds` checked by the core's rule (finite, not negative; clamped past 1e12 s) and handed back exactly:
/// the Swift layer checks every duration with this, under its Swift name, before it crosses with a call.
#[uniffi::export]
pub fn ffi_duration(what: String, seconds: f64) -> Result<FfiDuration, FfiError> {
    Ok(duration(&what, seconds)?.into())
}

/// An optional [`duration`].
pub(crate) fn opt_duration(what: &str, seconds: Option<f64>) -> Result<Option<Duration>, Error> {
    seconds.map(|s| duration(what, s)).transpose()
}

/// A count given as a Swift `Int` (a number of retries) as the core's `u32`: `InvalidInput` naming `what`
/// when it does not fit.
pub(crate) fn opt_count(what: &str, value: Option<i64>) -> Result<Option<u32>, Error> {
    value
        .map(|n| {
            u32::try_from(n).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!("{what} must be from 0 to {}; got {n}", u32::MAX),
                )
            })
        })
        .transpose()
}

/// Seconds since 1970-01-01T00:00:00Z as a UTC date-time: `InvalidInput` naming `what` when the value is not
/// finite or lies outside the dates a date-time can hold.
pub(crate) fn date_time(what: &str, seconds: f64) -> Result<DateTime<Utc>, Error> {
    let out_of_range = || {
        Error::new(
            ErrorKind::InvalidInput,
            format!("{what} must be a finite date; got {seconds} seconds since 1970"),
        )
    };
    if !seconds.is_finite() {
        return Err(out_of_range());
    }
    let whole = seconds.floor();
    // `as` saturates; a saturated value is out of chrono's range and rejected below.
    let nanos = ((seconds - whole) * 1e9).round().min(999_999_999.0) as u32;
    DateTime::from_timestamp(whole as i64, nanos).ok_or_else(out_of_range)
}

/// An optional [`date_time`].
pub(crate) fn opt_date_time(
    what: &str,
    seconds: Option<f64>,
) -> Result<Option<DateTime<Utc>>, Error> {
    seconds.map(|s| date_time(what, s)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_durations_are_invalid_input_naming_the_parameter() {
        for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.001] {
            let error = duration("timeout", bad).err();
            assert_eq!(
                error.as_ref().map(Error::kind),
                Some(ErrorKind::InvalidInput)
            );
            assert!(error.is_some_and(|e| e.message().contains("timeout")));
        }
        assert_eq!(duration("t", 1.5).ok(), Some(Duration::from_millis(1500)));
        assert_eq!(opt_duration("t", None).ok(), Some(None));
    }

    #[test]
    fn dates_round_trip_and_bad_ones_are_invalid_input() {
        let date = date_time("since", 1_735_689_600.25).ok();
        assert_eq!(
            date.map(|d| d.to_rfc3339()),
            Some("2025-01-01T00:00:00.250+00:00".to_string())
        );
        let before_1970 = date_time("since", -1.5).ok();
        assert_eq!(before_1970.map(|d| d.timestamp_millis()), Some(-1500));
        for bad in [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e300, -1e300] {
            let error = date_time("since", bad).err();
            assert_eq!(
                error.as_ref().map(Error::kind),
                Some(ErrorKind::InvalidInput)
            );
            assert!(error.is_some_and(|e| e.message().contains("since")));
        }
    }

    #[test]
    fn counts_must_fit_the_core() {
        assert_eq!(opt_count("max_retries", Some(3)).ok(), Some(Some(3)));
        for bad in [-1, i64::from(u32::MAX) + 1] {
            let error = opt_count("max_retries", Some(bad)).err();
            assert!(error.is_some_and(
                |e| e.kind() == ErrorKind::InvalidInput && e.message().contains("max_retries")
            ));
        }
    }

    #[test]
    fn durations_go_out_exactly() {
        let d = FfiDuration::from(Duration::new(86_400, 1));
        assert_eq!((d.seconds, d.nanoseconds), (86_400, 1));
    }
}
