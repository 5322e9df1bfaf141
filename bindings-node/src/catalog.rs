//! What the core declares once, handed to JavaScript as it is: the operations (`neon_api_keys::OPERATIONS`), the
//! error kinds (`ErrorKind::ALL`) and the defaults (`neon_api_keys::DEFAULT_*`, in milliseconds). The JS layer
//! re-exports the defaults, and its tests check `Client` and the `NeonError` classes against the lists.

use napi_derive::napi;
use neon_api_keys as core;

/// `neon_api_keys::DEFAULT_TIMEOUT`: a whole call's deadline, retries included, in milliseconds.
#[napi]
pub const DEFAULT_TIMEOUT_MS: u32 = core::DEFAULT_TIMEOUT.as_millis() as u32;

/// `neon_api_keys::DEFAULT_CONNECT_TIMEOUT`: a TCP + TLS connection's deadline, in milliseconds.
#[napi]
pub const DEFAULT_CONNECT_TIMEOUT_MS: u32 = core::DEFAULT_CONNECT_TIMEOUT.as_millis() as u32;

/// `neon_api_keys::DEFAULT_ATTEMPT_TIMEOUT`: one attempt's deadline, in milliseconds.
#[napi]
pub const DEFAULT_ATTEMPT_TIMEOUT_MS: u32 = core::DEFAULT_ATTEMPT_TIMEOUT.as_millis() as u32;

/// `neon_api_keys::DEFAULT_MAX_RETRIES`: retries after the first attempt.
#[napi]
pub const DEFAULT_MAX_RETRIES: u32 = core::DEFAULT_MAX_RETRIES;

/// `neon_api_keys::DEFAULT_BACKOFF_BASE`: the base of the full-jitter backoff, in milliseconds.
#[napi]
pub const DEFAULT_BACKOFF_BASE_MS: u32 = core::DEFAULT_BACKOFF_BASE.as_millis() as u32;

/// `neon_api_keys::DEFAULT_BACKOFF_CAP`: the cap of the backoff, in milliseconds.
#[napi]
pub const DEFAULT_BACKOFF_CAP_MS: u32 = core::DEFAULT_BACKOFF_CAP.as_millis() as u32;

/// `neon_api_keys::DEFAULT_MAX_RETRY_WAIT`: the longest `Retry-After` accepted, in milliseconds.
#[napi]
pub const DEFAULT_MAX_RETRY_WAIT_MS: u32 = core::DEFAULT_MAX_RETRY_WAIT.as_millis() as u32;

/// `neon_api_keys::DEFAULT_USE_POLL_INTERVAL`: how often a rotation with `waitForUseMs` looks for the new
/// key's first use, in milliseconds.
#[napi]
pub const DEFAULT_USE_POLL_INTERVAL_MS: u32 = core::DEFAULT_USE_POLL_INTERVAL.as_millis() as u32;

/// `neon_api_keys::DEFAULT_BASE_URL`: Neon's API base URL.
#[napi]
pub const DEFAULT_BASE_URL: &str = core::DEFAULT_BASE_URL;

/// One operation of the SDK (`neon_api_keys::Operation`).
#[napi(object, object_from_js = false)]
pub struct OperationInfo {
    /// The snake_case name (the conformance suite's `operation`).
    pub name: String,
    /// The lowerCamelCase name: the `Client` method.
    pub camel_name: String,
    /// The arguments in order, by their snake_case names; a trailing `?` marks an optional one.
    pub args: Vec<String>,
    /// What it does, in one line.
    pub summary: String,
}

/// Every public operation of the core, in its order. `Client` has a method for each (`camelName`).
#[napi]
pub fn operations() -> Vec<OperationInfo> {
    core::OPERATIONS
        .iter()
        .map(|op| OperationInfo {
            name: op.name.to_owned(),
            camel_name: op.camel_name(),
            args: op.args.iter().map(|a| (*a).to_owned()).collect(),
            summary: op.summary.to_owned(),
        })
        .collect()
}

/// Every error kind of the core (`ErrorKind::as_str`), in its order. Each has a `NeonError` subclass.
#[napi]
pub fn error_kinds() -> Vec<String> {
    core::ErrorKind::ALL
        .iter()
        .map(|kind| kind.as_str().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_cores_in_milliseconds() {
        assert_eq!(
            u128::from(DEFAULT_TIMEOUT_MS),
            core::DEFAULT_TIMEOUT.as_millis()
        );
        assert_eq!(
            u128::from(DEFAULT_BACKOFF_BASE_MS),
            core::DEFAULT_BACKOFF_BASE.as_millis()
        );
        assert_eq!(
            u128::from(DEFAULT_USE_POLL_INTERVAL_MS),
            core::DEFAULT_USE_POLL_INTERVAL.as_millis()
        );
        assert_eq!(DEFAULT_MAX_RETRIES, core::DEFAULT_MAX_RETRIES);
    }

    #[test]
    fn the_lists_are_the_cores() {
        let ops = operations();
        assert_eq!(ops.len(), core::OPERATIONS.len());
        assert_eq!(ops[0].camel_name, "listApiKeys");
        assert_eq!(error_kinds().len(), core::ErrorKind::ALL.len());
    }
}
