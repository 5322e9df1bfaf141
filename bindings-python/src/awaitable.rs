//! `Call`: what `AsyncClient` methods return, a lazy coroutine. Nothing starts until it is awaited (or
//! wrapped in a task), so `asyncio.create_task(client.list_api_keys())`, `asyncio.run(...)` and calling a method
//! before the loop runs all work like with an `async def`. On first `send` it starts the core call on the shared
//! runtime (an asyncio future from pyo3-async-runtimes) and from then on delegates to that future's iterator.
//! Cancelling the task, closing the coroutine or throwing into it cancels the future, which drops the core call.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyType};
use std::sync::{Mutex, MutexGuard};

/// Starts the call: returns the asyncio future (called on the event loop's thread, inside the running loop).
pub(crate) type Starter =
    Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send>;

enum State {
    /// Not awaited yet.
    Ready(Starter),
    /// Running: the asyncio future and its `__await__` iterator.
    Running {
        future: Py<PyAny>,
        iterator: Py<PyAny>,
    },
    /// Finished, closed, or being started.
    Done,
}

/// A pending call of `AsyncClient`: await it (or pass it to `asyncio.create_task`). It is a coroutine: it
/// has `send`, `throw` and `close`, and does nothing until first awaited.
#[pyclass(module = "neon_api_keys", name = "Call", frozen)]
pub struct Call {
    name: &'static str,
    state: Mutex<State>,
}

impl Call {
    /// A call named `name` (for its repr) that `starter` starts.
    pub(crate) fn new(name: &'static str, starter: Starter) -> Call {
        Call {
            name,
            state: Mutex::new(State::Ready(starter)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The running future's iterator, starting the call first if needed. The lock is never held while Python
    /// code runs.
    fn iterator<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let starter = {
            let mut state = self.lock();
            match std::mem::replace(&mut *state, State::Done) {
                State::Ready(starter) => starter,
                State::Running { future, iterator } => {
                    let it = iterator.bind(py).clone();
                    *state = State::Running { future, iterator };
                    return Ok(it);
                }
                State::Done => {
                    return Err(PyRuntimeError::new_err(
                        "cannot reuse an already awaited call",
                    ))
                }
            }
        };
        let future = starter(py)?;
        let iterator = future.call_method0("__await__")?;
        *self.lock() = State::Running {
            future: future.unbind(),
            iterator: iterator.clone().unbind(),
        };
        Ok(iterator)
    }

    /// Cancels the running future (which drops the core call) if it is still pending.
    fn cancel_pending(&self, py: Python<'_>) -> PyResult<()> {
        let future = match &*self.lock() {
            State::Running { future, .. } => Some(future.clone_ref(py)),
            _ => None,
        };
        if let Some(future) = future {
            let future = future.bind(py);
            if !future.call_method0("done")?.is_truthy()? {
                future.call_method0("cancel")?;
            }
        }
        Ok(())
    }
}

/// The exception `throw(typ, val, tb)` means, as a `PyErr`.
fn thrown(
    py: Python<'_>,
    typ: &Bound<'_, PyAny>,
    val: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyErr> {
    if let Some(val) = val.filter(|v| !v.is_none()) {
        if val.is_instance_of::<pyo3::exceptions::PyBaseException>() {
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
    Ok(PyErr::from_value(typ.clone()))
}

#[pymethods]
impl Call {
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.send(py, py.None().into_bound(py))
    }

    /// Coroutine protocol: starts the call on the first send, then resumes it.
    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let iterator = self.iterator(py)?;
        let out = iterator.call_method1("send", (value,));
        if out.is_err() {
            *self.lock() = State::Done;
        }
        out
    }

    /// Coroutine protocol: raises the exception inside the call (a pending call is cancelled).
    #[pyo3(signature = (typ, val=None, tb=None))]
    fn throw<'py>(
        &self,
        py: Python<'py>,
        typ: Bound<'py, PyAny>,
        val: Option<Bound<'py, PyAny>>,
        tb: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let running = matches!(&*self.lock(), State::Running { .. });
        if !running {
            *self.lock() = State::Done;
            return Err(thrown(py, &typ, val.as_ref())?);
        }
        let iterator = self.iterator(py)?;
        let mut args = vec![typ];
        args.extend(val.filter(|v| !v.is_none()));
        args.extend(tb.filter(|v| !v.is_none()));
        let out = iterator.call_method1("throw", PyTuple::new(py, args)?);
        if out.is_err() {
            self.cancel_pending(py)?;
            *self.lock() = State::Done;
        }
        out
    }

    /// Coroutine protocol: abandons the call (a pending call is cancelled; one never awaited never starts).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.cancel_pending(py)?;
        let state = std::mem::replace(&mut *self.lock(), State::Done);
        if let State::Running { iterator, .. } = state {
            iterator.bind(py).call_method0("close")?;
        }
        Ok(())
    }

    fn __repr__(&self) -> String {
        let state = match &*self.lock() {
            State::Ready(_) => "not started",
            State::Running { .. } => "running",
            State::Done => "done",
        };
        format!("<neon_api_keys.Call {} ({state})>", self.name)
    }
}
