//! Creating a key (personal or organization): the request, reconciliation of an unknown outcome when
//! enabled, then verification of what came back.

use super::routes;
use crate::decode;
use crate::execute::{CallContext, CreateTarget, Exchange};
use crate::retry::Method;
use crate::{validate, verify};
use crate::{Client, CreatedApiKey, ErrorKind, Result};

/// Validates the target, creates the key, and verifies it.
pub(crate) async fn create(
    client: &Client,
    ctx: &CallContext,
    target: &CreateTarget,
) -> Result<CreatedApiKey> {
    validate::key_name(&target.key_name)?;
    if let Some(org_id) = &target.org_id {
        validate::org_id(org_id)?;
    }
    if let Some(project_id) = &target.project_id {
        validate::project_id(project_id)?;
    }
    let created = match send_create(client, ctx, target).await {
        Err(error)
            if error.kind() == ErrorKind::OutcomeUnknown
                && client.inner.builder.reconcile_creates =>
        {
            crate::reconcile::reconcile(client, ctx, target, error).await?;
            send_create(client, ctx, target).await?
        }
        other => other?,
    };
    verify::verify(client, target, created).await
}

/// One create request (retried only where the matrix allows).
async fn send_create(
    client: &Client,
    ctx: &CallContext,
    target: &CreateTarget,
) -> Result<CreatedApiKey> {
    let credentials = &client.inner.credentials;
    let (key, route, path, body) = match &target.org_id {
        None => (
            credentials.personal()?,
            routes::API_KEYS,
            routes::API_KEYS.to_string(),
            serde_json::json!({ "key_name": target.key_name }),
        ),
        Some(org_id) => {
            let mut body = serde_json::json!({ "key_name": target.key_name });
            if let (Some(project_id), Some(map)) = (&target.project_id, body.as_object_mut()) {
                map.insert(
                    "project_id".to_string(),
                    serde_json::Value::from(project_id.as_str()),
                );
            }
            (
                credentials.org()?,
                routes::ORG_API_KEYS,
                format!("/organizations/{org_id}/api_keys"),
                body,
            )
        }
    };
    let exchange = Exchange {
        method: Method::Post,
        route,
        path,
        body: Some(body),
        key,
        create: Some(target),
    };
    client.execute(ctx, &exchange, decode::created_key).await
}
