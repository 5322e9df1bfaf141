//! [`ClientBuilder`]: every setting of a [`crate::Client`], with safe defaults.

use crate::secret::ApiKeySecret;
use crate::{Client, Result};
use std::time::Duration;

/// Builds a [`Client`]. Defaults: Neon's base URL, connect timeout 5 s, per-attempt timeout 30 s,
/// whole-call timeout 60 s, 2 retries with full-jitter backoff (250 ms base, 10 s cap), throttle on.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    pub(crate) api_key: Option<ApiKeySecret>,
    pub(crate) org_api_key: Option<ApiKeySecret>,
    pub(crate) base_url: Option<String>,
    pub(crate) read_env: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) call_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) backoff_base: Duration,
    pub(crate) backoff_cap: Duration,
    pub(crate) max_retry_wait: Duration,
    pub(crate) throttle: bool,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) root_certificates_pem: Vec<Vec<u8>>,
    pub(crate) reconcile_creates: bool,
    pub(crate) max_key_id: i64,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            org_api_key: None,
            base_url: None,
            read_env: false,
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(30),
            call_timeout: Duration::from_secs(60),
            max_retries: 2,
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(10),
            max_retry_wait: Duration::from_secs(10),
            throttle: true,
            user_agent_suffix: None,
            root_certificates_pem: Vec::new(),
            reconcile_creates: false,
            max_key_id: i64::MAX,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults and no credentials (set [`ClientBuilder::api_key`] or [`ClientBuilder::from_env`]).
    pub fn new() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Also read credentials and the base URL from the environment (`NEON_API_KEY`, `NEON_ORG_API_KEY`,
    /// `NEON_PROJECT_API_KEY`, `NEON_API_HOST`) when [`ClientBuilder::build`] runs. Explicit settings win.
    pub fn from_env(mut self) -> ClientBuilder {
        self.read_env = true;
        self
    }

    /// The key for personal operations (and for organization operations when no org key is set).
    pub fn api_key(mut self, key: impl Into<ApiKeySecret>) -> ClientBuilder {
        self.api_key = Some(key.into());
        self
    }

    /// The key for organization operations (an organization API key, or an org admin's personal key).
    pub fn org_api_key(mut self, key: impl Into<ApiKeySecret>) -> ClientBuilder {
        self.org_api_key = Some(key.into());
        self
    }

    /// The API base URL including `/api/v2`. `http://` is accepted only for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(url.into());
        self
    }

    /// How long to wait for a TCP + TLS connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt (request and whole response) may take.
    pub fn attempt_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.attempt_timeout = timeout;
        self
    }

    /// How long a whole call may take, retries and waits included.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.call_timeout = timeout;
        self
    }

    /// Maximum retries after the first attempt (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> ClientBuilder {
        self.max_retries = retries;
        self
    }

    /// Base and cap of the full-jitter exponential backoff.
    pub fn backoff(mut self, base: Duration, cap: Duration) -> ClientBuilder {
        self.backoff_base = base;
        self.backoff_cap = cap;
        self
    }

    /// The longest wait the client accepts (a `Retry-After` longer than this ends the retries).
    pub fn max_retry_wait(mut self, wait: Duration) -> ClientBuilder {
        self.max_retry_wait = wait;
        self
    }

    /// Client-side throttling at Neon's documented rate limits (on by default).
    pub fn throttle(mut self, enabled: bool) -> ClientBuilder {
        self.throttle = enabled;
        self
    }

    /// Appended to the User-Agent (bindings add `python/3.11` and the like).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> ClientBuilder {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Trust an extra root certificate (PEM), for example a corporate proxy's CA.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> ClientBuilder {
        self.root_certificates_pem.push(pem.into());
        self
    }

    /// When a create's outcome is unknown, look for the key by name and creation window, revoke any orphan and
    /// create again, instead of failing with `OutcomeUnknown`. Use unique key names with this.
    pub fn reconcile_creates(mut self, enabled: bool) -> ClientBuilder {
        self.reconcile_creates = enabled;
        self
    }

    /// The largest key id the caller can hold exactly. A listed key past it fails the list with
    /// `ErrorKind::Decode` (naming the id) instead of being handed out; a created key past it fails
    /// verification and is revoked at once, so it is never left live without a holder. Bindings set it to
    /// what their language represents exactly (Node: 2^53 − 1). Default: `i64::MAX`.
    pub fn max_key_id(mut self, max: i64) -> ClientBuilder {
        self.max_key_id = max;
        self
    }

    /// Builds the client. Fails with `ErrorKind::Config` on a bad base URL, plain http to a remote host,
    /// or a bad certificate. A missing key is reported by the first call that needs it.
    pub fn build(self) -> Result<Client> {
        Client::from_builder(self)
    }
}
