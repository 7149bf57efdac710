import Dispatch
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
    /// Coordinates of the penalized coefficients the gradient samplers see
    /// (default `.partial`, set from a Gibbs pilot; the Gibbs sampler ignores it).
    public var parametrization: SplineModel.Parametrization
    /// A fixed working scale (location, scale) instead of the data's median and
    /// MAD; only for validation, where priors must not depend on the data.
    public var workingScale: WorkingScale?
    /// The step-level model runs its chains again, with
    /// ``StepLevelFitter/extensionFactor`` times the draws, while a run is
    /// flagged for R̂ or ESS alone (not for a precision that failed to
    /// factor), up to ``StepLevelFitter/extensions`` times; the reference
    /// model ignores it. Off only in tests and
    /// validation that study the first run itself.
    public var extendUnmixedRuns: Bool = true
    /// The step-level model chooses its noise among several candidates in
    /// stages: every candidate runs its warm-up and the first
    /// 1/``StepLevelFitter/choiceStageShare`` of its draws, and when all of
    /// them mixed that far PSIS-LOO chooses on those draws and only the
    /// chosen one's chains go on (otherwise every candidate runs in full,
    /// as without it). Off: every candidate in full, the choice on all
    /// their draws. The reference model ignores it.
    public var stagedNoiseChoice: Bool = true

    public struct WorkingScale: Sendable, Equatable {
        public var location: Double
        public var scale: Double
        public init(location: Double, scale: Double) { self.location = location; self.scale = scale }
    }

    public static let defaultKeptDraws = 1000

    public init(noise: NoiseModel = .gaussian, priors: SplinePriors = .standard,
                sampler: SamplerSettings = SamplerSettings(), keptDraws: Int = FitOptions.defaultKeptDraws,
                basisCount: Int? = nil, thresholds: DiagnosticThresholds = .default,
                parametrization: SplineModel.Parametrization = .partial, workingScale: WorkingScale? = nil) {
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
        guard s.chains >= 1, s.draws >= 1, s.thin >= 1, s.warmup >= 0, s.threads >= 1, options.keptDraws >= 1 else {
            throw SamplingError.invalidSettings("chains, draws, thinning, kept draws and threads must be at least 1, warm-up at least 0")
        }
        let specified = try SplineModel(days: days, values: values, noise: options.noise, priors: options.priors,
                                        basisCount: options.basisCount, parametrization: options.parametrization,
                                        workingScale: options.workingScale.map { ($0.location, $0.scale) })
        let model = try ChainRunner.productionModel(specified, settings: s)
        let chains = try await ChainRunner.splineChains(model: model, settings: s)

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
        let (level, predictive) = perDayDraws(model: model, kept: kept, firstDay: firstDay, lastDay: lastDay,
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
        // Every sampler's steps can report a failed factorization; only NUTS
        // has divergences, tree depths and energies.
        let failedFactorization = chains.map { $0.info.map(\.failedFactorization) }
        let info: SamplerTransitionInfo
        if sampler == .nuts {
            info = SamplerTransitionInfo(divergent: chains.map { $0.info.map(\.divergent) },
                                         hitMaxTreeDepth: chains.map { $0.info.map(\.hitMaxTreeDepth) },
                                         energy: chains.map { $0.info.map(\.energy) },
                                         failedFactorization: failedFactorization)
        } else {
            info = SamplerTransitionInfo(failedFactorization: failedFactorization)
        }
        return try FitDiagnostics(convergence: convergence, chainCount: chains.count,
                                  drawsPerChain: chains.first?.info.count ?? 0, sampler: info, thresholds: thresholds)
    }

    /// Days per block of per-day draws; each block has its own random stream,
    /// so the draws do not depend on how many threads fill the blocks.
    static let dayBlock = 32

    /// Level and predictive draws for every day in `firstDay…lastDay`.
    ///
    /// Blocks of days are filled in parallel straight into the two matrices
    /// (no per-block arrays joined afterwards: at 1,000 draws a year of days
    /// is 6 MB, and first touches of fresh memory cost more than the arithmetic).
    static func perDayDraws(model: SplineModel, kept: [SplineParameters], firstDay: Int, lastDay: Int,
                            seed: UInt64, threads: Int) -> (DrawMatrix, DrawMatrix) {
        let dayCount = lastDay - firstDay + 1
        let blocks = (dayCount + dayBlock - 1) / dayBlock
        let draws = KeptDraws(kept, basisCount: model.design.count)
        let total = dayCount * kept.count
        guard total > 0 else {
            return (DrawMatrix(dayCount: dayCount, drawCount: kept.count), DrawMatrix(dayCount: dayCount, drawCount: kept.count))
        }
        var predictiveValues: [Double] = []
        let levelValues = [Double](unsafeUninitializedCapacity: total) { levelBuffer, levelCount in
            predictiveValues = [Double](unsafeUninitializedCapacity: total) { predictiveBuffer, predictiveCount in
                // Non-empty buffers have base addresses; every element is written below.
                let output = BlockOutput(level: levelBuffer.baseAddress!, predictive: predictiveBuffer.baseAddress!)
                let fill: @Sendable (Int) -> Void = { b in
                    let days = (b * dayBlock)..<Swift.min(dayCount, (b + 1) * dayBlock)
                    drawBlock(model: model, draws: draws, days: days, firstDay: firstDay,
                              rng: RandomStream(seed: seed, stream: predictiveStream + UInt64(b)), into: output)
                }
                if threads > 1 && blocks > 1 {
                    DispatchQueue.concurrentPerform(iterations: blocks, execute: fill)
                } else {
                    for b in 0..<blocks { fill(b) }
                }
                predictiveCount = total
            }
            levelCount = total
        }
        return (DrawMatrix(dayCount: dayCount, drawCount: kept.count, values: levelValues),
                DrawMatrix(dayCount: dayCount, drawCount: kept.count, values: predictiveValues))
    }

    /// Where the blocks write: disjoint rows of the two matrices.
    struct BlockOutput: @unchecked Sendable {
        let level: UnsafeMutablePointer<Double>
        let predictive: UnsafeMutablePointer<Double>
    }

    /// The kept draws laid out for per-day work: coefficient `k` of every draw
    /// contiguous (`coefficients[k·count + j]`), so a day's level is four
    /// scaled rows added, not a gather per draw.
    struct KeptDraws: Sendable {
        let count: Int
        let coefficients: [Double]
        let sigmas: [Double]
        /// The noise model's shape parameters, draw by draw (ν for Student-t; empty without).
        let shapes: [Double]

        init(_ kept: [SplineParameters], basisCount k: Int) {
            count = kept.count
            var c = [Double](repeating: 0, count: k * kept.count)
            for (j, p) in kept.enumerated() { for i in 0..<k { c[i * kept.count + j] = p.coefficients[i] } }
            coefficients = c
            sigmas = kept.map(\.sigma)
            shapes = kept.first?.nu == nil ? [] : kept.map { $0.nu ?? .infinity }
        }
    }

    /// Level and predictive draws of the fit rows `days`, row by row, written
    /// to rows `days` of the output.
    static func drawBlock(model: SplineModel, draws: KeptDraws, days: Range<Int>, firstDay: Int,
                          rng initial: RandomStream, into output: BlockOutput) {
        var rng = initial
        let n = draws.count
        var normals = [Double](repeating: 0, count: n)
        let location = model.location, scale = model.scale
        draws.coefficients.withUnsafeBufferPointer { c in
            for d in days {
                let (m, w) = model.design.basis.evaluate(Double(firstDay + d))
                normals.withUnsafeMutableBufferPointer { rng.fillStandardNormals($0) }
                model.likelihood.standardizeNoise(&normals, shapes: draws.shapes, rng: &rng)
                let c0 = m * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n
                let level = output.level + d * n, predictive = output.predictive + d * n
                for j in 0..<n {
                    let mu = location + scale * (c[c0 + j] * w.0 + c[c1 + j] * w.1 + c[c2 + j] * w.2 + c[c3 + j] * w.3)
                    level[j] = mu
                    predictive[j] = mu + scale * draws.sigmas[j] * normals[j]
                }
            }
        }
    }
}
