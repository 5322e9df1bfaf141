import Foundation
import NeonApiKeys
import XCTest

/// The problems of issues 10, 13 and 14 (Swift side), reproduced against the API as it is.
final class ReportedProblemsTests: EmulatorTestCase {
    /// Issue 10.2: a negative duration (a deadline just past) must be `invalid_input`, not a trap.
    func testNegativeTimeoutIsInvalidInputNotATrap() throws {
        let emulator = try self.emulator
        let deadline = Date().addingTimeInterval(-0.001)
        do {
            _ = try NeonClient(options: NeonClientOptions(
                apiKey: ApiKeySecret(value: emulator.key("admin")), baseUrl: emulator.baseUrl,
                timeout: deadline.timeIntervalSinceNow))
            XCTFail("a negative timeout was accepted")
        } catch let error as NeonError {
            XCTAssertEqual(error.kindName, "invalid_input")
        }
    }

    /// Issue 13 / 10.3: cancelling the calling Task cancels the call, without any wrapper.
    func testTaskCancellationCancelsAPlainCall() async throws {
        try await emulator.fault(.object([
            "method": "GET", "path": "/api_keys", "times": 0, "action": .object(["type": "stall"]),
        ]))
        let client = try client(timeout: 5)
        let task = Task { try await client.listApiKeys() }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        let result = await task.result
        guard case .failure(let error as NeonError) = result else {
            return XCTFail("expected a NeonError, got \(result)")
        }
        XCTAssertEqual(error.kindName, "cancelled")
    }

    /// Issue 10.3: a create cancelled after it was sent is `outcome_unknown` with the key name.
    func testCreateCancelledAfterSendIsOutcomeUnknown() async throws {
        let emulator = try self.emulator
        try await emulator.fault(.object([
            "method": "POST", "path": "/api_keys", "action": .object(["type": "stall"]),
        ]))
        let client = try client(timeout: 5)
        let task = Task { try await client.createApiKey(name: "swift-interrupted-create") }
        while try await emulator.requests().isEmpty {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        task.cancel()
        let result = await task.result
        guard case .failure(let error as NeonError) = result else {
            return XCTFail("expected a NeonError, got \(result)")
        }
        XCTAssertEqual(error.kindName, "outcome_unknown")
        XCTAssertTrue(error.message.contains("the call was cancelled"), "not ended by the cancellation: \(error.message)")
        guard case .OutcomeUnknown(_, _, _, _, _, let details?) = error else {
            return XCTFail("no details: \(error)")
        }
        XCTAssertEqual(details.keyName, "swift-interrupted-create")
    }

    /// Issue 14: a client built without an api key reads the environment, by the core's rule
    /// (`env_when_no_api_key`), whichever initializer builds it.
    func testClientWithoutApiKeyReadsTheEnvironment() async throws {
        let emulator = try self.emulator
        let saved = ProcessInfo.processInfo.environment["NEON_API_KEY"]
        setenv("NEON_API_KEY", emulator.key("admin"), 1)
        defer { if let saved { setenv("NEON_API_KEY", saved, 1) } else { unsetenv("NEON_API_KEY") } }
        let client = try NeonClient(options: NeonClientOptions(baseUrl: emulator.baseUrl))
        let keys = try await client.listApiKeys()
        XCTAssertTrue(keys.contains { $0.id == 1001 })
    }
}
