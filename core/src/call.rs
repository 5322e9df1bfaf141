//! Per-call options: deadline, request id, cancellation.

use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Options for the calls made through [`crate::Client::with_options`]. Every field is optional; unset
/// fields fall back to the client's configuration.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
#[must_use]
pub struct CallOptions {
    /// Deadline for the whole call, retries and waits included.
    pub timeout: Option<Duration>,
    /// The `X-Request-ID` to send (else a fresh UUID per call). Neon uses it as the request id.
    pub request_id: Option<String>,
    /// Cancels the call (in flight or waiting) when triggered; the call then fails with `ErrorKind::Cancelled`.
    pub cancellation: Option<CancellationToken>,
    /// Overrides the client's maximum number of retries.
    pub max_retries: Option<u32>,
}

impl CallOptions {
    /// Empty options.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }

    /// Sets the whole-call deadline. Default: the client's ([`crate::ClientBuilder::timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> CallOptions {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the request id to send. Default: a fresh UUID per call.
    pub fn request_id(mut self, request_id: impl Into<String>) -> CallOptions {
        self.request_id = Some(request_id.into());
        self
    }

    /// Sets the cancellation token. Default: none.
    pub fn cancellation(mut self, token: CancellationToken) -> CallOptions {
        self.cancellation = Some(token);
        self
    }

    /// Sets the maximum number of retries. Default: the client's ([`crate::ClientBuilder::max_retries`]).
    pub fn max_retries(mut self, retries: u32) -> CallOptions {
        self.max_retries = Some(retries);
        self
    }
}
