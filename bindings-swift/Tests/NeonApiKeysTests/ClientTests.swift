import Foundation
import NeonApiKeys
import NeonApiKeysTesting
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
        let emulator = try self.emulator
        let client = try client()
        let created = try await client.createApiKey(name: "swift-create")
        XCTAssertGreaterThanOrEqual(created.id, 5000)
        XCTAssertEqual(created.name, "swift-create")
        XCTAssertNil(created.projectId)
        XCTAssertEqual(created.creatorId, emulator.seed.users.admin)
        XCTAssertEqual(created.key.reveal().count, 64)
        XCTAssertFalse(created.key.isEmpty)

        let fresh = try NeonClient(apiKey: created.key.reveal(), baseURL: emulator.baseURL)
        let auth = try await fresh.authDetails()
        XCTAssertEqual(auth.authMethod, .apiKeyUser)

        let revoked = try await client.revokeApiKey(id: created.id)
        XCTAssertEqual(revoked.id, created.id)
        XCTAssertTrue(revoked.isRevoked)

        let error = await neonError { try await fresh.listApiKeys() }
        XCTAssertEqual(error?.kind, .auth)
        XCTAssertEqual(error?.status, 401)
    }

    func testOrgKeys() async throws {
        let seed = try emulator.seed
        let client = try client(orgApiKey: seed.keys.org)
        let keys = try await client.listOrgApiKeys(orgId: seed.orgId)
        XCTAssertTrue(keys.contains { $0.id == seed.ids.org && $0.projectId == nil })
        XCTAssertTrue(keys.contains { $0.id == seed.ids.project && $0.projectId == seed.projectId })

        // Keys are minted with the personal key (the admin's, by default); the org key lists and revokes.
        let wide = try await client.createOrgApiKey(orgId: seed.orgId, name: "swift-org")
        XCTAssertNil(wide.projectId)
        let scoped = try await client.createOrgApiKey(orgId: seed.orgId, name: "swift-scoped", projectId: seed.projectId)
        XCTAssertEqual(scoped.projectId, seed.projectId)

        let revoked = try await client.revokeOrgApiKey(orgId: seed.orgId, id: scoped.id)
        XCTAssertTrue(revoked.isRevoked)
        XCTAssertEqual(revoked.projectId, seed.projectId)
    }

    func testCreateProjectApiKey() async throws {
        let seed = try emulator.seed
        let created = try await client().createProjectApiKey(projectId: seed.projectId, name: "swift-project")
        XCTAssertEqual(created.projectId, seed.projectId)
        XCTAssertEqual(created.key.reveal().count, 64)
    }

    func testAuthDetailsAndProject() async throws {
        let seed = try emulator.seed
        let org = try await client(apiKey: seed.keys.org).authDetails()
        XCTAssertEqual(org.authMethod, .apiKeyOrg)
        XCTAssertEqual(org.authMethod.wireName, "api_key_org")
        XCTAssertEqual(org.accountId, seed.orgId)
        XCTAssertEqual(AuthMethod.other("future").wireName, "future")

        let project = try await client().project(id: seed.projectId)
        XCTAssertEqual(project.id, seed.projectId)
        XCTAssertEqual(project.orgId, seed.orgId)
    }

    func testUnusedKeys() async throws {
        let seed = try emulator.seed
        let client = try client()
        let created = try await client.createApiKey(name: "swift-unused")
        let unused = try await client.unusedApiKeys()
        XCTAssertTrue(unused.contains { $0.id == created.id })
        XCTAssertTrue(unused.allSatisfy { $0.lastUsedAt == nil })
        let later = try await client.unusedApiKeys(since: Date().addingTimeInterval(3600))
        XCTAssertTrue(later.contains { $0.id == seed.ids.admin }, "used before the cutoff counts as unused")

        let orgUnused = try await client.unusedOrgApiKeys(orgId: seed.orgId)
        XCTAssertTrue(orgUnused.allSatisfy { $0.lastUsedAt == nil })
    }

    func testRequestIdFromCallOptions() async throws {
        let emulator = try self.emulator
        let client = try client().withOptions(CallOptions(requestId: "swift-req-1"))
        let error = await neonError { try await client.revokeApiKey(id: 987_654) }
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertEqual(error?.requestId, "swift-req-1")
        let logged = try await emulator.requests()
        XCTAssertEqual(logged.map(\.requestId), ["swift-req-1"])
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

    func testBaseURLAndDescription() throws {
        let emulator = try self.emulator
        let client = try client()
        XCTAssertEqual(client.baseURL, emulator.baseURL)
        XCTAssertEqual(client.description, "NeonClient(\(emulator.baseURL.absoluteString))")
    }

    func testDefaultsAreTheCores() throws {
        XCTAssertEqual(NeonDefaults.timeout, .seconds(60))
        XCTAssertEqual(NeonDefaults.connectTimeout, .seconds(5))
        XCTAssertEqual(NeonDefaults.attemptTimeout, .seconds(30))
        XCTAssertEqual(NeonDefaults.maxRetries, 2)
        XCTAssertEqual(NeonDefaults.backoffBase, .milliseconds(250))
        XCTAssertEqual(NeonDefaults.backoffCap, .seconds(10))
        XCTAssertEqual(NeonDefaults.maxRetryWait, .seconds(10))
        XCTAssertEqual(NeonDefaults.pollInterval, .seconds(2))
        XCTAssertEqual(NeonDefaults.baseURL, "https://console.neon.tech/api/v2")
    }
}
