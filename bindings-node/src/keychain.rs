//! `NativeKeychain`: the core's [`neon_api_keys::Keychain`] (one entry of the platform's keychain holding one key)
//! as a JS class. Every access runs on libuv's thread pool and returns a `Promise` ([`Blocking`]): it may wait
//! for a macOS prompt, and the JS thread must not. What an entry holds, how it is checked and which backend each
//! platform uses are the core's (`docs/keychain.md`); this module only translates.

use crate::errors::to_js_error;
use crate::models::CreatedApiKey;
use crate::options::key_id;
use crate::runtime::Blocking;
use crate::secret::ApiKeySecret;
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;
use neon_api_keys as core;

/// A keychain entry by name: a `Keychain`, or `{ service, account }`.
#[napi(object, object_to_js = false)]
pub struct KeychainEntry {
    /// The service name (for example your application's).
    pub service: String,
    /// The account name (for example what the key is for).
    pub account: String,
}

impl KeychainEntry {
    /// The core's entry, through its check of the names (`invalid_input` when either is empty, longer than 200
    /// characters or holds a control character).
    pub(crate) fn open(self) -> core::Result<core::Keychain> {
        core::Keychain::new(self.service, self.account)
    }
}

/// A key to save, as the JS layer hands it over: a `CreatedApiKey`'s fields. Its secret comes separately, as the
/// `ApiKeySecret` it already is, or here as text when the caller had only the text.
#[napi(object, object_to_js = false)]
pub struct KeyToSave {
    /// The key id.
    pub id: f64,
    /// The key's name.
    pub name: String,
    /// The secret as text, when no `ApiKeySecret` is passed.
    pub secret_text: Option<String>,
    /// The organization of an organization or project-scoped key.
    pub org_id: Option<String>,
    /// The project a project-scoped key is limited to.
    pub project_id: Option<String>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// The creator's uuid.
    pub created_by: Option<String>,
}

impl KeyToSave {
    /// The core's key: `secret` when given, else `secretText` (one of them is required).
    fn into_core(self, secret: Option<&ApiKeySecret>) -> core::Result<core::CreatedApiKey> {
        let id = key_id("key.id", self.id)?;
        let secret = match (secret, self.secret_text) {
            (Some(secret), _) => secret.core_secret(),
            (None, Some(text)) => core::ApiKeySecret::new(text),
            (None, None) => {
                return Err(core::Error::new(
                    core::ErrorKind::InvalidInput,
                    "key.key must be an ApiKeySecret or a string",
                ))
            }
        };
        let mut key = core::CreatedApiKey::new(id, secret, self.name);
        key.org_id = self.org_id;
        key.project_id = self.project_id;
        key.created_at = self.created_at;
        key.created_by = self.created_by;
        Ok(key)
    }
}

/// One keychain entry. Use `Keychain` from the package instead of this class.
#[napi]
pub struct NativeKeychain {
    entry: core::Keychain,
}

#[napi]
impl NativeKeychain {
    /// The entry named by `service` and `account`. Throws `NEON_INVALID_INPUT` when either is empty, longer than
    /// 200 characters or holds a control character. Touches no keychain.
    #[napi(constructor)]
    pub fn new(env: Env, service: String, account: String) -> napi::Result<Self> {
        core::Keychain::new(service, account)
            .map(|entry| NativeKeychain { entry })
            .map_err(|error| to_js_error(&env, &error))
    }

    /// The service name.
    #[napi(getter)]
    pub fn service(&self) -> String {
        self.entry.service().to_owned()
    }

    /// The account name.
    #[napi(getter)]
    pub fn account(&self) -> String {
        self.entry.account().to_owned()
    }

    /// Saves the key (its secret and metadata) in the entry, replacing what it held. The secret is `secret`
    /// when given, else `key.secretText`. Rejects with `NEON_KEYCHAIN` when the store refuses or is unavailable.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn save(
        &self,
        env: Env,
        key: KeyToSave,
        secret: Option<&ApiKeySecret>,
    ) -> napi::Result<AsyncTask<Blocking<()>>> {
        let key = key
            .into_core(secret)
            .map_err(|error| to_js_error(&env, &error))?;
        let entry = self.entry.clone();
        Ok(AsyncTask::new(Blocking::new(move || entry.save(&key))))
    }

    /// The key the entry holds (its secret an `ApiKeySecret`), or `null` when it holds none. Rejects with
    /// `NEON_KEYCHAIN` when the store is unavailable or the entry holds no key record of this SDK.
    #[napi(ts_return_type = "Promise<CreatedApiKey | null>")]
    pub fn load(&self) -> AsyncTask<Blocking<Option<CreatedApiKey>>> {
        let entry = self.entry.clone();
        AsyncTask::new(Blocking::new(move || {
            Ok(entry.load()?.map(CreatedApiKey::from))
        }))
    }

    /// Deletes the entry; resolves with whether there was one.
    #[napi(ts_return_type = "Promise<boolean>")]
    pub fn delete(&self) -> AsyncTask<Blocking<bool>> {
        let entry = self.entry.clone();
        AsyncTask::new(Blocking::new(move || entry.delete()))
    }

    /// Whether the entry holds something (a key record or not).
    #[napi(ts_return_type = "Promise<boolean>")]
    pub fn exists(&self) -> AsyncTask<Blocking<bool>> {
        let entry = self.entry.clone();
        AsyncTask::new(Blocking::new(move || entry.exists()))
    }
}

/// The store this platform's keychain entries live in (`"Linux kernel keyring (keyutils)"`, `"macOS Keychain"`,
/// `"Windows Credential Manager"`, ...).
#[napi]
pub fn keychain_backend() -> String {
    core::Keychain::backend().to_owned()
}
