import Foundation
import NeonApiKeys
import XCTest

/// Core errors arrive as `NeonError` cases with their fields.
final class ErrorTests: EmulatorTestCase {
    func testRevokedKeyIsAuth() async throws {
        let error = await neonError { try await self.client("revoked").listApiKeys() }
        XCTAssertEqual(error?.kindName, "auth")
        XCTAssertEqual(error?.status, 401)
        XCTAssertNotNil(error?.requestId)
        guard case .Auth(let message, let status, _, _, _)? = error else {
            return XCTFail("expected NeonError.Auth, got \(String(describing: error))")
        }
        XCTAssertFalse(message.isEmpty)
        XCTAssertEqual(status, 401)
    }

    func testMemberManagingOrgKeysIsPermissionDenied() async throws {
        let emulator = try self.emulator
        let error = await neonError { try await self.client("member").listOrgApiKeys(orgId: emulator.orgId) }
        XCTAssertEqual(error?.kindName, "permission_denied")
        XCTAssertEqual(error?.status, 403)
    }

    func testProjectKeyOutsideItsProject() async throws {
        let emulator = try self.emulator
        let error = await neonError {
            try await self.client(nil, orgKey: "project").listOrgApiKeys(orgId: emulator.orgId)
        }
        XCTAssertEqual(error?.kindName, "outside_project_scope")
        XCTAssertEqual(error?.status, 404)
    }

    func testUnknownKeyIsNotFound() async throws {
        let error = await neonError { try await self.client().revokeApiKey(id: 424_242) }
        guard case .NotFound? = error else {
            return XCTFail("expected NeonError.NotFound, got \(String(describing: error))")
        }
        XCTAssertEqual(error?.status, 404)
    }

    func testInvalidInputSendsNothing() async throws {
        let emulator = try self.emulator
        let error = await neonError { try await self.client().createApiKey(name: "") }
        XCTAssertEqual(error?.kindName, "invalid_input")
        XCTAssertNil(error?.status)
        let tooLong = await neonError { try await self.client().createApiKey(name: String(repeating: "x", count: 65)) }
        XCTAssertEqual(tooLong?.kindName, "invalid_input")
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 0, "validation happens before sending")
    }

    func testPlainHttpToRemoteHostIsConfig() async throws {
        let error = await neonError {
            try NeonClient(apiKey: "k", baseURL: "http://example.com/api/v2")
        }
        XCTAssertEqual(error?.kindName, "config")
    }

    func testMissingKeyIsConfig() async throws {
        let emulator = try self.emulator
        let client = try NeonClient(options: NeonClientOptions(baseUrl: emulator.baseUrl))
        let error = await neonError { try await client.listApiKeys() }
        XCTAssertEqual(error?.kindName, "config")
    }

    func testServerErrorAfterRetries() async throws {
        let emulator = try self.emulator
        try await emulator.fault(.object([
            "method": "GET", "path": "/api_keys", "times": 0,
            "action": .object(["type": "respond", "status": 500,
                               "json": .object(["code": "", "message": "boom"])]),
        ]))
        let error = await neonError { try await self.client(maxRetries: 1).listApiKeys() }
        XCTAssertEqual(error?.kindName, "server")
        XCTAssertEqual(error?.status, 500)
        XCTAssertEqual(error?.message, "boom")
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 2, "one retry")
    }

    func testErrorDescriptions() async throws {
        let error = await neonError { try await self.client("revoked").listApiKeys() }
        let text = try XCTUnwrap(error).description
        XCTAssertTrue(text.hasPrefix("auth (HTTP 401): "), text)
        XCTAssertTrue(text.contains("[request_id "), text)
        XCTAssertNotNil(error?.errorDescription)
        XCTAssertEqual(error?.info.kind, "auth")
    }
}
