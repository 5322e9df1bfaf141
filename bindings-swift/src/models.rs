//! Records for the core's models. Timestamps become Swift `Date`s; a created key's secret stays inside an
//! [`ApiKeySecret`] object.

use crate::error::NeonError;
use crate::secret::ApiKeySecret;
use std::sync::Arc;
use std::time::SystemTime;

fn date(value: Option<chrono::DateTime<chrono::Utc>>) -> Option<SystemTime> {
    value.map(SystemTime::from)
}

/// Who created a key. Lists return all fields; create and revoke return only the uuid.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct Creator {
    /// The user's uuid.
    pub id: Option<String>,
    /// The user's display name (lists only).
    pub name: Option<String>,
    /// The user's avatar URL (lists only; may be missing).
    pub image: Option<String>,
}

/// A listed key. Never carries the secret.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The key id.
    pub id: i64,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<SystemTime>,
    /// Who created it.
    pub created_by: Option<Creator>,
    /// When it was last used; `nil` if never.
    pub last_used_at: Option<SystemTime>,
    /// The addresses it was last used from.
    pub last_used_from_addr: Vec<String>,
    /// For organization keys: the project a project-scoped key is limited to; `nil` for org-wide and personal keys.
    pub project_id: Option<String>,
}

impl From<neon_api_keys::ApiKey> for ApiKey {
    fn from(k: neon_api_keys::ApiKey) -> ApiKey {
        ApiKey {
            id: k.id,
            name: k.name,
            created_at: date(k.created_at),
            created_by: k.created_by.map(|c| Creator {
                id: c.id,
                name: c.name,
                image: c.image,
            }),
            last_used_at: date(k.last_used_at),
            last_used_from_addr: k.last_used_from_addr,
            project_id: k.project_id,
        }
    }
}

/// A newly created key. The secret is shown once: call `key.reveal()` and store it now.
/// Printing or dumping this value never shows the secret.
#[derive(uniffi::Record, Debug, Clone)]
pub struct CreatedApiKey {
    /// The key id.
    pub id: i64,
    /// The secret, as an object: `key.reveal()` gives the value.
    pub key: Arc<ApiKeySecret>,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<SystemTime>,
    /// The creator's uuid.
    pub created_by: Option<String>,
    /// The project a project-scoped key is limited to.
    pub project_id: Option<String>,
}

impl From<neon_api_keys::CreatedApiKey> for CreatedApiKey {
    fn from(k: neon_api_keys::CreatedApiKey) -> CreatedApiKey {
        CreatedApiKey {
            id: k.id,
            key: Arc::new(ApiKeySecret(k.key)),
            name: k.name,
            created_at: date(k.created_at),
            created_by: k.created_by,
            project_id: k.project_id,
        }
    }
}

/// A revoked key, as Neon returns it.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct RevokedApiKey {
    /// The key id.
    pub id: i64,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<SystemTime>,
    /// The creator's uuid.
    pub created_by: Option<String>,
    /// When it was last used.
    pub last_used_at: Option<SystemTime>,
    /// The addresses it was last used from.
    pub last_used_from_addr: Vec<String>,
    /// Always `true` on success.
    pub revoked: bool,
    /// The project a project-scoped key was limited to.
    pub project_id: Option<String>,
}

impl From<neon_api_keys::RevokedApiKey> for RevokedApiKey {
    fn from(k: neon_api_keys::RevokedApiKey) -> RevokedApiKey {
        RevokedApiKey {
            id: k.id,
            name: k.name,
            created_at: date(k.created_at),
            created_by: k.created_by,
            last_used_at: date(k.last_used_at),
            last_used_from_addr: k.last_used_from_addr,
            revoked: k.revoked,
            project_id: k.project_id,
        }
    }
}

/// How the client is authenticated (`GET /auth`).
#[derive(uniffi::Enum, Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    /// A personal API key.
    ApiKeyUser,
    /// An organization API key (org-wide or project-scoped).
    ApiKeyOrg,
    /// Console login (keycloak).
    Keycloak,
    /// Console session cookie.
    SessionCookie,
    /// OAuth.
    Oauth,
    /// A value this SDK does not know yet, kept verbatim.
    Other {
        /// Neon's wire value.
        value: String,
    },
}

impl From<neon_api_keys::AuthMethod> for AuthMethod {
    fn from(m: neon_api_keys::AuthMethod) -> AuthMethod {
        match m {
            neon_api_keys::AuthMethod::ApiKeyUser => AuthMethod::ApiKeyUser,
            neon_api_keys::AuthMethod::ApiKeyOrg => AuthMethod::ApiKeyOrg,
            neon_api_keys::AuthMethod::Keycloak => AuthMethod::Keycloak,
            neon_api_keys::AuthMethod::SessionCookie => AuthMethod::SessionCookie,
            neon_api_keys::AuthMethod::Oauth => AuthMethod::Oauth,
            other => AuthMethod::Other {
                value: other.as_str().to_string(),
            },
        }
    }
}

impl From<AuthMethod> for neon_api_keys::AuthMethod {
    fn from(m: AuthMethod) -> neon_api_keys::AuthMethod {
        match m {
            AuthMethod::ApiKeyUser => neon_api_keys::AuthMethod::ApiKeyUser,
            AuthMethod::ApiKeyOrg => neon_api_keys::AuthMethod::ApiKeyOrg,
            AuthMethod::Keycloak => neon_api_keys::AuthMethod::Keycloak,
            AuthMethod::SessionCookie => neon_api_keys::AuthMethod::SessionCookie,
            AuthMethod::Oauth => neon_api_keys::AuthMethod::Oauth,
            AuthMethod::Other { value } => neon_api_keys::AuthMethod::Other(value),
        }
    }
}

/// Neon's wire name of an auth method (`"api_key_user"`, ...). In Swift, `method.wireName` calls this.
#[uniffi::export]
pub fn auth_method_wire_name(method: AuthMethod) -> String {
    neon_api_keys::AuthMethod::from(method).as_str().to_string()
}

/// The answer of `GET /auth`.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct AuthDetails {
    /// The user or organization id the key belongs to.
    pub account_id: String,
    /// Which kind of credential is in use.
    pub auth_method: AuthMethod,
    /// Extra data Neon may send.
    pub auth_data: Option<String>,
}

impl From<neon_api_keys::AuthDetails> for AuthDetails {
    fn from(a: neon_api_keys::AuthDetails) -> AuthDetails {
        AuthDetails {
            account_id: a.account_id,
            auth_method: a.auth_method.into(),
            auth_data: a.auth_data,
        }
    }
}

/// The part of a project this SDK reads.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The project id.
    pub id: String,
    /// The project name.
    pub name: Option<String>,
    /// The organization owning the project; `nil` for a personal project.
    pub org_id: Option<String>,
}

impl From<neon_api_keys::Project> for Project {
    fn from(p: neon_api_keys::Project) -> Project {
        Project {
            id: p.id,
            name: p.name,
            org_id: p.org_id,
        }
    }
}

/// The result of a rotation: the new key is always handed back, even when revoking the old one failed.
#[derive(uniffi::Record, Debug, Clone)]
pub struct Rotation {
    /// The new key (store its secret now).
    pub new_key: CreatedApiKey,
    /// The revoked old key, when the revoke succeeded.
    pub revoked: Option<RevokedApiKey>,
    /// Why revoking the old key failed, if it did. The new key is valid either way.
    pub revoke_error: Option<NeonError>,
    /// Whether the old key is gone.
    pub is_complete: bool,
}

impl Rotation {
    /// The result of a rotation whose store received `new_key`.
    pub(crate) fn new(
        r: neon_api_keys::Rotation,
        new_key: neon_api_keys::CreatedApiKey,
    ) -> Rotation {
        let is_complete = r.is_complete();
        Rotation {
            new_key: new_key.into(),
            revoked: r.revoked.map(Into::into),
            revoke_error: r.revoke_error.map(Into::into),
            is_complete,
        }
    }
}
