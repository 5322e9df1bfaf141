//! `ApiKeySecret`: a secret that never shows itself in `repr`, `str`, f-strings, logs or pickles.

use crate::args::arg;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// An API key secret. `repr()`, `str()` and f-strings print `[REDACTED]`; `reveal()` returns the value.
/// It cannot be pickled or copied (so it does not end up in caches, queues or crash dumps by accident).
/// While it (or a copy the SDK holds) is alive, no error message of the SDK contains its value.
#[pyclass(module = "neon_api_keys", name = "ApiKeySecret", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ApiKeySecret(pub(crate) neon_api_keys::ApiKeySecret);

#[pymethods]
impl ApiKeySecret {
    /// Wraps a secret value (for example one read from a vault or a file; surrounding whitespace such as a
    /// trailing newline is removed) so that it is never printed.
    #[new]
    #[pyo3(signature = (value))]
    fn new(py: Python<'_>, value: Bound<'_, PyAny>) -> PyResult<ApiKeySecret> {
        let value: String = arg(py, Some(&value), "value")?;
        Ok(ApiKeySecret(neon_api_keys::ApiKeySecret::new(value)))
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
