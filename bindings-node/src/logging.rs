//! The core's log records (`neon_api_keys::log`) handed to JavaScript: to `util.debuglog('neon-api-keys')` (one
//! listener for the whole process) and to the `logger` of each client that has one.
//!
//! Listeners are JS functions called through threadsafe functions, from whatever runtime thread the record
//! happens on, never waiting: a record that finds the queue full (`QUEUE` records waiting for the JS thread) is
//! dropped, and once the JS environment is gone (process exit, a worker's end) records are dropped as well. The
//! threadsafe functions are weak: a listener never keeps the process alive.
//!
//! Routing by client: the core's records name their call (`op`, `request_id`), not a client. Every call of a
//! client with a logger runs inside a span of its own ([`client_span`], target `neon_api_keys::node`, so the
//! core's subscriber records it) whose field [`CLIENT_FIELD`] numbers the client; a record carrying it goes to
//! that client's listener, and the field is taken out before any listener sees the record.
//!
//! Cost when nobody listens: the core's sink is installed only while a listener exists, so until then the core's
//! events go to no subscriber at all. While one exists, [`NodeSink::enabled`] compares the record's level with
//! an atomic threshold (the lowest level any listener wants), and a record no listener wants never reaches JS.

use crate::errors::invalid_input;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use neon_api_keys::log::{self as core_log, LogLevel, LogRecord, LogSink};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// How many records may wait for the JS thread, per listener, before further ones are dropped.
const QUEUE: usize = 4096;

/// The span field that numbers the client a call belongs to.
pub const CLIENT_FIELD: &str = "node_client";

/// One log record as a listener receives it.
#[napi(object, object_from_js = false)]
pub struct LogEntry {
    /// `"trace"`, `"debug"`, `"info"`, `"warn"` or `"error"`.
    pub level: String,
    /// What happened (`"retrying"`, `"response"`, `"rotation: revoked the old key"`, ...).
    pub message: String,
    /// The record's fields as `[name, value, name, value, ...]`, in the core's order (the event's own, then its
    /// call's: `op`, `method`, `route`, `request_id`). Every value is text, scrubbed of secrets by the core.
    pub fields: Vec<String>,
}

/// A listener: a JS function called with each [`LogEntry`] it wants, on the JS thread.
pub type LogForward = ThreadsafeFunction<LogEntry, (), LogEntry, Status, false, true, QUEUE>;

/// Which records a listener gets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every record (`util.debuglog`).
    Process,
    /// The records of one client's calls.
    Client(u64),
}

struct Listener {
    id: u64,
    scope: Scope,
    min: LogLevel,
    forward: LogForward,
}

static LISTENERS: RwLock<Vec<Listener>> = RwLock::new(Vec::new());
/// The rank of the lowest level any listener wants; [`NOBODY`] when there is no listener.
static THRESHOLD: AtomicU8 = AtomicU8::new(NOBODY);
const NOBODY: u8 = u8::MAX;
/// Whether the core's sink is installed (it is while a listener exists).
static INSTALLED: AtomicBool = AtomicBool::new(false);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
/// Records handed to a listener's queue, for the package's tests.
static FORWARDED: AtomicU64 = AtomicU64::new(0);

fn rank(level: LogLevel) -> u8 {
    match level {
        LogLevel::Trace => 0,
        LogLevel::Debug => 1,
        LogLevel::Info => 2,
        LogLevel::Warn => 3,
        LogLevel::Error => 4,
    }
}

/// A level from its JS name.
pub(crate) fn level_named(name: &str) -> neon_api_keys::Result<LogLevel> {
    [
        LogLevel::Trace,
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Warn,
        LogLevel::Error,
    ]
    .into_iter()
    .find(|level| level.as_str() == name)
    .ok_or_else(|| {
        invalid_input(format!(
            "a log level is one of trace, debug, info, warn, error; got {name:?}"
        ))
    })
}

fn read() -> RwLockReadGuard<'static, Vec<Listener>> {
    LISTENERS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write() -> RwLockWriteGuard<'static, Vec<Listener>> {
    LISTENERS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// After the listeners changed: the threshold, and the core's sink installed exactly while one exists.
fn settle(listeners: &[Listener]) -> neon_api_keys::Result<()> {
    let lowest = listeners.iter().map(|l| rank(l.min)).min();
    THRESHOLD.store(lowest.unwrap_or(NOBODY), Ordering::SeqCst);
    match (lowest.is_some(), INSTALLED.load(Ordering::SeqCst)) {
        (true, false) => {
            core_log::set_log_sink(Arc::new(NodeSink))?;
            INSTALLED.store(true, Ordering::SeqCst);
        }
        (false, true) => {
            core_log::clear_log_sink();
            INSTALLED.store(false, Ordering::SeqCst);
        }
        _ => {}
    }
    Ok(())
}

/// Adds a listener; it stays until [`remove`] (or until its JS environment is gone).
fn add(scope: Scope, min: LogLevel, forward: LogForward) -> neon_api_keys::Result<u64> {
    add_to(&mut write(), scope, min, forward)
}

fn add_to(
    listeners: &mut Vec<Listener>,
    scope: Scope,
    min: LogLevel,
    forward: LogForward,
) -> neon_api_keys::Result<u64> {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    listeners.push(Listener {
        id,
        scope,
        min,
        forward,
    });
    if let Err(error) = settle(listeners) {
        listeners.retain(|l| l.id != id);
        let _ = settle(listeners);
        return Err(error);
    }
    Ok(id)
}

fn remove(id: u64) {
    let mut listeners = write();
    listeners.retain(|l| l.id != id);
    let _ = settle(&listeners);
}

/// Drops the listeners whose JS environment is gone.
fn remove_closed() {
    let mut listeners = write();
    listeners.retain(|l| !l.forward.aborted());
    let _ = settle(&listeners);
}

/// The core's sink: hands each record to the listeners that want it.
struct NodeSink;

impl LogSink for NodeSink {
    fn enabled(&self, level: LogLevel) -> bool {
        rank(level) >= THRESHOLD.load(Ordering::Relaxed)
    }

    fn log(&self, record: &LogRecord) {
        let client = record.field(CLIENT_FIELD).and_then(|id| id.parse().ok());
        let mut closed = false;
        for listener in read().iter() {
            let wanted = match listener.scope {
                Scope::Process => true,
                Scope::Client(id) => client == Some(id),
            };
            if !wanted || rank(record.level) < rank(listener.min) {
                continue;
            }
            match listener
                .forward
                .call(entry(record), ThreadsafeFunctionCallMode::NonBlocking)
            {
                Status::Ok => {
                    FORWARDED.fetch_add(1, Ordering::Relaxed);
                }
                Status::Closing => closed = true,
                // A full queue: the record is dropped rather than wait for the JS thread.
                _ => {}
            }
        }
        if closed {
            remove_closed();
        }
    }
}

/// The record as a listener gets it, without the client's number.
fn entry(record: &LogRecord) -> LogEntry {
    LogEntry {
        level: record.level.as_str().to_owned(),
        message: record.message.clone(),
        fields: record
            .fields
            .iter()
            .filter(|(name, _)| name != CLIENT_FIELD)
            .flat_map(|(name, value)| [name.clone(), value.clone()])
            .collect(),
    }
}

/// Sends every record of `level` and above to `forward` (the JS layer calls it when it loads, for
/// `util.debuglog('neon-api-keys')` when `NODE_DEBUG` names it). The process has one such listener: while one
/// is live (the package loaded in a worker after the main thread, say), this returns `false` and adds none, so
/// that each record is written once. Throws `NEON_INVALID_INPUT` for an unknown level and `NEON_CONFIG` when the
/// process already has another global `tracing` subscriber.
#[napi(catch_unwind)]
pub fn listen_to_logs(
    env: napi::Env,
    #[napi(ts_arg_type = "(entry: LogEntry) => void")] forward: LogForward,
    level: String,
) -> napi::Result<bool> {
    let added = level_named(&level).and_then(|min| {
        let mut listeners = write();
        listeners.retain(|l| !l.forward.aborted());
        if listeners.iter().any(|l| l.scope == Scope::Process) {
            settle(&listeners)?;
            return Ok(false);
        }
        add_to(&mut listeners, Scope::Process, min, forward).map(|_| true)
    });
    added.map_err(|error| crate::errors::to_js_error(&env, &error))
}

/// A client's logger, as the JS layer hands it to `NativeClient`.
#[napi(object, object_to_js = false)]
pub struct ClientLog {
    /// Called with each record of the client's calls at `level` or above.
    #[napi(ts_type = "(entry: LogEntry) => void")]
    pub forward: LogForward,
    /// The lowest level wanted (`"debug"`, `"info"`, ...).
    pub level: String,
}

/// A client's place among the listeners; leaving it (drop) removes the listener.
pub(crate) struct ClientListener {
    client: u64,
    id: u64,
}

impl ClientListener {
    /// Registers `log` for a new client.
    pub(crate) fn new(log: ClientLog) -> neon_api_keys::Result<ClientListener> {
        let min = level_named(&log.level)?;
        let client = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let id = add(Scope::Client(client), min, log.forward)?;
        Ok(ClientListener { client, id })
    }

    /// The span a call of this client runs in, so that its records carry [`CLIENT_FIELD`].
    pub(crate) fn span(&self) -> tracing::Span {
        tracing::info_span!(target: "neon_api_keys::node", "neon_api_keys.node_client", node_client = self.client)
    }
}

impl Drop for ClientListener {
    fn drop(&mut self) {
        remove(self.id);
    }
}

/// The span a call runs in: the client's, when it has a logger; none otherwise.
pub(crate) fn client_span(listener: Option<&ClientListener>) -> tracing::Span {
    listener.map_or_else(tracing::Span::none, ClientListener::span)
}

/// What the log bridge did, for the package's tests.
#[cfg(feature = "test-hooks")]
pub(crate) fn stats() -> (bool, u64, usize) {
    (
        INSTALLED.load(Ordering::SeqCst),
        FORWARDED.load(Ordering::Relaxed),
        read().len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_named_as_the_core_names_them_and_ranked_in_order() {
        for name in ["trace", "debug", "info", "warn", "error"] {
            assert_eq!(level_named(name).ok().map(LogLevel::as_str), Some(name));
        }
        assert!(level_named("verbose").is_err());
        assert!(rank(LogLevel::Debug) < rank(LogLevel::Info));
        assert!(rank(LogLevel::Warn) < rank(LogLevel::Error));
    }

    #[test]
    fn nobody_listening_means_nothing_is_enabled() {
        assert!(!NodeSink.enabled(LogLevel::Error));
    }
}
