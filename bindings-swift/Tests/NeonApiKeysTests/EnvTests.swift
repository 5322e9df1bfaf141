import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// The environment (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`), read by the
/// core's rules: `NeonClient(...)` without an api key reads it, `NeonClient(apiKey:)` does not, `fromEnv()` always.
final class EnvTests: EmulatorTestCase {
    private static let names = ["NEON_API_KEY", "NEON_ORG_API_KEY", "NEON_PROJECT_API_KEY", "NEON_API_HOST"]
    private var saved: [String: String] = [:]

    override func setUp() async throws {
        try await super.setUp()
        for name in Self.names {
            if let value = ProcessInfo.processInfo.environment[name] { saved[name] = value }
            unsetenv(name)
        }
    }

    override func tearDown() async throws {
        for name in Self.names {
            if let value = saved[name] { setenv(name, value, 1) } else { unsetenv(name) }
        }
        try await super.tearDown()
    }

    private func export(_ variables: [String: String]) {
        for (name, value) in variables { setenv(name, value, 1) }
    }

    func testPlainInitReadsTheEnvironment() async throws {
        let emulator = try self.emulator
        export(emulator.environment())
        let client = try NeonClient()
        XCTAssertEqual(client.baseURL, emulator.baseURL)
        let keys = try await client.listApiKeys()
        XCTAssertTrue(keys.contains { $0.id == emulator.seed.ids.admin })
    }

    func testFromEnv() async throws {
        let emulator = try self.emulator
        export(emulator.environment())
        let keys = try await NeonClient.fromEnv().listApiKeys()
        XCTAssertTrue(keys.contains { $0.id == emulator.seed.ids.admin })
    }

    func testAnOrgKeyAloneStillReadsNeonApiKey() async throws {
        // The core's rule: the environment is read whenever no personal key is given.
        let emulator = try self.emulator
        export(emulator.environment())
        let client = try NeonClient(orgApiKey: emulator.seed.keys.org, baseURL: emulator.baseURL)
        let personal = try await client.listApiKeys()
        XCTAssertTrue(personal.contains { $0.id == emulator.seed.ids.admin })
        let org = try await client.listOrgApiKeys(orgId: emulator.seed.orgId)
        XCTAssertTrue(org.contains { $0.id == emulator.seed.ids.org })
    }

    func testAnExplicitApiKeyReadsNothing() async throws {
        let emulator = try self.emulator
        export(["NEON_API_KEY": emulator.seed.keys.revoked, "NEON_ORG_API_KEY": emulator.seed.keys.revoked])
        let client = try NeonClient(apiKey: emulator.seed.keys.admin, baseURL: emulator.baseURL)
        let keys = try await client.listApiKeys()
        XCTAssertTrue(keys.contains { $0.id == emulator.seed.ids.admin })
        // Organization calls use the personal key too: NEON_ORG_API_KEY (revoked here) is not read.
        let org = try await client.listOrgApiKeys(orgId: emulator.seed.orgId)
        XCTAssertFalse(org.isEmpty)
    }

    func testEmptyEnvironmentIsConfigOnTheFirstCall() async throws {
        let emulator = try self.emulator
        export(["NEON_API_HOST": emulator.baseURL.absoluteString])
        let client = try NeonClient.fromEnv()
        let error = await neonError { try await client.listApiKeys() }
        XCTAssertEqual(error?.kind, .config)
        XCTAssertTrue(error?.message.contains("NEON_API_KEY") ?? false, error?.message ?? "")
    }
}
