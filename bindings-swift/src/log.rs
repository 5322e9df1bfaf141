//! The core's log records (`neon_api_keys::log`) handed to a Swift `LogHandler`. The handler is reached through
//! the foreign trait [`FfiLogHandler`], whose one method is synchronous (uniffi's glue for an `async`
//! foreign-trait method does not compile in Swift 6 language mode). The minimum level is kept here, so a record
//! below it is never built and nothing crosses into Swift for it; with no handler set nothing crosses at all.

use crate::error::FfiError;
use neon_api_keys::log::{self, LogLevel, LogRecord, LogSink};
use std::sync::Arc;

/// How important a record is (Swift: `LogLevel`).
#[derive(uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FfiLogLevel {
    /// Very detailed.
    Trace,
    /// A request, its response, its attempt.
    Debug,
    /// A retry, a throttle wait, a step of recovery or rotation.
    Info,
    /// Something a caller should look at: an unknown outcome, a failed cleanup.
    Warn,
    /// An error.
    Error,
}

/// Each bridge level with the core's: one table for both directions.
const LEVELS: [(FfiLogLevel, LogLevel); 5] = [
    (FfiLogLevel::Trace, LogLevel::Trace),
    (FfiLogLevel::Debug, LogLevel::Debug),
    (FfiLogLevel::Info, LogLevel::Info),
    (FfiLogLevel::Warn, LogLevel::Warn),
    (FfiLogLevel::Error, LogLevel::Error),
];

impl FfiLogLevel {
    fn to_core(self) -> LogLevel {
        LEVELS
            .iter()
            .find(|(ffi, _)| *ffi == self)
            .map_or(LogLevel::Error, |(_, core)| *core)
    }

    fn from_core(level: LogLevel) -> FfiLogLevel {
        LEVELS
            .iter()
            .find(|(_, core)| *core == level)
            .map_or(FfiLogLevel::Error, |(ffi, _)| *ffi)
    }
}

/// The core's lowercase name of `level` (`"debug"`, `"warn"`, ...).
#[uniffi::export]
pub fn ffi_log_level_name(level: FfiLogLevel) -> String {
    level.to_core().as_str().to_string()
}

/// One field of a record.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiLogField {
    /// The field's name (`"route"`, `"wait_ms"`, `"request_id"`, ...).
    pub name: String,
    /// Its value as text.
    pub value: String,
}

/// One log event of the SDK, every text scrubbed of secrets by the core.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiLogRecord {
    /// How important it is.
    pub level: FfiLogLevel,
    /// What happened (`"retrying"`, `"response"`, ...).
    pub message: String,
    /// The event's fields, then those of the call it belongs to (`op`, `method`, `route`, `request_id`).
    pub fields: Vec<FfiLogField>,
    /// The core's text of the record: `message name=value ...`.
    pub text: String,
}

impl From<&LogRecord> for FfiLogRecord {
    fn from(record: &LogRecord) -> FfiLogRecord {
        FfiLogRecord {
            level: FfiLogLevel::from_core(record.level),
            message: record.message.clone(),
            fields: record
                .fields
                .iter()
                .map(|(name, value)| FfiLogField {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            text: record.to_string(),
        }
    }
}

/// Where the records go (Swift: the `LogHandler` the application set). Called on the SDK's threads; it must
/// return quickly.
#[uniffi::export(foreign)]
pub trait FfiLogHandler: Send + Sync {
    /// Receives one record.
    fn log(&self, record: FfiLogRecord);
}

/// The core's sink for a Swift handler: the level check stays in Rust.
struct HandlerSink {
    handler: Arc<dyn FfiLogHandler>,
    minimum: LogLevel,
}

impl LogSink for HandlerSink {
    fn enabled(&self, level: LogLevel) -> bool {
        level >= self.minimum
    }

    fn log(&self, record: &LogRecord) {
        self.handler.log(record.into());
    }
}

/// Sends the SDK's records of `minimum_level` and above to `handler`, replacing an earlier handler.
/// `Config` when the process already has another global `tracing` subscriber (`log::set_log_sink`).
#[uniffi::export]
pub fn ffi_set_log_handler(
    handler: Arc<dyn FfiLogHandler>,
    minimum_level: FfiLogLevel,
) -> Result<(), FfiError> {
    Ok(log::set_log_sink(Arc::new(HandlerSink {
        handler,
        minimum: minimum_level.to_core(),
    }))?)
}

/// Stops sending records (`log::clear_log_sink`).
#[uniffi::export]
pub fn ffi_clear_log_handler() {
    log::clear_log_sink();
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nowhere;

    impl FfiLogHandler for Nowhere {
        fn log(&self, _record: FfiLogRecord) {}
    }

    #[test]
    fn levels_and_names_follow_the_core() {
        for (ffi, core) in LEVELS {
            assert_eq!(FfiLogLevel::from_core(core), ffi);
            assert_eq!(ffi.to_core(), core);
            assert_eq!(ffi_log_level_name(ffi), core.as_str());
        }
    }

    #[test]
    fn the_level_is_checked_in_rust() {
        let sink = HandlerSink {
            handler: Arc::new(Nowhere),
            minimum: LogLevel::Info,
        };
        assert!(!sink.enabled(LogLevel::Trace) && !sink.enabled(LogLevel::Debug));
        assert!(sink.enabled(LogLevel::Info) && sink.enabled(LogLevel::Warn));
        assert!(sink.enabled(LogLevel::Error));
    }
}
