// The full simulation-based calibration of the spline model and the step-level model (Talts et al.
// 2018): for each noise model and sampler, REPLICATES prior draws, simulated
// series, fits and ranks; prints the rank histograms and the χ² p-values.
// The tests run a reduced version (100 replicates); this is the full one.
// Usage: SBC [REPLICATES] [THREADS] [all|spline|step-level|two-modes|geweke] [SEED]  (the models calibrated, default all;
// two-modes: the step-level model's two-mode noise alone; geweke: Geweke's test of the step-level kernel instead of SBC;
// the seed of every replicate's prior draw and fit, default 2024)
import Foundation
import Sampling
import SplineModels

let arguments = CommandLine.arguments
let replicates = arguments.count > 1 ? Int(arguments[1]) ?? 500 : 500
let threads = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
let only = arguments.count > 3 ? arguments[3] : "all"
guard ["all", "spline", "step-level", "two-modes", "geweke"].contains(only) else {
    FileHandle.standardError.write(Data("SBC: the third argument must be all, spline, step-level, two-modes or geweke, not '\(only)'\n".utf8))
    exit(2)
}
let seedArgument = arguments.count > 4 ? UInt64(arguments[4]) : 2024
guard let seed = seedArgument else {
    FileHandle.standardError.write(Data("SBC: the fourth argument must be a seed (a non-negative integer), not '\(arguments[4])'\n".utf8))
    exit(2)
}
var failures = 0
/// One table row per quantity; returns how many histograms have χ² p ≤ 0.001 (failures).
func printRows(_ result: SimulationBasedCalibration.Result, model: String, sampler: String, replicates: Int,
               divergences: String) -> Int {
    var failed = 0
    for (q, name) in result.quantities.enumerated() {
        if result.pValues[q] <= 0.001 { failed += 1 }
        let histogram = result.histograms[q].map(String.init).joined(separator: " ")
        print("| \(model) | \(sampler) | \(replicates) | \(name) | \(histogram) | "
              + String(format: "%.3f", result.pValues[q]) + " | \(divergences) |")
    }
    return failed
}
// Geweke's successive-conditional test of the step-level kernel (REPLICATES
// × 6 chained draws, 400 alternations of 2 sweeps and a new series, against
// 20,000 prior draws), both noise models.
if only == "geweke" {
    print("| noise | replicates | alternations × sweeps | quantity | test | statistic | p |")
    print("|---|---|---|---|---|---|---|")
    for twoModes in [false, true] {
        let config = StepLevelCalibration.Configuration(replicates: replicates * 6, days: 30, runsPerDay: 2,
                                                        blockDays: 10, seed: seed, threads: threads, twoModes: twoModes)
        let result = try await StepLevelCalibration.gewekeTest(config, steps: 400, sweepsPerStep: 2, priorDraws: 20_000)
        for (q, name) in result.quantities.enumerated() {
            if result.pValues[q] <= 0.001 { failures += 1 }
            print("| \(twoModes ? "two modes" : "one mode") | \(config.replicates) | 400 × 2 | \(name) | \(result.tests[q]) | "
                  + String(format: "%.4g", result.statistics[q]) + " | " + String(format: "%.3f", result.pValues[q]) + " |")
        }
    }
    print(failures == 0 ? "every quantity keeps its prior (p > 0.001)" : "\(failures) quantities with p ≤ 0.001")
    exit(failures == 0 ? 0 : 1)
}
print("| noise | sampler | replicates | quantity | rank histogram (10 bins) | χ² p | fits with divergences |")
print("|---|---|---|---|---|---|---|")
for noise in [NoiseModel.gaussian, .studentT] where only == "all" || only == "spline" {
    for sampler in [SamplerKind.gibbs, .nuts] {
        let config = SimulationBasedCalibration.Configuration(
            noise: noise, sampler: sampler, replicates: replicates, days: 48, runsPerDay: 2, chains: 2,
            warmup: 300, draws: 400, rankedDraws: 99, bins: 10, seed: seed, threads: threads)
        let result = try await SimulationBasedCalibration.run(config)
        failures += printRows(result, model: noise.rawValue, sampler: sampler.rawValue, replicates: replicates,
                              divergences: "\(result.fitsWithDivergences)")
    }
}
// The step-level model (SPEC §5b) with its production kernel: 30-day series,
// 2 runs a day, noise blocks of 10 days with their pooling learned.
if only != "spline" {
    let stepConfig = StepLevelCalibration.Configuration(replicates: replicates * 2, days: 30, runsPerDay: 2, blockDays: 10,
                                                        chains: 2, warmup: 200, draws: 400, rankedDraws: 99, bins: 10,
                                                        seed: seed, threads: threads)
    if only != "two-modes" {
        failures += printRows(try await StepLevelCalibration.run(stepConfig), model: "step-level", sampler: "gibbs",
                              replicates: stepConfig.replicates, divergences: "–")
    }
    // The same with the two-mode noise (each block's second mode drawn from its
    // prior; its offset and share on the last block ranked too), warm-up 500 as
    // in production.
    var modesConfig = stepConfig
    modesConfig.twoModes = true
    modesConfig.warmup = 500
    // SBC_START_AT_TRUTH=1: chains started at each replicate's truth (a diagnostic, see the configuration).
    modesConfig.startAtTruth = ProcessInfo.processInfo.environment["SBC_START_AT_TRUTH"] == "1"
    failures += printRows(try await StepLevelCalibration.run(modesConfig), model: "step-level, two modes", sampler: "gibbs",
                          replicates: modesConfig.replicates, divergences: "–")
}
print(failures == 0 ? "all rank histograms uniform (χ² p > 0.001)" : "\(failures) rank histograms with χ² p ≤ 0.001")
exit(failures == 0 ? 0 : 1)
