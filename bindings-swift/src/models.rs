//! Records for the core's models (Swift: `ApiKey`, `CreatedApiKey`, ...). Timestamps cross as `SystemTime`
//! (Swift `Date`); a created key's secret stays inside an [`FfiSecret`] object.

use crate::secret::FfiSecret;
use crate::units;
use std::sync::Arc;
use std::time::SystemTime;

fn date(value: Option<chrono::DateTime<chrono::Utc>>) -> Option<SystemTime> {
    value.map(SystemTime::from)
}

/// Who created a key. Lists return all fields; create and revoke return only the uuid.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiCreator {
    /// The user's uuid.
    pub id: Option<String>,
    /// The user's display name (lists only).
    pub name: Option<String>,
    /// The user's avatar URL (lists only; may be missing).
    pub image: Option<String>,
}

/// A listed key. Never carries the secret.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiApiKey {
    /// The key id.
    pub id: i64,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<SystemTime>,
    /// Who created it.
    pub created_by: Option<FfiCreator>,
    /// When it was last used; `nil` if never.
    pub last_used_at: Option<SystemTime>,
    /// The addresses it was last used from.
    pub last_used_from_addr: Vec<String>,
    /// For organization keys: the project a project-scoped key is limited to; `nil` for org-wide and personal keys.
    pub project_id: Option<String>,
}

impl From<neon_api_keys::ApiKey> for FfiApiKey {
    fn from(k: neon_api_keys::ApiKey) -> FfiApiKey {
        FfiApiKey {
            id: k.id,
            name: k.name,
            created_at: date(k.created_at),
            created_by: k.created_by.map(|c| FfiCreator {
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
pub struct FfiCreatedApiKey {
    /// The key id.
    pub id: i64,
    /// The secret, as an object: `key.reveal()` gives the value.
    pub key: Arc<FfiSecret>,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<SystemTime>,
    /// The creator's uuid.
    pub created_by: Option<String>,
    /// The organization of an organization (or project-scoped) key; `nil` for a personal key.
    pub org_id: Option<String>,
    /// The project a project-scoped key is limited to.
    pub project_id: Option<String>,
}

impl From<neon_api_keys::CreatedApiKey> for FfiCreatedApiKey {
    fn from(k: neon_api_keys::CreatedApiKey) -> FfiCreatedApiKey {
        FfiCreatedApiKey {
            id: k.id,
            key: Arc::new(FfiSecret(k.key)),
            name: k.name,
            created_at: date(k.created_at),
            created_by: k.created_by,
            org_id: k.org_id,
            project_id: k.project_id,
        }
    }
}

/// A created key handed from Swift to the core (to save in a keychain entry). The creation time crosses as
/// `Double` seconds since 1970, checked here: uniffi's lowering of a Swift `Date` traps on NaN and infinity.
#[derive(uniffi::Record, Debug, Clone)]
pub struct FfiKeyToSave {
    /// The key id.
    pub id: i64,
    /// The secret (shared with the Swift `ApiKeySecret`, not copied).
    pub key: Arc<FfiSecret>,
    /// The key's name.
    pub name: String,
    /// When it was created, in seconds since 1970.
    pub created_at_seconds: Option<f64>,
    /// The creator's uuid.
    pub created_by: Option<String>,
    /// The organization of an organization (or project-scoped) key.
    pub org_id: Option<String>,
    /// The project a project-scoped key is limited to.
    pub project_id: Option<String>,
}

impl FfiKeyToSave {
    /// The core's created key: `InvalidInput` for a creation time that is not a finite date.
    pub(crate) fn to_core(&self) -> Result<neon_api_keys::CreatedApiKey, neon_api_keys::Error> {
        let mut key =
            neon_api_keys::CreatedApiKey::new(self.id, self.key.0.clone(), self.name.clone());
        key.created_at = units::opt_date_time("createdAt", self.created_at_seconds)?;
        key.created_by = self.created_by.clone();
        key.org_id = self.org_id.clone();
        key.project_id = self.project_id.clone();
        Ok(key)
    }
}

/// A revoked key, as Neon returns it.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiRevokedApiKey {
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

impl From<neon_api_keys::RevokedApiKey> for FfiRevokedApiKey {
    fn from(k: neon_api_keys::RevokedApiKey) -> FfiRevokedApiKey {
        FfiRevokedApiKey {
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
pub enum FfiAuthMethod {
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

impl From<neon_api_keys::AuthMethod> for FfiAuthMethod {
    fn from(m: neon_api_keys::AuthMethod) -> FfiAuthMethod {
        match m {
            neon_api_keys::AuthMethod::ApiKeyUser => FfiAuthMethod::ApiKeyUser,
            neon_api_keys::AuthMethod::ApiKeyOrg => FfiAuthMethod::ApiKeyOrg,
            neon_api_keys::AuthMethod::Keycloak => FfiAuthMethod::Keycloak,
            neon_api_keys::AuthMethod::SessionCookie => FfiAuthMethod::SessionCookie,
            neon_api_keys::AuthMethod::Oauth => FfiAuthMethod::Oauth,
            other => FfiAuthMethod::Other {
                value: other.as_str().to_string(),
            },
        }
    }
}

impl From<FfiAuthMethod> for neon_api_keys::AuthMethod {
    fn from(m: FfiAuthMethod) -> neon_api_keys::AuthMethod {
        match m {
            FfiAuthMethod::ApiKeyUser => neon_api_keys::AuthMethod::ApiKeyUser,
            FfiAuthMethod::ApiKeyOrg => neon_api_keys::AuthMethod::ApiKeyOrg,
            FfiAuthMethod::Keycloak => neon_api_keys::AuthMethod::Keycloak,
            FfiAuthMethod::SessionCookie => neon_api_keys::AuthMethod::SessionCookie,
            FfiAuthMethod::Oauth => neon_api_keys::AuthMethod::Oauth,
            FfiAuthMethod::Other { value } => neon_api_keys::AuthMethod::Other(value),
        }
    }
}

/// Neon's wire name of an auth method (`"api_key_user"`, ...). Swift: `AuthMethod.wireName`.
#[uniffi::export]
pub fn ffi_auth_method_wire_name(method: FfiAuthMethod) -> String {
    neon_api_keys::AuthMethod::from(method).as_str().to_string()
}

/// The answer of `GET /auth`.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiAuthDetails {
    /// The user or organization id the key belongs to.
    pub account_id: String,
    /// Which kind of credential is in use.
    pub auth_method: FfiAuthMethod,
    /// Extra data Neon may send.
    pub auth_data: Option<String>,
}

impl From<neon_api_keys::AuthDetails> for FfiAuthDetails {
    fn from(a: neon_api_keys::AuthDetails) -> FfiAuthDetails {
        FfiAuthDetails {
            account_id: a.account_id,
            auth_method: a.auth_method.into(),
            auth_data: a.auth_data,
        }
    }
}

/// The part of a project this SDK reads.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiProject {
    /// The project id.
    pub id: String,
    /// The project name.
    pub name: Option<String>,
    /// The organization owning the project; `nil` for a personal project.
    pub org_id: Option<String>,
}

impl From<neon_api_keys::Project> for FfiProject {
    fn from(p: neon_api_keys::Project) -> FfiProject {
        FfiProject {
            id: p.id,
            name: p.name,
            org_id: p.org_id,
        }
    }
}
