//! Per-call options and the cancellation token the Swift layer triggers when the calling `Task` is cancelled.

use crate::error::FfiError;
use crate::units;

/// Cancels the calls it is passed to. The Swift layer makes one per call and cancels it from
/// `withTaskCancellationHandler`; the call then fails with `Cancelled` (or `OutcomeUnknown` for a create
/// already sent).
#[derive(uniffi::Object, Debug, Clone, Default)]
pub struct FfiCancellationToken(pub(crate) neon_api_keys::CancellationToken);

#[uniffi::export]
impl FfiCancellationToken {
    /// A new, untriggered token.
    #[uniffi::constructor]
    pub fn new() -> FfiCancellationToken {
        FfiCancellationToken::default()
    }

    /// Cancels every call using this token (now and later). Idempotent.
    pub fn cancel(&self) {
        self.0.cancel();
    }

    /// Whether [`FfiCancellationToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Options for the calls of a client made with `NeonClient.withOptions` (Swift: `CallOptions`). Unset fields
/// fall back to the client's configuration.
#[derive(uniffi::Record, Debug, Clone, Default)]
pub struct FfiCallOptions {
    /// Deadline for the whole call, in seconds.
    pub timeout_seconds: Option<f64>,
    /// The `X-Request-ID` to send.
    pub request_id: Option<String>,
    /// Overrides the client's maximum number of retries.
    pub max_retries: Option<i64>,
}

impl FfiCallOptions {
    /// The core's options: `InvalidInput` for a bad timeout or retry count.
    pub(crate) fn to_core(&self) -> Result<neon_api_keys::CallOptions, FfiError> {
        let mut options = neon_api_keys::CallOptions::new();
        if let Some(timeout) = units::opt_duration("timeout", self.timeout_seconds)? {
            options = options.timeout(timeout);
        }
        if let Some(id) = &self.request_id {
            options = options.request_id(id.clone());
        }
        if let Some(n) = units::opt_count("max_retries", self.max_retries)? {
            options = options.max_retries(n);
        }
        Ok(options)
    }
}
