import Foundation
@testable import NeonApiKeys
import XCTest

/// The public API covers what the core declares once: every operation and every error kind.
final class APISurfaceTests: XCTestCase {
    func testEveryCoreOperationIsInThePublicAPI() {
        let core = Set(NeonClient.operations.map(\.name))
        XCTAssertEqual(core.count, 13)
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

    func testEveryCoreErrorKindIsACase() {
        XCTAssertEqual(NeonErrorKind.allCases.map(\.name), NeonErrorKind.coreNames)
    }
}
