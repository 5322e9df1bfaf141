//! The secret of a created key, kept in Rust until the caller asks for it.

use napi_derive::napi;

const REDACTED: &str = "[REDACTED]";

/// A created key's secret. It is not a JS property at all: `console.log`, `util.inspect`,
/// `JSON.stringify` and string conversion all give `[REDACTED]`. Only `reveal()`
/// returns the value — store it right away, Neon shows it once.
#[napi]
pub struct ApiKeySecret {
    inner: neon_api_keys::ApiKeySecret,
}

#[napi]
impl ApiKeySecret {
    /// The secret itself (64 characters for real Neon keys). Never log it.
    #[napi]
    pub fn reveal(&self) -> String {
        self.inner.expose_secret().to_owned()
    }

    /// Always `"[REDACTED]"`, so template strings and concatenation never leak the secret.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> String {
        REDACTED.to_owned()
    }

    /// Always `"[REDACTED]"`, so `JSON.stringify` never leaks the secret.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        REDACTED.to_owned()
    }
}

impl ApiKeySecret {
    /// The core's secret behind this object (a clone shares the value; nothing is copied).
    pub(crate) fn core_secret(&self) -> neon_api_keys::ApiKeySecret {
        self.inner.clone()
    }
}

impl From<neon_api_keys::ApiKeySecret> for ApiKeySecret {
    fn from(inner: neon_api_keys::ApiKeySecret) -> Self {
        ApiKeySecret { inner }
    }
}
