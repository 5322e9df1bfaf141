import Foundation
import NeonApiKeys
import XCTest

/// Swift task cancellation and `CancellationToken` stop a core call that would otherwise hang.
final class CancellationTests: EmulatorTestCase {
    private func stallList() async throws {
        try await emulator.fault(.object([
            "method": "GET", "path": "/api_keys", "times": 0, "action": .object(["type": "stall"]),
        ]))
    }

    func testTaskCancellationCancelsTheCall() async throws {
        try await stallList()
        let client = try client(timeout: 30)
        let started = Date()
        let task = Task { try await client.cancellable { try await $0.listApiKeys() } }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        do {
            let keys = try await task.value
            XCTFail("expected cancellation, got \(keys)")
        } catch let error as NeonError {
            XCTAssertEqual(error.kindName, "cancelled")
            guard case .Cancelled = error else { return XCTFail("expected NeonError.Cancelled") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testTokenCancelsTheCall() async throws {
        try await stallList()
        let token = CancellationToken()
        let client = try client(timeout: 30).withOptions(options: CallOptions(cancellation: token))
        let started = Date()
        Task {
            try await Task.sleep(nanoseconds: 300_000_000)
            token.cancel()
        }
        let error = await neonError { try await client.listApiKeys() }
        XCTAssertEqual(error?.kindName, "cancelled")
        XCTAssertTrue(token.isCancelled())
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testAlreadyCancelledTaskSendsNothing() async throws {
        let emulator = try self.emulator
        let client = try client()
        let task = Task {
            try? await Task.sleep(nanoseconds: 200_000_000)
            return try await client.cancellable { try await $0.createApiKey(name: "swift-never") }
        }
        task.cancel()
        let result = await task.result
        guard case .failure(let error as NeonError) = result else {
            return XCTFail("expected NeonError.Cancelled, got \(result)")
        }
        XCTAssertEqual(error.kindName, "cancelled")
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 0)
    }

    func testCallDeadlineIsTimeout() async throws {
        try await stallList()
        let client = try client(timeout: 30).withOptions(options: CallOptions(timeout: 0.3, maxRetries: 0))
        let error = await neonError { try await client.listApiKeys() }
        XCTAssertEqual(error?.kindName, "timeout")
    }
}
