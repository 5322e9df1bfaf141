//! The SDK's log events, handed to a [`LogSink`] so that each binding forwards them to its ecosystem's own
//! logging (Python's `logging`, Node's `util.debuglog`, Swift's `os.Logger`).
//!
//! The core emits `tracing` events: requests (method, route, status, time taken, request id) at `debug`,
//! retries with their reason and wait, throttle waits and the steps of recovery and rotation at `info`, unknown
//! outcomes and failed cleanups at `warn`. Rust programs consume them with any `tracing` subscriber. A binding
//! calls [`set_log_sink`] once: it installs a process-wide subscriber that turns each event of this crate into
//! a [`LogRecord`], every text in it scrubbed of secrets, and passes it to the sink.

use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// How important a log record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
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

impl LogLevel {
    /// The lowercase name (`"debug"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Trace => "trace",
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }

    fn from_tracing(level: &Level) -> LogLevel {
        match *level {
            Level::TRACE => LogLevel::Trace,
            Level::DEBUG => LogLevel::Debug,
            Level::INFO => LogLevel::Info,
            Level::WARN => LogLevel::Warn,
            _ => LogLevel::Error,
        }
    }
}

/// One log event of the SDK. Every text in it has passed through [`crate::scrub`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogRecord {
    /// How important it is.
    pub level: LogLevel,
    /// What happened (`"retrying"`, `"response"`, `"rotation: revoked the old key"`, ...).
    pub message: String,
    /// The event's fields, then those of the call it belongs to (`op`, `method`, `route`, `request_id`), as
    /// name and text.
    pub fields: Vec<(String, String)>,
}

impl LogRecord {
    /// The value of the field `name`, if the record has one.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for LogRecord {
    /// `message name=value name=value ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for (name, value) in &self.fields {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

/// Where a binding sends the SDK's log records.
pub trait LogSink: Send + Sync + 'static {
    /// Whether records of `level` are wanted (checked before a record is built).
    fn enabled(&self, level: LogLevel) -> bool;
    /// Receives one record.
    fn log(&self, record: &LogRecord);
}

fn sink_slot() -> &'static RwLock<Option<Arc<dyn LogSink>>> {
    static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
    &SINK
}

fn current_sink() -> Option<Arc<dyn LogSink>> {
    match sink_slot().read() {
        Ok(guard) => guard.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// Sends the SDK's log events to `sink` (replacing an earlier sink). The first call installs a process-wide
/// `tracing` subscriber for that; it fails with `ErrorKind::Config` when the process already has another
/// global subscriber (a Rust program should consume the events with its own subscriber instead).
///
/// # Errors
/// `ErrorKind::Config` when another global `tracing` subscriber is installed.
pub fn set_log_sink(sink: Arc<dyn LogSink>) -> crate::Result<()> {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    let installed = *INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(SinkLayer);
        tracing::subscriber::set_global_default(subscriber).is_ok()
    });
    if !installed {
        return Err(crate::Error::new(
            crate::ErrorKind::Config,
            "another global tracing subscriber is installed: consume the SDK's events with it",
        ));
    }
    match sink_slot().write() {
        Ok(mut guard) => *guard = Some(sink),
        Err(poisoned) => *poisoned.into_inner() = Some(sink),
    }
    Ok(())
}

/// Stops sending log records (the subscriber stays installed and drops them).
pub fn clear_log_sink() {
    match sink_slot().write() {
        Ok(mut guard) => *guard = None,
        Err(poisoned) => *poisoned.into_inner() = None,
    }
}

/// The fields of a span of this crate, kept in the span's extensions.
struct SpanFields(Vec<(String, String)>);

/// Collects an event's or span's fields as text (scrubbed unless `scrub` is off: a span's fields are scrubbed
/// when a record is built from them).
struct Collect {
    message: Option<String>,
    fields: Vec<(String, String)>,
    scrub: bool,
}

impl Default for Collect {
    fn default() -> Self {
        Collect {
            message: None,
            fields: Vec::new(),
            scrub: true,
        }
    }
}

impl Visit for Collect {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.record_text(field, format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_text(field, value.to_string());
    }
}

impl Collect {
    fn record_text(&mut self, field: &Field, text: String) {
        let text = if self.scrub {
            crate::secret::scrub(&text)
        } else {
            text
        };
        if field.name() == "message" {
            self.message = Some(text);
        } else {
            self.fields.push((field.name().to_string(), text));
        }
    }
}

/// Whether a callsite belongs to this crate.
fn ours(target: &str) -> bool {
    target == "neon_api_keys" || target.starts_with("neon_api_keys::")
}

/// The layer that turns this crate's events into [`LogRecord`]s for the sink.
struct SinkLayer;

impl<S> Layer<S> for SinkLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        // Nobody listens: keep the span as cheap as tracing makes it.
        if !ours(attrs.metadata().target()) || current_sink().is_none() {
            return;
        }
        let mut collect = Collect {
            scrub: false,
            ..Collect::default()
        };
        attrs.record(&mut collect);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(collect.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let metadata = event.metadata();
        if !ours(metadata.target()) {
            return;
        }
        let Some(sink) = current_sink() else {
            return;
        };
        let level = LogLevel::from_tracing(metadata.level());
        if !sink.enabled(level) {
            return;
        }
        let mut collect = Collect::default();
        event.record(&mut collect);
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope {
                if let Some(fields) = span.extensions().get::<SpanFields>() {
                    for (name, value) in &fields.0 {
                        // The innermost value of a name wins (the call's span repeats the request's op).
                        if !collect.fields.iter().any(|(known, _)| known == name) {
                            collect
                                .fields
                                .push((name.clone(), crate::secret::scrub(value)));
                        }
                    }
                }
            }
        }
        let record = LogRecord {
            level,
            message: collect.message.unwrap_or_default(),
            fields: collect.fields,
        };
        sink.log(&record);
    }
}
