import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// Cancelling the calling `Task` cancels the core call, with no wrapper.
final class CancellationTests: EmulatorTestCase {
    private func stall(_ method: String, _ path: String) async throws {
        try await emulator.addFault(Fault(method: method, path: path, times: 0, action: .stall))
    }

    func testTaskCancellationCancelsACall() async throws {
        try await stall("GET", "/api_keys")
        let client = try client(timeout: .seconds(30))
        let task = Task { try await client.listApiKeys() }
        try await waitForRequests(1)
        task.cancel()
        let result = await task.result
        guard case .failure(let error as NeonError) = result else { return XCTFail("expected a NeonError, got \(result)") }
        XCTAssertEqual(error.kind, .cancelled)
    }

    func testAlreadyCancelledTaskSendsNothing() async throws {
        let emulator = try self.emulator
        let client = try client()
        let started = Recorder<Bool>()
        let task = Task {
            while !Task.isCancelled { await Task.yield() }
            started.add(true)
            return try await client.createApiKey(name: "swift-never")
        }
        task.cancel()
        let result = await task.result
        guard case .failure(let error as NeonError) = result else { return XCTFail("expected a NeonError, got \(result)") }
        XCTAssertEqual(started.values, [true])
        XCTAssertEqual(error.kind, .cancelled)
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 0)
    }

    func testCreateCancelledAfterItWasSentIsOutcomeUnknown() async throws {
        let emulator = try self.emulator
        try await stall("POST", "/api_keys")
        let client = try client(timeout: .seconds(30))
        let task = Task { try await client.createApiKey(name: "swift-interrupted-create") }
        try await waitForRequests(1)
        task.cancel()
        let result = await task.result
        guard case .failure(let error as NeonError) = result else { return XCTFail("expected a NeonError, got \(result)") }
        XCTAssertEqual(error.kind, .outcomeUnknown)
        XCTAssertTrue(error.message.contains("the call was cancelled"), error.message)
        let details = try XCTUnwrap(error.outcomeUnknown)
        XCTAssertEqual(details.keyName, "swift-interrupted-create")
        XCTAssertNil(details.orgId)
        XCTAssertLessThanOrEqual(details.notBefore, details.notAfter)
        XCTAssertEqual(details.candidateIds, [])
        let logged = try await emulator.requests()
        XCTAssertEqual(logged.map(\.method), ["POST"], "a create is never repeated once it may have been received")
    }

    func testRotationCancelledWhileTheStoreRunsRevokesTheNewKey() async throws {
        let emulator = try self.emulator
        let client = try client(timeout: .seconds(30))
        let old = try await client.createApiKey(name: "swift-rotate-cancel")
        let storing = Recorder<Int64>()
        let task = Task {
            try await client.rotateApiKey(oldId: old.id, newName: "swift-rotate-cancel-new") { key in
                storing.add(key.id)
                try await Task.sleep(for: .seconds(60))
            }
        }
        while storing.values.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        let result = await task.result
        guard case .failure(let error as NeonError) = result else { return XCTFail("expected a NeonError, got \(result)") }
        XCTAssertEqual(error.kind, .cancelled)
        let keys = try await emulator.keys()
        let newId = try XCTUnwrap(storing.values.first)
        XCTAssertEqual(keys.first { $0.id == newId }?.isRevoked, true, "the new key is revoked")
        XCTAssertEqual(keys.first { $0.id == old.id }?.isRevoked, false, "the old key stays live")
    }

    func testCallDeadlineIsTimeout() async throws {
        try await stall("GET", "/api_keys")
        let client = try client(timeout: .seconds(30)).withOptions(CallOptions(timeout: .milliseconds(300), maxRetries: 0))
        let error = await neonError { try await client.listApiKeys() }
        XCTAssertEqual(error?.kind, .timeout)
    }
}
