//! The values Neon returns, parsed leniently (see `docs/neon-api.md`, "Shapes").

use crate::secret::ApiKeySecret;
use chrono::{DateTime, Utc};

/// Who created a key. Lists return an object; create and revoke return only the uuid (`id`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Creator {
    /// The user's uuid.
    pub id: Option<String>,
    /// The user's display name (lists only).
    pub name: Option<String>,
    /// The user's avatar URL (lists only; may be missing).
    pub image: Option<String>,
}

/// A key as listed by `GET /api_keys` or `GET /organizations/{org_id}/api_keys`. Never carries the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiKey {
    /// The key id (int64).
    pub id: i64,
    /// The key's name.
    pub name: String,
    /// When it was created (missing only in malformed responses).
    pub created_at: Option<DateTime<Utc>>,
    /// Who created it.
    pub created_by: Option<Creator>,
    /// When it was last used; `None` if never.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The addresses it was last used from (Neon sends `""` or a comma-separated list).
    pub last_used_from_addr: Vec<String>,
    /// For organization keys: the project a project-scoped key is limited to; `None` for org-wide and personal keys.
    pub project_id: Option<String>,
}

/// A newly created key. The secret is shown once: keep it now or it is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedApiKey {
    /// The key id.
    pub id: i64,
    /// The secret (redacted in `Debug`; call [`ApiKeySecret::expose_secret`]).
    pub key: ApiKeySecret,
    /// The key's name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// The creator's uuid.
    pub created_by: Option<String>,
    /// The project a project-scoped key is limited to.
    pub project_id: Option<String>,
    /// The organization of an organization (or project-scoped) key; `None` for a personal key. Neon's create
    /// response does not carry it: the client fills it in from the request.
    pub org_id: Option<String>,
}

/// A revoked key, as Neon returns it from `DELETE`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// Always `true` on success.
    pub revoked: bool,
    /// The project a project-scoped key was limited to.
    pub project_id: Option<String>,
}

/// How the client is authenticated, from `GET /auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthMethod {
    /// A personal API key.
    ApiKeyUser,
    /// An organization API key (org-wide or project-scoped: Neon has no separate value for the latter).
    ApiKeyOrg,
    /// Console login (keycloak).
    Keycloak,
    /// Console session cookie.
    SessionCookie,
    /// OAuth.
    Oauth,
    /// A value this SDK does not know yet, kept verbatim.
    Other(String),
}

impl AuthMethod {
    /// Neon's wire name (`"api_key_user"`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            AuthMethod::ApiKeyUser => "api_key_user",
            AuthMethod::ApiKeyOrg => "api_key_org",
            AuthMethod::Keycloak => "keycloak",
            AuthMethod::SessionCookie => "session_cookie",
            AuthMethod::Oauth => "oauth",
            AuthMethod::Other(other) => other,
        }
    }

    /// Parses Neon's wire name.
    pub fn from_wire(value: &str) -> AuthMethod {
        match value {
            "api_key_user" => AuthMethod::ApiKeyUser,
            "api_key_org" => AuthMethod::ApiKeyOrg,
            "keycloak" => AuthMethod::Keycloak,
            "session_cookie" => AuthMethod::SessionCookie,
            "oauth" => AuthMethod::Oauth,
            other => AuthMethod::Other(other.to_string()),
        }
    }
}

/// The answer of `GET /auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthDetails {
    /// The user or organization id the key belongs to.
    pub account_id: String,
    /// Which kind of credential is in use.
    pub auth_method: AuthMethod,
    /// Extra data Neon may send.
    pub auth_data: Option<String>,
}

/// The part of `GET /projects/{id}` this SDK uses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Project {
    /// The project id.
    pub id: String,
    /// The project name.
    pub name: Option<String>,
    /// The organization owning the project; `None` for a personal project.
    pub org_id: Option<String>,
}

impl ApiKey {
    /// A key with this id and name and nothing else known (for tests and for building values by hand; fields
    /// can be set afterwards).
    pub fn new(id: i64, name: impl Into<String>) -> ApiKey {
        ApiKey {
            id,
            name: name.into(),
            created_at: None,
            created_by: None,
            last_used_at: None,
            last_used_from_addr: Vec::new(),
            project_id: None,
        }
    }
}

impl CreatedApiKey {
    /// A created key with this id, secret and name and nothing else known (for tests).
    pub fn new(id: i64, key: ApiKeySecret, name: impl Into<String>) -> CreatedApiKey {
        CreatedApiKey {
            id,
            key,
            name: name.into(),
            created_at: None,
            created_by: None,
            project_id: None,
            org_id: None,
        }
    }
}

impl RevokedApiKey {
    /// A revoked key with this id and name and nothing else known (for tests).
    pub fn new(id: i64, name: impl Into<String>) -> RevokedApiKey {
        RevokedApiKey {
            id,
            name: name.into(),
            created_at: None,
            created_by: None,
            last_used_at: None,
            last_used_from_addr: Vec::new(),
            revoked: true,
            project_id: None,
        }
    }
}

impl Creator {
    /// A creator known by uuid only (as create and revoke responses give it).
    pub fn new(id: impl Into<String>) -> Creator {
        Creator {
            id: Some(id.into()),
            name: None,
            image: None,
        }
    }
}

impl AuthDetails {
    /// The answer of `GET /auth` for this account and method.
    pub fn new(account_id: impl Into<String>, auth_method: AuthMethod) -> AuthDetails {
        AuthDetails {
            account_id: account_id.into(),
            auth_method,
            auth_data: None,
        }
    }
}

impl Project {
    /// A project with this id and nothing else known.
    pub fn new(id: impl Into<String>) -> Project {
        Project {
            id: id.into(),
            name: None,
            org_id: None,
        }
    }
}
