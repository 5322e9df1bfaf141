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

/// The text that replaces a known secret in scrubbed text.
pub const REDACTED: &str = "[REDACTED]";

/// Secrets shorter than this are not scrubbed (too likely to match ordinary text).
const MIN_SCRUB_LEN: usize = 8;

/// How many secrets the registry remembers; the oldest are forgotten first.
const REGISTRY_CAPACITY: usize = 4096;

fn registry() -> &'static std::sync::RwLock<std::collections::VecDeque<SecretString>> {
    static REGISTRY: std::sync::OnceLock<
        std::sync::RwLock<std::collections::VecDeque<SecretString>>,
    > = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| std::sync::RwLock::new(std::collections::VecDeque::new()))
}

/// Remembers a secret process-wide so that [`scrub`] removes it from any text. The client registers the
/// caller's keys and every key it creates; bindings may register secrets they handle too.
/// Values shorter than 8 characters are ignored.
pub fn register_secret(value: &str) {
    if value.chars().count() < MIN_SCRUB_LEN {
        return;
    }
    let mut guard = match registry().write() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    if guard.iter().any(|known| known.expose_secret() == value) {
        return;
    }
    if guard.len() >= REGISTRY_CAPACITY {
        guard.pop_front();
    }
    guard.push_back(SecretString::from(value.to_string()));
}

/// Replaces every secret the process has registered (see [`register_secret`]) with `[REDACTED]`.
/// Every error message of the SDK passes through it; bindings can use it for their own text.
pub fn scrub(text: &str) -> String {
    let guard = match registry().read() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    let mut out = text.to_string();
    for known in guard.iter() {
        let secret = known.expose_secret();
        if out.contains(secret) {
            out = out.replace(secret, REDACTED);
        }
    }
    out
}

impl ApiKeySecret {
    /// Registers this secret for [`scrub`] and returns it.
    pub(crate) fn registered(self) -> ApiKeySecret {
        register_secret(self.expose_secret());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_replaces_registered_secrets_only() {
        register_secret("sentinel-secret-value-123");
        register_secret("short");
        let text = "key sentinel-secret-value-123 and short and sentinel-secret-value-123";
        assert_eq!(scrub(text), "key [REDACTED] and short and [REDACTED]");
    }

    #[test]
    fn debug_and_display_redact() {
        let secret = ApiKeySecret::new("x".repeat(64));
        assert_eq!(format!("{secret:?}"), "ApiKeySecret([REDACTED])");
        assert_eq!(format!("{secret}"), "[REDACTED]");
        assert!(!secret.is_empty());
    }
}
