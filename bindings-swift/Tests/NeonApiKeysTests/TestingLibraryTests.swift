import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// `NeonApiKeysTesting`: the emulator in-process, as an app's own tests use it.
final class TestingLibraryTests: XCTestCase {
    func testSeedAndClient() async throws {
        let emulator = try NeonEmulator()
        defer { emulator.stop() }
        let seed = emulator.seed
        XCTAssertEqual(seed.orgId, "org-acme-1234")
        XCTAssertEqual(seed.ids.secondAdmin, 1004)
        XCTAssertEqual(seed.keys.secondAdmin, String(repeating: "b", count: 64))
        XCTAssertEqual(seed.users.secondAdmin, "33333333-3333-4333-8333-333333333333")
        XCTAssertEqual(emulator.baseURL.path, "/api/v2")
        XCTAssertEqual(emulator.description, "NeonEmulator(\(emulator.baseURL.absoluteString))")

        let second = try await emulator.client(apiKey: seed.keys.secondAdmin).authDetails()
        XCTAssertEqual(second.accountId, seed.users.secondAdmin)
        XCTAssertEqual(emulator.environment()["NEON_API_HOST"], emulator.baseURL.absoluteString)
    }

    func testFaultsRequestsKeysAndReset() async throws {
        let emulator = try NeonEmulator()
        defer { emulator.stop() }
        let client = try emulator.client(configuration: .init(maxRetries: 0, throttlesRequests: false))
        try await emulator.addFault(Fault(method: "GET", path: "/api_keys", action: .respond(status: 503)))
        let error: NeonError? = await { () async -> NeonError? in
            do { _ = try await client.listApiKeys() } catch let e as NeonError { return e } catch {}
            return nil
        }()
        XCTAssertEqual(error?.kind, .server)
        let statuses = try await emulator.requests().map(\.status)
        XCTAssertEqual(statuses, [503])

        let seeded = try await emulator.addKey(owner: .secondAdmin, name: "bo-key")
        let keys = try await emulator.keys()
        let bo = try XCTUnwrap(keys.first { $0.id == seeded.id })
        XCTAssertEqual(bo.ownerId, emulator.seed.users.secondAdmin)
        XCTAssertFalse(bo.isRevoked)
        XCTAssertEqual(seeded.key.reveal().count, 64)

        do {
            _ = try await emulator.addKey(owner: .secondAdmin, name: "bo-key")
            XCTFail("names of live keys are unique per account")
        } catch let error as EmulatorError {
            XCTAssertEqual(error.status, 409)
        }

        emulator.reset()
        let afterReset = try await emulator.keys()
        XCTAssertFalse(afterReset.contains { $0.id == seeded.id })
        let requests = try await emulator.requests()
        XCTAssertEqual(requests, [])
    }

    func testClockShiftAndDuplicateNameStatus() async throws {
        let emulator = try NeonEmulator(nameConflictStatus: .unprocessableEntity)
        defer { emulator.stop() }
        let client = try emulator.client()
        _ = try await client.createApiKey(name: "dup")
        var error: NeonError?
        do { _ = try await client.createApiKey(name: "dup") } catch let e as NeonError { error = e }
        XCTAssertEqual(error?.status, 422)
        XCTAssertTrue(error?.message.contains("choose another unique name for api key") ?? false)

        emulator.setNameConflictStatus(.conflict)
        error = nil
        do { _ = try await client.createApiKey(name: "dup") } catch let e as NeonError { error = e }
        XCTAssertEqual(error?.kind, .conflict)

        emulator.setClockOffset(.seconds(86_400))
        let shifted = try await client.createApiKey(name: "tomorrow")
        let createdAt = try XCTUnwrap(shifted.createdAt)
        XCTAssertGreaterThan(createdAt, Date().addingTimeInterval(86_400 - 3_600), "the emulator's clock runs a day ahead")
    }

    func testStopEndsTheServer() async throws {
        let emulator = try NeonEmulator()
        let client = try emulator.client(configuration: .init(maxRetries: 0))
        XCTAssertTrue(emulator.isRunning)
        emulator.stop()
        emulator.stop()
        XCTAssertFalse(emulator.isRunning)
        var error: NeonError?
        do { _ = try await client.listApiKeys() } catch let e as NeonError { error = e }
        XCTAssertEqual(error?.kind, .network)
    }
}
