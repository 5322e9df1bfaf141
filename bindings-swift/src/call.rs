//! Per-call options and cancellation.

use std::sync::Arc;
use std::time::Duration;

/// Cancels calls it was passed to (through [`CallOptions::cancellation`]): a cancelled call, in flight or
/// waiting to retry, fails with `NeonError.cancelled`. uniffi has no cancellation of its own; the Swift
/// extension `NeonClient.cancellable { ... }` wires Swift task cancellation to one of these.
#[derive(uniffi::Object, Debug, Clone, Default)]
pub struct CancellationToken(pub(crate) neon_api_keys::CancellationToken);

#[uniffi::export]
impl CancellationToken {
    /// A new, untriggered token.
    #[uniffi::constructor]
    pub fn new() -> CancellationToken {
        CancellationToken::default()
    }

    /// Cancels every call using this token (now and later). Idempotent.
    pub fn cancel(&self) {
        self.0.cancel();
    }

    /// Whether [`CancellationToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Options for one call or for a client made with `NeonClient.withOptions`. Unset fields fall back to the
/// client's configuration.
#[derive(uniffi::Record, Debug, Clone, Default)]
pub struct CallOptions {
    /// Deadline for the whole call (seconds), retries and waits included.
    #[uniffi(default = None)]
    pub timeout: Option<Duration>,
    /// The `X-Request-ID` to send (else a fresh UUID per call). Neon uses it as the request id.
    #[uniffi(default = None)]
    pub request_id: Option<String>,
    /// Cancels the call when triggered.
    #[uniffi(default = None)]
    pub cancellation: Option<Arc<CancellationToken>>,
    /// Overrides the client's maximum number of retries.
    #[uniffi(default = None)]
    pub max_retries: Option<u32>,
}

impl From<CallOptions> for neon_api_keys::CallOptions {
    fn from(o: CallOptions) -> neon_api_keys::CallOptions {
        let mut options = neon_api_keys::CallOptions::new();
        options.timeout = o.timeout;
        options.request_id = o.request_id;
        options.cancellation = o.cancellation.map(|token| token.0.clone());
        options.max_retries = o.max_retries;
        options
    }
}
