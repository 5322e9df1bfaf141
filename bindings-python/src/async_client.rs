//! `AsyncClient`: the same methods as `Client`, each returning a `Call` coroutine. Cancelling the awaiting
//! task cancels the core call and waits for it to finish (see `awaitable`).

use crate::awaitable::{Call, Inbox, Settle};
use crate::config::Shared;
use crate::errors::IntoPyResult;
use crate::methods::{client_methods, CallArgs, Runner, StoreCall};
use crate::outcome::{settle, Failure, Keep};
use crate::runtime::{guarded, runtime};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use std::future::Future;
use std::sync::Arc;

/// An asyncio client for Neon's API key endpoints: every method returns a coroutine.
///
/// `AsyncClient(...)` takes the same arguments as `Client(...)` (a setting left as None takes the core's default:
/// `neon_api_keys.DEFAULT_TIMEOUT` and the other `DEFAULT_*`). Calls
/// start when awaited (or wrapped in a task). Cancelling one (task cancel, `asyncio.wait_for`'s timeout, a
/// `TaskGroup` failing) cancels the core call and waits for it to finish, so nothing it made is lost: a created
/// key is returned, a create that may have happened raises `OutcomeUnknownError` instead of `CancelledError`.
/// Use it as an async context manager to release connections.
#[pyclass(module = "neon_api_keys", name = "AsyncClient", frozen)]
pub struct AsyncClient {
    shared: Shared,
}

/// A `Call` coroutine that runs `op` on the shared runtime once it is awaited.
impl Runner for AsyncClient {
    type Returns<T> = Call;

    fn run<T, E, F, Fut>(
        &self,
        py: Python<'_>,
        qualname: &'static str,
        call: CallArgs,
        op: F,
    ) -> PyResult<Call>
    where
        T: Keep + for<'a> IntoPyObject<'a> + Send + 'static,
        E: Into<Failure> + From<neon_api_keys::Error> + Send + 'static,
        F: FnOnce(neon_api_keys::Client, StoreCall) -> Fut,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
    {
        let (client, cancel) = self.shared.call(py, call)?;
        let inbox = Arc::new(Inbox::default());
        // Pinned on the heap once: the core's futures are kilobytes (bench/results/FINDINGS.md).
        let fut = Box::pin(op(client, StoreCall::Awaited(inbox.clone())));
        Ok(Call::new(
            qualname,
            cancel,
            Box::new(move |py| {
                let runtime = runtime().or_raise(py)?;
                inbox.attach_loop(py)?;
                let reporter = inbox.clone();
                runtime.spawn(async move {
                    let result = guarded(fut).await.map_err(Into::into);
                    let settle: Settle = Box::new(move |py, interrupt| {
                        settle(py, result, interrupt)?.into_py_any(py)
                    });
                    reporter.finish(settle);
                });
                Ok(inbox)
            }),
        ))
    }
}

client_methods!(AsyncClient {
    /// Releases the client's connections (a coroutine). Later calls raise `ConfigError`.
    fn aclose(&self, py: Python<'_>) -> Call {
        self.shared.close();
        Call::ready("AsyncClient.aclose", py.None())
    }

    fn __aenter__(slf: Py<Self>) -> Call {
        Call::ready("AsyncClient.__aenter__", slf.into_any())
    }

    /// Closes the client; exceptions propagate.
    #[pyo3(signature = (*_exc))]
    fn __aexit__(&self, py: Python<'_>, _exc: &Bound<'_, PyAny>) -> Call {
        self.shared.close();
        Call::ready("AsyncClient.__aexit__", py.None())
    }
});
