// swift-tools-version:6.1
import PackageDescription

// Layers, each target depending only on what it imports (arrows point to dependencies):
//   NumericCore      linear algebra, random streams, distributions, the log-density protocol
//   SplineModels   → NumericCore                      the model: log density, priors, design
//   Diagnostics    → NumericCore                      R-hat, ESS, fit status from stored draws
//   SeriesAnalysis → NumericCore                      preparation, recalibration, comparisons
//   Sampling       → SplineModels, Diagnostics         kernels, the chain runner, the fit service
//   Store          → SeriesAnalysis                   SQLite/PostgreSQL store, UTC time, the record types
//   Ingest         → Store                            readers, selection, config files, Treeherder responses
//   Reports        → Store, Ingest                    comparisons, alerts, health, HTML report, JSON, export
//   Jobs           → Reports, Ingest, Store, Sampling  the series job, the daily run, models, the demo
//   TreeherderFetch → Ingest, Store;  CommandLineOptions → Ingest, Store
//   SlowregCLI     → Jobs, Reports, Ingest, Store, CommandLineOptions, Sampling, SeriesAnalysis, SplineModels
//   SlowregFetch   → TreeherderFetch, CommandLineOptions, Ingest, Store (the helper `slowreg-fetch`)
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
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Ingest", targets: ["Ingest"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Jobs", targets: ["Jobs"]),
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
        // The store (SQLite through GRDB, PostgreSQL through PostgresNIO), UTC time, and the
        // records it takes in.
        .target(
            name: "Store",
            dependencies: [
                "SeriesAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Readers of every input format, selection, YAML configuration, Treeherder's responses.
        .target(
            name: "Ingest",
            dependencies: ["Store", "SeriesAnalysis", .product(name: "Yams", package: "Yams")]
        ),
        // What is read back from the store for people and scripts: comparisons, alerts,
        // store health, the HTML report, the JSON writer, warehouse export.
        .target(name: "Reports", dependencies: ["Store", "Ingest", "SeriesAnalysis", "NumericCore"]),
        // The series job, the daily run, model definitions, the demo.
        .target(
            name: "Jobs",
            dependencies: [
                "Store", "Ingest", "Reports",
                "NumericCore", "SplineModels", "Sampling", "Diagnostics", "SeriesAnalysis",
                .product(name: "Yams", package: "Yams"),
            ],
            // Real perfherder series bundled for `slowreg demo` (see Demo/Data/README.md).
            resources: [.copy("Demo/Data")]
        ),
        // The Treeherder REST client (URLSession: FoundationNetworking, libcurl).
        .target(name: "TreeherderFetch", dependencies: ["Store", "Ingest"]),
        // Option groups shared by the two executables.
        .target(
            name: "CommandLineOptions",
            dependencies: ["Store", "Ingest", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "SlowregCLI",
            dependencies: [
                "NumericCore", "SplineModels", "Sampling", "SeriesAnalysis", "Store", "Ingest", "Reports", "Jobs",
                "CommandLineOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SlowregFetch",
            dependencies: [
                "Store", "Ingest", "TreeherderFetch", "CommandLineOptions",
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
        .testTarget(name: "SlowregCLITests", dependencies: ["SlowregCLI", "SlowregFetch", "Sampling", "NumericCore"]),
        // Also the Treeherder client, against a loopback server (FlyingFox).
        .testTarget(name: "PipelineTests", dependencies: ["Store", "Ingest", "Reports", "Jobs", "TreeherderFetch",
                                                   "Sampling", "SplineModels",
                                                   "SeriesAnalysis", "NumericCore",
                                                   .product(name: "FlyingFox", package: "FlyingFox"),
                                                   // Raw SQL on stores: views, migrations, the README's queries.
                                                   .product(name: "GRDB", package: "GRDB.swift")],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SeriesAnalysisTests", dependencies: ["SeriesAnalysis", "NumericCore"],
                    resources: [.copy("Fixtures")]),
    ]
)
