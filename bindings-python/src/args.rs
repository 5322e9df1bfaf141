//! Arguments from Python, with errors that name the parameter: a wrong type is a `TypeError` ("key_id must
//! be an int, got str"), a value the core cannot represent (an id past int64, a negative count) is
//! `InvalidInputError`. Durations go through the core's `duration_from_secs`. Methods take their arguments
//! as `Option<Bound<PyAny>>` and extract each with [`arg`], so no pyo3 extraction text reaches the user.

use crate::errors::to_pyerr;
use crate::keychain::Keychain;
use crate::models::{CreatedApiKey, Creator};
use crate::secret::ApiKeySecret;
use chrono::{DateTime, FixedOffset, Utc};
use neon_api_keys::{Error, ErrorKind};
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDateTime, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::time::Duration;

/// A value a parameter accepts, extracted with a message that names the parameter.
pub(crate) trait Param: Sized {
    /// What the parameter takes, for the `TypeError` ("an int", "a str").
    const EXPECTS: &'static str;

    /// Extracts the value; `Err(None)` means "wrong type" (the caller raises the `TypeError`).
    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> Result<Self, Option<PyErr>>;
}

/// Extracts the argument `name`: `None` (absent, or Python's `None`) only where `T` is an `Option`.
pub(crate) fn arg<T: Param>(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<T> {
    let none = py.None().into_bound(py);
    let obj = obj.unwrap_or(&none);
    T::extract(obj, name)
        .map_err(|error| error.unwrap_or_else(|| wrong_type(obj, name, T::EXPECTS)))
}

/// The `TypeError` for `obj` given as `name`.
pub(crate) fn wrong_type(obj: &Bound<'_, PyAny>, name: &str, expects: &str) -> PyErr {
    let got = if obj.is_none() {
        "None".to_string()
    } else {
        obj.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "an object".to_string())
    };
    PyTypeError::new_err(format!("{name} must be {expects}, got {got}"))
}

/// `InvalidInputError` with `message`.
pub(crate) fn invalid(py: Python<'_>, message: String) -> PyErr {
    to_pyerr(py, &Error::new(ErrorKind::InvalidInput, message))
}

impl<T: Param> Param for Option<T> {
    const EXPECTS: &'static str = T::EXPECTS;

    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> Result<Self, Option<PyErr>> {
        if obj.is_none() {
            return Ok(None);
        }
        T::extract(obj, name).map(Some)
    }
}

impl Param for String {
    const EXPECTS: &'static str = "a str";

    fn extract(obj: &Bound<'_, PyAny>, _name: &str) -> Result<Self, Option<PyErr>> {
        if !obj.is_instance_of::<PyString>() {
            return Err(None);
        }
        obj.extract::<String>().map_err(Some)
    }
}

impl Param for bool {
    const EXPECTS: &'static str = "a bool";

    fn extract(obj: &Bound<'_, PyAny>, _name: &str) -> Result<Self, Option<PyErr>> {
        obj.cast::<PyBool>().map(|b| b.is_true()).map_err(|_| None)
    }
}

/// An integer that must fit `T` (an id in int64, a count in uint32): a bool or a non-int is a `TypeError`,
/// an int out of range `InvalidInputError`.
fn int<'py, T>(obj: &Bound<'py, PyAny>, name: &str, range: &str) -> Result<T, Option<PyErr>>
where
    T: pyo3::conversion::FromPyObjectOwned<'py>,
{
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(None);
    }
    obj.extract::<T>().map_err(|error| {
        let error: PyErr = error.into();
        if error.is_instance_of::<PyOverflowError>(obj.py()) {
            Some(invalid(
                obj.py(),
                format!("{name} must be {range}, got {}", obj_repr(obj)),
            ))
        } else {
            Some(error)
        }
    })
}

fn obj_repr(obj: &Bound<'_, PyAny>) -> String {
    obj.repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

impl Param for i64 {
    const EXPECTS: &'static str = "an int";

    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> Result<Self, Option<PyErr>> {
        int(
            obj,
            name,
            "an integer from -2**63 to 2**63 - 1 (Neon's int64 key ids)",
        )
    }
}

impl Param for u32 {
    const EXPECTS: &'static str = "an int";

    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> Result<Self, Option<PyErr>> {
        int(obj, name, "an integer from 0 to 2**32 - 1")
    }
}

/// Seconds as a float: an int or a float, checked by the core's `duration_from_secs` (negative, NaN and
/// infinite values are `InvalidInputError` naming the parameter).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seconds(pub(crate) Duration);

impl Param for Seconds {
    const EXPECTS: &'static str = "a number of seconds (int or float)";

    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> Result<Self, Option<PyErr>> {
        if obj.is_instance_of::<PyBool>()
            || !(obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>())
        {
            return Err(None);
        }
        let value: f64 = obj.extract().map_err(|_| None)?;
        neon_api_keys::duration_from_secs(name, value)
            .map(Seconds)
            .map_err(|e| Some(to_pyerr(obj.py(), &e)))
    }
}

impl Param for DateTime<Utc> {
    const EXPECTS: &'static str = "a timezone-aware datetime";

    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> Result<Self, Option<PyErr>> {
        let Ok(datetime) = obj.cast::<PyDateTime>() else {
            return Err(None);
        };
        if datetime.getattr("tzinfo").map_or(true, |tz| tz.is_none()) {
            return Err(Some(PyTypeError::new_err(format!(
                "{name} must be a timezone-aware datetime (a naive datetime is ambiguous: add tzinfo=timezone.utc)"
            ))));
        }
        datetime
            .extract::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc))
            .map_err(Some)
    }
}

impl Param for Vec<String> {
    const EXPECTS: &'static str = "a list of str";

    fn extract(obj: &Bound<'_, PyAny>, name: &str) -> Result<Self, Option<PyErr>> {
        if !(obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()) {
            return Err(None);
        }
        let mut out = Vec::new();
        for item in obj.try_iter().map_err(Some)? {
            let item = item.map_err(Some)?;
            out.push(<String as Param>::extract(&item, name)?);
        }
        Ok(out)
    }
}

/// `class_params!(Type => "a Type", ...)`: each frozen class taken as a parameter by value (a clone); any other
/// object is the wrong type.
macro_rules! class_params {
    ($($ty:ty => $expects:literal),* $(,)?) => {$(
        impl Param for $ty {
            const EXPECTS: &'static str = $expects;

            fn extract(obj: &Bound<'_, PyAny>, _name: &str) -> Result<Self, Option<PyErr>> {
                obj.cast::<$ty>().map(|v| v.get().clone()).map_err(|_| None)
            }
        }
    )*};
}

class_params!(
    Creator => "a Creator",
    CreatedApiKey => "a CreatedApiKey",
    Keychain => "a Keychain",
);

/// An API key given as `str` or `ApiKeySecret`.
pub(crate) struct SecretArg(pub(crate) neon_api_keys::ApiKeySecret);

impl Param for SecretArg {
    const EXPECTS: &'static str = "a str or an ApiKeySecret";

    fn extract(obj: &Bound<'_, PyAny>, _name: &str) -> Result<Self, Option<PyErr>> {
        if let Ok(secret) = obj.cast::<ApiKeySecret>() {
            return Ok(SecretArg(secret.get().0.clone()));
        }
        if obj.is_instance_of::<PyString>() {
            let text: String = obj.extract().map_err(Some)?;
            return Ok(SecretArg(neon_api_keys::ApiKeySecret::new(text)));
        }
        Err(None)
    }
}

/// A PEM certificate given as `str` or `bytes`.
pub(crate) struct Pem(pub(crate) Vec<u8>);

impl Param for Pem {
    const EXPECTS: &'static str = "PEM text as str or bytes";

    fn extract(obj: &Bound<'_, PyAny>, _name: &str) -> Result<Self, Option<PyErr>> {
        if let Ok(bytes) = obj.cast::<PyBytes>() {
            return Ok(Pem(bytes.as_bytes().to_vec()));
        }
        if obj.is_instance_of::<PyString>() {
            let text: String = obj.extract().map_err(Some)?;
            return Ok(Pem(text.into_bytes()));
        }
        Err(None)
    }
}

/// A callable (a rotation's `store`).
pub(crate) struct Callable(pub(crate) Py<PyAny>);

impl Param for Callable {
    const EXPECTS: &'static str = "a callable taking the new CreatedApiKey";

    fn extract(obj: &Bound<'_, PyAny>, _name: &str) -> Result<Self, Option<PyErr>> {
        if obj.is_callable() {
            Ok(Callable(obj.clone().unbind()))
        } else {
            Err(None)
        }
    }
}
