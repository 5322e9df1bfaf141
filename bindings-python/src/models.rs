//! The values Neon returns, as frozen Python classes over the core's models (mirrors the core's `models`).
//! One macro, [`value_class!`], writes each class from its list of fields: the read-only attributes, a keyword
//! constructor (`ApiKey(id=1, name="ci")`, for your own tests), `==`, `repr`, `to_dict()`, and, for values
//! without a secret, `hash()` and pickling. Timestamps are timezone-aware `datetime`s in UTC.

use crate::args::{arg, Param, SecretArg};
use crate::secret::{refuse_pickle, ApiKeySecret};
use chrono::{DateTime, Utc};
use neon_api_keys::AuthMethod;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};
use pyo3::IntoPyObjectExt;
use std::hash::{DefaultHasher, Hash, Hasher};

/// A field of a core model as Python sees it: its value as an attribute and in `to_dict()`, and the
/// constructor argument it is built from.
pub(crate) trait Field: Sized {
    /// The constructor argument.
    type Arg: Param;

    /// The attribute's value.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;

    /// The value in `to_dict()` (nested values as dicts).
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_py(py)
    }

    /// The field built from its constructor argument.
    fn from_arg(arg: Self::Arg) -> Self;
}

/// Fields that are the same type in Rust and Python.
macro_rules! plain_fields {
    ($($ty:ty),*) => {$(
        impl Field for $ty {
            type Arg = $ty;

            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.clone().into_bound_py_any(py)
            }

            fn from_arg(arg: Self::Arg) -> Self {
                arg
            }
        }
    )*};
}

plain_fields!(
    i64,
    bool,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
    Vec<String>
);

impl Field for Option<neon_api_keys::Creator> {
    type Arg = Option<Creator>;

    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.clone().map(Creator).into_bound_py_any(py)
    }

    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(creator) => Ok(Creator(creator.clone()).to_dict(py)?.into_any()),
            None => Ok(py.None().into_bound(py)),
        }
    }

    fn from_arg(arg: Self::Arg) -> Self {
        arg.map(|c| c.0)
    }
}

/// Neon's wire name ("api_key_user", ...; newer values verbatim).
impl Field for AuthMethod {
    type Arg = String;

    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.as_str().into_bound_py_any(py)
    }

    fn from_arg(arg: Self::Arg) -> Self {
        AuthMethod::from_wire(&arg)
    }
}

impl Field for neon_api_keys::ApiKeySecret {
    type Arg = SecretArg;

    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ApiKeySecret(self.clone()).into_bound_py_any(py)
    }

    fn from_arg(arg: Self::Arg) -> Self {
        arg.0
    }
}

/// `Class(field=repr(value), ...)` from (name, value) pairs.
fn repr_of(class: &str, fields: &[(&str, Bound<'_, PyAny>)]) -> PyResult<String> {
    let mut parts = Vec::with_capacity(fields.len());
    for (name, value) in fields {
        parts.push(format!("{name}={}", value.repr()?));
    }
    Ok(format!("{class}({})", parts.join(", ")))
}

/// A stable hash of a value's `Debug` text (equal values have equal `Debug` text).
fn debug_hash(value: &impl std::fmt::Debug) -> u64 {
    let mut hasher = DefaultHasher::new();
    format!("{value:?}").hash(&mut hasher);
    hasher.finish()
}

/// Rebuilds a value from its class and keyword arguments (what pickling calls).
#[pyfunction]
pub(crate) fn _value<'py>(
    class: &Bound<'py, PyAny>,
    kwargs: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    class.call((), Some(kwargs))
}

/// `(_value, (cls, kwargs))`: how a value pickles.
fn reduce<'py>(
    slf: &Bound<'py, PyAny>,
    kwargs: Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = slf.py();
    let rebuild = py.import("neon_api_keys._native")?.getattr("_value")?;
    PyTuple::new(
        py,
        [
            rebuild.into_any(),
            PyTuple::new(py, [slf.get_type().into_any(), kwargs.into_any()])?.into_any(),
        ],
    )
}

/// Writes a frozen value class over a core model: `value_class! { docs Class(core::Type) = seed;
/// secret: true|false; fields { docs name: Type [= None]; ... } }`. `seed` builds a core value whose fields
/// are then set from the constructor's keywords (a field `= None` may be left out and keeps the seed's value;
/// the others must be given). Values with a secret are neither hashable nor picklable.
macro_rules! value_class {
    (
        $(#[doc = $doc:literal])*
        $class:ident($core:ty) = $seed:expr;
        secret: false;
        fields $fields:tt
    ) => {
        value_class! {
            @emit $(#[doc = $doc])* $class($core) = $seed; secret: false; fields $fields;
            extra {
                /// Values without a secret hash by value.
                fn __hash__(&self) -> u64 {
                    debug_hash(&self.0)
                }
            }
        }
    };
    (
        $(#[doc = $doc:literal])*
        $class:ident($core:ty) = $seed:expr;
        secret: true;
        fields $fields:tt
    ) => {
        value_class! { @emit $(#[doc = $doc])* $class($core) = $seed; secret: true; fields $fields; extra {} }
    };
    (
        @emit
        $(#[doc = $doc:literal])*
        $class:ident($core:ty) = $seed:expr;
        secret: $secret:tt;
        fields {
            $( $(#[doc = $fdoc:literal])* $field:ident: $ty:ty $(= $default:tt)?; )*
        };
        extra { $($extra:tt)* }
    ) => {
        $(#[doc = $doc])*
        #[pyclass(module = "neon_api_keys", frozen, eq)]
        #[derive(Clone, PartialEq)]
        pub struct $class(pub(crate) $core);

        #[pymethods]
        impl $class {
            /// Builds a value by hand (for tests of your own code); every field is a keyword.
            #[new]
            #[pyo3(signature = (*, $($field $(= $default)?),*))]
            #[allow(clippy::too_many_arguments)]
            fn new(py: Python<'_>, $($field: Option<Bound<'_, PyAny>>),*) -> PyResult<Self> {
                let mut value: $core = $seed;
                $(
                    value_class!(@set py, value, $field, $ty $(, $default)?);
                )*
                Ok($class(value))
            }

            $(
                $(#[doc = $fdoc])*
                #[getter]
                fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    Field::to_py(&self.0.$field, py)
                }
            )*

            /// The fields as a dict (nested values as dicts; datetimes stay datetimes).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let dict = PyDict::new(py);
                $( dict.set_item(stringify!($field), Field::to_plain(&self.0.$field, py)?)?; )*
                Ok(dict)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                repr_of(stringify!($class), &[$((stringify!($field), Field::to_py(&self.0.$field, py)?)),*])
            }

            $($extra)*

            /// Values without a secret pickle (rebuilt through the keyword constructor); one with a secret refuses.
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
                if $secret {
                    return Err(refuse_pickle(stringify!($class)));
                }
                let py = slf.py();
                let this = slf.get();
                let kwargs = PyDict::new(py);
                $( kwargs.set_item(stringify!($field), Field::to_py(&this.0.$field, py)?)?; )*
                reduce(slf.as_any(), kwargs)
            }
        }
    };
    (@set $py:ident, $value:ident, $field:ident, $ty:ty) => {
        $value.$field = <$ty as Field>::from_arg(arg($py, $field.as_ref(), stringify!($field))?);
    };
    (@set $py:ident, $value:ident, $field:ident, $ty:ty, $default:tt) => {
        if let Some(given) = arg::<Option<<$ty as Field>::Arg>>($py, $field.as_ref(), stringify!($field))? {
            $value.$field = <$ty as Field>::from_arg(given);
        }
    };
}

value_class! {
    /// Who created a key. Lists give the uuid, name and avatar; create and revoke give only the uuid (`id`).
    Creator(neon_api_keys::Creator) = neon_api_keys::Creator::default();
    secret: false;
    fields {
        /// The user's uuid.
        id: Option<String> = None;
        /// The user's display name (lists only).
        name: Option<String> = None;
        /// The user's avatar URL (lists only; may be missing).
        image: Option<String> = None;
    }
}

value_class! {
    /// A key as listed (personal or organization). Never carries the secret.
    ApiKey(neon_api_keys::ApiKey) = neon_api_keys::ApiKey::new(0, "");
    secret: false;
    fields {
        /// The key id.
        id: i64;
        /// The key's name.
        name: String;
        /// When it was created (None only in malformed responses).
        created_at: Option<DateTime<Utc>> = None;
        /// Who created it.
        created_by: Option<neon_api_keys::Creator> = None;
        /// When it was last used; None if never.
        last_used_at: Option<DateTime<Utc>> = None;
        /// The addresses it was last used from (empty if never used).
        last_used_from_addr: Vec<String> = None;
        /// For a project-scoped organization key, its project; None for org-wide and personal keys.
        project_id: Option<String> = None;
    }
}

value_class! {
    /// A newly created key. `key` holds the secret, shown once: store `key.reveal()` now or it is gone.
    /// It cannot be pickled or copied, and is not hashable.
    CreatedApiKey(neon_api_keys::CreatedApiKey) = neon_api_keys::CreatedApiKey::new(
        0,
        neon_api_keys::ApiKeySecret::new(""),
        "",
    );
    secret: true;
    fields {
        /// The key id.
        id: i64;
        /// The secret (an `ApiKeySecret`; `key.reveal()` gives the string).
        key: neon_api_keys::ApiKeySecret;
        /// The key's name.
        name: String;
        /// When it was created.
        created_at: Option<DateTime<Utc>> = None;
        /// The creator's uuid.
        created_by: Option<String> = None;
        /// The project a project-scoped key is limited to.
        project_id: Option<String> = None;
        /// The organization of an organization (or project-scoped) key; None for a personal key. Neon's answer
        /// does not carry it: the client fills it in from the request.
        org_id: Option<String> = None;
    }
}

value_class! {
    /// A revoked key, as Neon returns it.
    RevokedApiKey(neon_api_keys::RevokedApiKey) = neon_api_keys::RevokedApiKey::new(0, "");
    secret: false;
    fields {
        /// The key id.
        id: i64;
        /// The key's name.
        name: String;
        /// When it was created.
        created_at: Option<DateTime<Utc>> = None;
        /// The creator's uuid.
        created_by: Option<String> = None;
        /// When it was last used.
        last_used_at: Option<DateTime<Utc>> = None;
        /// The addresses it was last used from.
        last_used_from_addr: Vec<String> = None;
        /// True once revoked (the default when built by hand).
        revoked: bool = None;
        /// The project a project-scoped key was limited to.
        project_id: Option<String> = None;
    }
}

value_class! {
    /// How the client is authenticated (`GET /auth`).
    AuthDetails(neon_api_keys::AuthDetails) =
        neon_api_keys::AuthDetails::new("", AuthMethod::ApiKeyUser);
    secret: false;
    fields {
        /// The user or organization id the key belongs to.
        account_id: String;
        /// Neon's name of the credential kind: "api_key_user", "api_key_org", "keycloak", "session_cookie",
        /// "oauth", or a newer value verbatim.
        auth_method: AuthMethod;
        /// Extra data Neon may send.
        auth_data: Option<String> = None;
    }
}

value_class! {
    /// The part of a project this SDK uses (`GET /projects/{id}`).
    Project(neon_api_keys::Project) = neon_api_keys::Project::new("");
    secret: false;
    fields {
        /// The project id.
        id: String;
        /// The project name.
        name: Option<String> = None;
        /// The organization owning the project; None for a personal project.
        org_id: Option<String> = None;
    }
}

/// The result of a rotation whose store accepted the new key. The new key's secret is not in it (the store
/// received it); `revoke_error` says why the old key is still live, if it is.
#[pyclass(module = "neon_api_keys", name = "Rotation", frozen)]
pub struct Rotation {
    new_key: ApiKey,
    old_key_id: i64,
    revoked: Option<RevokedApiKey>,
    new_key_seen_in_use: Option<bool>,
    /// The core's error until Python first asks for it, then the exception instance (one per Rotation).
    core_error: Option<neon_api_keys::Error>,
    revoke_error: PyOnceLock<Option<Py<PyAny>>>,
}

impl From<neon_api_keys::Rotation> for Rotation {
    fn from(inner: neon_api_keys::Rotation) -> Self {
        Rotation {
            new_key: ApiKey(inner.new_key),
            old_key_id: inner.old_key_id,
            revoked: inner.revoked.map(RevokedApiKey),
            new_key_seen_in_use: inner.new_key_seen_in_use,
            core_error: inner.revoke_error,
            revoke_error: PyOnceLock::new(),
        }
    }
}

impl Rotation {
    fn error<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let cached = self.revoke_error.get_or_try_init(py, || {
            self.core_error
                .as_ref()
                .map(|e| crate::errors::to_exception(py, e).map(Bound::unbind))
                .transpose()
        })?;
        Ok(cached.as_ref().map(|e| e.bind(py).clone()))
    }

    /// The revoke error's class name and text (what equality and hashing compare).
    fn error_identity(&self, py: Python<'_>) -> PyResult<Option<(String, String)>> {
        match self.error(py)? {
            None => Ok(None),
            Some(e) => Ok(Some((
                e.get_type().qualname()?.to_string(),
                e.str()?.to_string(),
            ))),
        }
    }

    fn fields<'py>(&self, py: Python<'py>) -> PyResult<[(&'static str, Bound<'py, PyAny>); 5]> {
        Ok([
            ("new_key", self.new_key.clone().into_bound_py_any(py)?),
            ("old_key_id", self.old_key_id.into_bound_py_any(py)?),
            ("revoked", self.revoked.clone().into_bound_py_any(py)?),
            (
                "revoke_error",
                self.error(py)?.unwrap_or_else(|| py.None().into_bound(py)),
            ),
            (
                "new_key_seen_in_use",
                self.new_key_seen_in_use.into_bound_py_any(py)?,
            ),
        ])
    }
}

#[pymethods]
impl Rotation {
    /// Builds a Rotation by hand (for tests of your own code).
    #[new]
    #[pyo3(signature = (*, new_key, old_key_id, revoked=None, revoke_error=None, new_key_seen_in_use=None))]
    fn new(
        py: Python<'_>,
        new_key: Option<Bound<'_, PyAny>>,
        old_key_id: Option<Bound<'_, PyAny>>,
        revoked: Option<Bound<'_, PyAny>>,
        revoke_error: Option<Bound<'_, PyAny>>,
        new_key_seen_in_use: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Rotation> {
        let new_key = match new_key.as_ref().map(|k| k.cast::<ApiKey>()) {
            Some(Ok(key)) => key.get().clone(),
            _ => {
                let none = py.None().into_bound(py);
                return Err(crate::args::wrong_type(
                    new_key.as_ref().unwrap_or(&none),
                    "new_key",
                    "an ApiKey",
                ));
            }
        };
        let revoked = match revoked.filter(|r| !r.is_none()) {
            None => None,
            Some(r) => Some(
                r.cast::<RevokedApiKey>()
                    .map_err(|_| crate::args::wrong_type(&r, "revoked", "a RevokedApiKey or None"))?
                    .get()
                    .clone(),
            ),
        };
        let error = match revoke_error.filter(|e| !e.is_none()) {
            None => None,
            Some(e) if e.is_instance_of::<pyo3::exceptions::PyBaseException>() => Some(e.unbind()),
            Some(e) => {
                return Err(crate::args::wrong_type(
                    &e,
                    "revoke_error",
                    "an exception (a NeonError) or None",
                ))
            }
        };
        let cell = PyOnceLock::new();
        let _ = cell.set(py, error);
        Ok(Rotation {
            new_key,
            old_key_id: arg(py, old_key_id.as_ref(), "old_key_id")?,
            revoked,
            new_key_seen_in_use: arg(py, new_key_seen_in_use.as_ref(), "new_key_seen_in_use")?,
            core_error: None,
            revoke_error: cell,
        })
    }

    /// The new key (id, name, scope; no secret: the store received it).
    #[getter]
    fn new_key(&self) -> ApiKey {
        self.new_key.clone()
    }

    /// The id of the key that was rotated.
    #[getter]
    fn old_key_id(&self) -> i64 {
        self.old_key_id
    }

    /// The old key as revoked, when it was.
    #[getter]
    fn revoked(&self) -> Option<RevokedApiKey> {
        self.revoked.clone()
    }

    /// Why the old key is still live (a `NeonError`), when revoking it failed or the call was cancelled after
    /// the store returned; else None. The new key is stored and valid either way.
    #[getter]
    fn revoke_error<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.error(py)
    }

    /// With `wait_for_use`: whether a use of the new key showed in time (False: the old key was left live).
    /// None when no wait was asked for.
    #[getter]
    fn new_key_seen_in_use(&self) -> Option<bool> {
        self.new_key_seen_in_use
    }

    /// Whether the old key is gone (revoked).
    #[getter]
    fn is_complete(&self) -> bool {
        self.revoked.is_some()
    }

    /// The fields as a dict (`new_key` and `revoked` as dicts, `revoke_error` the exception or None).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in self.fields(py)? {
            let plain = if value.hasattr("to_dict")? {
                value.call_method0("to_dict")?
            } else {
                value
            };
            dict.set_item(name, plain)?;
        }
        Ok(dict)
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<Rotation>() else {
            return Ok(false);
        };
        let other = other.get();
        Ok(self.new_key == other.new_key
            && self.old_key_id == other.old_key_id
            && self.revoked == other.revoked
            && self.new_key_seen_in_use == other.new_key_seen_in_use
            && self.error_identity(py)? == other.error_identity(py)?)
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<u64> {
        let mut hasher = DefaultHasher::new();
        debug_hash(&self.new_key.0).hash(&mut hasher);
        self.old_key_id.hash(&mut hasher);
        self.revoked
            .as_ref()
            .map(|r| debug_hash(&r.0))
            .hash(&mut hasher);
        self.new_key_seen_in_use.hash(&mut hasher);
        self.error_identity(py)?.hash(&mut hasher);
        Ok(hasher.finish())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("Rotation", &self.fields(py)?)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let kwargs = PyDict::new(py);
        for (name, value) in slf.get().fields(py)? {
            kwargs.set_item(name, value)?;
        }
        reduce(slf.as_any(), kwargs)
    }
}

/// Keys as a Python list of `ApiKey`.
pub(crate) fn key_list(keys: Vec<neon_api_keys::ApiKey>) -> Vec<ApiKey> {
    keys.into_iter().map(ApiKey).collect()
}

/// Registers every value class on the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ApiKeySecret>()?;
    m.add_class::<Creator>()?;
    m.add_class::<ApiKey>()?;
    m.add_class::<CreatedApiKey>()?;
    m.add_class::<RevokedApiKey>()?;
    m.add_class::<AuthDetails>()?;
    m.add_class::<Project>()?;
    m.add_class::<Rotation>()?;
    m.add_function(wrap_pyfunction!(_value, m)?)?;
    Ok(())
}
