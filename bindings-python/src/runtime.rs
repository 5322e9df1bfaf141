//! The one tokio runtime every client shares, rebuilt after `fork()`; blocking calls ([`block_on`], GIL
//! released, Ctrl-C honoured), the panic guard around every core future, and the exit-time rule for work that
//! needs the GIL from a runtime thread ([`complete`]). Asyncio calls are in `awaitable`.

use futures::FutureExt;
use neon_api_keys::{CancellationToken, Error, ErrorKind};
use pyo3::prelude::*;
use std::future::Future;
use std::panic::AssertUnwindSafe;
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
#[cfg(feature = "test-hooks")]
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

/// Registered with `atexit`: stops new completions and log records, and waits (GIL released, at most 2 s) for running ones,
/// so that no runtime thread touches the interpreter while it finalizes.
#[pyfunction]
pub(crate) fn _shutdown(py: Python<'_>) {
    SHUTTING_DOWN.store(true, Ordering::SeqCst);
    // No log record is built any more (forwarding one would need the GIL).
    neon_api_keys::log::clear_log_sink();
    py.detach(|| {
        let start = std::time::Instant::now();
        while COMPLETING.load(Ordering::SeqCst) > 0 && start.elapsed() < SHUTDOWN_GRACE {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Wraps a core future: counts it in flight and turns a panic into `ErrorKind::Internal`.
pub(crate) async fn guarded<T, E: From<Error>>(
    fut: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let _in_flight = InFlight::new();
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(E::from(Error::new(
                ErrorKind::Internal,
                format!("the SDK panicked (please report this bug): {what}"),
            )))
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

/// A finished blocking call: the core's result, and the signal handler's exception (Ctrl-C's
/// `KeyboardInterrupt`) if one interrupted it.
pub(crate) struct Blocked<T, E> {
    /// What the core returned.
    pub(crate) result: Result<T, E>,
    /// The exception a signal handler raised while the call ran.
    pub(crate) interrupt: Option<PyErr>,
}

/// Runs a core future to completion on this thread with the GIL released (so that a rotation's store runs on
/// the caller's thread). On the main thread it checks for signals every 50 ms: when a handler raises (Ctrl-C
/// → `KeyboardInterrupt`), `cancel` is triggered and the call still runs to its end (the core stops at once
/// where it safely can), so that nothing it made is lost.
pub(crate) fn block_on<T, E, F>(py: Python<'_>, cancel: CancellationToken, fut: F) -> Blocked<T, E>
where
    T: Send,
    E: From<Error> + Send,
    F: Future<Output = Result<T, E>> + Send,
{
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(e) => {
            return Blocked {
                result: Err(E::from(e)),
                interrupt: None,
            }
        }
    };
    let watch_signals = on_main_thread(py);
    py.detach(move || {
        runtime.block_on(async move {
            let fut = guarded(fut);
            tokio::pin!(fut);
            let mut interrupt = None;
            if !watch_signals {
                let result = fut.await;
                return Blocked { result, interrupt };
            }
            // The first check comes one period in: `interval`'s immediate first tick made every main-thread
            // call register a timer and re-take the GIL before waiting (bench/results/FINDINGS.md).
            let start = tokio::time::Instant::now() + SIGNAL_POLL;
            let mut tick = tokio::time::interval_at(start, SIGNAL_POLL);
            loop {
                tokio::select! {
                    biased;
                    result = &mut fut => return Blocked { result, interrupt },
                    _ = tick.tick(), if interrupt.is_none() => {
                        if let Err(signal) = Python::attach(|py| py.check_signals()) {
                            cancel.cancel();
                            interrupt = Some(signal);
                        }
                    }
                }
            }
        })
    })
}

/// Runs `work` (a completion that needs the GIL) unless the interpreter is exiting, counted so that exit waits
/// for it.
pub(crate) fn complete(work: impl FnOnce(Python<'_>)) {
    let _completing = Completing::new();
    // A thread taking the GIL while the interpreter finalizes is killed mid-way (and crashes the process):
    // once exit has begun, drop the completion instead.
    if !SHUTTING_DOWN.load(Ordering::SeqCst) {
        Python::attach(work);
    }
}
