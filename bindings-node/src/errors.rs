//! Core [`Error`] → JavaScript error. Each failed call rejects with a JS `Error` whose `code` is the stable
//! `NEON_<KIND>` name and whose `neon` property holds an [`ErrorInfo`]; the JS layer turns that into the
//! matching `NeonError` subclass. Messages come from the core, which never puts a secret in them. A rotation
//! whose store failed rejects with kind [`STORE_FAILED_KIND`] instead (see [`crate::rotation`]).

use crate::MAX_SAFE_INTEGER;
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{JsObjectValue, JsValue, Object};
use napi::{Env, Status};
use napi_derive::napi;
use neon_api_keys::{Error, ErrorKind};

/// The stable JS error code of a kind: `NEON_` + the core's `as_str` in upper case (`NEON_NOT_FOUND`).
pub fn error_code(kind: ErrorKind) -> String {
    format!("NEON_{}", kind.as_str().to_ascii_uppercase())
}

/// Where to look for a key whose create may have happened although no response arrived
/// (kind `outcome_unknown`).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct OutcomeUnknownInfo {
    /// The name the key was created with.
    pub key_name: String,
    /// The organization, for an organization or project-scoped key.
    pub org_id: Option<String>,
    /// The project, for a project-scoped key.
    pub project_id: Option<String>,
    /// The key, if it exists, was created no earlier than this.
    pub not_before: DateTime<Utc>,
    /// ... and no later than this. Both are on Neon's clock, so they compare with the keys' `createdAt`.
    pub not_after: DateTime<Utc>,
    /// The live keys with this name that may be the one created, when the client looked (`reconcileCreates`);
    /// empty when it did not look or found none.
    pub candidate_ids: Vec<i64>,
}

/// What happened to a created key that failed verification (kind `verification_failed`).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct VerificationInfo {
    /// The id of the key that came back wrong; `null` when a JS number cannot hold it exactly (past
    /// `Number.MAX_SAFE_INTEGER`: the message names it).
    pub key_id: Option<i64>,
    /// Whether the client revoked it; `false` means a live key remains: revoke it by id.
    pub revoked: bool,
}

/// Everything the core knows about a failure, in JS shape.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct ErrorInfo {
    /// The core's stable kind name (`"not_found"`, `"outcome_unknown"`, ...).
    pub kind: String,
    /// The stable JS code (`"NEON_NOT_FOUND"`, ...).
    pub code: String,
    /// The core's description: kind, HTTP status, Neon's message, request id. Never a secret.
    pub message: String,
    /// The HTTP status, when a response arrived.
    pub status: Option<u32>,
    /// Neon's own error code, when non-empty.
    pub neon_code: Option<String>,
    /// The request id (from the body, `x-neon-ret-request-id`, or the `X-Request-ID` sent).
    pub request_id: Option<String>,
    /// The server's `Retry-After` hint in whole milliseconds (rounded down), if one came.
    pub retry_after_ms: Option<f64>,
    /// For `outcome_unknown`: the key that may exist.
    pub outcome_unknown: Option<OutcomeUnknownInfo>,
    /// For `verification_failed`: the key and whether it was revoked.
    pub verification: Option<VerificationInfo>,
    /// The texts of the core error's source chain (the I/O, TLS or parse error underneath), outermost first,
    /// each scrubbed of known secrets (`Error::causes`); empty when the error has no source. The JS layer
    /// chains them as `cause`.
    pub causes: Vec<String>,
}

/// `id` when a JS number holds it exactly, else `None`.
fn exact_in_js(id: i64) -> Option<i64> {
    (id.unsigned_abs() <= MAX_SAFE_INTEGER.unsigned_abs()).then_some(id)
}

impl From<&Error> for ErrorInfo {
    fn from(error: &Error) -> Self {
        ErrorInfo {
            kind: error.kind().as_str().to_owned(),
            code: error_code(error.kind()),
            message: error.to_string(),
            status: error.status().map(u32::from),
            neon_code: error.code().map(str::to_owned),
            request_id: error.request_id().map(str::to_owned),
            retry_after_ms: error.retry_after().map(|wait| wait.as_millis() as f64),
            outcome_unknown: error.outcome_unknown().map(|o| OutcomeUnknownInfo {
                key_name: o.key_name.clone(),
                org_id: o.org_id.clone(),
                project_id: o.project_id.clone(),
                not_before: DateTime::<Utc>::from(o.not_before),
                not_after: DateTime::<Utc>::from(o.not_after),
                candidate_ids: o.candidate_ids.clone(),
            }),
            verification: error.verification().map(|v| VerificationInfo {
                key_id: exact_in_js(v.key_id),
                revoked: v.revoked,
            }),
            causes: error.causes(),
        }
    }
}

/// An `invalid_input` error raised while translating JS arguments (a non-integer id, a negative timeout).
pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// An error a native call rejects with, as the JS value it becomes.
pub(crate) trait IntoJsError: Send + 'static {
    /// The JS error (built on the JS thread).
    fn into_js_error(self, env: &Env) -> napi::Error;
}

impl IntoJsError for Error {
    fn into_js_error(self, env: &Env) -> napi::Error {
        to_js_error(env, &self)
    }
}

/// Builds the JS `Error` for a core error: `message` from the core, `code` = `NEON_<KIND>`, `neon` = [`ErrorInfo`].
/// Throwing or rejecting with the returned value hands that very object to JavaScript.
pub(crate) fn to_js_error(env: &Env, error: &Error) -> napi::Error {
    build_js_error(env, error).unwrap_or_else(|_| {
        napi::Error::new(
            Status::GenericFailure,
            format!("{}: {error}", error_code(error.kind())),
        )
    })
}

fn build_js_error(env: &Env, error: &Error) -> napi::Result<napi::Error> {
    js_error_with(env, ErrorInfo::from(error))
}

/// A JS `Error` with `info.message`, `code` = `info.code` and `neon` = `info`.
fn js_error_with(env: &Env, info: ErrorInfo) -> napi::Result<napi::Error> {
    let mut object: Object = env.create_error(napi::Error::new(
        Status::GenericFailure,
        info.message.clone(),
    ))?;
    object.set_named_property("code", info.code.clone())?;
    object.set_named_property("neon", info)?;
    Ok(napi::Error::from(object.to_unknown()))
}

/// The kind of the JS error a rotation rejects with when the caller's store failed. It is no core kind: the
/// JS layer rethrows the store's own error (kept in JS) and attaches `message`, the core's `store_note`.
pub const STORE_FAILED_KIND: &str = "store";

/// Builds the JS error of a failed store: kind [`STORE_FAILED_KIND`], `message` = `note` (what happened to the
/// new key), `code` `NEON_STORE`, and `why` (how the store failed, as the native side saw it) as its one cause.
pub(crate) fn store_failed_js_error(env: &Env, note: String, why: String) -> napi::Error {
    let info = ErrorInfo {
        kind: STORE_FAILED_KIND.to_owned(),
        code: format!("NEON_{}", STORE_FAILED_KIND.to_ascii_uppercase()),
        message: note.clone(),
        status: None,
        neon_code: None,
        request_id: None,
        retry_after_ms: None,
        outcome_unknown: None,
        verification: None,
        causes: vec![why],
    };
    js_error_with(env, info)
        .unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, format!("NEON_STORE: {note}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_snake_with_prefix() {
        assert_eq!(error_code(ErrorKind::NotFound), "NEON_NOT_FOUND");
        assert_eq!(
            error_code(ErrorKind::OutcomeUnknown),
            "NEON_OUTCOME_UNKNOWN"
        );
        for kind in ErrorKind::ALL {
            let code = error_code(kind);
            assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
        }
    }

    #[test]
    fn info_carries_every_field() {
        let error = Error::new(ErrorKind::RateLimited, "slow down")
            .with_status(429)
            .with_code("RATE")
            .with_request_id("req-1")
            .with_retry_after(std::time::Duration::from_millis(1500));
        let info = ErrorInfo::from(&error);
        assert_eq!(info.kind, "rate_limited");
        assert_eq!(info.code, "NEON_RATE_LIMITED");
        assert_eq!(info.status, Some(429));
        assert_eq!(info.neon_code.as_deref(), Some("RATE"));
        assert_eq!(info.request_id.as_deref(), Some("req-1"));
        assert_eq!(info.retry_after_ms, Some(1500.0));
        assert!(info.message.contains("slow down"));
        assert!(info.causes.is_empty());
    }

    #[test]
    fn verification_ids_are_exact_or_null() {
        assert_eq!(exact_in_js(5000), Some(5000));
        assert_eq!(exact_in_js(MAX_SAFE_INTEGER), Some(MAX_SAFE_INTEGER));
        assert_eq!(exact_in_js(-MAX_SAFE_INTEGER), Some(-MAX_SAFE_INTEGER));
        assert_eq!(exact_in_js(MAX_SAFE_INTEGER + 2), None);
        assert_eq!(exact_in_js(i64::MIN), None);
    }
}
