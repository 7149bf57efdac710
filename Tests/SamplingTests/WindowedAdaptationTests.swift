import Testing
import NumericCore
import RealModule
import Sampling

/// The warm-up iterations (0-based) after which `WindowedAdaptation`
/// returns a new metric.
private func metricUpdates(warmup: Int) -> [Int] {
    var windows = WindowedAdaptation(warmup: warmup, dimension: 1)
    return (0..<warmup).filter { windows.record(iteration: $0, position: [Double($0 % 7)]) != nil }
}

/// Stan's schedule for 1,000 warm-up iterations (init_buffer 75, window 25,
/// term_buffer 50): slow windows of 25, 50, 100, 200 and — the next doubling
/// would overrun the terminal buffer, so the last is stretched — 500
/// iterations, ending after iterations 99, 149, 249, 449 and 949
/// (`windowed_adaptation::compute_next_window`).
@Test func windowScheduleForAThousandIterationsIsStans() {
    let windows = WindowedAdaptation(warmup: 1000, dimension: 1)
    #expect(windows.initialBuffer == 75)
    #expect(windows.baseWindow == 25)
    #expect(windows.terminalBuffer == 50)
    #expect(metricUpdates(warmup: 1000) == [99, 149, 249, 449, 949])
    #expect(!windows.inSlowWindow(74) && windows.inSlowWindow(75))
    #expect(windows.inSlowWindow(949) && !windows.inSlowWindow(950))
}

/// Below 150 iterations Stan shrinks the buffers to 15% and 10% of warm-up
/// and makes the rest one window: for 100 iterations, 15 + 75 + 10, one
/// update after iteration 89. Below 20 there is no metric adaptation.
@Test func shortWarmupShrinksTheBuffersAsStanDoes() {
    let windows = WindowedAdaptation(warmup: 100, dimension: 1)
    #expect(windows.initialBuffer == 15 && windows.baseWindow == 75 && windows.terminalBuffer == 10)
    #expect(metricUpdates(warmup: 100) == [89])
    #expect(metricUpdates(warmup: 19).isEmpty)
}

/// The metric at the end of a window is the window's sample variance
/// regularized towards 1e-3 as Stan does: `(n/(n+5))·s² + 1e-3·5/(n+5)`.
@Test func windowMetricIsTheRegularizedSampleVariance() throws {
    var windows = WindowedAdaptation(warmup: 1000, dimension: 2)
    var rng = RandomStream(seed: 4)
    var first: [Double] = [], second: [Double] = []
    var metric: DiagonalMetric?
    for i in 0..<100 {
        let position = [rng.normal(), 3 * rng.normal()]
        if i >= 75 { first.append(position[0]); second.append(position[1]) }
        metric = windows.record(iteration: i, position: position)
    }
    let updated = try #require(metric)
    let n = 25.0
    for (j, values) in [first, second].enumerated() {
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let expected = n / (n + 5) * variance + 1e-3 * 5 / (n + 5)
        #expect(updated.inverse[j].isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
    }
}
