//! The one tokio runtime every client shares, rebuilt after `fork()`, and the two ways of running a core
//! future from Python: blocking with the GIL released ([`block_on`]) and as an asyncio awaitable ([`awaitable`]).

use crate::errors::Answer;
use futures::FutureExt;
use neon_api_keys::{CancellationToken, Error, ErrorKind};
use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime as AsyncRuntime};
use pyo3_async_runtimes::TaskLocals;
use std::cell::OnceCell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::runtime::Runtime;

/// How often a blocking call looks for a pending signal (Ctrl-C) while it waits.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// The runtime and the process it was built in.
struct Slot {
    pid: u32,
    runtime: Arc<Runtime>,
}

static RUNTIME: Mutex<Option<Slot>> = Mutex::new(None);

/// Core calls in flight (futures not yet dropped), for the tests of cancellation.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Completions (blocking closures that take the GIL to hand a result to asyncio) running right now.
static COMPLETING: AtomicUsize = AtomicUsize::new(0);

/// Set by the `atexit` hook: from then on completions are dropped instead of taking the GIL.
static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);

/// How long interpreter exit waits for completions that already started.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The shared multi-thread runtime. After `fork()` the parent's worker threads do not exist in the child, so
/// a runtime built in another process is leaked (never dropped: that would wait for threads that are gone)
/// and a new one is built.
pub(crate) fn runtime() -> Result<Arc<Runtime>, Error> {
    let pid = std::process::id();
    let mut slot = lock(&RUNTIME);
    if let Some(current) = slot.as_ref() {
        if current.pid == pid {
            return Ok(current.runtime.clone());
        }
    }
    if let Some(stale) = slot.take() {
        std::mem::forget(stale.runtime);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("neon-api-keys-python")
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("could not start the runtime: {e}"),
            )
        })?;
    let runtime = Arc::new(runtime);
    *slot = Some(Slot {
        pid,
        runtime: runtime.clone(),
    });
    Ok(runtime)
}

/// Counts a core future as in flight until it is dropped (completed or cancelled).
struct InFlight;

impl InFlight {
    fn new() -> InFlight {
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How many core calls are running right now (a cancelled call must drop to zero).
pub(crate) fn in_flight() -> usize {
    IN_FLIGHT.load(Ordering::SeqCst)
}

/// Counts a completion while it runs.
struct Completing;

impl Completing {
    fn new() -> Completing {
        COMPLETING.fetch_add(1, Ordering::SeqCst);
        Completing
    }
}

impl Drop for Completing {
    fn drop(&mut self) {
        COMPLETING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Registered with `atexit`: stops new completions and waits (GIL released, at most 2 s) for running ones,
/// so that no runtime thread touches the interpreter while it finalizes.
#[pyfunction]
pub(crate) fn _shutdown(py: Python<'_>) {
    SHUTTING_DOWN.store(true, Ordering::SeqCst);
    py.detach(|| {
        let start = std::time::Instant::now();
        while COMPLETING.load(Ordering::SeqCst) > 0 && start.elapsed() < SHUTDOWN_GRACE {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Wraps a core future: counts it in flight and turns a panic into `ErrorKind::Internal`.
async fn guarded<T>(fut: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let _in_flight = InFlight::new();
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(Error::new(
                ErrorKind::Internal,
                format!("the SDK panicked (please report this bug): {what}"),
            ))
        }
    }
}

/// Whether the calling Python thread is the main thread (the only one Python delivers signals to).
fn on_main_thread(py: Python<'_>) -> bool {
    let threading = match py.import("threading") {
        Ok(module) => module,
        Err(_) => return false,
    };
    match (
        threading.call_method0("current_thread"),
        threading.call_method0("main_thread"),
    ) {
        (Ok(current), Ok(main)) => current.is(&main),
        _ => false,
    }
}

/// Runs a core future to completion with the GIL released. On the main thread it checks for signals every
/// 50 ms: when a handler raises (Ctrl-C → `KeyboardInterrupt`), `cancel` is triggered, the call is dropped and
/// the handler's exception propagates.
pub(crate) fn block_on<T, F>(
    py: Python<'_>,
    cancel: CancellationToken,
    fut: F,
) -> PyResult<Result<T, Error>>
where
    T: Send,
    F: Future<Output = Result<T, Error>> + Send,
{
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(e) => return Ok(Err(e)),
    };
    let watch_signals = on_main_thread(py);
    py.detach(move || {
        runtime.block_on(async move {
            let fut = guarded(fut);
            tokio::pin!(fut);
            if !watch_signals {
                return Ok(fut.await);
            }
            // The first check comes one period in: `interval`'s immediate first tick made every main-thread
            // call register a timer and re-take the GIL before waiting (bench/results/FINDINGS.md).
            let start = tokio::time::Instant::now() + SIGNAL_POLL;
            let mut tick = tokio::time::interval_at(start, SIGNAL_POLL);
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return Ok(out),
                    _ = tick.tick() => {
                        if let Err(signal) = Python::attach(|py| py.check_signals()) {
                            cancel.cancel();
                            return Err(signal);
                        }
                    }
                }
            }
        })
    })
}

/// Turns a core future into an asyncio awaitable running on the shared runtime. Cancelling the asyncio
/// task drops the core future (which aborts its request); the result is converted under the GIL.
pub(crate) fn awaitable<'py, T, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    runtime().map_err(|e| crate::errors::to_pyerr(py, &e))?;
    pyo3_async_runtimes::generic::future_into_py::<SharedRuntime, _, _>(py, async move {
        Ok(Answer(guarded(fut).await))
    })
}

/// [`runtime`] seen through pyo3-async-runtimes' generic runtime traits.
pub(crate) struct SharedRuntime;

/// A task that could not be spawned or did not finish.
pub(crate) enum SpawnError {
    /// The runtime could not be built.
    NoRuntime,
    /// The task failed.
    Join(tokio::task::JoinError),
}

impl JoinError for SpawnError {
    fn is_panic(&self) -> bool {
        match self {
            SpawnError::NoRuntime => false,
            SpawnError::Join(e) => e.is_panic(),
        }
    }

    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        match self {
            SpawnError::NoRuntime => Box::new("the runtime could not be built"),
            SpawnError::Join(e) => match e.try_into_panic() {
                Ok(panic) => panic,
                Err(_) => Box::new("the task was cancelled"),
            },
        }
    }
}

/// The join handle of a task on the shared runtime.
pub(crate) type SpawnHandle = Pin<Box<dyn Future<Output = Result<(), SpawnError>> + Send>>;

fn join(handle: Result<tokio::task::JoinHandle<()>, Error>) -> SpawnHandle {
    Box::pin(async move {
        match handle {
            Ok(handle) => handle.await.map_err(SpawnError::Join),
            Err(_) => Err(SpawnError::NoRuntime),
        }
    })
}

impl AsyncRuntime for SharedRuntime {
    type JoinError = SpawnError;
    type JoinHandle = SpawnHandle;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        join(runtime().map(|rt| rt.spawn(fut)))
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        join(runtime().map(|rt| {
            rt.spawn_blocking(move || {
                let _completing = Completing::new();
                // A thread taking the GIL while the interpreter finalizes is killed mid-way (and crashes
                // the process): once exit has begun, drop the completion instead.
                if !SHUTTING_DOWN.load(Ordering::SeqCst) {
                    f();
                }
            })
        }))
    }
}

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

impl ContextExt for SharedRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|cell| cell.get().cloned())
            .unwrap_or_default()
    }
}
