//! The core's log events (`neon_api_keys::log`) forwarded to Python's `logging`, logger `neon_api_keys`.
//!
//! The core asks [`PythonSink::enabled`] before it builds each record, on whatever thread the event happens
//! (a runtime worker, or the thread blocked in a `Client` call with the GIL released). That answer comes from
//! an atomic threshold, without the GIL: the lowest Python level the logger is enabled for, as
//! `Logger.isEnabledFor` decides it. The threshold is computed at import and again at the start of a client
//! call (the GIL is held there anyway) when logging was reconfigured since: `logging` empties every logger's
//! `_cache` whenever a level changes (`setLevel`, `logging.disable`, `dictConfig`), so a marker entry this
//! module puts in the logger's cache tells, with one dict lookup, whether the threshold is still right. Only an
//! enabled record takes the GIL; it goes through the same exit-time rule as asyncio completions
//! (`runtime::complete`): once interpreter exit has begun, records are dropped instead of calling into Python.

use crate::runtime::complete;
use neon_api_keys::log::{LogLevel, LogRecord, LogSink};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFrozenSet};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

/// The logger's name.
const LOGGER: &str = "neon_api_keys";

/// The Python level of each core level (`Trace` has no Python name: 5, below `DEBUG`).
fn python_level(level: LogLevel) -> u32 {
    match level {
        LogLevel::Trace => 5,
        LogLevel::Debug => 10,
        LogLevel::Info => 20,
        LogLevel::Warn => 30,
        LogLevel::Error => 40,
    }
}

/// The levels the core emits at, highest first.
const LEVELS: [u32; 5] = [40, 30, 20, 10, 5];

/// A level no logger uses, asked once per refresh so that `logging` caches it: when that entry is gone from
/// the logger's `_cache`, logging was reconfigured.
const MARKER_LEVEL: u32 = 1;

/// The lowest Python level forwarded; `u32::MAX` when the logger is disabled for every level.
static THRESHOLD: AtomicU32 = AtomicU32::new(u32::MAX);

/// Whether `logger.disabled` was set when the threshold was computed (`dictConfig` sets it without emptying
/// the cache).
static DISABLED: AtomicBool = AtomicBool::new(false);

/// What forwarding needs from Python, looked up once.
struct Bridge {
    logger: Py<PyAny>,
    /// The logger's `isEnabledFor` cache, when this Python has one (else the threshold is computed every call).
    cache: Option<Py<PyDict>>,
    /// `LogRecord` attribute names an `extra` field must not take (`makeRecord` refuses them).
    reserved: Py<PyFrozenSet>,
}

static BRIDGE: PyOnceLock<Bridge> = PyOnceLock::new();

fn bridge(py: Python<'_>) -> PyResult<&Bridge> {
    BRIDGE.get_or_try_init(py, || {
        let logging = py.import("logging")?;
        let logger = logging.call_method1("getLogger", (LOGGER,))?;
        // A library adds no handler but a NullHandler: the application decides where records go.
        let null = logging.getattr("NullHandler")?.call0()?;
        logger.call_method1("addHandler", (null,))?;
        let cache = logger
            .getattr("_cache")
            .ok()
            .and_then(|c| c.cast_into::<PyDict>().ok())
            .map(Bound::unbind);
        let record = logging
            .getattr("LogRecord")?
            .call1(("", 0, "", 0, "", (), py.None()))?;
        let mut names: Vec<String> = record
            .getattr("__dict__")?
            .cast_into::<PyDict>()?
            .keys()
            .extract()?;
        names.extend(["message".to_string(), "asctime".to_string()]);
        let reserved = PyFrozenSet::new(py, names)?;
        Ok(Bridge {
            logger: logger.unbind(),
            cache,
            reserved: reserved.unbind(),
        })
    })
}

/// Recomputes the threshold from the logger's configuration.
fn refresh(py: Python<'_>, bridge: &Bridge) -> PyResult<()> {
    let logger = bridge.logger.bind(py);
    let mut threshold = u32::MAX;
    for level in LEVELS {
        if !logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
            break;
        }
        threshold = level;
    }
    logger.call_method1("isEnabledFor", (MARKER_LEVEL,))?;
    DISABLED.store(logger.getattr("disabled")?.is_truthy()?, Ordering::SeqCst);
    THRESHOLD.store(threshold, Ordering::SeqCst);
    Ok(())
}

/// Brings the threshold up to date when logging was reconfigured since it was computed (called at the start of
/// every client call, GIL held). Errors (a `logging` module replaced by something else) leave it as it was.
pub(crate) fn refresh_if_reconfigured(py: Python<'_>) {
    let Ok(bridge) = bridge(py) else {
        return;
    };
    let logger = bridge.logger.bind(py);
    let current = match &bridge.cache {
        Some(cache) => {
            matches!(cache.bind(py).contains(MARKER_LEVEL), Ok(true))
                && matches!(
                    logger.getattr("disabled").and_then(|d| d.is_truthy()),
                    Ok(d) if d == DISABLED.load(Ordering::SeqCst)
                )
        }
        None => false,
    };
    if !current {
        let _ = refresh(py, bridge);
    }
}

/// The core's sink: records at or above the threshold go to the logger.
struct PythonSink;

impl LogSink for PythonSink {
    fn enabled(&self, level: LogLevel) -> bool {
        python_level(level) >= THRESHOLD.load(Ordering::Relaxed)
    }

    fn log(&self, record: &LogRecord) {
        complete(|py| {
            if let Err(error) = forward(py, record) {
                error.write_unraisable(py, None);
            }
        });
    }
}

/// `logger.log(level, text, extra=...)`: the text is the core's `message name=value ...`; `extra` gives the
/// record `neon_event` (the bare message), `neon_fields` (every field, name to text) and each field as an
/// attribute of its own name, unless `LogRecord` already has that attribute.
fn forward(py: Python<'_>, record: &LogRecord) -> PyResult<()> {
    let bridge = bridge(py)?;
    let reserved = bridge.reserved.bind(py);
    let fields = PyDict::new(py);
    let extra = PyDict::new(py);
    for (name, value) in &record.fields {
        // The event's own field comes first; a span's field of the same name does not replace it.
        if fields.contains(name)? {
            continue;
        }
        fields.set_item(name, value)?;
        if !reserved.contains(name)? && !name.starts_with("neon_") {
            extra.set_item(name, value)?;
        }
    }
    extra.set_item("neon_event", &record.message)?;
    extra.set_item("neon_fields", fields)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("extra", extra)?;
    bridge.logger.bind(py).call_method(
        "log",
        (python_level(record.level), record.to_string()),
        Some(&kwargs),
    )?;
    Ok(())
}

/// Installs the sink (at import). The threshold starts from the logger's configuration at that moment.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    refresh(py, bridge(py)?)?;
    neon_api_keys::log::set_log_sink(Arc::new(PythonSink))
        .map_err(|e| crate::errors::to_pyerr(py, &e))
}
