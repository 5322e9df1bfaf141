import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// The SDK's log records reach the `LogHandler` the app set: a retried call's retry with its reason, wait and
/// request id; nothing below the level set; nothing after the handler is removed; no secret in any record.
final class LoggingTests: EmulatorTestCase {
    override func tearDown() async throws {
        NeonLogging.removeHandler()
        try await super.tearDown()
    }

    /// A list answered 503 once (`Retry-After: 0`), then normally.
    private func retriedList(_ client: NeonClient) async throws {
        try await emulator.addFault(
            Fault(method: "GET", path: "/api_keys", action: .respond(status: 503, headers: ["retry-after": "0"])))
        _ = try await client.listApiKeys()
    }

    func testARetriedCallIsLoggedWithItsReasonWaitAndRequestIdAndNoSecret() async throws {
        let emulator = try self.emulator
        let captured = Recorder<LogRecord>()
        try NeonLogging.setHandler(captured, minimumLevel: .debug)
        XCTAssertEqual(NeonLogging.minimumLevel, .debug)
        XCTAssertTrue(NeonLogging.handler is Recorder<LogRecord>)
        let client = try client()
        try await retriedList(client)
        let created = try await client.createApiKey(name: "logged")
        _ = try await client.revokeApiKey(id: created.id)

        let records = captured.values
        let retry = try XCTUnwrap(records.first { $0.message == "retrying" }, "no retry record in \(records)")
        XCTAssertEqual(retry.level, .info)
        XCTAssertTrue(retry.field("failure")?.contains("503") ?? false, "the reason: \(retry)")
        XCTAssertNotNil(retry.field("wait_ms").flatMap(Int.init), "the wait: \(retry)")
        XCTAssertEqual(retry.field("op"), "list_api_keys")
        XCTAssertEqual(retry.field("route"), "/api_keys")
        let requestId = try XCTUnwrap(retry.field("request_id"))
        XCTAssertNotNil(UUID(uuidString: requestId), requestId)
        XCTAssertTrue(retry.description.hasPrefix("retrying "), retry.description)
        XCTAssertTrue(retry.description.contains(" request_id=\(requestId)"), retry.description)
        // The same request id is on the call's other records, and it is the one Neon saw.
        let sameCall = records.filter { $0.field("request_id") == requestId }
        XCTAssertTrue(sameCall.contains { $0.message == "response" && $0.field("status") == "200" }, "\(sameCall)")
        let seen = try await emulator.requests().filter { $0.path == "/api_keys" && $0.method == "GET" }
        XCTAssertEqual(seen.map(\.requestId), [requestId, requestId], "both attempts carry the call's id")
        let responses = records.filter { $0.message == "response" }
        XCTAssertTrue(responses.allSatisfy { $0.level == .debug && $0.field("elapsed_ms") != nil }, "\(responses)")
        XCTAssertTrue(responses.contains { $0.field("method") == "POST" }, "the create is logged")

        // No secret in any record: the client's key, the created key, every key the emulator issued.
        let secrets = try await emulator.secrets() + [emulator.seed.keys.admin, created.key.reveal()]
        XCTAssertTrue(secrets.contains(created.key.reveal()))
        for record in records {
            let texts = [record.description, record.message] + record.fields.flatMap { [$0.name, $0.value] }
            for text in texts {
                for secret in secrets where !secret.isEmpty {
                    XCTAssertFalse(text.contains(secret), "a secret reached the log: \(record)")
                }
            }
        }
        print("log sweep swift: \(records.count) records, \(secrets.count) secrets: 0 leaks")
    }

    func testNothingBelowTheLevelSetArrives() async throws {
        let captured = Recorder<LogRecord>()
        try NeonLogging.setHandler(captured, minimumLevel: .info)
        try await retriedList(try client())
        let records = captured.values
        XCTAssertTrue(records.contains { $0.message == "retrying" }, "the info record arrives: \(records)")
        XCTAssertTrue(records.allSatisfy { $0.level >= .info }, "\(records.filter { $0.level < .info })")
        XCTAssertFalse(records.contains { $0.message == "response" }, "responses are logged at debug")

        let quiet = Recorder<LogRecord>()
        try NeonLogging.setHandler(quiet, minimumLevel: .warning)
        try await retriedList(try client())
        XCTAssertEqual(quiet.values, [], "a retry is info, below warning")
        XCTAssertEqual(captured.values.count, records.count, "the replaced handler receives nothing more")
    }

    func testARemovedHandlerReceivesNothing() async throws {
        let captured = Recorder<LogRecord>()
        try NeonLogging.setHandler(captured, minimumLevel: .trace)
        NeonLogging.removeHandler()
        XCTAssertNil(NeonLogging.handler)
        XCTAssertNil(NeonLogging.minimumLevel)
        try await retriedList(try client())
        XCTAssertEqual(captured.values, [])
    }

    func testLevelsAreOrderedAndNamedAsInEveryLanguage() {
        XCTAssertEqual(LogLevel.allCases.map(\.name), ["trace", "debug", "info", "warn", "error"])
        XCTAssertEqual(LogLevel.allCases.sorted(), LogLevel.allCases)
        XCTAssertLessThan(LogLevel.debug, .info)
        XCTAssertEqual("\(LogLevel.warning)", "warn")
    }
}

/// A recorder of log records is a handler that keeps every record it receives.
extension Recorder: LogHandler where T == LogRecord {
    func log(_ record: LogRecord) {
        add(record)
    }
}
