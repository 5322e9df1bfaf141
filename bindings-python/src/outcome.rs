//! What a finished core call becomes in Python, also when the caller interrupted it (a cancelled asyncio
//! task, Ctrl-C in a blocking call). An interrupted call is never dropped mid-flight: its token is cancelled
//! and the core runs to the end, then [`settle`] decides:
//! - a value that holds the caller's work (a `CreatedApiKey`, a `Rotation` whose store has the new key) is
//!   returned, so nothing made is lost;
//! - `OutcomeUnknown` (a create that may exist) is raised with the interrupt as its `__context__`;
//! - anything else raises the interrupt itself (`CancelledError`, `KeyboardInterrupt`).

use crate::errors::{add_note, to_pyerr};
use crate::models::{ApiKey, AuthDetails, CreatedApiKey, Project, RevokedApiKey, Rotation};
use neon_api_keys::{Error, ErrorKind, RotateError};
use pyo3::prelude::*;

/// Why a call failed: the core's error, or a rotation store's own exception.
pub(crate) enum Failure {
    /// The core's error.
    Core(Error),
    /// The store raised `error`; `note` says what became of the new key.
    Store {
        /// The store's exception, re-raised as it is.
        error: PyErr,
        /// [`RotateError::store_note`].
        note: Option<String>,
    },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Core(error)
    }
}

impl From<RotateError<PyErr>> for Failure {
    fn from(error: RotateError<PyErr>) -> Self {
        let note = error.store_note();
        match error {
            RotateError::Store(failed) => Failure::Store {
                error: failed.error,
                note,
            },
            RotateError::Neon(error) => Failure::Core(error),
            other => Failure::Core(Error::new(ErrorKind::Internal, other.to_string())),
        }
    }
}

impl Failure {
    /// The exception to raise: the core error's class, or the store's exception with the note added.
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Core(error) => to_pyerr(py, &error),
            Failure::Store { error, note } => {
                if let Some(note) = note {
                    if let Err(failed) = add_note(py, &error, &note) {
                        return failed;
                    }
                }
                error
            }
        }
    }

    fn outcome_unknown(&self) -> bool {
        matches!(self, Failure::Core(e) if e.kind() == ErrorKind::OutcomeUnknown)
    }
}

/// Whether a result must reach the caller even after an interrupt (it holds work that would be lost).
pub(crate) trait Keep {
    /// True for values that carry something made by the call.
    fn keep_after_interrupt(&self) -> bool {
        false
    }
}

impl Keep for CreatedApiKey {
    fn keep_after_interrupt(&self) -> bool {
        true
    }
}

impl Keep for Rotation {
    fn keep_after_interrupt(&self) -> bool {
        true
    }
}

impl Keep for Vec<ApiKey> {}
impl Keep for RevokedApiKey {}
impl Keep for AuthDetails {}
impl Keep for Project {}
impl Keep for () {}

/// The Python outcome of a finished call; `interrupt` is the exception that interrupted it, if any.
pub(crate) fn settle<T: Keep>(
    py: Python<'_>,
    result: Result<T, Failure>,
    interrupt: Option<PyErr>,
) -> PyResult<T> {
    let Some(interrupt) = interrupt else {
        return result.map_err(|failure| failure.into_pyerr(py));
    };
    match result {
        Ok(value) if value.keep_after_interrupt() => Ok(value),
        Err(failure) if failure.outcome_unknown() => {
            let error = failure.into_pyerr(py);
            error
                .value(py)
                .setattr("__context__", interrupt.value(py))?;
            Err(error)
        }
        _ => Err(interrupt),
    }
}
