import Foundation
import NeonApiKeys
import XCTest

/// No secret, neither the caller's keys nor a created key, appears in any printed form of any value.
final class SecretTests: EmulatorTestCase {
    /// Every printed form of `value`: description, debugDescription, dump, Mirror.
    private func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        var out = [String(describing: value), String(reflecting: value), dumped]
        for child in Mirror(reflecting: value).children {
            out.append("\(child.label ?? ""): \(String(reflecting: child.value))")
        }
        return out
    }

    private func assertNoSecret(
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

    func testSecretObjectIsRedacted() {
        let sentinel = "sentinel-swift-secret-0123456789"
        let secret = ApiKeySecret(value: sentinel)
        assertNoSecret([secret], secrets: [sentinel])
        XCTAssertEqual(String(describing: secret), "[REDACTED]")
        XCTAssertEqual(String(reflecting: secret), "ApiKeySecret([REDACTED])")
        XCTAssertEqual(secret.reveal(), sentinel)
        XCTAssertEqual(secret, ApiKeySecret(value: sentinel))
        let options = NeonClientOptions(apiKey: secret, orgApiKey: secret, baseUrl: "http://127.0.0.1:1/api/v2")
        assertNoSecret([options], secrets: [sentinel])
    }

    func testNoSecretInAnyValueOrError() async throws {
        let emulator = try self.emulator
        let client = try client("admin", orgKey: "org")
        var values: [Any] = [client]
        values.append(try await client.listApiKeys())
        let created = try await client.createApiKey(name: "swift-secret")
        values += [created, created.key]
        let orgCreated = try await client.createOrgApiKey(orgId: emulator.orgId, name: "swift-secret-org")
        values.append(orgCreated)
        values.append(try await client.createProjectApiKey(projectId: emulator.projectId, name: "swift-secret-p"))
        values.append(try await client.rotateApiKey(oldId: created.id, newName: "swift-secret-2"))
        values.append(try await client.listOrgApiKeys(orgId: emulator.orgId))
        values.append(try await client.authDetails())

        // A rotation whose revoke fails carries an error next to the new secret.
        let victim = try await client.createApiKey(name: "swift-secret-victim")
        try await emulator.fault([
            "method": "DELETE", "path": "/api_keys/*", "times": 0,
            "action": ["type": "respond", "status": 500, "json": ["code": "", "message": "boom"]],
        ])
        let failed = try await client.rotateApiKey(oldId: victim.id, newName: "swift-secret-3")
        XCTAssertNotNil(failed.revokeError)
        XCTAssertFalse(failed.isComplete)
        values.append(failed)

        // Errors: a revoked key, and a create whose response is cut (the key exists, its secret was sent).
        values.append(await neonError { try await self.client("revoked").listApiKeys() } as Any)
        try await emulator.fault(.object([
            "method": "POST", "path": "/api_keys", "action": .object(["type": "truncate", "bytes": 30]),
        ]))
        let lost = await neonError { try await client.createApiKey(name: "swift-secret-lost") }
        XCTAssertEqual(lost?.kindName, "outcome_unknown")
        values.append(lost as Any)

        let secrets = try await emulator.secrets()
        XCTAssertTrue(secrets.contains(created.key.reveal()))
        assertNoSecret(values, secrets: secrets)
        let chars = values.reduce(0) { total, value in total + renderings(value).reduce(0) { $0 + $1.count } }
        print("secrets sweep swift: \(secrets.count) secrets (issued), \(values.count) values and errors, "
            + "\(chars) chars scanned (description, debugDescription, dump, Mirror): 0 leaks")
    }
}
