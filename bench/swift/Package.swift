// swift-tools-version:6.0
// The Swift driver of `make bench` (bench/swift/run.sh builds it): NeonApiKeys against a raw URLSession loop.
import PackageDescription

let package = Package(
    name: "NeonBench",
    dependencies: [.package(path: "../../bindings-swift")],
    targets: [
        .executableTarget(
            name: "NeonBench",
            dependencies: [.product(name: "NeonApiKeys", package: "bindings-swift")],
            path: "Sources/NeonBench",
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
