//! [`ClientBuilder`]: every setting of a [`crate::Client`], with safe defaults. Each default is one constant
//! here; bindings pass only what their caller set and document these values.

use crate::secret::ApiKeySecret;
use crate::{Client, Result};
use std::time::Duration;

/// Default connect timeout (TCP + TLS): 5 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default timeout of one attempt (request and whole response): 30 s.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default deadline of a whole call, retries and waits included: 60 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default number of retries after the first attempt: 2.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default base of the full-jitter exponential backoff: 250 ms.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(250);
/// Default cap of the backoff: 10 s.
pub const DEFAULT_BACKOFF_CAP: Duration = Duration::from_secs(10);
/// Default longest accepted wait (a longer `Retry-After` ends the retries): 10 s.
pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(10);

/// When [`ClientBuilder::build`] reads `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and
/// `NEON_API_HOST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnvPolicy {
    /// Never (the default of [`ClientBuilder::new`]).
    Never,
    /// Always; explicit settings win ([`ClientBuilder::from_env`]).
    Always,
    /// Only when no personal key was given ([`ClientBuilder::env_when_no_api_key`]).
    WhenNoApiKey,
}

/// Builds a [`Client`]. Defaults: Neon's base URL, connect timeout 5 s, per-attempt timeout 30 s,
/// whole-call timeout 60 s, 2 retries with full-jitter backoff (250 ms base, 10 s cap), throttle on, no
/// reconciliation of unknown creates, the environment not read.
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    pub(crate) api_key: Option<ApiKeySecret>,
    pub(crate) org_api_key: Option<ApiKeySecret>,
    pub(crate) base_url: Option<String>,
    pub(crate) env: EnvPolicy,
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
    pub(crate) keychain: Option<(String, String)>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            org_api_key: None,
            base_url: None,
            env: EnvPolicy::Never,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            call_timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_cap: DEFAULT_BACKOFF_CAP,
            max_retry_wait: DEFAULT_MAX_RETRY_WAIT,
            throttle: true,
            user_agent_suffix: None,
            root_certificates_pem: Vec::new(),
            reconcile_creates: false,
            max_key_id: i64::MAX,
            keychain: None,
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
    /// Default: the environment is not read.
    pub fn from_env(mut self) -> ClientBuilder {
        self.env = EnvPolicy::Always;
        self
    }

    /// Read the environment (as [`ClientBuilder::from_env`]) only if no personal key is given by the time
    /// [`ClientBuilder::build`] runs: the rule of every binding's plain constructor (`Client()` reads
    /// `NEON_API_KEY` and friends, `Client(api_key=...)` reads nothing). Default: the environment is not read.
    pub fn env_when_no_api_key(mut self) -> ClientBuilder {
        self.env = EnvPolicy::WhenNoApiKey;
        self
    }

    /// Whether [`ClientBuilder::build`] reads the environment, under the rule set above.
    pub(crate) fn reads_env(&self) -> bool {
        match self.env {
            EnvPolicy::Never => false,
            EnvPolicy::Always => true,
            EnvPolicy::WhenNoApiKey => self.api_key.is_none(),
        }
    }

    /// The key for personal operations (and for organization operations when no org key is set). Surrounding
    /// whitespace is removed. Default: none.
    pub fn api_key(mut self, key: impl Into<ApiKeySecret>) -> ClientBuilder {
        self.api_key = Some(key.into());
        self
    }

    /// The key for organization operations (an organization API key, or an org admin's personal key). Keys are
    /// still created with the personal key when both are set (only a personal key mints). Default: none.
    pub fn org_api_key(mut self, key: impl Into<ApiKeySecret>) -> ClientBuilder {
        self.org_api_key = Some(key.into());
        self
    }

    /// The API base URL including `/api/v2`. `http://` is accepted only for loopback hosts.
    /// Default: `NEON_API_HOST` when the environment is read, else [`crate::DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(url.into());
        self
    }

    /// How long to wait for a TCP + TLS connection. Default: [`DEFAULT_CONNECT_TIMEOUT`] (5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt (request and whole response) may take. Default: [`DEFAULT_ATTEMPT_TIMEOUT`] (30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.attempt_timeout = timeout;
        self
    }

    /// How long a whole call may take, retries and waits included. Default: [`DEFAULT_TIMEOUT`] (60 s).
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.call_timeout = timeout;
        self
    }

    /// Maximum retries after the first attempt (0 disables retries). Default: [`DEFAULT_MAX_RETRIES`] (2).
    pub fn max_retries(mut self, retries: u32) -> ClientBuilder {
        self.max_retries = retries;
        self
    }

    /// Base and cap of the full-jitter exponential backoff. Default: [`DEFAULT_BACKOFF_BASE`] (250 ms) and
    /// [`DEFAULT_BACKOFF_CAP`] (10 s).
    pub fn backoff(mut self, base: Duration, cap: Duration) -> ClientBuilder {
        self.backoff_base = base;
        self.backoff_cap = cap;
        self
    }

    /// The longest wait the client accepts (a `Retry-After` longer than this ends the retries).
    /// Default: [`DEFAULT_MAX_RETRY_WAIT`] (10 s).
    pub fn max_retry_wait(mut self, wait: Duration) -> ClientBuilder {
        self.max_retry_wait = wait;
        self
    }

    /// Client-side throttling at Neon's documented rate limits. Default: on.
    pub fn throttle(mut self, enabled: bool) -> ClientBuilder {
        self.throttle = enabled;
        self
    }

    /// Appended to the User-Agent (bindings add `python/3.11` and the like). Default: none.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> ClientBuilder {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Trust an extra root certificate (PEM), for example a corporate proxy's CA. Default: the platform's roots
    /// only.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> ClientBuilder {
        self.root_certificates_pem.push(pem.into());
        self
    }

    /// Create exactly once although a response may be lost: each create is preceded by a list of the keys
    /// holding its name, and after an unknown outcome the client creates again under the same name (Neon keeps
    /// names unique) and revokes only a key that is provably the call's own orphan; anything else fails with
    /// `OutcomeUnknown` naming the candidates. Costs one list per create. Default: off (an unknown outcome
    /// fails with `OutcomeUnknown` at once).
    pub fn reconcile_creates(mut self, enabled: bool) -> ClientBuilder {
        self.reconcile_creates = enabled;
        self
    }

    /// Use the key held by the keychain entry `service`/`account` (see [`crate::Keychain`]) when no key is
    /// given explicitly or by the environment: an organization key (its record names an organization) for
    /// organization operations, else a personal key. Lookup order: explicit key > environment (when read) >
    /// keychain. [`crate::Client::rotate_keychain_key`] rotates it in place. Default: no keychain.
    pub fn api_key_from_keychain(
        mut self,
        service: impl Into<String>,
        account: impl Into<String>,
    ) -> ClientBuilder {
        self.keychain = Some((service.into(), account.into()));
        self
    }

    /// The largest key id (in absolute value) the caller can hold exactly. A listed key past it fails the list with
    /// `ErrorKind::Decode` (naming the id) instead of being handed out; a created key past it fails
    /// verification and is revoked at once, so it is never left live without a holder. Bindings set it to
    /// what their language represents exactly (Node: 2^53 − 1). Default: `i64::MAX`.
    pub fn max_key_id(mut self, max: i64) -> ClientBuilder {
        self.max_key_id = max;
        self
    }

    /// Builds the client. A missing key is reported by the first call that needs it.
    ///
    /// # Errors
    /// `ErrorKind::Config` on a bad base URL, plain http to a remote host, or a bad certificate;
    /// `ErrorKind::Keychain` (or `InvalidInput` for a bad entry name) when a keychain entry is named and cannot be
    /// read.
    pub fn build(self) -> Result<Client> {
        Client::from_builder(self)
    }
}
