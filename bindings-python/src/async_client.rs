//! `AsyncClient`: the same methods as `Client`, returning asyncio awaitables. Cancelling the awaiting task
//! drops the core call (and aborts its request).

use crate::awaitable::Call;
use crate::config::Shared;
use crate::methods::{client_methods, Runner};
use crate::runtime::{awaitable, SharedRuntime};
use pyo3::prelude::*;
use pyo3::types::PyAny;
use std::future::Future;

/// An asyncio client for Neon's API key endpoints: every method returns an awaitable.
///
/// `AsyncClient(api_key=None, *, org_api_key=None, base_url=None, timeout=60.0, connect_timeout=5.0,
/// attempt_timeout=30.0, max_retries=2, throttle=True, reconcile_creates=False, ca_cert_pem=None,
/// backoff_base=0.25, backoff_cap=10.0, max_retry_wait=10.0)`. Times are in seconds. `api_key` is used for
/// personal operations (and organization ones when no `org_api_key` is given). When `api_key` is omitted the
/// environment is read (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`, as
/// `from_env` does); explicit arguments win. A missing key is reported by the first call that needs it. Every method also takes `timeout=` (seconds, the whole call) and
/// `request_id=` (sent as `X-Request-ID`). Use it as an async context manager to release connections.
#[pyclass(module = "neon_api_keys", name = "AsyncClient", frozen)]
pub struct AsyncClient {
    shared: Shared,
}

/// A coroutine: a lazy `Call` that runs `op` on the core client when awaited.
impl Runner for AsyncClient {
    type Returns<T> = Call;

    fn run<T, F, Fut>(
        &self,
        py: Python<'_>,
        name: &'static str,
        timeout: Option<f64>,
        request_id: Option<String>,
        op: F,
    ) -> PyResult<Call>
    where
        T: for<'a> IntoPyObject<'a> + Send + 'static,
        F: FnOnce(neon_api_keys::Client) -> Fut,
        Fut: Future<Output = Result<T, neon_api_keys::Error>> + Send + 'static,
    {
        let (client, cancel) = self.shared.call(py, timeout, request_id)?;
        // Pinned on the heap once: the core's futures are kilobytes, and the hand-off to asyncio moves its
        // future several times (bench/results/FINDINGS.md: memcpy was a quarter of an async call's work).
        let fut = Box::pin(op(client));
        Ok(Call::new(
            name,
            Box::new(move |py| {
                awaitable(py, async move {
                    // Dropping the call (task cancelled) also triggers its cancellation token.
                    let _cancel_on_drop = cancel.drop_guard();
                    fut.await
                })
            }),
        ))
    }
}

client_methods!(AsyncClient {
    /// Releases the client's connections (awaitable). Later calls raise `ConfigError`.
    fn aclose(&self) -> Call {
        self.shared.close();
        Call::new(
            "aclose",
            Box::new(|py| {
                pyo3_async_runtimes::generic::future_into_py::<SharedRuntime, _, _>(py, async {
                    Ok(())
                })
            }),
        )
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyo3_async_runtimes::generic::future_into_py::<SharedRuntime, _, _>(
            py,
            async move { Ok(slf) },
        )
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _exc: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.shared.close();
        pyo3_async_runtimes::generic::future_into_py::<SharedRuntime, _, _>(py, async { Ok(false) })
    }
});
