//! The core's `Error` as one record ([`FfiErrorDetails`]) that the Swift layer turns into `NeonError`, and
//! [`FfiError`], the error every bridge call throws.

use crate::rotation::FfiStoreFailure;
use crate::units::FfiDuration;
use neon_api_keys::{Error, ErrorKind};
use std::fmt;
use std::time::SystemTime;

/// The core's `ErrorKind`, one case per kind (Swift: `NeonErrorKind`).
#[derive(uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FfiErrorKind {
    /// The input was rejected before anything was sent.
    InvalidInput,
    /// The client is misconfigured.
    Config,
    /// 401: the API key is missing, invalid or revoked.
    Auth,
    /// 403: the key lacks the rights for this action.
    PermissionDenied,
    /// 404 from a project-scoped key reaching outside its project.
    OutsideProjectScope,
    /// 404: not found (or not visible to this key).
    NotFound,
    /// 409: conflicts with the current state.
    Conflict,
    /// 423: locked.
    Locked,
    /// 429: rate limited.
    RateLimited,
    /// 5xx.
    Server,
    /// Any other unexpected HTTP status.
    Api,
    /// A deadline passed.
    Timeout,
    /// The connection failed.
    Network,
    /// The response could not be understood.
    Decode,
    /// A create may or may not have happened.
    OutcomeUnknown,
    /// A created key failed verification.
    VerificationFailed,
    /// The call was cancelled.
    Cancelled,
    /// The platform's keychain refused, is unavailable, or holds something that is not a key record.
    Keychain,
    /// A bug inside the SDK.
    Internal,
}

impl FfiErrorKind {
    /// The core's kind, or `None` for a kind this binding does not know yet.
    fn from_core(kind: ErrorKind) -> Option<FfiErrorKind> {
        Some(match kind {
            ErrorKind::InvalidInput => FfiErrorKind::InvalidInput,
            ErrorKind::Config => FfiErrorKind::Config,
            ErrorKind::Auth => FfiErrorKind::Auth,
            ErrorKind::PermissionDenied => FfiErrorKind::PermissionDenied,
            ErrorKind::OutsideProjectScope => FfiErrorKind::OutsideProjectScope,
            ErrorKind::NotFound => FfiErrorKind::NotFound,
            ErrorKind::Conflict => FfiErrorKind::Conflict,
            ErrorKind::Locked => FfiErrorKind::Locked,
            ErrorKind::RateLimited => FfiErrorKind::RateLimited,
            ErrorKind::Server => FfiErrorKind::Server,
            ErrorKind::Api => FfiErrorKind::Api,
            ErrorKind::Timeout => FfiErrorKind::Timeout,
            ErrorKind::Network => FfiErrorKind::Network,
            ErrorKind::Decode => FfiErrorKind::Decode,
            ErrorKind::OutcomeUnknown => FfiErrorKind::OutcomeUnknown,
            ErrorKind::VerificationFailed => FfiErrorKind::VerificationFailed,
            ErrorKind::Cancelled => FfiErrorKind::Cancelled,
            ErrorKind::Keychain => FfiErrorKind::Keychain,
            ErrorKind::Internal => FfiErrorKind::Internal,
            _ => return None,
        })
    }

    /// The core's kind.
    fn to_core(self) -> ErrorKind {
        match self {
            FfiErrorKind::InvalidInput => ErrorKind::InvalidInput,
            FfiErrorKind::Config => ErrorKind::Config,
            FfiErrorKind::Auth => ErrorKind::Auth,
            FfiErrorKind::PermissionDenied => ErrorKind::PermissionDenied,
            FfiErrorKind::OutsideProjectScope => ErrorKind::OutsideProjectScope,
            FfiErrorKind::NotFound => ErrorKind::NotFound,
            FfiErrorKind::Conflict => ErrorKind::Conflict,
            FfiErrorKind::Locked => ErrorKind::Locked,
            FfiErrorKind::RateLimited => ErrorKind::RateLimited,
            FfiErrorKind::Server => ErrorKind::Server,
            FfiErrorKind::Api => ErrorKind::Api,
            FfiErrorKind::Timeout => ErrorKind::Timeout,
            FfiErrorKind::Network => ErrorKind::Network,
            FfiErrorKind::Decode => ErrorKind::Decode,
            FfiErrorKind::OutcomeUnknown => ErrorKind::OutcomeUnknown,
            FfiErrorKind::VerificationFailed => ErrorKind::VerificationFailed,
            FfiErrorKind::Cancelled => ErrorKind::Cancelled,
            FfiErrorKind::Keychain => ErrorKind::Keychain,
            FfiErrorKind::Internal => ErrorKind::Internal,
        }
    }
}

/// The stable snake_case name of `kind`, the same in every language (`"not_found"`, ...).
#[uniffi::export]
pub fn ffi_error_kind_name(kind: FfiErrorKind) -> String {
    kind.to_core().as_str().to_string()
}

/// Every kind of the core, in its order (a Swift test compares it with `NeonErrorKind.allCases`).
#[uniffi::export]
pub fn ffi_error_kinds() -> Vec<String> {
    ErrorKind::ALL
        .iter()
        .map(|kind| kind.as_str().to_string())
        .collect()
}

/// The core's text of an error with these fields (`kind (HTTP status): message [request_id …]`), for a
/// `NeonError` made in Swift.
#[uniffi::export]
pub fn ffi_error_description(
    kind: FfiErrorKind,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
) -> String {
    let mut error = Error::new(kind.to_core(), message);
    if let Some(status) = status {
        error = error.with_status(status);
    }
    if let Some(request_id) = request_id {
        error = error.with_request_id(request_id);
    }
    error.to_string()
}

/// Where to look for a key whose create may have succeeded although no response arrived.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiOutcomeUnknown {
    /// The name the key was created with.
    pub key_name: String,
    /// The organization, for an organization or project-scoped key.
    pub org_id: Option<String>,
    /// The project, for a project-scoped key.
    pub project_id: Option<String>,
    /// The key, if it exists, was created no earlier than this (Neon's clock).
    pub not_before: SystemTime,
    /// ... and no later than this (Neon's clock).
    pub not_after: SystemTime,
    /// Live keys with this name that may be the one created, when the client looked.
    pub candidate_ids: Vec<i64>,
}

/// What happened to a created key that failed verification.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiVerification {
    /// The id of the key that came back wrong.
    pub key_id: i64,
    /// Whether the client revoked it.
    pub revoked: bool,
}

/// Every field of a core `Error`.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiErrorDetails {
    /// The kind.
    pub kind: FfiErrorKind,
    /// The message (never a secret).
    pub message: String,
    /// The core's `Display` text: `kind (HTTP status): message [request_id …]`.
    pub description: String,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// Neon's error code, when non-empty.
    pub code: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// The server's `Retry-After` hint.
    pub retry_after: Option<FfiDuration>,
    /// For `OutcomeUnknown`: the key to look for.
    pub outcome_unknown: Option<FfiOutcomeUnknown>,
    /// For `VerificationFailed`: the key and whether it was revoked.
    pub verification: Option<FfiVerification>,
    /// The underlying causes, scrubbed (`Error::causes`).
    pub causes: Vec<String>,
}

impl From<Error> for FfiErrorDetails {
    fn from(error: Error) -> FfiErrorDetails {
        let (kind, message) = match FfiErrorKind::from_core(error.kind()) {
            Some(kind) => (kind, error.message().to_string()),
            // A kind added to the core after this binding: keep its name in the message.
            None => (
                FfiErrorKind::Internal,
                format!("{}: {}", error.kind(), error.message()),
            ),
        };
        FfiErrorDetails {
            kind,
            message,
            description: error.to_string(),
            status: error.status(),
            code: error.code().map(str::to_string),
            request_id: error.request_id().map(str::to_string),
            retry_after: error.retry_after().map(FfiDuration::from),
            outcome_unknown: error.outcome_unknown().map(|d| FfiOutcomeUnknown {
                key_name: d.key_name.clone(),
                org_id: d.org_id.clone(),
                project_id: d.project_id.clone(),
                not_before: d.not_before,
                not_after: d.not_after,
                candidate_ids: d.candidate_ids.clone(),
            }),
            verification: error.verification().map(|v| FfiVerification {
                key_id: v.key_id,
                revoked: v.revoked,
            }),
            causes: error.causes(),
        }
    }
}

/// The error of every bridge call.
#[derive(uniffi::Error, Debug, Clone, PartialEq, Eq)]
pub enum FfiError {
    /// The SDK's own error.
    Neon {
        /// Its fields.
        error: FfiErrorDetails,
    },
    /// A rotation's store threw (only rotations): the Swift layer rethrows the store's own error.
    StoreFailed {
        /// What happened to the new key.
        failure: FfiStoreFailure,
    },
}

impl FfiError {
    /// An `Internal` error with only a message.
    pub(crate) fn internal(message: &str) -> FfiError {
        Error::new(ErrorKind::Internal, message).into()
    }
}

impl From<Error> for FfiError {
    fn from(error: Error) -> FfiError {
        FfiError::Neon {
            error: error.into(),
        }
    }
}

impl fmt::Display for FfiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FfiError::Neon { error } => f.write_str(&error.description),
            FfiError::StoreFailed { failure } => f.write_str(&failure.note),
        }
    }
}

impl std::error::Error for FfiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn every_core_kind_has_its_own_case_and_name() {
        for kind in ErrorKind::ALL {
            let details = FfiErrorDetails::from(Error::new(kind, "m").with_status(418));
            assert_eq!(ffi_error_kind_name(details.kind), kind.as_str());
            assert_eq!(details.message, "m");
        }
        assert_eq!(ffi_error_kinds().len(), ErrorKind::ALL.len());
    }

    #[test]
    fn details_carry_the_core_text_and_fields() {
        let error = Error::new(ErrorKind::RateLimited, "slow down")
            .with_status(429)
            .with_request_id("r-1")
            .with_retry_after(Duration::from_millis(1500));
        let details = FfiErrorDetails::from(error);
        assert_eq!(
            details.description,
            "rate_limited (HTTP 429): slow down [request_id r-1]"
        );
        assert_eq!(
            details.retry_after,
            Some(FfiDuration {
                seconds: 1,
                nanoseconds: 500_000_000
            })
        );
        assert_eq!(
            ffi_error_description(
                FfiErrorKind::NotFound,
                "gone".into(),
                Some(404),
                Some("r".into())
            ),
            "not_found (HTTP 404): gone [request_id r]"
        );
    }
}
