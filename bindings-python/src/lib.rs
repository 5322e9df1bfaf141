//! Python bindings for neon-api-keys: the native module `neon_api_keys._native`.
//!
//! This crate only translates: the core (`neon_api_keys`) does validation, credentials, retries, timeouts,
//! throttling, secret scrubbing, error classification and rotation. Here: Python arguments in (with errors
//! that name the parameter), values and exceptions out, one shared tokio runtime (fork-aware), blocking calls
//! with the GIL released and Ctrl-C honoured, and coroutines that never drop a call mid-flight. It also embeds
//! the emulator (`_Emulator`) for `neon_api_keys.testing`, keychain entries (`Keychain`), and the bridge of the
//! core's log events into Python's `logging` (`logging`). The test hooks (`_panic_for_test`, `_error_for_test`,
//! `_in_flight`, `_refuse_keychain_saves_for_test`, ...) exist only with the `test-hooks` feature, which wheels
//! leave off.

mod args;
mod async_client;
mod awaitable;
mod client;
mod config;
#[cfg(feature = "emulator")]
mod emulator;
mod errors;
mod keychain;
mod logging;
mod methods;
mod models;
mod outcome;
mod runtime;
mod secret;

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::time::Duration;

/// `neon_api_keys::OPERATIONS` as a tuple of `(name, args, summary)`; an optional argument ends in `?`.
fn operations(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let mut items = Vec::with_capacity(neon_api_keys::OPERATIONS.len());
    for op in neon_api_keys::OPERATIONS {
        let args = PyTuple::new(py, op.args)?;
        items.push(PyTuple::new(
            py,
            [
                op.name.into_pyobject(py)?.into_any(),
                args.into_any(),
                op.summary.into_pyobject(py)?.into_any(),
            ],
        )?);
    }
    PyTuple::new(py, items)
}

/// The core's defaults, in the units Python callers pass (seconds; retries as a count).
fn add_defaults(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let seconds: [(&str, Duration); 7] = [
        ("DEFAULT_TIMEOUT", neon_api_keys::DEFAULT_TIMEOUT),
        (
            "DEFAULT_CONNECT_TIMEOUT",
            neon_api_keys::DEFAULT_CONNECT_TIMEOUT,
        ),
        (
            "DEFAULT_ATTEMPT_TIMEOUT",
            neon_api_keys::DEFAULT_ATTEMPT_TIMEOUT,
        ),
        ("DEFAULT_BACKOFF_BASE", neon_api_keys::DEFAULT_BACKOFF_BASE),
        ("DEFAULT_BACKOFF_CAP", neon_api_keys::DEFAULT_BACKOFF_CAP),
        (
            "DEFAULT_MAX_RETRY_WAIT",
            neon_api_keys::DEFAULT_MAX_RETRY_WAIT,
        ),
        (
            "DEFAULT_USE_POLL_INTERVAL",
            neon_api_keys::DEFAULT_USE_POLL_INTERVAL,
        ),
    ];
    for (name, value) in seconds {
        m.add(name, value.as_secs_f64())?;
    }
    m.add("DEFAULT_MAX_RETRIES", neon_api_keys::DEFAULT_MAX_RETRIES)?;
    m.add("DEFAULT_BASE_URL", neon_api_keys::DEFAULT_BASE_URL)?;
    Ok(())
}

#[cfg(feature = "test-hooks")]
mod hooks {
    use crate::{awaitable, errors, models, outcome, runtime};
    use pyo3::prelude::*;
    use pyo3::IntoPyObjectExt;

    /// How many core calls are in flight right now (a cancelled call must not linger).
    #[pyfunction]
    pub(crate) fn _in_flight() -> usize {
        runtime::in_flight()
    }

    /// A `Call` that runs `fut` on the shared runtime like an `AsyncClient` call (its token is never looked at).
    fn spawned<T, F>(fut: F) -> awaitable::Call
    where
        T: outcome::Keep + for<'a> IntoPyObject<'a> + Send + 'static,
        F: std::future::Future<Output = Result<T, neon_api_keys::Error>> + Send + 'static,
    {
        awaitable::Call::new(
            "_for_test",
            neon_api_keys::CancellationToken::new(),
            Box::new(|py| {
                let inbox = std::sync::Arc::new(awaitable::Inbox::default());
                inbox.attach_loop(py)?;
                let reporter = inbox.clone();
                let runtime = errors::IntoPyResult::or_raise(runtime::runtime(), py)?;
                runtime.spawn(async move {
                    let result = runtime::guarded(fut).await.map_err(outcome::Failure::from);
                    reporter.finish(Box::new(move |py, interrupt| {
                        outcome::settle(py, result, interrupt)?.into_py_any(py)
                    }));
                });
                Ok(inbox)
            }),
        )
    }

    /// Runs a panicking future through the same path as a real call (a panic must surface as
    /// `InternalError`). `asynchronous=True` returns a coroutine.
    #[pyfunction]
    #[pyo3(signature = (asynchronous=false))]
    pub(crate) fn _panic_for_test(py: Python<'_>, asynchronous: bool) -> PyResult<Py<PyAny>> {
        #[allow(clippy::panic)]
        async fn boom() -> Result<(), neon_api_keys::Error> {
            panic!("deliberate test panic")
        }
        if asynchronous {
            return Ok(Py::new(py, spawned(boom()))?.into_any());
        }
        let token = neon_api_keys::CancellationToken::new();
        let blocked = runtime::block_on(py, token, boom());
        outcome::settle(
            py,
            blocked.result.map_err(outcome::Failure::from),
            blocked.interrupt,
        )
        .map(|()| py.None())
    }

    /// A coroutine whose core call finishes after `delay` seconds whatever happens, with a created key (`created`)
    /// or a list of keys: what a cancelled call gets when the core still hands back a value.
    #[pyfunction]
    pub(crate) fn _late_value_for_test(
        py: Python<'_>,
        delay: f64,
        created: bool,
    ) -> PyResult<Py<PyAny>> {
        let wait = std::time::Duration::from_secs_f64(delay);
        let call = if created {
            spawned(async move {
                tokio::time::sleep(wait).await;
                let secret = neon_api_keys::ApiKeySecret::new("late-secret-".repeat(4));
                Ok(models::CreatedApiKey(neon_api_keys::CreatedApiKey::new(
                    7, secret, "late",
                )))
            })
        } else {
            spawned(async move {
                tokio::time::sleep(wait).await;
                Ok(models::key_list(vec![neon_api_keys::ApiKey::new(
                    7, "late",
                )]))
            })
        };
        Ok(Py::new(py, call)?.into_any())
    }

    /// The next `count` keychain saves of this process fail with `KeychainError` (the core's test hook).
    #[pyfunction]
    pub(crate) fn _refuse_keychain_saves_for_test(count: usize) {
        neon_api_keys::keychain_test_hooks::refuse_next_saves(count);
    }

    /// Registers the hooks.
    pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add_function(wrap_pyfunction!(_refuse_keychain_saves_for_test, m)?)?;
        m.add_function(wrap_pyfunction!(_in_flight, m)?)?;
        m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
        m.add_function(wrap_pyfunction!(_late_value_for_test, m)?)?;
        m.add_function(wrap_pyfunction!(errors::_error_for_test, m)?)?;
        Ok(())
    }
}

/// The native module. Import `neon_api_keys` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    config::init_user_agent(py);
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("OPERATIONS", operations(py)?)?;
    m.add("_ERROR_KINDS", errors::kind_names(py)?)?;
    add_defaults(m)?;
    models::register(m)?;
    m.add_class::<client::Client>()?;
    m.add_class::<async_client::AsyncClient>()?;
    m.add_class::<keychain::Keychain>()?;
    awaitable::register(m)?;
    #[cfg(feature = "emulator")]
    m.add_class::<emulator::PyEmulator>()?;
    #[cfg(feature = "test-hooks")]
    hooks::register(m)?;
    logging::install(py)?;
    let shutdown = wrap_pyfunction!(runtime::_shutdown, m)?;
    py.import("atexit")?.call_method1("register", (shutdown,))?;
    Ok(())
}
