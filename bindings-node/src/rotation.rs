//! A rotation's store, in JavaScript: the core hands the new key to the caller's store and revokes the old key
//! only once the store has it ([`neon_api_keys::Client::rotate_api_key`]). The JS layer wraps the caller's
//! function so that it never throws: it resolves `true` once the key is stored and `false` when the store threw
//! or rejected, keeping that error to rethrow itself (its identity intact). This module awaits that Promise from
//! the core's rotation and turns the outcome into the JS rejection.

use crate::errors::{store_failed_js_error, to_js_error, IntoJsError};
use crate::models::{CreatedApiKey, Rotation};
use crate::options::{key_id, millis};
use napi::bindgen_prelude::Promise;
use napi::threadsafe_function::ThreadsafeFunction;
use napi::{Env, Status};
use napi_derive::napi;
use neon_api_keys as core;
use std::fmt;

/// The caller's store as the JS layer passes it: called with the new key (its secret included), it resolves
/// `true` once the key is stored and `false` when the store failed.
pub type JsStore = ThreadsafeFunction<CreatedApiKey, Promise<bool>, CreatedApiKey, Status, false>;

/// Options of a rotation; every field is optional.
#[napi(object, object_to_js = false)]
pub struct RotateOptions {
    /// The new key's name. Default: derived from the old key's name (`<base>-<UTC yyyymmddThhmmssZ>-<4 hex>`).
    pub new_name: Option<String>,
    /// Revoke the old key only once the new key shows a use, waiting at most this many milliseconds.
    pub wait_for_use_ms: Option<f64>,
    /// How often to look for that use, in milliseconds. Default: `DEFAULT_USE_POLL_INTERVAL_MS`.
    pub poll_interval_ms: Option<f64>,
}

/// Rotates `old_id` (a personal key, or one of organization `org_id`), handing the new key to the JS `store`.
pub(crate) async fn rotate(
    client: core::Client,
    org_id: Option<String>,
    old_id: f64,
    store: JsStore,
    options: Option<RotateOptions>,
) -> Result<Rotation, core::RotateError<StoreFailed>> {
    let old_id = key_id("oldId", old_id)?;
    let options = rotate_options(options)?;
    let store = move |key| store_in_js(store, key);
    let rotation = match org_id {
        None => client.rotate_api_key(old_id, options, store).await?,
        Some(org_id) => {
            client
                .rotate_org_api_key(&org_id, old_id, options, store)
                .await?
        }
    };
    Ok(Rotation::from(rotation))
}

/// The core's rotation options for what the caller set.
pub(crate) fn rotate_options(options: Option<RotateOptions>) -> core::Result<core::RotateOptions> {
    let mut rotate = core::RotateOptions::new();
    let Some(o) = options else {
        return Ok(rotate);
    };
    if let Some(name) = o.new_name {
        rotate = rotate.new_name(name);
    }
    if let Some(ms) = o.wait_for_use_ms {
        rotate = rotate.wait_for_use(millis("waitForUseMs", ms)?);
    }
    if let Some(ms) = o.poll_interval_ms {
        rotate = rotate.poll_interval(millis("pollIntervalMs", ms)?);
    }
    Ok(rotate)
}

/// The store did not take the key: it failed (its error stays in JS), or it could not be called at all.
#[derive(Debug)]
pub struct StoreFailed(String);

impl fmt::Display for StoreFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Hands `key` to the JS store and waits for its answer.
async fn store_in_js(store: JsStore, key: core::CreatedApiKey) -> Result<(), StoreFailed> {
    let answer = store
        .call_async(CreatedApiKey::from(key))
        .await
        .map_err(|e| StoreFailed(format!("the store could not be called: {}", e.reason)))?;
    match answer.await {
        Ok(true) => Ok(()),
        Ok(false) => Err(StoreFailed("the store threw or rejected".to_owned())),
        Err(e) => Err(StoreFailed(format!(
            "the store's answer could not be read: {}",
            e.reason
        ))),
    }
}

impl IntoJsError for core::RotateError<StoreFailed> {
    fn into_js_error(self, env: &Env) -> napi::Error {
        let note = self.store_note();
        match (self, note) {
            (core::RotateError::Neon(error), _) => to_js_error(env, &error),
            (core::RotateError::Store(failed), Some(note)) => {
                store_failed_js_error(env, note, failed.error.0)
            }
            (other, _) => to_js_error(
                env,
                &core::Error::new(core::ErrorKind::Internal, other.to_string()),
            ),
        }
    }
}
