// swift-tools-version:6.0
// The local/development package of NeonApiKeys: it links the Rust libraries built by cargo from the workspace's
// target directory (`cargo build -p neon-api-keys-swift --features neon-api-keys-swift/test-hooks
// -p neon-api-keys-swift-testing`; the feature only for the tests' hooks), which is how the package is built and
// tested on Linux and macOS. Apple releases ship XCFrameworks instead, consumed through
// `binaryTarget`s (scripts/build-xcframework.sh writes that manifest); see README.md.
//
// Swift 6 language mode, so complete strict concurrency checking. NEON_API_KEYS_SWIFT_WARNINGS_AS_ERRORS=1 (set by
// scripts/test.sh) turns every compiler warning into an error.
import Foundation
import PackageDescription

let packageDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let environment = ProcessInfo.processInfo.environment
// Where libneon_api_keys_swift(_testing).{so,dylib} are: NEON_API_KEYS_RUST_LIB_DIR, else <repo>/target/debug.
let rustLibDir = environment["NEON_API_KEYS_RUST_LIB_DIR"]
    ?? packageDir.deletingLastPathComponent().appendingPathComponent("target/debug").path
let rustLinkFlags: [LinkerSetting] = [
    .unsafeFlags(["-L", rustLibDir, "-Xlinker", "-rpath", "-Xlinker", rustLibDir]),
]
let strict: [SwiftSetting] = environment["NEON_API_KEYS_SWIFT_WARNINGS_AS_ERRORS"] == "1"
    ? [.unsafeFlags(["-warnings-as-errors"])] : []

let package = Package(
    name: "NeonApiKeys",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "NeonApiKeys", targets: ["NeonApiKeys"]),
        .library(name: "NeonApiKeysTesting", targets: ["NeonApiKeysTesting"]),
        .executable(name: "neon-api-keys-example", targets: ["NeonApiKeysExample"]),
    ],
    targets: [
        // The C declarations of the Rust library (generated header + module map).
        .systemLibrary(name: "NeonApiKeysFFI", path: "Sources/NeonApiKeysFFI"),
        // uniffi's generated Swift over it: internal to the package (NeonApiKeys imports it `internal`).
        .target(
            name: "NeonApiKeysBridge",
            dependencies: ["NeonApiKeysFFI"],
            path: "Sources/NeonApiKeysBridge",
            swiftSettings: strict,
            linkerSettings: [.linkedLibrary("neon_api_keys_swift")] + rustLinkFlags
        ),
        // The public API, hand-written over the bridge.
        .target(
            name: "NeonApiKeys",
            dependencies: ["NeonApiKeysBridge"],
            path: "Sources/NeonApiKeys",
            swiftSettings: strict
        ),
        // The emulator for tests: a Rust library of its own, so apps linking NeonApiKeys never carry it.
        .systemLibrary(name: "NeonApiKeysTestingFFI", path: "Sources/NeonApiKeysTestingFFI"),
        .target(
            name: "NeonApiKeysTestingBridge",
            dependencies: ["NeonApiKeysTestingFFI"],
            path: "Sources/NeonApiKeysTestingBridge",
            swiftSettings: strict,
            linkerSettings: [.linkedLibrary("neon_api_keys_swift_testing")] + rustLinkFlags
        ),
        .target(
            name: "NeonApiKeysTesting",
            dependencies: ["NeonApiKeys", "NeonApiKeysTestingBridge"],
            path: "Sources/NeonApiKeysTesting",
            swiftSettings: strict
        ),
        // A command-line example: creates, lists, rotates and revokes (against the emulator with --emulator).
        .executableTarget(
            name: "NeonApiKeysExample",
            dependencies: ["NeonApiKeys", "NeonApiKeysTesting"],
            path: "Examples/NeonApiKeysExample",
            swiftSettings: strict
        ),
        // The tests' hooks (a keychain that refuses saves, raw keychain entries): generated from the library of
        // NeonApiKeys built with the Rust feature `test-hooks` (scripts/test.sh does), for the tests only.
        .systemLibrary(name: "NeonApiKeysTestHooksFFI", path: "Tests/NeonApiKeysTestHooksFFI"),
        .target(
            name: "NeonApiKeysTestHooksBridge",
            dependencies: ["NeonApiKeysTestHooksFFI"],
            path: "Tests/NeonApiKeysTestHooksBridge",
            swiftSettings: strict,
            linkerSettings: [.linkedLibrary("neon_api_keys_swift")] + rustLinkFlags
        ),
        .testTarget(
            name: "NeonApiKeysTests",
            dependencies: ["NeonApiKeys", "NeonApiKeysTesting", "NeonApiKeysTestHooksBridge"],
            path: "Tests/NeonApiKeysTests",
            swiftSettings: strict
        ),
    ]
)
