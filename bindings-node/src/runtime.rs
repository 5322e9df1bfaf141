//! The one tokio runtime shared by every client, the bridge from a core future to a JS `Promise`, and blocking
//! work on libuv's thread pool ([`Blocking`]).

use crate::errors::IntoJsError;
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue, TypeName};
use napi::{Env, JsString, Task};
use std::future::Future;

/// Installs one multi-thread tokio runtime for the whole addon when the module loads. Every
/// `NativeClient` and every call runs on it. If the runtime cannot be built, napi's own default
/// runtime is used instead.
#[napi_derive::module_init]
fn init() {
    if let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("neon-api-keys")
        .build()
    {
        napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
    }
}

/// Runs `fut` on the shared runtime and returns a `Promise`: resolved with the value, or rejected with the
/// JS `Error` its error becomes ([`IntoJsError`]: a stable `code`, details in `neon`).
/// A panic inside `fut` rejects the promise (napi catches it) instead of crashing the process.
pub(crate) fn spawn<'env, V, E, F>(env: &'env Env, fut: F) -> napi::Result<PromiseRaw<'env, V>>
where
    V: ToNapiValue + Send + 'static,
    E: IntoJsError,
    F: Future<Output = Result<V, E>> + Send + 'static,
{
    env.spawn_future_with_callback(async move { Ok(fut.await) }, |env, result| {
        result.map_err(|error| error.into_js_error(env))
    })
}

/// Like [`spawn`], for a JSON text (`models::keys_json`). ASCII text, the usual case, becomes a JS string by
/// a plain copy (`napi_create_string_latin1`, ~0.2 ms for 10,000 keys) instead of UTF-8 decoding (~1.6 ms).
pub(crate) fn spawn_json<'env, F>(
    env: &'env Env,
    fut: F,
) -> napi::Result<PromiseRaw<'env, JsString<'env>>>
where
    F: Future<Output = neon_api_keys::Result<String>> + Send + 'static,
{
    env.spawn_future_with_callback(async move { Ok(fut.await) }, |env, result| {
        let json = result.map_err(|error| error.into_js_error(env))?;
        if json.is_ascii() {
            env.create_string_latin1(json)
        } else {
            env.create_string(&json)
        }
    })
}

/// Blocking work (a keychain access, which may wait for the user to answer a macOS prompt) for libuv's thread
/// pool: returned from a `#[napi]` method as `AsyncTask<Blocking<T>>`, it becomes a `Promise` resolved with the
/// value or rejected with the JS error of the core error ([`IntoJsError`]). A panic in the work rejects with an
/// `internal` error instead of taking the process down.
pub struct Blocking<T> {
    work: Option<Box<dyn FnOnce() -> neon_api_keys::Result<T> + Send>>,
}

impl<T> Blocking<T> {
    /// The task that runs `work` once on the pool.
    pub(crate) fn new(work: impl FnOnce() -> neon_api_keys::Result<T> + Send + 'static) -> Self {
        Blocking {
            work: Some(Box::new(work)),
        }
    }
}

impl<T> Task for Blocking<T>
where
    T: ToNapiValue + TypeName + Send + 'static,
{
    type Output = neon_api_keys::Result<T>;
    type JsValue = T;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let internal = |what: &str| {
            neon_api_keys::Error::new(neon_api_keys::ErrorKind::Internal, what.to_owned())
        };
        Ok(match self.work.take() {
            Some(work) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                .unwrap_or_else(|_| Err(internal("the call panicked inside the addon"))),
            None => Err(internal("the call ran twice")),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<T> {
        output.map_err(|error| error.into_js_error(&env))
    }
}
