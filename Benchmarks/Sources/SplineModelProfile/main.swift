#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BenchmarkSeries
import Foundation
import SplineModels

/// A plain timing loop over the benchmark's workload, also the target for
/// profilers (`valgrind --tool=callgrind`, `perf`), where the package-benchmark
/// harness would be noise. Usage: SplineModelProfile [calls]
///
/// Timing: 1,000 warm-up calls, then samples of 100 calls, each timed by the
/// wall clock (ContinuousClock) and by this thread's CPU clock
/// (CLOCK_THREAD_CPUTIME_ID, which does not run while the thread is preempted,
/// so its median holds on a loaded machine); prints median and p90 per call.
let calls = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
let callsPerSample = 100

func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func summary(_ perCall: [Double]) -> String {
    let sorted = perCall.sorted()
    let median = sorted[sorted.count / 2]
    let p90 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.9))]
    return String(format: "median %.2f µs, p90 %.2f µs", median, p90)
}

let model = try BenchmarkSeries.studentTModel()
let theta = BenchmarkSeries.theta(for: model)
var gradient = [Double](repeating: 0, count: model.dimension)
var sink = 0.0
for _ in 0..<1_000 { sink += model.logDensityAndGradient(theta, gradient: &gradient) }

let clock = ContinuousClock()
var wall: [Double] = []
var cpu: [Double] = []
for _ in 0..<max(1, calls / callsPerSample) {
    let cpuStart = threadCPUSeconds()
    let start = clock.now
    for _ in 0..<callsPerSample { sink += model.logDensityAndGradient(theta, gradient: &gradient) }
    let elapsed = clock.now - start
    let cpuSeconds = threadCPUSeconds() - cpuStart
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    wall.append(seconds / Double(callsPerSample) * 1e6)
    cpu.append(cpuSeconds / Double(callsPerSample) * 1e6)
}
print("StudentT logDensityAndGradient n=1460 K=46, \(wall.count) samples of \(callsPerSample) calls:")
print("  wall clock: \(summary(wall)) per call")
print("  thread CPU: \(summary(cpu)) per call   (checksum \(sink))")
