//! [`FfiKeychain`]: the core's `Keychain`, one entry of the platform's keychain (Swift: `Keychain`). Every rule
//! (names, the record format, the backend, errors of kind `Keychain`) is the core's.

use crate::error::FfiError;
use crate::models::{FfiCreatedApiKey, FfiKeyToSave};
use neon_api_keys::Keychain;

/// One keychain entry, named by a service and an account (Swift: `Keychain`).
#[derive(uniffi::Object, Debug, Clone, PartialEq, Eq, Hash)]
pub struct FfiKeychain(pub(crate) Keychain);

#[uniffi::export]
impl FfiKeychain {
    /// The entry `service`/`account`: `InvalidInput` when either is empty, longer than 200 characters or holds a
    /// control character.
    #[uniffi::constructor]
    pub fn new(service: String, account: String) -> Result<FfiKeychain, FfiError> {
        Ok(FfiKeychain(Keychain::new(service, account)?))
    }

    /// The service name.
    pub fn service(&self) -> String {
        self.0.service().to_string()
    }

    /// The account name.
    pub fn account(&self) -> String {
        self.0.account().to_string()
    }

    /// Saves `key` in the entry, replacing what it held.
    pub fn save(&self, key: FfiKeyToSave) -> Result<(), FfiError> {
        Ok(self.0.save(&key.to_core()?)?)
    }

    /// The key the entry holds (its secret registered for scrubbing), or `None`.
    pub fn load(&self) -> Result<Option<FfiCreatedApiKey>, FfiError> {
        Ok(self.0.load()?.map(Into::into))
    }

    /// Deletes the entry; whether there was one.
    pub fn delete(&self) -> Result<bool, FfiError> {
        Ok(self.0.delete()?)
    }

    /// Whether the entry holds something.
    pub fn exists(&self) -> Result<bool, FfiError> {
        Ok(self.0.exists()?)
    }
}

/// The store this platform uses (`"macOS Keychain"`, `"Linux kernel keyring (keyutils)"`, ...).
#[uniffi::export]
pub fn ffi_keychain_backend() -> String {
    Keychain::backend().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FfiErrorKind;

    #[test]
    fn a_bad_name_is_invalid_input() {
        let kind = match FfiKeychain::new(String::new(), "a".into()) {
            Err(FfiError::Neon { error }) => Some(error.kind),
            _ => None,
        };
        assert_eq!(kind, Some(FfiErrorKind::InvalidInput));
        assert!(!ffi_keychain_backend().is_empty());
    }
}
