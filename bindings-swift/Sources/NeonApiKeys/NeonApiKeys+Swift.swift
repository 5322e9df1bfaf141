// Hand-written Swift conveniences over the generated API. They only translate: every rule lives in the Rust
// core. Nothing here may print, log or store a secret.
import Foundation

// MARK: - Errors

extension NeonError {
    /// The fields every case carries, in one value.
    public var info: NeonErrorInfo { neonErrorInfo(error: self) }
    /// The stable snake_case kind name, the same in every language of neon-api-keys (`"not_found"`, ...).
    public var kindName: String { info.kind }
    /// Neon's message verbatim for API errors, else the SDK's explanation. Never contains a secret.
    public var message: String { info.message }
    /// The HTTP status, when a response arrived.
    public var status: UInt16? { info.status }
    /// Neon's error code, when non-empty.
    public var code: String? { info.code }
    /// The request id (quote it to Neon support).
    public var requestId: String? { info.requestId }
    /// The server's `Retry-After` hint.
    public var retryAfter: TimeInterval? { info.retryAfter }
}

extension NeonError: CustomStringConvertible {
    /// `kind (HTTP status): message [request_id ...]`.
    public var description: String {
        let info = self.info
        var text = info.kind
        if let status = info.status { text += " (HTTP \(status))" }
        text += ": \(info.message)"
        if let requestId = info.requestId { text += " [request_id \(requestId)]" }
        return text
    }
}

// MARK: - Secrets

extension ApiKeySecret: CustomReflectable {
    /// An empty mirror: `dump` and `Mirror` show no contents.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}

extension CreatedApiKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key without its secret.
    public var description: String {
        var text = "CreatedApiKey(id: \(id), name: \(String(reflecting: name)), key: [REDACTED]"
        if let projectId { text += ", projectId: \(projectId)" }
        return text + ")"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// The fields without the secret (`dump` and `Mirror` use this).
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "key": "[REDACTED]", "name": name, "createdAt": createdAt as Any,
                "createdBy": createdBy as Any, "projectId": projectId as Any,
            ],
            displayStyle: .struct
        )
    }
}

extension Rotation: CustomStringConvertible, CustomDebugStringConvertible {
    /// The rotation without the new key's secret.
    public var description: String {
        var text = "Rotation(newKey: \(newKey), complete: \(isComplete)"
        if let revoked { text += ", revoked: \(revoked.id)" }
        if let revokeError { text += ", revokeError: \(revokeError)" }
        return text + ")"
    }

    /// Same as `description`.
    public var debugDescription: String { description }
}

extension NeonClientOptions: CustomStringConvertible, CustomDebugStringConvertible {
    /// The options with the keys redacted.
    public var description: String {
        "NeonClientOptions(apiKey: \(apiKey == nil ? "nil" : "[REDACTED]"), "
            + "orgApiKey: \(orgApiKey == nil ? "nil" : "[REDACTED]"), baseUrl: \(baseUrl ?? "nil"), "
            + "fromEnv: \(fromEnv))"
    }

    /// Same as `description`.
    public var debugDescription: String { description }
}

extension NeonClient: CustomStringConvertible {
    /// `NeonClient(<base URL>)`; never a key.
    public var description: String { "NeonClient(\(baseUrl()))" }
}

extension NeonClient {
    /// A client using `apiKey` (and `orgApiKey` for organization calls), optionally at another base URL.
    /// Without `apiKey` it reads `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and `NEON_API_HOST`
    /// from the environment (explicit arguments win).
    public convenience init(
        apiKey: String? = nil, orgApiKey: String? = nil, baseURL: String? = nil
    ) throws {
        try self.init(options: NeonClientOptions(
            apiKey: apiKey.map { ApiKeySecret(value: $0) },
            orgApiKey: orgApiKey.map { ApiKeySecret(value: $0) },
            baseUrl: baseURL,
            fromEnv: apiKey == nil
        ))
    }
}

// MARK: - Auth

extension AuthMethod {
    /// Neon's wire name (`"api_key_user"`, `"api_key_org"`, ...).
    public var wireName: String { authMethodWireName(method: self) }
}

// MARK: - Cancellation

extension NeonClient {
    /// Runs `body` with a client whose calls are cancelled when the current Swift task is cancelled
    /// (they then throw `NeonError.Cancelled`). uniffi has no cancellation of its own; this wires
    /// `withTaskCancellationHandler` to a `CancellationToken` the core honours.
    ///
    ///     let keys = try await client.cancellable { try await $0.listApiKeys() }
    public func cancellable<T>(
        options: CallOptions = CallOptions(),
        _ body: (NeonClient) async throws -> T
    ) async throws -> T {
        let token = options.cancellation ?? CancellationToken()
        var options = options
        options.cancellation = token
        let client = withOptions(options: options)
        return try await withTaskCancellationHandler {
            try await body(client)
        } onCancel: {
            token.cancel()
        }
    }
}
