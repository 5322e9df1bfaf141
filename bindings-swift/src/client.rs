//! [`NeonClient`]: the core's async `Client`, method for method.

use crate::call::CallOptions;
use crate::config::NeonClientOptions;
use crate::error::NeonError;
use crate::models::{ApiKey, AuthDetails, CreatedApiKey, Project, RevokedApiKey, Rotation};
use crate::runtime;
use neon_api_keys::{Client, ClientBuilder, RotateError, RotateOptions};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Manages Neon API keys: personal, organization and project-scoped.
///
/// Every method is `async throws` and throws `NeonError`. Calls run on a shared Rust runtime; the client is
/// `Sendable` and cheap to share. For Swift task cancellation use `client.cancellable { c in ... }`, or pass a
/// `CancellationToken` in `CallOptions` through `withOptions`.
#[derive(uniffi::Object, Debug)]
pub struct NeonClient {
    inner: Client,
}

fn list<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}

/// Rotates with a store that keeps the new key, so that the result can hand it back.
async fn rotate(
    c: Client,
    org_id: Option<String>,
    old_id: i64,
    new_name: String,
) -> Result<Rotation, NeonError> {
    let kept = Mutex::new(None);
    let store = |key| {
        if let Ok(mut slot) = kept.lock() {
            *slot = Some(key);
        }
        std::future::ready(Ok::<(), Infallible>(()))
    };
    let options = RotateOptions::new().new_name(new_name);
    let result = match &org_id {
        None => c.rotate_api_key(old_id, options, store).await,
        Some(org) => c.rotate_org_api_key(org, old_id, options, store).await,
    };
    let rotation = match result {
        Ok(rotation) => rotation,
        Err(RotateError::Neon(error)) => return Err(error.into()),
        Err(_) => return Err(NeonError::internal("the rotation failed".to_string())),
    };
    match kept.into_inner().ok().flatten() {
        Some(new_key) => Ok(Rotation::new(rotation, new_key)),
        None => Err(NeonError::internal("the rotation kept no key".to_string())),
    }
}

fn since(value: Option<SystemTime>) -> Option<chrono::DateTime<chrono::Utc>> {
    value.map(chrono::DateTime::<chrono::Utc>::from)
}

#[uniffi::export(async_runtime = "tokio")]
impl NeonClient {
    /// A client built from `options`. Fails with `NeonError.config` on a bad base URL, plain http to a remote
    /// host or a bad certificate. A missing key is reported by the first call that needs one.
    #[uniffi::constructor]
    pub fn new(options: NeonClientOptions) -> Result<Arc<NeonClient>, NeonError> {
        let builder = ClientBuilder::from(options);
        runtime::enter(|| {
            Ok(Arc::new(NeonClient {
                inner: builder.build()?,
            }))
        })
    }

    /// A client configured from the environment (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`,
    /// `NEON_API_HOST`) with default settings.
    #[uniffi::constructor]
    pub fn from_env() -> Result<Arc<NeonClient>, NeonError> {
        NeonClient::new(NeonClientOptions {
            from_env: true,
            ..NeonClientOptions::default()
        })
    }

    /// A client sharing this one's connections and limits whose calls use `options`
    /// (deadline, request id, cancellation, retries).
    pub fn with_options(&self, options: CallOptions) -> Arc<NeonClient> {
        Arc::new(NeonClient {
            inner: self.inner.with_options(options.into()),
        })
    }

    /// The base URL in use.
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// Lists the personal API keys of the key's user.
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move { Ok(list(c.list_api_keys().await?)) }).await
    }

    /// Creates a personal API key. The secret is in the result, once: `key.key.reveal()`.
    pub async fn create_api_key(&self, name: String) -> Result<CreatedApiKey, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move { Ok(c.create_api_key(&name).await?.into()) }).await
    }

    /// Revokes a personal API key.
    pub async fn revoke_api_key(&self, id: i64) -> Result<RevokedApiKey, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move { Ok(c.revoke_api_key(id).await?.into()) }).await
    }

    /// Lists an organization's API keys, org-wide and project-scoped.
    pub async fn list_org_api_keys(&self, org_id: String) -> Result<Vec<ApiKey>, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move { Ok(list(c.list_org_api_keys(&org_id).await?)) }).await
    }

    /// Creates an organization API key; with `projectId`, a key limited to that project.
    #[uniffi::method(default(project_id = None))]
    pub async fn create_org_api_key(
        &self,
        org_id: String,
        name: String,
        project_id: Option<String>,
    ) -> Result<CreatedApiKey, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move {
            Ok(c.create_org_api_key(&org_id, &name, project_id.as_deref())
                .await?
                .into())
        })
        .await
    }

    /// Revokes an organization API key.
    pub async fn revoke_org_api_key(
        &self,
        org_id: String,
        id: i64,
    ) -> Result<RevokedApiKey, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move { Ok(c.revoke_org_api_key(&org_id, id).await?.into()) }).await
    }

    /// Creates a project-scoped key: finds the project's organization, then creates an organization key
    /// limited to the project, as the Neon CLI does.
    pub async fn create_project_api_key(
        &self,
        project_id: String,
        name: String,
    ) -> Result<CreatedApiKey, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(
            async move { Ok(c.create_project_api_key(&project_id, &name).await?.into()) },
        )
        .await
    }

    /// Which kind of key is in use (`GET /auth`).
    pub async fn auth_details(&self) -> Result<AuthDetails, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move { Ok(c.auth_details().await?.into()) }).await
    }

    /// Reads a project, for its organization.
    pub async fn get_project(&self, project_id: String) -> Result<Project, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(async move { Ok(c.get_project(&project_id).await?.into()) }).await
    }

    /// Rotates a personal key: creates `newName`, then revokes `oldId`. The new key is always returned, with
    /// the revoke's failure in `revokeError` if it failed.
    pub async fn rotate_api_key(
        &self,
        old_id: i64,
        new_name: String,
    ) -> Result<Rotation, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(rotate(c, None, old_id, new_name)).await
    }

    /// Rotates an organization key, keeping its project scope.
    pub async fn rotate_org_api_key(
        &self,
        org_id: String,
        old_id: i64,
        new_name: String,
    ) -> Result<Rotation, NeonError> {
        let c = self.inner.clone();
        runtime::spawn(rotate(c, Some(org_id), old_id, new_name)).await
    }

    /// Personal keys never used, or (with `since`) not used since then.
    #[uniffi::method(default(since = None))]
    pub async fn unused_api_keys(
        &self,
        since: Option<SystemTime>,
    ) -> Result<Vec<ApiKey>, NeonError> {
        let c = self.inner.clone();
        let since = self::since(since);
        runtime::spawn(async move { Ok(list(c.unused_api_keys(since).await?)) }).await
    }

    /// Organization keys never used, or not used since `since`.
    #[uniffi::method(default(since = None))]
    pub async fn unused_org_api_keys(
        &self,
        org_id: String,
        since: Option<SystemTime>,
    ) -> Result<Vec<ApiKey>, NeonError> {
        let c = self.inner.clone();
        let since = self::since(since);
        runtime::spawn(async move { Ok(list(c.unused_org_api_keys(&org_id, since).await?)) }).await
    }
}
