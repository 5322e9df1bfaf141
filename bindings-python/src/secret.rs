//! `ApiKeySecret`: a secret that never shows itself in `repr`, `str`, f-strings, logs or pickles.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// An API key secret. `repr()`, `str()` and f-strings print `[REDACTED]`; `reveal()` returns the value.
/// It cannot be pickled or copied (so it does not end up in caches, queues or crash dumps by accident).
#[pyclass(
    module = "neon_api_keys",
    name = "ApiKeySecret",
    frozen,
    eq,
    from_py_object
)]
#[derive(Clone, PartialEq)]
pub struct ApiKeySecret(pub(crate) neon_api_keys::ApiKeySecret);

#[pymethods]
impl ApiKeySecret {
    /// Wraps a secret value (for example one read from a vault) so that it is never printed. The value is also
    /// registered with the core's scrubber, so no error message of the SDK will ever contain it.
    #[new]
    fn new(value: String) -> ApiKeySecret {
        neon_api_keys::register_secret(&value);
        ApiKeySecret(neon_api_keys::ApiKeySecret::new(value))
    }

    /// The secret itself. Store it where it belongs and never log it.
    fn reveal(&self) -> String {
        self.0.expose_secret().to_string()
    }

    fn __repr__(&self) -> &'static str {
        "ApiKeySecret('[REDACTED]')"
    }

    fn __str__(&self) -> &'static str {
        "[REDACTED]"
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(refuse_pickle("ApiKeySecret"))
    }
}

/// The error for pickling or copying an object that holds a secret.
pub(crate) fn refuse_pickle(what: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "{what} holds a secret and cannot be pickled or copied; call reveal() and store the value deliberately"
    ))
}

/// An `api_key=` argument: a `str` or an `ApiKeySecret`.
#[derive(FromPyObject)]
pub(crate) enum SecretArg {
    /// A wrapped secret.
    Secret(ApiKeySecret),
    /// A plain string.
    Plain(String),
}

impl From<SecretArg> for neon_api_keys::ApiKeySecret {
    fn from(arg: SecretArg) -> Self {
        match arg {
            SecretArg::Secret(secret) => secret.0,
            SecretArg::Plain(value) => neon_api_keys::ApiKeySecret::new(value),
        }
    }
}
