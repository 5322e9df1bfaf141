//! The async [`Client`].

use crate::credentials::{self, Credentials};
use crate::execute::{CallContext, CreateTarget};
use crate::ops;
use crate::ops::rotate::Account;
use crate::retry::RetryBudget;
use crate::throttle::Throttle;
use crate::transport::{self, Transport};
use crate::{
    ApiKey, AuthDetails, CallOptions, ClientBuilder, CreatedApiKey, Project, Result, RevokedApiKey,
    RotateError, RotateOptions, Rotation,
};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::sync::Arc;
use tracing::Instrument;

/// The async client. Cheap to clone: clones share the connection pool, throttle and retry budget.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
    pub(crate) options: CallOptions,
}

/// State shared by clones.
#[derive(Debug)]
pub(crate) struct ClientInner {
    pub(crate) builder: ClientBuilder,
    pub(crate) credentials: Credentials,
    pub(crate) transport: Transport,
    pub(crate) throttle: Throttle,
    pub(crate) budget: RetryBudget,
    pub(crate) clock: crate::clock::ServerClock,
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`,
    /// `NEON_API_HOST`) with default settings.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().from_env().build()
    }

    pub(crate) fn from_builder(builder: ClientBuilder) -> Result<Client> {
        let base_url = transport::check_base_url(&credentials::base_url(&builder))?;
        let credentials = Credentials::resolve(&builder)?;
        let transport = Transport::new(&builder, &base_url)?;
        let throttle = Throttle::new(builder.throttle);
        Ok(Client {
            inner: Arc::new(ClientInner {
                builder,
                credentials,
                transport,
                throttle,
                budget: RetryBudget::new(),
                clock: crate::clock::ServerClock::default(),
            }),
            options: CallOptions::default(),
        })
    }

    /// A client sharing this one's connections and limits whose calls use `options`
    /// (deadline, request id, cancellation, retries).
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            inner: self.inner.clone(),
            options,
        }
    }

    /// The base URL in use (without a trailing slash).
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url()
    }

    fn context(&self, op: &'static str) -> Result<CallContext> {
        CallContext::new(self, op)
    }

    /// Lists the personal API keys of the key's user (`GET /api_keys`).
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        let ctx = self.context("list_api_keys")?;
        ops::personal::list(self, &ctx).await
    }

    /// Creates a personal API key (`POST /api_keys`). The secret is in the result, once.
    pub async fn create_api_key(&self, name: &str) -> Result<CreatedApiKey> {
        let ctx = self.context("create_api_key")?;
        let target = CreateTarget {
            key_name: name.to_string(),
            org_id: None,
            project_id: None,
        };
        ops::create::create(self, &ctx, &target).await
    }

    /// Revokes a personal API key (`DELETE /api_keys/{id}`).
    pub async fn revoke_api_key(&self, key_id: i64) -> Result<RevokedApiKey> {
        let ctx = self.context("revoke_api_key")?;
        ops::personal::revoke(self, &ctx, key_id).await
    }

    /// Lists an organization's API keys, org-wide and project-scoped.
    pub async fn list_org_api_keys(&self, org_id: &str) -> Result<Vec<ApiKey>> {
        let ctx = self.context("list_org_api_keys")?;
        ops::org::list(self, &ctx, org_id).await
    }

    /// Creates an organization API key; with `project_id`, a project-scoped key.
    pub async fn create_org_api_key(
        &self,
        org_id: &str,
        name: &str,
        project_id: Option<&str>,
    ) -> Result<CreatedApiKey> {
        let ctx = self.context("create_org_api_key")?;
        let target = CreateTarget {
            key_name: name.to_string(),
            org_id: Some(org_id.to_string()),
            project_id: project_id.map(str::to_string),
        };
        ops::create::create(self, &ctx, &target).await
    }

    /// Revokes an organization API key.
    pub async fn revoke_org_api_key(&self, org_id: &str, key_id: i64) -> Result<RevokedApiKey> {
        let ctx = self.context("revoke_org_api_key")?;
        ops::org::revoke(self, &ctx, org_id, key_id).await
    }

    /// Creates a project-scoped key: finds the project's organization (`GET /projects/{id}`), then creates an
    /// organization key limited to the project, as the Neon CLI does.
    pub async fn create_project_api_key(
        &self,
        project_id: &str,
        name: &str,
    ) -> Result<CreatedApiKey> {
        let ctx = self.context("create_project_api_key")?;
        ops::project::create_project_key(self, &ctx, project_id, name).await
    }

    /// Which kind of key is in use (`GET /auth`).
    pub async fn auth_details(&self) -> Result<AuthDetails> {
        let ctx = self.context("auth_details")?;
        ops::project::auth_details(self, &ctx).await
    }

    /// Reads a project (`GET /projects/{id}`), for its organization.
    pub async fn get_project(&self, project_id: &str) -> Result<Project> {
        let ctx = self.context("get_project")?;
        ops::project::get_project(self, &ctx, project_id).await
    }

    /// Rotates a personal key in two phases, so that nobody is locked out: checks that `old_id` exists,
    /// creates the new key (named by `options`, else derived from the old name), checks that it authenticates,
    /// hands it to `store`, and only when `store` returns `Ok` revokes the old key (with
    /// [`RotateOptions::wait_for_use`], only once the new key shows a use).
    ///
    /// `store` receives the new key with its secret; it is the only place the secret goes. If `store` fails
    /// or the call is cancelled before it returns, the new key is revoked and the old one stays live.
    ///
    /// # Errors
    /// [`RotateError::Neon`] when the rotation stopped before the store accepted the key (`NotFound` for an
    /// unknown `old_id`, creating nothing); [`RotateError::Store`] with the store's own error. Once the store
    /// returned, the rotation succeeds: a failed revoke of the old key is in [`Rotation::revoke_error`].
    pub async fn rotate_api_key<S, Fut, E>(
        &self,
        old_id: i64,
        options: RotateOptions,
        store: S,
    ) -> Result<Rotation, RotateError<E>>
    where
        S: FnOnce(CreatedApiKey) -> Fut,
        Fut: Future<Output = std::result::Result<(), E>>,
    {
        let ctx = self.context("rotate_api_key")?;
        ops::rotate::rotate(self, &ctx, Account::Personal, old_id, &options, store)
            .instrument(ctx.span())
            .await
    }

    /// Rotates an organization key in two phases like [`Client::rotate_api_key`], keeping its project scope.
    ///
    /// # Errors
    /// As [`Client::rotate_api_key`]; `NotFound` (nothing created) when `old_id` is not one of the
    /// organization's keys.
    pub async fn rotate_org_api_key<S, Fut, E>(
        &self,
        org_id: &str,
        old_id: i64,
        options: RotateOptions,
        store: S,
    ) -> Result<Rotation, RotateError<E>>
    where
        S: FnOnce(CreatedApiKey) -> Fut,
        Fut: Future<Output = std::result::Result<(), E>>,
    {
        let ctx = self.context("rotate_org_api_key")?;
        ops::rotate::rotate(self, &ctx, Account::Org(org_id), old_id, &options, store)
            .instrument(ctx.span())
            .await
    }

    /// Rotates, in place, the key a keychain entry holds (see [`crate::Keychain`]): loads it, creates the new
    /// key with the same scope (personal, organization-wide or project-scoped), checks it authenticates, saves
    /// it over the entry, and only then revokes the old key — the guarantees of [`Client::rotate_api_key`]. If
    /// saving fails, the new key is revoked and the entry and the old key stay as they were. When this client
    /// itself uses the old key, it uses the new one from then on.
    ///
    /// # Errors
    /// `NotFound` when the entry holds no key; `Keychain` when it cannot be read or saved (the message says
    /// what became of the new key); otherwise as [`Client::rotate_api_key`].
    pub async fn rotate_keychain_key(
        &self,
        keychain: &crate::Keychain,
        options: RotateOptions,
    ) -> Result<Rotation> {
        let ctx = self.context("rotate_keychain_key")?;
        ops::rotate::rotate_keychain(self, &ctx, keychain, &options)
            .instrument(ctx.span())
            .await
    }

    /// Personal keys not in use: with `since`, keys created before `since` and not used since then (a key
    /// created after `since` is never listed); without it, keys never used at all.
    pub async fn unused_api_keys(&self, since: Option<DateTime<Utc>>) -> Result<Vec<ApiKey>> {
        let ctx = self.context("unused_api_keys")?;
        let keys = ops::personal::list(self, &ctx).await?;
        Ok(ops::audit::unused(keys, since))
    }

    /// Organization keys not in use, as [`Client::unused_api_keys`] decides it.
    pub async fn unused_org_api_keys(
        &self,
        org_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<ApiKey>> {
        let ctx = self.context("unused_org_api_keys")?;
        let keys = ops::org::list(self, &ctx, org_id).await?;
        Ok(ops::audit::unused(keys, since))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}

    /// Bindings spawn these futures on multi-thread runtimes: they must be `Send`.
    #[test]
    fn client_and_futures_are_send() {
        assert_send_sync::<Client>();
        assert_send_sync::<crate::blocking::Client>();
        assert_send_sync::<crate::Error>();
        let c = Client::builder()
            .base_url("http://127.0.0.1:9/api/v2")
            .build()
            .unwrap();
        assert_send(&c.list_api_keys());
        assert_send(&c.create_api_key("n"));
        assert_send(&c.revoke_api_key(1));
        assert_send(&c.list_org_api_keys("o"));
        assert_send(&c.create_org_api_key("o", "n", Some("p")));
        assert_send(&c.revoke_org_api_key("o", 1));
        assert_send(&c.create_project_api_key("p", "n"));
        assert_send(&c.auth_details());
        assert_send(&c.get_project("p"));
        let store = |_key: CreatedApiKey| async { Ok::<(), std::io::Error>(()) };
        assert_send(&c.rotate_api_key(1, RotateOptions::new(), store));
        assert_send(&c.rotate_org_api_key("o", 1, RotateOptions::new(), store));
        assert_send(&c.unused_api_keys(None));
        assert_send(&c.unused_org_api_keys("o", None));
    }

    #[test]
    fn https_client_builds_without_a_process_wide_crypto_provider() {
        let c = Client::builder().build().unwrap();
        assert_eq!(c.base_url(), crate::DEFAULT_BASE_URL);
        let c = Client::builder()
            .base_url("https://console.neon.tech/api/v2/")
            .build()
            .unwrap();
        assert_eq!(c.base_url(), crate::DEFAULT_BASE_URL);
    }
}
