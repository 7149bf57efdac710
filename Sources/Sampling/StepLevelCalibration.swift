import NumericCore
import RealModule
import SplineModels

/// Simulation-based calibration (Talts et al. 2018) of ``StepLevelModel``
/// with the production kernel ``StepLevelGibbs``: for each replicate, every
/// parameter drawn from the model's prior, a series simulated from them, the
/// chains run as ``StepLevelFitter`` runs them (smooth start, warm-up
/// discarded), and the rank of each true quantity among thinned posterior
/// draws recorded. With an exact sampler the ranks are uniform.
///
/// The working scale is fixed at (0, 1) so that the prior drawn from is the
/// model's own (a fit standardizes the data first). The noise blocks are
/// short (``Configuration/blockDays``) so that a short series has several,
/// with their pooling α learned; ν, α, τ and κ are ranked with ties broken at random
/// (they live on grids).
public enum StepLevelCalibration {
    public struct Configuration: Sendable {
        public var replicates: Int
        public var days: Int
        public var runsPerDay: Int
        public var blockDays: Int
        public var chains: Int
        public var warmup: Int
        public var draws: Int
        /// Posterior draws each truth is ranked among (L); ranks are 0 … L.
        public var rankedDraws: Int
        public var bins: Int
        public var seed: UInt64
        public var threads: Int
        /// The two-mode noise (``StepLevelPriors/twoModes``): each block's
        /// second mode drawn from its prior too, and the last block's offset
        /// and share ranked.
        public var twoModes: Bool
        /// The slope changes' slab c (nil: the model's,
        /// ``StepLevelPriors/slopeChangeSlab``).
        public var slopeChangeSlab: Double?
        /// The tail's increment scale factor (nil: the model's,
        /// ``StepLevelPriors/tailScaleFactor``).
        public var tailScaleFactor: Double?
        /// Each noise block's increment factor (nil: none,
        /// ``StepLevelPriors/blockIncrementFactors``).
        public var blockIncrementFactors: [Double]?
        /// Rejection draws of the prior (the slab's factor, the modes'
        /// separation) give up after this many attempts with an error,
        /// rather than loop for ever on a prior that leaves almost nothing
        /// to accept.
        public var maximumPriorAttempts: Int
        /// Start every chain at the replicate's truth (``state(of:kernel:rng:)``)
        /// instead of the production start. A diagnostic: the truth is an
        /// exact draw of the posterior given its data, so from there an
        /// invariant kernel that mixes within the run gives uniform ranks,
        /// whatever the production start would do. (One that mixes slowly
        /// gives too many ranks in both end bins — the draws stay on one
        /// side of where they began — so an excess in one end bin that
        /// persists from the truth is not the chains' start.)
        public var startAtTruth = false

        public init(replicates: Int = 100, days: Int = 30, runsPerDay: Int = 2, blockDays: Int = 10, chains: Int = 2,
                    warmup: Int = 200, draws: Int = 400, rankedDraws: Int = 49, bins: Int = 10, seed: UInt64 = 1,
                    threads: Int = 2, twoModes: Bool = false, slopeChangeSlab: Double? = nil,
                    maximumPriorAttempts: Int = 1_000_000) {
            self.twoModes = twoModes
            self.slopeChangeSlab = slopeChangeSlab
            self.maximumPriorAttempts = maximumPriorAttempts
            self.replicates = replicates
            self.days = days
            self.runsPerDay = runsPerDay
            self.blockDays = blockDays
            self.chains = chains
            self.warmup = warmup
            self.draws = draws
            self.rankedDraws = rankedDraws
            self.bins = bins
            self.seed = seed
            self.threads = threads
        }
    }

    /// The quantities ranked: the level on the last day, on the middle day
    /// and its change over the last week; the noise scale of the first and
    /// the last block; ρ, ν, α, the increments' global scale τ, the slope's
    /// scale κ and the slope on the last day.
    public static let quantityNames = ["level[D]", "level[middle]", "change[D-7..D]", "sigma[first]", "sigma[D]",
                                       "rho", "nu", "alpha", "tau", "kappa", "slope[D]"]
    /// With two modes, also the last block's offset δ and share π.
    public static func quantityNames(_ config: Configuration) -> [String] {
        quantityNames + (config.twoModes ? ["offset[D]", "share[D]"] : [])
    }

    public static func run(_ config: Configuration) async throws -> SimulationBasedCalibration.Result {
        let perReplicate = try await threadedMap(count: config.replicates, threads: config.threads) { r -> [Int] in
            try replicate(r, config: config)
        }
        return SimulationBasedCalibration.summary(quantities: quantityNames(config), replicateRanks: perReplicate,
                                                  rankedDraws: config.rankedDraws, bins: config.bins,
                                                  fitsWithDivergences: 0)
    }

    /// Every parameter and latent variable of one draw from the model's
    /// prior, and the series simulated from them (working scale (0, 1)).
    struct PriorDraw {
        var priors: StepLevelPriors
        var days: [Int]
        var values: [Double]
        var level: [Double], slope: [Double], lambdas: [Double], phis: [Double]
        var tau: Double, kappa: Double, nu: Double, alpha: Double, rho: Double
        var precision: [Double], offset: [Double], share: [Double]
        var weights: [Double], inSecondMode: [Bool]
        var blockOfDay: [Int]
    }

    /// A draw from the prior, in the model's order.
    static func priorDraw(config: Configuration, rng: inout RandomStream) throws -> PriorDraw {
        var priors = StepLevelPriors.standard
        priors.blockDays = config.blockDays
        priors.twoModes = config.twoModes
        if let slab = config.slopeChangeSlab { priors.slopeChangeSlab = slab }
        if let factor = config.tailScaleFactor { priors.tailScaleFactor = factor }
        if let factors = config.blockIncrementFactors { priors.blockIncrementFactors = factors }
        let maximumPriorAttempts = config.maximumPriorAttempts
        let n = config.days
        var days: [Int] = []
        for d in 0..<n { for _ in 0..<config.runsPerDay { days.append(d) } }

        // Prior draw, in the model's order.
        let tau = priors.globalScaleGrid.isEmpty
            ? priors.globalScale
            : priors.globalScaleGrid[StepLevelGibbs.categorical(logWeights: priors.globalScaleLogWeights, rng: &rng) ?? 0]
        // The slope's changes: horseshoe draws, the whole path kept with
        // probability ∏ exp(−ζ_t²/(2c²)) (the slab's factor; rejection of the
        // whole path, κ included, gives the joint prior the model has).
        var kappa = 0.0, changes = [Double](repeating: 0, count: n), phis = [Double](repeating: 1, count: n)
        var attempts = 0
        while true {
            attempts += 1
            guard attempts <= maximumPriorAttempts else {
                throw ModelError.invalidPrior("the slope's prior path was rejected \(maximumPriorAttempts) times: the slab is too narrow for κ's grid")
            }
            kappa = priors.slopeScaleGrid[StepLevelGibbs.categorical(logWeights: priors.slopeScaleLogWeights, rng: &rng) ?? 0]
            var logKeep = 0.0
            for t in 1..<n {
                phis[t] = abs(rng.studentT(df: 1))
                changes[t] = kappa * phis[t] * rng.standardNormal()
                logKeep -= changes[t] * changes[t] / (2 * priors.slopeChangeSlab * priors.slopeChangeSlab)
            }
            if Double.log(rng.uniform()) < logKeep { break }
        }
        var level = [Double](repeating: 0, count: n), slope = [Double](repeating: 0, count: n)
        level[0] = priors.initialLevelScale * rng.standardNormal()
        slope[0] = priors.initialSlopeScale * rng.standardNormal()
        var lambdas = [Double](repeating: 1, count: n)
        for t in 1..<n {
            slope[t] = slope[t - 1] + changes[t]
            let lambda = abs(rng.studentT(df: 1))
            lambdas[t] = lambda
            let factor = priors.incrementScaleFactor(day: t, dayCount: n)
            level[t] = level[t - 1] + slope[t] + tau * factor * lambda * rng.standardNormal()
        }
        let nuWeights = priors.nuGrid.map { gammaLogDensity($0, shape: priors.nuShape, rate: priors.nuRate) }
        let nu = priors.nuGrid[StepLevelGibbs.categorical(logWeights: nuWeights, rng: &rng) ?? 0]
        let blockCount = StepLevelModel.blockCount(dayCount: n, blockDays: priors.blockDays)
        // With two modes the prior of (α, ρ, σ_b, δ_b, π_b) is restricted to |δ_b| ≥ c σ_b in
        // every block: drawn jointly until a draw has it (rejection gives the restricted density).
        var alpha = 1.0, rho = 1.0, precision: [Double] = [], offset: [Double] = [], share: [Double] = []
        attempts = 0
        repeat {
            attempts += 1
            guard attempts <= maximumPriorAttempts else {
                throw ModelError.invalidPrior("no prior draw of the noise had separated modes in \(maximumPriorAttempts) attempts")
            }
            alpha = priors.poolingGrid[Int(rng.uniform() * Double(priors.poolingGrid.count)) % priors.poolingGrid.count]
            rho = Swift.max(1e-12, rng.gamma(shape: priors.typicalVarianceShape, rate: priors.typicalVarianceRate))
            precision = (0..<blockCount).map { _ in Swift.max(1e-300, rng.gamma(shape: alpha, rate: alpha * rho)) }
            guard config.twoModes else { break }
            offset = (0..<blockCount).map { _ in priors.modeOffsetScale * rng.standardNormal() }
            // Beta(a, a) folded onto (0, ½]: the symmetric Beta truncated there.
            share = (0..<blockCount).map { _ in
                let x = rng.beta(priors.modeShareShape, priors.modeShareShape)
                return Swift.max(1e-12, Swift.min(x, 1 - x))
            }
        } while !(0..<blockCount).allSatisfy({ b in
            !config.twoModes || precision[b] * offset[b] * offset[b] >= priors.modeSeparation * priors.modeSeparation
        })
        let blockOfDay = (0..<n).map { blockCount - 1 - (n - 1 - $0) / priors.blockDays }
        var weights: [Double] = [], inSecondMode: [Bool] = []
        let values = days.map { d -> Double in
            let w = Swift.max(1e-300, rng.gamma(shape: nu / 2, rate: nu / 2))
            let b = blockOfDay[d]
            let second = config.twoModes && rng.uniform() < share[b]
            weights.append(w)
            inSecondMode.append(second)
            return level[d] + (second ? offset[b] : 0) + rng.standardNormal() / (w * precision[b]).squareRoot()
        }
        return PriorDraw(priors: priors, days: days, values: values, level: level, slope: slope, lambdas: lambdas,
                         phis: phis, tau: tau, kappa: kappa, nu: nu, alpha: alpha, rho: rho, precision: precision,
                         offset: offset, share: share, weights: weights, inSecondMode: inSecondMode,
                         blockOfDay: blockOfDay)
    }

    /// One replicate: prior draw, simulated data, chains, ranks.
    static func replicate(_ r: Int, config: Configuration) throws -> [Int] {
        var rng = RandomStream(seed: config.seed, stream: UInt64(r))
        let draw = try priorDraw(config: config, rng: &rng)
        let model = try StepLevelModel(days: draw.days, values: draw.values, dayCount: config.days, priors: draw.priors,
                                       workingScale: (0, 1))
        let kernel = StepLevelGibbs(model: model)
        func quantities(_ s: StepLevelState) -> [Double] {
            Self.quantities(s, blockCount: model.blockCount, twoModes: config.twoModes)
        }
        let truth = Self.quantities(of: draw, twoModes: config.twoModes)
        var draws: [[Double]] = []
        for c in 0..<config.chains {
            var chainRNG = RandomStream(seed: config.seed &+ UInt64(r) &* 7919, stream: UInt64(c))
            let run = ChainRunner.run(kernel, adaptation: FixedParameters<StepLevelGibbs>(),
                                      from: config.startAtTruth ? Self.state(of: draw, kernel: kernel, rng: &chainRNG)
                                                                : kernel.initialState(nil),
                                      warmup: config.warmup, draws: config.draws,
                                      rng: &chainRNG) { quantities($0) }
            draws += run.draws
        }
        let l = config.rankedDraws
        let thinned = (0..<l).map { draws[$0 * draws.count / l] }
        // Ranks; ties (grid values) split at random so that the rank stays uniform.
        return truth.indices.map { q in
            let below = thinned.count { $0[q] < truth[q] }
            let tied = thinned.count { $0[q] == truth[q] }
            return below + Int(rng.uniform() * Double(tied + 1))
        }
    }

    /// The ranked quantities (``quantityNames(_:)``) of a prior draw: the truth a replicate ranks.
    static func quantities(of draw: PriorDraw, twoModes: Bool) -> [Double] {
        let n = draw.level.count, blocks = draw.precision.count, middle = n / 2, week = Swift.max(0, n - 8)
        return [draw.level[n - 1], draw.level[middle], draw.level[n - 1] - draw.level[week],
                1 / draw.precision[0].squareRoot(), 1 / draw.precision[blocks - 1].squareRoot(), draw.rho,
                draw.nu, draw.alpha, draw.tau, draw.kappa, draw.slope[n - 1]]
            + (twoModes ? [draw.offset[blocks - 1], draw.share[blocks - 1]] : [])
    }

    /// The ranked quantities (``quantityNames(_:)``) of a state.
    static func quantities(_ s: StepLevelState, blockCount: Int, twoModes: Bool) -> [Double] {
        let n = s.level.count, middle = n / 2, week = Swift.max(0, n - 8)
        return [s.level[n - 1], s.level[middle], s.level[n - 1] - s.level[week],
                s.blockSigma(0), s.blockSigma(blockCount - 1), s.typicalVariance, s.nu, s.pooling,
                s.globalScale2.squareRoot(), s.slopeScale2.squareRoot(), s.slope.last ?? 0]
            + (twoModes ? [s.modeOffset[blockCount - 1], s.modeShare[blockCount - 1]] : [])
    }

    /// The state of a prior draw: every parameter and latent variable as
    /// drawn, the horseshoes' auxiliaries from their conditionals, the
    /// kernel's scratch from its own start.
    static func state(of draw: PriorDraw, kernel: StepLevelGibbs, rng: inout RandomStream) -> StepLevelState {
        var state = kernel.initialState(nil)
        let priors = draw.priors
        state.level = draw.level
        state.slope = draw.slope
        state.localScale2 = draw.lambdas.map { $0 * $0 }
        state.localAux = draw.lambdas.map { (1 + 1 / ($0 * $0)) / rng.exponential() }
        state.slopeLocalScale2 = draw.phis.map { $0 * $0 }
        state.slopeLocalAux = draw.phis.map { (1 + 1 / ($0 * $0)) / rng.exponential() }
        state.globalScale2 = draw.tau * draw.tau
        state.globalScaleIndex = priors.globalScaleGrid.firstIndex(of: draw.tau)
        state.slopeScale2 = draw.kappa * draw.kappa
        state.slopeScaleIndex = priors.slopeScaleGrid.firstIndex(of: draw.kappa) ?? state.slopeScaleIndex
        state.blockPrecision = draw.precision
        state.typicalVariance = draw.rho
        state.pooling = draw.alpha
        state.weights = draw.weights
        state.nu = draw.nu
        if priors.twoModes {
            state.modeOffset = draw.offset
            state.modeShare = draw.share
            state.inSecondMode = draw.inSecondMode
        }
        state.latentValues = draw.values.indices.map {
            draw.values[$0] - (draw.inSecondMode[$0] ? draw.offset[draw.blockOfDay[draw.days[$0]]] : 0)
        }
        return state
    }

    /// Geweke's (2004, "Getting it right", JASA 99:799–804) test of the
    /// kernel itself, free of its start and of how fast it mixes: for each
    /// replicate, a prior draw of every parameter and latent variable and a
    /// series from them; then `steps` times, `sweepsPerStep` sweeps of the
    /// production kernel on the series, followed by a new series drawn from
    /// the state the sweeps reached (the same days; each run its level, its
    /// mode's offset and its noise from its weight and block's scale). The
    /// alternation is a Gibbs sampler of the joint distribution of
    /// parameters and data, which the prior draw starts in: if the kernel
    /// leaves the posterior invariant, the parameters after any number of
    /// steps are distributed as the prior. Returns, for each replicate, the
    /// quantities (``quantityNames(_:)``) after the last step.
    public static func geweke(_ config: Configuration, steps: Int, sweepsPerStep: Int) async throws -> [[Double]] {
        guard steps >= 1, sweepsPerStep >= 1 else {
            throw ModelError.invalidPrior("a successive-conditional test needs at least one step of at least one sweep")
        }
        return try await threadedMap(count: config.replicates, threads: config.threads) { r -> [Double] in
            var rng = RandomStream(seed: config.seed, stream: UInt64(r))
            let draw = try priorDraw(config: config, rng: &rng)
            let n = config.days
            var values = draw.values
            var model = try StepLevelModel(days: draw.days, values: values, dayCount: n, priors: draw.priors,
                                           workingScale: (0, 1))
            var kernel = StepLevelGibbs(model: model)
            var state = Self.state(of: draw, kernel: kernel, rng: &rng)
            for step in 0..<steps {
                for _ in 0..<sweepsPerStep { _ = kernel.step(&state, rng: &rng) }
                if step == steps - 1 { break }
                // A new series from the state: the runs' weights and modes are the state's.
                for i in values.indices {
                    let b = draw.blockOfDay[draw.days[i]]
                    let latent = state.level[draw.days[i]]
                        + rng.standardNormal() / (state.weights[i] * state.blockPrecision[b]).squareRoot()
                    values[i] = latent + (config.twoModes && state.inSecondMode[i] ? state.modeOffset[b] : 0)
                    state.latentValues[i] = latent
                }
                model = try StepLevelModel(days: draw.days, values: values, dayCount: n, priors: draw.priors,
                                           workingScale: (0, 1))
                kernel = StepLevelGibbs(model: model)
                var fresh = kernel.initialState(nil)
                Self.carry(state, into: &fresh)
                state = fresh
            }
            return quantities(state, blockCount: model.blockCount, twoModes: config.twoModes)
        }
    }

    /// Geweke's test, quantity by quantity: the distribution after the
    /// successive-conditional steps against the prior's.
    public struct GewekeResult: Sendable {
        public var quantities: [String]
        /// `chi-square` (a grid quantity: ν, α, τ, κ; bins with fewer than
        /// five expected draws merged into their neighbour) or `KS` (a
        /// continuous one: the two-sample Kolmogorov–Smirnov statistic).
        public var tests: [String]
        public var statistics: [Double]
        public var pValues: [Double]
        public var replicates: Int
        public var priorDraws: Int
    }

    /// Quantities that live on a grid (compared by a χ² test of their counts).
    static let gridQuantities: Set<String> = ["nu", "alpha", "tau", "kappa"]

    /// ``geweke(_:steps:sweepsPerStep:)``'s end points against an independent
    /// prior sample of `priorDraws` (another seed). The chained draws are
    /// independent across replicates, so each p-value is exact up to the
    /// prior sample's own noise (which a large `priorDraws` makes small).
    public static func gewekeTest(_ config: Configuration, steps: Int, sweepsPerStep: Int,
                                  priorDraws: Int) async throws -> GewekeResult {
        let chained = try await geweke(config, steps: steps, sweepsPerStep: sweepsPerStep)
        var priorConfig = config
        priorConfig.replicates = priorDraws
        priorConfig.seed = config.seed &+ 0x9e37_79b9
        let prior = try await priorSample(priorConfig)
        let names = quantityNames(config)
        var tests: [String] = [], statistics: [Double] = [], pValues: [Double] = []
        for (q, name) in names.enumerated() {
            let a = prior.map { $0[q] }, b = chained.map { $0[q] }
            if gridQuantities.contains(name) {
                let (x2, df) = chiSquareAgainst(sample: a, observed: b)
                tests.append("chi-square")
                statistics.append(x2)
                pValues.append(df > 0 ? chiSquareUpperTail(x2, degreesOfFreedom: Double(df)) : 1)
            } else {
                let (d, p) = twoSampleKS(a, b)
                tests.append("KS")
                statistics.append(d)
                pValues.append(p)
            }
        }
        return GewekeResult(quantities: names, tests: tests, statistics: statistics, pValues: pValues,
                            replicates: config.replicates, priorDraws: priorDraws)
    }

    /// The quantities of `config.replicates` prior draws.
    static func priorSample(_ config: Configuration) async throws -> [[Double]] {
        try await threadedMap(count: config.replicates, threads: config.threads) { r -> [Double] in
            var rng = RandomStream(seed: config.seed, stream: UInt64(r))
            return quantities(of: try priorDraw(config: config, rng: &rng), twoModes: config.twoModes)
        }
    }

    /// Pearson's χ² of `observed`'s counts over the values both samples
    /// take, against `sample`'s proportions; a value whose expected count is
    /// under 5 is pooled with the next (the last pool with the one before).
    public static func chiSquareAgainst(sample: [Double], observed: [Double]) -> (statistic: Double, degreesOfFreedom: Int) {
        let values = Array(Set(sample + observed)).sorted()
        let n = Double(observed.count), m = Double(sample.count)
        var pools: [(expected: Double, observed: Double)] = []
        var expected = 0.0, seen = 0.0
        for v in values {
            expected += Double(sample.count { $0 == v }) / m * n
            seen += Double(observed.count { $0 == v })
            if expected >= 5 {
                pools.append((expected, seen))
                expected = 0
                seen = 0
            }
        }
        if expected > 0 || seen > 0 {
            if pools.isEmpty { pools.append((expected, seen)) } else {
                pools[pools.count - 1].expected += expected
                pools[pools.count - 1].observed += seen
            }
        }
        var x2 = 0.0
        for pool in pools where pool.expected > 0 {
            x2 += (pool.observed - pool.expected) * (pool.observed - pool.expected) / pool.expected
        }
        return (x2, pools.count - 1)
    }

    /// The two-sample Kolmogorov–Smirnov statistic D and its asymptotic
    /// p-value, `Q(√(nm/(n+m))·D)` with `Q(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}`.
    public static func twoSampleKS(_ a: [Double], _ b: [Double]) -> (statistic: Double, pValue: Double) {
        let sa = a.sorted(), sb = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < sa.count && j < sb.count {
            let x = Swift.min(sa[i], sb[j])
            while i < sa.count && sa[i] == x { i += 1 }
            while j < sb.count && sb[j] == x { j += 1 }
            d = Swift.max(d, abs(Double(i) / Double(sa.count) - Double(j) / Double(sb.count)))
        }
        let effective = (Double(sa.count) * Double(sb.count) / Double(sa.count + sb.count)).squareRoot()
        let lambda = (effective + 0.12 + 0.11 / effective) * d
        guard lambda > 0.2 else { return (d, 1) }
        var q = 0.0, sign = 1.0
        for k in 1...100 {
            let term = Double.exp(-2 * Double(k * k) * lambda * lambda)
            q += sign * term
            sign = -sign
            if term < 1e-12 { break }
        }
        return (d, Swift.min(1, Swift.max(0, 2 * q)))
    }

    /// The posterior's variables of `state` copied into a state whose scratch
    /// belongs to another kernel (a new series on the same days).
    static func carry(_ state: StepLevelState, into fresh: inout StepLevelState) {
        fresh.level = state.level
        fresh.slope = state.slope
        fresh.localScale2 = state.localScale2
        fresh.localAux = state.localAux
        fresh.globalScale2 = state.globalScale2
        fresh.globalScaleIndex = state.globalScaleIndex
        fresh.slopeScale2 = state.slopeScale2
        fresh.slopeScaleIndex = state.slopeScaleIndex
        fresh.slopeLocalScale2 = state.slopeLocalScale2
        fresh.slopeLocalAux = state.slopeLocalAux
        fresh.blockPrecision = state.blockPrecision
        fresh.typicalVariance = state.typicalVariance
        fresh.pooling = state.pooling
        fresh.weights = state.weights
        fresh.nu = state.nu
        fresh.latentValues = state.latentValues
        fresh.modeOffset = state.modeOffset
        fresh.modeShare = state.modeShare
        fresh.inSecondMode = state.inSecondMode
    }
}
