//! Creating a key (personal or organization): the request, exactly-once recovery of an unknown outcome when
//! enabled, then verification of what came back.

use super::routes;
use crate::decode;
use crate::execute::{CallContext, CreateTarget, Exchange};
use crate::{recover, validate, verify};
use crate::{Client, CreatedApiKey, ErrorKind, Result};
use tracing::Instrument;

/// Why an organization or project-scoped key gets 403 on a create, and what to do.
const MINTING_HINT: &str =
    "organization and project-scoped API keys cannot create API keys: only a personal \
     API key of an organization admin can; configure one as the personal key (NEON_API_KEY)";

/// Validates the target, creates the key (exactly once with `reconcile_creates`), and verifies it.
pub(crate) async fn create(
    client: &Client,
    ctx: &CallContext,
    target: &CreateTarget,
) -> Result<CreatedApiKey> {
    validate_target(target)?;
    let created = if client.inner.builder.reconcile_creates {
        recover::create_exactly_once(client, ctx, target)
            .instrument(ctx.span())
            .await?
    } else {
        send_create(client, ctx, target).await?
    };
    let mut created = verify::verify(client, target, created)
        .instrument(ctx.span())
        .await?;
    created.org_id.clone_from(&target.org_id);
    Ok(created)
}

/// The checks of a create's arguments, before anything is sent.
pub(crate) fn validate_target(target: &CreateTarget) -> Result<()> {
    validate::key_name(&target.key_name)?;
    if let Some(org_id) = &target.org_id {
        validate::org_id(org_id)?;
    }
    if let Some(project_id) = &target.project_id {
        validate::project_id(project_id)?;
    }
    Ok(())
}

/// One create request (retried only where the matrix allows).
pub(crate) async fn send_create(
    client: &Client,
    ctx: &CallContext,
    target: &CreateTarget,
) -> Result<CreatedApiKey> {
    let credentials = &client.inner.credentials;
    let mut body = serde_json::json!({ "key_name": target.key_name });
    let (key, org_slot, route, path) = match &target.org_id {
        None => (
            credentials.personal()?,
            false,
            routes::API_KEYS,
            routes::API_KEYS.to_string(),
        ),
        Some(org_id) => {
            if let (Some(project_id), Some(map)) = (&target.project_id, body.as_object_mut()) {
                map.insert(
                    "project_id".to_string(),
                    serde_json::Value::from(project_id.as_str()),
                );
            }
            let (key, org_slot) = credentials.org_minting()?;
            (
                key,
                org_slot,
                routes::ORG_API_KEYS,
                format!("/organizations/{org_id}/api_keys"),
            )
        }
    };
    let exchange = Exchange::create(route, path, body, &key, target);
    client
        .execute(ctx, &exchange, decode::created_key)
        .await
        .map_err(|error| {
            let refused = matches!(
                error.kind(),
                ErrorKind::PermissionDenied | ErrorKind::OutsideProjectScope
            );
            if org_slot && refused && !error.message().contains("personal API key") {
                error.with_hint(MINTING_HINT)
            } else {
                error
            }
        })
}
