import Foundation
@testable import NeonApiKeys
import NeonApiKeysTesting
import XCTest

/// The public API covers what the core declares once: every operation and every error kind.
final class APISurfaceTests: XCTestCase {
    func testEveryCoreOperationIsInThePublicAPI() {
        let core = Set(NeonClient.operations.map(\.name))
        XCTAssertEqual(core.count, 14)
        // The runner's table calls the public methods, so it compiles only while they exist.
        XCTAssertEqual(Set(ConformanceTests.dispatch.keys), core, "operations of the core without a Swift method")
    }

    func testOperationNamesAreTheSwiftMethodNames() throws {
        // Every operation is a method of NeonClient under its camelCase name, but get_project, which has no
        // `get` prefix in Swift.
        let source = try String(
            contentsOf: Repo.root.appendingPathComponent("bindings-swift/Sources/NeonApiKeys/NeonClient.swift"),
            encoding: .utf8)
            + String(
                contentsOf: Repo.root.appendingPathComponent("bindings-swift/Sources/NeonApiKeys/Rotation.swift"),
                encoding: .utf8)
        let renamed = ["getProject": "project"]
        for operation in NeonClient.operations {
            let name = renamed[operation.camelName] ?? operation.camelName
            XCTAssertTrue(source.contains("public func \(name)("), "NeonClient has no method \(name)")
        }
    }

    /// Compiles only while every public type is `Sendable`.
    func testEveryPublicTypeIsSendable() {
        func sendable<T: Sendable>(_: T.Type) -> String { String(describing: T.self) }
        let types = [
            sendable(NeonClient.self), sendable(NeonClient.Configuration.self), sendable(CallOptions.self),
            sendable(NeonDefaults.self), sendable(NeonError.self), sendable(NeonErrorKind.self),
            sendable(OutcomeUnknownDetails.self), sendable(VerificationDetails.self), sendable(ApiKey.self),
            sendable(Creator.self), sendable(CreatedApiKey.self), sendable(RevokedApiKey.self),
            sendable(ApiKeySecret.self), sendable(AuthDetails.self), sendable(AuthMethod.self), sendable(Project.self),
            sendable(Rotation.self), sendable(StoreFailure.self), sendable(NeonEmulator.self), sendable(Seed.self),
            sendable(Seed.Keys.self), sendable(Seed.Ids.self), sendable(Seed.Users.self), sendable(Owner.self),
            sendable(NameConflictStatus.self), sendable(Fault.self), sendable(FaultAction.self),
            sendable(RecordedRequest.self), sendable(EmulatedKey.self), sendable(EmulatorError.self),
            sendable(Keychain.self), sendable(LogLevel.self), sendable(LogRecord.self), sendable(LogRecord.Field.self),
            sendable((any LogHandler).self), sendable(NeonLogging.self),
        ]
        XCTAssertEqual(Set(types).count, types.count)
    }

    func testEveryCoreErrorKindIsACase() {
        XCTAssertEqual(NeonErrorKind.allCases.map(\.name), NeonErrorKind.coreNames)
    }
}
