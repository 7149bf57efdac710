import NumericCore
import SplineModels
import RealModule

/// Simulation-based calibration of the spline model (Talts, Betancourt,
/// Simpson, Vehtari & Gelman 2018, "Validating Bayesian inference algorithms
/// with simulation-based calibration"): draw parameters from the prior,
/// simulate a data set, fit it, and record the rank of each true value among
/// `L` thinned posterior draws. If the sampler is right, every rank is uniform
/// on `0 … L`, whatever the model; a χ² test on binned ranks checks it.
///
/// The priors are made data-independent by fixing the working scale at
/// (0, 1), since SBC needs a fixed prior.
public enum SimulationBasedCalibration {
    public struct Configuration: Sendable {
        public var noise: NoiseModel
        public var sampler: SamplerKind
        public var replicates: Int
        /// Days in each simulated series and runs per day.
        public var days: Int
        public var runsPerDay: Int
        public var chains: Int
        public var warmup: Int
        public var draws: Int
        /// Posterior draws ranked against the truth (`L`): thinned evenly.
        public var rankedDraws: Int
        public var bins: Int
        public var seed: UInt64
        public var threads: Int
        /// Coordinates NUTS and Metropolis see: by default the fit service's
        /// (`.partial`, set by a Gibbs pilot), so the calibration is of what runs.
        public var parametrization: SplineModel.Parametrization

        public init(noise: NoiseModel, sampler: SamplerKind, replicates: Int = 100, days: Int = 48, runsPerDay: Int = 2,
                    chains: Int = 2, warmup: Int = 300, draws: Int = 400, rankedDraws: Int = 99, bins: Int = 10,
                    seed: UInt64 = 7, threads: Int = 1, parametrization: SplineModel.Parametrization = .partial) {
            self.noise = noise
            self.sampler = sampler
            self.replicates = replicates
            self.days = days
            self.runsPerDay = runsPerDay
            self.chains = chains
            self.warmup = warmup
            self.draws = draws
            self.rankedDraws = rankedDraws
            self.bins = bins
            self.seed = seed
            self.threads = threads
            self.parametrization = parametrization
        }
    }

    /// Ranks per quantity and the χ² uniformity test of their histograms.
    public struct Result: Sendable {
        public var quantities: [String]
        /// `ranks[q][replicate]` in `0 … L`.
        public var ranks: [[Int]]
        public var histograms: [[Int]]
        public var chiSquare: [Double]
        public var pValues: [Double]
        /// Fits with any divergent transition (NUTS).
        public var fitsWithDivergences: Int
    }

    /// The quantities ranked: the scales, the intercept and trend, the level at
    /// a quarter of the range, and ν for Student-t noise.
    public static func quantityNames(noise: NoiseModel) -> [String] {
        ["sigma", "tau", "alpha", "trend", "level_q1"] + noise.likelihood.shapeParameterNames
    }

    public static func run(_ config: Configuration) async throws -> Result {
        let names = quantityNames(noise: config.noise)
        let perReplicate = try await parallelMap(count: config.replicates, threads: config.threads) { r -> ([Int], Int) in
            try await replicate(r, config: config)
        }
        return summary(quantities: names, replicateRanks: perReplicate.map(\.0), rankedDraws: config.rankedDraws,
                       bins: config.bins, fitsWithDivergences: perReplicate.filter { $0.1 > 0 }.count)
    }

    /// The rank histograms (`bins` bins of the ranks 0 … `rankedDraws`) of
    /// each quantity over the replicates, and their χ² tests of uniformity.
    static func summary(quantities names: [String], replicateRanks: [[Int]], rankedDraws: Int, bins: Int,
                        fitsWithDivergences: Int) -> Result {
        var ranks = Array(repeating: [Int](), count: names.count)
        for replicate in replicateRanks { for q in names.indices { ranks[q].append(replicate[q]) } }
        var histograms: [[Int]] = []
        var chi: [Double] = []
        var p: [Double] = []
        for q in names.indices {
            var h = [Int](repeating: 0, count: bins)
            for r in ranks[q] { h[Swift.min(bins - 1, r * bins / (rankedDraws + 1))] += 1 }
            let expected = Double(replicateRanks.count) / Double(bins)
            let x2 = h.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
            histograms.append(h)
            chi.append(x2)
            p.append(chiSquareUpperTail(x2, degreesOfFreedom: Double(bins - 1)))
        }
        return Result(quantities: names, ranks: ranks, histograms: histograms, chiSquare: chi, pValues: p,
                      fitsWithDivergences: fitsWithDivergences)
    }

    /// One replicate: prior draw, simulated data, fit, ranks.
    static func replicate(_ r: Int, config: Configuration) async throws -> ([Int], Int) {
        var rng = RandomStream(seed: config.seed, stream: UInt64(r))
        var days: [Int] = []
        for d in 0..<config.days { for _ in 0..<config.runsPerDay { days.append(d) } }
        // A model only to get the design; its data are replaced below.
        let shapeModel = try SplineModel(days: days, values: days.map(Double.init), noise: config.noise,
                                         workingScale: (0, 1))
        let design = shapeModel.design
        let priors = shapeModel.priors
        let k = design.count

        // Prior draw.
        let sigma = abs(rng.studentT(df: priors.studentDF, scale: priors.sigmaScale))
        let tau = abs(rng.studentT(df: priors.studentDF, scale: priors.tauScale))
        let likelihood = config.noise.likelihood
        let shapes = likelihood.drawShapeParameters(priors: priors, rng: &rng)
        let alpha = rng.studentT(df: priors.studentDF, scale: priors.interceptScale)
        let trend = rng.studentT(df: priors.studentDF, scale: priors.trendScale)
        var v = (0..<k).map { j in j < k - 2 ? tau * rng.standardNormal() : 0 }
        // Choose the null-space coordinates so that a = alpha and s = trend.
        let partial = design.coefficients(reparametrized: v)
        let n1 = design.coefficients(reparametrized: unit(k, k - 2))
        let n2 = design.coefficients(reparametrized: unit(k, k - 1))
        let m11 = dot(design.levelRow, n1), m12 = dot(design.levelRow, n2)
        let m21 = dot(design.trendRow, n1), m22 = dot(design.trendRow, n2)
        let r1 = alpha - dot(design.levelRow, partial), r2 = trend - dot(design.trendRow, partial)
        let det = m11 * m22 - m12 * m21
        v[k - 2] = (r1 * m22 - m12 * r2) / det
        v[k - 1] = (m11 * r2 - m21 * r1) / det
        let truth = SplineParameters(coefficients: design.coefficients(reparametrized: v), sigma: sigma, tau: tau,
                                     nu: shapes.first)
        let quarter = design.basis.lower + 0.25 * (design.basis.upper - design.basis.lower)
        let values = days.map { d -> Double in
            let mu = design.basis.value(Double(d), coefficients: truth.coefficients)
            return mu + sigma * likelihood.drawStandardizedNoise(shapes: shapes, rng: &rng)
        }

        // As the fit service runs it: the production coordinates (a Gibbs pilot
        // on its own stream) and, for NUTS, the Gibbs pilot start and metric.
        let settings = SamplerSettings(sampler: config.sampler, chains: config.chains, warmup: config.warmup,
                                       draws: config.draws, seed: config.seed &+ UInt64(r) &* 7919, threads: 1)
        let specified = try SplineModel(days: days, values: values, noise: config.noise,
                                        parametrization: config.parametrization, workingScale: (0, 1))
        let model = try ChainRunner.productionModel(specified, settings: settings)
        let chains = try await ChainRunner.splineChains(model: model, settings: settings)
        let divergences = chains.reduce(0) { $0 + $1.info.count(where: \.divergent) }
        let draws = chains.flatMap { $0.parameters ?? $0.positions.map { model.parameters($0) } }
        // Thin to L draws.
        let l = config.rankedDraws
        let thinned = (0..<l).map { draws[$0 * draws.count / l] }

        func quantities(_ p: SplineParameters) -> [Double] {
            var q = [p.sigma, p.tau, dot(design.levelRow, p.coefficients), dot(design.trendRow, p.coefficients),
                     design.basis.value(quarter, coefficients: p.coefficients)]
            if let nu = p.nu { q.append(nu) }
            return q
        }
        let trueQ = quantities(truth)
        let drawQ = thinned.map(quantities)
        let ranks = trueQ.indices.map { q in drawQ.filter { $0[q] < trueQ[q] }.count }
        return (ranks, divergences)
    }

    static func unit(_ k: Int, _ i: Int) -> [Double] {
        var e = [Double](repeating: 0, count: k)
        e[i] = 1
        return e
    }
}
