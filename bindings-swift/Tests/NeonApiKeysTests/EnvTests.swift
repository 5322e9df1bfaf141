import Foundation
import NeonApiKeys
import XCTest

/// Credentials and the base URL from `NEON_API_KEY`, `NEON_ORG_API_KEY` and `NEON_API_HOST`.
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

    func testFromEnv() async throws {
        let emulator = try self.emulator
        setenv("NEON_API_KEY", emulator.key("admin"), 1)
        setenv("NEON_API_HOST", emulator.baseUrl, 1)
        let client = try NeonClient.fromEnv()
        XCTAssertEqual(client.baseUrl(), emulator.baseUrl)
        let keys = try await client.listApiKeys()
        XCTAssertTrue(keys.contains { $0.id == 1001 })
    }

    func testInitWithoutKeyReadsTheEnvironment() async throws {
        let emulator = try self.emulator
        setenv("NEON_API_KEY", emulator.key("admin"), 1)
        setenv("NEON_API_HOST", emulator.baseUrl, 1)
        let client = try NeonClient()
        XCTAssertEqual(client.baseUrl(), emulator.baseUrl)
        let keys = try await client.listApiKeys()
        XCTAssertTrue(keys.contains { $0.id == 1001 })
    }

    func testErrorsHaveAReadableLocalizedDescription() async throws {
        let emulator = try self.emulator
        let client = try NeonClient(apiKey: emulator.key("admin"), baseURL: emulator.baseUrl)
        do {
            _ = try await client.revokeApiKey(id: 424_242)
            XCTFail("revoking an unknown key must fail")
        } catch let error as NeonError {
            XCTAssertTrue(error.localizedDescription.hasPrefix("not_found (HTTP 404)"), error.localizedDescription)
        }
    }

    func testOptionsFromEnvWithOrgKey() async throws {
        let emulator = try self.emulator
        setenv("NEON_ORG_API_KEY", emulator.key("org"), 1)
        let client = try NeonClient(options: NeonClientOptions(baseUrl: emulator.baseUrl, fromEnv: true))
        let keys = try await client.listOrgApiKeys(orgId: emulator.orgId)
        XCTAssertTrue(keys.contains { $0.id == 2001 })
    }

    func testExplicitKeyWinsOverEnv() async throws {
        let emulator = try self.emulator
        setenv("NEON_API_KEY", emulator.key("revoked"), 1)
        let client = try NeonClient(options: NeonClientOptions(
            apiKey: ApiKeySecret(value: emulator.key("admin")), baseUrl: emulator.baseUrl, fromEnv: true))
        let keys = try await client.listApiKeys()
        XCTAssertTrue(keys.contains { $0.id == 1001 })
    }

    func testEmptyEnvIsConfig() async throws {
        let emulator = try self.emulator
        setenv("NEON_API_HOST", emulator.baseUrl, 1)
        let client = try NeonClient.fromEnv()
        let error = await neonError { try await client.listApiKeys() }
        XCTAssertEqual(error?.kindName, "config")
        XCTAssertTrue(error?.message.contains("NEON_API_KEY") ?? false, error?.message ?? "")
    }
}
