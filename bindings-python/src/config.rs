//! Client settings (mirrors the core's `config`): the keyword arguments of `Client(...)` and
//! `AsyncClient(...)` translated into a core `ClientBuilder`, and the state both clients share.

use crate::errors::{new_pyerr, IntoPyResult};
use crate::runtime::runtime;
use crate::secret::SecretArg;
use neon_api_keys::{CallOptions, CancellationToken, ClientBuilder, ErrorKind};
use pyo3::prelude::*;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

static USER_AGENT_SUFFIX: OnceLock<String> = OnceLock::new();

/// Records `python/<major.minor.micro>` for the User-Agent (called at import).
pub(crate) fn init_user_agent(py: Python<'_>) {
    let version = py.version_info();
    let _ = USER_AGENT_SUFFIX.set(format!(
        "python/{}.{}.{}",
        version.major, version.minor, version.patch
    ));
}

fn user_agent_suffix() -> String {
    USER_AGENT_SUFFIX
        .get()
        .cloned()
        .unwrap_or_else(|| "python".to_string())
}

/// A PEM certificate given as `str` or `bytes`.
#[derive(FromPyObject)]
pub(crate) enum Pem {
    /// PEM text.
    Text(String),
    /// PEM bytes.
    Bytes(Vec<u8>),
}

/// The keyword arguments shared by `Client(...)`, `AsyncClient(...)` and their `from_env(...)`.
pub(crate) struct Settings {
    pub(crate) api_key: Option<SecretArg>,
    pub(crate) org_api_key: Option<SecretArg>,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: f64,
    pub(crate) connect_timeout: f64,
    pub(crate) attempt_timeout: f64,
    pub(crate) max_retries: u32,
    pub(crate) throttle: bool,
    pub(crate) reconcile_creates: bool,
    pub(crate) ca_cert_pem: Option<Pem>,
    pub(crate) backoff_base: f64,
    pub(crate) backoff_cap: f64,
    pub(crate) max_retry_wait: f64,
}

/// Seconds (float) → `Duration`; negative, NaN or infinite values are `InvalidInputError`.
pub(crate) fn seconds(py: Python<'_>, name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        new_pyerr(
            py,
            ErrorKind::InvalidInput,
            format!("{name} must be a finite, non-negative number of seconds, got {value}"),
        )
    })
}

impl Settings {
    fn builder(self, py: Python<'_>, from_env: bool) -> PyResult<ClientBuilder> {
        let mut builder = ClientBuilder::new()
            .timeout(seconds(py, "timeout", self.timeout)?)
            .connect_timeout(seconds(py, "connect_timeout", self.connect_timeout)?)
            .attempt_timeout(seconds(py, "attempt_timeout", self.attempt_timeout)?)
            .max_retries(self.max_retries)
            .backoff(
                seconds(py, "backoff_base", self.backoff_base)?,
                seconds(py, "backoff_cap", self.backoff_cap)?,
            )
            .max_retry_wait(seconds(py, "max_retry_wait", self.max_retry_wait)?)
            .throttle(self.throttle)
            .reconcile_creates(self.reconcile_creates)
            .user_agent_suffix(user_agent_suffix());
        if from_env {
            builder = builder.from_env();
        }
        if let Some(key) = self.api_key {
            builder = builder.api_key(key);
        }
        if let Some(key) = self.org_api_key {
            builder = builder.org_api_key(key);
        }
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        match self.ca_cert_pem {
            Some(Pem::Text(text)) => builder = builder.add_root_certificate_pem(text.into_bytes()),
            Some(Pem::Bytes(bytes)) => builder = builder.add_root_certificate_pem(bytes),
            None => {}
        }
        Ok(builder)
    }
}

enum State {
    Open {
        pid: u32,
        client: neon_api_keys::Client,
    },
    Closed,
}

/// What `Client` and `AsyncClient` hold: the settings and the core client built from them. After `fork()`
/// the child rebuilds the core client (the parent's pooled connections belong to a runtime that is gone).
pub(crate) struct Shared {
    builder: ClientBuilder,
    base_url: String,
    state: Mutex<State>,
}

fn build(builder: &ClientBuilder) -> Result<neon_api_keys::Client, neon_api_keys::Error> {
    let runtime = runtime()?;
    let _entered = runtime.enter();
    builder.clone().build()
}

/// When a client reads the environment (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`,
/// `NEON_API_HOST`). Explicit arguments always win over it.
#[derive(Clone, Copy)]
pub(crate) enum Env {
    /// Only when no `api_key` is given (`Client(...)`, `AsyncClient(...)`).
    WithoutApiKey,
    /// Always (`from_env(...)`).
    Always,
}

impl Shared {
    /// Builds the core client now, so that configuration errors surface in the constructor.
    pub(crate) fn new(py: Python<'_>, settings: Settings, env: Env) -> PyResult<Shared> {
        let from_env = match env {
            Env::WithoutApiKey => settings.api_key.is_none(),
            Env::Always => true,
        };
        let builder = settings.builder(py, from_env)?;
        let client = build(&builder).or_raise(py)?;
        Ok(Shared {
            builder,
            base_url: client.base_url().to_string(),
            state: Mutex::new(State::Open {
                pid: std::process::id(),
                client,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn client(&self, py: Python<'_>) -> PyResult<neon_api_keys::Client> {
        let pid = std::process::id();
        let mut state = self.lock();
        match &*state {
            State::Closed => Err(new_pyerr(py, ErrorKind::Config, "the client is closed")),
            State::Open {
                pid: built_in,
                client,
            } if *built_in == pid => Ok(client.clone()),
            State::Open { .. } => {
                let client = build(&self.builder).or_raise(py)?;
                let stale = std::mem::replace(
                    &mut *state,
                    State::Open {
                        pid,
                        client: client.clone(),
                    },
                );
                // Dropping the parent's connections could touch its dead runtime: leak them instead.
                std::mem::forget(stale);
                Ok(client)
            }
        }
    }

    /// The core client for one call with its per-call options, and the token that cancels the call.
    pub(crate) fn call(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        request_id: Option<String>,
    ) -> PyResult<(neon_api_keys::Client, CancellationToken)> {
        let client = self.client(py)?;
        let token = CancellationToken::new();
        let mut options = CallOptions::new().cancellation(token.clone());
        if let Some(timeout) = timeout {
            options = options.timeout(seconds(py, "timeout", timeout)?);
        }
        if let Some(request_id) = request_id {
            options = options.request_id(request_id);
        }
        Ok((client.with_options(options), token))
    }

    /// Releases the connections; later calls raise `ConfigError`.
    pub(crate) fn close(&self) {
        *self.lock() = State::Closed;
    }

    /// Whether `close()` was called.
    pub(crate) fn closed(&self) -> bool {
        matches!(&*self.lock(), State::Closed)
    }

    /// The base URL in use.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }
}
