//! A synchronous facade over the async [`crate::Client`], like `reqwest::blocking`.
//!
//! It owns a small tokio runtime and blocks on it. Do not call it from inside an async runtime: it returns
//! `ErrorKind::Config` instead of deadlocking. Use the async client there.

use crate::{
    ApiKey, AuthDetails, CallOptions, ClientBuilder, CreatedApiKey, Error, ErrorKind, Project,
    Result, RevokedApiKey, RotateError, RotateOptions, Rotation,
};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::sync::Arc;

/// The blocking client. Cheap to clone; clones share the runtime, connections and limits.
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<OwnedRuntime>,
}

/// The client's own runtime. Dropping a tokio runtime inside another runtime panics, so when the last
/// clone goes away in async code the runtime is shut down in the background instead.
#[derive(Debug)]
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl OwnedRuntime {
    fn block_on<F: Future>(&self, fut: F) -> Result<F::Output> {
        match &self.0 {
            Some(runtime) => Ok(runtime.block_on(fut)),
            None => Err(Error::new(
                ErrorKind::Internal,
                "the blocking runtime is gone",
            )),
        }
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                drop(runtime);
            }
        }
    }
}

impl Client {
    /// A blocking client from the environment (see [`crate::Client::from_env`]).
    pub fn from_env() -> Result<Client> {
        Client::from_builder(ClientBuilder::new().from_env())
    }

    /// A blocking client from a builder.
    pub fn from_builder(builder: ClientBuilder) -> Result<Client> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("neon-api-keys-blocking")
            .enable_all()
            .build()
            .map_err(|e| {
                Error::new(ErrorKind::Internal, "could not start the blocking runtime")
                    .with_source(e)
            })?;
        let inner = {
            let _guard = runtime.enter();
            builder.build()
        };
        let runtime = Arc::new(OwnedRuntime(Some(runtime)));
        Ok(Client {
            inner: inner?,
            runtime,
        })
    }

    /// The async client underneath (shares connections and limits).
    pub fn async_client(&self) -> &crate::Client {
        &self.inner
    }

    /// A client whose calls use `options`.
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            inner: self.inner.with_options(options),
            runtime: self.runtime.clone(),
        }
    }

    fn run<T>(&self, fut: impl Future<Output = Result<T>>) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(inside_runtime());
        }
        self.runtime.block_on(fut)?
    }

    /// See [`crate::Client::list_api_keys`].
    pub fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        self.run(self.inner.list_api_keys())
    }

    /// See [`crate::Client::create_api_key`].
    pub fn create_api_key(&self, name: &str) -> Result<CreatedApiKey> {
        self.run(self.inner.create_api_key(name))
    }

    /// See [`crate::Client::revoke_api_key`].
    pub fn revoke_api_key(&self, key_id: i64) -> Result<RevokedApiKey> {
        self.run(self.inner.revoke_api_key(key_id))
    }

    /// See [`crate::Client::list_org_api_keys`].
    pub fn list_org_api_keys(&self, org_id: &str) -> Result<Vec<ApiKey>> {
        self.run(self.inner.list_org_api_keys(org_id))
    }

    /// See [`crate::Client::create_org_api_key`].
    pub fn create_org_api_key(
        &self,
        org_id: &str,
        name: &str,
        project_id: Option<&str>,
    ) -> Result<CreatedApiKey> {
        self.run(self.inner.create_org_api_key(org_id, name, project_id))
    }

    /// See [`crate::Client::revoke_org_api_key`].
    pub fn revoke_org_api_key(&self, org_id: &str, key_id: i64) -> Result<RevokedApiKey> {
        self.run(self.inner.revoke_org_api_key(org_id, key_id))
    }

    /// See [`crate::Client::create_project_api_key`].
    pub fn create_project_api_key(&self, project_id: &str, name: &str) -> Result<CreatedApiKey> {
        self.run(self.inner.create_project_api_key(project_id, name))
    }

    /// See [`crate::Client::auth_details`].
    pub fn auth_details(&self) -> Result<AuthDetails> {
        self.run(self.inner.auth_details())
    }

    /// See [`crate::Client::get_project`].
    pub fn get_project(&self, project_id: &str) -> Result<Project> {
        self.run(self.inner.get_project(project_id))
    }

    /// See [`crate::Client::rotate_api_key`]; `store` is a plain function here, called on this thread.
    ///
    /// # Errors
    /// As [`crate::Client::rotate_api_key`].
    pub fn rotate_api_key<E>(
        &self,
        old_id: i64,
        options: RotateOptions,
        store: impl FnOnce(CreatedApiKey) -> std::result::Result<(), E>,
    ) -> Result<Rotation, RotateError<E>> {
        let rotation = self
            .inner
            .rotate_api_key(old_id, options, |key| std::future::ready(store(key)));
        self.run_rotation(rotation)
    }

    /// See [`crate::Client::rotate_org_api_key`]; `store` is a plain function here, called on this thread.
    ///
    /// # Errors
    /// As [`crate::Client::rotate_org_api_key`].
    pub fn rotate_org_api_key<E>(
        &self,
        org_id: &str,
        old_id: i64,
        options: RotateOptions,
        store: impl FnOnce(CreatedApiKey) -> std::result::Result<(), E>,
    ) -> Result<Rotation, RotateError<E>> {
        let rotation = self
            .inner
            .rotate_org_api_key(org_id, old_id, options, |key| {
                std::future::ready(store(key))
            });
        self.run_rotation(rotation)
    }

    /// See [`crate::Client::rotate_keychain_key`].
    ///
    /// # Errors
    /// As [`crate::Client::rotate_keychain_key`].
    pub fn rotate_keychain_key(
        &self,
        keychain: &crate::Keychain,
        options: RotateOptions,
    ) -> Result<Rotation> {
        self.run(self.inner.rotate_keychain_key(keychain, options))
    }

    fn run_rotation<E>(
        &self,
        rotation: impl Future<Output = Result<Rotation, RotateError<E>>>,
    ) -> Result<Rotation, RotateError<E>> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(RotateError::Neon(inside_runtime()));
        }
        self.runtime.block_on(rotation)?
    }

    /// See [`crate::Client::unused_api_keys`].
    pub fn unused_api_keys(&self, since: Option<DateTime<Utc>>) -> Result<Vec<ApiKey>> {
        self.run(self.inner.unused_api_keys(since))
    }

    /// See [`crate::Client::unused_org_api_keys`].
    pub fn unused_org_api_keys(
        &self,
        org_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<ApiKey>> {
        self.run(self.inner.unused_org_api_keys(org_id, since))
    }
}

/// The error of a blocking call made inside an async runtime (it would deadlock).
fn inside_runtime() -> Error {
    Error::new(
        ErrorKind::Config,
        "the blocking client was called from inside an async runtime; use neon_api_keys::Client there",
    )
}
