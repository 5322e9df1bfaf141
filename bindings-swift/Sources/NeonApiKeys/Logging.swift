import Foundation
internal import NeonApiKeysBridge

/// How important a log record is, from ``trace`` (the least) to ``error`` (the most).
public enum LogLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Very detailed.
    case trace
    /// A request and its response (method, route, status, time taken, request id), an attempt.
    case debug
    /// A retry (its reason and wait), a throttle wait, a step of recovery or of a rotation.
    case info
    /// Something to look at: an unknown outcome, a cleanup that failed.
    case warning
    /// An error.
    case error

    /// The SDK's name of the level, the same in every language: `"trace"`, `"debug"`, `"info"`, `"warn"` or
    /// `"error"`.
    public var name: String { ffiLogLevelName(level: ffi) }

    /// The same as ``name``.
    public var description: String { name }

    /// Whether `lhs` is less important than `rhs`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Each case with its bridge counterpart: one table for both directions.
    private static let bridged: [(LogLevel, FfiLogLevel)] = [
        (.trace, .trace), (.debug, .debug), (.info, .info), (.warning, .warn), (.error, .error),
    ]

    init(_ level: FfiLogLevel) {
        self = Self.bridged.first { $0.1 == level }?.0 ?? .error
    }

    var ffi: FfiLogLevel {
        Self.bridged.first { $0.0 == self }?.1 ?? .error
    }
}

/// One log event of the SDK. Every text in it has been scrubbed of secrets by the SDK before it reached Swift.
public struct LogRecord: Sendable, Hashable, CustomStringConvertible {
    /// One named value of a record.
    public struct Field: Sendable, Hashable {
        /// The field's name: `op`, `method`, `route`, `status`, `elapsed_ms`, `request_id`, `attempt`,
        /// `failure` (the reason of a retry), `wait_ms`, `throttle_wait_ms`, ...
        public let name: String
        /// Its value, as text.
        public let value: String
    }

    /// How important it is.
    public let level: LogLevel
    /// What happened: `"sending"`, `"response"`, `"retrying"`, `"rotation: revoked the old key"`, ...
    public let message: String
    /// The event's fields, then those of the call it belongs to (`op`, `method`, `route`, `request_id`).
    public let fields: [Field]
    /// `message name=value name=value ...`, the text the SDK gives a record in every language.
    public let description: String

    /// The value of the field `name`, if the record has one.
    public func field(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    init(_ r: FfiLogRecord) {
        level = LogLevel(r.level)
        message = r.message
        fields = r.fields.map { Field(name: $0.name, value: $0.value) }
        description = r.text
    }
}

/// Receives the SDK's log records: set one with ``NeonLogging/setHandler(_:minimumLevel:)``.
///
/// ``log(_:)`` is called on the SDK's own threads, synchronously, for each record at or above the level set:
/// hand the record on (to `os.Logger`, your logging library, a buffer) and return; never block in it. On Apple
/// platforms an adapter to `os.Logger` is a few lines:
///
/// ```swift
/// import NeonApiKeys
/// import os
///
/// struct OSLogHandler: LogHandler {
///     let logger = Logger(subsystem: "com.example.app", category: "neon-api-keys")
///
///     func log(_ record: LogRecord) {
///         // The SDK scrubbed every secret from the record, so it may be public in the log.
///         switch record.level {
///         case .trace, .debug: logger.debug("\(record.description, privacy: .public)")
///         case .info: logger.info("\(record.description, privacy: .public)")
///         case .warning: logger.warning("\(record.description, privacy: .public)")
///         case .error: logger.error("\(record.description, privacy: .public)")
///         }
///     }
/// }
///
/// try NeonLogging.setHandler(OSLogHandler(), minimumLevel: .info)
/// ```
public protocol LogHandler: Sendable {
    /// Receives one record (on one of the SDK's threads; return quickly).
    func log(_ record: LogRecord)
}

/// The process-wide destination of the SDK's log records.
///
/// Without a handler the SDK builds no record at all. The level check happens inside the SDK, before a record is
/// built: a record below the minimum level costs nothing and never reaches Swift.
public enum NeonLogging: Sendable {
    /// The handler set, with its minimum level.
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var handler: (any LogHandler)?
        var minimumLevel: LogLevel?
    }

    private static let state = State()

    /// Sends the SDK's records of `minimumLevel` and above, from every client of the process, to `handler`,
    /// replacing the handler set before.
    ///
    /// - Parameters:
    ///   - handler: Where the records go.
    ///   - minimumLevel: The least important level handed over; default ``LogLevel/info`` (retries, throttle
    ///     waits, recovery and rotation steps, and everything more important). ``LogLevel/debug`` adds every
    ///     request and response.
    /// - Throws: ``NeonErrorKind/config`` when the process already has another global `tracing` subscriber of
    ///   Rust (a Rust library linked into the app that installed its own).
    public static func setHandler(_ handler: any LogHandler, minimumLevel: LogLevel = .info) throws {
        state.lock.lock()
        defer { state.lock.unlock() }
        try bridged { try ffiSetLogHandler(handler: LogHandlerBridge(handler), minimumLevel: minimumLevel.ffi) }
        state.handler = handler
        state.minimumLevel = minimumLevel
    }

    /// Stops sending records; the SDK builds none from then on.
    public static func removeHandler() {
        state.lock.lock()
        defer { state.lock.unlock() }
        ffiClearLogHandler()
        state.handler = nil
        state.minimumLevel = nil
    }

    /// The handler set, if any.
    public static var handler: (any LogHandler)? {
        state.lock.lock()
        defer { state.lock.unlock() }
        return state.handler
    }

    /// The minimum level of the handler set, if any.
    public static var minimumLevel: LogLevel? {
        state.lock.lock()
        defer { state.lock.unlock() }
        return state.minimumLevel
    }
}

/// A ``LogHandler`` as the bridge's handler: each record converted once and handed on.
final class LogHandlerBridge: FfiLogHandler {
    let handler: any LogHandler

    init(_ handler: any LogHandler) {
        self.handler = handler
    }

    func log(record: FfiLogRecord) {
        handler.log(LogRecord(record))
    }
}
