//! One error type for every failure, with a stable, closed [`ErrorKind`].

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// What went wrong, as a stable, closed set. Bindings map each kind to their own error class/case;
/// [`ErrorKind::as_str`] gives the stable snake_case name used across languages and in the conformance suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The caller's input was rejected before anything was sent (name length, id format, ...).
    InvalidInput,
    /// The client is misconfigured: no API key found, a bad base URL, plain http to a remote host, ...
    Config,
    /// 401: the API key is missing, invalid or revoked.
    Auth,
    /// 403: the key lacks the rights for this action (for example a non-admin managing org keys).
    PermissionDenied,
    /// 404 from a project-scoped key reaching outside its project (Neon's `subject_project_id` message).
    OutsideProjectScope,
    /// 404: the key, organization or project does not exist (or is not visible to this key).
    NotFound,
    /// 409: the request conflicts with the current state.
    Conflict,
    /// 423: the resource is locked; retried automatically.
    Locked,
    /// 429: Neon's rate limit; retried automatically, honouring `Retry-After`.
    RateLimited,
    /// 5xx from Neon.
    Server,
    /// Any other unexpected HTTP status (other 4xx).
    Api,
    /// A connect, attempt or whole-call deadline passed.
    Timeout,
    /// The connection failed (refused, reset, DNS, TLS) with no usable response.
    Network,
    /// The response could not be understood (broken JSON, missing required field).
    Decode,
    /// A create may or may not have happened (the response was lost): a live key may exist whose secret nobody saw.
    /// The error carries the key name and the time window to look for it ([`Error::outcome_unknown`]).
    OutcomeUnknown,
    /// A created key failed verification (empty secret, wrong scope); the client tried to revoke it
    /// ([`Error::verification`] tells whether that worked).
    VerificationFailed,
    /// The call was cancelled by the caller.
    Cancelled,
    /// The platform's keychain refused or failed (locked, unavailable, access denied), or its entry holds
    /// something that is not a key record of this SDK. The message names the backend.
    Keychain,
    /// A bug inside the SDK (for example a caught panic in a binding). Please report it.
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 19] = [
        ErrorKind::InvalidInput,
        ErrorKind::Config,
        ErrorKind::Auth,
        ErrorKind::PermissionDenied,
        ErrorKind::OutsideProjectScope,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Locked,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Api,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Decode,
        ErrorKind::OutcomeUnknown,
        ErrorKind::VerificationFailed,
        ErrorKind::Cancelled,
        ErrorKind::Keychain,
        ErrorKind::Internal,
    ];

    /// The stable snake_case name of the kind (`"invalid_input"`, `"outcome_unknown"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Config => "config",
            ErrorKind::Auth => "auth",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::OutsideProjectScope => "outside_project_scope",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Locked => "locked",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Api => "api",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Decode => "decode",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
            ErrorKind::VerificationFailed => "verification_failed",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Keychain => "keychain",
            ErrorKind::Internal => "internal",
        }
    }

    /// Parses a name produced by [`ErrorKind::as_str`].
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where to look for a key whose create may have succeeded although no response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OutcomeUnknown {
    /// The name the key was created with.
    pub key_name: String,
    /// The organization, for an org or project-scoped key.
    pub org_id: Option<String>,
    /// The project, for a project-scoped key.
    pub project_id: Option<String>,
    /// The key, if it exists, was created no earlier than this, on Neon's clock (measured through the `Date`
    /// header of Neon's responses, so it compares with the keys' `created_at`).
    pub not_before: SystemTime,
    /// ... and no later than this (Neon's clock).
    pub not_after: SystemTime,
    /// The live keys with this name that may be the one created, when the client looked (recovery with
    /// [`crate::ClientBuilder::reconcile_creates`]); empty when it did not look or found none.
    pub candidate_ids: Vec<i64>,
}

/// What happened to a created key that failed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verification {
    /// The id of the key that came back wrong.
    pub key_id: i64,
    /// Whether the client managed to revoke it. `false` means a live key remains: revoke it by id.
    pub revoked: bool,
}

/// The one error type of the SDK. Cheap to move (boxed). Its `Display` never contains a secret.
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    code: Option<String>,
    request_id: Option<String>,
    retry_after: Option<std::time::Duration>,
    outcome_unknown: Option<OutcomeUnknown>,
    verification: Option<Verification>,
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with a human-readable message. The message is scrubbed of anything that
    /// looks like a secret the client knows about before it is stored.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: crate::secret::scrub(&message.into()),
            status: None,
            code: None,
            request_id: None,
            retry_after: None,
            outcome_unknown: None,
            verification: None,
            source: None,
        }))
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Error {
        self.0.status = Some(status);
        self
    }

    /// Sets Neon's error code (often empty in practice; an empty code is stored as `None`).
    pub fn with_code(mut self, code: impl Into<String>) -> Error {
        let code = crate::secret::scrub(&code.into());
        self.0.code = if code.is_empty() { None } else { Some(code) };
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Error {
        self.0.request_id = Some(crate::secret::scrub(&request_id.into()));
        self
    }

    /// Sets the server's `Retry-After` hint.
    pub fn with_retry_after(mut self, wait: std::time::Duration) -> Error {
        self.0.retry_after = Some(wait);
        self
    }

    /// Appends an explanation to the message, keeping every other field.
    pub(crate) fn with_hint(mut self, hint: &str) -> Error {
        self.0.message = crate::secret::scrub(&format!("{} ({hint})", self.0.message));
        self
    }

    /// The same error with another message and kind (status, code, request id and details kept).
    pub(crate) fn reworded(mut self, kind: ErrorKind, message: impl Into<String>) -> Error {
        self.0.kind = kind;
        self.0.message = crate::secret::scrub(&message.into());
        self
    }

    /// Attaches the outcome-unknown details.
    pub fn with_outcome_unknown(mut self, details: OutcomeUnknown) -> Error {
        self.0.outcome_unknown = Some(details);
        self
    }

    /// Attaches the verification details.
    pub fn with_verification(mut self, details: Verification) -> Error {
        self.0.verification = Some(details);
        self
    }

    /// Attaches an underlying cause (never one whose text could contain a secret).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// The stable kind.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message: Neon's own message verbatim for API errors, else the SDK's explanation.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// Neon's error code, when non-empty.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// The request id: from the error body, else `x-neon-ret-request-id`, else the `X-Request-ID` sent.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The server's `Retry-After` hint, if one came.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.0.retry_after
    }

    /// For [`ErrorKind::OutcomeUnknown`]: the name and time window of the key that may exist.
    pub fn outcome_unknown(&self) -> Option<&OutcomeUnknown> {
        self.0.outcome_unknown.as_ref()
    }

    /// For [`ErrorKind::VerificationFailed`]: the key id and whether it was revoked.
    pub fn verification(&self) -> Option<&Verification> {
        self.0.verification.as_ref()
    }

    /// The texts of the chain of underlying causes ([`std::error::Error::source`], then theirs), each
    /// scrubbed of secrets, at most [`Error::MAX_CAUSES`] of them: what bindings show as a cause chain.
    pub fn causes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            if out.len() == Self::MAX_CAUSES {
                break;
            }
            out.push(crate::secret::scrub(&cause.to_string()));
            next = cause.source();
        }
        out
    }

    /// The most causes [`Error::causes`] returns.
    pub const MAX_CAUSES: usize = 8;

    /// Whether retrying the same call later might succeed (rate limits, locks, server and network trouble).
    pub fn is_transient(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::RateLimited
                | ErrorKind::Locked
                | ErrorKind::Server
                | ErrorKind::Timeout
                | ErrorKind::Network
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.kind)?;
        if let Some(status) = self.0.status {
            write!(f, " (HTTP {status})")?;
        }
        write!(f, ": {}", self.0.message)?;
        if let Some(id) = &self.0.request_id {
            write!(f, " [request_id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("status", &self.0.status)
            .field("code", &self.0.code)
            .field("request_id", &self.0.request_id)
            .field("outcome_unknown", &self.0.outcome_unknown)
            .field("verification", &self.0.verification)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug)]
    struct Chain(usize, Option<Box<Chain>>, String);

    impl fmt::Display for Chain {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "cause {} {}", self.0, self.2)
        }
    }

    impl std::error::Error for Chain {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1
                .as_deref()
                .map(|c| c as &(dyn std::error::Error + 'static))
        }
    }

    #[test]
    fn causes_are_scrubbed_and_capped() {
        let secret = crate::ApiKeySecret::new("cause-secret-0123456789");
        let mut chain = Chain(11, None, String::new());
        for n in (0..11).rev() {
            let text = if n == 1 {
                secret.expose_secret().to_string()
            } else {
                String::new()
            };
            chain = Chain(n, Some(Box::new(chain)), text);
        }
        let error = Error::new(ErrorKind::Network, "outer").with_source(chain);
        let causes = error.causes();
        assert_eq!(causes.len(), Error::MAX_CAUSES);
        assert_eq!(causes[0], "cause 0 ");
        assert_eq!(causes[1], "cause 1 [REDACTED]");
        assert!(Error::new(ErrorKind::Api, "x").causes().is_empty());
    }
}
