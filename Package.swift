// swift-tools-version:6.0
//
// Ballast — imbalanced network-intrusion detection toolkit.
//
// Release builds of the numeric targets are compiled for the host CPU (`-target-cpu native`) and
// define `BALLAST_NATIVE`, which kernels test to use fused multiply-add, and `BALLAST_AVX512` when
// the host has AVX-512 (the GEMM kernel's wider vectors). Set `BALLAST_PORTABLE=1` in the
// environment for a build that runs on any machine of the same architecture.
import Foundation
import PackageDescription

let environment = ProcessInfo.processInfo.environment
let portable = environment["BALLAST_PORTABLE"].map { $0 != "0" && !$0.isEmpty } ?? false

/// Whether the host CPU (the one `-target-cpu native` compiles for) has AVX-512F: the GEMM
/// micro-kernel then works on 16-float vectors instead of 8 (`BALLAST_AVX512`). Read from
/// /proc/cpuinfo on Linux; `BALLAST_AVX512=0` turns it off.
let hostHasAVX512: Bool = {
    if environment["BALLAST_AVX512"] == "0" { return false }
    #if os(Linux) && arch(x86_64)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    return flags.split(separator: " ").contains("avx512f")
    #else
    return false
    #endif
}()

/// Settings shared by the numeric targets: host-CPU code generation in release unless portable.
let numericSettings: [SwiftSetting] = portable ? [] : [
    .unsafeFlags(["-target-cpu", "native"], .when(configuration: .release)),
    .define("BALLAST_NATIVE", .when(configuration: .release)),
] + (hostHasAVX512 ? [.define("BALLAST_AVX512", .when(configuration: .release))] : [])

let package = Package(
    name: "Ballast",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "BallastCore", targets: ["BallastCore"]),
        .library(name: "BallastNN", targets: ["BallastNN"]),
        .library(name: "BallastData", targets: ["BallastData"]),
        .library(name: "BallastLearn", targets: ["BallastLearn"]),
        .library(name: "BallastEval", targets: ["BallastEval"]),
        .library(name: "BallastServer", targets: ["BallastServer"]),
        .executable(name: "ballast", targets: ["ballast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The web service only (BallastServer); the library modules never import these.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "BallastCore", swiftSettings: numericSettings, linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "BallastNN", dependencies: ["BallastCore"], swiftSettings: numericSettings),
        .target(name: "BallastData", dependencies: ["BallastCore"], swiftSettings: numericSettings),
        .target(name: "BallastLearn", dependencies: ["BallastCore", "BallastNN", "BallastData"], swiftSettings: numericSettings),
        .target(name: "BallastEval", dependencies: ["BallastCore", "BallastData", "BallastLearn"], swiftSettings: numericSettings),
        .target(
            name: "BallastServer",
            dependencies: [
                "BallastCore", "BallastData", "BallastLearn", "BallastEval",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "ballast",
            dependencies: [
                "BallastCore", "BallastData", "BallastLearn", "BallastEval", "BallastServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ballast-bench",
            dependencies: ["BallastCore", "BallastNN", "BallastData", "BallastLearn", "BallastEval"],
            path: "Benchmarks/Sources/ballast-bench",
            swiftSettings: numericSettings
        ),
        .target(
            name: "BallastTestSupport",
            dependencies: ["BallastCore", "BallastNN", "BallastData", "BallastLearn"],
            path: "Tests/BallastTestSupport"
        ),
        .testTarget(name: "BallastCoreTests", dependencies: ["BallastCore", "BallastTestSupport"]),
        .testTarget(name: "BallastNNTests", dependencies: ["BallastNN", "BallastTestSupport"]),
        .testTarget(name: "BallastDataTests", dependencies: ["BallastData", "BallastTestSupport"]),
        .testTarget(name: "BallastLearnTests", dependencies: ["BallastNN", "BallastLearn", "BallastTestSupport"]),
        .testTarget(name: "BallastEvalTests", dependencies: ["BallastEval", "BallastTestSupport"]),
        .testTarget(name: "BallastCLITests", dependencies: ["ballast", "BallastTestSupport"]),
        .testTarget(
            name: "BallastServerTests",
            dependencies: [
                "BallastServer", "BallastTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
