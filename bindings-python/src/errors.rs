//! The exception hierarchy: `NeonError` and one subclass per core `ErrorKind`, and the translation of a core
//! `Error` into an instance of it.
//!
//! The classes are made at import with `type(name, bases, namespace)` so that `NeonTimeoutError` can also
//! subclass the builtin `TimeoutError` (and `InvalidInputError` `ValueError`, `NetworkError`
//! `ConnectionError`): `create_exception!` allows one base only.

use chrono::{DateTime, Utc};
use neon_api_keys::{Error, ErrorKind};
use pyo3::exceptions::{PyConnectionError, PyException, PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use pyo3::IntoPyObjectExt;

/// The base class and then one class per kind, in `ErrorKind::ALL` order.
struct Classes {
    base: Py<PyType>,
    kinds: Vec<(ErrorKind, Py<PyType>)>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// Attributes every `NeonError` has (`None` when unknown).
const BASE_ATTRS: [&str; 6] = [
    "kind",
    "status",
    "code",
    "message",
    "request_id",
    "retry_after",
];

const BASE_DOC: &str = "Base class of every error raised by neon_api_keys.\n\n\
Attributes: kind (stable snake_case name of the error kind), status (HTTP status or None), code (Neon's \
error code or None), message (Neon's message verbatim, or the SDK's explanation), request_id (or None), \
retry_after (seconds the server asked to wait, or None). Messages never contain a secret.";

/// Which builtin exception a kind's class also derives from, if any.
#[derive(Clone, Copy)]
enum Builtin {
    None,
    Value,
    Timeout,
    Connection,
}

/// Python class name, extra builtin base, docstring and extra attributes for each kind.
fn spec(kind: ErrorKind) -> (&'static str, Builtin, &'static str, &'static [&'static str]) {
    match kind {
        ErrorKind::InvalidInput => ("InvalidInputError", Builtin::Value, "The input was rejected before anything was sent (also a ValueError).", &[]),
        ErrorKind::Config => ("ConfigError", Builtin::None, "The client is misconfigured: no API key, a bad base URL, plain http to a remote host, a bad certificate.", &[]),
        ErrorKind::Auth => ("AuthError", Builtin::None, "HTTP 401: the API key is missing, invalid or revoked.", &[]),
        ErrorKind::PermissionDenied => ("PermissionDeniedError", Builtin::None, "HTTP 403: the key lacks the rights for this action.", &[]),
        ErrorKind::OutsideProjectScope => ("OutsideProjectScopeError", Builtin::None, "HTTP 404 from a project-scoped key reaching outside its project.", &[]),
        ErrorKind::NotFound => ("NotFoundError", Builtin::None, "HTTP 404: the key, organization or project does not exist (or is not visible to this key).", &[]),
        ErrorKind::Conflict => ("ConflictError", Builtin::None, "HTTP 409: the request conflicts with the current state.", &[]),
        ErrorKind::Locked => ("LockedError", Builtin::None, "HTTP 423: the resource is locked (already retried).", &[]),
        ErrorKind::RateLimited => ("RateLimitedError", Builtin::None, "HTTP 429: Neon's rate limit (already retried); retry_after is the server's hint in seconds, or None.", &[]),
        ErrorKind::Server => ("ServerError", Builtin::None, "HTTP 5xx from Neon (already retried where safe).", &[]),
        ErrorKind::Api => ("ApiError", Builtin::None, "Any other unexpected HTTP status.", &[]),
        ErrorKind::Timeout => ("NeonTimeoutError", Builtin::Timeout, "A connect, attempt or whole-call deadline passed (also the builtin TimeoutError).", &[]),
        ErrorKind::Network => ("NetworkError", Builtin::Connection, "The connection failed (refused, reset, DNS, TLS) with no usable response (also a ConnectionError).", &[]),
        ErrorKind::Decode => ("DecodeError", Builtin::None, "The response could not be understood.", &[]),
        ErrorKind::OutcomeUnknown => ("OutcomeUnknownError", Builtin::None, "A create may or may not have happened: a live key may exist whose secret nobody saw. \
key_name, org_id, project_id and the window not_before..not_after (datetimes) tell where to look for it.", &["key_name", "org_id", "project_id", "not_before", "not_after"]),
        ErrorKind::VerificationFailed => ("VerificationFailedError", Builtin::None, "A created key failed verification; key_id is its id and revoked whether the client managed to revoke it \
(False means a live key remains: revoke it by id).", &["key_id", "revoked"]),
        ErrorKind::Cancelled => ("CancelledError", Builtin::None, "The call was cancelled by the caller.", &[]),
        ErrorKind::Internal => ("InternalError", Builtin::None, "A bug inside the SDK (for example a caught panic). Please report it.", &[]),
        _ => ("NeonError", Builtin::None, "An error of a kind this binding does not know yet.", &[]),
    }
}

fn namespace<'py>(py: Python<'py>, doc: &str, attrs: &[&str]) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("__module__", "neon_api_keys")?;
    dict.set_item("__doc__", doc)?;
    for attr in attrs {
        dict.set_item(*attr, py.None())?;
    }
    Ok(dict)
}

fn make_classes(py: Python<'_>) -> PyResult<Classes> {
    let type_type = py.get_type::<PyType>();
    let base = type_type.call1((
        "NeonError",
        PyTuple::new(py, [py.get_type::<PyException>()])?,
        namespace(py, BASE_DOC, &BASE_ATTRS)?,
    ))?;
    let mut kinds = Vec::with_capacity(ErrorKind::ALL.len());
    for kind in ErrorKind::ALL {
        let (name, builtin, doc, attrs) = spec(kind);
        let mut bases = vec![base.clone()];
        match builtin {
            Builtin::None => {}
            Builtin::Value => bases.push(py.get_type::<PyValueError>().into_any()),
            Builtin::Timeout => bases.push(py.get_type::<PyTimeoutError>().into_any()),
            Builtin::Connection => bases.push(py.get_type::<PyConnectionError>().into_any()),
        }
        let class =
            type_type.call1((name, PyTuple::new(py, bases)?, namespace(py, doc, attrs)?))?;
        kinds.push((kind, class.cast_into::<PyType>()?.unbind()));
    }
    Ok(Classes {
        base: base.cast_into::<PyType>()?.unbind(),
        kinds,
    })
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || make_classes(py))
}

/// Adds `NeonError` and every kind's class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes = classes(py)?;
    m.add("NeonError", classes.base.bind(py))?;
    for (kind, class) in &classes.kinds {
        m.add(spec(*kind).0, class.bind(py))?;
    }
    Ok(())
}

fn class_of<'py>(py: Python<'py>, kind: ErrorKind) -> PyResult<Bound<'py, PyType>> {
    let classes = classes(py)?;
    let class = classes
        .kinds
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, class)| class)
        .unwrap_or(&classes.base);
    Ok(class.bind(py).clone())
}

/// How many links of a core error's source chain become `__cause__` exceptions.
const MAX_CAUSES: usize = 8;

/// The core error's source chain (`std::error::Error::source`, e.g. the I/O or TLS error under a network
/// error) as chained `Exception`s carrying each cause's scrubbed text: the first link, whose `__cause__` is
/// the second, and so on. `None` when the error has no source.
fn cause_chain<'py>(py: Python<'py>, error: &Error) -> PyResult<Option<Bound<'py, PyAny>>> {
    let mut texts = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if texts.len() == MAX_CAUSES {
            break;
        }
        texts.push(neon_api_keys::scrub(&cause.to_string()));
        source = cause.source();
    }
    let mut chain: Option<Bound<'py, PyAny>> = None;
    for text in texts.into_iter().rev() {
        let link = py.get_type::<PyException>().call1((text,))?;
        if let Some(inner) = chain {
            link.setattr("__cause__", inner)?;
        }
        chain = Some(link);
    }
    Ok(chain)
}

fn build<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    let instance = class_of(py, error.kind())?.call1((error.to_string(),))?;
    if let Some(cause) = cause_chain(py, error)? {
        instance.setattr("__cause__", cause)?;
    }
    instance.setattr("kind", error.kind().as_str())?;
    instance.setattr("status", error.status())?;
    instance.setattr("code", error.code())?;
    instance.setattr("message", error.message())?;
    instance.setattr("request_id", error.request_id())?;
    instance.setattr("retry_after", error.retry_after().map(|d| d.as_secs_f64()))?;
    if let Some(details) = error.outcome_unknown() {
        instance.setattr("key_name", &details.key_name)?;
        instance.setattr("org_id", details.org_id.as_deref())?;
        instance.setattr("project_id", details.project_id.as_deref())?;
        instance.setattr("not_before", DateTime::<Utc>::from(details.not_before))?;
        instance.setattr("not_after", DateTime::<Utc>::from(details.not_after))?;
    }
    if let Some(details) = error.verification() {
        instance.setattr("key_id", details.key_id)?;
        instance.setattr("revoked", details.revoked)?;
    }
    Ok(instance)
}

/// The exception instance for a core error (used for `Rotation.revoke_error`).
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

/// A core result on its way to Python: converting it raises the translated exception on `Err`.
/// Async calls return it so that the exception is built under the GIL, when asyncio receives the result.
pub(crate) struct Answer<T>(pub(crate) Result<T, Error>);

impl<'py, T> IntoPyObject<'py> for Answer<T>
where
    T: IntoPyObject<'py>,
{
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0 {
            Ok(value) => value.into_bound_py_any(py),
            Err(error) => Err(to_pyerr(py, &error)),
        }
    }
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

/// A test stand-in for an I/O or TLS error: a text and an optional source.
#[derive(Debug)]
struct TestCause {
    text: String,
    source: Option<Box<TestCause>>,
}

impl std::fmt::Display for TestCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for TestCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// For tests: the exception for a core error of `kind` whose source chain has these texts (outermost first).
#[pyfunction]
pub(crate) fn _error_for_test<'py>(
    py: Python<'py>,
    kind: &str,
    message: &str,
    causes: Vec<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let kind = ErrorKind::from_name(kind).unwrap_or(ErrorKind::Internal);
    let source = causes.into_iter().rev().fold(None, |inner, text| {
        Some(Box::new(TestCause {
            text,
            source: inner,
        }))
    });
    let mut error = Error::new(kind, message);
    if let Some(source) = source {
        error = error.with_source(*source);
    }
    build(py, &error)
}
