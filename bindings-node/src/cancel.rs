//! Cancellation: a handle the JS layer cancels when the caller's `AbortSignal` fires.

use napi_derive::napi;
use neon_api_keys::CancellationToken;

/// Cancels the calls it was passed to (in flight or waiting for a retry). The JS layer creates one per call
/// and calls `cancel()` from the `AbortSignal`'s `abort` event; the core then stops the call
/// and it rejects with `NEON_CANCELLED`.
#[napi]
#[derive(Default)]
pub struct CancelHandle {
    token: CancellationToken,
}

#[napi]
impl CancelHandle {
    /// A new, not yet cancelled handle.
    #[napi(constructor)]
    pub fn new() -> CancelHandle {
        CancelHandle::default()
    }

    /// Cancels every call this handle was passed to. Idempotent.
    #[napi]
    pub fn cancel(&self) {
        self.token.cancel();
    }

    /// Whether `cancel()` was called.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }
}

impl CancelHandle {
    /// The core token behind this handle (clones share the cancellation).
    pub(crate) fn token(&self) -> CancellationToken {
        self.token.clone()
    }
}
