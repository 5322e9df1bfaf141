//! `NativeClient`: the core's async [`neon_api_keys::Client`] as a JS class whose methods return Promises.

use crate::cancel::CancelHandle;
use crate::errors::{invalid_input, to_js_error};
use crate::models::{self, AuthDetails, CreatedApiKey, Project, RevokedApiKey, Rotation};
use crate::runtime::{spawn, spawn_json};
use crate::MAX_SAFE_INTEGER;
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{JsObjectValue, Object, PromiseRaw};
use napi::{Env, JsString};
use napi_derive::napi;
use neon_api_keys as core;
use std::time::Duration;

/// Client settings; every field is optional and falls back to the core's defaults
/// (connect 5 s, attempt 30 s, call 60 s, 2 retries, throttle on).
#[napi(object, object_to_js = false)]
pub struct ClientOptions {
    /// The key for personal operations (and organization ones when `orgApiKey` is unset).
    pub api_key: Option<String>,
    /// The key for organization operations.
    pub org_api_key: Option<String>,
    /// The API base URL including `/api/v2`; plain `http://` only to loopback hosts.
    pub base_url: Option<String>,
    /// Deadline for a whole call, retries included, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// Deadline for a TCP + TLS connection, in milliseconds.
    pub connect_timeout_ms: Option<f64>,
    /// Deadline for one attempt, in milliseconds.
    pub attempt_timeout_ms: Option<f64>,
    /// Retries after the first attempt (0 disables retries).
    pub max_retries: Option<f64>,
    /// The full-jitter exponential backoff as `[baseMs, capMs]`.
    pub backoff_ms: Option<Vec<f64>>,
    /// The longest `Retry-After` wait accepted, in milliseconds.
    pub max_retry_wait_ms: Option<f64>,
    /// Client-side throttling at Neon's rate limits (default on).
    pub throttle: Option<bool>,
    /// Find and clean up keys whose create outcome is unknown instead of failing (default off).
    pub reconcile_creates: Option<bool>,
    /// An extra trusted root certificate, PEM.
    pub ca_cert_pem: Option<String>,
}

/// Per-call settings.
#[napi(object, object_to_js = false)]
pub struct CallOptions {
    /// Deadline for this call, retries included, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// The `X-Request-ID` to send (Neon then reports it as the request id).
    pub request_id: Option<String>,
    /// Retries for this call.
    pub max_retries: Option<f64>,
}

fn duration(name: &str, millis: f64) -> core::Result<Duration> {
    if millis.is_finite() && millis >= 0.0 {
        Duration::try_from_secs_f64(millis / 1000.0)
            .map_err(|_| invalid_input(format!("{name} is too large")))
    } else {
        Err(invalid_input(format!(
            "{name} must be a finite, non-negative number of milliseconds"
        )))
    }
}

fn count(name: &str, value: f64) -> core::Result<u32> {
    if value.is_finite() && value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(invalid_input(format!(
            "{name} must be a non-negative integer"
        )))
    }
}

/// A key id from a JS number: it must be an integer the number represents exactly.
fn key_id(name: &str, value: f64) -> core::Result<i64> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER as f64 {
        Ok(value as i64)
    } else {
        Err(invalid_input(format!(
            "{name} must be a safe integer (Number.isSafeInteger)"
        )))
    }
}

fn configure(
    mut builder: core::ClientBuilder,
    options: Option<ClientOptions>,
) -> core::Result<core::ClientBuilder> {
    let Some(o) = options else {
        return Ok(builder);
    };
    if let Some(key) = o.api_key {
        builder = builder.api_key(key);
    }
    if let Some(key) = o.org_api_key {
        builder = builder.org_api_key(key);
    }
    if let Some(url) = o.base_url {
        builder = builder.base_url(url);
    }
    if let Some(ms) = o.timeout_ms {
        builder = builder.timeout(duration("timeoutMs", ms)?);
    }
    if let Some(ms) = o.connect_timeout_ms {
        builder = builder.connect_timeout(duration("connectTimeoutMs", ms)?);
    }
    if let Some(ms) = o.attempt_timeout_ms {
        builder = builder.attempt_timeout(duration("attemptTimeoutMs", ms)?);
    }
    if let Some(n) = o.max_retries {
        builder = builder.max_retries(count("maxRetries", n)?);
    }
    if let Some(backoff) = o.backoff_ms {
        let [base, cap] = backoff[..] else {
            return Err(invalid_input("backoffMs must be [baseMs, capMs]"));
        };
        builder = builder.backoff(duration("backoffMs", base)?, duration("backoffMs", cap)?);
    }
    if let Some(ms) = o.max_retry_wait_ms {
        builder = builder.max_retry_wait(duration("maxRetryWaitMs", ms)?);
    }
    if let Some(on) = o.throttle {
        builder = builder.throttle(on);
    }
    if let Some(on) = o.reconcile_creates {
        builder = builder.reconcile_creates(on);
    }
    if let Some(pem) = o.ca_cert_pem {
        builder = builder.add_root_certificate_pem(pem.into_bytes());
    }
    Ok(builder)
}

/// Whether `new NativeClient(options)` reads the environment: when no `apiKey` is given.
fn reads_env(options: Option<&ClientOptions>) -> bool {
    options.is_none_or(|o| o.api_key.is_none())
}

/// `node/<process.version>`, appended to the User-Agent.
fn user_agent_suffix(env: &Env) -> String {
    let version = env
        .get_global()
        .and_then(|global| global.get_named_property::<Object>("process"))
        .and_then(|process| process.get_named_property::<String>("version"));
    match version {
        Ok(version) => format!("node/{version}"),
        Err(_) => "node".to_owned(),
    }
}

/// The native client. Cheap to share: every call reuses its connection pool, throttle and retry budget,
/// all on the addon's one tokio runtime. Use `NeonClient` from the package instead of this class.
#[napi]
pub struct NativeClient {
    client: core::Client,
}

#[napi]
impl NativeClient {
    /// A client. Without `apiKey` it reads the environment like `fromEnv` (`NEON_API_KEY`,
    /// `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`); explicit settings still win. With
    /// `apiKey` only the settings given are used.
    /// Throws `NEON_CONFIG` for a bad base URL or certificate and `NEON_INVALID_INPUT` for a bad setting.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: Option<ClientOptions>) -> napi::Result<Self> {
        let builder = if reads_env(options.as_ref()) {
            core::ClientBuilder::new().from_env()
        } else {
            core::ClientBuilder::new()
        };
        Self::build(&env, builder, options)
    }

    /// A client that also reads `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and
    /// `NEON_API_HOST`; explicit settings win.
    #[napi(factory, catch_unwind)]
    pub fn from_env(env: Env, options: Option<ClientOptions>) -> napi::Result<Self> {
        Self::build(&env, core::ClientBuilder::new().from_env(), options)
    }

    fn build(
        env: &Env,
        builder: core::ClientBuilder,
        options: Option<ClientOptions>,
    ) -> napi::Result<Self> {
        let suffix = user_agent_suffix(env);
        configure(builder, options)
            .and_then(|builder| builder.user_agent_suffix(suffix).build())
            .map(|client| NativeClient { client })
            .map_err(|error| to_js_error(env, &error))
    }

    /// The base URL in use.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// The core client with this call's options applied.
    fn call(
        &self,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> core::Result<core::Client> {
        let mut call = core::CallOptions::new();
        if let Some(o) = options {
            if let Some(ms) = o.timeout_ms {
                call = call.timeout(duration("timeoutMs", ms)?);
            }
            if let Some(id) = o.request_id {
                call = call.request_id(id);
            }
            if let Some(n) = o.max_retries {
                call = call.max_retries(count("maxRetries", n)?);
            }
        }
        if let Some(handle) = cancel {
            call = call.cancellation(handle.token());
        }
        Ok(self.client.with_options(call))
    }

    /// Lists the personal API keys of the key's user.
    /// Resolves with one JSON array of `ApiKey` objects whose `createdAt` / `lastUsedAt` are epoch
    /// milliseconds (`models::keys_json`); `NeonClient` parses it and makes the `Date`s.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn list_api_keys<'env>(
        &self,
        env: &'env Env,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, JsString<'env>>> {
        let client = self.call(options, cancel);
        spawn_json(env, async move {
            models::keys_json(client?.list_api_keys().await?)
        })
    }

    /// Creates a personal API key; the secret is in the result, once.
    #[napi(catch_unwind, ts_return_type = "Promise<CreatedApiKey>")]
    pub fn create_api_key<'env>(
        &self,
        env: &'env Env,
        key_name: String,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, CreatedApiKey>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            client?.create_api_key(&key_name).await?.try_into()
        })
    }

    /// Revokes a personal API key.
    #[napi(catch_unwind, ts_return_type = "Promise<RevokedApiKey>")]
    pub fn revoke_api_key<'env>(
        &self,
        env: &'env Env,
        key_id: f64,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, RevokedApiKey>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            let id = self::key_id("keyId", key_id)?;
            client?.revoke_api_key(id).await?.try_into()
        })
    }

    /// Lists an organization's keys, org-wide and project-scoped.
    /// Resolves with one JSON array of `ApiKey` objects whose `createdAt` / `lastUsedAt` are epoch
    /// milliseconds (`models::keys_json`); `NeonClient` parses it and makes the `Date`s.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn list_org_api_keys<'env>(
        &self,
        env: &'env Env,
        org_id: String,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, JsString<'env>>> {
        let client = self.call(options, cancel);
        spawn_json(env, async move {
            models::keys_json(client?.list_org_api_keys(&org_id).await?)
        })
    }

    /// Creates an organization key; with `projectId`, a project-scoped one.
    #[napi(catch_unwind, ts_return_type = "Promise<CreatedApiKey>")]
    pub fn create_org_api_key<'env>(
        &self,
        env: &'env Env,
        org_id: String,
        key_name: String,
        project_id: Option<String>,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, CreatedApiKey>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            let created = client?
                .create_org_api_key(&org_id, &key_name, project_id.as_deref())
                .await?;
            created.try_into()
        })
    }

    /// Revokes an organization key.
    #[napi(catch_unwind, ts_return_type = "Promise<RevokedApiKey>")]
    pub fn revoke_org_api_key<'env>(
        &self,
        env: &'env Env,
        org_id: String,
        key_id: f64,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, RevokedApiKey>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            let id = self::key_id("keyId", key_id)?;
            client?.revoke_org_api_key(&org_id, id).await?.try_into()
        })
    }

    /// Creates a key scoped to one project (finds the project's organization first).
    #[napi(catch_unwind, ts_return_type = "Promise<CreatedApiKey>")]
    pub fn create_project_api_key<'env>(
        &self,
        env: &'env Env,
        project_id: String,
        key_name: String,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, CreatedApiKey>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            client?
                .create_project_api_key(&project_id, &key_name)
                .await?
                .try_into()
        })
    }

    /// Which kind of key is in use.
    #[napi(catch_unwind, ts_return_type = "Promise<AuthDetails>")]
    pub fn auth_details<'env>(
        &self,
        env: &'env Env,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, AuthDetails>> {
        let client = self.call(options, cancel);
        spawn(env, async move { Ok(client?.auth_details().await?.into()) })
    }

    /// Reads a project, for its organization.
    #[napi(catch_unwind, ts_return_type = "Promise<Project>")]
    pub fn get_project<'env>(
        &self,
        env: &'env Env,
        project_id: String,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, Project>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            Ok(client?.get_project(&project_id).await?.into())
        })
    }

    /// Rotates a personal key: creates `newName`, then revokes `oldId`.
    #[napi(catch_unwind, ts_return_type = "Promise<Rotation>")]
    pub fn rotate_api_key<'env>(
        &self,
        env: &'env Env,
        old_id: f64,
        new_name: String,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, Rotation>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            let id = self::key_id("oldId", old_id)?;
            client?.rotate_api_key(id, &new_name).await?.try_into()
        })
    }

    /// Rotates an organization key, keeping its project scope.
    #[napi(catch_unwind, ts_return_type = "Promise<Rotation>")]
    pub fn rotate_org_api_key<'env>(
        &self,
        env: &'env Env,
        org_id: String,
        old_id: f64,
        new_name: String,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, Rotation>> {
        let client = self.call(options, cancel);
        spawn(env, async move {
            let id = self::key_id("oldId", old_id)?;
            client?
                .rotate_org_api_key(&org_id, id, &new_name)
                .await?
                .try_into()
        })
    }

    /// Personal keys never used, or not used since `since`.
    /// Resolves with one JSON array of `ApiKey` objects whose `createdAt` / `lastUsedAt` are epoch
    /// milliseconds (`models::keys_json`); `NeonClient` parses it and makes the `Date`s.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn unused_api_keys<'env>(
        &self,
        env: &'env Env,
        since: Option<DateTime<Utc>>,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, JsString<'env>>> {
        let client = self.call(options, cancel);
        spawn_json(env, async move {
            models::keys_json(client?.unused_api_keys(since).await?)
        })
    }

    /// Organization keys never used, or not used since `since`.
    /// Resolves with one JSON array of `ApiKey` objects whose `createdAt` / `lastUsedAt` are epoch
    /// milliseconds (`models::keys_json`); `NeonClient` parses it and makes the `Date`s.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn unused_org_api_keys<'env>(
        &self,
        env: &'env Env,
        org_id: String,
        since: Option<DateTime<Utc>>,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> napi::Result<PromiseRaw<'env, JsString<'env>>> {
        let client = self.call(options, cancel);
        spawn_json(env, async move {
            models::keys_json(client?.unused_org_api_keys(&org_id, since).await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_must_be_safe_integers() {
        assert_eq!(key_id("keyId", 42.0).ok(), Some(42));
        assert!(key_id("keyId", 1.5).is_err());
        assert!(key_id("keyId", f64::NAN).is_err());
        assert!(key_id("keyId", 2f64.powi(53)).is_err());
        assert_eq!(
            key_id("keyId", MAX_SAFE_INTEGER as f64).ok(),
            Some(9_007_199_254_740_991)
        );
    }

    #[test]
    fn durations_reject_negative_and_huge() {
        assert_eq!(
            duration("t", 1500.0).ok(),
            Some(Duration::from_millis(1500))
        );
        assert!(duration("t", -1.0).is_err());
        assert!(duration("t", f64::INFINITY).is_err());
        assert!(duration("t", 1e300).is_err());
        assert!(count("n", -1.0).is_err());
        assert_eq!(count("n", 3.0).ok(), Some(3));
    }
}
