//! [`FfiClient`]: the core's async `Client`, method for method. Every call takes the cancellation token the
//! Swift layer cancels when the calling `Task` is cancelled.

use crate::call::{FfiCallOptions, FfiCancellationToken};
use crate::config::FfiClientSettings;
use crate::error::FfiError;
use crate::keychain::FfiKeychain;
use crate::models::{FfiApiKey, FfiAuthDetails, FfiCreatedApiKey, FfiProject, FfiRevokedApiKey};
use crate::rotation::{self, FfiKeyStore, FfiRotateOptions, FfiRotation};
use crate::{runtime, units};
use neon_api_keys::{CallOptions, Client, ClientBuilder};
use std::sync::Arc;

/// The core's client (Swift: `NeonClient`), with the call options of `withOptions`.
#[derive(uniffi::Object, Debug)]
pub struct FfiClient {
    inner: Client,
    options: CallOptions,
}

fn list<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}

impl FfiClient {
    fn build(
        builder: ClientBuilder,
        settings: FfiClientSettings,
    ) -> Result<Arc<FfiClient>, FfiError> {
        let builder = settings.apply(builder)?;
        runtime::enter(|| {
            Ok(Arc::new(FfiClient {
                inner: builder.build()?,
                options: CallOptions::new(),
            }))
        })
    }

    /// A rotation of `old_id` among the personal keys, or among `org_id`'s.
    async fn rotate(
        &self,
        cancellation: &FfiCancellationToken,
        org_id: Option<String>,
        old_id: i64,
        options: FfiRotateOptions,
        store: Arc<dyn FfiKeyStore>,
    ) -> Result<FfiRotation, FfiError> {
        let c = self.scoped(cancellation);
        let options = options.to_core()?;
        runtime::spawn(async move {
            let store = rotation::store_fn(store);
            let result = match org_id {
                None => c.rotate_api_key(old_id, options, store).await,
                Some(org_id) => c.rotate_org_api_key(&org_id, old_id, options, store).await,
            };
            rotation::outcome(result)
        })
        .await
    }

    /// The core client for one call: this client's options plus the call's cancellation token.
    fn scoped(&self, cancellation: &FfiCancellationToken) -> Client {
        self.inner
            .with_options(self.options.clone().cancellation(cancellation.0.clone()))
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiClient {
    /// A client with these keys (`None`: the core's rule for a plain constructor,
    /// `ClientBuilder::env_when_no_api_key`, reads the environment when no personal key is given), and the key
    /// `keychain` holds after both (`ClientBuilder::api_key_from_keychain`).
    #[uniffi::constructor]
    pub fn new(
        api_key: Option<String>,
        org_api_key: Option<String>,
        keychain: Option<Arc<FfiKeychain>>,
        base_url: Option<String>,
        settings: FfiClientSettings,
    ) -> Result<Arc<FfiClient>, FfiError> {
        let mut builder = ClientBuilder::new().env_when_no_api_key();
        if let Some(key) = api_key {
            builder = builder.api_key(key);
        }
        if let Some(key) = org_api_key {
            builder = builder.org_api_key(key);
        }
        if let Some(entry) = keychain {
            builder = builder.api_key_from_keychain(entry.0.service(), entry.0.account());
        }
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        FfiClient::build(builder, settings)
    }

    /// A client configured from the environment (`ClientBuilder::from_env`).
    #[uniffi::constructor]
    pub fn from_env(settings: FfiClientSettings) -> Result<Arc<FfiClient>, FfiError> {
        FfiClient::build(ClientBuilder::new().from_env(), settings)
    }

    /// A client sharing this one's connections and limits whose calls use `options`.
    pub fn with_options(&self, options: FfiCallOptions) -> Result<Arc<FfiClient>, FfiError> {
        let options = options.to_core()?;
        Ok(Arc::new(FfiClient {
            inner: self.inner.with_options(options.clone()),
            options,
        }))
    }

    /// The base URL in use.
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// Lists the personal API keys of the key's user.
    pub async fn list_api_keys(
        &self,
        cancellation: Arc<FfiCancellationToken>,
    ) -> Result<Vec<FfiApiKey>, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move { Ok(list(c.list_api_keys().await?)) }).await
    }

    /// Creates a personal API key.
    pub async fn create_api_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        name: String,
    ) -> Result<FfiCreatedApiKey, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move { Ok(c.create_api_key(&name).await?.into()) }).await
    }

    /// Revokes a personal API key.
    pub async fn revoke_api_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        id: i64,
    ) -> Result<FfiRevokedApiKey, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move { Ok(c.revoke_api_key(id).await?.into()) }).await
    }

    /// Lists an organization's API keys.
    pub async fn list_org_api_keys(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        org_id: String,
    ) -> Result<Vec<FfiApiKey>, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move { Ok(list(c.list_org_api_keys(&org_id).await?)) }).await
    }

    /// Creates an organization API key, project-scoped with `project_id`.
    pub async fn create_org_api_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        org_id: String,
        name: String,
        project_id: Option<String>,
    ) -> Result<FfiCreatedApiKey, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move {
            let created = c
                .create_org_api_key(&org_id, &name, project_id.as_deref())
                .await?;
            Ok(created.into())
        })
        .await
    }

    /// Revokes an organization API key.
    pub async fn revoke_org_api_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        org_id: String,
        id: i64,
    ) -> Result<FfiRevokedApiKey, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move { Ok(c.revoke_org_api_key(&org_id, id).await?.into()) }).await
    }

    /// Creates a key limited to a project.
    pub async fn create_project_api_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        project_id: String,
        name: String,
    ) -> Result<FfiCreatedApiKey, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move {
            let created = c.create_project_api_key(&project_id, &name).await?;
            Ok(created.into())
        })
        .await
    }

    /// Which kind of key is in use (`GET /auth`).
    pub async fn auth_details(
        &self,
        cancellation: Arc<FfiCancellationToken>,
    ) -> Result<FfiAuthDetails, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move { Ok(c.auth_details().await?.into()) }).await
    }

    /// Reads a project.
    pub async fn get_project(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        project_id: String,
    ) -> Result<FfiProject, FfiError> {
        let c = self.scoped(&cancellation);
        runtime::spawn(async move { Ok(c.get_project(&project_id).await?.into()) }).await
    }

    /// Rotates a personal key in two phases, handing the new key to `store`.
    pub async fn rotate_api_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        old_id: i64,
        options: FfiRotateOptions,
        store: Arc<dyn FfiKeyStore>,
    ) -> Result<FfiRotation, FfiError> {
        self.rotate(&cancellation, None, old_id, options, store)
            .await
    }

    /// Rotates an organization key in two phases, keeping its project scope.
    pub async fn rotate_org_api_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        org_id: String,
        old_id: i64,
        options: FfiRotateOptions,
        store: Arc<dyn FfiKeyStore>,
    ) -> Result<FfiRotation, FfiError> {
        self.rotate(&cancellation, Some(org_id), old_id, options, store)
            .await
    }

    /// Rotates in place the key `keychain` holds (personal, organization-wide or project-scoped), saving the new
    /// key over the entry before the old key is revoked.
    pub async fn rotate_keychain_key(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        keychain: Arc<FfiKeychain>,
        options: FfiRotateOptions,
    ) -> Result<FfiRotation, FfiError> {
        let c = self.scoped(&cancellation);
        let options = options.to_core()?;
        runtime::spawn(async move { Ok(c.rotate_keychain_key(&keychain.0, options).await?.into()) })
            .await
    }

    /// Personal keys not in use (`since_seconds`: seconds since 1970; `None`: never used).
    pub async fn unused_api_keys(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        since_seconds: Option<f64>,
    ) -> Result<Vec<FfiApiKey>, FfiError> {
        let c = self.scoped(&cancellation);
        let since = units::opt_date_time("since", since_seconds)?;
        runtime::spawn(async move { Ok(list(c.unused_api_keys(since).await?)) }).await
    }

    /// Organization keys not in use.
    pub async fn unused_org_api_keys(
        &self,
        cancellation: Arc<FfiCancellationToken>,
        org_id: String,
        since_seconds: Option<f64>,
    ) -> Result<Vec<FfiApiKey>, FfiError> {
        let c = self.scoped(&cancellation);
        let since = units::opt_date_time("since", since_seconds)?;
        runtime::spawn(async move { Ok(list(c.unused_org_api_keys(&org_id, since).await?)) }).await
    }
}
