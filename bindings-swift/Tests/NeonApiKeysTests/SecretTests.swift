import Foundation
import NeonApiKeys
import NeonApiKeysTestHooksBridge
import NeonApiKeysTesting
import XCTest

/// No secret, neither the caller's keys nor a created key, appears in any printed form of any value or error, nor
/// in any log record.
final class SecretTests: EmulatorTestCase {
    func testSecretObjectIsOpaque() {
        let sentinel = "sentinel-swift-secret-0123456789"
        let secret = ApiKeySecret(sentinel + "\n")
        assertNoSecret([secret], secrets: [sentinel])
        XCTAssertEqual(String(describing: secret), "[REDACTED]")
        XCTAssertEqual("\(secret)", "[REDACTED]")
        XCTAssertEqual(String(reflecting: secret), "ApiKeySecret([REDACTED])")
        XCTAssertEqual(secret.reveal(), sentinel, "surrounding whitespace is removed, as the core does")
        XCTAssertEqual(secret, ApiKeySecret(sentinel))
        XCTAssertNotEqual(secret, ApiKeySecret("other-secret"))
        let created = CreatedApiKey(id: 1, key: secret, name: "n")
        assertNoSecret([created], secrets: [sentinel])
        XCTAssertEqual(created.description, #"CreatedApiKey(id: 1, name: "n", key: [REDACTED])"#)
    }

    func testNoSecretInAnyValueOrError() async throws {
        let emulator = try self.emulator
        let seed = emulator.seed
        // Every log record of the session, at the most detailed level.
        let log = Recorder<LogRecord>()
        try NeonLogging.setHandler(log, minimumLevel: .trace)
        defer { NeonLogging.removeHandler() }
        let client = try client(orgApiKey: seed.keys.org)
        var values: [Any] = [client, emulator]
        values.append(try await client.listApiKeys())
        let created = try await client.createApiKey(name: "swift-secret")
        values += [created, created.key]
        values.append(try await client.createOrgApiKey(orgId: seed.orgId, name: "swift-secret-org"))
        values.append(try await client.createProjectApiKey(projectId: seed.projectId, name: "swift-secret-p"))
        values.append(try await client.rotateApiKey(oldId: created.id, newName: "swift-secret-2") { _ in })
        values.append(try await client.listOrgApiKeys(orgId: seed.orgId))
        values.append(try await client.authDetails())

        // A rotation whose revoke fails carries an error; a rotation whose store throws reports the new key.
        let victim = try await client.createApiKey(name: "swift-secret-victim")
        try await emulator.addFault(
            Fault(method: "DELETE", path: "/api_keys/*", times: 0,
                  action: .respond(status: 500, json: #"{"code": "", "message": "boom"}"#)))
        let failed = try await client.rotateApiKey(oldId: victim.id, newName: "swift-secret-3") { _ in }
        XCTAssertNotNil(failed.revokeError)
        XCTAssertFalse(failed.isComplete)
        values.append(failed)
        try await emulator.clearFaults()
        let failures = Recorder<StoreFailure>()
        do {
            _ = try await client.rotateApiKey(
                oldId: victim.id, newName: "swift-secret-4", onStoreFailure: { failures.add($0) }
            ) { key in throw StoreRefusal(keyId: key.id) }
            XCTFail("the store threw")
        } catch let refusal as StoreRefusal {
            values.append(refusal)
        }
        values += failures.values

        // Errors: a revoked key, and a create whose response is cut (the key exists, its secret was sent).
        values.append(await neonError { try await self.client(apiKey: seed.keys.revoked).listApiKeys() } as Any)
        try await emulator.addFault(Fault(method: "POST", path: "/api_keys", action: .truncate(bytes: 30)))
        let lost = await neonError { try await client.createApiKey(name: "swift-secret-lost") }
        XCTAssertEqual(lost?.kind, .outcomeUnknown)
        values.append(lost as Any)

        // Keychain entries: a key saved and loaded, a client on the entry, a rotation in place, a refused save, an
        // entry holding a key's secret in a record this SDK cannot read.
        let keychain = try Keychain(service: "neon-api-keys-swift-sweep-\(getpid())", account: "sweep")
        defer { _ = try? keychain.delete() }
        let kept = try await client.createApiKey(name: "swift-secret-kc")
        try keychain.save(kept)
        let fromEntry = try NeonClient(
            keychain: keychain, baseURL: emulator.baseURL, configuration: NeonEmulator.testConfiguration)
        values += [keychain, try XCTUnwrap(try keychain.load()), fromEntry, try await fromEntry.authDetails()]
        values.append(try await fromEntry.rotateKeychainKey(keychain))
        values.append(try XCTUnwrap(try keychain.load()))
        ffiKeychainRefuseNextSaves(count: 1)
        values.append(await neonError { try await fromEntry.rotateKeychainKey(keychain) } as Any)
        let unreadable = #"{"version":1,"id":1,"name":"x","key":"\#(kept.key.reveal())","extra":1}"#
        try ffiKeychainWriteRaw(service: keychain.service, account: keychain.account, bytes: Data(unreadable.utf8))
        do {
            _ = try keychain.load()
            XCTFail("the record has an unknown field")
        } catch {
            values.append(error)
        }

        let secrets = try await emulator.secrets()
        XCTAssertTrue(secrets.contains(created.key.reveal()))
        XCTAssertTrue(secrets.contains(kept.key.reveal()))
        assertNoSecret(values, secrets: secrets)
        let records = log.values
        XCTAssertTrue(records.contains { $0.message == "retrying" }, "the failing revokes were retried and logged")
        XCTAssertTrue(records.contains { $0.message == "response" }, "every response was logged")
        assertNoSecret(records, secrets: secrets)
        let chars = values.reduce(0) { total, value in total + renderings(value).reduce(0) { $0 + $1.count } }
        let logChars = records.reduce(0) { total, record in total + renderings(record).reduce(0) { $0 + $1.count } }
        print("secrets sweep swift: \(secrets.count) secrets (issued), \(values.count) values and errors, "
            + "\(chars) chars scanned (description, debugDescription, dump, Mirror; an error's message and causes) + "
            + "\(records.count) log records (\(logChars) chars, trace level): 0 leaks")
    }
}

/// A store's own error in tests.
struct StoreRefusal: Error, Equatable, CustomStringConvertible {
    let keyId: Int64
    var description: String { "store refused key \(keyId)" }
}

/// Collects values from `@Sendable` callbacks.
final class Recorder<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []

    func add(_ item: T) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    var values: [T] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
