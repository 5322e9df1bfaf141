//! The values Neon returns, as plain JS objects: ids are numbers, timestamps are `Date`s, absent optionals are
//! `null`. Ids always fit a JS number exactly: the client is built with the core's `max_key_id` at
//! `Number.MAX_SAFE_INTEGER`, so the core fails a list holding a larger id (a `decode` error naming it) and
//! revokes a created key with one (`verification_failed` naming it) instead of handing out a rounded id.

use crate::errors::ErrorInfo;
use crate::secret::ApiKeySecret;
use chrono::{DateTime, Utc};
use napi_derive::napi;
use neon_api_keys as core;
use neon_api_keys::{Error, ErrorKind};

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

// Lists reach JS as one JSON text written by `keys_json` (same fields, same order, dates as epoch ms, which
// `lib/index.js` turns into `Date`s); this struct gives them their type and must stay in step with it.
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
    /// The organization of an organization or project-scoped key; `null` for a personal key.
    pub org_id: Option<String>,
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

/// The result of a rotation whose store accepted the new key. The new key's secret is not in it: the store
/// received it, and nothing else keeps it.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Rotation {
    /// The new key (its id, name, scope; no secret).
    pub new_key: ApiKey,
    /// The id of the key that was rotated.
    pub old_key_id: i64,
    /// The old key as revoked, when it was.
    pub revoked: Option<RevokedApiKey>,
    /// Why the old key is still live, when revoking it failed or the call was cancelled after the store
    /// returned (the JS layer makes it a `NeonError`). The new key is stored and valid either way.
    pub revoke_error: Option<ErrorInfo>,
    /// With `waitForUseMs`: whether a use of the new key showed in time (`false`: the old key was left live);
    /// `null` when no wait was asked for.
    pub new_key_seen_in_use: Option<bool>,
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

impl From<core::ApiKey> for ApiKey {
    fn from(k: core::ApiKey) -> Self {
        ApiKey {
            id: k.id,
            name: k.name,
            created_at: k.created_at,
            created_by: k.created_by.map(Creator::from),
            last_used_at: k.last_used_at,
            last_used_from_addr: k.last_used_from_addr,
            project_id: k.project_id,
        }
    }
}

impl From<core::CreatedApiKey> for CreatedApiKey {
    fn from(k: core::CreatedApiKey) -> Self {
        CreatedApiKey {
            id: k.id,
            key: ApiKeySecret::from(k.key),
            name: k.name,
            created_at: k.created_at,
            created_by: k.created_by,
            project_id: k.project_id,
            org_id: k.org_id,
        }
    }
}

impl From<core::RevokedApiKey> for RevokedApiKey {
    fn from(k: core::RevokedApiKey) -> Self {
        RevokedApiKey {
            id: k.id,
            name: k.name,
            created_at: k.created_at,
            created_by: k.created_by,
            last_used_at: k.last_used_at,
            last_used_from_addr: k.last_used_from_addr,
            revoked: k.revoked,
            project_id: k.project_id,
        }
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

impl From<core::Rotation> for Rotation {
    fn from(r: core::Rotation) -> Self {
        Rotation {
            new_key: ApiKey::from(r.new_key),
            old_key_id: r.old_key_id,
            revoked: r.revoked.map(RevokedApiKey::from),
            revoke_error: r.revoke_error.as_ref().map(ErrorInfo::from),
            new_key_seen_in_use: r.new_key_seen_in_use,
        }
    }
}

/// A list of core keys as one JSON array, for `lib/index.js` to `JSON.parse` (`keyList`).
///
/// Building each key through N-API costs about 15 calls (an object, a property-name string per field, a
/// nested creator, two `Date`s, an array); one string and V8's `JSON.parse` cost a fraction of that. The
/// array holds exactly the `ApiKey` objects (same fields, same order, `null` for absent values) except that
/// `createdAt` and `lastUsedAt` are epoch milliseconds (`DateTime::timestamp_millis`, the value napi's `Date`
/// conversion uses), which the JS layer turns into `Date`s.
pub(crate) fn keys_json(list: Vec<core::ApiKey>) -> core::Result<String> {
    let keys: Vec<ApiKey> = list.into_iter().map(ApiKey::from).collect();
    let view: Vec<KeyJson<'_>> = keys.iter().map(KeyJson::from).collect();
    serde_json::to_string(&view).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("could not hand the key list to JavaScript: {e}"),
        )
    })
}

/// The JSON shape of one listed key (see [`keys_json`]): `ApiKey`'s fields in its order, dates as epoch ms.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyJson<'a> {
    id: i64,
    name: &'a str,
    created_at: Option<i64>,
    created_by: Option<CreatorJson<'a>>,
    last_used_at: Option<i64>,
    last_used_from_addr: &'a [String],
    project_id: Option<&'a str>,
}

/// The JSON shape of a listed key's creator.
#[derive(serde::Serialize)]
struct CreatorJson<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    image: Option<&'a str>,
}

impl<'a> From<&'a ApiKey> for KeyJson<'a> {
    fn from(key: &'a ApiKey) -> Self {
        KeyJson {
            id: key.id,
            name: &key.name,
            created_at: key.created_at.as_ref().map(DateTime::timestamp_millis),
            created_by: key.created_by.as_ref().map(|c| CreatorJson {
                id: c.id.as_deref(),
                name: c.name.as_deref(),
                image: c.image.as_deref(),
            }),
            last_used_at: key.last_used_at.as_ref().map(DateTime::timestamp_millis),
            last_used_from_addr: &key.last_used_from_addr,
            project_id: key.project_id.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64) -> core::ApiKey {
        core::ApiKey::new(id, "k")
    }

    #[test]
    fn odd_names_survive_the_json_round_trip() {
        let name = "a\"b\\c\nd\u{0}e\u{1f}f\u{7f}é😀\u{2028}";
        let mut odd = key(3);
        odd.name = name.to_owned();
        let text = keys_json(vec![odd]).unwrap_or_default();
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(parsed[0]["name"], name);
    }

    #[test]
    fn key_lists_are_json_in_the_api_key_shape_with_epoch_millis() {
        assert_eq!(keys_json(Vec::new()).ok().as_deref(), Some("[]"));
        let mut creator = core::Creator::new("u");
        creator.image = Some("i".to_owned());
        let mut full = core::ApiKey::new(-7, "n\"1");
        full.created_at = DateTime::from_timestamp_millis(-1);
        full.created_by = Some(creator);
        full.last_used_at = DateTime::from_timestamp_millis(1_700_000_000_123);
        full.last_used_from_addr = vec!["1.2.3.4".to_owned(), "::1".to_owned()];
        full.project_id = Some("p".to_owned());
        assert_eq!(
            keys_json(vec![full, key(9_007_199_254_740_991)])
                .ok()
                .as_deref(),
            Some(concat!(
                r#"[{"id":-7,"name":"n\"1","createdAt":-1,"createdBy":{"id":"u","name":null,"image":"i"},"#,
                r#""lastUsedAt":1700000000123,"lastUsedFromAddr":["1.2.3.4","::1"],"projectId":"p"},"#,
                r#"{"id":9007199254740991,"name":"k","createdAt":null,"createdBy":null,"lastUsedAt":null,"#,
                r#""lastUsedFromAddr":[],"projectId":null}]"#
            ))
        );
    }
}
