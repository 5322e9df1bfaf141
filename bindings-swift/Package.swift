// swift-tools-version:6.0
// The local/development package of NeonApiKeys: it links the Rust library built by cargo from the workspace's
// target directory (`cargo build -p neon-api-keys-swift`), which is how the binding is built and tested on
// Linux and macOS. Apple releases ship an XCFramework instead (scripts/build-xcframework.sh), consumed through
// a `binaryTarget`; see README.md.
import Foundation
import PackageDescription

let packageDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let environment = ProcessInfo.processInfo.environment
// Where libneon_api_keys_swift.{so,dylib} is: NEON_API_KEYS_RUST_LIB_DIR, else <repo>/target/debug.
let rustLibDir = environment["NEON_API_KEYS_RUST_LIB_DIR"]
    ?? packageDir.deletingLastPathComponent().appendingPathComponent("target/debug").path

let package = Package(
    name: "NeonApiKeys",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "NeonApiKeys", targets: ["NeonApiKeys"]),
    ],
    targets: [
        // The C declarations of the Rust library (generated header + module map).
        .systemLibrary(name: "NeonApiKeysFFI", path: "Sources/NeonApiKeysFFI"),
        // The Swift API: uniffi's generated code plus small hand-written extensions.
        .target(
            name: "NeonApiKeys",
            dependencies: ["NeonApiKeysFFI"],
            path: "Sources/NeonApiKeys",
            linkerSettings: [
                .linkedLibrary("neon_api_keys_swift"),
                .unsafeFlags(["-L", rustLibDir, "-Xlinker", "-rpath", "-Xlinker", rustLibDir]),
            ]
        ),
        .testTarget(
            name: "NeonApiKeysTests",
            dependencies: ["NeonApiKeys"],
            path: "Tests/NeonApiKeysTests"
        ),
    ]
)
