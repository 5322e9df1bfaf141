//! The synchronous `Client` (mirrors the core's `client`): every call blocks with the GIL released and can be
//! interrupted with Ctrl-C without losing what it made.

use crate::config::Shared;
use crate::methods::{client_methods, CallArgs, Runner, StoreCall};
use crate::outcome::{settle, Failure, Keep};
use crate::runtime::block_on;
use pyo3::prelude::*;
use std::future::Future;

/// A synchronous client for Neon's API key endpoints.
///
/// `Client(api_key=None, *, org_api_key=None, base_url=None, timeout=None, connect_timeout=None,
/// attempt_timeout=None, max_retries=None, throttle=None, reconcile_creates=None, ca_cert_pem=None,
/// backoff_base=None, backoff_cap=None, max_retry_wait=None, keychain=None)`. Times are in seconds; a setting left
/// as None takes the core's default (`neon_api_keys.DEFAULT_TIMEOUT`, `DEFAULT_CONNECT_TIMEOUT`,
/// `DEFAULT_ATTEMPT_TIMEOUT`, `DEFAULT_MAX_RETRIES`, `DEFAULT_BACKOFF_BASE`, `DEFAULT_BACKOFF_CAP`,
/// `DEFAULT_MAX_RETRY_WAIT`; throttle on, reconcile_creates off). `api_key` is used for personal operations and
/// for minting organization keys; `org_api_key` for the other organization operations. When `api_key` is
/// omitted the environment is read (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`,
/// `NEON_API_HOST`); explicit arguments win, and a `keychain=` entry's key (a `Keychain`) comes last. A missing
/// key is reported by the first call that needs it. Every method also takes `timeout=` (seconds, the whole call)
/// and `request_id=` (sent as `X-Request-ID`). Ctrl-C during a call stops it where that is safe: a create that
/// may have happened raises `OutcomeUnknownError` (with the `KeyboardInterrupt` as its context), a created key is
/// returned. Use it as a context manager to release connections.
#[pyclass(module = "neon_api_keys", name = "Client", frozen)]
pub struct Client {
    shared: Shared,
}

/// Blocking: the call runs on this thread with the GIL released.
impl Runner for Client {
    type Returns<T> = T;

    fn run<T, E, F, Fut>(
        &self,
        py: Python<'_>,
        _qualname: &'static str,
        call: CallArgs,
        op: F,
    ) -> PyResult<T>
    where
        T: Keep + for<'a> IntoPyObject<'a> + Send + 'static,
        E: Into<Failure> + From<neon_api_keys::Error> + Send + 'static,
        F: FnOnce(neon_api_keys::Client, StoreCall) -> Fut,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
    {
        let (client, cancel) = self.shared.call(py, call)?;
        let blocked = block_on(py, cancel, op(client, StoreCall::Blocking));
        settle(py, blocked.result.map_err(Into::into), blocked.interrupt)
    }
}

client_methods!(Client {
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Closes the client; exceptions propagate.
    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, PyAny>) {
        self.shared.close();
    }
});
