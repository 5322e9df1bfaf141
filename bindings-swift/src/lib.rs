//! Swift bindings for `neon-api-keys`, generated with uniffi: the SwiftPM package `NeonApiKeys`.
//!
//! This crate only translates. Every rule (validation, credentials, retries, timeouts, throttling, secret
//! handling, error classification) lives in the core crate `neon_api_keys`; each module here mirrors one core
//! module and converts its types to uniffi records, objects and errors:
//!
//! | module | core | Swift |
//! | --- | --- | --- |
//! | `client` | `Client` | `NeonClient` (async methods) |
//! | `config` | `ClientBuilder` | `NeonClientOptions` |
//! | `call` | `CallOptions`, `CancellationToken` | `CallOptions`, `CancellationToken` |
//! | `error` | `Error`, `ErrorKind` | `NeonError` (one case per kind) |
//! | `models` | `ApiKey`, `CreatedApiKey`, ... | records with `Date` timestamps |
//! | `secret` | `ApiKeySecret` | `ApiKeySecret` object with `reveal()` |
//!
//! Async methods run on one shared multi-threaded tokio runtime (`runtime`), not on uniffi's
//! single-threaded fallback runtime.

// `NeonError` is large because every case carries the same fields by value: that is the shape Swift sees, and
// uniffi serialises errors by value (it cannot box them), so boxing would only move the cost.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!("neon_api_keys");

mod call;
mod client;
mod config;
mod error;
mod models;
mod runtime;
mod secret;

pub use call::{CallOptions, CancellationToken};
pub use client::NeonClient;
pub use config::NeonClientOptions;
pub use error::{NeonError, NeonErrorInfo, OutcomeUnknownDetails, VerificationDetails};
pub use models::{
    ApiKey, AuthDetails, AuthMethod, CreatedApiKey, Creator, Project, RevokedApiKey, Rotation,
};
pub use secret::ApiKeySecret;
