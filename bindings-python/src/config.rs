//! Client settings (mirrors the core's `config`): the keyword arguments of `Client(...)` and
//! `AsyncClient(...)` translated into a core `ClientBuilder`, and the state both clients share.

use crate::args::{Pem, Seconds, SecretArg};
use crate::errors::{new_pyerr, IntoPyResult};
use crate::keychain::Keychain;
use crate::methods::CallArgs;
use crate::runtime::runtime;
use neon_api_keys::{
    CallOptions, CancellationToken, ClientBuilder, ErrorKind, DEFAULT_BACKOFF_BASE,
    DEFAULT_BACKOFF_CAP,
};
use pyo3::prelude::*;
use std::sync::{Mutex, MutexGuard, OnceLock};

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

/// The keyword arguments shared by `Client(...)`, `AsyncClient(...)` and their `from_env(...)`: None where the
/// caller set nothing, so the core's defaults apply.
pub(crate) struct Settings {
    pub(crate) api_key: Option<SecretArg>,
    pub(crate) org_api_key: Option<SecretArg>,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<Seconds>,
    pub(crate) connect_timeout: Option<Seconds>,
    pub(crate) attempt_timeout: Option<Seconds>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) throttle: Option<bool>,
    pub(crate) reconcile_creates: Option<bool>,
    pub(crate) ca_cert_pem: Option<Pem>,
    pub(crate) backoff_base: Option<Seconds>,
    pub(crate) backoff_cap: Option<Seconds>,
    pub(crate) max_retry_wait: Option<Seconds>,
    /// `keychain=`: the entry whose key is used when none is given explicitly or by the environment.
    pub(crate) keychain: Option<Keychain>,
}

impl Settings {
    /// The core builder with what the caller set; `env` says when the environment is read.
    fn builder(self, env: Env) -> ClientBuilder {
        let mut builder = ClientBuilder::new().user_agent_suffix(user_agent_suffix());
        builder = match env {
            Env::WithoutApiKey => builder.env_when_no_api_key(),
            Env::Always => builder.from_env(),
        };
        if let Some(key) = self.api_key {
            builder = builder.api_key(key.0);
        }
        if let Some(key) = self.org_api_key {
            builder = builder.org_api_key(key.0);
        }
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(Seconds(timeout)) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(Seconds(timeout)) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(Seconds(timeout)) = self.attempt_timeout {
            builder = builder.attempt_timeout(timeout);
        }
        if let Some(retries) = self.max_retries {
            builder = builder.max_retries(retries);
        }
        if let Some(throttle) = self.throttle {
            builder = builder.throttle(throttle);
        }
        if let Some(reconcile) = self.reconcile_creates {
            builder = builder.reconcile_creates(reconcile);
        }
        if let Some(Pem(pem)) = self.ca_cert_pem {
            builder = builder.add_root_certificate_pem(pem);
        }
        if self.backoff_base.is_some() || self.backoff_cap.is_some() {
            builder = builder.backoff(
                self.backoff_base.map_or(DEFAULT_BACKOFF_BASE, |s| s.0),
                self.backoff_cap.map_or(DEFAULT_BACKOFF_CAP, |s| s.0),
            );
        }
        if let Some(Seconds(wait)) = self.max_retry_wait {
            builder = builder.max_retry_wait(wait);
        }
        if let Some(Keychain(entry)) = self.keychain {
            builder = builder.api_key_from_keychain(entry.service(), entry.account());
        }
        builder
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
/// `NEON_API_HOST`): the core's rule for each constructor. Explicit arguments always win over it.
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
        let builder = settings.builder(env);
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
        call: CallArgs,
    ) -> PyResult<(neon_api_keys::Client, CancellationToken)> {
        crate::logging::refresh_if_reconfigured(py);
        let client = self.client(py)?;
        let token = CancellationToken::new();
        let mut options = CallOptions::new().cancellation(token.clone());
        if let Some(Seconds(timeout)) = call.timeout {
            options = options.timeout(timeout);
        }
        if let Some(request_id) = call.request_id {
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
