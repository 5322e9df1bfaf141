//! The async [`Client`].

use crate::credentials::{self, Credentials};
use crate::execute::{CallContext, CreateTarget};
use crate::ops;
use crate::retry::RetryBudget;
use crate::throttle::Throttle;
use crate::transport::{self, Transport};
use crate::{
    ApiKey, AuthDetails, CallOptions, ClientBuilder, CreatedApiKey, Project, Result, RevokedApiKey,
    Rotation,
};
use chrono::{DateTime, Utc};
use std::sync::Arc;

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
        let credentials = Credentials::resolve(&builder);
        let transport = Transport::new(&builder, &base_url)?;
        let throttle = Throttle::new(builder.throttle);
        Ok(Client {
            inner: Arc::new(ClientInner {
                builder,
                credentials,
                transport,
                throttle,
                budget: RetryBudget::new(),
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

    /// Rotates a personal key: creates `new_name`, then revokes `old_id`. The new key is always returned,
    /// with the revoke's failure in [`Rotation::revoke_error`] if it failed. Fails with `NotFound`, creating
    /// nothing, when `old_id` is not one of the personal keys.
    pub async fn rotate_api_key(&self, old_id: i64, new_name: &str) -> Result<Rotation> {
        let ctx = self.context("rotate_api_key")?;
        ops::rotate::rotate_personal(self, &ctx, old_id, new_name).await
    }

    /// Rotates an organization key, keeping its project scope. Fails with `NotFound`, creating nothing, when
    /// `old_id` is not one of the organization's keys.
    pub async fn rotate_org_api_key(
        &self,
        org_id: &str,
        old_id: i64,
        new_name: &str,
    ) -> Result<Rotation> {
        let ctx = self.context("rotate_org_api_key")?;
        ops::rotate::rotate_org(self, &ctx, org_id, old_id, new_name).await
    }

    /// Personal keys never used, or (with `since`) not used since then.
    pub async fn unused_api_keys(&self, since: Option<DateTime<Utc>>) -> Result<Vec<ApiKey>> {
        let ctx = self.context("unused_api_keys")?;
        let keys = ops::personal::list(self, &ctx).await?;
        Ok(ops::audit::unused(keys, since))
    }

    /// Organization keys never used, or not used since `since`.
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
        assert_send(&c.rotate_api_key(1, "n"));
        assert_send(&c.rotate_org_api_key("o", 1, "n"));
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
