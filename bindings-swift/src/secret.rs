//! [`ApiKeySecret`]: a secret as a Swift object whose value only `reveal()` gives out.

use std::fmt;

/// An API key secret. In Swift this is a class: `description`, `debugDescription`, `dump` and `Mirror` never
/// show the value (it stays in Rust memory and is zeroized when the last reference goes away).
/// Call `reveal()` to get it, once, where you store it.
#[derive(uniffi::Object, Clone, PartialEq, Eq)]
#[uniffi::export(Debug, Display, Eq)]
pub struct ApiKeySecret(pub(crate) neon_api_keys::ApiKeySecret);

#[uniffi::export]
impl ApiKeySecret {
    /// Wraps a secret you already have (for example your own API key, for `NeonClientOptions`).
    #[uniffi::constructor]
    pub fn new(value: String) -> ApiKeySecret {
        ApiKeySecret(neon_api_keys::ApiKeySecret::new(value))
    }

    /// The secret itself. Store it (for example in the Keychain) and never log or print it.
    pub fn reveal(&self) -> String {
        self.0.expose_secret().to_string()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
