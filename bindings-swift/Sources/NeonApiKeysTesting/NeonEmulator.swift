import Foundation
import NeonApiKeys
internal import NeonApiKeysTestingBridge

/// Neon's API-key endpoints, emulated inside your test process on a free port of 127.0.0.1: test code that uses
/// NeonApiKeys offline, with XCTest or Swift Testing.
///
/// ```swift
/// let emulator = try NeonEmulator()
/// defer { emulator.stop() }
/// let client = try emulator.client()               // the seeded admin's personal key, fast retries
/// try await emulator.addFault(Fault(method: "POST", path: "/api_keys", action: .respond(status: 503)))
/// let key = try await client.createApiKey(name: "ci")
/// ```
///
/// The emulator follows Neon's API (shapes, errors, permissions, unique key names, rate limits when switched on)
/// and answers with faults you inject, down to the TCP connection. It is the SDK's own Rust emulator, linked
/// only into this library.
public final class NeonEmulator: Sendable, CustomStringConvertible, CustomReflectable {
    let ffi: FfiEmulator
    private let control: ControlClient

    /// The Neon API base URL (`http://127.0.0.1:PORT/api/v2`): a client's `baseURL`, or `NEON_API_HOST`.
    public let baseURL: URL
    /// The control API (`http://127.0.0.1:PORT/_emulator`).
    public let controlURL: URL
    /// The seeded keys, ids and projects (restored by every ``reset(rateLimits:)``).
    public let seed: Seed

    /// Starts an emulator.
    ///
    /// - Parameters:
    ///   - rateLimits: Enforce Neon's rate limits (700/min per account, 40/s per route, 10/s org key creation).
    ///   - clockOffset: How far the emulator's clock (keys' timestamps, the `Date` header) runs ahead of this
    ///     machine's; negative: behind.
    ///   - nameConflictStatus: How a create answers a key name a live key of the account already holds.
    /// - Throws: ``EmulatorError`` when it cannot start.
    public init(
        rateLimits: Bool = false, clockOffset: Duration = .zero, nameConflictStatus: NameConflictStatus = .conflict
    ) throws {
        do {
            ffi = try FfiEmulator.start(
                rateLimits: rateLimits, clockOffsetMs: clockOffset.milliseconds,
                nameConflictStatus: UInt16(nameConflictStatus.rawValue))
        } catch let error as FfiEmulatorError {
            throw EmulatorError(message: "\(error)", status: nil)
        }
        guard let base = URL(string: ffi.baseUrl()), let controlURL = URL(string: ffi.controlUrl()) else {
            ffi.stop()
            throw EmulatorError(message: "the emulator's URLs are not URLs: \(ffi.baseUrl())", status: nil)
        }
        do {
            seed = try Seed.decode(startupJSON: Data(ffi.startupJson().utf8))
        } catch {
            ffi.stop()
            throw EmulatorError(message: "the emulator's seed did not decode: \(error)", status: nil)
        }
        baseURL = base
        self.controlURL = controlURL
        control = ControlClient(controlURL: controlURL)
    }

    deinit {
        ffi.stop()
    }

    /// Whether the server is running (``stop()`` not called yet).
    public var isRunning: Bool { ffi.isRunning() }

    /// Stops the server (idempotent): open connections close and stalled requests end. Deinitialising the
    /// emulator stops it too.
    public func stop() {
        ffi.stop()
    }

    /// `NeonEmulator(<base URL>)`.
    public var description: String { "NeonEmulator(\(baseURL.absoluteString))" }

    /// The URLs only: `dump` of an emulator does not print the seed's keys (read them from ``seed``).
    public var customMirror: Mirror {
        Mirror(self, children: ["baseURL": baseURL, "controlURL": controlURL], displayStyle: .class)
    }

    // MARK: Clients

    /// Settings for tests: fast retries (the SDK's defaults back off for seconds on purpose) and no throttle.
    public static let testConfiguration = NeonClient.Configuration(
        timeout: .seconds(10), backoffBase: .milliseconds(1), backoffCap: .milliseconds(20),
        maxRetryWait: .seconds(2), throttlesRequests: false)

    /// A client pointed at the emulator: `apiKey` (default: the seeded admin's personal key) for personal
    /// operations and for minting keys, `orgApiKey` for organization operations.
    public func client(
        apiKey: String? = nil, orgApiKey: String? = nil,
        configuration: NeonClient.Configuration = NeonEmulator.testConfiguration
    ) throws -> NeonClient {
        try NeonClient(
            apiKey: apiKey ?? seed.keys.admin, orgApiKey: orgApiKey, baseURL: baseURL, configuration: configuration)
    }

    /// The environment that makes `NeonClient()` use the emulator: `NEON_API_KEY` (the admin's key unless
    /// given) and `NEON_API_HOST`. For `setenv` in a test, or a child process's environment.
    public func environment(apiKey: String? = nil) -> [String: String] {
        ["NEON_API_KEY": apiKey ?? seed.keys.admin, "NEON_API_HOST": baseURL.absoluteString]
    }

    // MARK: State and rules

    /// Restores the seed, clears faults and the request log; `rateLimits` sets the switch (else the start-up
    /// value). The clock offset and the duplicate-name status return to their start-up values.
    public func reset(rateLimits: Bool? = nil) {
        ffi.reset(rateLimits: rateLimits)
    }

    /// Turns Neon's rate limits on or off (until the next reset).
    public func setRateLimits(_ enabled: Bool) {
        ffi.setRateLimits(enabled: enabled)
    }

    /// Runs the emulator's clock `offset` ahead of this machine's (negative: behind) until the next reset: keys'
    /// timestamps and the `Date` header follow it, as a server with a skewed clock would.
    public func setClockOffset(_ offset: Duration) {
        ffi.setClockOffsetMs(offsetMs: offset.milliseconds)
    }

    /// How a create answers a duplicate key name, until the next reset.
    public func setNameConflictStatus(_ status: NameConflictStatus) {
        ffi.setNameConflictStatus(status: UInt16(status.rawValue))
    }

    // MARK: Control API

    /// Makes the next ``Fault/times`` matching requests misbehave. Faults apply in the order they were added.
    public func addFault(_ fault: Fault) async throws {
        _ = try await control.call("POST", "/faults", body: fault.json())
    }

    /// Removes every queued fault.
    public func clearFaults() async throws {
        _ = try await control.call("DELETE", "/faults")
    }

    /// Seeds a key and returns it with its secret (and, for ``Owner/organization``, the seed's organization as
    /// `CreatedApiKey.orgId`, as a create of the SDK names it).
    ///
    /// - Parameters:
    ///   - owner: Whose key it is.
    ///   - name: Its name (default `key-<id>`). Names of live keys are unique per account, as on Neon, unless
    ///     `allowsDuplicateName`.
    ///   - projectId: For ``Owner/organization`` keys: the project it is limited to.
    ///   - createdAt: Its creation time (default: now on the emulator's clock).
    ///   - lastUsedAt: Its last use (default: never).
    ///   - createdBy: For ``Owner/organization`` keys: which admin created it (default ``Owner/admin``).
    ///   - isRevoked: Seed it revoked.
    ///   - allowsDuplicateName: Allow a name a live key of the account already holds.
    public func addKey(
        owner: Owner = .admin, name: String? = nil, projectId: String? = nil, createdAt: Date? = nil,
        lastUsedAt: Date? = nil, createdBy: Owner? = nil, isRevoked: Bool = false, allowsDuplicateName: Bool = false
    ) async throws -> CreatedApiKey {
        var body: [String: Any] = [
            "owner": owner.rawValue, "revoked": isRevoked, "allow_duplicate_name": allowsDuplicateName,
        ]
        body["name"] = name
        body["project_id"] = projectId
        body["created_at"] = createdAt.map(ControlClient.timestamp)
        body["last_used_at"] = lastUsedAt.map(ControlClient.timestamp)
        body["created_by"] = createdBy?.rawValue
        let data = try await control.call("POST", "/keys", body: try ControlClient.body(body))
        let created = try ControlClient.decode(SeededKey.self, from: data)
        return CreatedApiKey(
            id: created.id, key: ApiKeySecret(created.key), name: created.name, creatorId: created.createdBy,
            orgId: owner == .organization ? seed.orgId : nil, projectId: created.projectId)
    }

    /// Marks a key used one second from now on the emulator's clock, as an application starting to use it would
    /// (what a rotation's `waitForUse` looks for).
    public func markUsed(keyId: Int64) async throws {
        _ = try await control.call("POST", "/keys/\(keyId)/use", body: try ControlClient.body([:]))
    }

    /// Every key, revoked ones included, without secrets.
    public func keys() async throws -> [EmulatedKey] {
        let state = try ControlClient.decode(EmulatedState.self, from: try await control.call("GET", "/state"))
        return (state.apiKeys + state.orgApiKeys).sorted { $0.id < $1.id }
    }

    /// The Neon API requests received since the last reset, oldest first.
    public func requests() async throws -> [RecordedRequest] {
        try ControlClient.decode([RecordedRequest].self, from: try await control.call("GET", "/requests"))
    }

    /// Empties the request log.
    public func clearRequests() async throws {
        _ = try await control.call("DELETE", "/requests")
    }

    /// The secret of every key since the last reset: for sweeps asserting that no secret reached your logs,
    /// errors or output.
    public func secrets() async throws -> [String] {
        Array(try ControlClient.decode([String: String].self, from: try await control.call("GET", "/secrets")).values)
    }
}

extension Duration {
    /// Whole milliseconds, rounded toward zero and clamped to `Int64`.
    var milliseconds: Int64 {
        let (seconds, atto) = (components.seconds, components.attoseconds)
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(atto / 1_000_000_000_000_000).overflow
            ? (seconds < 0 ? .min : .max) : whole + atto / 1_000_000_000_000_000
    }
}
