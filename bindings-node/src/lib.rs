//! Node.js bindings for `neon-api-keys` (napi-rs v3): the native half of the npm package `neon-api-keys`.
//!
//! This crate only translates: every behaviour (validation, retries, timeouts, throttling, secret handling,
//! error classification, the environment rule) lives in the core crate. The modules:
//! [`client`] (the `NativeClient` class, one declaration per core operation), [`options`] (client and call
//! settings from JS), [`rotation`] (the caller's store as a JS callback), [`keychain`] (the `NativeKeychain`
//! class: one entry of the platform's keychain), [`logging`] (the core's log records handed to JS listeners),
//! [`models`] (plain result objects),
//! [`errors`] (core errors → JS errors carrying a stable `code`), [`secret`] (the redacted `ApiKeySecret`
//! class), [`cancel`] (a cancellation handle the JS layer wires to an `AbortSignal`), [`catalog`] (the core's
//! operations, error kinds and defaults, for the JS layer and its tests), [`runtime`] (the one shared tokio
//! runtime) and, with the `emulator` feature, [`emulator`] (the core's emulator in-process, for
//! `neon-api-keys/testing`).
//!
//! The hand-written JS layer in `lib/` turns these into `Client`, `NeonError` subclasses and `AbortSignal`
//! support; use that, not this module directly.

pub mod cancel;
pub mod catalog;
pub mod client;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod errors;
pub mod keychain;
pub mod logging;
pub mod models;
pub mod options;
pub mod rotation;
pub mod runtime;
pub mod secret;
#[cfg(feature = "test-hooks")]
pub mod test_hooks;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`, 2^53 − 1). Key ids are JS numbers:
/// the client is built with the core's `max_key_id` set to it, and an id the caller passes must be an integer
/// within it.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;
