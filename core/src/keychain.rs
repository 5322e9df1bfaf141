//! Keys kept where each platform keeps secrets: a [`Keychain`] entry holds one key as a small JSON record (id,
//! name, secret, organization and project when scoped, creation time), so that a key read back can be used,
//! rotated or revoked without asking anyone for its id.
//!
//! Backends (see `docs/keychain.md` for what each protects against):
//! - macOS and iOS: the Keychain (`keyring`'s `apple-native` store);
//! - Windows: the Credential Manager (`keyring`'s `windows-native` store);
//! - Linux: the kernel key retention service (keyutils), in the user keyring, linked into the persistent
//!   keyring where the kernel allows it; with the `secret-service` feature, the desktop Secret Service
//!   (GNOME Keyring, KWallet) through `keyring` instead.

use crate::{ApiKeySecret, CreatedApiKey, Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The version of the record format written.
const RECORD_VERSION: u32 = 1;

/// One entry of the platform's keychain, named by a service and an account (for example
/// `("my-app", "neon-deploy")`). Holds at most one key. Its `Debug` never shows a secret.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Keychain {
    service: String,
    account: String,
}

impl fmt::Debug for Keychain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keychain")
            .field("service", &self.service)
            .field("account", &self.account)
            .field("backend", &backend::NAME)
            .finish()
    }
}

/// What an entry holds: the key's metadata and its secret.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    version: u32,
    id: i64,
    name: String,
    key: String,
    #[serde(default)]
    org_id: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    created_by: Option<String>,
}

impl Keychain {
    /// The entry named by `service` and `account`.
    ///
    /// # Errors
    /// `ErrorKind::InvalidInput` when either is empty, longer than 200 characters, or holds a control character.
    pub fn new(service: impl Into<String>, account: impl Into<String>) -> Result<Keychain> {
        let (service, account) = (service.into(), account.into());
        for (what, value) in [("service", &service), ("account", &account)] {
            let chars = value.chars().count();
            if chars == 0 || chars > 200 || value.chars().any(char::is_control) {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "the keychain {what} must be 1-200 characters without control characters"
                    ),
                ));
            }
        }
        Ok(Keychain { service, account })
    }

    /// The service name of the entry.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The account name of the entry.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Which store this platform uses (`"Linux kernel keyring (keyutils)"`, `"macOS Keychain"`, ...).
    pub fn backend() -> &'static str {
        backend::NAME
    }

    /// Saves `key` (its secret and metadata) in the entry, replacing what it held.
    ///
    /// # Errors
    /// `ErrorKind::InvalidInput` for a key without a secret or a positive id (it could not be loaded back);
    /// `ErrorKind::Keychain` when the store refuses or is unavailable (locked, no access, no service).
    pub fn save(&self, key: &CreatedApiKey) -> Result<()> {
        if key.key.is_empty() || key.id <= 0 {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "a key saved in a keychain entry needs a positive id and a secret",
            ));
        }
        #[cfg(feature = "test-hooks")]
        if test_hooks::refuse_save() {
            return Err(self.failed("save", "refused by a test hook".to_string()));
        }
        let record = Record {
            version: RECORD_VERSION,
            id: key.id,
            name: key.name.clone(),
            key: key.key.expose_secret().to_string(),
            org_id: key.org_id.clone(),
            project_id: key.project_id.clone(),
            created_at: key.created_at,
            created_by: key.created_by.clone(),
        };
        let text = serde_json::to_string(&record).map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("could not encode the record: {e}"),
            )
        });
        // Wipe the record's copy of the secret whatever happened.
        drop(SecretString::from(record.key));
        let text = SecretString::from(text?);
        backend::write(self, text.expose_secret()).map_err(|e| self.failed("save", e))
    }

    /// The key the entry holds, or `None` when it holds none. The secret comes back as an [`ApiKeySecret`].
    ///
    /// # Errors
    /// `ErrorKind::Keychain` when the store is unavailable, or when the entry holds something that is not a
    /// record of this SDK (the message says what is wrong, never what it holds).
    pub fn load(&self) -> Result<Option<CreatedApiKey>> {
        let Some(bytes) = backend::read(self).map_err(|e| self.failed("read", e))? else {
            return Ok(None);
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => SecretString::from(text),
            Err(e) => {
                zeroize::Zeroize::zeroize(&mut e.into_bytes());
                return Err(Error::new(
                    ErrorKind::Keychain,
                    format!(
                        "the {} entry {} holds no key record of this SDK (it is not UTF-8 text); delete it or \
                         save a key over it",
                        backend::NAME,
                        self.label()
                    ),
                ));
            }
        };
        let record: Record = serde_json::from_str(text.expose_secret()).map_err(|e| {
            Error::new(
                ErrorKind::Keychain,
                format!(
                    "the {} entry {} holds no key record of this SDK ({:?} error at line {} column {}); \
                     delete it or save a key over it",
                    backend::NAME,
                    self.label(),
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            )
        })?;
        if record.version != RECORD_VERSION || record.key.is_empty() || record.id <= 0 {
            return Err(Error::new(
                ErrorKind::Keychain,
                format!(
                    "the {} entry {} holds a key record this SDK cannot use (version {}, empty secret or \
                     bad id)",
                    backend::NAME,
                    self.label(),
                    record.version
                ),
            ));
        }
        let mut key = CreatedApiKey::new(record.id, ApiKeySecret::new(record.key), record.name);
        key.org_id = record.org_id;
        key.project_id = record.project_id;
        key.created_at = record.created_at;
        key.created_by = record.created_by;
        Ok(Some(key))
    }

    /// Deletes the entry; whether there was one.
    ///
    /// # Errors
    /// `ErrorKind::Keychain` when the store is unavailable.
    pub fn delete(&self) -> Result<bool> {
        backend::delete(self).map_err(|e| self.failed("delete", e))
    }

    /// Whether the entry holds something.
    ///
    /// # Errors
    /// `ErrorKind::Keychain` when the store is unavailable.
    pub fn exists(&self) -> Result<bool> {
        backend::read(self)
            .map(|found| {
                found.is_some_and(|mut bytes| {
                    zeroize::Zeroize::zeroize(&mut bytes);
                    true
                })
            })
            .map_err(|e| self.failed("read", e))
    }

    /// `service/account`, for messages.
    fn label(&self) -> String {
        format!("{:?}/{:?}", self.service, self.account)
    }

    fn failed(&self, what: &str, detail: String) -> Error {
        Error::new(
            ErrorKind::Keychain,
            format!(
                "could not {what} the {} entry {}: {detail}",
                backend::NAME,
                self.label()
            ),
        )
    }
}

/// The Linux kernel key retention service, used directly (the `keyring` crate's keyutils store insists on
/// linking into the persistent keyring, which kernels refuse in containers and user namespaces).
#[cfg(all(target_os = "linux", not(feature = "secret-service")))]
mod backend {
    use super::Keychain;
    use linux_keyutils::{Key, KeyError, KeyRing, KeyRingIdentifier};

    pub(super) const NAME: &str = "Linux kernel keyring (keyutils)";

    /// The key's description: `neon-api-keys:<service>:<account>`, `%` and `:` escaped so that two entries
    /// never share one.
    fn description(entry: &Keychain) -> String {
        let escape = |s: &str| s.replace('%', "%25").replace(':', "%3A");
        format!(
            "neon-api-keys:{}:{}",
            escape(&entry.service),
            escape(&entry.account)
        )
    }

    fn user_keyring() -> Result<KeyRing, String> {
        KeyRing::from_special_id(KeyRingIdentifier::User, true).map_err(|e| text(&e))
    }

    fn text(error: &KeyError) -> String {
        format!("{error:?}")
    }

    fn find(entry: &Keychain) -> Result<Option<Key>, String> {
        let user = user_keyring()?;
        let description = description(entry);
        match user.search(&description) {
            Ok(key) => return Ok(Some(key)),
            Err(KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired) => {}
            Err(e) => return Err(text(&e)),
        }
        // A key kept only by the persistent keyring (the user keyring went away at logout): link it back.
        if let Ok(persistent) = KeyRing::get_persistent(KeyRingIdentifier::User) {
            if let Ok(key) = persistent.search(&description) {
                let _ = user.link_key(key);
                return Ok(Some(key));
            }
        }
        Ok(None)
    }

    pub(super) fn write(entry: &Keychain, text_value: &str) -> Result<(), String> {
        let user = user_keyring()?;
        let key = user
            .add_key(&description(entry), text_value.as_bytes())
            .map_err(|e| text(&e))?;
        // Survive the end of the user's sessions where the kernel allows it.
        if let Ok(persistent) = KeyRing::get_persistent(KeyRingIdentifier::User) {
            let _ = persistent.link_key(key);
        }
        Ok(())
    }

    pub(super) fn read(entry: &Keychain) -> Result<Option<Vec<u8>>, String> {
        let Some(key) = find(entry)? else {
            return Ok(None);
        };
        match key.read_to_vec() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired) => {
                Ok(None)
            }
            Err(e) => Err(text(&e)),
        }
    }

    pub(super) fn delete(entry: &Keychain) -> Result<bool, String> {
        let Some(key) = find(entry)? else {
            return Ok(false);
        };
        match key.invalidate() {
            Ok(()) | Err(KeyError::KeyDoesNotExist | KeyError::KeyRevoked) => {}
            Err(e) => return Err(text(&e)),
        }
        // Also unlink it, so that a search right after cannot find it while the kernel collects it.
        if let Ok(user) = user_keyring() {
            let _ = user.unlink_key(key);
        }
        if let Ok(persistent) = KeyRing::get_persistent(KeyRingIdentifier::User) {
            let _ = persistent.unlink_key(key);
        }
        Ok(true)
    }
}

/// The `keyring` crate's native store of the platform (or the Secret Service on Linux with that feature).
#[cfg(not(all(target_os = "linux", not(feature = "secret-service"))))]
mod backend {
    use super::Keychain;

    #[cfg(any(target_os = "macos", target_os = "ios"))]
    pub(super) const NAME: &str = "macOS Keychain";
    #[cfg(target_os = "windows")]
    pub(super) const NAME: &str = "Windows Credential Manager";
    #[cfg(all(target_os = "linux", feature = "secret-service"))]
    pub(super) const NAME: &str = "Secret Service";
    #[cfg(not(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "windows",
        target_os = "linux"
    )))]
    pub(super) const NAME: &str = "no keychain on this platform";

    fn entry_of(entry: &Keychain) -> Result<keyring::Entry, String> {
        keyring::Entry::new(&entry.service, &entry.account).map_err(|e| e.to_string())
    }

    pub(super) fn write(entry: &Keychain, text: &str) -> Result<(), String> {
        entry_of(entry)?
            .set_password(text)
            .map_err(|e| e.to_string())
    }

    pub(super) fn read(entry: &Keychain) -> Result<Option<Vec<u8>>, String> {
        match entry_of(entry)?.get_secret() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    pub(super) fn delete(entry: &Keychain) -> Result<bool, String> {
        match entry_of(entry)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Test hooks (feature `test-hooks`, never in a release artifact).
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod test_hooks {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static REFUSE_SAVES: AtomicUsize = AtomicUsize::new(0);

    /// The next `count` saves (process-wide) fail with `ErrorKind::Keychain` before touching the store.
    pub fn refuse_next_saves(count: usize) {
        REFUSE_SAVES.store(count, Ordering::SeqCst);
    }

    pub(super) fn refuse_save() -> bool {
        REFUSE_SAVES
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(Keychain::new("svc", "acct").is_ok());
        for (s, a) in [("", "a"), ("s", ""), ("s\n", "a"), ("s", &"x".repeat(201))] {
            let e = Keychain::new(s, a).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
        }
        let k = Keychain::new("svc", "acct").unwrap();
        assert!(format!("{k:?}").contains("backend"));
        assert_eq!((k.service(), k.account()), ("svc", "acct"));
    }
}
