import Foundation
internal import NeonApiKeysBridge

extension NeonClient {
    /// How a ``NeonClient`` behaves. Every property is optional: `nil` keeps the SDK's default, listed in
    /// ``NeonDefaults``.
    ///
    /// ```swift
    /// var configuration = NeonClient.Configuration()
    /// configuration.timeout = .seconds(20)
    /// configuration.maxRetries = 4
    /// let client = try NeonClient(apiKey: key, configuration: configuration)
    /// ```
    ///
    /// Durations must be zero or more; a negative one makes the client's initializer throw
    /// ``NeonErrorKind/invalidInput`` naming the property.
    public struct Configuration: Sendable, Hashable {
        /// How long to wait for a TCP + TLS connection. Default: ``NeonDefaults/connectTimeout``.
        public var connectTimeout: Duration?
        /// How long one attempt (request and whole response) may take. Default: ``NeonDefaults/attemptTimeout``.
        public var attemptTimeout: Duration?
        /// How long a whole call may take, retries and waits included. Default: ``NeonDefaults/timeout``.
        public var timeout: Duration?
        /// Retries after the first attempt (0 disables retries). Default: ``NeonDefaults/maxRetries``.
        public var maxRetries: Int?
        /// Base of the full-jitter exponential backoff between retries. Default: ``NeonDefaults/backoffBase``.
        public var backoffBase: Duration?
        /// Cap of the backoff. Default: ``NeonDefaults/backoffCap``.
        public var backoffCap: Duration?
        /// The longest wait accepted between attempts; a longer `Retry-After` ends the retries.
        /// Default: ``NeonDefaults/maxRetryWait``.
        public var maxRetryWait: Duration?
        /// Whether the client paces its requests under Neon's documented rate limits. Default: `true`.
        public var throttlesRequests: Bool?
        /// Whether a create whose outcome is unknown is recovered instead of failing with
        /// ``NeonErrorKind/outcomeUnknown``: the client lists the keys before creating, creates once more under
        /// the same name and revokes only an orphan that is provably its own. Default: `false`.
        public var reconcilesCreates: Bool?
        /// Extra trusted root certificates (PEM), for example a corporate proxy's CA.
        public var rootCertificatesPEM: [String]
        /// Appended to the `User-Agent` after `swift`.
        public var userAgentSuffix: String?

        /// A configuration; every argument left out keeps the SDK's default.
        public init(
            connectTimeout: Duration? = nil,
            attemptTimeout: Duration? = nil,
            timeout: Duration? = nil,
            maxRetries: Int? = nil,
            backoffBase: Duration? = nil,
            backoffCap: Duration? = nil,
            maxRetryWait: Duration? = nil,
            throttlesRequests: Bool? = nil,
            reconcilesCreates: Bool? = nil,
            rootCertificatesPEM: [String] = [],
            userAgentSuffix: String? = nil
        ) {
            self.connectTimeout = connectTimeout
            self.attemptTimeout = attemptTimeout
            self.timeout = timeout
            self.maxRetries = maxRetries
            self.backoffBase = backoffBase
            self.backoffCap = backoffCap
            self.maxRetryWait = maxRetryWait
            self.throttlesRequests = throttlesRequests
            self.reconcilesCreates = reconcilesCreates
            self.rootCertificatesPEM = rootCertificatesPEM
            self.userAgentSuffix = userAgentSuffix
        }

        /// The settings for the bridge: only what is set, every duration checked.
        func settings() throws -> FfiClientSettings {
            FfiClientSettings(
                connectTimeoutSeconds: try checkedSeconds(connectTimeout, name: "connectTimeout"),
                attemptTimeoutSeconds: try checkedSeconds(attemptTimeout, name: "attemptTimeout"),
                timeoutSeconds: try checkedSeconds(timeout, name: "timeout"),
                maxRetries: maxRetries.map(Int64.init),
                backoffBaseSeconds: try checkedSeconds(backoffBase, name: "backoffBase"),
                backoffCapSeconds: try checkedSeconds(backoffCap, name: "backoffCap"),
                maxRetryWaitSeconds: try checkedSeconds(maxRetryWait, name: "maxRetryWait"),
                throttle: throttlesRequests,
                reconcileCreates: reconcilesCreates,
                rootCertificatesPem: rootCertificatesPEM,
                userAgentSuffix: userAgentSuffix)
        }
    }
}

/// Options for the calls of a client made with ``NeonClient/withOptions(_:)``. Unset options fall back to the
/// client's ``NeonClient/Configuration``.
public struct CallOptions: Sendable, Hashable {
    /// The deadline of each whole call, retries and waits included.
    public var timeout: Duration?
    /// The `X-Request-ID` to send (else a fresh UUID per call); Neon uses it as the request id.
    public var requestId: String?
    /// The maximum number of retries.
    public var maxRetries: Int?

    /// Options; every argument left out falls back to the client's configuration.
    public init(timeout: Duration? = nil, requestId: String? = nil, maxRetries: Int? = nil) {
        self.timeout = timeout
        self.requestId = requestId
        self.maxRetries = maxRetries
    }

    /// Options with a timeout in seconds, such as `deadline.timeIntervalSinceNow`. Throws
    /// ``NeonErrorKind/invalidInput`` when `timeout` is negative (a deadline already past), NaN or infinite.
    public init(timeout: TimeInterval, requestId: String? = nil, maxRetries: Int? = nil) throws {
        self.init(timeout: try checkedDuration(timeout, name: "timeout"), requestId: requestId, maxRetries: maxRetries)
    }

    /// The options for the bridge, the timeout checked.
    func ffi() throws -> FfiCallOptions {
        FfiCallOptions(
            timeoutSeconds: try checkedSeconds(timeout, name: "timeout"), requestId: requestId,
            maxRetries: maxRetries.map(Int64.init))
    }
}

/// The SDK's defaults, as the Rust core defines them: what a ``NeonClient`` uses for every
/// ``NeonClient/Configuration`` property left `nil`.
public enum NeonDefaults: Sendable {
    /// Neon's API base URL (`https://console.neon.tech/api/v2`).
    public static let baseURL: String = ffiDefaults().baseUrl
    /// How long to wait for a TCP + TLS connection (5 s).
    public static let connectTimeout = Duration(ffiDefaults().connectTimeout)
    /// How long one attempt may take (30 s).
    public static let attemptTimeout = Duration(ffiDefaults().attemptTimeout)
    /// How long a whole call may take, retries and waits included (60 s).
    public static let timeout = Duration(ffiDefaults().timeout)
    /// Retries after the first attempt (2).
    public static let maxRetries = Int(ffiDefaults().maxRetries)
    /// Base of the full-jitter exponential backoff (250 ms).
    public static let backoffBase = Duration(ffiDefaults().backoffBase)
    /// Cap of the backoff (10 s).
    public static let backoffCap = Duration(ffiDefaults().backoffCap)
    /// The longest accepted wait between attempts (10 s).
    public static let maxRetryWait = Duration(ffiDefaults().maxRetryWait)
    /// How often a rotation's `waitForUse` looks for the new key's first use (2 s).
    public static let pollInterval = Duration(ffiDefaults().usePollInterval)
}
