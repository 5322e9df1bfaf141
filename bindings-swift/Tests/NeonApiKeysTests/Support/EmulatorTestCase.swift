import Foundation
import NeonApiKeys
import XCTest

/// A test case with one emulator for the whole class (started in `setUp()` of the class, killed in its
/// `tearDown()`), reset before every test.
class EmulatorTestCase: XCTestCase {
    nonisolated(unsafe) private static var emulators: [String: Emulator] = [:]

    override class func setUp() {
        super.setUp()
        emulators[String(describing: self)] = try? Emulator()
    }

    override class func tearDown() {
        emulators.removeValue(forKey: String(describing: self))?.stop()
        super.tearDown()
    }

    /// This class's emulator (fails the test if it could not start).
    var emulator: Emulator {
        get throws {
            if let emulator = Self.emulators[String(describing: type(of: self))] { return emulator }
            // The class setUp failed: start once more to report why.
            let emulator = try Emulator()
            Self.emulators[String(describing: type(of: self))] = emulator
            return emulator
        }
    }

    override func setUp() async throws {
        try await super.setUp()
        try await emulator.reset()
    }

    /// A client against the emulator with fast test settings (no throttle, short backoff).
    func client(
        _ keyName: String? = "admin",
        orgKey: String? = nil,
        maxRetries: UInt32 = 2,
        timeout: TimeInterval = 10
    ) throws -> NeonClient {
        let emulator = try self.emulator
        return try NeonClient(options: NeonClientOptions(
            apiKey: keyName.map { ApiKeySecret(value: emulator.key($0)) },
            orgApiKey: orgKey.map { ApiKeySecret(value: emulator.key($0)) },
            baseUrl: emulator.baseUrl,
            attemptTimeout: 5,
            timeout: timeout,
            maxRetries: maxRetries,
            backoffBase: 0.001,
            backoffCap: 0.02,
            throttle: false
        ))
    }

    /// Runs `body`, which must throw a `NeonError`, and returns it.
    func neonError<T>(
        _ body: () async throws -> T,
        file: StaticString = #filePath,
        line: UInt = #line
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
}
