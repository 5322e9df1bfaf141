//! [`FfiSecret`]: the core's `ApiKeySecret` as an object, so the value stays in Rust memory until `reveal()`.

use std::fmt;

/// An API key secret (Swift: `ApiKeySecret`). Its `Debug`/`Display` are the core's redacted forms; the value
/// is zeroized when the last reference goes away, and the core scrubs it from every error while it lives.
#[derive(uniffi::Object, Clone, PartialEq, Eq)]
#[uniffi::export(Debug, Display, Eq)]
pub struct FfiSecret(pub(crate) neon_api_keys::ApiKeySecret);

#[uniffi::export]
impl FfiSecret {
    /// Wraps a secret value (surrounding whitespace removed, as the core does).
    #[uniffi::constructor]
    pub fn new(value: String) -> FfiSecret {
        FfiSecret(neon_api_keys::ApiKeySecret::new(value))
    }

    /// The secret itself.
    pub fn reveal(&self) -> String {
        self.0.expose_secret().to_string()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for FfiSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for FfiSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
