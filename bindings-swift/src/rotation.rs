//! Two-phase rotation across the FFI. The caller's store is a Swift `async throws` closure, reached through the
//! foreign trait [`FfiKeyStore`]; the core awaits its answer and revokes the old key only after it stored.
//! When the closure throws, the Swift side keeps the caller's own error and answers only
//! [`FfiStoreAnswer::Refused`]; the core then revokes the new key and the call fails with
//! [`FfiError::StoreFailed`], after which the Swift layer rethrows the caller's error.

use crate::error::{FfiError, FfiErrorDetails};
use crate::models::{FfiApiKey, FfiCreatedApiKey, FfiRevokedApiKey};
use crate::units;
use neon_api_keys::{RotateError, RotateOptions, Rotation};
use std::fmt;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// A store's answer.
#[derive(uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FfiStoreAnswer {
    /// The store kept the new key: the rotation goes on to revoke the old one.
    Stored,
    /// The store threw; the Swift layer holds its error.
    Refused,
}

/// The store refused the new key (the core's `StoreFailed::error`; the caller's own error stays in Swift).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreRefused;

impl fmt::Display for StoreRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the store refused the key")
    }
}

impl std::error::Error for StoreRefused {}

/// Where a rotation hands the new key (Swift: the `store` closure of `rotateApiKey`).
///
/// The store runs as a Swift task: [`FfiKeyStore::store`] starts it and returns at once, the task answers
/// through the [`FfiStoreCompletion`], and the core awaits that answer. (uniffi's glue for an `async` method of
/// a foreign trait does not compile in Swift 6 language mode: Swift 6.0 crashes on it, later versions reject
/// it; this hand-made future is the same thing in two synchronous calls.)
#[uniffi::export(foreign)]
pub trait FfiKeyStore: Send + Sync {
    /// Starts keeping `key` (with its secret) where the application will use it; answers through `completion`.
    fn store(&self, key: FfiCreatedApiKey, completion: Arc<FfiStoreCompletion>);
    /// Stops a store still running: the rotation no longer waits for it (the call was cancelled).
    fn cancel(&self);
}

/// How a store answers, once. Released without an answer, it counts as a refusal: a rotation never waits for a
/// store that can no longer answer.
#[derive(uniffi::Object, Debug)]
pub struct FfiStoreCompletion(Mutex<Option<oneshot::Sender<FfiStoreAnswer>>>);

#[uniffi::export]
impl FfiStoreCompletion {
    /// Gives the store's answer; later answers are ignored.
    pub fn finish(&self, answer: FfiStoreAnswer) {
        let sender = match self.0.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(sender) = sender {
            // The rotation may have stopped waiting (cancelled): nobody to tell then.
            let _ = sender.send(answer);
        }
    }
}

/// Cancels the store's task if the rotation stops waiting for it before it answered.
struct CancelOnDrop(Option<Arc<dyn FfiKeyStore>>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            store.cancel();
        }
    }
}

/// What happened to the new key when the store refused it.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiStoreFailure {
    /// The id of the new key handed to the store.
    pub new_key_id: i64,
    /// Whether the new key was revoked (`false`: a live key remains; revoke it by id).
    pub new_key_revoked: bool,
    /// Why revoking the new key failed, if it did.
    pub revoke_error: Option<FfiErrorDetails>,
    /// The core's sentence about the new key (`RotateError::store_note`).
    pub note: String,
}

/// A rotation's options; durations in seconds.
#[derive(uniffi::Record, Debug, Clone, Default)]
pub struct FfiRotateOptions {
    /// The new key's name; `None`: derived from the old key's name by the core.
    pub new_name: Option<String>,
    /// Revoke the old key only once the new key shows a use, waiting at most this long.
    pub wait_for_use_seconds: Option<f64>,
    /// How often to look for that use.
    pub poll_interval_seconds: Option<f64>,
}

impl FfiRotateOptions {
    /// The core's options: `InvalidInput` for a bad duration.
    pub(crate) fn to_core(&self) -> Result<RotateOptions, FfiError> {
        let mut options = RotateOptions::new();
        if let Some(name) = &self.new_name {
            options = options.new_name(name.clone());
        }
        if let Some(wait) = units::opt_duration("wait_for_use", self.wait_for_use_seconds)? {
            options = options.wait_for_use(wait);
        }
        if let Some(every) = units::opt_duration("poll_interval", self.poll_interval_seconds)? {
            options = options.poll_interval(every);
        }
        Ok(options)
    }
}

/// The result of a rotation whose store accepted the new key.
#[derive(uniffi::Record, Debug, Clone)]
pub struct FfiRotation {
    /// The new key, without its secret.
    pub new_key: FfiApiKey,
    /// The id of the rotated key.
    pub old_key_id: i64,
    /// The old key as revoked, when it was.
    pub revoked: Option<FfiRevokedApiKey>,
    /// Why the old key is still live, when revoking it failed or was cancelled.
    pub revoke_error: Option<FfiErrorDetails>,
    /// With `wait_for_use`: whether a use of the new key showed in time.
    pub new_key_seen_in_use: Option<bool>,
    /// Whether the old key is gone.
    pub is_complete: bool,
}

impl From<Rotation> for FfiRotation {
    fn from(r: Rotation) -> FfiRotation {
        let is_complete = r.is_complete();
        FfiRotation {
            new_key: r.new_key.into(),
            old_key_id: r.old_key_id,
            revoked: r.revoked.map(Into::into),
            revoke_error: r.revoke_error.map(Into::into),
            new_key_seen_in_use: r.new_key_seen_in_use,
            is_complete,
        }
    }
}

/// A rotation's outcome as the bridge reports it.
pub(crate) fn outcome(
    result: Result<Rotation, RotateError<StoreRefused>>,
) -> Result<FfiRotation, FfiError> {
    let error = match result {
        Ok(rotation) => return Ok(rotation.into()),
        Err(error) => error,
    };
    let note = error.store_note();
    match error {
        RotateError::Neon(error) => Err(error.into()),
        RotateError::Store(failed) => Err(FfiError::StoreFailed {
            failure: FfiStoreFailure {
                new_key_id: failed.new_key_id,
                new_key_revoked: failed.new_key_revoked,
                revoke_error: failed.revoke_error.map(Into::into),
                note: note.unwrap_or_default(),
            },
        }),
        other => Err(FfiError::internal(&other.to_string())),
    }
}

/// The store as the core calls it: the key goes to Swift, the answer comes back.
pub(crate) fn store_fn(
    store: Arc<dyn FfiKeyStore>,
) -> impl FnOnce(
    neon_api_keys::CreatedApiKey,
)
    -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreRefused>> + Send>> {
    move |key| {
        Box::pin(async move {
            let (sender, answer) = oneshot::channel();
            let mut running = CancelOnDrop(Some(store.clone()));
            store.store(
                key.into(),
                Arc::new(FfiStoreCompletion(Mutex::new(Some(sender)))),
            );
            let answer = answer.await;
            running.0 = None;
            match answer {
                Ok(FfiStoreAnswer::Stored) => Ok(()),
                Ok(FfiStoreAnswer::Refused) | Err(_) => Err(StoreRefused),
            }
        })
    }
}
