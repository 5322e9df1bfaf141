//! [`NeonError`]: the core's `Error`, one Swift enum case per `ErrorKind`.

use neon_api_keys::{Error, ErrorKind};
use std::fmt;
use std::time::{Duration, SystemTime};

/// The longest `retryAfter` handed to Swift (about 136 years; the core clamps far lower).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(u32::MAX as u64);

/// Where to look for a key whose create may have succeeded although no response arrived
/// (carried by [`NeonError::OutcomeUnknown`]).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct OutcomeUnknownDetails {
    /// The name the key was created with.
    pub key_name: String,
    /// The organization, for an organization or project-scoped key.
    pub org_id: Option<String>,
    /// The project, for a project-scoped key.
    pub project_id: Option<String>,
    /// The key, if it exists, was created no earlier than this.
    pub not_before: SystemTime,
    /// ... and no later than this.
    pub not_after: SystemTime,
}

/// What happened to a created key that failed verification (carried by [`NeonError::VerificationFailed`]).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct VerificationDetails {
    /// The id of the key that came back wrong.
    pub key_id: i64,
    /// Whether the client managed to revoke it. `false` means a live key remains: revoke it by id.
    pub revoked: bool,
}

/// Every failure of the SDK. Each case is one stable error kind and carries the same fields:
/// `message` (Neon's message verbatim for API errors, else the SDK's explanation; never a secret),
/// `status` (the HTTP status when a response arrived), `code` (Neon's error code when non-empty),
/// `requestId` (quote it to Neon support) and `retryAfter` (the server's hint, in seconds).
#[derive(uniffi::Error, Debug, Clone, PartialEq)]
pub enum NeonError {
    /// The input was rejected before anything was sent (name length, id format, ...).
    InvalidInput {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// The client is misconfigured: no API key found, a bad base URL, plain http to a remote host, ...
    Config {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 401: the API key is missing, invalid or revoked.
    Auth {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 403: the key lacks the rights for this action.
    PermissionDenied {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 404 from a project-scoped key reaching outside its project.
    OutsideProjectScope {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 404: the key, organization or project does not exist (or is not visible to this key).
    NotFound {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 409: the request conflicts with the current state.
    Conflict {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 423: the resource is locked (already retried).
    Locked {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 429: Neon's rate limit (already retried, honouring `Retry-After`).
    RateLimited {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// 5xx from Neon.
    Server {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// Any other unexpected HTTP status.
    Api {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// A connect, attempt or whole-call deadline passed.
    Timeout {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// The connection failed (refused, reset, DNS, TLS) with no usable response.
    Network {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// The response could not be understood.
    Decode {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// A create may or may not have happened: a live key may exist whose secret nobody saw.
    /// `details` names the key and the time window to look for it in.
    OutcomeUnknown {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
        /// The key name and creation window to look for.
        details: Option<OutcomeUnknownDetails>,
    },
    /// A created key failed verification (empty secret, wrong scope); `verification` tells whether the
    /// client managed to revoke it.
    VerificationFailed {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
        /// The key id and whether it was revoked.
        verification: Option<VerificationDetails>,
    },
    /// The call was cancelled (through a `CancellationToken`, for example by Swift task cancellation).
    Cancelled {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
    /// A bug inside the SDK (for example a caught panic). Please report it.
    Internal {
        /// What was wrong.
        message: String,
        /// HTTP status, if a response arrived.
        status: Option<u16>,
        /// Neon's error code, if non-empty.
        code: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// The server's `Retry-After` hint.
        retry_after: Option<Duration>,
    },
}

impl NeonError {
    /// An [`NeonError::Internal`] with only a message.
    pub(crate) fn internal(message: String) -> NeonError {
        NeonError::Internal {
            message,
            status: None,
            code: None,
            request_id: None,
            retry_after: None,
        }
    }

    /// The stable snake_case kind name shared by every language (`"not_found"`, ...).
    pub fn kind_name(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The core kind of this error.
    fn kind(&self) -> ErrorKind {
        match self {
            NeonError::InvalidInput { .. } => ErrorKind::InvalidInput,
            NeonError::Config { .. } => ErrorKind::Config,
            NeonError::Auth { .. } => ErrorKind::Auth,
            NeonError::PermissionDenied { .. } => ErrorKind::PermissionDenied,
            NeonError::OutsideProjectScope { .. } => ErrorKind::OutsideProjectScope,
            NeonError::NotFound { .. } => ErrorKind::NotFound,
            NeonError::Conflict { .. } => ErrorKind::Conflict,
            NeonError::Locked { .. } => ErrorKind::Locked,
            NeonError::RateLimited { .. } => ErrorKind::RateLimited,
            NeonError::Server { .. } => ErrorKind::Server,
            NeonError::Api { .. } => ErrorKind::Api,
            NeonError::Timeout { .. } => ErrorKind::Timeout,
            NeonError::Network { .. } => ErrorKind::Network,
            NeonError::Decode { .. } => ErrorKind::Decode,
            NeonError::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
            NeonError::VerificationFailed { .. } => ErrorKind::VerificationFailed,
            NeonError::Cancelled { .. } => ErrorKind::Cancelled,
            NeonError::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// The message.
    fn message(&self) -> &str {
        match self {
            NeonError::InvalidInput { message, .. }
            | NeonError::Config { message, .. }
            | NeonError::Auth { message, .. }
            | NeonError::PermissionDenied { message, .. }
            | NeonError::OutsideProjectScope { message, .. }
            | NeonError::NotFound { message, .. }
            | NeonError::Conflict { message, .. }
            | NeonError::Locked { message, .. }
            | NeonError::RateLimited { message, .. }
            | NeonError::Server { message, .. }
            | NeonError::Api { message, .. }
            | NeonError::Timeout { message, .. }
            | NeonError::Network { message, .. }
            | NeonError::Decode { message, .. }
            | NeonError::OutcomeUnknown { message, .. }
            | NeonError::VerificationFailed { message, .. }
            | NeonError::Cancelled { message, .. }
            | NeonError::Internal { message, .. } => message,
        }
    }
}

impl fmt::Display for NeonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind_name(), self.message())
    }
}

impl std::error::Error for NeonError {}

impl From<Error> for NeonError {
    fn from(error: Error) -> NeonError {
        let message = error.message().to_string();
        let status = error.status();
        let code = error.code().map(str::to_string);
        let request_id = error.request_id().map(str::to_string);
        // Swift receives a `TimeInterval` and uniffi traps when one above `Int64.max` seconds comes back
        // through the FFI (for example via `error.info`), so keep the hint representable.
        let retry_after = error.retry_after().map(|wait| wait.min(MAX_RETRY_AFTER));
        macro_rules! case {
            ($variant:ident) => {
                NeonError::$variant {
                    message,
                    status,
                    code,
                    request_id,
                    retry_after,
                }
            };
        }
        match error.kind() {
            ErrorKind::InvalidInput => case!(InvalidInput),
            ErrorKind::Config => case!(Config),
            ErrorKind::Auth => case!(Auth),
            ErrorKind::PermissionDenied => case!(PermissionDenied),
            ErrorKind::OutsideProjectScope => case!(OutsideProjectScope),
            ErrorKind::NotFound => case!(NotFound),
            ErrorKind::Conflict => case!(Conflict),
            ErrorKind::Locked => case!(Locked),
            ErrorKind::RateLimited => case!(RateLimited),
            ErrorKind::Server => case!(Server),
            ErrorKind::Api => case!(Api),
            ErrorKind::Timeout => case!(Timeout),
            ErrorKind::Network => case!(Network),
            ErrorKind::Decode => case!(Decode),
            ErrorKind::OutcomeUnknown => NeonError::OutcomeUnknown {
                message,
                status,
                code,
                request_id,
                retry_after,
                details: error.outcome_unknown().map(|d| OutcomeUnknownDetails {
                    key_name: d.key_name.clone(),
                    org_id: d.org_id.clone(),
                    project_id: d.project_id.clone(),
                    not_before: d.not_before,
                    not_after: d.not_after,
                }),
            },
            ErrorKind::VerificationFailed => NeonError::VerificationFailed {
                message,
                status,
                code,
                request_id,
                retry_after,
                verification: error.verification().map(|v| VerificationDetails {
                    key_id: v.key_id,
                    revoked: v.revoked,
                }),
            },
            ErrorKind::Cancelled => case!(Cancelled),
            ErrorKind::Internal => case!(Internal),
            // A kind added to the core after this binding: keep its name in the message.
            other => NeonError::Internal {
                message: format!("{other}: {message}"),
                status,
                code,
                request_id,
                retry_after,
            },
        }
    }
}

/// The fields every [`NeonError`] case carries, in one record (in Swift: `error.info`, and the shortcuts
/// `error.kindName`, `error.message`, `error.status`, `error.code`, `error.requestId`, `error.retryAfter`).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct NeonErrorInfo {
    /// The stable snake_case kind name, the same in every language of neon-api-keys (`"not_found"`, ...).
    pub kind: String,
    /// The message (never a secret).
    pub message: String,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// Neon's error code, when non-empty.
    pub code: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// The server's `Retry-After` hint.
    pub retry_after: Option<Duration>,
}

/// The fields common to every case of `error`.
#[uniffi::export]
pub fn neon_error_info(error: NeonError) -> NeonErrorInfo {
    let kind = error.kind_name().to_string();
    let (message, status, code, request_id, retry_after) = match error {
        NeonError::InvalidInput {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Config {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Auth {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::PermissionDenied {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::OutsideProjectScope {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::NotFound {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Conflict {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Locked {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::RateLimited {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Server {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Api {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Timeout {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Network {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Decode {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::OutcomeUnknown {
            message,
            status,
            code,
            request_id,
            retry_after,
            ..
        }
        | NeonError::VerificationFailed {
            message,
            status,
            code,
            request_id,
            retry_after,
            ..
        }
        | NeonError::Cancelled {
            message,
            status,
            code,
            request_id,
            retry_after,
        }
        | NeonError::Internal {
            message,
            status,
            code,
            request_id,
            retry_after,
        } => (message, status, code, request_id, retry_after),
    };
    NeonErrorInfo {
        kind,
        message,
        status,
        code,
        request_id,
        retry_after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_stays_representable_in_swift() {
        let error = NeonError::from(
            Error::new(ErrorKind::RateLimited, "m").with_retry_after(Duration::from_secs(u64::MAX)),
        );
        assert_eq!(neon_error_info(error).retry_after, Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn every_core_kind_maps_to_its_own_case() {
        for kind in ErrorKind::ALL {
            let error = NeonError::from(Error::new(kind, "m").with_status(418));
            assert_eq!(error.kind_name(), kind.as_str());
        }
    }
}
