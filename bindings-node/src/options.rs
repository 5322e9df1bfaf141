//! Settings from JavaScript: the client's ([`ClientOptions`]) and one call's ([`CallOptions`]), and the
//! translation of JS numbers into the core's types. Only what the caller set reaches the core's builder;
//! everything left out takes the core's default (`neon_api_keys::DEFAULT_*`, exposed by [`crate::catalog`]).

use crate::errors::invalid_input;
use crate::keychain::KeychainEntry;
use crate::MAX_SAFE_INTEGER;
use napi_derive::napi;
use neon_api_keys as core;
use std::time::Duration;

/// Client settings; every field is optional and falls back to the core's default (`DEFAULT_TIMEOUT_MS`,
/// `DEFAULT_CONNECT_TIMEOUT_MS`, `DEFAULT_ATTEMPT_TIMEOUT_MS`, `DEFAULT_MAX_RETRIES`, `DEFAULT_BACKOFF_BASE_MS`,
/// `DEFAULT_BACKOFF_CAP_MS`, `DEFAULT_MAX_RETRY_WAIT_MS`; throttle on, reconciliation off).
#[napi(object, object_to_js = false)]
pub struct ClientOptions {
    /// The key for personal operations (and organization ones when `orgApiKey` is unset).
    pub api_key: Option<String>,
    /// The key for organization operations.
    pub org_api_key: Option<String>,
    /// The API base URL including `/api/v2`; plain `http://` only to loopback hosts.
    pub base_url: Option<String>,
    /// Deadline for a whole call, retries included, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// Deadline for a TCP + TLS connection, in milliseconds.
    pub connect_timeout_ms: Option<f64>,
    /// Deadline for one attempt, in milliseconds.
    pub attempt_timeout_ms: Option<f64>,
    /// Retries after the first attempt (0 disables retries).
    pub max_retries: Option<f64>,
    /// The full-jitter exponential backoff as `[baseMs, capMs]`.
    pub backoff_ms: Option<Vec<f64>>,
    /// The longest `Retry-After` wait accepted, in milliseconds.
    pub max_retry_wait_ms: Option<f64>,
    /// Client-side throttling at Neon's rate limits.
    pub throttle: Option<bool>,
    /// Create exactly once although a response may be lost (one list per create).
    pub reconcile_creates: Option<bool>,
    /// An extra trusted root certificate, PEM.
    pub ca_cert_pem: Option<String>,
    /// Take the key from this keychain entry when no key is given explicitly or by the environment (read
    /// when the client is built): an organization key when its record names an organization, else a personal
    /// key.
    pub keychain: Option<KeychainEntry>,
}

/// Per-call settings.
#[napi(object, object_to_js = false)]
pub struct CallOptions {
    /// Deadline for this call, retries included, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// The `X-Request-ID` to send (Neon then reports it as the request id).
    pub request_id: Option<String>,
    /// Retries for this call.
    pub max_retries: Option<f64>,
}

/// Milliseconds from JS as a duration, through the core's check (negative, NaN or infinite → `invalid_input`
/// naming `name`).
pub(crate) fn millis(name: &str, value: f64) -> core::Result<Duration> {
    core::duration_from_millis(name, value)
}

/// A count from JS (`maxRetries`): a whole number from 0 to 2^32 − 1.
pub(crate) fn count(name: &str, value: f64) -> core::Result<u32> {
    if value.is_finite() && value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(invalid_input(format!(
            "{name} must be a whole number from 0 to {}; got {value}",
            u32::MAX
        )))
    }
}

/// A key id from a JS number. Only a number that is exactly an integer converts: `1.5` or `NaN` would be
/// truncated, and past `Number.MAX_SAFE_INTEGER` the number may already be another id rounded. Whether the
/// id is valid for Neon is the core's check.
pub(crate) fn key_id(name: &str, value: f64) -> core::Result<i64> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER as f64 {
        Ok(value as i64)
    } else {
        Err(invalid_input(format!(
            "{name} must be an integer within Number.MAX_SAFE_INTEGER (Number.isSafeInteger); got {value}"
        )))
    }
}

/// Applies the settings the caller gave to `builder`, and the one every Node client has: key ids are JS
/// numbers, so the core never hands out an id past `Number.MAX_SAFE_INTEGER` (`max_key_id`).
pub(crate) fn configure(
    mut builder: core::ClientBuilder,
    options: Option<ClientOptions>,
) -> core::Result<core::ClientBuilder> {
    builder = builder.max_key_id(MAX_SAFE_INTEGER);
    let Some(o) = options else {
        return Ok(builder);
    };
    if let Some(key) = o.api_key {
        builder = builder.api_key(key);
    }
    if let Some(key) = o.org_api_key {
        builder = builder.org_api_key(key);
    }
    if let Some(url) = o.base_url {
        builder = builder.base_url(url);
    }
    if let Some(ms) = o.timeout_ms {
        builder = builder.timeout(millis("timeoutMs", ms)?);
    }
    if let Some(ms) = o.connect_timeout_ms {
        builder = builder.connect_timeout(millis("connectTimeoutMs", ms)?);
    }
    if let Some(ms) = o.attempt_timeout_ms {
        builder = builder.attempt_timeout(millis("attemptTimeoutMs", ms)?);
    }
    if let Some(n) = o.max_retries {
        builder = builder.max_retries(count("maxRetries", n)?);
    }
    if let Some(backoff) = o.backoff_ms {
        let [base, cap] = backoff[..] else {
            return Err(invalid_input(format!(
                "backoffMs must be [baseMs, capMs], two numbers; got {} numbers",
                backoff.len()
            )));
        };
        builder = builder.backoff(millis("backoffMs[0]", base)?, millis("backoffMs[1]", cap)?);
    }
    if let Some(ms) = o.max_retry_wait_ms {
        builder = builder.max_retry_wait(millis("maxRetryWaitMs", ms)?);
    }
    if let Some(on) = o.throttle {
        builder = builder.throttle(on);
    }
    if let Some(on) = o.reconcile_creates {
        builder = builder.reconcile_creates(on);
    }
    if let Some(pem) = o.ca_cert_pem {
        builder = builder.add_root_certificate_pem(pem.into_bytes());
    }
    if let Some(entry) = o.keychain {
        builder = builder.api_key_from_keychain(entry.service, entry.account);
    }
    Ok(builder)
}

/// The core's call options for what the caller set, plus the cancellation token of the call's `AbortSignal`.
pub(crate) fn call_options(
    options: Option<CallOptions>,
    cancellation: Option<core::CancellationToken>,
) -> core::Result<core::CallOptions> {
    let mut call = core::CallOptions::new();
    if let Some(o) = options {
        if let Some(ms) = o.timeout_ms {
            call = call.timeout(millis("timeoutMs", ms)?);
        }
        if let Some(id) = o.request_id {
            call = call.request_id(id);
        }
        if let Some(n) = o.max_retries {
            call = call.max_retries(count("maxRetries", n)?);
        }
    }
    if let Some(token) = cancellation {
        call = call.cancellation(token);
    }
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::*;
    use neon_api_keys::ErrorKind;

    fn kind<T>(result: core::Result<T>) -> Option<ErrorKind> {
        result.err().map(|e| e.kind())
    }

    #[test]
    fn key_ids_must_be_exact_integers() {
        assert_eq!(key_id("keyId", 42.0).ok(), Some(42));
        assert_eq!(
            key_id("keyId", MAX_SAFE_INTEGER as f64).ok(),
            Some(9_007_199_254_740_991)
        );
        for bad in [
            1.5,
            f64::NAN,
            f64::INFINITY,
            2f64.powi(53),
            -(2f64.powi(60)),
        ] {
            assert_eq!(kind(key_id("keyId", bad)), Some(ErrorKind::InvalidInput));
        }
        let message = key_id("oldId", 0.5).err().map(|e| e.to_string());
        assert!(message.is_some_and(|m| m.contains("oldId")));
    }

    #[test]
    fn durations_go_through_the_core_and_name_the_js_parameter() {
        assert_eq!(
            millis("timeoutMs", 1500.0).ok(),
            Some(Duration::from_millis(1500))
        );
        for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let error = millis("waitForUseMs", bad).err();
            assert_eq!(
                error.as_ref().map(|e| e.kind()),
                Some(ErrorKind::InvalidInput)
            );
            assert!(error.is_some_and(|e| e.message().contains("waitForUseMs")));
        }
        assert!(
            millis("timeoutMs", 1e300).is_ok(),
            "huge values are clamped by the core"
        );
    }

    #[test]
    fn counts_are_whole_and_in_range() {
        assert_eq!(count("maxRetries", 3.0).ok(), Some(3));
        for bad in [-1.0, 0.5, f64::NAN, 1e12] {
            assert_eq!(
                kind(count("maxRetries", bad)),
                Some(ErrorKind::InvalidInput)
            );
        }
    }

    #[test]
    fn a_bad_backoff_names_the_option() {
        let options = |backoff: Vec<f64>| ClientOptions {
            api_key: None,
            org_api_key: None,
            base_url: None,
            timeout_ms: None,
            connect_timeout_ms: None,
            attempt_timeout_ms: None,
            max_retries: None,
            backoff_ms: Some(backoff),
            max_retry_wait_ms: None,
            throttle: None,
            reconcile_creates: None,
            ca_cert_pem: None,
            keychain: None,
        };
        let short = configure(core::ClientBuilder::new(), Some(options(vec![1.0]))).err();
        assert!(short.is_some_and(|e| e.message().contains("backoffMs")));
        let negative = configure(core::ClientBuilder::new(), Some(options(vec![1.0, -2.0]))).err();
        assert!(negative.is_some_and(|e| e.message().contains("backoffMs[1]")));
    }
}
