//! Node.js bindings for `neon-api-keys` (napi-rs v3): the native half of the npm package `neon-api-keys`.
//!
//! This crate only translates: every behaviour (validation, retries, timeouts, throttling, secret handling,
//! error classification) lives in the core crate. The modules mirror the core's:
//! [`client`] (the `NativeClient` class), [`models`] (plain result objects), [`errors`] (core errors → JS
//! errors carrying a stable `code`), [`secret`] (the redacted `ApiKeySecret` class), [`cancel`] (a
//! cancellation handle the JS layer wires to an `AbortSignal`), [`runtime`] (the one shared tokio runtime) and
//! [`emulator`] (the core's emulator in-process, for `neon-api-keys/testing`).
//!
//! The hand-written JS layer in `lib/` turns these into `NeonClient`, `NeonError` subclasses and
//! `AbortSignal` support; use that, not this module directly.

pub mod cancel;
pub mod client;
pub mod emulator;
pub mod errors;
pub mod models;
pub mod runtime;
pub mod secret;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`, 2^53 − 1): key ids are JS numbers,
/// so ids past it are refused both ways.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;
