//! The uniffi bridge of the Swift package `NeonApiKeys`.
//!
//! This crate only translates. Every rule (validation, credentials and the environment, retries, timeouts,
//! throttling, secret handling, error classification, rotation) lives in the core crate `neon_api_keys`.
//! uniffi generates the Swift module `NeonApiKeysBridge` from what is exported here; that module is internal
//! to the package: the public Swift API (`Sources/NeonApiKeys`) is a hand-written layer over it, so every
//! exported name carries an `Ffi` prefix that Swift users never see.
//!
//! | module | core | Swift (public layer) |
//! | --- | --- | --- |
//! | `client` | `Client` | `NeonClient` (async methods; task cancellation → `FfiCancellationToken`) |
//! | `config` | `ClientBuilder`, `DEFAULT_*` | `NeonClient.Configuration`, `NeonDefaults` |
//! | `call` | `CallOptions`, `CancellationToken` | `CallOptions` |
//! | `rotation` | `rotate_*`, `RotateOptions`, `RotateError` | `rotateApiKey(oldId:…store:)`, `rotateKeychainKey(_:…)`, `Rotation`, `StoreFailure` |
//! | `error` | `Error`, `ErrorKind` | `NeonError`, `NeonErrorKind` |
//! | `keychain` | `Keychain` | `Keychain` |
//! | `log` | `log::set_log_sink`, `LogSink` | `NeonLogging`, `LogHandler` |
//! | `models` | `ApiKey`, `CreatedApiKey`, ... | structs with `Date` timestamps |
//! | `secret` | `ApiKeySecret` | `ApiKeySecret` (opaque, `reveal()`) |
//! | `operations` | `OPERATIONS` | `NeonClient.operations` |
//! | `units` | `duration_from_secs` | durations and dates cross as `Double` seconds |
//!
//! Async methods run on one shared multi-threaded tokio runtime (`runtime`), not on uniffi's
//! single-threaded fallback runtime.

// `FfiError` is large because it carries every field of the core's error by value: uniffi serialises errors by
// value into one buffer, so boxing would only move the cost.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!("neon_api_keys");

mod call;
mod client;
mod config;
mod error;
mod keychain;
mod log;
mod models;
mod operations;
mod rotation;
mod runtime;
mod secret;
mod units;

// The tests' hooks, with their own uniffi namespace (feature `test-hooks`; see `test-hooks/`).
#[cfg(feature = "test-hooks")]
pub use neon_api_keys_swift_test_hooks as test_hooks;

pub use call::{FfiCallOptions, FfiCancellationToken};
pub use client::FfiClient;
pub use config::{FfiClientSettings, FfiDefaults};
pub use error::{FfiError, FfiErrorDetails, FfiErrorKind, FfiOutcomeUnknown, FfiVerification};
pub use keychain::FfiKeychain;
pub use log::{FfiLogField, FfiLogHandler, FfiLogLevel, FfiLogRecord};
pub use models::{
    FfiApiKey, FfiAuthDetails, FfiAuthMethod, FfiCreatedApiKey, FfiCreator, FfiKeyToSave,
    FfiProject, FfiRevokedApiKey,
};
pub use operations::FfiOperation;
pub use rotation::{FfiKeyStore, FfiRotateOptions, FfiRotation, FfiStoreAnswer, FfiStoreFailure};
pub use secret::FfiSecret;
pub use units::FfiDuration;
