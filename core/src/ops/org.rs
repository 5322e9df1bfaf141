//! Organization keys: `GET/POST /organizations/{org_id}/api_keys`, `DELETE .../{id}`.

use super::routes;
use crate::decode;
use crate::execute::{CallContext, Exchange};
use crate::validate;
use crate::{ApiKey, Client, Result, RevokedApiKey};

/// Lists an organization's keys.
pub(crate) async fn list(client: &Client, ctx: &CallContext, org_id: &str) -> Result<Vec<ApiKey>> {
    validate::org_id(org_id)?;
    let key = client.inner.credentials.org()?;
    let path = format!("/organizations/{org_id}/api_keys");
    let exchange = Exchange::get(routes::ORG_API_KEYS, path, &key);
    let keys = client.execute(ctx, &exchange, decode::key_list).await?;
    super::within_id_limit(client, keys)
}

/// Revokes an organization key.
pub(crate) async fn revoke(
    client: &Client,
    ctx: &CallContext,
    org_id: &str,
    key_id: i64,
) -> Result<RevokedApiKey> {
    validate::org_id(org_id)?;
    validate::key_id(key_id)?;
    let key = client.inner.credentials.org()?;
    let path = format!("/organizations/{org_id}/api_keys/{key_id}");
    let exchange = Exchange::delete(routes::ORG_API_KEY, path, &key);
    client.execute(ctx, &exchange, decode::revoked_key).await
}
