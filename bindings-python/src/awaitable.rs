//! `Call`: what `AsyncClient` methods return, a coroutine object (`send`, `throw`, `close`, `__await__`;
//! registered as a `collections.abc.Coroutine`) that starts nothing until it is first resumed, so it works with
//! `await`, `asyncio.create_task`, `TaskGroup.create_task` and `asyncio.run`. One never resumed warns like an
//! un-awaited coroutine when it is collected (`close()` first silences that).
//!
//! Once started, the core call runs on the shared runtime and reports to the call's [`Inbox`]: its outcome,
//! or a rotation asking for its store to be run. The coroutine waits on a fresh asyncio future each time
//! (its "waiter"), which the runtime wakes through `loop.call_soon_threadsafe`. A rotation's store runs inside
//! the coroutine, in the caller's task: a plain function is called, and what it returns is awaited when it is
//! awaitable.
//!
//! Cancellation never drops work mid-flight: an exception thrown in (the task's `CancelledError`) cancels the
//! core call's token, and the coroutine keeps waiting until the core has finished; then `outcome::settle`
//! decides what the caller gets.

use crate::models::CreatedApiKey;
use crate::runtime::complete;
use neon_api_keys::CancellationToken;
use pyo3::exceptions::{
    PyBaseException, PyRuntimeError, PyStopIteration, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyTuple, PyType};
use pyo3::IntoPyObjectExt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio::sync::oneshot;

/// Turns the finished core call into the Python outcome; its argument is the exception that interrupted the
/// call, if one did.
pub(crate) type Settle =
    Box<dyn for<'py> FnOnce(Python<'py>, Option<PyErr>) -> PyResult<Py<PyAny>> + Send>;

/// A rotation's request to run the caller's store with the new key.
pub(crate) struct StoreRequest {
    store: Py<PyAny>,
    key: neon_api_keys::CreatedApiKey,
    reply: oneshot::Sender<Result<(), PyErr>>,
}

#[derive(Default)]
struct Slot {
    outcome: Option<Settle>,
    store: Option<StoreRequest>,
    waiter: Option<Py<PyAny>>,
}

/// Where a running core call reports to its `Call`.
#[derive(Default)]
pub(crate) struct Inbox {
    slot: Mutex<Slot>,
    event_loop: OnceLock<Py<PyAny>>,
}

enum Item {
    Outcome(Settle),
    Store(StoreRequest),
    Wait(Py<PyAny>),
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// `_wake(waiter)`: resolves the waiter unless it is already done (cancelled).
#[pyfunction]
fn _wake(waiter: &Bound<'_, PyAny>) -> PyResult<()> {
    if !waiter.call_method0("done")?.is_truthy()? {
        waiter.call_method1("set_result", (waiter.py().None(),))?;
    }
    Ok(())
}

static WAKE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

impl Inbox {
    /// An inbox whose call already finished (`aclose()`, `__aenter__`).
    fn finished(settle: Settle) -> Inbox {
        let inbox = Inbox::default();
        lock(&inbox.slot).outcome = Some(settle);
        inbox
    }

    /// Records the running event loop (called when the call starts, on the loop's thread).
    pub(crate) fn attach_loop(&self, py: Python<'_>) -> PyResult<()> {
        let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
        let _ = self.event_loop.set(event_loop.unbind());
        Ok(())
    }

    /// Hands over the finished call (from a runtime thread).
    pub(crate) fn finish(&self, settle: Settle) {
        self.post(|slot| slot.outcome = Some(settle));
    }

    /// Asks the call to run a rotation's store; the reply says whether it accepted the key.
    pub(crate) fn run_store(
        self: &Arc<Self>,
        store: Py<PyAny>,
        key: neon_api_keys::CreatedApiKey,
    ) -> Pin<Box<dyn Future<Output = Result<(), PyErr>> + Send>> {
        let (reply, answer) = oneshot::channel();
        self.post(|slot| {
            slot.store = Some(StoreRequest { store, key, reply });
        });
        Box::pin(async move {
            answer.await.unwrap_or_else(|_| {
                Err(PyRuntimeError::new_err(
                    "the call was closed before its store ran; the new key was not stored",
                ))
            })
        })
    }

    fn post(&self, put: impl FnOnce(&mut Slot)) {
        let waiter = {
            let mut slot = lock(&self.slot);
            put(&mut slot);
            slot.waiter.take()
        };
        let (Some(waiter), Some(event_loop)) = (waiter, self.event_loop.get()) else {
            return;
        };
        complete(|py| {
            let wake = WAKE.get_or_try_init(py, || {
                wrap_pyfunction!(_wake, py).map(|f| f.into_any().unbind())
            });
            if let Ok(wake) = wake {
                // A closed loop refuses: then nobody waits any more.
                let _ = event_loop
                    .bind(py)
                    .call_method1("call_soon_threadsafe", (wake, waiter));
            }
        });
    }

    /// The next thing for the call: its outcome, a store to run, or a fresh waiter to yield to the task.
    fn next(&self, py: Python<'_>) -> PyResult<Item> {
        if let Some(item) = self.take() {
            return Ok(item);
        }
        let Some(event_loop) = self.event_loop.get() else {
            return Err(PyRuntimeError::new_err("the call has no event loop"));
        };
        let waiter = event_loop.bind(py).call_method0("create_future")?;
        waiter.setattr("_asyncio_future_blocking", true)?;
        let mut slot = lock(&self.slot);
        if let Some(outcome) = slot.outcome.take() {
            return Ok(Item::Outcome(outcome));
        }
        if let Some(store) = slot.store.take() {
            return Ok(Item::Store(store));
        }
        slot.waiter = Some(waiter.clone().unbind());
        Ok(Item::Wait(waiter.unbind()))
    }

    fn take(&self) -> Option<Item> {
        let mut slot = lock(&self.slot);
        if let Some(outcome) = slot.outcome.take() {
            return Some(Item::Outcome(outcome));
        }
        slot.store.take().map(Item::Store)
    }
}

/// Starts the call (on the event loop's thread, inside the running loop): spawns the core call, which reports
/// to the returned inbox.
pub(crate) type Starter = Box<dyn FnOnce(Python<'_>) -> PyResult<Arc<Inbox>> + Send>;

/// A rotation's store being awaited: its awaitable's iterator and where its answer goes.
struct Sub {
    iterator: Py<PyAny>,
    reply: oneshot::Sender<Result<(), PyErr>>,
}

struct Running {
    inbox: Arc<Inbox>,
    token: CancellationToken,
    sub: Option<Sub>,
    interrupt: Option<PyErr>,
}

enum State {
    /// Not started.
    Ready(Starter, CancellationToken),
    /// Started, suspended.
    Running(Running),
    /// Inside `send`/`throw` right now.
    Executing,
    /// Finished or closed.
    Done,
}

/// How the coroutine is resumed.
enum Resume {
    Send(Py<PyAny>),
    Throw(PyErr),
}

/// A pending call of `AsyncClient`: a coroutine. Await it, or pass it to `asyncio.create_task`,
/// `TaskGroup.create_task` or `asyncio.run`. Nothing starts until then. Cancelling it never loses what the
/// call made: it waits for the core to finish, and a created key is returned (or `OutcomeUnknownError`
/// raised) instead of `CancelledError`.
#[pyclass(module = "neon_api_keys", name = "Call", frozen)]
pub struct Call {
    qualname: &'static str,
    state: Mutex<State>,
}

impl Call {
    /// A call named `qualname` (`AsyncClient.list_api_keys`) that `starter` starts; `token` cancels it.
    pub(crate) fn new(qualname: &'static str, token: CancellationToken, starter: Starter) -> Call {
        Call {
            qualname,
            state: Mutex::new(State::Ready(starter, token)),
        }
    }

    /// A call whose value is already known (`aclose()`, `__aenter__`, `__aexit__`).
    pub(crate) fn ready(qualname: &'static str, value: Py<PyAny>) -> Call {
        let starter: Starter = Box::new(move |_py| {
            let settle: Settle = Box::new(move |_py, _interrupt| Ok(value));
            Ok(Arc::new(Inbox::finished(settle)))
        });
        Call::new(qualname, CancellationToken::new(), starter)
    }

    /// Takes the running state out for one resumption (starting the call if needed).
    fn enter(&self, py: Python<'_>) -> PyResult<Running> {
        let state = std::mem::replace(&mut *lock(&self.state), State::Executing);
        match state {
            State::Running(running) => Ok(running),
            State::Ready(starter, token) => match starter(py) {
                Ok(inbox) => Ok(Running {
                    inbox,
                    token,
                    sub: None,
                    interrupt: None,
                }),
                Err(error) => {
                    *lock(&self.state) = State::Done;
                    Err(error)
                }
            },
            State::Executing => {
                *lock(&self.state) = State::Executing;
                Err(PyValueError::new_err("coroutine already executing"))
            }
            State::Done => {
                *lock(&self.state) = State::Done;
                Err(PyRuntimeError::new_err(
                    "cannot reuse already awaited coroutine",
                ))
            }
        }
    }

    /// Resumes the call: `Ok` is the object to yield to the event loop; `Err` is `StopIteration(value)` when
    /// the call finished, else its exception.
    fn resume(
        &self,
        py: Python<'_>,
        mut running: Running,
        mut input: Resume,
    ) -> PyResult<Py<PyAny>> {
        loop {
            if let Some(sub) = running.sub.take() {
                let stepped = match input {
                    Resume::Send(value) => sub.iterator.bind(py).call_method1("send", (value,)),
                    Resume::Throw(error) => sub
                        .iterator
                        .bind(py)
                        .call_method1("throw", (error.into_value(py),)),
                };
                input = Resume::Send(py.None());
                match stepped {
                    Ok(yielded) => {
                        running.sub = Some(sub);
                        return self.suspend(running, yielded.unbind());
                    }
                    Err(error) if error.is_instance_of::<PyStopIteration>(py) => {
                        let _ = sub.reply.send(Ok(()));
                    }
                    Err(error) => {
                        let _ = sub.reply.send(Err(error));
                    }
                }
            }
            let item = match running.inbox.next(py) {
                Ok(item) => item,
                Err(error) => {
                    running.token.cancel();
                    *lock(&self.state) = State::Done;
                    return Err(error);
                }
            };
            match item {
                Item::Wait(waiter) => return self.suspend(running, waiter),
                Item::Outcome(settle) => {
                    *lock(&self.state) = State::Done;
                    let value = settle(py, running.interrupt.take())?;
                    return Err(PyStopIteration::new_err((value,)));
                }
                Item::Store(request) => {
                    if let Some(sub) = start_store(py, request) {
                        running.sub = Some(sub);
                    }
                }
            }
        }
    }

    fn suspend(&self, running: Running, yielded: Py<PyAny>) -> PyResult<Py<PyAny>> {
        *lock(&self.state) = State::Running(running);
        Ok(yielded)
    }
}

/// Calls the store with the new key. A plain function's return (or exception) is the answer at once; an
/// awaitable result is returned to be awaited inside the coroutine.
fn start_store(py: Python<'_>, request: StoreRequest) -> Option<Sub> {
    let StoreRequest { store, key, reply } = request;
    let called = CreatedApiKey(key)
        .into_bound_py_any(py)
        .and_then(|key| store.bind(py).call1((key,)));
    let result = match called {
        Ok(result) => result,
        Err(error) => {
            let _ = reply.send(Err(error));
            return None;
        }
    };
    let awaitable = result.hasattr("__await__").unwrap_or(false);
    if !awaitable {
        let _ = reply.send(Ok(()));
        return None;
    }
    match result.call_method0("__await__") {
        Ok(iterator) => Some(Sub {
            iterator: iterator.unbind(),
            reply,
        }),
        Err(error) => {
            let _ = reply.send(Err(error));
            None
        }
    }
}

/// The exception `throw(typ, val, tb)` means, as a `PyErr`.
fn thrown(
    py: Python<'_>,
    typ: &Bound<'_, PyAny>,
    val: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyErr> {
    if typ.is_instance_of::<PyBaseException>() {
        return Ok(PyErr::from_value(typ.clone()));
    }
    if let Some(val) = val.filter(|v| !v.is_none()) {
        if val.is_instance_of::<PyBaseException>() {
            return Ok(PyErr::from_value(val.clone()));
        }
    }
    if typ.is_instance_of::<PyType>() {
        let args = match val.filter(|v| !v.is_none()) {
            Some(v) => PyTuple::new(py, [v.clone()])?,
            None => PyTuple::empty(py),
        };
        return Ok(PyErr::from_value(typ.call1(args)?));
    }
    Err(PyTypeError::new_err(
        "throw() expects an exception type or instance",
    ))
}

#[pymethods]
impl Call {
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.send(py, py.None().into_bound(py))
    }

    /// Coroutine protocol: starts the call on the first send, then resumes it.
    fn send(&self, py: Python<'_>, value: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let just_started = matches!(&*lock(&self.state), State::Ready(..));
        if just_started && !value.is_none() {
            return Err(PyTypeError::new_err(
                "can't send non-None value to a just-started coroutine",
            ));
        }
        let running = self.enter(py)?;
        self.resume(py, running, Resume::Send(value.unbind()))
    }

    /// Coroutine protocol: an exception thrown into a running call (the task's `CancelledError`) cancels the
    /// core call and waits for it to finish; a call not started yet raises it at once and never starts.
    #[pyo3(signature = (typ, val=None, tb=None))]
    fn throw(
        &self,
        py: Python<'_>,
        typ: Bound<'_, PyAny>,
        val: Option<Bound<'_, PyAny>>,
        tb: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        // The traceback of a thrown instance is already on it.
        let _ = tb;
        let error = thrown(py, &typ, val.as_ref())?;
        let state = std::mem::replace(&mut *lock(&self.state), State::Executing);
        let mut running = match state {
            State::Running(running) => running,
            State::Executing => {
                *lock(&self.state) = State::Executing;
                return Err(PyValueError::new_err("coroutine already executing"));
            }
            State::Ready(..) | State::Done => {
                *lock(&self.state) = State::Done;
                return Err(error);
            }
        };
        running.token.cancel();
        if running.interrupt.is_none() {
            running.interrupt = Some(error.clone_ref(py));
        }
        let input = if running.sub.is_some() {
            Resume::Throw(error)
        } else {
            Resume::Send(py.None())
        };
        self.resume(py, running, input)
    }

    /// Coroutine protocol: abandons the call. One never started never starts (and does not warn); a running
    /// one is cancelled (the core still finishes its clean-up on the runtime, but nobody receives its result).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let state = std::mem::replace(&mut *lock(&self.state), State::Done);
        match state {
            State::Running(running) => {
                running.token.cancel();
                if let Some(sub) = running.sub {
                    sub.iterator.bind(py).call_method0("close")?;
                }
                Ok(())
            }
            State::Executing => {
                *lock(&self.state) = State::Executing;
                Err(PyValueError::new_err("coroutine already executing"))
            }
            State::Ready(..) | State::Done => Ok(()),
        }
    }

    /// The method's name, like a coroutine's `__name__`.
    #[getter]
    fn __name__(&self) -> &'static str {
        self.qualname
            .rsplit_once('.')
            .map_or(self.qualname, |(_, name)| name)
    }

    /// `AsyncClient.<method>`, like a coroutine's `__qualname__`.
    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.qualname
    }

    fn __repr__(&self) -> String {
        let state = match &*lock(&self.state) {
            State::Ready(..) => "not started",
            State::Running(_) | State::Executing => "running",
            State::Done => "done",
        };
        format!("<neon_api_keys.Call {} ({state})>", self.qualname)
    }
}

impl Drop for Call {
    /// A call never started warns like an un-awaited coroutine (`RuntimeWarning: coroutine
    /// 'AsyncClient.revoke_api_key' was never awaited`), so a forgotten `await` shows.
    /// A running call nobody can resume any more is cancelled (the core cleans up what it made).
    fn drop(&mut self) {
        let never_started = match &*lock(&self.state) {
            State::Ready(..) => true,
            State::Running(running) => {
                running.token.cancel();
                false
            }
            State::Executing | State::Done => false,
        };
        if !never_started {
            return;
        }
        let message = format!("coroutine '{}' was never awaited", self.qualname);
        Python::attach(|py| {
            let category = py.get_type::<pyo3::exceptions::PyRuntimeWarning>();
            let Ok(text) = std::ffi::CString::new(message) else {
                return;
            };
            if let Err(error) = PyErr::warn(py, &category, &text, 1) {
                error.write_unraisable(py, None);
            }
        });
    }
}

/// Registers `Call` as a `collections.abc.Coroutine`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Call>()?;
    m.py()
        .import("collections.abc")?
        .getattr("Coroutine")?
        .call_method1("register", (m.py().get_type::<Call>(),))?;
    Ok(())
}
