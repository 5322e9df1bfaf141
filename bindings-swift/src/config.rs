//! [`FfiClientSettings`]: the settings of the core's `ClientBuilder` the Swift caller set (Swift:
//! `NeonClient.Configuration`), and [`FfiDefaults`]: the core's defaults, for the Swift documentation and
//! `NeonDefaults`.

use crate::error::FfiError;
use crate::units::{self, FfiDuration};
use neon_api_keys::ClientBuilder;

/// The client settings the caller set; every unset one keeps the core's default.
#[derive(uniffi::Record, Debug, Clone, Default)]
pub struct FfiClientSettings {
    /// How long to wait for a TCP + TLS connection, in seconds.
    pub connect_timeout_seconds: Option<f64>,
    /// How long one attempt may take, in seconds.
    pub attempt_timeout_seconds: Option<f64>,
    /// How long a whole call may take, retries and waits included, in seconds.
    pub timeout_seconds: Option<f64>,
    /// Maximum retries after the first attempt.
    pub max_retries: Option<i64>,
    /// Base of the full-jitter exponential backoff, in seconds.
    pub backoff_base_seconds: Option<f64>,
    /// Cap of the backoff, in seconds.
    pub backoff_cap_seconds: Option<f64>,
    /// The longest accepted wait between attempts, in seconds.
    pub max_retry_wait_seconds: Option<f64>,
    /// Client-side throttling at Neon's rate limits.
    pub throttle: Option<bool>,
    /// Recover unknown create outcomes (exactly-once creates under Neon's unique-name rule).
    pub reconcile_creates: Option<bool>,
    /// Extra trusted root certificates (PEM).
    pub root_certificates_pem: Vec<String>,
    /// Appended to the User-Agent after `swift`.
    pub user_agent_suffix: Option<String>,
}

impl FfiClientSettings {
    /// Applies the settings that are set to `builder`: `InvalidInput` for a bad duration or count.
    pub(crate) fn apply(self, mut b: ClientBuilder) -> Result<ClientBuilder, FfiError> {
        if let Some(t) = units::opt_duration("connect_timeout", self.connect_timeout_seconds)? {
            b = b.connect_timeout(t);
        }
        if let Some(t) = units::opt_duration("attempt_timeout", self.attempt_timeout_seconds)? {
            b = b.attempt_timeout(t);
        }
        if let Some(t) = units::opt_duration("timeout", self.timeout_seconds)? {
            b = b.timeout(t);
        }
        if let Some(n) = units::opt_count("max_retries", self.max_retries)? {
            b = b.max_retries(n);
        }
        let base = units::opt_duration("backoff_base", self.backoff_base_seconds)?;
        let cap = units::opt_duration("backoff_cap", self.backoff_cap_seconds)?;
        if base.is_some() || cap.is_some() {
            b = b.backoff(
                base.unwrap_or(neon_api_keys::DEFAULT_BACKOFF_BASE),
                cap.unwrap_or(neon_api_keys::DEFAULT_BACKOFF_CAP),
            );
        }
        if let Some(w) = units::opt_duration("max_retry_wait", self.max_retry_wait_seconds)? {
            b = b.max_retry_wait(w);
        }
        if let Some(on) = self.throttle {
            b = b.throttle(on);
        }
        if let Some(on) = self.reconcile_creates {
            b = b.reconcile_creates(on);
        }
        for pem in self.root_certificates_pem {
            b = b.add_root_certificate_pem(pem.into_bytes());
        }
        let suffix = match self.user_agent_suffix {
            Some(extra) => format!("swift {extra}"),
            None => "swift".to_string(),
        };
        Ok(b.user_agent_suffix(suffix))
    }
}

/// The core's defaults (`neon_api_keys::DEFAULT_*`).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiDefaults {
    /// `DEFAULT_BASE_URL`.
    pub base_url: String,
    /// `DEFAULT_CONNECT_TIMEOUT`.
    pub connect_timeout: FfiDuration,
    /// `DEFAULT_ATTEMPT_TIMEOUT`.
    pub attempt_timeout: FfiDuration,
    /// `DEFAULT_TIMEOUT`.
    pub timeout: FfiDuration,
    /// `DEFAULT_MAX_RETRIES`.
    pub max_retries: u32,
    /// `DEFAULT_BACKOFF_BASE`.
    pub backoff_base: FfiDuration,
    /// `DEFAULT_BACKOFF_CAP`.
    pub backoff_cap: FfiDuration,
    /// `DEFAULT_MAX_RETRY_WAIT`.
    pub max_retry_wait: FfiDuration,
    /// `DEFAULT_USE_POLL_INTERVAL` (a rotation's `waitForUse` polling).
    pub use_poll_interval: FfiDuration,
}

/// The core's defaults.
#[uniffi::export]
pub fn ffi_defaults() -> FfiDefaults {
    FfiDefaults {
        base_url: neon_api_keys::DEFAULT_BASE_URL.to_string(),
        connect_timeout: neon_api_keys::DEFAULT_CONNECT_TIMEOUT.into(),
        attempt_timeout: neon_api_keys::DEFAULT_ATTEMPT_TIMEOUT.into(),
        timeout: neon_api_keys::DEFAULT_TIMEOUT.into(),
        max_retries: neon_api_keys::DEFAULT_MAX_RETRIES,
        backoff_base: neon_api_keys::DEFAULT_BACKOFF_BASE.into(),
        backoff_cap: neon_api_keys::DEFAULT_BACKOFF_CAP.into(),
        max_retry_wait: neon_api_keys::DEFAULT_MAX_RETRY_WAIT.into(),
        use_poll_interval: neon_api_keys::DEFAULT_USE_POLL_INTERVAL.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FfiErrorKind;

    fn kind(result: Result<ClientBuilder, FfiError>) -> Option<FfiErrorKind> {
        match result {
            Err(FfiError::Neon { error }) => Some(error.kind),
            _ => None,
        }
    }

    #[test]
    fn a_bad_duration_or_count_is_invalid_input() {
        let bad = [
            FfiClientSettings {
                timeout_seconds: Some(f64::NAN),
                ..FfiClientSettings::default()
            },
            FfiClientSettings {
                backoff_cap_seconds: Some(-1.0),
                ..FfiClientSettings::default()
            },
            FfiClientSettings {
                max_retries: Some(-1),
                ..FfiClientSettings::default()
            },
        ];
        for settings in bad {
            assert_eq!(
                kind(settings.apply(ClientBuilder::new())),
                Some(FfiErrorKind::InvalidInput)
            );
        }
        assert!(FfiClientSettings::default()
            .apply(ClientBuilder::new())
            .is_ok());
    }
}
