//! A core `Error` as an instance of the Python exception classes of `neon_api_keys.errors` (`NeonError` and
//! one subclass per kind, written in Python with their docstrings): the class is looked up by the kind's
//! stable name in `KIND_CLASSES`, the attributes are passed as keywords, and the core's scrubbed causes
//! (`Error::causes`) become the `__cause__` chain.

use chrono::{DateTime, Utc};
use neon_api_keys::{Error, ErrorKind};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use pyo3::IntoPyObjectExt;

/// `neon_api_keys.errors.NeonError`, `KIND_CLASSES` and the detail classes, imported once.
struct Classes {
    base: Py<PyType>,
    by_kind: Py<PyDict>,
    outcome_unknown: Py<PyType>,
    verification: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let module = py.import("neon_api_keys.errors")?;
        Ok(Classes {
            base: module.getattr("NeonError")?.cast_into::<PyType>()?.unbind(),
            by_kind: module
                .getattr("KIND_CLASSES")?
                .cast_into::<PyDict>()?
                .unbind(),
            outcome_unknown: module
                .getattr("OutcomeUnknown")?
                .cast_into::<PyType>()?
                .unbind(),
            verification: module
                .getattr("Verification")?
                .cast_into::<PyType>()?
                .unbind(),
        })
    })
}

/// The class for `kind`: its entry in `KIND_CLASSES`, else `NeonError`.
fn class_of<'py>(py: Python<'py>, kind: ErrorKind) -> PyResult<Bound<'py, PyType>> {
    let classes = classes(py)?;
    match classes.by_kind.bind(py).get_item(kind.as_str())? {
        Some(class) => Ok(class.cast_into::<PyType>()?),
        None => Ok(classes.base.bind(py).clone()),
    }
}

/// The causes (outermost first) as chained `Exception`s: the first link, whose `__cause__` is the second...
fn cause_chain<'py>(py: Python<'py>, causes: Vec<String>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let mut chain: Option<Bound<'py, PyAny>> = None;
    for text in causes.into_iter().rev() {
        let link = py.get_type::<PyException>().call1((text,))?;
        if let Some(inner) = chain {
            link.setattr("__cause__", inner)?;
        }
        chain = Some(link);
    }
    Ok(chain)
}

fn build<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", error.kind().as_str())?;
    kwargs.set_item("status", error.status())?;
    kwargs.set_item("code", error.code())?;
    kwargs.set_item("message", error.message())?;
    kwargs.set_item("request_id", error.request_id())?;
    kwargs.set_item("retry_after", error.retry_after().map(|d| d.as_secs_f64()))?;
    let classes = classes(py)?;
    if let Some(details) = error.outcome_unknown() {
        let value = classes.outcome_unknown.bind(py).call1((
            &details.key_name,
            details.org_id.as_deref(),
            details.project_id.as_deref(),
            DateTime::<Utc>::from(details.not_before),
            DateTime::<Utc>::from(details.not_after),
            PyTuple::new(py, &details.candidate_ids)?,
        ))?;
        kwargs.set_item("outcome_unknown", value)?;
    }
    if let Some(details) = error.verification() {
        let value = classes
            .verification
            .bind(py)
            .call1((details.key_id, details.revoked))?;
        kwargs.set_item("verification", value)?;
    }
    let text = PyString::new(py, &error.to_string());
    let instance = class_of(py, error.kind())?.call((text,), Some(&kwargs))?;
    if let Some(cause) = cause_chain(py, error.causes())? {
        instance.setattr("__cause__", cause)?;
    }
    Ok(instance)
}

/// The exception instance for a core error (raised, or kept as `Rotation.revoke_error`).
pub(crate) fn to_exception<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    build(py, error)
}

/// The `PyErr` to raise for a core error.
pub(crate) fn to_pyerr(py: Python<'_>, error: &Error) -> PyErr {
    match build(py, error) {
        Ok(instance) => PyErr::from_value(instance),
        Err(failed) => failed,
    }
}

/// A core error as a `PyErr` of kind `kind` with `message` (for input the binding itself rejects).
pub(crate) fn new_pyerr(py: Python<'_>, kind: ErrorKind, message: impl Into<String>) -> PyErr {
    to_pyerr(py, &Error::new(kind, message))
}

/// `Result<T, core Error>` → `PyResult<T>`.
pub(crate) trait IntoPyResult<T> {
    /// Translates the error, if any.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, &e))
    }
}

/// Adds `note` to an exception: `add_note` where it exists (Python 3.11+), else appended to `__notes__`, which
/// tracebacks of older Pythons do not print but tools read.
pub(crate) fn add_note(py: Python<'_>, error: &PyErr, note: &str) -> PyResult<()> {
    let value = error.value(py);
    if value.hasattr("add_note")? {
        value.call_method1("add_note", (note,))?;
        return Ok(());
    }
    let notes = match value.getattr("__notes__") {
        Ok(notes) => notes,
        Err(_) => {
            let fresh = PyList::empty(py).into_any();
            value.setattr("__notes__", &fresh)?;
            fresh
        }
    };
    notes.call_method1("append", (note,))?;
    Ok(())
}

/// The names of the core's error kinds (for the test that every kind has a class).
pub(crate) fn kind_names(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    PyTuple::new(py, names)?.into_py_any(py)
}

#[cfg(feature = "test-hooks")]
mod hooks {
    use super::build;
    use pyo3::prelude::*;

    /// The exception for a core error of `kind` whose source chain has these texts (outermost first).
    #[pyfunction]
    pub(crate) fn _error_for_test<'py>(
        py: Python<'py>,
        kind: &str,
        message: &str,
        causes: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        build(
            py,
            &neon_api_keys::test_hooks::error_with_causes(kind, message, causes),
        )
    }
}

#[cfg(feature = "test-hooks")]
pub(crate) use hooks::_error_for_test;
