//! # neon-api-keys-conformance
//!
//! The language-neutral conformance suite of neon-api-keys (see `tests/conformance/README.md`): the JSON case
//! model, seed-variable resolution, the matcher, the canonical JSON of the core's results and errors, the
//! emulator process and its control API, schema validation, and the Rust runner that drives the async
//! [`neon_api_keys::Client`] and the [`neon_api_keys::blocking::Client`] through every case.
//!
//! Everything except [`canonical`] and [`runner`] is independent of the Rust API and can be reused by tools.

pub mod canonical;
pub mod case;
pub mod emulator;
mod http;
pub mod matcher;
pub mod runner;
pub mod suite;
pub mod vars;

pub use case::{Case, ClientSettings, Expect, Setup};
pub use emulator::{Control, EmulatorProcess};
pub use matcher::match_value;
pub use runner::{Outcome, Surface};

/// Every operation a case may name: the core's declaration ([`neon_api_keys::OPERATIONS`]), by name. Each runner's
/// dispatch table must cover exactly these; the suite checks that `schema.json` lists the same set.
pub const OPERATIONS: [&str; 14] = {
    let mut names = [""; 14];
    let mut i = 0;
    while i < names.len() {
        names[i] = neon_api_keys::OPERATIONS[i].name;
        i += 1;
    }
    names
};

/// The NEON_* environment variables a client may read; runners clear all of them around every case.
pub const NEON_ENV_VARS: [&str; 4] = [
    "NEON_API_KEY",
    "NEON_ORG_API_KEY",
    "NEON_PROJECT_API_KEY",
    "NEON_API_HOST",
];
