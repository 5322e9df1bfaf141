//! Organization keys: `GET/POST /organizations/{org_id}/api_keys`, `DELETE .../{id}`.

use super::routes;
use crate::decode;
use crate::execute::{CallContext, Exchange};
use crate::retry::Method;
use crate::validate;
use crate::{ApiKey, Client, Result, RevokedApiKey};

/// Lists an organization's keys.
pub(crate) async fn list(client: &Client, ctx: &CallContext, org_id: &str) -> Result<Vec<ApiKey>> {
    validate::org_id(org_id)?;
    let key = client.inner.credentials.org()?;
    let exchange = Exchange {
        method: Method::Get,
        route: routes::ORG_API_KEYS,
        path: format!("/organizations/{org_id}/api_keys"),
        body: None,
        key,
        create: None,
    };
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
    let exchange = Exchange {
        method: Method::Delete,
        route: routes::ORG_API_KEY,
        path: format!("/organizations/{org_id}/api_keys/{key_id}"),
        body: None,
        key,
        create: None,
    };
    client.execute(ctx, &exchange, decode::revoked_key).await
}
