//! Personal keys: `GET/POST /api_keys`, `DELETE /api_keys/{id}`.

use super::routes;
use crate::decode;
use crate::execute::{CallContext, Exchange};
use crate::validate;
use crate::{ApiKey, Client, Result, RevokedApiKey};

/// Lists the personal keys.
pub(crate) async fn list(client: &Client, ctx: &CallContext) -> Result<Vec<ApiKey>> {
    let key = client.inner.credentials.personal()?;
    let exchange = Exchange::get(routes::API_KEYS, routes::API_KEYS.to_string(), &key);
    let keys = client.execute(ctx, &exchange, decode::key_list).await?;
    super::within_id_limit(client, keys)
}

/// Revokes a personal key.
pub(crate) async fn revoke(
    client: &Client,
    ctx: &CallContext,
    key_id: i64,
) -> Result<RevokedApiKey> {
    validate::key_id(key_id)?;
    let key = client.inner.credentials.personal()?;
    let exchange = Exchange::delete(routes::API_KEY, format!("/api_keys/{key_id}"), &key);
    client.execute(ctx, &exchange, decode::revoked_key).await
}
