/// The samplers slowreg offers (SPEC §6).
public enum SamplerKind: String, Sendable, Equatable, CaseIterable, Codable {
    /// The conditionally-conjugate Gibbs sampler (spline models only): the default.
    case gibbs
    /// The No-U-Turn Sampler with windowed adaptation.
    case nuts
    /// Adaptive random-walk Metropolis: a baseline and a fallback.
    case metropolis
}

import SplineModels

/// How many chains and iterations to run, with which seed.
public struct SamplerSettings: Sendable, Equatable {
    public var sampler: SamplerKind
    /// Number of chains (default 4, so that R̂ can compare chains).
    public var chains: Int
    /// Warm-up iterations per chain, discarded (default 1,000, as the reference).
    public var warmup: Int
    /// Kept iterations per chain (default 1,000, as the reference).
    public var draws: Int
    /// Iterations per kept draw after warm-up (default 1: every iteration is kept).
    public var thin: Int
    public var seed: UInt64
    /// Threads for running chains in parallel; results never depend on it.
    public var threads: Int
    /// NUTS: maximum tree depth (Stan default 10).
    public var maxTreeDepth: Int
    /// NUTS: target mean acceptance statistic of step-size adaptation (Stan default 0.8).
    public var targetAcceptance: Double

    public static let defaultChains = 4
    public static let defaultWarmup = 1000
    public static let defaultDraws = 1000
    public static let defaultSeed: UInt64 = 20_240_101
    public static let defaultMaxTreeDepth = 10

    public init(sampler: SamplerKind = .gibbs, chains: Int = SamplerSettings.defaultChains,
                warmup: Int = SamplerSettings.defaultWarmup, draws: Int = SamplerSettings.defaultDraws,
                seed: UInt64 = SamplerSettings.defaultSeed, threads: Int = SamplerSettings.availableCores,
                maxTreeDepth: Int = SamplerSettings.defaultMaxTreeDepth,
                targetAcceptance: Double = DualAveraging.defaultTarget, thin: Int = 1) {
        self.sampler = sampler
        self.chains = chains
        self.warmup = warmup
        self.draws = draws
        self.thin = thin
        self.seed = seed
        self.threads = threads
        self.maxTreeDepth = maxTreeDepth
        self.targetAcceptance = targetAcceptance
    }

    /// Cores of this machine.
    public static var availableCores: Int { Swift.max(1, sysconfCores()) }
}

#if canImport(Glibc)
import Glibc
private func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#else
import Foundation
private func sysconfCores() -> Int { ProcessInfo.processInfo.activeProcessorCount }
#endif

/// What one chain returns.
public struct ChainResult: Sendable {
    /// Kept positions `θ`, one per kept iteration (empty when a Gibbs chain
    /// was run with `positions: false`; `parameters` then holds the draws).
    public var positions: [[Double]]
    /// Sampler information of each kept iteration.
    public var info: [TransitionInfo]
    /// Final step size (NUTS) or proposal scale (Metropolis); nil for Gibbs.
    public var stepSize: Double?
    /// Final inverse metric (NUTS) or proposal variances (Metropolis).
    public var inverseMetric: [Double]?
    public var warmupSeconds: Double
    public var samplingSeconds: Double
    /// The kept draws as spline parameters, when the sampler works with them
    /// directly (Gibbs): saves mapping every draw back from `positions`.
    public var parameters: [SplineParameters]?

    public init(positions: [[Double]], info: [TransitionInfo], stepSize: Double? = nil, inverseMetric: [Double]? = nil,
                warmupSeconds: Double, samplingSeconds: Double, parameters: [SplineParameters]? = nil) {
        self.positions = positions
        self.info = info
        self.stepSize = stepSize
        self.inverseMetric = inverseMetric
        self.warmupSeconds = warmupSeconds
        self.samplingSeconds = samplingSeconds
        self.parameters = parameters
    }
}

/// Errors of the sampling services.
public enum SamplingError: Error, Equatable, CustomStringConvertible {
    case noFiniteStartingPoint(attempts: Int)
    case invalidSettings(String)
    case samplerNotApplicable(String)

    public var description: String {
        switch self {
        case let .noFiniteStartingPoint(attempts):
            return "no starting point with a finite log density found in \(attempts) attempts"
        case let .invalidSettings(what):
            return "invalid sampler settings: \(what)"
        case let .samplerNotApplicable(what):
            return what
        }
    }
}
