//! Resolving `Authorization: Bearer <secret>` to a caller, and the label the request log shows for it.

use http::HeaderMap;

use crate::seed::{ADMIN2_USER_ID, ADMIN_USER_ID, MEMBER_USER_ID};
use crate::state::{KeyScope, State};

/// A caller whose key is live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Identity {
    /// A user's personal key.
    Personal { key_id: i64, user_id: String },
    /// An org-wide key.
    Org { key_id: i64, org_id: String },
    /// A project-scoped org key.
    Project {
        key_id: i64,
        org_id: String,
        project_id: String,
    },
}

impl Identity {
    /// The id of the key used.
    pub fn key_id(&self) -> i64 {
        match self {
            Identity::Personal { key_id, .. }
            | Identity::Org { key_id, .. }
            | Identity::Project { key_id, .. } => *key_id,
        }
    }

    /// The account the rate limits count against (the user, or the organization for org keys).
    pub fn account(&self) -> &str {
        match self {
            Identity::Personal { user_id, .. } => user_id,
            Identity::Org { org_id, .. } | Identity::Project { org_id, .. } => org_id,
        }
    }
}

/// The outcome of looking at the `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    /// A live key.
    Known(Identity),
    /// No `Authorization` header.
    Missing,
    /// A header that is not a bearer token, or a token of no key.
    Unknown,
    /// A revoked key.
    Revoked(i64),
}

impl Caller {
    /// The request-log label: `admin|admin2|member|user|org|project|revoked|unknown|none`.
    pub fn label(&self) -> &'static str {
        match self {
            Caller::Known(Identity::Personal { user_id, .. }) if user_id == ADMIN_USER_ID => {
                "admin"
            }
            Caller::Known(Identity::Personal { user_id, .. }) if user_id == MEMBER_USER_ID => {
                "member"
            }
            Caller::Known(Identity::Personal { user_id, .. }) if user_id == ADMIN2_USER_ID => {
                "admin2"
            }
            Caller::Known(Identity::Personal { .. }) => "user",
            Caller::Known(Identity::Org { .. }) => "org",
            Caller::Known(Identity::Project { .. }) => "project",
            Caller::Revoked(_) => "revoked",
            Caller::Unknown => "unknown",
            Caller::Missing => "none",
        }
    }

    /// The id of the key the bearer matched, live or revoked.
    pub fn key_id(&self) -> Option<i64> {
        match self {
            Caller::Known(i) => Some(i.key_id()),
            Caller::Revoked(id) => Some(*id),
            Caller::Missing | Caller::Unknown => None,
        }
    }
}

/// The bearer token of a request, if the header is a bearer header.
pub(crate) fn bearer(headers: &HeaderMap) -> Result<Option<String>, ()> {
    let Some(value) = headers.get(http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?.trim();
    let (scheme, token) = value.split_once(' ').ok_or(())?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(());
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(());
    }
    Ok(Some(token.to_owned()))
}

/// Who is calling, from the request headers.
pub(crate) fn resolve(state: &State, headers: &HeaderMap) -> Caller {
    let token = match bearer(headers) {
        Ok(Some(t)) => t,
        Ok(None) => return Caller::Missing,
        Err(()) => return Caller::Unknown,
    };
    let Some(key) = state.key_by_secret(&token) else {
        return Caller::Unknown;
    };
    if key.revoked {
        return Caller::Revoked(key.id);
    }
    Caller::Known(match &key.scope {
        KeyScope::Personal { user_id } => Identity::Personal {
            key_id: key.id,
            user_id: user_id.clone(),
        },
        KeyScope::Org {
            org_id,
            project_id: None,
        } => Identity::Org {
            key_id: key.id,
            org_id: org_id.clone(),
        },
        KeyScope::Org {
            org_id,
            project_id: Some(p),
        } => Identity::Project {
            key_id: key.id,
            org_id: org_id.clone(),
            project_id: p.clone(),
        },
    })
}
