//! Lenient parsing of Neon's responses, and classification of its errors (by HTTP status).

use crate::models::{
    ApiKey, AuthDetails, AuthMethod, CreatedApiKey, Creator, Project, RevokedApiKey,
};
use crate::secret::ApiKeySecret;
use crate::{Error, ErrorKind};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// Longest error message kept from a response (characters).
const MAX_MESSAGE_CHARS: usize = 2000;
/// Longest error code or request id kept (characters).
const MAX_FIELD_CHARS: usize = 200;
/// Longest body excerpt quoted in a decode error of a non-create response (characters).
const MAX_EXCERPT_CHARS: usize = 120;

/// An int64 id that may arrive as a number or a numeric string.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireId {
    Int(i64),
    Str(String),
}

impl WireId {
    fn value(&self) -> Option<i64> {
        match self {
            WireId::Int(v) => Some(*v),
            WireId::Str(s) => s.trim().parse().ok(),
        }
    }
}

/// `created_by`: an object on lists, a uuid string on create/revoke.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireCreator {
    Uuid(String),
    Object {
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        image: Option<String>,
    },
}

impl WireCreator {
    fn into_creator(self) -> Creator {
        match self {
            WireCreator::Uuid(id) => Creator {
                id: Some(id),
                name: None,
                image: None,
            },
            WireCreator::Object { id, name, image } => Creator { id, name, image },
        }
    }

    fn into_id(self) -> Option<String> {
        self.into_creator().id
    }
}

/// Every field a key object may carry; all optional but `id`.
#[derive(Deserialize)]
struct WireKey {
    id: WireId,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    created_at: Option<serde_json::Value>,
    #[serde(default)]
    created_by: Option<WireCreator>,
    #[serde(default)]
    last_used_at: Option<serde_json::Value>,
    #[serde(default)]
    last_used_from_addr: Option<serde_json::Value>,
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    revoked: Option<bool>,
}

/// Parses an RFC 3339 date-time; anything else (null, a number, garbage) is `None`.
pub(crate) fn date_time(value: Option<&serde_json::Value>) -> Option<DateTime<Utc>> {
    let text = value?.as_str()?;
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `""` → empty, `"a,b"` → `[a, b]`, an array of strings → as is.
pub(crate) fn addresses(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn empty_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

/// Why a 2xx body could not be used. The message never contains a create's body.
#[derive(Debug)]
pub(crate) struct DecodeFailure(pub(crate) String);

impl DecodeFailure {
    pub(crate) fn into_error(self) -> Error {
        Error::new(ErrorKind::Decode, self.0)
    }
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut short: String = text.chars().take(MAX_EXCERPT_CHARS).collect();
    if text.chars().count() > MAX_EXCERPT_CHARS {
        short.push('…');
    }
    crate::secret::scrub(&short)
}

/// A decode error for a response that holds no secret: names the problem and quotes a short scrubbed excerpt.
fn failure(what: &str, body: &[u8], err: &serde_json::Error) -> DecodeFailure {
    DecodeFailure(format!(
        "could not parse the {what} response ({:?} error at line {} column {}); body starts with: {:?}",
        err.classify(),
        err.line(),
        err.column(),
        excerpt(body)
    ))
}

/// A decode error for a create: says where parsing failed, never what the body held.
fn create_failure(err: &serde_json::Error) -> DecodeFailure {
    DecodeFailure(format!(
        "could not parse the create response ({:?} error at line {} column {}); its body is not shown because it holds the secret",
        err.classify(),
        err.line(),
        err.column()
    ))
}

fn key_id(wire: &WireId, what: &str) -> Result<i64, DecodeFailure> {
    wire.value().ok_or_else(|| {
        DecodeFailure(format!(
            "the {what} response has an `id` that is not an int64"
        ))
    })
}

fn list_item(wire: WireKey) -> Result<ApiKey, DecodeFailure> {
    Ok(ApiKey {
        id: key_id(&wire.id, "list")?,
        name: wire.name.unwrap_or_default(),
        created_at: date_time(wire.created_at.as_ref()),
        created_by: wire.created_by.map(WireCreator::into_creator),
        last_used_at: date_time(wire.last_used_at.as_ref()),
        last_used_from_addr: addresses(wire.last_used_from_addr.as_ref()),
        project_id: empty_to_none(wire.project_id),
    })
}

/// `GET /api_keys` and `GET /organizations/{org_id}/api_keys`: a bare array (an object with `api_keys` is
/// accepted too, should Neon ever wrap it).
pub(crate) fn key_list(body: &[u8]) -> Result<Vec<ApiKey>, DecodeFailure> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Bare(Vec<WireKey>),
        Wrapped { api_keys: Vec<WireKey> },
    }
    let shape: Shape = serde_json::from_slice(body).map_err(|e| failure("list", body, &e))?;
    let items = match shape {
        Shape::Bare(items) | Shape::Wrapped { api_keys: items } => items,
    };
    items.into_iter().map(list_item).collect()
}

/// `POST` create responses. Registers the secret for scrubbing as soon as it is parsed.
pub(crate) fn created_key(body: &[u8]) -> Result<CreatedApiKey, DecodeFailure> {
    let wire: WireKey = serde_json::from_slice(body).map_err(|e| create_failure(&e))?;
    let secret = wire.key.ok_or_else(|| {
        DecodeFailure("the create response has no `key` field (the secret)".to_string())
    })?;
    let key = ApiKeySecret::new(secret).registered();
    Ok(CreatedApiKey {
        id: key_id(&wire.id, "create")?,
        key,
        name: wire.name.unwrap_or_default(),
        created_at: date_time(wire.created_at.as_ref()),
        created_by: wire.created_by.and_then(WireCreator::into_id),
        project_id: empty_to_none(wire.project_id),
    })
}

/// `DELETE` revoke responses (older ones leave out most fields).
pub(crate) fn revoked_key(body: &[u8]) -> Result<RevokedApiKey, DecodeFailure> {
    let wire: WireKey = serde_json::from_slice(body).map_err(|e| failure("revoke", body, &e))?;
    Ok(RevokedApiKey {
        id: key_id(&wire.id, "revoke")?,
        name: wire.name.unwrap_or_default(),
        created_at: date_time(wire.created_at.as_ref()),
        created_by: wire.created_by.and_then(WireCreator::into_id),
        last_used_at: date_time(wire.last_used_at.as_ref()),
        last_used_from_addr: addresses(wire.last_used_from_addr.as_ref()),
        revoked: wire.revoked.unwrap_or(true),
        project_id: empty_to_none(wire.project_id),
    })
}

/// `GET /auth`.
pub(crate) fn auth_details(body: &[u8]) -> Result<AuthDetails, DecodeFailure> {
    #[derive(Deserialize)]
    struct Wire {
        #[serde(default)]
        account_id: Option<String>,
        #[serde(default)]
        auth_method: Option<String>,
        #[serde(default)]
        auth_data: Option<String>,
    }
    let wire: Wire = serde_json::from_slice(body).map_err(|e| failure("auth", body, &e))?;
    Ok(AuthDetails {
        account_id: wire.account_id.unwrap_or_default(),
        auth_method: AuthMethod::from_wire(wire.auth_method.as_deref().unwrap_or("")),
        auth_data: wire.auth_data,
    })
}

/// `GET /projects/{id}`: `{"project": {...}}`.
pub(crate) fn project(body: &[u8]) -> Result<Project, DecodeFailure> {
    #[derive(Deserialize)]
    struct WireProject {
        id: String,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        org_id: Option<String>,
    }
    #[derive(Deserialize)]
    struct Wire {
        project: WireProject,
    }
    let wire: Wire = serde_json::from_slice(body).map_err(|e| failure("project", body, &e))?;
    Ok(Project {
        id: wire.project.id,
        name: wire.project.name,
        org_id: empty_to_none(wire.project.org_id),
    })
}

/// Neon's `GeneralError`.
#[derive(Deserialize)]
struct GeneralError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
}

/// The error kind of a non-2xx status. `message` decides between NotFound and OutsideProjectScope.
pub(crate) fn kind_for_status(status: u16, message: &str) -> ErrorKind {
    match status {
        401 => ErrorKind::Auth,
        403 | 404 if message.contains("outside the project") => ErrorKind::OutsideProjectScope,
        403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        408 => ErrorKind::Timeout,
        409 => ErrorKind::Conflict,
        423 => ErrorKind::Locked,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Api,
    }
}

fn cap_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max).collect();
        out.push('…');
        out
    }
}

fn header_str<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The request id of a response: the body's, else `x-neon-ret-request-id`, else `x-request-id`, else the sent one.
pub(crate) fn response_request_id(
    body_request_id: Option<&str>,
    headers: &http::HeaderMap,
    sent: &str,
) -> String {
    let id = body_request_id
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .or_else(|| header_str(headers, "x-neon-ret-request-id"))
        .or_else(|| header_str(headers, "x-request-id"))
        .unwrap_or(sent);
    cap_chars(id, MAX_FIELD_CHARS)
}

/// The error for a non-2xx response: kind by status, Neon's message verbatim (capped, scrubbed).
pub(crate) fn api_error(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    sent_request_id: &str,
) -> Error {
    let parsed: Option<GeneralError> = serde_json::from_slice(body).ok();
    let (code, message, body_request_id) = match parsed {
        Some(e) => (e.code, e.message, e.request_id),
        None => (None, None, None),
    };
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let message = match message.filter(|m| !m.trim().is_empty()) {
        Some(m) => cap_chars(&m, MAX_MESSAGE_CHARS),
        None if body.is_empty() => format!("HTTP {status} {reason} with an empty body"),
        None => format!("HTTP {status} {reason} (the response body was not a Neon error object)"),
    };
    let kind = kind_for_status(status, &message);
    let request_id = response_request_id(body_request_id.as_deref(), headers, sent_request_id);
    let mut error = Error::new(kind, message)
        .with_status(status)
        .with_request_id(request_id);
    if let Some(code) = code {
        error = error.with_code(cap_chars(&code, MAX_FIELD_CHARS));
    }
    if let Some(wait) = header_str(headers, "retry-after").and_then(crate::retry::parse_retry_after)
    {
        error = error.with_retry_after(wait);
    }
    error
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn list_parses_real_traffic_shapes() {
        let body = br#"[{"id":1954948,"name":"pytest-8050","created_at":"2025-01-16T21:01:58Z",
            "created_by":{"id":"92cdd2ee-a6d8-4647-868f-124531123b03","name":"David Gomes"},
            "last_used_at":null,"last_used_from_addr":"","extra":{"x":1}},
            {"id":"7","name":"b","created_by":"92cdd2ee","last_used_at":"2025-02-01T10:00:00.123+01:00",
            "last_used_from_addr":"113.203.180.132, 35.160.120.126","project_id":"proj-a"}]"#;
        let keys = key_list(body).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].id, 1954948);
        assert!(keys[0].last_used_at.is_none());
        assert!(keys[0].last_used_from_addr.is_empty());
        assert_eq!(
            keys[0].created_by.as_ref().unwrap().name.as_deref(),
            Some("David Gomes")
        );
        assert!(keys[0].created_by.as_ref().unwrap().image.is_none());
        assert_eq!(keys[1].id, 7);
        assert_eq!(
            keys[1].last_used_from_addr,
            vec!["113.203.180.132", "35.160.120.126"]
        );
        assert_eq!(
            keys[1].created_by.as_ref().unwrap().id.as_deref(),
            Some("92cdd2ee")
        );
        assert_eq!(keys[1].project_id.as_deref(), Some("proj-a"));
        assert!(keys[1].last_used_at.is_some());
    }

    #[test]
    fn create_without_created_by_and_secret_never_in_errors() {
        let body = br#"{"id":5,"key":"supersecretvalue0123456789","name":"n","created_at":"2025-01-16T21:01:58Z"}"#;
        let k = created_key(body).unwrap();
        assert_eq!(k.key.expose_secret(), "supersecretvalue0123456789");
        assert!(k.created_by.is_none());
        let broken = br#"{"id":"x","key":"anothersecretvalue987654321","name":5}"#;
        let err = created_key(broken).unwrap_err();
        assert!(!err.0.contains("anothersecretvalue987654321"), "{}", err.0);
        let truncated = br#"{"id":5,"key":"thirdsecretvalue1234567"#;
        let err = created_key(truncated).unwrap_err();
        assert!(!err.0.contains("thirdsecret"), "{}", err.0);
        assert!(created_key(br#"{"id":5,"name":"n"}"#).is_err());
    }

    #[test]
    fn revoke_with_few_fields() {
        let r = revoked_key(
            br#"{"id":3,"name":"x","revoked":true,"last_used_at":null,"last_used_from_addr":""}"#,
        )
        .unwrap();
        assert_eq!(r.id, 3);
        assert!(r.revoked);
        assert!(r.created_at.is_none());
    }

    #[test]
    fn errors_classified_by_status() {
        let h = http::HeaderMap::new();
        let e = api_error(404, &h, br#"{"code":"","message":"not allowed to perform actions outside the project this key is scoped to; subject_project_id:\"p\""}"#, "sent");
        assert_eq!(e.kind(), ErrorKind::OutsideProjectScope);
        assert_eq!(e.request_id(), Some("sent"));
        assert_eq!(e.code(), None);
        let e = api_error(
            404,
            &h,
            br#"{"code":"NOT_FOUND","message":"no key","request_id":"rid"}"#,
            "sent",
        );
        assert_eq!(
            (e.kind(), e.code(), e.request_id()),
            (ErrorKind::NotFound, Some("NOT_FOUND"), Some("rid"))
        );
        assert_eq!(e.message(), "no key");
        for (status, kind) in [
            (401, ErrorKind::Auth),
            (403, ErrorKind::PermissionDenied),
            (408, ErrorKind::Timeout),
            (409, ErrorKind::Conflict),
            (423, ErrorKind::Locked),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (503, ErrorKind::Server),
            (400, ErrorKind::Api),
            (418, ErrorKind::Api),
        ] {
            assert_eq!(
                api_error(status, &h, b"<html>oops</html>", "s").kind(),
                kind
            );
        }
        let e = api_error(502, &h, b"<html>bad gateway</html>", "s");
        assert!(e.message().contains("502"));
        assert!(!e.message().contains("html"));
    }

    #[test]
    fn error_request_id_from_headers_and_retry_after() {
        let mut h = http::HeaderMap::new();
        h.insert("x-request-id", http::HeaderValue::from_static("from-x"));
        assert_eq!(api_error(500, &h, b"", "s").request_id(), Some("from-x"));
        h.insert(
            "x-neon-ret-request-id",
            http::HeaderValue::from_static("from-neon"),
        );
        h.insert("retry-after", http::HeaderValue::from_static("3"));
        let e = api_error(429, &h, br#"{"message":"slow down"}"#, "s");
        assert_eq!(e.request_id(), Some("from-neon"));
        assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(3)));
    }

    #[test]
    fn error_message_is_capped_and_scrubbed() {
        crate::secret::register_secret("leakedsecret-abcdef-123");
        let long = format!(
            r#"{{"message":"{} leakedsecret-abcdef-123"}}"#,
            "x".repeat(10)
        );
        let e = api_error(400, &http::HeaderMap::new(), long.as_bytes(), "s");
        assert!(!e.message().contains("leakedsecret"));
        let huge = format!(r#"{{"message":"{}"}}"#, "y".repeat(5000));
        let e = api_error(400, &http::HeaderMap::new(), huge.as_bytes(), "s");
        assert!(e.message().chars().count() <= MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn auth_and_project() {
        let a = auth_details(br#"{"account_id":"u1","auth_method":"api_key_org"}"#).unwrap();
        assert_eq!(a.auth_method, AuthMethod::ApiKeyOrg);
        let p =
            project(br#"{"project":{"id":"proj-a","name":"A","org_id":"org-1","x":2}}"#).unwrap();
        assert_eq!(p.org_id.as_deref(), Some("org-1"));
        let p = project(br#"{"project":{"id":"proj-solo"}}"#).unwrap();
        assert!(p.org_id.is_none());
    }
}
