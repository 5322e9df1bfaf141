//! `GET /auth`, `GET /projects/{id}`, and project-scoped keys (an org key created with `project_id`).

use super::routes;
use crate::decode;
use crate::execute::{CallContext, CreateTarget, Exchange};
use crate::secret::ApiKeySecret;
use crate::validate;
use crate::{AuthDetails, Client, CreatedApiKey, Error, ErrorKind, Project, Result};

/// `GET /auth` with any configured key.
pub(crate) async fn auth_details(client: &Client, ctx: &CallContext) -> Result<AuthDetails> {
    let key = client.inner.credentials.any()?;
    auth_with(client, ctx, &key).await
}

/// `GET /auth` with the given key (a configured one, or a key just created, to prove it authenticates).
pub(crate) async fn auth_with(
    client: &Client,
    ctx: &CallContext,
    key: &ApiKeySecret,
) -> Result<AuthDetails> {
    let exchange = Exchange::get(routes::AUTH, routes::AUTH.to_string(), key);
    client.execute(ctx, &exchange, decode::auth_details).await
}

/// `GET /projects/{id}` with the given key.
async fn project_with(
    client: &Client,
    ctx: &CallContext,
    project_id: &str,
    key: &ApiKeySecret,
) -> Result<Project> {
    validate::project_id(project_id)?;
    let exchange = Exchange::get(routes::PROJECT, format!("/projects/{project_id}"), key);
    client.execute(ctx, &exchange, decode::project).await
}

/// `GET /projects/{id}` with any configured key.
pub(crate) async fn get_project(
    client: &Client,
    ctx: &CallContext,
    project_id: &str,
) -> Result<Project> {
    validate::project_id(project_id)?;
    let key = client.inner.credentials.any()?;
    project_with(client, ctx, project_id, &key).await
}

/// Finds the project's organization, then creates an org key scoped to the project.
pub(crate) async fn create_project_key(
    client: &Client,
    ctx: &CallContext,
    project_id: &str,
    name: &str,
) -> Result<CreatedApiKey> {
    validate::project_id(project_id)?;
    validate::key_name(name)?;
    let key = client.inner.credentials.org()?;
    let project = project_with(client, ctx, project_id, &key).await?;
    let Some(org_id) = project.org_id else {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "project {project_id} belongs to a personal account, not an organization: Neon scopes only \
                 organization keys to a project; move the project to an organization first"
            ),
        ));
    };
    let target = CreateTarget {
        key_name: name.to_string(),
        org_id: Some(org_id),
        project_id: Some(project_id.to_string()),
    };
    super::create::create(client, ctx, &target).await
}
