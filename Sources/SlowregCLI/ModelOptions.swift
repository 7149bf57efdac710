import ArgumentParser
import Foundation
import SplineModels
import Sampling

extension NoiseModel: ExpressibleByArgument {}
extension SamplerKind: ExpressibleByArgument {}

/// Output formats of tabular commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Model and sampler options shared by `fit` and `run`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Noise distribution: gaussian or student-t.")
    var noise: NoiseModel = .gaussian

    @Option(help: "Sampler: gibbs (conditionally conjugate, default), nuts, or metropolis.")
    var sampler: SamplerKind = .gibbs

    @Option(help: "Number of chains.")
    var chains: Int = SamplerSettings.defaultChains

    @Option(help: "Warm-up iterations per chain (discarded).")
    var warmup: Int = SamplerSettings.defaultWarmup

    @Option(help: "Kept iterations per chain.")
    var draws: Int = SamplerSettings.defaultDraws

    @Option(name: .customLong("kept-draws"), help: "Posterior draws kept per day (thinned evenly over chains).")
    var keptDraws: Int = FitOptions.defaultKeptDraws

    @Option(help: "Random seed; the same seed gives the same draws whatever the thread count.")
    var seed: UInt64 = SamplerSettings.defaultSeed

    @Option(help: "Threads for parallel chains (default: all cores).")
    var threads: Int = SamplerSettings.availableCores

    func validate() throws {
        guard chains >= 1 else { throw ValidationError("--chains must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
        guard draws >= 1 else { throw ValidationError("--draws must be at least 1") }
        guard keptDraws >= 1 else { throw ValidationError("--kept-draws must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    var fitOptions: FitOptions {
        FitOptions(noise: noise,
                   sampler: SamplerSettings(sampler: sampler, chains: chains, warmup: warmup, draws: draws,
                                            seed: seed, threads: threads),
                   keptDraws: keptDraws)
    }
}

/// Writes text to standard output.
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
