import NumericCore
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
        /// Rejection draws of the prior (the slab's factor, the modes'
        /// separation) give up after this many attempts with an error,
        /// rather than loop for ever on a prior that leaves almost nothing
        /// to accept.
        public var maximumPriorAttempts: Int

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
        let perReplicate = try await parallelMap(count: config.replicates, threads: config.threads) { r -> [Int] in
            try replicate(r, config: config)
        }
        return SimulationBasedCalibration.summary(quantities: quantityNames(config), replicateRanks: perReplicate,
                                                  rankedDraws: config.rankedDraws, bins: config.bins,
                                                  fitsWithDivergences: 0)
    }

    /// One replicate: prior draw, simulated data, chains, ranks.
    static func replicate(_ r: Int, config: Configuration) throws -> [Int] {
        var rng = RandomStream(seed: config.seed, stream: UInt64(r))
        var priors = StepLevelPriors.standard
        priors.blockDays = config.blockDays
        priors.twoModes = config.twoModes
        if let slab = config.slopeChangeSlab { priors.slopeChangeSlab = slab }
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
        var kappa = 0.0, changes = [Double](repeating: 0, count: n)
        var attempts = 0
        while true {
            attempts += 1
            guard attempts <= maximumPriorAttempts else {
                throw ModelError.invalidPrior("the slope's prior path was rejected \(maximumPriorAttempts) times: the slab is too narrow for κ's grid")
            }
            kappa = priors.slopeScaleGrid[StepLevelGibbs.categorical(logWeights: priors.slopeScaleLogWeights, rng: &rng) ?? 0]
            var logKeep = 0.0
            for t in 1..<n {
                changes[t] = kappa * abs(rng.studentT(df: 1)) * rng.standardNormal()
                logKeep -= changes[t] * changes[t] / (2 * priors.slopeChangeSlab * priors.slopeChangeSlab)
            }
            if Double.log(rng.uniform()) < logKeep { break }
        }
        var level = [Double](repeating: 0, count: n), slope = [Double](repeating: 0, count: n)
        level[0] = priors.initialLevelScale * rng.standardNormal()
        slope[0] = priors.initialSlopeScale * rng.standardNormal()
        for t in 1..<n {
            slope[t] = slope[t - 1] + changes[t]
            let lambda = abs(rng.studentT(df: 1))
            level[t] = level[t - 1] + slope[t] + tau * lambda * rng.standardNormal()
        }
        let nuWeights = priors.nuGrid.map { gammaLogDensity($0, shape: priors.nuShape, rate: priors.nuRate) }
        let nu = priors.nuGrid[StepLevelGibbs.categorical(logWeights: nuWeights, rng: &rng) ?? 0]
        let blockCount = (n + priors.blockDays - 1) / priors.blockDays
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
        let values = days.map { d -> Double in
            let w = Swift.max(1e-300, rng.gamma(shape: nu / 2, rate: nu / 2))
            let b = blockOfDay[d]
            let mode = config.twoModes && rng.uniform() < share[b] ? offset[b] : 0
            return level[d] + mode + rng.standardNormal() / (w * precision[b]).squareRoot()
        }

        let model = try StepLevelModel(days: days, values: values, dayCount: n, priors: priors, workingScale: (0, 1))
        let kernel = StepLevelGibbs(model: model)
        let middle = n / 2, week = Swift.max(0, n - 8)
        func quantities(_ s: StepLevelState) -> [Double] {
            [s.level[n - 1], s.level[middle], s.level[n - 1] - s.level[week],
             s.blockSigma(0), s.blockSigma(model.blockCount - 1), s.typicalVariance, s.nu, s.pooling,
             s.globalScale2.squareRoot(), s.slopeScale2.squareRoot(), s.slope.last ?? 0]
                + (config.twoModes ? [s.modeOffset[model.blockCount - 1], s.modeShare[model.blockCount - 1]] : [])
        }
        let truth = [level[n - 1], level[middle], level[n - 1] - level[week],
                     1 / precision[0].squareRoot(), 1 / precision[blockCount - 1].squareRoot(), rho, nu, alpha, tau, kappa,
                     slope[n - 1]]
            + (config.twoModes ? [offset[blockCount - 1], share[blockCount - 1]] : [])
        var draws: [[Double]] = []
        for c in 0..<config.chains {
            var chainRNG = RandomStream(seed: config.seed &+ UInt64(r) &* 7919, stream: UInt64(c))
            let run = ChainRunner.run(kernel, adaptation: FixedParameters<StepLevelGibbs>(),
                                      from: kernel.initialState(nil), warmup: config.warmup, draws: config.draws,
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
}
