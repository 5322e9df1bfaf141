//! Hooks for the Swift package's own tests, never in a release artifact: `neon-api-keys-swift` links this crate
//! (and the core's feature `test-hooks`) only with its feature `test-hooks`, which `scripts/test.sh` turns on for
//! the debug library the tests load; the XCFramework's crate never does. uniffi generates the Swift module
//! `NeonApiKeysTestHooksBridge` from it, a target only the test target depends on.
//!
//! - [`ffi_keychain_refuse_next_saves`]: the core's `keychain_test_hooks::refuse_next_saves`, so a test can make
//!   the save of a rotation in place fail.
//! - [`ffi_keychain_write_raw`]: puts arbitrary bytes into a keychain entry, so a test can read back an entry
//!   that holds no key record of this SDK.

uniffi::setup_scaffolding!("neon_api_keys_test_hooks");

use std::fmt;

/// A hook that could not do its job.
#[derive(uniffi::Error, Debug, Clone, PartialEq, Eq)]
pub enum FfiHookError {
    /// What went wrong.
    Failed {
        /// Why.
        message: String,
    },
}

impl fmt::Display for FfiHookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FfiHookError::Failed { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for FfiHookError {}

fn failed(message: impl fmt::Display) -> FfiHookError {
    FfiHookError::Failed {
        message: message.to_string(),
    }
}

/// The next `count` keychain saves of this process fail with the error kind `keychain` before touching the
/// store.
#[uniffi::export]
pub fn ffi_keychain_refuse_next_saves(count: u32) {
    neon_api_keys::keychain_test_hooks::refuse_next_saves(count as usize);
}

/// Writes `bytes`, as they are, into the entry `service`/`account` (the core's rules for the names), replacing
/// what it held.
#[uniffi::export]
pub fn ffi_keychain_write_raw(
    service: String,
    account: String,
    bytes: Vec<u8>,
) -> Result<(), FfiHookError> {
    let entry = neon_api_keys::Keychain::new(service, account).map_err(failed)?;
    raw::write(&entry, &bytes)
}

/// The kernel keyring, where the core keeps an entry on Linux: a user key described as
/// `neon-api-keys:<service>:<account>` (`%` and `:` escaped), in the user keyring.
#[cfg(target_os = "linux")]
mod raw {
    use super::{failed, FfiHookError};
    use linux_keyutils::{KeyRing, KeyRingIdentifier};

    pub(super) fn write(entry: &neon_api_keys::Keychain, bytes: &[u8]) -> Result<(), FfiHookError> {
        let escape = |s: &str| s.replace('%', "%25").replace(':', "%3A");
        let description = format!(
            "neon-api-keys:{}:{}",
            escape(entry.service()),
            escape(entry.account())
        );
        let user = KeyRing::from_special_id(KeyRingIdentifier::User, true)
            .map_err(|e| failed(format!("{e:?}")))?;
        user.add_key(&description, bytes)
            .map(|_| ())
            .map_err(|e| failed(format!("{e:?}")))
    }
}

/// The Keychain, where the core keeps an entry on Apple platforms: a generic password of the service and account.
#[cfg(any(target_os = "macos", target_os = "ios"))]
mod raw {
    use super::{failed, FfiHookError};

    pub(super) fn write(entry: &neon_api_keys::Keychain, bytes: &[u8]) -> Result<(), FfiHookError> {
        keyring::Entry::new(entry.service(), entry.account())
            .and_then(|e| e.set_secret(bytes))
            .map_err(failed)
    }
}

/// No raw writer elsewhere.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "ios")))]
mod raw {
    use super::{failed, FfiHookError};

    pub(super) fn write(
        _entry: &neon_api_keys::Keychain,
        _bytes: &[u8],
    ) -> Result<(), FfiHookError> {
        Err(failed(
            "no raw keychain writer on this platform: the Swift tests run on Linux and Apple platforms",
        ))
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_raw_entry_reads_back_as_a_keychain_error() {
        let service = format!("neon-api-keys-swift-hooks-{}", std::process::id());
        let entry = neon_api_keys::Keychain::new(service.clone(), "raw:%").ok();
        let written = ffi_keychain_write_raw(service, "raw:%".into(), b"not a record".to_vec());
        let kind = entry
            .as_ref()
            .and_then(|e| e.load().err())
            .map(|e| e.kind());
        if let Some(entry) = &entry {
            let _ = entry.delete();
        }
        assert_eq!(written, Ok(()));
        assert_eq!(kind, Some(neon_api_keys::ErrorKind::Keychain));
    }
}
