//! The synchronous `Client` (mirrors the core's `client`): every call blocks with the GIL released and
//! can be interrupted with Ctrl-C.

use crate::config::Shared;
use crate::errors::IntoPyResult;
use crate::methods::{client_methods, Runner};
use crate::runtime::block_on;
use pyo3::prelude::*;
use pyo3::types::PyAny;
use std::future::Future;

/// A synchronous client for Neon's API key endpoints.
///
/// `Client(api_key=None, *, org_api_key=None, base_url=None, timeout=60.0, connect_timeout=5.0,
/// attempt_timeout=30.0, max_retries=2, throttle=True, reconcile_creates=False, ca_cert_pem=None,
/// backoff_base=0.25, backoff_cap=10.0, max_retry_wait=10.0)`. Times are in seconds. `api_key` is used for
/// personal operations (and organization ones when no `org_api_key` is given). When `api_key` is omitted the
/// environment is read (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`, as
/// `from_env` does); explicit arguments win. A missing key is reported by the first call that needs it. Every method also takes `timeout=` (seconds, the whole call) and
/// `request_id=` (sent as `X-Request-ID`). Use it as a context manager to release connections.
#[pyclass(module = "neon_api_keys", name = "Client", frozen)]
pub struct Client {
    shared: Shared,
}

/// Blocking: the call runs on the shared runtime while this thread waits with the GIL released.
impl Runner for Client {
    type Returns<T> = T;

    fn run<T, F, Fut>(
        &self,
        py: Python<'_>,
        _name: &'static str,
        timeout: Option<f64>,
        request_id: Option<String>,
        op: F,
    ) -> PyResult<T>
    where
        T: for<'a> IntoPyObject<'a> + Send + 'static,
        F: FnOnce(neon_api_keys::Client) -> Fut,
        Fut: Future<Output = Result<T, neon_api_keys::Error>> + Send + 'static,
    {
        let (client, cancel) = self.shared.call(py, timeout, request_id)?;
        block_on(py, cancel, op(client))?.or_raise(py)
    }
}

client_methods!(Client {
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, PyAny>) -> bool {
        self.shared.close();
        false
    }
});
