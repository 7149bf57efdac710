// swift-tools-version:6.1
import PackageDescription

// Layers, each target depending only on what it imports (arrows point to dependencies):
//   NumericCore      linear algebra, random streams, distributions, the log-density protocol
//   SplineModels   → NumericCore                      the model: log density, priors, design
//   Diagnostics    → NumericCore                      R-hat, ESS, fit status from stored draws
//   SeriesAnalysis → NumericCore                      preparation, recalibration, comparisons
//   Sampling       → SplineModels, Diagnostics         kernels, the chain runner, the fit service
//   Pipeline       → Sampling, SeriesAnalysis, …       ingest, store, the series job, the daily run
//   TreeherderFetch, CommandLineOptions → Pipeline
//   SlowregCLI     → Pipeline, CommandLineOptions, Sampling, SeriesAnalysis, SplineModels
//   SlowregFetch   → TreeherderFetch, CommandLineOptions, Pipeline (the helper `slowreg-fetch`)
let package = Package(
    name: "slowreg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "slowreg", targets: ["SlowregCLI"]),
        // `slowreg fetch` runs this helper: the only program that links FoundationNetworking.
        .executable(name: "slowreg-fetch", targets: ["SlowregFetch"]),
        .library(name: "NumericCore", targets: ["NumericCore"]),
        .library(name: "SplineModels", targets: ["SplineModels"]),
        .library(name: "Sampling", targets: ["Sampling"]),
        .library(name: "Diagnostics", targets: ["Diagnostics"]),
        .library(name: "SeriesAnalysis", targets: ["SeriesAnalysis"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),  // test-only: loopback HTTP server
    ],
    targets: [
        // LAPACKE / CBLAS from Debian's liblapacke-dev, liblapack-dev, libblas-dev.
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .target(
            name: "NumericCore",
            dependencies: ["CLapack", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(name: "SplineModels", dependencies: ["NumericCore", .product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "Diagnostics", dependencies: ["NumericCore"]),
        .target(name: "Sampling", dependencies: ["NumericCore", "SplineModels", "Diagnostics",
                                                 .product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "SeriesAnalysis", dependencies: ["NumericCore"]),
        // Ingest, selection, store and the daily pipeline.
        .target(
            name: "Pipeline",
            dependencies: [
                "NumericCore", "SplineModels", "Sampling", "Diagnostics", "SeriesAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            // Real perfherder series bundled for `slowreg demo` (see Demo/Data/README.md).
            resources: [.copy("Demo/Data")]
        ),
        // The Treeherder REST client (URLSession: FoundationNetworking, libcurl).
        .target(name: "TreeherderFetch", dependencies: ["Pipeline"]),
        // Option groups shared by the two executables.
        .target(
            name: "CommandLineOptions",
            dependencies: ["Pipeline", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "SlowregCLI",
            dependencies: [
                "NumericCore", "SplineModels", "Sampling", "SeriesAnalysis", "Pipeline", "CommandLineOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SlowregFetch",
            dependencies: [
                "Pipeline", "TreeherderFetch", "CommandLineOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SplineModelsTests", dependencies: ["SplineModels", "NumericCore",
                                                       .product(name: "RealModule", package: "swift-numerics")],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "NumericCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "SplineModels", "Diagnostics", "NumericCore",
                                                   .product(name: "RealModule", package: "swift-numerics")],
                    resources: [.copy("Fixtures")]),
        // Runs the built `slowreg` executable as a user would.
        .testTarget(name: "SlowregCLITests", dependencies: ["SlowregCLI", "SlowregFetch", "Pipeline", "Sampling", "NumericCore"]),
        // Also the Treeherder client, against a loopback server (FlyingFox).
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "TreeherderFetch", "Sampling", "SplineModels",
                                                   "SeriesAnalysis", "NumericCore",
                                                   .product(name: "FlyingFox", package: "FlyingFox"),
                                                   // Raw SQL on stores: views, migrations, the README's queries.
                                                   .product(name: "GRDB", package: "GRDB.swift")],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SeriesAnalysisTests", dependencies: ["SeriesAnalysis", "NumericCore"],
                    resources: [.copy("Fixtures")]),
    ]
)
