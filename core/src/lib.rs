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

pub mod blocking;
mod call;
mod client;
mod config;
mod credentials;
mod decode;
mod error;
mod execute;
#[doc(hidden)]
pub mod fuzzing;
mod models;
mod ops;
mod reconcile;
mod retry;
mod secret;
mod throttle;
mod transport;
mod validate;
mod verify;

pub use call::CallOptions;
pub use client::Client;
pub use config::ClientBuilder;
pub use error::{Error, ErrorKind, OutcomeUnknown, Result, Verification};
pub use models::{
    ApiKey, AuthDetails, AuthMethod, CreatedApiKey, Creator, Project, RevokedApiKey, Rotation,
};
pub use secret::{register_secret, scrub, ApiKeySecret, REDACTED};
pub use tokio_util::sync::CancellationToken;

/// Neon's default API base URL.
pub const DEFAULT_BASE_URL: &str = "https://console.neon.tech/api/v2";
