//! `AsyncClient`: the same methods as `Client`, returning asyncio awaitables. Cancelling the awaiting task
//! drops the core call (and aborts its request).

use crate::awaitable::Call;
use crate::config::{Pem, Settings, Shared};
use crate::models::{ApiKey, AuthDetails, CreatedApiKey, Project, RevokedApiKey, Rotation};
use crate::runtime::{awaitable, SharedRuntime};
use crate::secret::SecretArg;
use chrono::{DateTime, FixedOffset, Utc};
use pyo3::prelude::*;
use pyo3::types::PyAny;
use std::future::Future;

fn keys(
    result: Result<Vec<neon_api_keys::ApiKey>, neon_api_keys::Error>,
) -> Result<Vec<ApiKey>, neon_api_keys::Error> {
    result.map(|keys| keys.into_iter().map(ApiKey).collect())
}

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

impl AsyncClient {
    /// A lazy `Call` that runs `op` on the core client when awaited.
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
        let fut = op(client);
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

#[pymethods]
impl AsyncClient {
    /// Creates a client (see the class docstring). Without `api_key` it reads the environment like
    /// `from_env` (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`); explicit
    /// arguments still win.
    #[new]
    #[pyo3(signature = (api_key=None, *, org_api_key=None, base_url=None, timeout=60.0, connect_timeout=5.0,
        attempt_timeout=30.0, max_retries=2, throttle=true, reconcile_creates=false, ca_cert_pem=None,
        backoff_base=0.25, backoff_cap=10.0, max_retry_wait=10.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<SecretArg>,
        org_api_key: Option<SecretArg>,
        base_url: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        attempt_timeout: f64,
        max_retries: u32,
        throttle: bool,
        reconcile_creates: bool,
        ca_cert_pem: Option<Pem>,
        backoff_base: f64,
        backoff_cap: f64,
        max_retry_wait: f64,
    ) -> PyResult<AsyncClient> {
        let settings = Settings {
            api_key,
            org_api_key,
            base_url,
            timeout,
            connect_timeout,
            attempt_timeout,
            max_retries,
            throttle,
            reconcile_creates,
            ca_cert_pem,
            backoff_base,
            backoff_cap,
            max_retry_wait,
        };
        let from_env = settings.api_key.is_none();
        Ok(AsyncClient {
            shared: Shared::new(py, settings, from_env)?,
        })
    }

    /// Creates a client that also reads `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and
    /// `NEON_API_HOST` from the environment. Explicit arguments win over the environment.
    #[staticmethod]
    #[pyo3(signature = (api_key=None, *, org_api_key=None, base_url=None, timeout=60.0, connect_timeout=5.0,
        attempt_timeout=30.0, max_retries=2, throttle=true, reconcile_creates=false, ca_cert_pem=None,
        backoff_base=0.25, backoff_cap=10.0, max_retry_wait=10.0))]
    #[allow(clippy::too_many_arguments)]
    fn from_env(
        py: Python<'_>,
        api_key: Option<SecretArg>,
        org_api_key: Option<SecretArg>,
        base_url: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        attempt_timeout: f64,
        max_retries: u32,
        throttle: bool,
        reconcile_creates: bool,
        ca_cert_pem: Option<Pem>,
        backoff_base: f64,
        backoff_cap: f64,
        max_retry_wait: f64,
    ) -> PyResult<AsyncClient> {
        let settings = Settings {
            api_key,
            org_api_key,
            base_url,
            timeout,
            connect_timeout,
            attempt_timeout,
            max_retries,
            throttle,
            reconcile_creates,
            ca_cert_pem,
            backoff_base,
            backoff_cap,
            max_retry_wait,
        };
        Ok(AsyncClient {
            shared: Shared::new(py, settings, true)?,
        })
    }

    /// The API base URL in use.
    #[getter]
    fn base_url(&self) -> &str {
        self.shared.base_url()
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.shared.closed()
    }

    /// Releases the client's connections. Later calls raise `ConfigError`.
    fn close(&self) {
        self.shared.close();
    }

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

    fn __repr__(&self) -> String {
        format!("AsyncClient(base_url='{}')", self.shared.base_url())
    }

    /// Lists the personal API keys of the key's user (`GET /api_keys`).
    #[pyo3(signature = (*, timeout=None, request_id=None))]
    fn list_api_keys(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(py, "list_api_keys", timeout, request_id, |c| async move {
            keys(c.list_api_keys().await)
        })
    }

    /// Creates a personal API key (`POST /api_keys`). The secret is in the result, once.
    #[pyo3(signature = (name, *, timeout=None, request_id=None))]
    fn create_api_key(
        &self,
        py: Python<'_>,
        name: String,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(py, "create_api_key", timeout, request_id, |c| async move {
            c.create_api_key(&name).await.map(CreatedApiKey)
        })
    }

    /// Revokes a personal API key (`DELETE /api_keys/{key_id}`).
    #[pyo3(signature = (key_id, *, timeout=None, request_id=None))]
    fn revoke_api_key(
        &self,
        py: Python<'_>,
        key_id: i64,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(py, "revoke_api_key", timeout, request_id, |c| async move {
            c.revoke_api_key(key_id).await.map(RevokedApiKey)
        })
    }

    /// Lists an organization's API keys, org-wide and project-scoped.
    #[pyo3(signature = (org_id, *, timeout=None, request_id=None))]
    fn list_org_api_keys(
        &self,
        py: Python<'_>,
        org_id: String,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(
            py,
            "list_org_api_keys",
            timeout,
            request_id,
            |c| async move { keys(c.list_org_api_keys(&org_id).await) },
        )
    }

    /// Creates an organization API key; with `project_id`, a key limited to that project.
    #[pyo3(signature = (org_id, name, project_id=None, *, timeout=None, request_id=None))]
    fn create_org_api_key(
        &self,
        py: Python<'_>,
        org_id: String,
        name: String,
        project_id: Option<String>,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(
            py,
            "create_org_api_key",
            timeout,
            request_id,
            |c| async move {
                c.create_org_api_key(&org_id, &name, project_id.as_deref())
                    .await
                    .map(CreatedApiKey)
            },
        )
    }

    /// Revokes an organization API key.
    #[pyo3(signature = (org_id, key_id, *, timeout=None, request_id=None))]
    fn revoke_org_api_key(
        &self,
        py: Python<'_>,
        org_id: String,
        key_id: i64,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(
            py,
            "revoke_org_api_key",
            timeout,
            request_id,
            |c| async move {
                c.revoke_org_api_key(&org_id, key_id)
                    .await
                    .map(RevokedApiKey)
            },
        )
    }

    /// Creates a project-scoped key: finds the project's organization, then creates an organization key
    /// limited to the project.
    #[pyo3(signature = (project_id, name, *, timeout=None, request_id=None))]
    fn create_project_api_key(
        &self,
        py: Python<'_>,
        project_id: String,
        name: String,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(
            py,
            "create_project_api_key",
            timeout,
            request_id,
            |c| async move {
                c.create_project_api_key(&project_id, &name)
                    .await
                    .map(CreatedApiKey)
            },
        )
    }

    /// Which kind of key is in use (`GET /auth`).
    #[pyo3(signature = (*, timeout=None, request_id=None))]
    fn auth_details(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(py, "auth_details", timeout, request_id, |c| async move {
            c.auth_details().await.map(AuthDetails)
        })
    }

    /// Reads a project (`GET /projects/{project_id}`), for its organization.
    #[pyo3(signature = (project_id, *, timeout=None, request_id=None))]
    fn get_project(
        &self,
        py: Python<'_>,
        project_id: String,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(py, "get_project", timeout, request_id, |c| async move {
            c.get_project(&project_id).await.map(Project)
        })
    }

    /// Rotates a personal key: creates `new_name`, then revokes `old_id`. The new key is always returned;
    /// a failed revoke is in `Rotation.revoke_error`.
    #[pyo3(signature = (old_id, new_name, *, timeout=None, request_id=None))]
    fn rotate_api_key(
        &self,
        py: Python<'_>,
        old_id: i64,
        new_name: String,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(py, "rotate_api_key", timeout, request_id, |c| async move {
            c.rotate_api_key(old_id, &new_name)
                .await
                .map(Rotation::from)
        })
    }

    /// Rotates an organization key, keeping its project scope.
    #[pyo3(signature = (org_id, old_id, new_name, *, timeout=None, request_id=None))]
    fn rotate_org_api_key(
        &self,
        py: Python<'_>,
        org_id: String,
        old_id: i64,
        new_name: String,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        self.run(
            py,
            "rotate_org_api_key",
            timeout,
            request_id,
            |c| async move {
                c.rotate_org_api_key(&org_id, old_id, &new_name)
                    .await
                    .map(Rotation::from)
            },
        )
    }

    /// Personal keys never used, or (with `since`, a timezone-aware datetime) not used since then.
    #[pyo3(signature = (since=None, *, timeout=None, request_id=None))]
    fn unused_api_keys(
        &self,
        py: Python<'_>,
        since: Option<DateTime<FixedOffset>>,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        let since = since.map(|t| t.with_timezone(&Utc));
        self.run(py, "unused_api_keys", timeout, request_id, |c| async move {
            keys(c.unused_api_keys(since).await)
        })
    }

    /// Organization keys never used, or not used since `since` (a timezone-aware datetime).
    #[pyo3(signature = (org_id, since=None, *, timeout=None, request_id=None))]
    fn unused_org_api_keys(
        &self,
        py: Python<'_>,
        org_id: String,
        since: Option<DateTime<FixedOffset>>,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<Call> {
        let since = since.map(|t| t.with_timezone(&Utc));
        self.run(
            py,
            "unused_org_api_keys",
            timeout,
            request_id,
            |c| async move { keys(c.unused_org_api_keys(&org_id, since).await) },
        )
    }
}
