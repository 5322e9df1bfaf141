import Foundation
internal import NeonApiKeysBridge

/// Every failure of the SDK: one error type whose ``kind`` says what went wrong.
///
/// Catch it by kind:
///
/// ```swift
/// do {
///     _ = try await client.revokeApiKey(id: id)
/// } catch let error as NeonError where error.kind == .notFound {
///     // already gone
/// }
/// ```
///
/// The ``description`` (also ``errorDescription`` and `localizedDescription`) is the same text in every language
/// of neon-api-keys: `kind (HTTP status): message [request_id …]`. No property ever contains a secret.
public struct NeonError: Error, LocalizedError, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong, as a stable kind.
    public let kind: NeonErrorKind
    /// Neon's message verbatim for API errors, else the SDK's explanation.
    public let message: String
    /// The HTTP status, when a response arrived.
    public let status: Int?
    /// Neon's error code, when Neon sent a non-empty one.
    public let code: String?
    /// The request id (quote it to Neon support): Neon's, else the `X-Request-ID` the client sent.
    public let requestId: String?
    /// The server's `Retry-After` hint, when one came.
    public let retryAfter: Duration?
    /// For ``NeonErrorKind/outcomeUnknown``: the name and time window of the key that may exist.
    public let outcomeUnknown: OutcomeUnknownDetails?
    /// For ``NeonErrorKind/verificationFailed``: the key that came back wrong and whether it was revoked.
    public let verification: VerificationDetails?
    /// The texts of the underlying causes (a TLS or connection error, ...), outermost first, scrubbed of secrets.
    public let causes: [String]
    /// `kind (HTTP status): message [request_id …]`, the text every language of neon-api-keys shows.
    public let description: String

    /// The same text as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// An error with these fields, for example to stand in for the SDK in your own tests. ``description`` is
    /// made by the SDK's core, as for the errors it throws.
    public init(
        kind: NeonErrorKind,
        message: String,
        status: Int? = nil,
        code: String? = nil,
        requestId: String? = nil,
        retryAfter: Duration? = nil,
        outcomeUnknown: OutcomeUnknownDetails? = nil,
        verification: VerificationDetails? = nil,
        causes: [String] = []
    ) {
        self.kind = kind
        self.message = message
        self.status = status
        self.code = code
        self.requestId = requestId
        self.retryAfter = retryAfter
        self.outcomeUnknown = outcomeUnknown
        self.verification = verification
        self.causes = causes
        description = ffiErrorDescription(
            kind: kind.ffi, message: message, status: status.flatMap(UInt16.init(exactly:)),
            requestId: requestId)
    }

    init(_ details: FfiErrorDetails) {
        kind = NeonErrorKind(details.kind)
        message = details.message
        status = details.status.map(Int.init)
        code = details.code
        requestId = details.requestId
        retryAfter = details.retryAfter.map(Duration.init)
        outcomeUnknown = details.outcomeUnknown.map(OutcomeUnknownDetails.init)
        verification = details.verification.map(VerificationDetails.init)
        causes = details.causes
        description = details.description
    }
}

/// What went wrong: the core's error kinds, the same set in every language of neon-api-keys.
public enum NeonErrorKind: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The input was rejected before anything was sent (name length, id format, a negative duration, ...).
    case invalidInput
    /// The client is misconfigured: no API key found, a bad base URL, plain http to a remote host, ...
    case config
    /// 401: the API key is missing, invalid or revoked.
    case auth
    /// 403: the key lacks the rights for this action (only a personal key creates keys).
    case permissionDenied
    /// 404 from a project-scoped key reaching outside its project.
    case outsideProjectScope
    /// 404: the key, organization or project does not exist (or is not visible to this key).
    case notFound
    /// 409: the request conflicts with the current state (a key name already in use, ...).
    case conflict
    /// 423: the resource is locked (already retried).
    case locked
    /// 429: Neon's rate limit (already retried, honouring `Retry-After`).
    case rateLimited
    /// 5xx from Neon (already retried where that is safe).
    case server
    /// Any other unexpected HTTP status.
    case api
    /// A connect, attempt or whole-call deadline passed.
    case timeout
    /// The connection failed (refused, reset, DNS, TLS) with no usable response.
    case network
    /// The response could not be understood.
    case decode
    /// A create may or may not have happened: a live key may exist whose secret nobody saw.
    /// ``NeonError/outcomeUnknown`` names the key and the time window to look for it in.
    case outcomeUnknown
    /// A created key failed verification; ``NeonError/verification`` tells whether it was revoked.
    case verificationFailed
    /// The call was cancelled (its `Task` was cancelled).
    case cancelled
    /// The platform's keychain refused or failed (locked, unavailable, access denied), or a ``Keychain`` entry
    /// holds something that is not a key record of this SDK. The message names the backend and the entry, never
    /// what it holds.
    case keychain
    /// A bug inside the SDK (for example a caught panic in Rust). Please report it.
    case `internal`

    /// The stable snake_case name shared by every language (`"not_found"`, `"outcome_unknown"`, ...).
    public var name: String { ffiErrorKindName(kind: ffi) }

    /// The same as ``name``.
    public var description: String { name }

    /// The core's kind names, in its order (a test compares them with ``allCases``).
    static var coreNames: [String] { ffiErrorKinds() }

    /// Each case with its bridge counterpart: one table for both directions.
    private static let bridged: [(NeonErrorKind, FfiErrorKind)] = [
        (.invalidInput, .invalidInput), (.config, .config), (.auth, .auth),
        (.permissionDenied, .permissionDenied), (.outsideProjectScope, .outsideProjectScope),
        (.notFound, .notFound), (.conflict, .conflict), (.locked, .locked), (.rateLimited, .rateLimited),
        (.server, .server), (.api, .api), (.timeout, .timeout), (.network, .network), (.decode, .decode),
        (.outcomeUnknown, .outcomeUnknown), (.verificationFailed, .verificationFailed),
        (.cancelled, .cancelled), (.keychain, .keychain), (.internal, .internal),
    ]

    init(_ kind: FfiErrorKind) {
        self = Self.bridged.first { $0.1 == kind }?.0 ?? .internal
    }

    var ffi: FfiErrorKind {
        Self.bridged.first { $0.0 == self }?.1 ?? .internal
    }
}

/// Where to look for a key whose create may have succeeded although no response arrived (a lost response, or a
/// `Task` cancelled after the request was sent).
public struct OutcomeUnknownDetails: Sendable, Hashable {
    /// The name the key was created with.
    public let keyName: String
    /// The organization, for an organization or project-scoped key.
    public let orgId: String?
    /// The project, for a project-scoped key.
    public let projectId: String?
    /// The key, if it exists, was created no earlier than this, on Neon's clock (compare with
    /// ``ApiKey/createdAt``).
    public let notBefore: Date
    /// ... and no later than this, on Neon's clock.
    public let notAfter: Date
    /// Live keys with this name that may be the one created, when the client looked (with
    /// ``NeonClient/Configuration/reconcilesCreates``); empty when it did not look or found none.
    public let candidateIds: [Int64]

    /// Details with these values, for example for your own tests.
    public init(
        keyName: String, orgId: String? = nil, projectId: String? = nil, notBefore: Date, notAfter: Date,
        candidateIds: [Int64] = []
    ) {
        self.keyName = keyName
        self.orgId = orgId
        self.projectId = projectId
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.candidateIds = candidateIds
    }

    init(_ d: FfiOutcomeUnknown) {
        self.init(
            keyName: d.keyName, orgId: d.orgId, projectId: d.projectId, notBefore: d.notBefore,
            notAfter: d.notAfter, candidateIds: d.candidateIds)
    }
}

/// What happened to a created key that failed verification.
public struct VerificationDetails: Sendable, Hashable {
    /// The id of the key that came back wrong.
    public let keyId: Int64
    /// Whether the client revoked it. `false` means a live key remains: revoke it by id.
    public let isRevoked: Bool

    /// Details with these values, for example for your own tests.
    public init(keyId: Int64, isRevoked: Bool) {
        self.keyId = keyId
        self.isRevoked = isRevoked
    }

    init(_ v: FfiVerification) {
        self.init(keyId: v.keyId, isRevoked: v.revoked)
    }
}

extension NeonError {
    /// The Swift error of a bridge error (a rotation's store failure is handled by the rotation itself).
    init(_ error: FfiError) {
        switch error {
        case .Neon(let details):
            self.init(details)
        case .StoreFailed(let failure):
            self.init(kind: .internal, message: "a store failure outside a rotation: \(failure.note)")
        }
    }
}
