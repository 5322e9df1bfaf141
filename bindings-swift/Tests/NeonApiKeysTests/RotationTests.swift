import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// Two-phase rotation with an `async` store closure: the old key is revoked only after the store returned.
final class RotationTests: EmulatorTestCase {
    func testStoreReceivesTheSecretThenTheOldKeyIsRevoked() async throws {
        let emulator = try self.emulator
        let client = try client()
        let old = try await client.createApiKey(name: "swift-old")
        let stored = Recorder<CreatedApiKey>()
        let oldWasLive = Recorder<Bool>()
        let rotation = try await client.rotateApiKey(oldId: old.id, newName: "swift-new") { key in
            stored.add(key)
            let keys = try await emulator.keys()
            oldWasLive.add(keys.first { $0.id == old.id }?.isRevoked == false)
        }
        let newKey = try XCTUnwrap(stored.values.first)
        XCTAssertEqual(oldWasLive.values, [true], "the old key is live while the store runs")
        XCTAssertEqual(newKey.key.reveal().count, 64)
        XCTAssertEqual(rotation.newKey.id, newKey.id)
        XCTAssertEqual(rotation.newKey.name, "swift-new")
        XCTAssertEqual(rotation.oldKeyId, old.id)
        XCTAssertEqual(rotation.revoked?.id, old.id)
        XCTAssertNil(rotation.revokeError)
        XCTAssertNil(rotation.newKeySeenInUse)
        XCTAssertTrue(rotation.isComplete)
        // The new key works.
        let auth = try await NeonClient(apiKey: newKey.key.reveal(), baseURL: emulator.baseURL).authDetails()
        XCTAssertEqual(auth.authMethod, .apiKeyUser)
    }

    func testAStoreErrorIsRethrownAsItIsAfterTheNewKeyWasRevoked() async throws {
        let emulator = try self.emulator
        let client = try client()
        let old = try await client.createApiKey(name: "swift-keep")
        let failures = Recorder<StoreFailure>()
        let handed = Recorder<Int64>()
        do {
            _ = try await client.rotateApiKey(oldId: old.id, onStoreFailure: { failures.add($0) }) { key in
                handed.add(key.id)
                throw StoreRefusal(keyId: key.id)
            }
            XCTFail("the store threw")
        } catch let error as StoreRefusal {
            XCTAssertEqual(error, StoreRefusal(keyId: try XCTUnwrap(handed.values.first)))
        }
        let failure = try XCTUnwrap(failures.values.first)
        XCTAssertEqual(failures.values.count, 1)
        XCTAssertEqual(failure.newKeyId, handed.values.first)
        XCTAssertTrue(failure.isNewKeyRevoked)
        XCTAssertNil(failure.revokeError)
        XCTAssertEqual(
            failure.note, "the store failed, so the new key \(failure.newKeyId) was revoked; the old key stays live")
        XCTAssertEqual("\(failure)", failure.note)
        let keys = try await emulator.keys()
        XCTAssertEqual(keys.first { $0.id == failure.newKeyId }?.isRevoked, true)
        XCTAssertEqual(keys.first { $0.id == old.id }?.isRevoked, false)
    }

    func testUnknownOldKeyCreatesNothing() async throws {
        let emulator = try self.emulator
        let called = Recorder<Bool>()
        let error = await neonError { try await self.client().rotateApiKey(oldId: 999_999) { _ in called.add(true) } }
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertEqual(called.values, [])
        let posts = try await emulator.requests().filter { $0.method == "POST" }
        XCTAssertEqual(posts.count, 0)
    }

    func testWaitForUseRevokesOnlyOnceTheNewKeyIsUsed() async throws {
        let emulator = try self.emulator
        let client = try client()
        let old = try await client.createApiKey(name: "swift-wait")
        let rotation = try await client.rotateApiKey(
            oldId: old.id, waitForUse: .seconds(5), pollInterval: .milliseconds(50)
        ) { key in
            try await emulator.markUsed(keyId: key.id)
        }
        XCTAssertEqual(rotation.newKeySeenInUse, true)
        XCTAssertTrue(rotation.isComplete)
        XCTAssertTrue(rotation.newKey.name.hasPrefix("swift-wait-"), "derived like Neon's CLI: \(rotation.newKey.name)")

        let unused = try await client.createApiKey(name: "swift-wait-unused")
        let waited = try await client.rotateApiKey(
            oldId: unused.id, waitForUse: .milliseconds(200), pollInterval: .milliseconds(50)) { _ in }
        XCTAssertEqual(waited.newKeySeenInUse, false)
        XCTAssertFalse(waited.isComplete, "no use showed: the old key stays live")
        XCTAssertNil(waited.revoked)
    }

    func testOrgRotationKeepsTheProjectScope() async throws {
        let seed = try emulator.seed
        let client = try client(orgApiKey: seed.keys.org)
        let rotation = try await client.rotateOrgApiKey(orgId: seed.orgId, oldId: seed.ids.project, newName: "swift-rot") { _ in }
        XCTAssertEqual(rotation.newKey.projectId, seed.projectId)
        XCTAssertTrue(rotation.isComplete)
    }
}
