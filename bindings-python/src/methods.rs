//! The Python methods `Client` and `AsyncClient` share, written once: [`client_methods!`] emits a class's
//! `#[pymethods]` block (the constructors, the properties and the operations) around the class's own methods.
//! The classes differ only in how an operation runs ([`Runner`]): `Client` blocks with the GIL released and
//! returns the result, `AsyncClient` returns a lazy `Call` that runs it when awaited.

use crate::models::ApiKey;
use chrono::{DateTime, FixedOffset, Utc};
use pyo3::prelude::*;
use std::future::Future;

/// How a client class runs an operation on the core client.
pub(crate) trait Runner {
    /// What a method returns for an operation that produces `T`.
    type Returns<T>;

    /// Runs `op` (named `name`, for the awaitable's repr) with the per-call `timeout` and `request_id`.
    fn run<T, F, Fut>(
        &self,
        py: Python<'_>,
        name: &'static str,
        timeout: Option<f64>,
        request_id: Option<String>,
        op: F,
    ) -> PyResult<Self::Returns<T>>
    where
        T: for<'a> IntoPyObject<'a> + Send + 'static,
        F: FnOnce(neon_api_keys::Client) -> Fut,
        Fut: Future<Output = Result<T, neon_api_keys::Error>> + Send + 'static;
}

/// Core keys → Python `ApiKey`s.
pub(crate) fn keys(
    result: Result<Vec<neon_api_keys::ApiKey>, neon_api_keys::Error>,
) -> Result<Vec<ApiKey>, neon_api_keys::Error> {
    result.map(|keys| keys.into_iter().map(ApiKey).collect())
}

/// A timezone-aware Python datetime → UTC.
pub(crate) fn utc(since: Option<DateTime<FixedOffset>>) -> Option<DateTime<Utc>> {
    since.map(|t| t.with_timezone(&Utc))
}

/// `client_methods!(Class { own methods })` emits `#[pymethods] impl Class` with the constructors `Class(...)`
/// and `Class.from_env(...)`, the `base_url` and `closed` properties, `close()`, `__repr__`, the given own
/// methods, and the operations, each run through `<Class as Runner>::run`. The class must be
/// `Class { shared: Shared }` and implement [`Runner`].
macro_rules! client_methods {
    ($class:ident { $($own:tt)* }) => {
        $crate::methods::client_methods! {
            @emit $class { $($own)* }
            constructors {
                /// Creates a client (see the class docstring). Without `api_key` it reads the environment like
                /// `from_env` (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`); explicit
                /// arguments still win.
                #[new]
                fn new(env: WithoutApiKey);

                /// Creates a client that also reads `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and
                /// `NEON_API_HOST` from the environment. Explicit arguments win over the environment.
                #[staticmethod]
                fn from_env(env: Always);
            }
            operations {
                /// Lists the personal API keys of the key's user (`GET /api_keys`).
                fn list_api_keys() -> Vec<$crate::models::ApiKey> =
                    |c| async move { $crate::methods::keys(c.list_api_keys().await) };

                /// Creates a personal API key (`POST /api_keys`). The secret is in the result, once.
                fn create_api_key(name: String) -> $crate::models::CreatedApiKey = |c| async move {
                    c.create_api_key(&name).await.map($crate::models::CreatedApiKey)
                };

                /// Revokes a personal API key (`DELETE /api_keys/{key_id}`).
                fn revoke_api_key(key_id: i64) -> $crate::models::RevokedApiKey = |c| async move {
                    c.revoke_api_key(key_id).await.map($crate::models::RevokedApiKey)
                };

                /// Lists an organization's API keys, org-wide and project-scoped.
                fn list_org_api_keys(org_id: String) -> Vec<$crate::models::ApiKey> =
                    |c| async move { $crate::methods::keys(c.list_org_api_keys(&org_id).await) };

                /// Creates an organization API key; with `project_id`, a key limited to that project.
                fn create_org_api_key(org_id: String, name: String, project_id: Option<String> = None)
                    -> $crate::models::CreatedApiKey = |c| async move {
                    c.create_org_api_key(&org_id, &name, project_id.as_deref())
                        .await
                        .map($crate::models::CreatedApiKey)
                };

                /// Revokes an organization API key.
                fn revoke_org_api_key(org_id: String, key_id: i64) -> $crate::models::RevokedApiKey =
                    |c| async move {
                        c.revoke_org_api_key(&org_id, key_id)
                            .await
                            .map($crate::models::RevokedApiKey)
                    };

                /// Creates a project-scoped key: finds the project's organization, then creates an organization key
                /// limited to the project.
                fn create_project_api_key(project_id: String, name: String) -> $crate::models::CreatedApiKey =
                    |c| async move {
                        c.create_project_api_key(&project_id, &name)
                            .await
                            .map($crate::models::CreatedApiKey)
                    };

                /// Which kind of key is in use (`GET /auth`).
                fn auth_details() -> $crate::models::AuthDetails =
                    |c| async move { c.auth_details().await.map($crate::models::AuthDetails) };

                /// Reads a project (`GET /projects/{project_id}`), for its organization.
                fn get_project(project_id: String) -> $crate::models::Project =
                    |c| async move { c.get_project(&project_id).await.map($crate::models::Project) };

                /// Rotates a personal key: creates `new_name`, then revokes `old_id`. The new key is always returned;
                /// a failed revoke is in `Rotation.revoke_error`.
                fn rotate_api_key(old_id: i64, new_name: String) -> $crate::models::Rotation =
                    |c| async move {
                        c.rotate_api_key(old_id, &new_name)
                            .await
                            .map($crate::models::Rotation::from)
                    };

                /// Rotates an organization key, keeping its project scope.
                fn rotate_org_api_key(org_id: String, old_id: i64, new_name: String)
                    -> $crate::models::Rotation = |c| async move {
                    c.rotate_org_api_key(&org_id, old_id, &new_name)
                        .await
                        .map($crate::models::Rotation::from)
                };

                /// Personal keys never used, or (with `since`, a timezone-aware datetime) not used since then.
                fn unused_api_keys(since: Option<chrono::DateTime<chrono::FixedOffset>> = None)
                    -> Vec<$crate::models::ApiKey> = |c| async move {
                    $crate::methods::keys(c.unused_api_keys($crate::methods::utc(since)).await)
                };

                /// Organization keys never used, or not used since `since` (a timezone-aware datetime).
                fn unused_org_api_keys(
                    org_id: String,
                    since: Option<chrono::DateTime<chrono::FixedOffset>> = None
                ) -> Vec<$crate::models::ApiKey> = |c| async move {
                    $crate::methods::keys(
                        c.unused_org_api_keys(&org_id, $crate::methods::utc(since)).await,
                    )
                };
            }
        }
    };
    (
        @emit $class:ident { $($own:tt)* }
        constructors {
            $( $(#[$($ctor_attr:tt)*])* fn $ctor:ident(env: $env:ident); )*
        }
        operations {
            $(
                $(#[$($op_attr:tt)*])*
                fn $op:ident($($arg:ident: $ty:ty $(= $default:tt)?),* $(,)?) -> $ret:ty = $body:expr;
            )*
        }
    ) => {
        #[pyo3::pymethods]
        impl $class {
            $(
                $(#[$($ctor_attr)*])*
                #[pyo3(signature = (api_key=None, *, org_api_key=None, base_url=None, timeout=60.0,
                    connect_timeout=5.0, attempt_timeout=30.0, max_retries=2, throttle=true,
                    reconcile_creates=false, ca_cert_pem=None, backoff_base=0.25, backoff_cap=10.0,
                    max_retry_wait=10.0))]
                #[allow(clippy::too_many_arguments)]
                fn $ctor(
                    py: pyo3::Python<'_>,
                    api_key: Option<$crate::secret::SecretArg>,
                    org_api_key: Option<$crate::secret::SecretArg>,
                    base_url: Option<String>,
                    timeout: f64,
                    connect_timeout: f64,
                    attempt_timeout: f64,
                    max_retries: u32,
                    throttle: bool,
                    reconcile_creates: bool,
                    ca_cert_pem: Option<$crate::config::Pem>,
                    backoff_base: f64,
                    backoff_cap: f64,
                    max_retry_wait: f64,
                ) -> pyo3::PyResult<$class> {
                    let settings = $crate::config::Settings {
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
                    Ok($class {
                        shared: $crate::config::Shared::new(py, settings, $crate::config::Env::$env)?,
                    })
                }
            )*

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

            fn __repr__(&self) -> String {
                format!("{}(base_url='{}')", stringify!($class), self.shared.base_url())
            }

            $($own)*

            $(
                $(#[$($op_attr)*])*
                #[pyo3(signature = ($($arg $(= $default)?,)* *, timeout=None, request_id=None))]
                fn $op(
                    &self,
                    py: pyo3::Python<'_>,
                    $($arg: $ty,)*
                    timeout: Option<f64>,
                    request_id: Option<String>,
                ) -> pyo3::PyResult<<$class as $crate::methods::Runner>::Returns<$ret>> {
                    $crate::methods::Runner::run(self, py, stringify!($op), timeout, request_id, $body)
                }
            )*
        }
    };
}

pub(crate) use client_methods;
