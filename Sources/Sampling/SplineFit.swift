import NumericCore
import SplineModels
import Diagnostics
import RealModule

/// Options of one spline fit (the model and the sampler).
public struct FitOptions: Sendable, Equatable {
    public var noise: NoiseModel
    public var priors: SplinePriors
    public var sampler: SamplerSettings
    /// Posterior draws kept per day, thinned evenly over chains (default 1,000, SPEC §5).
    public var keptDraws: Int
    /// Override the knot rule's number of basis functions (nil: SPEC §5 rule).
    public var basisCount: Int?
    /// Limits a fit must meet to be `good` (SPEC §6 defaults).
    public var thresholds: DiagnosticThresholds
    /// Coordinates of the penalized coefficients the gradient samplers see.
    public var parametrization: SplineModel.Parametrization
    /// A fixed working scale (location, scale) instead of the data's median and
    /// MAD; only for validation, where priors must not depend on the data.
    public var workingScale: WorkingScale?

    public struct WorkingScale: Sendable, Equatable {
        public var location: Double
        public var scale: Double
        public init(location: Double, scale: Double) { self.location = location; self.scale = scale }
    }

    public static let defaultKeptDraws = 1000

    public init(noise: NoiseModel = .gaussian, priors: SplinePriors = .standard,
                sampler: SamplerSettings = SamplerSettings(), keptDraws: Int = FitOptions.defaultKeptDraws,
                basisCount: Int? = nil, thresholds: DiagnosticThresholds = .default,
                parametrization: SplineModel.Parametrization = .centred, workingScale: WorkingScale? = nil) {
        self.noise = noise
        self.priors = priors
        self.sampler = sampler
        self.keptDraws = keptDraws
        self.basisCount = basisCount
        self.thresholds = thresholds
        self.parametrization = parametrization
        self.workingScale = workingScale
    }
}

/// Wall-clock cost of a fit, in milliseconds.
public struct FitTiming: Sendable, Equatable, Codable {
    /// Longest warm-up of any chain (chains run in parallel).
    public var warmupMilliseconds: Double
    /// Longest sampling phase of any chain.
    public var samplingMilliseconds: Double
    /// Everything: model set-up, chains, per-day draws and diagnostics.
    public var totalMilliseconds: Double
}

/// The posterior of one series: per-day draws of the level and of a new
/// observation for every day from the first to the last day the model saw
/// (days without runs included), the chains, and their diagnostics.
public struct SplineFit: Sendable {
    public let model: SplineModel
    public let options: FitOptions
    /// Day index of row 0 of the draw matrices.
    public let firstDay: Int
    public let lastDay: Int
    /// `μ(day)` on the original scale.
    public let level: DrawMatrix
    /// `y(day) = μ(day) + ε`, one noise draw per posterior draw.
    public let predictive: DrawMatrix
    public let chains: [ChainResult]
    /// Original-scale named quantities (alpha, trend, sigma, tau, nu, beta[k]) per chain and kept iteration.
    public let quantityNames: [String]
    public let quantityDraws: [[[Double]]]
    public let diagnostics: FitDiagnostics
    public let timing: FitTiming

    public var dayCount: Int { lastDay - firstDay + 1 }
}

/// Fits the spline model of SPEC §5 to one prepared series with the chosen
/// sampler: the service that runs chains, keeps draws and computes diagnostics.
public enum SplineFitter {
    /// Stream ids below this are chains; the predictive noise uses its own stream.
    static let predictiveStream: UInt64 = 1 << 32

    public static func fit(days: [Int], values: [Double], options: FitOptions = FitOptions()) async throws -> SplineFit {
        let clock = ContinuousClock()
        let start = clock.now
        let s = options.sampler
        guard s.chains >= 1, s.draws >= 1, s.warmup >= 0, s.threads >= 1, options.keptDraws >= 1 else {
            throw SamplingError.invalidSettings("chains, draws, kept draws and threads must be at least 1, warm-up at least 0")
        }
        let model = try SplineModel(days: days, values: values, noise: options.noise, priors: options.priors,
                                    basisCount: options.basisCount, parametrization: options.parametrization,
                                    workingScale: options.workingScale.map { ($0.location, $0.scale) })
        let chains = try await parallelMap(count: s.chains, threads: s.threads) { chain -> ChainResult in
            var rng = RandomStream(seed: s.seed, stream: UInt64(chain))
            switch s.sampler {
            case .gibbs: return ConjugateGibbs.run(model: model, settings: s, rng: &rng)
            case .nuts:
                let pilot = ConjugateGibbs.pilot(model: model, rng: &rng)
                return try NUTSChain.run(model: model, settings: s, rng: &rng, start: pilot.start,
                                         initialMetric: pilot.inverseMetric)
            case .metropolis: return try AdaptiveMetropolis.run(model: model, settings: s, rng: &rng)
            }
        }

        // Original-scale quantities of every kept iteration, for diagnostics.
        let parameterDraws = chains.map { $0.parameters ?? $0.positions.map { model.parameters($0) } }
        let names = model.quantityNames
        let quantityDraws = parameterDraws.map { $0.map { model.quantityValues($0) } }

        // Thin evenly within each chain to the kept number of draws.
        let perChain = Swift.max(1, Swift.min(s.draws, options.keptDraws / s.chains))
        var kept: [SplineParameters] = []
        for chain in parameterDraws {
            for j in 0..<perChain { kept.append(chain[j * s.draws / perChain]) }
        }

        let firstDay = Int(model.design.basis.lower)
        let lastDay = Int(model.design.basis.upper)
        let (level, predictive) = try await perDayDraws(model: model, kept: kept, firstDay: firstDay, lastDay: lastDay,
                                                       seed: s.seed, threads: s.threads)
        let diagnostics = try await diagnose(names: names, draws: quantityDraws, chains: chains,
                                             sampler: s.sampler, thresholds: options.thresholds, threads: s.threads)
        let timing = FitTiming(
            warmupMilliseconds: 1000 * (chains.map(\.warmupSeconds).max() ?? 0),
            samplingMilliseconds: 1000 * (chains.map(\.samplingSeconds).max() ?? 0),
            totalMilliseconds: 1000 * seconds(clock.now - start))
        return SplineFit(model: model, options: options, firstDay: firstDay, lastDay: lastDay, level: level,
                         predictive: predictive, chains: chains, quantityNames: names, quantityDraws: quantityDraws,
                         diagnostics: diagnostics, timing: timing)
    }

    /// Convergence diagnostics over the named quantities, with the sampler's
    /// per-iteration information where it has any.
    static func diagnose(names: [String], draws: [[[Double]]], chains: [ChainResult], sampler: SamplerKind,
                         thresholds: DiagnosticThresholds, threads: Int) async throws -> FitDiagnostics {
        let parameters = try names.indices.map { q in
            (name: names[q], draws: try ChainDraws(draws.map { chain in chain.map { $0[q] } }))
        }
        // Each quantity's R-hat and ESS are independent: compute them in parallel.
        let convergence = try await parallelMap(count: parameters.count, threads: threads) { q in
            ParameterConvergence(name: parameters[q].name, draws: parameters[q].draws)
        }
        let info: SamplerTransitionInfo
        if sampler == .nuts {
            info = SamplerTransitionInfo(divergent: chains.map { $0.info.map(\.divergent) },
                                         hitMaxTreeDepth: chains.map { $0.info.map(\.hitMaxTreeDepth) },
                                         energy: chains.map { $0.info.map(\.energy) })
        } else {
            info = .none
        }
        return try FitDiagnostics(convergence: convergence, chainCount: chains.count,
                                  drawsPerChain: chains.first?.positions.count ?? 0, sampler: info, thresholds: thresholds)
    }

    /// Days per block of per-day draws; each block has its own random stream,
    /// so the draws do not depend on how many threads fill the blocks.
    static let dayBlock = 32

    /// Level and predictive draws for every day in `firstDay…lastDay`.
    static func perDayDraws(model: SplineModel, kept: [SplineParameters], firstDay: Int, lastDay: Int,
                            seed: UInt64, threads: Int) async throws -> (DrawMatrix, DrawMatrix) {
        let dayCount = lastDay - firstDay + 1
        let blocks = (dayCount + dayBlock - 1) / dayBlock
        let parts = try await parallelMap(count: blocks, threads: threads) { b -> ([Double], [Double]) in
            let days = (b * dayBlock)..<Swift.min(dayCount, (b + 1) * dayBlock)
            return drawBlock(model: model, kept: kept, days: days, firstDay: firstDay,
                             rng: RandomStream(seed: seed, stream: predictiveStream + UInt64(b)))
        }
        let level = DrawMatrix(dayCount: dayCount, drawCount: kept.count, values: Array(parts.map(\.0).joined()))
        let predictive = DrawMatrix(dayCount: dayCount, drawCount: kept.count, values: Array(parts.map(\.1).joined()))
        return (level, predictive)
    }

    /// Level and predictive draws of the fit rows `days`, row by row.
    static func drawBlock(model: SplineModel, kept: [SplineParameters], days: Range<Int>, firstDay: Int,
                          rng initial: RandomStream) -> ([Double], [Double]) {
        var rng = initial
        var level = DrawMatrix(dayCount: days.count, drawCount: kept.count)
        var predictive = DrawMatrix(dayCount: days.count, drawCount: kept.count)
        for (row, d) in days.enumerated() {
            let (m, w) = model.design.basis.evaluate(Double(firstDay + d))
            for (j, p) in kept.enumerated() {
                let b = p.coefficients
                let mu = model.location + model.scale * (b[m] * w.0 + b[m + 1] * w.1 + b[m + 2] * w.2 + b[m + 3] * w.3)
                let noise: Double
                if let nu = p.nu {
                    noise = rng.studentT(df: nu)
                } else {
                    noise = rng.standardNormal()
                }
                level[row, j] = mu
                predictive[row, j] = mu + model.scale * p.sigma * noise
            }
        }
        return (level.values, predictive.values)
    }
}
