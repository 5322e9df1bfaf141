import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// Input that used to trap (durations, dates and counts across the FFI) throws `invalidInput`, naming the
/// parameter, and sends nothing.
final class InputTests: EmulatorTestCase {
    private let badSeconds: [TimeInterval] = [-0.001, -1, .nan, .infinity, -.infinity]

    private func assertInvalidInput(
        _ error: NeonError?, naming name: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(error?.kind, .invalidInput, "\(String(describing: error))", file: file, line: line)
        XCTAssertTrue(error?.message.contains(name) ?? false, error?.message ?? "", file: file, line: line)
    }

    func testTimeIntervalsThatAreNotDurationsAreInvalidInput() async {
        for seconds in badSeconds {
            let error = await neonError { try CallOptions(timeout: seconds) }
            assertInvalidInput(error, naming: "timeout")
        }
        // A deadline just past, the everyday case.
        let deadline = Date().addingTimeInterval(-0.001)
        assertInvalidInput(await neonError { try CallOptions(timeout: deadline.timeIntervalSinceNow) }, naming: "timeout")
        // Far too long is clamped by the core, not a trap.
        XCTAssertNotNil(try? CallOptions(timeout: 1e300).timeout)
    }

    func testNegativeConfigurationDurationsNameTheSwiftProperty() async throws {
        let emulator = try self.emulator
        let cases: [(String, NeonClient.Configuration)] = [
            ("connectTimeout", .init(connectTimeout: .seconds(-1))),
            ("attemptTimeout", .init(attemptTimeout: .milliseconds(-1))),
            ("timeout", .init(timeout: .seconds(-5))),
            ("backoffBase", .init(backoffBase: .seconds(-1))),
            ("backoffCap", .init(backoffCap: .seconds(-1))),
            ("maxRetryWait", .init(maxRetryWait: .seconds(-1))),
        ]
        for (name, configuration) in cases {
            let error = await neonError {
                try NeonClient(apiKey: "k", baseURL: emulator.baseURL, configuration: configuration)
            }
            assertInvalidInput(error, naming: name)
        }
        let retries = await neonError { try NeonClient(apiKey: "k", configuration: .init(maxRetries: -1)) }
        assertInvalidInput(retries, naming: "max_retries")
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 0)
    }

    func testNegativeCallTimeoutIsInvalidInput() async throws {
        let client = try client()
        let error = await neonError { try client.withOptions(CallOptions(timeout: .seconds(-1))) }
        assertInvalidInput(error, naming: "timeout")
    }

    func testRotationDurationsAreCheckedBeforeAnythingIsSent() async throws {
        let emulator = try self.emulator
        let client = try client()
        let wait = await neonError {
            try await client.rotateApiKey(oldId: 1001, waitForUse: .seconds(-1)) { _ in }
        }
        assertInvalidInput(wait, naming: "waitForUse")
        let poll = await neonError {
            try await client.rotateApiKey(oldId: 1001, waitForUse: .seconds(1), pollInterval: .seconds(-1)) { _ in }
        }
        assertInvalidInput(poll, naming: "pollInterval")
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 0)
    }

    func testDatesThatAreNotDatesAreInvalidInput() async throws {
        let emulator = try self.emulator
        let client = try client()
        for seconds in [TimeInterval.nan, .infinity, -.infinity, 1e300] {
            let error = await neonError { try await client.unusedApiKeys(since: Date(timeIntervalSince1970: seconds)) }
            assertInvalidInput(error, naming: "since")
        }
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 0)
        // Before 1970 is a date like any other.
        let all = try await client.unusedApiKeys(since: Date(timeIntervalSince1970: -1.5))
        XCTAssertEqual(all, [])
    }
}
