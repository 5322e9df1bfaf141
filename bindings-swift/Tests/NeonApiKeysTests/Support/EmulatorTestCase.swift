import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// A test case with one in-process emulator (`NeonApiKeysTesting`) for the whole class, reset before every test.
class EmulatorTestCase: XCTestCase {
    nonisolated(unsafe) private static var emulators: [String: NeonEmulator] = [:]

    override class func tearDown() {
        emulators.removeValue(forKey: String(describing: self))?.stop()
        super.tearDown()
    }

    /// This class's emulator, started on first use.
    var emulator: NeonEmulator {
        get throws {
            let name = String(describing: type(of: self))
            if let emulator = Self.emulators[name] { return emulator }
            let emulator = try NeonEmulator()
            Self.emulators[name] = emulator
            return emulator
        }
    }

    override func setUp() async throws {
        try await super.setUp()
        try emulator.reset()
    }

    /// A client against the emulator with fast test settings; `nil` keys: the admin's personal key.
    func client(
        apiKey: String? = nil, orgApiKey: String? = nil, maxRetries: Int = 2, timeout: Duration = .seconds(10)
    ) throws -> NeonClient {
        var configuration = NeonEmulator.testConfiguration
        configuration.maxRetries = maxRetries
        configuration.timeout = timeout
        return try emulator.client(apiKey: apiKey, orgApiKey: orgApiKey, configuration: configuration)
    }

    /// Runs `body`, which must throw a `NeonError`, and returns it.
    func neonError<T>(
        file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> T
    ) async -> NeonError? {
        do {
            let value = try await body()
            XCTFail("expected a NeonError, got \(value)", file: file, line: line)
        } catch let error as NeonError {
            return error
        } catch {
            XCTFail("expected a NeonError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// Every printed form of `value`: description, debugDescription, dump, Mirror (each child reflected); for a
    /// ``NeonError`` also its message, localized description and causes.
    func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        var out = [String(describing: value), String(reflecting: value), dumped]
        for child in Mirror(reflecting: value).children {
            out.append("\(child.label ?? ""): \(String(reflecting: child.value))")
        }
        if let error = value as? NeonError {
            out += [error.message, error.localizedDescription] + error.causes
        }
        return out
    }

    /// Fails when any rendering of any of `values` contains one of `secrets`.
    func assertNoSecret(
        _ values: [Any], secrets: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertFalse(secrets.isEmpty, file: file, line: line)
        for value in values {
            for text in renderings(value) {
                for secret in secrets where !secret.isEmpty {
                    XCTAssertFalse(
                        text.contains(secret), "a secret leaked in \(type(of: value)): \(text)",
                        file: file, line: line)
                }
            }
        }
    }

    /// Waits until the emulator logged `count` requests (the call under test reached it).
    func waitForRequests(_ count: Int) async throws {
        while try await emulator.requests().count < count {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
