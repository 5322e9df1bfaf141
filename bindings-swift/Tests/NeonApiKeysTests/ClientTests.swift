import Foundation
import NeonApiKeys
import XCTest

/// Every operation of `NeonClient` against the emulator.
final class ClientTests: EmulatorTestCase {
    func testListPersonalKeys() async throws {
        let keys = try await client().listApiKeys()
        let seed = try XCTUnwrap(keys.first { $0.id == 1001 })
        XCTAssertEqual(seed.name, "seed-admin")
        XCTAssertNotNil(seed.createdAt)
        XCTAssertEqual(seed.createdBy?.name, "Ada Admin")
        XCTAssertFalse(keys.contains { $0.id == 1002 }, "only the admin's own keys")
    }

    func testCreateUseAndRevokePersonalKey() async throws {
        let client = try client()
        let created = try await client.createApiKey(name: "swift-create")
        XCTAssertGreaterThanOrEqual(created.id, 5000)
        XCTAssertEqual(created.name, "swift-create")
        XCTAssertNil(created.projectId)
        let secret = created.key.reveal()
        XCTAssertEqual(secret.count, 64)
        XCTAssertFalse(created.key.isEmpty())
        XCTAssertNotNil(created.createdAt)

        // The new secret works.
        let emulator = try self.emulator
        let fresh = try NeonClient(apiKey: secret, baseURL: emulator.baseUrl)
        let auth = try await fresh.authDetails()
        XCTAssertEqual(auth.authMethod, .apiKeyUser)

        let revoked = try await client.revokeApiKey(id: created.id)
        XCTAssertEqual(revoked.id, created.id)
        XCTAssertTrue(revoked.revoked)

        // ... and no longer after the revoke.
        let error = await neonError { try await fresh.listApiKeys() }
        XCTAssertEqual(error?.kindName, "auth")
        XCTAssertEqual(error?.status, 401)
    }

    func testOrgKeys() async throws {
        let emulator = try self.emulator
        let client = try client(nil, orgKey: "org")
        let keys = try await client.listOrgApiKeys(orgId: emulator.orgId)
        XCTAssertTrue(keys.contains { $0.id == 2001 && $0.projectId == nil })
        XCTAssertTrue(keys.contains { $0.id == 2002 && $0.projectId == emulator.projectId })

        let wide = try await client.createOrgApiKey(orgId: emulator.orgId, name: "swift-org")
        XCTAssertNil(wide.projectId)
        let scoped = try await client.createOrgApiKey(
            orgId: emulator.orgId, name: "swift-scoped", projectId: emulator.projectId)
        XCTAssertEqual(scoped.projectId, emulator.projectId)

        let revoked = try await client.revokeOrgApiKey(orgId: emulator.orgId, id: scoped.id)
        XCTAssertTrue(revoked.revoked)
        XCTAssertEqual(revoked.projectId, emulator.projectId)
    }

    func testCreateProjectApiKey() async throws {
        let emulator = try self.emulator
        let created = try await client().createProjectApiKey(projectId: emulator.projectId, name: "swift-project")
        XCTAssertEqual(created.projectId, emulator.projectId)
        XCTAssertEqual(created.key.reveal().count, 64)
    }

    func testAuthDetailsAndProject() async throws {
        let emulator = try self.emulator
        let org = try await client("org").authDetails()
        XCTAssertEqual(org.authMethod, .apiKeyOrg)
        XCTAssertEqual(org.authMethod.wireName, "api_key_org")
        XCTAssertEqual(org.accountId, emulator.orgId)

        let project = try await client().getProject(projectId: emulator.projectId)
        XCTAssertEqual(project.id, emulator.projectId)
        XCTAssertEqual(project.orgId, emulator.orgId)
    }

    func testRotatePersonalAndOrgKeys() async throws {
        let emulator = try self.emulator
        let client = try client()
        let old = try await client.createApiKey(name: "swift-old")
        let rotation = try await client.rotateApiKey(oldId: old.id, newName: "swift-new")
        XCTAssertTrue(rotation.isComplete)
        XCTAssertNil(rotation.revokeError)
        XCTAssertEqual(rotation.revoked?.id, old.id)
        XCTAssertEqual(rotation.newKey.name, "swift-new")
        XCTAssertEqual(rotation.newKey.key.reveal().count, 64)

        let orgRotation = try await client.rotateOrgApiKey(orgId: emulator.orgId, oldId: 2002, newName: "swift-rot")
        XCTAssertEqual(orgRotation.newKey.projectId, emulator.projectId, "the project scope is kept")
        XCTAssertTrue(orgRotation.isComplete)
    }

    func testUnusedKeys() async throws {
        let emulator = try self.emulator
        let client = try client()
        let created = try await client.createApiKey(name: "swift-unused")
        let unused = try await client.unusedApiKeys()
        XCTAssertTrue(unused.contains { $0.id == created.id })
        XCTAssertTrue(unused.allSatisfy { $0.lastUsedAt == nil })
        let future = try await client.unusedApiKeys(since: Date().addingTimeInterval(3600))
        XCTAssertTrue(future.contains { $0.id == 1001 }, "used before the cutoff counts as unused")

        let orgUnused = try await client.unusedOrgApiKeys(orgId: emulator.orgId)
        XCTAssertTrue(orgUnused.allSatisfy { $0.lastUsedAt == nil })
    }

    func testRequestIdFromCallOptions() async throws {
        let client = try client().withOptions(options: CallOptions(requestId: "swift-req-1"))
        let error = await neonError { try await client.revokeApiKey(id: 987_654) }
        XCTAssertEqual(error?.kindName, "not_found")
        XCTAssertEqual(error?.requestId, "swift-req-1")
    }

    func testConcurrentCalls() async throws {
        let client = try client()
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try await client.listApiKeys().count }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        XCTAssertEqual(counts.count, 8)
        XCTAssertTrue(counts.allSatisfy { $0 == counts[0] && $0 > 0 })
    }

    func testBaseUrlAndDescription() throws {
        let emulator = try self.emulator
        let client = try client()
        XCTAssertEqual(client.baseUrl(), emulator.baseUrl)
        XCTAssertEqual(client.description, "NeonClient(\(emulator.baseUrl))")
    }
}
