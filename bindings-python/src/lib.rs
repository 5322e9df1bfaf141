//! Python bindings for neon-api-keys: the native module `neon_api_keys._native`.
//!
//! This crate only translates: the core (`neon_api_keys`) does validation, credentials, retries, timeouts,
//! throttling, secret scrubbing and error classification. Here: Python types in and out, the exception
//! hierarchy, one shared tokio runtime (fork-aware), blocking calls with the GIL released and Ctrl-C
//! honoured, and asyncio awaitables that cancel the core call when the task is cancelled. It also embeds
//! the emulator (`_Emulator`) for `neon_api_keys.testing`.

mod async_client;
mod awaitable;
mod client;
mod config;
mod emulator;
mod errors;
mod methods;
mod models;
mod runtime;
mod secret;

use pyo3::prelude::*;

/// How many core calls are in flight right now (for tests: a cancelled call must not linger).
#[pyfunction]
fn _in_flight() -> usize {
    runtime::in_flight()
}

/// Runs a panicking future through the same path as a real call (for tests: a panic must surface as
/// `InternalError`). `asynchronous=True` returns an awaitable.
#[pyfunction]
#[pyo3(signature = (asynchronous=false))]
fn _panic_for_test(py: Python<'_>, asynchronous: bool) -> PyResult<Py<PyAny>> {
    #[allow(clippy::panic)]
    async fn boom() -> Result<(), neon_api_keys::Error> {
        panic!("deliberate test panic")
    }
    if asynchronous {
        let call = awaitable::Call::new(
            "_panic_for_test",
            Box::new(|py| runtime::awaitable(py, boom())),
        );
        return Ok(Py::new(py, call)?.into_any());
    }
    let token = neon_api_keys::CancellationToken::new();
    errors::IntoPyResult::or_raise(runtime::block_on(py, token, boom())?, py)?;
    Ok(py.None())
}

/// The native module. Import `neon_api_keys` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    config::init_user_agent(m.py());
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    models::register(m)?;
    m.add_class::<client::Client>()?;
    m.add_class::<async_client::AsyncClient>()?;
    m.add_class::<awaitable::Call>()?;
    m.add_class::<emulator::PyEmulator>()?;
    m.add_function(wrap_pyfunction!(_in_flight, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_error_for_test, m)?)?;
    let shutdown = wrap_pyfunction!(runtime::_shutdown, m)?;
    m.py()
        .import("atexit")?
        .call_method1("register", (shutdown,))?;
    Ok(())
}
