import Foundation
import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// Core errors arrive as `NeonError` with a `kind` and every field.
final class ErrorTests: EmulatorTestCase {
    func testCatchByKindIsTheDocumentedPattern() async throws {
        let client = try client()
        var caught: NeonError?
        do {
            _ = try await client.revokeApiKey(id: 424_242)
        } catch let error as NeonError where error.kind == .notFound {
            caught = error
        }
        let error = try XCTUnwrap(caught)
        XCTAssertEqual(error.status, 404)
        XCTAssertNotNil(error.requestId)
        XCTAssertFalse(error.message.isEmpty)
        XCTAssertNil(error.outcomeUnknown)
        XCTAssertNil(error.verification)
    }

    func testRevokedKeyIsAuth() async throws {
        let seed = try emulator.seed
        let error = await neonError { try await self.client(apiKey: seed.keys.revoked).listApiKeys() }
        XCTAssertEqual(error?.kind, .auth)
        XCTAssertEqual(error?.kind.name, "auth")
        XCTAssertEqual(error?.status, 401)
    }

    func testMemberManagingOrgKeysIsPermissionDenied() async throws {
        let seed = try emulator.seed
        let error = await neonError {
            try await self.client(apiKey: seed.keys.member).listOrgApiKeys(orgId: seed.orgId)
        }
        XCTAssertEqual(error?.kind, .permissionDenied)
        XCTAssertEqual(error?.status, 403)
    }

    func testProjectKeyOutsideItsProject() async throws {
        let seed = try emulator.seed
        let error = await neonError {
            try await self.client(orgApiKey: seed.keys.project).listOrgApiKeys(orgId: seed.orgId)
        }
        XCTAssertEqual(error?.kind, .outsideProjectScope)
        XCTAssertEqual(error?.status, 404)
    }

    func testInvalidInputSendsNothing() async throws {
        let emulator = try self.emulator
        let empty = await neonError { try await self.client().createApiKey(name: "") }
        XCTAssertEqual(empty?.kind, .invalidInput)
        XCTAssertNil(empty?.status)
        let tooLong = await neonError { try await self.client().createApiKey(name: String(repeating: "x", count: 65)) }
        XCTAssertEqual(tooLong?.kind, .invalidInput)
        let bidi = await neonError { try await self.client().createApiKey(name: "ci\u{202E}yolp") }
        XCTAssertEqual(bidi?.kind, .invalidInput)
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 0, "validation happens before sending")
    }

    func testPlainHttpToRemoteHostIsConfig() async throws {
        let error = await neonError { try NeonClient(apiKey: "k", baseURL: URL(string: "http://example.com/api/v2")) }
        XCTAssertEqual(error?.kind, .config)
    }

    func testServerErrorAfterRetriesCarriesTheCoresText() async throws {
        let emulator = try self.emulator
        try await emulator.addFault(
            Fault(method: "GET", path: "/api_keys", times: 0,
                  action: .respond(status: 500, json: #"{"code": "", "message": "boom"}"#)))
        let error = try await XCTUnwrapAsync(await neonError { try await self.client(maxRetries: 1).listApiKeys() })
        XCTAssertEqual(error.kind, .server)
        XCTAssertEqual(error.status, 500)
        XCTAssertEqual(error.message, "boom")
        let requestId = try XCTUnwrap(error.requestId)
        XCTAssertEqual(error.description, "server (HTTP 500): boom [request_id \(requestId)]")
        XCTAssertEqual(error.errorDescription, error.description)
        XCTAssertEqual(error.localizedDescription, error.description)
        XCTAssertEqual("\(error)", error.description)
        let requests = try await emulator.requests()
        XCTAssertEqual(requests.count, 2, "one retry")
    }

    func testRateLimitCarriesRetryAfterAsDuration() async throws {
        let emulator = try self.emulator
        try await emulator.addFault(
            Fault(path: "/api_keys", action: .respond(status: 429, headers: ["Retry-After": "86400"])))
        let error = await neonError { try await self.client().listApiKeys() }
        XCTAssertEqual(error?.kind, .rateLimited)
        XCTAssertEqual(error?.retryAfter, .seconds(86_400))
    }

    func testNetworkErrorsCarryTheirCauses() async throws {
        // Nothing listens on port 9 of the loopback address.
        let client = try NeonClient(
            apiKey: "k", baseURL: URL(string: "http://127.0.0.1:9/api/v2"),
            configuration: .init(maxRetries: 0))
        let error = await neonError { try await client.listApiKeys() }
        XCTAssertEqual(error?.kind, .network)
        XCTAssertFalse(error?.causes.isEmpty ?? true, "the connection error is a cause: \(String(describing: error))")
    }

    func testKindNames() {
        XCTAssertEqual(NeonErrorKind.outsideProjectScope.name, "outside_project_scope")
        XCTAssertEqual("\(NeonErrorKind.internal)", "internal")
    }

    func testAnErrorMadeInSwiftHasTheCoresText() {
        let error = NeonError(kind: .notFound, message: "gone", status: 404, requestId: "r-1")
        XCTAssertEqual(error.description, "not_found (HTTP 404): gone [request_id r-1]")
        XCTAssertEqual(NeonError(kind: .cancelled, message: "stop").description, "cancelled: stop")
    }
}

/// `XCTUnwrap` for an optional produced by an `await`.
func XCTUnwrapAsync<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    try XCTUnwrap(value, file: file, line: line)
}
