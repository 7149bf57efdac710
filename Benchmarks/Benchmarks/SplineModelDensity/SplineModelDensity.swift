import Benchmark
import BenchmarkSeries
import SplineModels

/// Log density + gradient of the Student-t spline model on a year of runs
/// (n = 1,460, K = 46): the inner loop of every sampler. Target: median < 20 µs.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .instructions, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 5,
        // Each sample times 1,000 calls (one call per sample would time the
        // harness's own per-sample work too); results are reported per call.
        // On a busy machine most 15-ms samples are preempted and the wall clock
        // overstates: read SplineModelProfile's CPU-time median then.
        scalingFactor: .kilo,
        maxDuration: .seconds(5),
        maxIterations: .kilo(1)
    )

    Benchmark("StudentT logDensityAndGradient n=1460 K=46") { benchmark in
        let model = try BenchmarkSeries.studentTModel()
        let theta = BenchmarkSeries.theta(for: model)
        var gradient = [Double](repeating: 0, count: model.dimension)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(model.logDensityAndGradient(theta, gradient: &gradient))
        }
        benchmark.stopMeasurement()
        blackHole(gradient)
    }
}
