//! `NativeClient`: the core's async [`neon_api_keys::Client`] as a JS class whose methods return Promises.
//! Its operations are declared once, in the table of [`operations!`], one entry per
//! `neon_api_keys::OPERATIONS` item; a unit test here and `test/operations.test.mjs` fail when one is missing.

use crate::cancel::CancelHandle;
use crate::errors::to_js_error;
use crate::keychain::KeychainEntry;
use crate::logging::{client_span, ClientListener, ClientLog};
use crate::models::{self, AuthDetails, CreatedApiKey, Project, RevokedApiKey, Rotation};
use crate::options::{call_options, configure, key_id, CallOptions, ClientOptions};
use crate::rotation::{self, rotate_options, JsStore, RotateOptions};
use crate::runtime::{spawn, spawn_json};
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{JsObjectValue, Object, PromiseRaw};
use napi::{Env, JsString};
use napi_derive::napi;
use neon_api_keys as core;
use tracing::Instrument;

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
/// all on the addon's one tokio runtime. Use `Client` from the package instead of this class.
#[napi]
pub struct NativeClient {
    client: core::Client,
    /// With a logger: the listener that gets the records of this client's calls (removed with the client).
    log: Option<ClientListener>,
}

#[napi]
impl NativeClient {
    /// A client. Without `apiKey` it reads the environment (`NEON_API_KEY`, `NEON_ORG_API_KEY`,
    /// `NEON_PROJECT_API_KEY`, `NEON_API_HOST`; explicit settings win); with `apiKey` only the settings given
    /// are used (the core's `ClientBuilder::env_when_no_api_key`). With `keychain`, that entry is read now, and
    /// its key used where no key is given otherwise. With `log`, the records of the client's calls go to it.
    /// Throws `NEON_CONFIG` for a bad base URL or certificate, `NEON_INVALID_INPUT` for a bad setting and
    /// `NEON_KEYCHAIN` when the keychain entry cannot be read.
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: Env,
        options: Option<ClientOptions>,
        log: Option<ClientLog>,
    ) -> napi::Result<Self> {
        Self::build(
            &env,
            core::ClientBuilder::new().env_when_no_api_key(),
            options,
            log,
        )
    }

    /// A client that also reads `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and
    /// `NEON_API_HOST`; explicit settings win (the core's `ClientBuilder::from_env`).
    #[napi(factory, catch_unwind)]
    pub fn from_env(
        env: Env,
        options: Option<ClientOptions>,
        log: Option<ClientLog>,
    ) -> napi::Result<Self> {
        Self::build(&env, core::ClientBuilder::new().from_env(), options, log)
    }

    fn build(
        env: &Env,
        builder: core::ClientBuilder,
        options: Option<ClientOptions>,
        log: Option<ClientLog>,
    ) -> napi::Result<Self> {
        let suffix = user_agent_suffix(env);
        let built = configure(builder, options)
            .and_then(|builder| builder.user_agent_suffix(suffix).build())
            .and_then(|client| {
                let log = log.map(ClientListener::new).transpose()?;
                Ok(NativeClient { client, log })
            });
        built.map_err(|error| to_js_error(env, &error))
    }

    /// The base URL in use.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }
}

impl NativeClient {
    /// The core client with this call's options applied.
    fn call(
        &self,
        options: Option<CallOptions>,
        cancel: Option<&CancelHandle>,
    ) -> core::Result<core::Client> {
        let call = call_options(options, cancel.map(CancelHandle::token))?;
        Ok(self.client.with_options(call))
    }
}

/// Declares `NativeClient`'s operations. Each entry is one core operation:
///
/// ```text
/// /// doc comment (it becomes the method's TSDoc)
/// name(arg: Type, ...) -> JsValue as "TS return type" via spawn|spawn_json => |client| body;
/// ```
///
/// Every method also takes `options` (the call's settings) and `cancel` (the `AbortSignal`'s handle), runs
/// `body` on the shared runtime with `client` bound to the core client under those options (inside the client's
/// log span when it has a logger, see `crate::logging`), and returns a Promise. `spawn` resolves with the value; `spawn_json` with one JSON text (key lists, see
/// `models::keys_json`). A bad argument rejects before anything is sent.
///
/// The entries' docs are `#[doc = "..."]` attributes, not `///` comments: napi-rs copies a doc comment that
/// passed through `macro_rules!` (a raw string then) into the TypeScript types with its `r"` prefix.
macro_rules! operations {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident($($(#[$arg_attr:meta])* $arg:ident: $ty:ty),*) -> $ret:ty as $ts:literal
            via $spawn:ident => |$client:ident| $body:expr;
    )*) => {
        #[napi]
        impl NativeClient {
            $(
                $(#[doc = $doc])*
                #[napi(catch_unwind, ts_return_type = $ts)]
                // The JS signature: the operation's arguments, then the call's options and cancel handle.
                #[allow(clippy::too_many_arguments)]
                pub fn $name<'env>(
                    &self,
                    env: &'env Env,
                    $($(#[$arg_attr])* $arg: $ty,)*
                    options: Option<CallOptions>,
                    cancel: Option<&CancelHandle>,
                ) -> napi::Result<PromiseRaw<'env, $ret>> {
                    let client = self.call(options, cancel);
                    let call = async move {
                        let $client = client?;
                        $body
                    };
                    $spawn(env, call.instrument(client_span(self.log.as_ref())))
                }
            )*
        }

        /// The operations declared by [`operations!`], by their snake_case names.
        #[cfg(test)]
        const DECLARED: &[&str] = &[$(stringify!($name)),*];
    };
}

operations! {
    #[doc = "Lists the personal API keys of the key's user."]
    #[doc = "Resolves with one JSON array of `ApiKey` objects whose `createdAt` / `lastUsedAt` are epoch"]
    #[doc = "milliseconds (`models::keys_json`); `Client` parses it and makes the `Date`s."]
    list_api_keys() -> JsString<'env> as "Promise<string>" via spawn_json => |client| {
        models::keys_json(client.list_api_keys().await?)
    };

    #[doc = "Creates a personal API key; the secret is in the result, once."]
    create_api_key(key_name: String) -> CreatedApiKey as "Promise<CreatedApiKey>" via spawn => |client| {
        Ok::<_, core::Error>(client.create_api_key(&key_name).await?.into())
    };

    #[doc = "Revokes a personal API key."]
    revoke_api_key(key_id: f64) -> RevokedApiKey as "Promise<RevokedApiKey>" via spawn => |client| {
        let id = self::key_id("keyId", key_id)?;
        Ok::<_, core::Error>(client.revoke_api_key(id).await?.into())
    };

    #[doc = "Lists an organization's keys, org-wide and project-scoped."]
    #[doc = "Resolves with one JSON array of `ApiKey` objects whose `createdAt` / `lastUsedAt` are epoch"]
    #[doc = "milliseconds (`models::keys_json`); `Client` parses it and makes the `Date`s."]
    list_org_api_keys(org_id: String) -> JsString<'env> as "Promise<string>" via spawn_json => |client| {
        models::keys_json(client.list_org_api_keys(&org_id).await?)
    };

    #[doc = "Creates an organization key; with `projectId`, a project-scoped one."]
    create_org_api_key(org_id: String, key_name: String, project_id: Option<String>)
        -> CreatedApiKey as "Promise<CreatedApiKey>" via spawn => |client| {
        let created = client
            .create_org_api_key(&org_id, &key_name, project_id.as_deref())
            .await?;
        Ok::<_, core::Error>(created.into())
    };

    #[doc = "Revokes an organization key."]
    revoke_org_api_key(org_id: String, key_id: f64)
        -> RevokedApiKey as "Promise<RevokedApiKey>" via spawn => |client| {
        let id = self::key_id("keyId", key_id)?;
        Ok::<_, core::Error>(client.revoke_org_api_key(&org_id, id).await?.into())
    };

    #[doc = "Creates a key scoped to one project (finds the project's organization first)."]
    create_project_api_key(project_id: String, key_name: String)
        -> CreatedApiKey as "Promise<CreatedApiKey>" via spawn => |client| {
        let created = client.create_project_api_key(&project_id, &key_name).await?;
        Ok::<_, core::Error>(created.into())
    };

    #[doc = "Which kind of key is in use."]
    auth_details() -> AuthDetails as "Promise<AuthDetails>" via spawn => |client| {
        Ok::<_, core::Error>(client.auth_details().await?.into())
    };

    #[doc = "Reads a project, for its organization."]
    get_project(project_id: String) -> Project as "Promise<Project>" via spawn => |client| {
        Ok::<_, core::Error>(client.get_project(&project_id).await?.into())
    };

    #[doc = "Rotates a personal key in two phases: creates the new key, checks it authenticates, hands it to"]
    #[doc = "`store`, and revokes `oldId` only once `store` resolved `true`. A `false` (the store failed) or a"]
    #[doc = "cancellation before that revokes the new key; the old key stays live."]
    rotate_api_key(
        old_id: f64,
        #[napi(ts_arg_type = "(newKey: CreatedApiKey) => Promise<boolean>")] store: JsStore,
        rotate: Option<RotateOptions>
    ) -> Rotation as "Promise<Rotation>" via spawn => |client| {
        rotation::rotate(client, None, old_id, store, rotate).await
    };

    #[doc = "Rotates an organization key in two phases like `rotateApiKey`, keeping its project scope."]
    rotate_org_api_key(
        org_id: String,
        old_id: f64,
        #[napi(ts_arg_type = "(newKey: CreatedApiKey) => Promise<boolean>")] store: JsStore,
        rotate: Option<RotateOptions>
    ) -> Rotation as "Promise<Rotation>" via spawn => |client| {
        rotation::rotate(client, Some(org_id), old_id, store, rotate).await
    };

    #[doc = "Rotates, in place, the key a keychain entry holds: creates the new key with the same scope, checks"]
    #[doc = "it authenticates, saves it over the entry, and only then revokes the old key. A failing save revokes"]
    #[doc = "the new key and leaves the entry and the old key as they were (`NEON_KEYCHAIN`); an empty entry is"]
    #[doc = "`NEON_NOT_FOUND`. When this client uses the old key, it uses the new one from then on."]
    rotate_keychain_key(keychain: KeychainEntry, rotate: Option<RotateOptions>)
        -> Rotation as "Promise<Rotation>" via spawn => |client| {
        let keychain = keychain.open()?;
        let rotation = client.rotate_keychain_key(&keychain, rotate_options(rotate)?).await?;
        Ok::<_, core::Error>(Rotation::from(rotation))
    };

    #[doc = "Personal keys not in use: with `since`, keys created before it and not used since; without it, keys"]
    #[doc = "never used. Resolves with one JSON array of `ApiKey` objects whose `createdAt` / `lastUsedAt` are"]
    #[doc = "epoch milliseconds (`models::keys_json`); `Client` parses it and makes the `Date`s."]
    unused_api_keys(since: Option<DateTime<Utc>>) -> JsString<'env> as "Promise<string>"
        via spawn_json => |client| {
        models::keys_json(client.unused_api_keys(since).await?)
    };

    #[doc = "Organization keys not in use, as `unusedApiKeys` decides it. Resolves with one JSON array of `ApiKey`"]
    #[doc = "objects whose `createdAt` / `lastUsedAt` are epoch milliseconds (`models::keys_json`)."]
    unused_org_api_keys(org_id: String, since: Option<DateTime<Utc>>) -> JsString<'env>
        as "Promise<string>" via spawn_json => |client| {
        models::keys_json(client.unused_org_api_keys(&org_id, since).await?)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_operation_is_declared_once() {
        let core: Vec<&str> = core::OPERATIONS.iter().map(|op| op.name).collect();
        assert_eq!(DECLARED, core.as_slice());
    }
}
