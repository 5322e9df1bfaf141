import Foundation
internal import NeonApiKeysBridge

/// Manages Neon API keys: personal, organization and project-scoped.
///
/// ```swift
/// let client = try NeonClient()                    // NEON_API_KEY, NEON_ORG_API_KEY, NEON_API_HOST
/// let key = try await client.createApiKey(name: "ci-deploy")
/// try Keychain(service: "my-app", account: "ci").save(key)   // the secret is shown once
/// _ = try await client.revokeApiKey(id: key.id)
/// ```
///
/// Every call validates its input before sending, retries by Neon's rules, keeps to its deadlines and a
/// throttle under Neon's rate limits, and throws ``NeonError``. Cancelling the calling `Task` cancels the call:
/// it then throws ``NeonErrorKind/cancelled`` (or ``NeonErrorKind/outcomeUnknown`` for a create already sent).
///
/// The client is `Sendable` and cheap to share across tasks; calls run in parallel on a runtime inside the
/// library.
public final class NeonClient: Sendable, CustomStringConvertible {
    let ffi: FfiClient

    /// The API base URL in use, `/api/v2` included.
    public let baseURL: URL

    private init(_ ffi: FfiClient) throws {
        let base = ffi.baseUrl()
        guard let url = URL(string: base) else {
            throw NeonError(kind: .config, message: "the base URL \(base) is not a URL Foundation can hold")
        }
        self.ffi = ffi
        baseURL = url
    }

    /// A client using `apiKey` for personal operations and `orgApiKey` (else `apiKey`) for organization
    /// operations, at `baseURL` (else `NEON_API_HOST`, else ``NeonDefaults/baseURL``).
    ///
    /// Without `apiKey` the client reads `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and
    /// `NEON_API_HOST` from the environment; the arguments you give win. With `keychain`, the key that entry
    /// holds fills what is still missing: an organization key when its record names an organization, else a
    /// personal key. So the order is: the keys given, then the environment, then the keychain entry.
    /// ``rotateKeychainKey(_:newName:waitForUse:pollInterval:)`` rotates that key in place, and the client moves
    /// to the new key. A missing key is reported by the first call that needs one (naming the empty entry).
    ///
    /// ```swift
    /// let client = try NeonClient(keychain: Keychain(service: "my-app", account: "neon"))
    /// ```
    ///
    /// - Throws: ``NeonError`` with ``NeonErrorKind/config`` for a bad base URL or plain `http` to a remote host,
    ///   ``NeonErrorKind/invalidInput`` for a bad ``Configuration`` value, ``NeonErrorKind/keychain`` when the
    ///   entry cannot be read or holds no key record of this SDK.
    public convenience init(
        apiKey: String? = nil, orgApiKey: String? = nil, keychain: Keychain? = nil, baseURL: URL? = nil,
        configuration: Configuration = Configuration()
    ) throws {
        let settings = try configuration.settings()
        try self.init(
            bridged {
                try FfiClient(
                    apiKey: apiKey, orgApiKey: orgApiKey, keychain: keychain?.ffi, baseUrl: baseURL?.absoluteString,
                    settings: settings)
            })
    }

    /// A client configured from the environment: `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY` and
    /// `NEON_API_HOST`.
    ///
    /// - Throws: ``NeonError`` as ``init(apiKey:orgApiKey:keychain:baseURL:configuration:)`` does.
    public static func fromEnv(configuration: Configuration = Configuration()) throws -> NeonClient {
        let settings = try configuration.settings()
        return try NeonClient(bridged { try FfiClient.fromEnv(settings: settings) })
    }

    /// A client sharing this one's connections, throttle and retry budget whose calls use `options`.
    ///
    /// - Throws: ``NeonErrorKind/invalidInput`` for a negative timeout.
    public func withOptions(_ options: CallOptions) throws -> NeonClient {
        let ffiOptions = try options.ffi()
        return try NeonClient(bridged { try ffi.withOptions(options: ffiOptions) })
    }

    /// `NeonClient(<base URL>)`; never a key.
    public var description: String { "NeonClient(\(baseURL.absoluteString))" }

    // MARK: Personal keys

    /// Lists the personal API keys of the key's user.
    public func listApiKeys() async throws -> [ApiKey] {
        try await perform { try await $0.listApiKeys(cancellation: $1) }.map(ApiKey.init)
    }

    /// Creates a personal API key. Its secret is in the result, once: `created.key.reveal()`.
    ///
    /// If the response is lost after the request was sent (or the `Task` is cancelled then), the key may exist:
    /// the call throws ``NeonErrorKind/outcomeUnknown`` with the name and time window to look for.
    public func createApiKey(name: String) async throws -> CreatedApiKey {
        CreatedApiKey(try await perform { try await $0.createApiKey(cancellation: $1, name: name) })
    }

    /// Revokes a personal API key.
    public func revokeApiKey(id: Int64) async throws -> RevokedApiKey {
        RevokedApiKey(try await perform { try await $0.revokeApiKey(cancellation: $1, id: id) })
    }

    // MARK: Organization and project keys

    /// Lists an organization's API keys, org-wide and project-scoped.
    public func listOrgApiKeys(orgId: String) async throws -> [ApiKey] {
        try await perform { try await $0.listOrgApiKeys(cancellation: $1, orgId: orgId) }.map(ApiKey.init)
    }

    /// Creates an organization API key; with `projectId`, a key limited to that project. Keys are minted with
    /// the personal key (only a personal key creates keys).
    public func createOrgApiKey(orgId: String, name: String, projectId: String? = nil) async throws -> CreatedApiKey {
        CreatedApiKey(
            try await perform {
                try await $0.createOrgApiKey(cancellation: $1, orgId: orgId, name: name, projectId: projectId)
            })
    }

    /// Revokes an organization API key.
    public func revokeOrgApiKey(orgId: String, id: Int64) async throws -> RevokedApiKey {
        RevokedApiKey(try await perform { try await $0.revokeOrgApiKey(cancellation: $1, orgId: orgId, id: id) })
    }

    /// Creates a key limited to a project: finds the project's organization, then creates an organization key
    /// scoped to the project, as the Neon CLI does.
    public func createProjectApiKey(projectId: String, name: String) async throws -> CreatedApiKey {
        CreatedApiKey(
            try await perform {
                try await $0.createProjectApiKey(cancellation: $1, projectId: projectId, name: name)
            })
    }

    // MARK: Inspection

    /// Which kind of key is in use, and whose (`GET /auth`).
    public func authDetails() async throws -> AuthDetails {
        AuthDetails(try await perform { try await $0.authDetails(cancellation: $1) })
    }

    /// Reads a project, for its organization.
    public func project(id: String) async throws -> Project {
        Project(try await perform { try await $0.getProject(cancellation: $1, projectId: id) })
    }

    /// Personal keys not in use: with `since`, keys created before `since` and not used since then; without it,
    /// keys never used at all.
    public func unusedApiKeys(since: Date? = nil) async throws -> [ApiKey] {
        let seconds = since?.timeIntervalSince1970
        return try await perform { try await $0.unusedApiKeys(cancellation: $1, sinceSeconds: seconds) }
            .map(ApiKey.init)
    }

    /// Organization keys not in use, decided as ``unusedApiKeys(since:)`` decides it.
    public func unusedOrgApiKeys(orgId: String, since: Date? = nil) async throws -> [ApiKey] {
        let seconds = since?.timeIntervalSince1970
        return try await perform {
            try await $0.unusedOrgApiKeys(cancellation: $1, orgId: orgId, sinceSeconds: seconds)
        }.map(ApiKey.init)
    }
}

/// One operation of the SDK, as the Rust core declares it once for every language.
struct NeonOperation: Sendable, Hashable {
    /// The snake_case name shared by every language (`"list_api_keys"`).
    let name: String
    /// The lowerCamelCase form (`"listApiKeys"`).
    let camelName: String
    /// The arguments in order, snake_case; a trailing `?` marks an optional one.
    let arguments: [String]
}

extension NeonClient {
    /// Every operation of the core, in its order; each is a method of ``NeonClient`` (`get_project` is
    /// ``project(id:)``). A test compares it with the conformance runner's dispatch table.
    static let operations: [NeonOperation] = ffiOperations().map {
        NeonOperation(name: $0.name, camelName: $0.camelName, arguments: $0.arguments)
    }
}
