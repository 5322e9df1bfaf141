//! The shared multi-threaded tokio runtime every async method runs on.
//!
//! uniffi's `async_runtime = "tokio"` only provides a tokio context on a single-threaded fallback runtime;
//! the bodies of our async methods are spawned here instead, so calls run in parallel and the core's
//! timers, connection pool and throttle live on one runtime for the whole process.

use crate::error::FfiError;
use std::future::Future;
use std::sync::OnceLock;
use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinHandle;

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The shared runtime, built on first use.
pub(crate) fn get() -> Result<&'static Runtime, FfiError> {
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("neon-api-keys")
                .enable_all()
                .build()
                .map_err(|e| format!("could not start the tokio runtime: {e}"))
        })
        .as_ref()
        .map_err(|message| FfiError::internal(message))
}

/// Aborts the spawned task if the caller's future is dropped before it finishes.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `future` on the shared runtime and waits for it. A panic inside becomes an `Internal` error.
pub(crate) async fn spawn<F, T>(future: F) -> Result<T, FfiError>
where
    F: Future<Output = Result<T, FfiError>> + Send + 'static,
    T: Send + 'static,
{
    let mut handle = AbortOnDrop(get()?.spawn(future));
    match (&mut handle.0).await {
        Ok(result) => result,
        Err(join_error) if join_error.is_panic() => Err(FfiError::internal(
            "a panic occurred inside neon-api-keys; please report it",
        )),
        Err(_) => Err(FfiError::internal(
            "the call's task was cancelled by the runtime",
        )),
    }
}

/// Runs a synchronous closure inside the shared runtime's context (for constructors that may need it).
pub(crate) fn enter<T>(f: impl FnOnce() -> Result<T, FfiError>) -> Result<T, FfiError> {
    let _guard = get()?.enter();
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_internal() {
        let result: Result<(), FfiError> = get().map_or_else(Err, |rt| {
            rt.block_on(spawn(async {
                #[allow(clippy::panic)]
                {
                    panic!("boom");
                }
            }))
        });
        let kind = match &result {
            Err(FfiError::Neon { error }) => Some(error.kind),
            _ => None,
        };
        assert_eq!(
            kind,
            Some(crate::error::FfiErrorKind::Internal),
            "{result:?}"
        );
    }

    #[test]
    fn bodies_run_on_the_shared_runtime() {
        let name = get().map_or_else(Err, |rt| {
            rt.block_on(spawn(async {
                Ok(std::thread::current().name().map(str::to_string))
            }))
        });
        assert_eq!(name, Ok(Some("neon-api-keys".to_string())));
    }
}
