import Foundation
import NeonApiKeys
import XCTest

/// The Swift runner of the language-neutral conformance suite (tests/conformance/README.md): every case of
/// `tests/conformance/cases/*.json` through the Swift API, against one emulator. Prints exactly
/// `conformance swift: N passed, M failed` and fails when M > 0 or N == 0.
/// `CONFORMANCE_FILTER=<substring of file or case name>` runs only some cases.
final class ConformanceTests: XCTestCase {
    private static let envNames = ["NEON_API_KEY", "NEON_ORG_API_KEY", "NEON_PROJECT_API_KEY", "NEON_API_HOST"]

    /// Typed access to a case's resolved `args`.
    struct Args {
        let map: [String: JSON]

        func string(_ name: String) throws -> String {
            guard let value = try optString(name) else { throw RunnerError("args.\(name) is required") }
            return value
        }

        func optString(_ name: String) throws -> String? {
            switch map[name] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let other?: throw RunnerError("args.\(name) must be a string, got \(other)")
            }
        }

        func id(_ name: String) throws -> Int64 {
            guard let n = map[name]?.int64 else { throw RunnerError("args.\(name) must be an integer") }
            return n
        }

        func optMillis(_ name: String) throws -> Duration? {
            switch map[name] {
            case nil, .null?: return nil
            case let value?:
                guard let ms = value.int64 else { throw RunnerError("args.\(name) must be an integer") }
                return .milliseconds(ms)
            }
        }

        /// The entry `{"service", "account"}` the arguments name.
        func keychain() throws -> Keychain {
            try ConformanceTests.keychain(.object(map))
        }

        func since() throws -> Date? {
            guard let text = try optString("since") else { return nil }
            guard let date = Canonical.parseDate(text) else { throw RunnerError("args.since \(text) is not RFC 3339") }
            return date
        }
    }

    struct RunnerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// What a case's operation may use besides the client: the emulator (for the `use` store mode).
    typealias Operation = @Sendable (NeonClient, Args, Emulator) async throws -> JSON

    /// Operation name → Swift API (README, "Operations and arguments").
    static let dispatch: [String: Operation] = [
        "list_api_keys": { c, _, _ in Canonical.apiKeys(try await c.listApiKeys()) },
        "create_api_key": { c, a, _ in Canonical.created(try await c.createApiKey(name: a.string("key_name"))) },
        "revoke_api_key": { c, a, _ in Canonical.revoked(try await c.revokeApiKey(id: a.id("key_id"))) },
        "list_org_api_keys": { c, a, _ in Canonical.apiKeys(try await c.listOrgApiKeys(orgId: a.string("org_id"))) },
        "create_org_api_key": { c, a, _ in
            Canonical.created(try await c.createOrgApiKey(
                orgId: a.string("org_id"), name: a.string("key_name"), projectId: a.optString("project_id")))
        },
        "revoke_org_api_key": { c, a, _ in
            Canonical.revoked(try await c.revokeOrgApiKey(orgId: a.string("org_id"), id: a.id("key_id")))
        },
        "create_project_api_key": { c, a, _ in
            Canonical.created(try await c.createProjectApiKey(
                projectId: a.string("project_id"), name: a.string("key_name")))
        },
        "auth_details": { c, _, _ in Canonical.auth(try await c.authDetails()) },
        "get_project": { c, a, _ in Canonical.project(try await c.project(id: a.string("project_id"))) },
        "rotate_api_key": { c, a, e in
            try await RunnerStore(a, e).rotate { wait, poll, store in
                try await c.rotateApiKey(
                    oldId: a.id("old_id"), newName: a.optString("new_name"), waitForUse: wait, pollInterval: poll,
                    store: store)
            }
        },
        "rotate_org_api_key": { c, a, e in
            try await RunnerStore(a, e).rotate { wait, poll, store in
                try await c.rotateOrgApiKey(
                    orgId: a.string("org_id"), oldId: a.id("old_id"), newName: a.optString("new_name"),
                    waitForUse: wait, pollInterval: poll, store: store)
            }
        },
        "rotate_keychain_key": { c, a, _ in
            // `stored` is what the entry holds after the call (README, "Keychain entries").
            let keychain = try a.keychain()
            let wait = try a.optMillis("wait_for_use_ms")
            let rotation = try await c.rotateKeychainKey(
                keychain, newName: a.optString("new_name"), waitForUse: wait,
                pollInterval: wait.map { _ in .milliseconds(50) })
            return Canonical.rotation(rotation, stored: (try? keychain.load()) ?? nil)
        },
        "unused_api_keys": { c, a, _ in Canonical.apiKeys(try await c.unusedApiKeys(since: a.since())) },
        "unused_org_api_keys": { c, a, _ in
            Canonical.apiKeys(try await c.unusedOrgApiKeys(orgId: a.string("org_id"), since: a.since()))
        },
    ]

    /// The runner's store of a rotation (README, "Rotations: the runner's store"), driven by `args.store`.
    struct RunnerStore {
        let mode: String
        let wait: Duration?
        let emulator: Emulator

        init(_ args: Args, _ emulator: Emulator) throws {
            mode = try args.optString("store") ?? "ok"
            guard ["ok", "fail", "use"].contains(mode) else { throw RunnerError("args.store \(mode) is not ok, fail or use") }
            wait = try args.optMillis("wait_for_use_ms")
            self.emulator = emulator
        }

        /// Runs `rotation` with this store; the canonical Rotation, or the store's own error as canonical JSON.
        func rotate(
            _ rotation: (Duration?, Duration?, @escaping @Sendable (CreatedApiKey) async throws -> Void) async throws
                -> Rotation
        ) async throws -> JSON {
            let stored = Recorder<CreatedApiKey>()
            let (mode, emulator) = (mode, emulator)
            do {
                let result = try await rotation(wait, wait.map { _ in .milliseconds(50) }) { key in
                    if mode == "fail" { throw StoreRefused() }
                    stored.add(key)
                    if mode == "use" { try await emulator.control("POST", "/keys/\(key.id)/use", [:]) }
                }
                return Canonical.rotation(result, stored: stored.values.first)
            } catch let error as StoreRefused {
                throw StoreFailed(json: Canonical.storeError(error))
            }
        }
    }

    /// The error of a failing store; its message is exactly `store refused the key`.
    struct StoreRefused: Error, CustomStringConvertible {
        var description: String { "store refused the key" }
    }

    /// A rotation that failed with the store's own error, already in canonical form.
    struct StoreFailed: Error {
        let json: JSON
    }

    struct Case {
        let file: String
        let name: String
        let json: JSON
        var operation: String { json["operation"]?.string ?? "" }
    }

    static func loadCases() throws -> [Case] {
        let dir = Repo.root.appendingPathComponent("tests/conformance/cases")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        var cases: [Case] = []
        for file in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            guard let items = try JSON.parse(data).array else { throw RunnerError("\(file) is not a JSON array") }
            for item in items {
                cases.append(Case(file: file, name: item["name"]?.string ?? "<unnamed>", json: item))
            }
        }
        return cases
    }

    /// The keychain entry `{"service", "account"}` (README, "Keychain entries").
    static func keychain(_ value: JSON) throws -> Keychain {
        guard let service = value["service"]?.string, let account = value["account"]?.string else {
            throw RunnerError("a keychain entry needs a string service and account: \(value)")
        }
        return try Keychain(service: service, account: account)
    }

    /// Every keychain entry a case names (setup, arguments, credentials), to empty before and after it.
    static func keychainEntries(_ c: JSON, args: Args, credentials: JSON?) throws -> [Keychain] {
        var entries = try (c["setup"]?["keychain"]?.array ?? []).map(keychain)
        if c["operation"]?.string == "rotate_keychain_key" { entries.append(try args.keychain()) }
        if let entry = credentials?["keychain"] { entries.append(try keychain(entry)) }
        return entries
    }

    /// The created key a setup key's control answer describes (an org key's organization is the seed's).
    static func createdFromControl(spec: JSON, created: JSON, seed: JSON) throws -> CreatedApiKey {
        guard let id = created["id"]?.int64, let secret = created["key"]?.string else {
            throw RunnerError("the emulator's answer to a setup key has no id or key: \(created)")
        }
        return CreatedApiKey(
            id: id, key: ApiKeySecret(secret), name: created["name"]?.string ?? "",
            createdAt: created["created_at"]?.string.flatMap(Canonical.parseDate),
            creatorId: created["created_by"]?.string,
            orgId: spec["owner"]?.string == "org" ? seed["org_id"]?.string : nil,
            projectId: created["project_id"]?.string)
    }

    /// Replaces `$` variables from the seed (README, "Seed variables").
    static func resolve(_ value: JSON, seed: JSON) throws -> JSON {
        switch value {
        case .string(let s) where s.hasPrefix("$"):
            var current: JSON? = seed
            for part in s.dropFirst().split(separator: ".", omittingEmptySubsequences: false) {
                current = current?[String(part)]
            }
            guard let found = current, found != .null else { throw RunnerError("unknown seed variable \(s)") }
            return found
        case .array(let items):
            return .array(try items.map { try resolve($0, seed: seed) })
        case .object(let map):
            return .object(try map.mapValues { try resolve($0, seed: seed) })
        default:
            return value
        }
    }

    /// Progress on stderr (unbuffered), with CONFORMANCE_VERBOSE=1.
    static func trace(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func testConformance() async throws {
        let emulator = try Emulator()
        defer { emulator.stop() }
        var cases = try Self.loadCases()
        if let filter = ProcessInfo.processInfo.environment["CONFORMANCE_FILTER"], !filter.isEmpty {
            cases = cases.filter { $0.file.contains(filter) || $0.name.contains(filter) }
        }
        let unknown = Set(cases.map(\.operation)).subtracting(Self.dispatch.keys)
        guard unknown.isEmpty else {
            print("conformance swift: 0 passed, \(cases.count) failed")
            return XCTFail("operations without a Swift dispatch entry: \(unknown.sorted())")
        }

        let savedEnv = Self.envNames.reduce(into: [String: String]()) { saved, name in
            saved[name] = ProcessInfo.processInfo.environment[name]
        }
        defer {
            for name in Self.envNames {
                if let value = savedEnv[name] { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }

        let verbose = ProcessInfo.processInfo.environment["CONFORMANCE_VERBOSE"] == "1"
        var passed = 0
        var failed = 0
        for testCase in cases {
            let started = Date()
            if verbose { Self.trace("RUN \(testCase.name) (\(testCase.file))") }
            defer {
                if verbose { Self.trace("RAN \(testCase.name) in \(Int(Date().timeIntervalSince(started) * 1000)) ms") }
            }
            let problems: [String]
            let actual: JSON
            do {
                (actual, problems) = try await run(testCase, emulator)
            } catch {
                (actual, problems) = (.null, ["the case could not run: \(error)"])
            }
            if problems.isEmpty {
                passed += 1
            } else {
                failed += 1
                print("""
                    FAIL \(testCase.name) [swift] (\(testCase.file))
                      expected: \(testCase.json["expect_overrides"]?["swift"] ?? testCase.json["expect"] ?? .null)
                      actual:   \(actual)
                    \(problems.map { "  - " + $0 }.joined(separator: "\n"))
                    """)
            }
        }
        if verbose { Self.trace("summary") }
        print("conformance swift: \(passed) passed, \(failed) failed")
        if verbose { Self.trace("printed") }
        XCTAssertEqual(failed, 0, "conformance cases failed (see the FAIL lines above)")
        XCTAssertGreaterThan(passed, 0, "no conformance case ran")
    }

    /// Runs one case: reset + setup, environment, client, operation, checks. Returns the actual outcome and
    /// the problems (empty when it passed).
    private func run(_ testCase: Case, _ emulator: Emulator) async throws -> (JSON, [String]) {
        let c = testCase.json
        let setup = c["setup"] ?? [:]
        var reset: [String: JSON] = ["rate_limits": .bool(setup["rate_limits"]?.bool ?? false)]
        for field in ["clock_offset_ms", "name_conflict_status"] { reset[field] = setup[field] }
        let seed = try await emulator.reset(.object(reset))
        let args = Args(map: try Self.resolve(c["args"] ?? [:], seed: seed).object ?? [:])
        let credentials = try c["credentials"].map { try Self.resolve($0, seed: seed) }
        let env = try c["env"].map { try Self.resolve($0, seed: seed) }
        var added: [(spec: JSON, created: JSON)] = []
        for key in setup["keys"]?.array ?? [] {
            let spec = try Self.resolve(key, seed: seed)
            added.append((spec, try await emulator.control("POST", "/keys", spec)))
        }
        // Keychain entries: emptied now and after the case (also when it fails), then filled from setup.keys.
        let entries = try Self.keychainEntries(c, args: args, credentials: credentials)
        for entry in entries { try entry.delete() }
        defer { for entry in entries { _ = try? entry.delete() } }
        for item in setup["keychain"]?.array ?? [] {
            guard let index = item["key"]?.int64, added.indices.contains(Int(index)) else {
                throw RunnerError("setup.keychain[].key must index setup.keys: \(item)")
            }
            let (spec, created) = added[Int(index)]
            try Self.keychain(item).save(try Self.createdFromControl(spec: spec, created: created, seed: seed))
        }
        for fault in setup["faults"]?.array ?? [] {
            try await emulator.fault(Self.resolve(fault, seed: seed))
        }

        // Environment: always cleared; with `env`, NEON_API_HOST plus the case's variables.
        for name in Self.envNames { unsetenv(name) }
        defer { for name in Self.envNames { unsetenv(name) } }
        if let env {
            setenv("NEON_API_HOST", emulator.baseUrl, 1)
            for (name, value) in env.object ?? [:] {
                guard let value = value.string else { throw RunnerError("env.\(name) must be a string") }
                setenv(name, value, 1)
            }
        }

        // Client settings (README defaults, never the library's own).
        let settings = c["client"] ?? [:]
        let backoff = settings["backoff_ms"]?.array?.compactMap(\.int64) ?? [1, 20]
        guard backoff.count == 2 else { throw RunnerError("client.backoff_ms must be [base, cap]") }
        let configuration = NeonClient.Configuration(
            attemptTimeout: .milliseconds(settings["attempt_timeout_ms"]?.int64 ?? 5000),
            timeout: .milliseconds(settings["timeout_ms"]?.int64 ?? 10000),
            maxRetries: Int(settings["max_retries"]?.int64 ?? 2),
            backoffBase: .milliseconds(backoff[0]),
            backoffCap: .milliseconds(backoff[1]),
            throttlesRequests: settings["throttle"]?.bool ?? false,
            reconcilesCreates: settings["reconcile_creates"]?.bool ?? false)
        var keys: [String: String] = [:]
        var keychain: Keychain?
        for (name, value) in credentials?.object ?? [:] {
            if name == "keychain" {
                keychain = try Self.keychain(value)
                continue
            }
            guard let secret = value.string else { throw RunnerError("credentials.\(name) must be a string") }
            guard ["api_key", "org_api_key"].contains(name) else { throw RunnerError("unknown credentials field \(name)") }
            keys[name] = secret
        }
        let makeClient = {
            env == nil
                ? try NeonClient(
                    apiKey: keys["api_key"], orgApiKey: keys["org_api_key"], keychain: keychain,
                    baseURL: URL(string: emulator.baseUrl), configuration: configuration)
                : try NeonClient.fromEnv(configuration: configuration)
        }

        guard let operation = Self.dispatch[testCase.operation] else {
            throw RunnerError("operation \(testCase.operation) has no Swift dispatch entry")
        }
        let verbose = ProcessInfo.processInfo.environment["CONFORMANCE_VERBOSE"] == "1"
        if verbose { Self.trace("  call \(testCase.operation)") }
        defer { if verbose { Self.trace("  checked") } }
        /// The canonical result or error.
        enum Outcome { case result(JSON), error(JSON) }
        let outcome: Outcome
        do {
            outcome = .result(try await operation(try makeClient(), args, emulator))
        } catch let error as NeonError {
            outcome = .error(Canonical.error(error))
        } catch let error as StoreFailed {
            outcome = .error(error.json)
        }

        if verbose { Self.trace("  returned") }
        var problems: [String] = []
        // This language's expectation: `expect_overrides.swift` replaces `expect` entirely when present.
        let expect = c["expect_overrides"]?["swift"] ?? c["expect"] ?? [:]
        let actual: JSON
        switch outcome {
        case .result(let result): actual = ["result": result]
        case .error(let error): actual = ["error": error]
        }
        switch (expect["result"], expect["error"], outcome) {
        case (let expected?, _, .result(let result)):
            problems += Matcher.match(expected, result).map { "result " + $0 }
        case (_?, _, .error(let error)):
            problems.append("expected a result, got an error: \(error)")
        case (nil, let pattern?, .error(let error)):
            var map = pattern.object ?? [:]
            if let contains = map.removeValue(forKey: "message_contains") {
                map["message"] = ["$includes": contains]
            }
            problems += Matcher.match(.object(map), error).map { "error " + $0 }
        case (nil, _?, .result(let result)):
            problems.append("expected an error, got a result: \(result)")
        case (nil, nil, _):
            problems.append("the case expects neither result nor error")
        }
        if let want = expect["requests"]?.number {
            let logged = try await emulator.requests()
            if Double(logged.count) != want {
                let summary = logged.map {
                    "\($0["method"]?.string ?? "?") \($0["path"]?.string ?? "?") -> \($0["status"] ?? .null)"
                }
                problems.append(
                    "requests: expected \(Int(want)), the emulator logged \(logged.count): [\(summary.joined(separator: ", "))]")
            }
        }
        if let state = expect["state"] {
            problems += try await checkState(state, emulator)
        }
        return (actual, problems)
    }

    /// `expect.state`: one check or a list of them, each against `GET /_emulator/state` (README, "Expectations").
    private func checkState(_ expected: JSON, _ emulator: Emulator) async throws -> [String] {
        let state = try await emulator.control("GET", "/state")
        let all = (state["api_keys"]?.array ?? []) + (state["org_api_keys"]?.array ?? [])
        var problems: [String] = []
        for check in expected.array ?? [expected] {
            problems += try Self.stateCheck(check, all)
        }
        return problems
    }

    /// One check: the key `key_id`, or the newest key named `key_named`, has `revoked: B`, or no such key exists
    /// (`absent: true`).
    private static func stateCheck(_ check: JSON, _ all: [JSON]) throws -> [String] {
        let what: String
        let keys: [JSON]
        switch (check["key_named"], check["key_id"]?.int64) {
        case (.string(let name)?, nil):
            (what, keys) = ("key named \(name)", all.filter { $0["name"]?.string == name })
        case (nil, let id?):
            (what, keys) = ("key \(id)", all.filter { $0["id"]?.int64 == id })
        default:
            throw RunnerError("a state check needs key_named or key_id: \(check)")
        }
        if check["absent"]?.bool == true {
            return keys.isEmpty ? [] : ["state: expected no \(what), found \(JSON.array(keys))"]
        }
        if let want = check["revoked"]?.bool {
            guard let newest = keys.max(by: { ($0["id"]?.int64 ?? .min) < ($1["id"]?.int64 ?? .min) }) else {
                return ["state: expected a \(what), found none"]
            }
            if (newest["revoked"]?.bool ?? false) != want {
                return ["state: expected the newest \(what) to have revoked=\(want), found \(newest)"]
            }
        }
        return []
    }
}
