//! The async [`Client`].

use crate::{
    ApiKey, AuthDetails, CallOptions, ClientBuilder, CreatedApiKey, Error, ErrorKind, Project,
    Result, RevokedApiKey, Rotation,
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
}

fn todo_error() -> Error {
    Error::new(ErrorKind::Internal, "not implemented yet")
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
        Ok(Client {
            inner: Arc::new(ClientInner { builder }),
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

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        self.inner
            .builder
            .base_url
            .as_deref()
            .unwrap_or(crate::DEFAULT_BASE_URL)
    }

    /// Lists the personal API keys of the key's user (`GET /api_keys`).
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        Err(todo_error())
    }

    /// Creates a personal API key (`POST /api_keys`). The secret is in the result, once.
    pub async fn create_api_key(&self, name: &str) -> Result<CreatedApiKey> {
        let _ = name;
        Err(todo_error())
    }

    /// Revokes a personal API key (`DELETE /api_keys/{id}`).
    pub async fn revoke_api_key(&self, key_id: i64) -> Result<RevokedApiKey> {
        let _ = key_id;
        Err(todo_error())
    }

    /// Lists an organization's API keys, org-wide and project-scoped.
    pub async fn list_org_api_keys(&self, org_id: &str) -> Result<Vec<ApiKey>> {
        let _ = org_id;
        Err(todo_error())
    }

    /// Creates an organization API key; with `project_id`, a project-scoped key.
    pub async fn create_org_api_key(
        &self,
        org_id: &str,
        name: &str,
        project_id: Option<&str>,
    ) -> Result<CreatedApiKey> {
        let _ = (org_id, name, project_id);
        Err(todo_error())
    }

    /// Revokes an organization API key.
    pub async fn revoke_org_api_key(&self, org_id: &str, key_id: i64) -> Result<RevokedApiKey> {
        let _ = (org_id, key_id);
        Err(todo_error())
    }

    /// Creates a project-scoped key: finds the project's organization (`GET /projects/{id}`), then creates an
    /// organization key limited to the project, as the Neon CLI does.
    pub async fn create_project_api_key(
        &self,
        project_id: &str,
        name: &str,
    ) -> Result<CreatedApiKey> {
        let _ = (project_id, name);
        Err(todo_error())
    }

    /// Which kind of key is in use (`GET /auth`).
    pub async fn auth_details(&self) -> Result<AuthDetails> {
        Err(todo_error())
    }

    /// Reads a project (`GET /projects/{id}`), for its organization.
    pub async fn get_project(&self, project_id: &str) -> Result<Project> {
        let _ = project_id;
        Err(todo_error())
    }

    /// Rotates a personal key: creates `new_name`, then revokes `old_id`. The new key is always returned,
    /// with the revoke's failure in [`Rotation::revoke_error`] if it failed.
    pub async fn rotate_api_key(&self, old_id: i64, new_name: &str) -> Result<Rotation> {
        let _ = (old_id, new_name);
        Err(todo_error())
    }

    /// Rotates an organization key, keeping its project scope.
    pub async fn rotate_org_api_key(
        &self,
        org_id: &str,
        old_id: i64,
        new_name: &str,
    ) -> Result<Rotation> {
        let _ = (org_id, old_id, new_name);
        Err(todo_error())
    }

    /// Personal keys never used, or (with `since`) not used since then.
    pub async fn unused_api_keys(&self, since: Option<DateTime<Utc>>) -> Result<Vec<ApiKey>> {
        let _ = since;
        Err(todo_error())
    }

    /// Organization keys never used, or not used since `since`.
    pub async fn unused_org_api_keys(
        &self,
        org_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<ApiKey>> {
        let _ = (org_id, since);
        Err(todo_error())
    }
}
