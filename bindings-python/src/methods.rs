//! The Python methods `Client` and `AsyncClient` share, written once: [`client_methods!`] emits a class's
//! `#[pymethods]` block (the constructors, the properties and the operations of `neon_api_keys::OPERATIONS`)
//! around the class's own methods. The classes differ only in how an operation runs ([`Runner`]): `Client`
//! blocks with the GIL released and returns the result, `AsyncClient` returns a `Call` coroutine.

use crate::args::Seconds;
use crate::awaitable::Inbox;
use crate::models::CreatedApiKey;
use crate::outcome::{Failure, Keep};
use neon_api_keys::RotateOptions;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The per-call keywords every operation takes.
pub(crate) struct CallArgs {
    /// `timeout=`: the whole call's deadline.
    pub(crate) timeout: Option<Seconds>,
    /// `request_id=`: sent as `X-Request-ID`.
    pub(crate) request_id: Option<String>,
}

/// How a call runs a rotation's store: on the calling thread (`Client`), or inside the awaiting coroutine
/// (`AsyncClient`, where an awaitable result is awaited).
pub(crate) enum StoreCall {
    /// Called on the thread blocked in the call.
    Blocking,
    /// Run by the `Call` coroutine that reports to this inbox.
    Awaited(Arc<Inbox>),
}

/// What a store call resolves to: `Err` carries the store's own exception.
pub(crate) type StoreFuture = Pin<Box<dyn Future<Output = Result<(), PyErr>> + Send>>;

impl StoreCall {
    /// Hands `key` to the Python `store`.
    pub(crate) fn run(self, store: Py<PyAny>, key: neon_api_keys::CreatedApiKey) -> StoreFuture {
        match self {
            StoreCall::Blocking => {
                let answer = Python::attach(|py| blocking_store(py, &store, key));
                Box::pin(std::future::ready(answer))
            }
            StoreCall::Awaited(inbox) => inbox.run_store(store, key),
        }
    }
}

/// Calls a `Client` rotation's store. It must be a plain function: an awaitable result is closed and refused
/// (so the new key is revoked), since nothing would await it.
fn blocking_store(
    py: Python<'_>,
    store: &Py<PyAny>,
    key: neon_api_keys::CreatedApiKey,
) -> Result<(), PyErr> {
    let key = CreatedApiKey(key).into_bound_py_any(py)?;
    let result = store.bind(py).call1((key,))?;
    if result.hasattr("__await__")? {
        if result.hasattr("close")? {
            result.call_method0("close")?;
        }
        return Err(PyTypeError::new_err(
            "store returned an awaitable, but Client calls it synchronously: pass a plain function, or use \
             AsyncClient to await a coroutine function",
        ));
    }
    Ok(())
}

/// How a client class runs an operation on the core client.
pub(crate) trait Runner {
    /// What a method returns for an operation that produces `T`.
    type Returns<T>;

    /// Runs `op` (the method `qualname`, for the coroutine's name) with the per-call options.
    fn run<T, E, F, Fut>(
        &self,
        py: Python<'_>,
        qualname: &'static str,
        call: CallArgs,
        op: F,
    ) -> PyResult<Self::Returns<T>>
    where
        T: Keep + for<'a> IntoPyObject<'a> + Send + 'static,
        E: Into<Failure> + From<neon_api_keys::Error> + Send + 'static,
        F: FnOnce(neon_api_keys::Client, StoreCall) -> Fut,
        Fut: Future<Output = Result<T, E>> + Send + 'static;
}

/// A rotation's options from its keywords.
pub(crate) fn rotate_options(
    new_name: Option<String>,
    wait_for_use: Option<Seconds>,
    poll_interval: Option<Seconds>,
) -> RotateOptions {
    let mut options = RotateOptions::new();
    if let Some(name) = new_name {
        options = options.new_name(name);
    }
    if let Some(Seconds(wait)) = wait_for_use {
        options = options.wait_for_use(wait);
    }
    if let Some(Seconds(interval)) = poll_interval {
        options = options.poll_interval(interval);
    }
    options
}

/// `client_methods!(Class { own methods })` emits `#[pymethods] impl Class` with the constructors `Class(...)`
/// and `Class.from_env(...)`, the `base_url` and `closed` properties, `close()`, `__repr__`, the given own
/// methods, and the operations, each run through `<Class as Runner>::run`. The class must be
/// `Class { shared: Shared }` and implement [`Runner`]. Every argument is taken as a Python object and
/// extracted with `args::arg`, so type errors name the parameter.
macro_rules! client_methods {
    ($class:ident { $($own:tt)* }) => {
        $crate::methods::client_methods! {
            @emit $class { $($own)* }
            constructors {
                /// Creates a client (see the class docstring). Without `api_key` it reads the environment
                /// (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`); explicit
                /// arguments win. Settings left as None take the defaults named by `neon_api_keys.DEFAULT_*`.
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
                    |c, _| async move { c.list_api_keys().await.map($crate::models::key_list) };

                /// Creates a personal API key (`POST /api_keys`). The secret is in the result, once.
                fn create_api_key(key_name: String) -> $crate::models::CreatedApiKey = |c, _| async move {
                    c.create_api_key(&key_name).await.map($crate::models::CreatedApiKey)
                };

                /// Revokes a personal API key (`DELETE /api_keys/{key_id}`).
                fn revoke_api_key(key_id: i64) -> $crate::models::RevokedApiKey = |c, _| async move {
                    c.revoke_api_key(key_id).await.map($crate::models::RevokedApiKey)
                };

                /// Lists an organization's API keys, org-wide and project-scoped.
                fn list_org_api_keys(org_id: String) -> Vec<$crate::models::ApiKey> =
                    |c, _| async move { c.list_org_api_keys(&org_id).await.map($crate::models::key_list) };

                /// Creates an organization API key (with the personal key when one is set: only a personal key
                /// of an org admin mints keys); with `project_id`, a key limited to that project.
                fn create_org_api_key(org_id: String, key_name: String, project_id: Option<String> = None)
                    -> $crate::models::CreatedApiKey = |c, _| async move {
                    c.create_org_api_key(&org_id, &key_name, project_id.as_deref())
                        .await
                        .map($crate::models::CreatedApiKey)
                };

                /// Revokes an organization API key.
                fn revoke_org_api_key(org_id: String, key_id: i64) -> $crate::models::RevokedApiKey =
                    |c, _| async move {
                        c.revoke_org_api_key(&org_id, key_id)
                            .await
                            .map($crate::models::RevokedApiKey)
                    };

                /// Creates a project-scoped key: finds the project's organization, then creates an organization key
                /// limited to the project.
                fn create_project_api_key(project_id: String, key_name: String) -> $crate::models::CreatedApiKey =
                    |c, _| async move {
                        c.create_project_api_key(&project_id, &key_name)
                            .await
                            .map($crate::models::CreatedApiKey)
                    };

                /// Which kind of key is in use (`GET /auth`).
                fn auth_details() -> $crate::models::AuthDetails =
                    |c, _| async move { c.auth_details().await.map($crate::models::AuthDetails) };

                /// Reads a project (`GET /projects/{project_id}`), for its organization.
                fn get_project(project_id: String) -> $crate::models::Project =
                    |c, _| async move { c.get_project(&project_id).await.map($crate::models::Project) };

                /// Rotates a personal key in two phases: checks `old_id` exists, creates the new key (`new_name`,
                /// else derived from the old name), checks it authenticates, calls `store(new_key)` (a
                /// `CreatedApiKey` with the secret; on `AsyncClient` it may be a coroutine function), and only
                /// when the store returns revokes the old key (with `wait_for_use` seconds, only once the new key
                /// shows a use, polling every `poll_interval` seconds, default `DEFAULT_USE_POLL_INTERVAL`). If the
                /// store raises, the new key is revoked, the old one stays live, and the store's own exception is
                /// re-raised with a note saying so.
                fn rotate_api_key(old_id: i64; store: $crate::args::Callable, new_name: Option<String> = None,
                    wait_for_use: Option<$crate::args::Seconds> = None,
                    poll_interval: Option<$crate::args::Seconds> = None) -> $crate::models::Rotation =
                    |c, s| async move {
                        let options = $crate::methods::rotate_options(new_name, wait_for_use, poll_interval);
                        c.rotate_api_key(old_id, options, move |key| s.run(store.0, key))
                            .await
                            .map($crate::models::Rotation::from)
                    };

                /// Rotates an organization key in two phases like `rotate_api_key`, keeping its project scope.
                fn rotate_org_api_key(org_id: String, old_id: i64; store: $crate::args::Callable,
                    new_name: Option<String> = None, wait_for_use: Option<$crate::args::Seconds> = None,
                    poll_interval: Option<$crate::args::Seconds> = None) -> $crate::models::Rotation =
                    |c, s| async move {
                        let options = $crate::methods::rotate_options(new_name, wait_for_use, poll_interval);
                        c.rotate_org_api_key(&org_id, old_id, options, move |key| s.run(store.0, key))
                            .await
                            .map($crate::models::Rotation::from)
                    };

                /// Rotates, in place, the key a `Keychain` entry holds: loads it (a personal or organization key,
                /// as its record says), rotates it in two phases like `rotate_api_key` with the entry as the
                /// store, and revokes the old key only once the new one is saved. If the save fails, the new key is
                /// revoked and the entry and the old key stay as they were (`KeychainError`). A client using the
                /// old key (`Client(keychain=...)`) moves to the new one. An empty entry raises `NotFoundError`.
                fn rotate_keychain_key(keychain: $crate::keychain::Keychain; new_name: Option<String> = None,
                    wait_for_use: Option<$crate::args::Seconds> = None,
                    poll_interval: Option<$crate::args::Seconds> = None) -> $crate::models::Rotation =
                    |c, _| async move {
                        let options = $crate::methods::rotate_options(new_name, wait_for_use, poll_interval);
                        c.rotate_keychain_key(&keychain.0, options)
                            .await
                            .map($crate::models::Rotation::from)
                    };

                /// Personal keys not in use: with `since` (a timezone-aware datetime), keys created before it and
                /// not used since; without it, keys never used.
                fn unused_api_keys(since: Option<chrono::DateTime<chrono::Utc>> = None)
                    -> Vec<$crate::models::ApiKey> = |c, _| async move {
                    c.unused_api_keys(since).await.map($crate::models::key_list)
                };

                /// Organization keys not in use, as `unused_api_keys` decides it.
                fn unused_org_api_keys(
                    org_id: String,
                    since: Option<chrono::DateTime<chrono::Utc>> = None
                ) -> Vec<$crate::models::ApiKey> = |c, _| async move {
                    c.unused_org_api_keys(&org_id, since).await.map($crate::models::key_list)
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
                fn $op:ident(
                    $($arg:ident: $ty:ty $(= $default:tt)?),* $(,)?
                    $(; $($kw:ident: $kty:ty $(= $kdefault:tt)?),* $(,)?)?
                ) -> $ret:ty = $body:expr;
            )*
        }
    ) => {
        #[pyo3::pymethods]
        impl $class {
            $(
                $(#[$($ctor_attr)*])*
                #[pyo3(signature = (api_key=None, *, org_api_key=None, base_url=None, timeout=None,
                    connect_timeout=None, attempt_timeout=None, max_retries=None, throttle=None,
                    reconcile_creates=None, ca_cert_pem=None, backoff_base=None, backoff_cap=None,
                    max_retry_wait=None, keychain=None))]
                #[allow(clippy::too_many_arguments)]
                fn $ctor(
                    py: pyo3::Python<'_>,
                    api_key: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    org_api_key: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    base_url: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    timeout: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    connect_timeout: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    attempt_timeout: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    max_retries: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    throttle: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    reconcile_creates: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    ca_cert_pem: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    backoff_base: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    backoff_cap: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    max_retry_wait: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    keychain: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                ) -> pyo3::PyResult<$class> {
                    let settings = $crate::methods::settings_from!(py; api_key, org_api_key, base_url,
                        timeout, connect_timeout, attempt_timeout, max_retries, throttle, reconcile_creates,
                        ca_cert_pem, backoff_base, backoff_cap, max_retry_wait, keychain);
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
                #[pyo3(signature = (
                    $($arg $(= $default)?,)* *, $($($kw $(= $kdefault)?,)*)? timeout=None, request_id=None
                ))]
                #[allow(clippy::too_many_arguments)]
                fn $op(
                    &self,
                    py: pyo3::Python<'_>,
                    $($arg: Option<pyo3::Bound<'_, pyo3::PyAny>>,)*
                    $($($kw: Option<pyo3::Bound<'_, pyo3::PyAny>>,)*)?
                    timeout: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                    request_id: Option<pyo3::Bound<'_, pyo3::PyAny>>,
                ) -> pyo3::PyResult<<$class as $crate::methods::Runner>::Returns<$ret>> {
                    use $crate::args::arg;
                    $( let $arg: $ty = arg(py, $arg.as_ref(), stringify!($arg))?; )*
                    $($( let $kw: $kty = arg(py, $kw.as_ref(), stringify!($kw))?; )*)?
                    let call = $crate::methods::CallArgs {
                        timeout: arg(py, timeout.as_ref(), "timeout")?,
                        request_id: arg(py, request_id.as_ref(), "request_id")?,
                    };
                    $crate::methods::Runner::run(
                        self,
                        py,
                        concat!(stringify!($class), ".", stringify!($op)),
                        call,
                        $body,
                    )
                }
            )*
        }
    };
}

/// `settings_from!(py; name, ...)`: `config::Settings` with each field extracted from the constructor argument of
/// the same name.
macro_rules! settings_from {
    ($py:ident; $($field:ident),* $(,)?) => {
        $crate::config::Settings {
            $($field: $crate::args::arg($py, $field.as_ref(), stringify!($field))?,)*
        }
    };
}

pub(crate) use client_methods;
pub(crate) use settings_from;
