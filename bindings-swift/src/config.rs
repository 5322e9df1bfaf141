//! [`NeonClientOptions`]: every setting of the core's `ClientBuilder` as one Swift struct with defaults.

use crate::secret::ApiKeySecret;
use neon_api_keys::ClientBuilder;
use std::sync::Arc;
use std::time::Duration;

/// How to build a `NeonClient`. Every field is optional; unset ones keep the core's defaults
/// (Neon's base URL, connect timeout 5 s, attempt timeout 30 s, call timeout 60 s, 2 retries, throttle on).
/// Durations are in seconds (`TimeInterval`).
#[derive(uniffi::Record, Debug, Clone, Default)]
pub struct NeonClientOptions {
    /// The key for personal operations (and for organization operations when no org key is set).
    #[uniffi(default = None)]
    pub api_key: Option<Arc<ApiKeySecret>>,
    /// The key for organization operations (an organization API key, or an org admin's personal key).
    #[uniffi(default = None)]
    pub org_api_key: Option<Arc<ApiKeySecret>>,
    /// The API base URL including `/api/v2`. `http://` is accepted only for loopback hosts.
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    /// Also read `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and `NEON_API_HOST` from the
    /// environment. Explicit settings win.
    #[uniffi(default = false)]
    pub from_env: bool,
    /// How long to wait for a TCP + TLS connection.
    #[uniffi(default = None)]
    pub connect_timeout: Option<Duration>,
    /// How long one attempt (request and whole response) may take.
    #[uniffi(default = None)]
    pub attempt_timeout: Option<Duration>,
    /// How long a whole call may take, retries and waits included.
    #[uniffi(default = None)]
    pub timeout: Option<Duration>,
    /// Maximum retries after the first attempt (0 disables retries).
    #[uniffi(default = None)]
    pub max_retries: Option<u32>,
    /// Base of the full-jitter exponential backoff (set together with `backoffCap`).
    #[uniffi(default = None)]
    pub backoff_base: Option<Duration>,
    /// Cap of the full-jitter exponential backoff (set together with `backoffBase`).
    #[uniffi(default = None)]
    pub backoff_cap: Option<Duration>,
    /// The longest wait accepted between attempts (a longer `Retry-After` ends the retries).
    #[uniffi(default = None)]
    pub max_retry_wait: Option<Duration>,
    /// Client-side throttling at Neon's documented rate limits (on by default).
    #[uniffi(default = None)]
    pub throttle: Option<bool>,
    /// On an unknown create outcome, find and revoke any orphan key and create again instead of failing
    /// with `outcomeUnknown`. Use unique key names with this.
    #[uniffi(default = None)]
    pub reconcile_creates: Option<bool>,
    /// Extra trusted root certificates (PEM), for example a corporate proxy's CA.
    #[uniffi(default = [])]
    pub root_certificates_pem: Vec<String>,
    /// Appended to the User-Agent after `swift`.
    #[uniffi(default = None)]
    pub user_agent_suffix: Option<String>,
}

impl From<NeonClientOptions> for ClientBuilder {
    fn from(o: NeonClientOptions) -> ClientBuilder {
        let mut b = ClientBuilder::new();
        if o.from_env {
            b = b.from_env();
        }
        if let Some(key) = o.api_key {
            b = b.api_key(key.0.clone());
        }
        if let Some(key) = o.org_api_key {
            b = b.org_api_key(key.0.clone());
        }
        if let Some(url) = o.base_url {
            b = b.base_url(url);
        }
        if let Some(t) = o.connect_timeout {
            b = b.connect_timeout(t);
        }
        if let Some(t) = o.attempt_timeout {
            b = b.attempt_timeout(t);
        }
        if let Some(t) = o.timeout {
            b = b.timeout(t);
        }
        if let Some(n) = o.max_retries {
            b = b.max_retries(n);
        }
        if o.backoff_base.is_some() || o.backoff_cap.is_some() {
            let defaults = (Duration::from_millis(250), Duration::from_secs(10));
            b = b.backoff(
                o.backoff_base.unwrap_or(defaults.0),
                o.backoff_cap.unwrap_or(defaults.1),
            );
        }
        if let Some(w) = o.max_retry_wait {
            b = b.max_retry_wait(w);
        }
        if let Some(on) = o.throttle {
            b = b.throttle(on);
        }
        if let Some(on) = o.reconcile_creates {
            b = b.reconcile_creates(on);
        }
        for pem in o.root_certificates_pem {
            b = b.add_root_certificate_pem(pem.into_bytes());
        }
        let suffix = match o.user_agent_suffix {
            Some(extra) => format!("swift {extra}"),
            None => "swift".to_string(),
        };
        b.user_agent_suffix(suffix)
    }
}
