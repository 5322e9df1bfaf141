//! Rotation: make sure the old key exists, create the new one (keeping an org key's project scope), then
//! revoke the old one. The new key is never lost: a failed revoke is reported in [`crate::Rotation`].

use crate::execute::{CallContext, CreateTarget};
use crate::validate;
use crate::{Client, Error, ErrorKind, Result, Rotation};

/// Rotates a personal key.
pub(crate) async fn rotate_personal(
    client: &Client,
    ctx: &CallContext,
    old_id: i64,
    new_name: &str,
) -> Result<Rotation> {
    validate::key_id(old_id)?;
    validate::key_name(new_name)?;
    let keys = super::personal::list(client, ctx).await?;
    if !keys.iter().any(|k| k.id == old_id) {
        return Err(not_found(old_id, "your personal keys"));
    }
    let target = CreateTarget {
        key_name: new_name.to_string(),
        org_id: None,
        project_id: None,
    };
    let new_key = super::create::create(client, ctx, &target).await?;
    let revoke = super::personal::revoke(client, ctx, old_id).await;
    Ok(finish(new_key, revoke))
}

/// Rotates an organization key, keeping its project scope.
pub(crate) async fn rotate_org(
    client: &Client,
    ctx: &CallContext,
    org_id: &str,
    old_id: i64,
    new_name: &str,
) -> Result<Rotation> {
    validate::org_id(org_id)?;
    validate::key_id(old_id)?;
    validate::key_name(new_name)?;
    let keys = super::org::list(client, ctx, org_id).await?;
    let Some(old) = keys.iter().find(|k| k.id == old_id) else {
        return Err(not_found(
            old_id,
            &format!("the keys of organization {org_id}"),
        ));
    };
    let target = CreateTarget {
        key_name: new_name.to_string(),
        org_id: Some(org_id.to_string()),
        project_id: old.project_id.clone(),
    };
    let new_key = super::create::create(client, ctx, &target).await?;
    let revoke = super::org::revoke(client, ctx, org_id, old_id).await;
    Ok(finish(new_key, revoke))
}

fn not_found(old_id: i64, among: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("key {old_id} was not found among {among}; nothing was created"),
    )
}

fn finish(new_key: crate::CreatedApiKey, revoke: Result<crate::RevokedApiKey>) -> Rotation {
    match revoke {
        Ok(revoked) => Rotation {
            new_key,
            revoked: Some(revoked),
            revoke_error: None,
        },
        Err(error) => {
            tracing::debug!(new_key_id = new_key.id, kind = %error.kind(), "rotation: revoking the old key failed");
            Rotation {
                new_key,
                revoked: None,
                revoke_error: Some(error),
            }
        }
    }
}
