// swift-tools-version:6.1
// A separate package so that the main build and CI never build the benchmark
// harness. Run it with `scripts/bench.sh` from the repository root.
import PackageDescription

let package = Package(
    name: "slowreg-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "slowreg", path: ".."),
        // package-benchmark; on Linux it needs the MallocInterposer trait for its malloc metrics.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The shared workload: a year of runs, n = 1,460, K = 46.
        .target(
            name: "BenchmarkSeries",
            dependencies: [
                .product(name: "SplineModels", package: "slowreg"),
                .product(name: "NumericCore", package: "slowreg"),
            ]
        ),
        // package-benchmark suites live in Benchmarks/<Target>/, as the plugin expects.
        .executableTarget(
            name: "SplineModelDensity",
            dependencies: [
                "BenchmarkSeries",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SplineModels", package: "slowreg"),
            ],
            path: "Benchmarks/SplineModelDensity",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The full simulation-based calibration (scripts/validation/sbc.sh).
        .executableTarget(
            name: "SBC",
            dependencies: [.product(name: "Sampling", package: "slowreg"), .product(name: "SplineModels", package: "slowreg")]
        ),
        // A plain loop over the same workload for callgrind/perf.
        .executableTarget(
            name: "SplineModelProfile",
            dependencies: ["BenchmarkSeries", .product(name: "SplineModels", package: "slowreg")]
        ),
    ]
)
