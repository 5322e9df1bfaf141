//! Secret handling: the caller's API key and every created key live in [`ApiKeySecret`].

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// An API key secret. `Debug` and `Display` print `ApiKeySecret([REDACTED])`; the value is zeroized on drop.
/// Only [`ApiKeySecret::expose_secret`] gives the value out.
#[derive(Clone)]
pub struct ApiKeySecret(SecretString);

impl ApiKeySecret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> ApiKeySecret {
        ApiKeySecret(SecretString::from(value.into()))
    }

    /// The secret itself. Handle with care: never log it.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// Whether the secret is empty (a created key must never be).
    pub fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }
}

impl From<String> for ApiKeySecret {
    fn from(value: String) -> Self {
        ApiKeySecret::new(value)
    }
}

impl From<&str> for ApiKeySecret {
    fn from(value: &str) -> Self {
        ApiKeySecret::new(value)
    }
}

impl fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKeySecret([REDACTED])")
    }
}

impl fmt::Display for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl PartialEq for ApiKeySecret {
    /// Constant-time-ish comparison is not needed here (no attacker-controlled timing); equality is for tests.
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl Eq for ApiKeySecret {}
