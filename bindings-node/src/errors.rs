//! Core [`Error`] → JavaScript error. Each failed call rejects with a JS `Error` whose `code` is the stable
//! `NEON_<KIND>` name and whose `neon` property holds an [`ErrorInfo`]; the JS layer turns that into the
//! matching `NeonError` subclass. Messages come from the core, which never puts a secret in them.

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
    /// ... and no later than this.
    pub not_after: DateTime<Utc>,
}

/// What happened to a created key that failed verification (kind `verification_failed`).
#[napi(object, object_from_js = false)]
pub struct VerificationInfo {
    /// The id of the key that came back wrong.
    pub key_id: i64,
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
    /// each scrubbed of known secrets; empty when the error has no source. The JS layer chains them as `cause`.
    pub causes: Vec<String>,
}

/// How many links of a core error's source chain become `cause` errors.
const MAX_CAUSES: usize = 8;

/// The scrubbed text of each link of `error`'s source chain, outermost first (at most [`MAX_CAUSES`]).
fn cause_texts(error: &Error) -> Vec<String> {
    let mut texts = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if texts.len() == MAX_CAUSES {
            break;
        }
        texts.push(neon_api_keys::scrub(&cause.to_string()));
        source = cause.source();
    }
    texts
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
            }),
            verification: error.verification().map(|v| VerificationInfo {
                key_id: v.key_id,
                revoked: v.revoked,
            }),
            causes: cause_texts(error),
        }
    }
}

/// An `invalid_input` error raised while translating JS arguments (a non-integer id, a negative timeout).
pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
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
    let info = ErrorInfo::from(error);
    let mut object: Object = env.create_error(napi::Error::new(
        Status::GenericFailure,
        info.message.clone(),
    ))?;
    object.set_named_property("code", info.code.clone())?;
    object.set_named_property("neon", info)?;
    Ok(napi::Error::from(object.to_unknown()))
}

/// A stand-in for the I/O or TLS error under a core error: a text and an optional source.
#[derive(Debug)]
struct TestCause {
    text: String,
    source: Option<Box<TestCause>>,
}

impl std::fmt::Display for TestCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for TestCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// A core error of `kind` with `message` whose source chain has these texts (outermost first).
fn error_with_causes(kind: &str, message: String, causes: Vec<String>) -> Error {
    let kind = ErrorKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .unwrap_or(ErrorKind::Internal);
    let chain = causes.into_iter().rev().fold(None, |source, text| {
        Some(Box::new(TestCause { text, source }))
    });
    let error = Error::new(kind, message);
    match chain {
        Some(cause) => error.with_source(*cause),
        None => error,
    }
}

/// Testing only: the native error (as a rejected call would produce it) for a core error of `kind` whose source
/// chain has these texts, so the tests can check how `cause` is built. Never called by the package itself.
#[napi(js_name = "__errorForTests")]
pub fn error_for_tests(
    env: Env,
    kind: String,
    message: String,
    causes: Vec<String>,
) -> napi::Error {
    to_js_error(&env, &error_with_causes(&kind, message, causes))
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
    fn causes_follow_the_source_chain_scrubbed() {
        let secret = format!("cause-sentinel-{}", "k".repeat(49));
        neon_api_keys::register_secret(&secret);
        let error = error_with_causes(
            "network",
            "could not connect".to_owned(),
            vec![
                "client error (Connect)".to_owned(),
                format!("tcp connect error: {secret}"),
                "Connection refused (os error 111)".to_owned(),
            ],
        );
        assert_eq!(error.kind(), ErrorKind::Network);
        let info = ErrorInfo::from(&error);
        assert_eq!(
            info.causes,
            [
                "client error (Connect)",
                "tcp connect error: [REDACTED]",
                "Connection refused (os error 111)"
            ]
        );
    }
}
