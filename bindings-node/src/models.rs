//! The values Neon returns, as plain JS objects: ids are numbers (Neon's int64 ids stay below 2^53 in
//! practice), timestamps are `Date`s, absent optionals are `null`. A response carrying an id past
//! `Number.MAX_SAFE_INTEGER` is a `decode` error naming the id, never a rounded id (revoking a rounded id
//! would hit another key).

use crate::errors::ErrorInfo;
use crate::secret::ApiKeySecret;
use crate::MAX_SAFE_INTEGER;
use chrono::{DateTime, Utc};
use napi_derive::napi;
use neon_api_keys as core;
use neon_api_keys::{Error, ErrorKind};

/// A key id as a JS number: exact, or a `decode` error naming the id.
fn js_id(id: i64) -> core::Result<i64> {
    if id.unsigned_abs() <= MAX_SAFE_INTEGER as u64 {
        Ok(id)
    } else {
        Err(Error::new(
            ErrorKind::Decode,
            format!(
                "key id {id} does not fit a JavaScript number exactly (past Number.MAX_SAFE_INTEGER); \
                 refusing to return a rounded id"
            ),
        ))
    }
}

/// Who created a key. Lists give the full object; elsewhere only `id` is known.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Creator {
    /// The user's uuid.
    pub id: Option<String>,
    /// The user's display name.
    pub name: Option<String>,
    /// The user's avatar URL.
    pub image: Option<String>,
}

/// A key as listed. Never carries the secret.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct ApiKey {
    /// The key id.
    pub id: i64,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// Who created it.
    pub created_by: Option<Creator>,
    /// When it was last used; `null` if never.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The addresses it was last used from (empty if never used).
    pub last_used_from_addr: Vec<String>,
    /// For organization keys: the project a project-scoped key is limited to; `null` otherwise.
    pub project_id: Option<String>,
}

/// A newly created key. `key` is an `ApiKeySecret`: call `key.reveal()` once and store the value.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct CreatedApiKey {
    /// The key id.
    pub id: i64,
    /// The secret, redacted everywhere except `reveal()`.
    pub key: ApiKeySecret,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// The creator's uuid.
    pub created_by: Option<String>,
    /// The project a project-scoped key is limited to.
    pub project_id: Option<String>,
}

/// A revoked key.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct RevokedApiKey {
    /// The key id.
    pub id: i64,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// The creator's uuid.
    pub created_by: Option<String>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The addresses it was last used from.
    pub last_used_from_addr: Vec<String>,
    /// Always `true`.
    pub revoked: bool,
    /// The project a project-scoped key was limited to.
    pub project_id: Option<String>,
}

/// How the client is authenticated (`GET /auth`).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct AuthDetails {
    /// The user or organization id the key belongs to.
    pub account_id: String,
    /// Neon's name for the credential: `api_key_user`, `api_key_org`, `keycloak`, `session_cookie`, `oauth`,
    /// or a newer value verbatim.
    pub auth_method: String,
    /// Extra data Neon may send.
    pub auth_data: Option<String>,
}

/// A project, for its organization.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Project {
    /// The project id.
    pub id: String,
    /// The project name.
    pub name: Option<String>,
    /// The owning organization; `null` for a personal project.
    pub org_id: Option<String>,
}

/// The result of a rotation: the new key always, and either the revoked old key or why revoking it failed.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Rotation {
    /// The new key: store its secret now.
    pub new_key: CreatedApiKey,
    /// The revoked old key, when the revoke succeeded.
    pub revoked: Option<RevokedApiKey>,
    /// Why revoking the old key failed, if it did (the JS layer makes it a `NeonError`).
    pub revoke_error: Option<ErrorInfo>,
}

impl From<core::Creator> for Creator {
    fn from(c: core::Creator) -> Self {
        Creator {
            id: c.id,
            name: c.name,
            image: c.image,
        }
    }
}

impl TryFrom<core::ApiKey> for ApiKey {
    type Error = Error;
    fn try_from(k: core::ApiKey) -> core::Result<Self> {
        Ok(ApiKey {
            id: js_id(k.id)?,
            name: k.name,
            created_at: k.created_at,
            created_by: k.created_by.map(Creator::from),
            last_used_at: k.last_used_at,
            last_used_from_addr: k.last_used_from_addr,
            project_id: k.project_id,
        })
    }
}

impl TryFrom<core::CreatedApiKey> for CreatedApiKey {
    type Error = Error;
    fn try_from(k: core::CreatedApiKey) -> core::Result<Self> {
        Ok(CreatedApiKey {
            id: js_id(k.id)?,
            key: ApiKeySecret::from(k.key),
            name: k.name,
            created_at: k.created_at,
            created_by: k.created_by,
            project_id: k.project_id,
        })
    }
}

impl TryFrom<core::RevokedApiKey> for RevokedApiKey {
    type Error = Error;
    fn try_from(k: core::RevokedApiKey) -> core::Result<Self> {
        Ok(RevokedApiKey {
            id: js_id(k.id)?,
            name: k.name,
            created_at: k.created_at,
            created_by: k.created_by,
            last_used_at: k.last_used_at,
            last_used_from_addr: k.last_used_from_addr,
            revoked: k.revoked,
            project_id: k.project_id,
        })
    }
}

impl From<core::AuthDetails> for AuthDetails {
    fn from(a: core::AuthDetails) -> Self {
        AuthDetails {
            account_id: a.account_id,
            auth_method: a.auth_method.as_str().to_owned(),
            auth_data: a.auth_data,
        }
    }
}

impl From<core::Project> for Project {
    fn from(p: core::Project) -> Self {
        Project {
            id: p.id,
            name: p.name,
            org_id: p.org_id,
        }
    }
}

impl TryFrom<core::Rotation> for Rotation {
    type Error = Error;
    fn try_from(r: core::Rotation) -> core::Result<Self> {
        Ok(Rotation {
            new_key: CreatedApiKey::try_from(r.new_key)?,
            revoked: r.revoked.map(RevokedApiKey::try_from).transpose()?,
            revoke_error: r.revoke_error.as_ref().map(ErrorInfo::from),
        })
    }
}

/// Converts a list of core keys.
pub(crate) fn keys(list: Vec<core::ApiKey>) -> core::Result<Vec<ApiKey>> {
    list.into_iter().map(ApiKey::try_from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_past_max_safe_integer_are_decode_errors_naming_the_id() {
        assert_eq!(
            js_id(9_007_199_254_740_991).ok(),
            Some(9_007_199_254_740_991)
        );
        assert_eq!(
            js_id(-9_007_199_254_740_991).ok(),
            Some(-9_007_199_254_740_991)
        );
        for id in [9_007_199_254_740_993, i64::MAX, i64::MIN] {
            let error = js_id(id).err();
            assert_eq!(error.as_ref().map(Error::kind), Some(ErrorKind::Decode));
            assert!(error.is_some_and(|e| e.message().contains(&id.to_string())));
        }
    }
}
