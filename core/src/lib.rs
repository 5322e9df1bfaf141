//! # neon-api-keys
//!
//! Manage Neon API keys — personal, organization and project-scoped — from Rust, safely:
//! validation before sending, Neon's retry rules, default timeouts, a throttle at Neon's rate limits,
//! secrets that never reach a log or an error, and a created key that is never silently lost.
//!
//! ```no_run
//! # async fn demo() -> neon_api_keys::Result<()> {
//! let client = neon_api_keys::Client::from_env()?; // NEON_API_KEY / NEON_ORG_API_KEY / NEON_API_HOST
//! let key = client.create_api_key("ci-deploy").await?;
//! println!("created {} ({})", key.id, key.name); // key.key.expose_secret() gives the secret, once
//! client.revoke_api_key(key.id).await?;
//! # Ok(()) }
//! ```
//!
//! [`blocking::Client`] offers the same operations synchronously.
//!
//! ## What every call does
//! - **Credentials**: an explicit key wins; with `from_env()`, personal operations read `NEON_API_KEY`,
//!   organization operations `NEON_ORG_API_KEY` then `NEON_API_KEY`; a lone `NEON_PROJECT_API_KEY` may read
//!   (`auth_details`, `get_project`) but key management fails with [`ErrorKind::Config`]. `NEON_API_HOST`
//!   overrides the base URL; plain `http://` is accepted only for loopback hosts.
//! - **Validation** before sending: key names 1–64 characters, ids `^[a-z0-9-]{1,60}$`, key ids > 0
//!   ([`ErrorKind::InvalidInput`]).
//! - **Retries** per Neon's rules: 423/429/503 and refused connections for every method; 408/500/502/504,
//!   timeouts and lost responses for reads and revokes only. A create is never repeated once it may have
//!   been received: it fails with [`ErrorKind::OutcomeUnknown`] and the window to look for the key
//!   ([`Error::outcome_unknown`]), or, with [`ClientBuilder::reconcile_creates`], the orphan is revoked and the
//!   create made once more. Full-jitter backoff, `Retry-After` honoured, a retry budget shared by clones.
//! - **Deadlines and cancellation**: [`CallOptions`] (or the builder) bound the whole call; a
//!   [`CancellationToken`] stops it at once ([`ErrorKind::Timeout`], [`ErrorKind::Cancelled`]).
//! - **Throttle** under Neon's documented rate limits, shared by clones, waiting callers served in order.
//! - **Verification** of every created key (non-empty secret, exactly the scope asked for); a wrong key is
//!   revoked at once ([`ErrorKind::VerificationFailed`], [`Error::verification`]).
//! - **Secrets** live in [`ApiKeySecret`]; error messages pass through [`scrub`], and logs (`tracing`, debug
//!   level) carry methods, routes, statuses and waits, never a secret or a create's body.

pub mod blocking;
mod call;
mod client;
mod clock;
mod config;
mod credentials;
mod decode;
mod error;
mod execute;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod keychain;
pub mod log;
mod models;
mod operations;
mod ops;
mod recover;
mod retry;
mod rotation;
mod secret;
mod throttle;
mod transport;
mod validate;
mod verify;

pub use call::CallOptions;
pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_WAIT, DEFAULT_TIMEOUT,
};
pub use error::{Error, ErrorKind, OutcomeUnknown, Result, Verification};
#[cfg(feature = "test-hooks")]
pub use keychain::test_hooks as keychain_test_hooks;
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod test_hooks;
pub use keychain::Keychain;
pub use models::{ApiKey, AuthDetails, AuthMethod, CreatedApiKey, Creator, Project, RevokedApiKey};
pub use operations::{Operation, OPERATIONS};
pub use rotation::{RotateError, RotateOptions, Rotation, StoreFailed, DEFAULT_USE_POLL_INTERVAL};
pub use secret::{registered_secrets, scrub, scrub_and_cap, ApiKeySecret, REDACTED};
pub use tokio_util::sync::CancellationToken;
pub use validate::{duration_from_millis, duration_from_secs};

/// Neon's default API base URL.
pub const DEFAULT_BASE_URL: &str = "https://console.neon.tech/api/v2";
