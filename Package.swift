// swift-tools-version:6.0
import PackageDescription

// Hot kernels are compiled for the machine they run on only through C `target_clones`
// (see CFledgeKernels), so the package itself needs no machine-specific flags.
let swiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-fno-math-errno"]),
]

let package = Package(
    name: "Fledge",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FledgeTensor", targets: ["FledgeTensor"]),
        .library(name: "FledgeNN", targets: ["FledgeNN"]),
        .library(name: "FledgeOptim", targets: ["FledgeOptim"]),
        .library(name: "FledgeData", targets: ["FledgeData"]),
        .library(name: "FledgeTrain", targets: ["FledgeTrain"]),
        .library(name: "FledgeMetrics", targets: ["FledgeMetrics"]),
        .library(name: "FledgeTune", targets: ["FledgeTune"]),
        .library(name: "FledgeEvents", targets: ["FledgeEvents"]),
        .library(name: "FledgePostgres", targets: ["FledgePostgres"]),
        .library(name: "FledgeDistributed", targets: ["FledgeDistributed"]),
        .executable(name: "fledge", targets: ["fledge"]),
        .executable(name: "fledge-bench", targets: ["fledge-bench"]),
        .executable(name: "fledge-demo", targets: ["fledge-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        // Open MPI from Debian (libopenmpi-dev); pkg-config `ompi` gives its include and lib paths.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi",
                       providers: [.apt(["libopenmpi-dev"])]),
        .target(
            name: "CFledgeKernels",
            path: "Sources/CFledgeKernels",
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=fast"])]
        ),
        .target(
            name: "FledgeTensor",
            dependencies: ["CDNNL", "CFledgeKernels"],
            swiftSettings: swiftSettings
        ),
        .target(name: "FledgeNN", dependencies: ["FledgeTensor", "CFledgeKernels"], swiftSettings: swiftSettings),
        .target(name: "FledgeOptim", dependencies: ["FledgeTensor", "FledgeNN", "CFledgeKernels"], swiftSettings: swiftSettings),
        .target(name: "FledgeData", dependencies: ["FledgeTensor"], swiftSettings: swiftSettings),
        .target(
            name: "FledgeTrain",
            dependencies: ["FledgeTensor", "FledgeNN", "FledgeOptim", "FledgeData", "FledgeMetrics", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(name: "FledgeMetrics", dependencies: ["FledgeTensor"], swiftSettings: swiftSettings),
        // Blocking PostgreSQL client over postgres-nio: study storage (FledgeTune) and event sources (FledgeEvents).
        .target(
            name: "FledgePostgres",
            dependencies: [.product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FledgeTune",
            dependencies: [
                "FledgeTensor", "FledgeNN", "FledgeOptim", "FledgeData", "FledgeMetrics", "FledgeTrain", "FledgePostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FledgeEvents",
            dependencies: [
                "FledgeTensor", "FledgeNN", "FledgeOptim", "FledgeData", "FledgeMetrics", "FledgeTrain", "FledgePostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FledgeDistributed",
            dependencies: ["CMPI", "FledgeTensor", "FledgeNN", "FledgeData", "FledgeTrain"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "fledge",
            dependencies: [
                "FledgeTensor", "FledgeNN", "FledgeOptim", "FledgeData", "FledgeMetrics", "FledgeTrain",
                "FledgeTune", "FledgeEvents", "FledgeDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "fledge-bench",
            dependencies: [
                "FledgeTensor", "FledgeNN", "FledgeOptim", "FledgeData", "FledgeTrain", "FledgeDistributed", "FledgeEvents", "FledgeTune",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/fledge-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "fledge-demo",
            dependencies: ["FledgeTensor", "FledgeNN", "FledgeOptim"],
            path: "Examples/fledge-demo",
            swiftSettings: swiftSettings
        ),
        .target(name: "FledgeTestSupport", dependencies: ["FledgeTensor", "FledgePostgres"], path: "Tests/FledgeTestSupport"),
        .testTarget(name: "FledgeTensorTests", dependencies: ["FledgeTensor", "FledgeTestSupport"]),
        .testTarget(name: "FledgeNNTests", dependencies: ["FledgeNN", "FledgeTestSupport"]),
        .testTarget(name: "FledgeOptimTests", dependencies: ["FledgeOptim", "FledgeTestSupport"]),
        .testTarget(name: "FledgeDataTests", dependencies: ["FledgeData", "FledgeTestSupport"]),
        .testTarget(name: "FledgeTrainTests", dependencies: ["FledgeTrain", "FledgeTestSupport"]),
        .testTarget(name: "FledgeMetricsTests", dependencies: ["FledgeMetrics", "FledgeTestSupport"]),
        .testTarget(name: "FledgeTuneTests", dependencies: ["FledgeTune", "FledgePostgres", "FledgeTestSupport"]),
        .testTarget(name: "FledgeEventsTests", dependencies: ["FledgeEvents", "FledgePostgres", "FledgeTestSupport"]),
        .testTarget(name: "FledgePostgresTests", dependencies: ["FledgePostgres", "FledgeTestSupport"]),
        .testTarget(name: "FledgeDistributedTests", dependencies: ["FledgeDistributed", "FledgeTestSupport"]),
        // Runs the built `fledge` binary as a subprocess (build it first: `swift build --build-tests`).
        .testTarget(name: "FledgeCLITests", dependencies: ["FledgeNN", "FledgeTensor", "FledgeTestSupport"]),
    ]
)
