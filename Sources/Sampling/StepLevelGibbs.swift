import NumericCore
import SplineModels
import RealModule

/// The state of a ``StepLevelGibbs`` chain: every parameter of
/// ``StepLevelModel`` and the auxiliary variables that make each conditional
/// conjugate (Makalic & Schmidt 2016, "A simple sampler for the horseshoe
/// estimator": a half-Cauchy scale `c ~ C⁺(0, A)` is `c² | a ~ IG(½, 1/a)`,
/// `a ~ IG(½, 1/A²)`).
public struct StepLevelState: Sendable {
    /// μ_t, working scale, t = 0 … T−1.
    public var level: [Double]
    /// λ_t² and their auxiliaries (index 0 unused: increments start at t = 1).
    public var localScale2: [Double]
    public var localAux: [Double]
    public var globalScale2: Double
    /// Index of τ in ``StepLevelPriors/globalScaleGrid`` (nil: an empty grid, τ fixed at τ₀).
    public var globalScaleIndex: Int?
    /// β_t, the level's daily slope, and κ², the global scale of its daily
    /// changes ζ_t = β_t − β_{t−1}, with κ's index in ``StepLevelPriors/slopeScaleGrid``.
    public var slope: [Double]
    public var slopeScale2: Double
    public var slopeScaleIndex: Int
    /// φ_t², the local scales of the slope's changes (ζ_t ~ Normal(0, κ²φ_t²),
    /// φ_t ~ C⁺(0, 1): a horseshoe, so that a drift that starts on one day is
    /// one large ζ_t), and their auxiliaries (index 0 unused).
    public var slopeLocalScale2: [Double] = []
    public var slopeLocalAux: [Double] = []
    /// 1/σ_b², the noise precision of each block.
    public var blockPrecision: [Double]
    /// ρ, the typical noise variance, and α, the blocks' pooling.
    public var typicalVariance: Double
    public var pooling: Double
    /// Student-t mixing weights wᵢ, one per point.
    public var weights: [Double]
    public var nu: Double
    /// The values the level sees: each point's unrounded value inside its
    /// rounding interval (the data when the model has no resolution), less
    /// its mode's offset when it sits in the second mode.
    public var latentValues: [Double]
    /// The second mode (``StepLevelPriors/twoModes``; empty without it): each
    /// block's offset δ_b and share π_b, and whether each point is in it (zᵢ).
    public var modeOffset: [Double] = []
    public var modeShare: [Double] = []
    public var inSecondMode: [Bool] = []
    /// Scratch space (not part of the posterior), reused by every sweep so
    /// that a sweep allocates nothing.
    /// Each day's `Σ πᵢ` and `Σ πᵢỹᵢ` (the data's terms of the level's precision and mean).
    var dayPrecision: [Double] = []
    var dayMean: [Double] = []
    var nearby: [Double] = []
    /// `rᵢ²/σ²_{b(i)}` of every point, for ``StepLevelGibbs/moveNuAndScales(_:rng:)``,
    /// which needs it for each ν of the grid.
    var scaledSquares: [Double] = []
    /// `log(1 + rᵢ²/(νσᵢ²))` of the points of the last ``StepLevelGibbs/shiftWindow``
    /// days, for the current level and for a proposed shift.
    var tailLog: [Double] = []
    var tailLogProposed: [Double] = []
    var blockSums: [Double] = []
    var blockCounts: [Double] = []
    /// Each block's factor in ``StepLevelGibbs/rescaleWeights(_:rng:)``.
    var blockFactors: [Double] = []
    /// Sweeps done, for the steps that run every few sweeps.
    var sweeps = 0
    /// The level-and-slope draw's band matrices (the current state's and a
    /// proposal's), right-hand sides and each day's data terms.
    var band: [Double] = []
    var bandProposed: [Double] = []
    var solve: [Double] = []
    var solveProposed: [Double] = []
    var logLocalScale2: [Double] = []
    var logSlopeLocalScale2: [Double] = []
    /// Per block, the second mode's sums (``StepLevelGibbs/drawModeOffsetsAndShares(_:rng:)``).
    var modeSums: [Double] = []

    /// σ_b of block b.
    public func blockSigma(_ b: Int) -> Double { 1 / blockPrecision[b].squareRoot() }

}

/// What one sweep reports: a failed factorization of the level's precision
/// (the sweep then keeps the previous level, and the diagnostics flag the fit).
public struct StepLevelStepInfo: Sendable {
    public var levelFactorizationFailed: Bool
}

/// An exact Gibbs sweep for ``StepLevelModel``: each block drawn from its full
/// conditional (or moved by a Metropolis–Hastings step that keeps the
/// posterior), so the posterior is invariant whatever the order. With
/// `πᵢ = wᵢ/σ²_{b(i)}` the precision of point i given its weight:
///
/// 1. (μ, β) | ·: Gaussian, its precision banded with the days' level and
///    slope interleaved (half-bandwidth 3), drawn in O(T) by a band
///    Cholesky (``NarrowBandCholesky``, ``drawLevelAndSlope(_:rng:)``); before it, τ and κ each to
///    a neighbour on its grid with (μ, β) integrated out, by Metropolis;
/// 1b. τ to a neighbour on its grid with the local scales rescaled to keep
///    every increment's variance, by Metropolis (``moveGlobalScale(_:rng:)``);
///    1c. κ the same way with the slope changes' local scales (``moveSlopeScale(_:rng:)``);
/// 2. λ_t² ~ IG(1, 1/a_t + η_t²/(2τ²)), a_t ~ IG(1, 1 + 1/λ_t²)
///    (shape 1: an exponential draw), η_t = μ_t − μ_{t−1} − β_t (the
///    "increments" below); likewise φ_t² ~ IG(1, 1/b_t + ζ_t²/(2κ²)),
///    b_t ~ IG(1, 1 + 1/φ_t²), ζ_t = β_t − β_{t−1};
/// 2b. adjacent days' increments swapped by Metropolis (``swapIncrements(_:forward:rng:)``):
///    a step inside a gap in the data moves across the gap;
/// 3b. for each of the last ``shiftWindow`` days t, a Metropolis–Hastings move
///    that shifts the level from t on by δ (changing the increment ω_t alone),
///    with the weights and λ_t integrated out — `ω_t | a_t ~ Cauchy(0, τ√(2/a_t))`
///    and Student-t likelihoods — then λ_t drawn afresh given ω_t (a
///    partially collapsed Gibbs step, van Dyk & Park 2008). δ is proposed
///    towards the median of the next days' data or back to the day before's
///    level, half the time each: between "the last runs are a new level" and
///    "the last runs are outliers" the plain sweep cannot cross (the
///    outliers' tiny weights and a small λ_t hold each other in place);
/// 3c. blocks of interior days shifted the same way (``shiftBlock(from:through:_:tailBase:rng:)``),
///    between "a short excursion of the level" and "a few outlying runs":
///    random blocks every other sweep, and every sweep the stretches where
///    the data stand apart from the days around them (``StepLevelModel/excursions``);
/// 3d. (two modes) each block's modes swapped, π_b integrated out (``relabelModes(_:rng:)``);
/// 3e. (two modes) stretches of days — every sweep the tail from each of
///    the last ``shiftWindow`` days, every other sweep random interior
///    stretches — moved by ±δ_b with their runs' modes flipped (``shiftModes(from:through:_:rng:)``);
/// 4. ν and the noise scales moved together along the curve that keeps the
///    noise's quartiles, the weights integrated out (``moveNuAndScales(_:rng:)``);
/// 5a. (two modes) each run's mode, its weight integrated out (``drawModeLabels(_:rng:)``);
/// 5. wᵢ ~ Gamma((ν+1)/2, (ν + rᵢ²/σ²_{b(i)})/2) — after steps 3b–5a, which
///    integrate the weights out, the weights are drawn afresh;
/// 5b. (two modes) δ_b from its Normal conditional outside ±cσ_b, π_b from
///    its Beta conditional on (0, ½] (``drawModeOffsetsAndShares(_:rng:)``);
/// 6. α on its grid with the precisions integrated out, then
///    1/σ_b² ~ Gamma(α + n_b/2, αρ + Σ_{i∈b} wᵢrᵢ²/2) (with two modes
///    truncated to σ_b ≤ |δ_b|/c, and α's weights with that truncation's mass),
///    ρ ~ Gamma(½ + Bα, ½ + αΣ_b 1/σ_b²); steps 4, 6a and 6b refuse a state
///    that breaks the separation;
/// 6a. all noise scales and ρ rescaled together (``rescaleNoise(_:rng:)``);
/// 6b. each block's weights and precision rescaled together (parameter
///    expansion, ``rescaleWeights(_:rng:)``);
/// 7. with a resolution q: each unrounded value from Normal(μ, σ²_{b(i)}/wᵢ)
///    truncated to its rounding interval `[yᵢ − q/2, yᵢ + q/2]` (by rejection
///    from the uniform when the interval is narrow, else by inversion).
public struct StepLevelGibbs: TransitionKernel, Sendable {
    public let model: StepLevelModel
    /// log prior weight of each ν of the grid.
    let nuLogPrior: [Double]
    /// log prior weight of each τ of the grid: half-Cauchy(0, τ₀) density × τ (an even grid in log τ).
    let globalScaleLogPrior: [Double]
    /// The same for κ, the slope's scale.
    let slopeScaleLogPrior: [Double]
    /// Upper quartile of the standard t_ν for each ν of the grid.
    let nuQuartile: [Double]
    /// `log Γ(α + n_b/2)` for each α of the pooling grid (rows) and block b
    /// with n_b points (columns): the pooling's conditional needs them every
    /// sweep, and they never change (the blocks' points are the data's).
    let poolingLogGamma: [[Double]]
    /// Each day's factor f_t² of its increment's variance τ²f_t²λ_t²
    /// (``StepLevelPriors/tailScaleFactor`` squared on the tail's days, else 1), and its log.
    let incrementFactor2: [Double]
    let logIncrementFactor2: [Double]
    /// The ziggurat's tables, kept so that a draw does not check the statics' initialization.
    let normalTable = ZigguratTable.normal
    let exponentialTable = ZigguratTable.exponential

    public init(model: StepLevelModel) {
        self.model = model
        let p = model.priors
        incrementFactor2 = (0..<model.dayCount).map { t in
            let factor = p.incrementScaleFactor(day: t, dayCount: model.dayCount)
            return factor * factor
        }
        logIncrementFactor2 = incrementFactor2.map { Double.log($0) }
        var counts = [Double](repeating: 0, count: model.blockCount)
        for b in model.blockOfPoint { counts[b] += 1 }
        poolingLogGamma = p.poolingGrid.map { a in counts.map { logGamma(a + $0 / 2) } }
        nuLogPrior = p.nuGrid.map { gammaLogDensity($0, shape: p.nuShape, rate: p.nuRate) }
        globalScaleLogPrior = p.globalScaleLogWeights
        slopeScaleLogPrior = p.slopeScaleLogWeights
        nuQuartile = p.nuGrid.map { nu in
            // Upper quartile of t_ν: P(T > x) = ½·I_{ν/(ν+x²)}(ν/2, ½) = ¼.
            let z = inverseRegularizedIncompleteBeta(0.5, a: nu / 2, b: 0.5)
            return (nu * (1 - z) / z).squareRoot()
        }
    }

    /// A start near the data: each day's level the median of its points,
    /// carried over days without points; the noise at its prior centre
    /// (every block's σ one MAD, the pooling in the middle of its grid),
    /// weights 1. With `steps: true` each increment's local scale is large
    /// enough for the step between those medians (a new level in the data
    /// starts as a step); with `false` (the kernel protocol's start) every
    /// local scale starts at 1, a smooth level.
    public func initialState(_ position: [Double]?) -> StepLevelState {
        initialState(position, steps: false)
    }

    public func initialState(_ position: [Double]? = nil, steps: Bool) -> StepLevelState {
        let m = model
        var level = [Double](repeating: 0, count: m.dayCount)
        var last = median(m.values)
        for t in 0..<m.dayCount {
            let points = m.order[m.dayStart[t]..<m.dayStart[t + 1]].map { m.values[$0] }
            if !points.isEmpty { last = median(points) }
            level[t] = last
        }
        if let position, position.count == m.dayCount { level = position }
        let p = m.priors
        var local = [Double](repeating: 1, count: m.dayCount)
        for t in 1..<Swift.max(1, m.dayCount) {
            let omega = (level[t] - level[t - 1]) / p.globalScale
            local[t] = steps ? Self.clamped(Swift.max(1, omega * omega)) : 1
        }
        // τ and κ start on their grids' values nearest τ₀ and κ₀ (τ₀ itself when τ is fixed).
        let tauIndex = p.globalScaleGrid.isEmpty ? nil : Self.nearestIndex(p.globalScaleGrid, p.globalScale)
        let tau = tauIndex.map { p.globalScaleGrid[$0] } ?? p.globalScale
        let kappaIndex = Self.nearestIndex(p.slopeScaleGrid, p.slopeScale)
        var state = StepLevelState(level: level,
                              localScale2: local,
                              localAux: [Double](repeating: 1, count: m.dayCount),
                              globalScale2: tau * tau,
                              globalScaleIndex: tauIndex,
                              slope: [Double](repeating: 0, count: m.dayCount),
                              slopeScale2: p.slopeScaleGrid[kappaIndex] * p.slopeScaleGrid[kappaIndex],
                              slopeScaleIndex: kappaIndex,
                              blockPrecision: [Double](repeating: 1, count: m.blockCount),
                              typicalVariance: 1,
                              pooling: p.poolingGrid[p.poolingGrid.count / 2],
                              weights: [Double](repeating: 1, count: m.pointCount),
                              nu: p.nuGrid[p.nuGrid.count / 2],
                              latentValues: m.values)
        state.slopeLocalScale2 = [Double](repeating: 1, count: m.dayCount)
        state.slopeLocalAux = [Double](repeating: 1, count: m.dayCount)
        if p.twoModes { startModes(&state) }
        return state
    }

    /// The second mode's start: in each block, the residuals from the
    /// starting level split in two where the split leaves the least
    /// within-group sum of squares. The larger group is the level's (which
    /// moves to its mean), the other's mean offset is δ_b and its share
    /// π_b ≤ ½, and σ_b the groups' pooled spread — when δ_b is at least the
    /// separation's c of those; a block whose groups are closer starts with
    /// one mode at the block's spread, its second mode empty and far.
    /// (Started with one wide mode, a block whose runs sit on two values —
    /// quantized to a coarse grid — was split by some chains only, late.)
    /// Ascending `values` split in two where the split leaves the least
    /// within-group sum of squares (one-dimensional 2-means, exact): the
    /// first group's size, both means, and that sum.
    public static func twoGroups(_ values: [Double]) -> (split: Int, lowMean: Double, highMean: Double, withinSquares: Double) {
        let n = values.count
        guard n >= 2 else { return (n, values.first ?? 0, values.first ?? 0, 0) }
        var prefix = [Double](repeating: 0, count: n + 1), prefix2 = prefix
        for (k, x) in values.enumerated() {
            prefix[k + 1] = prefix[k] + x
            prefix2[k + 1] = prefix2[k] + x * x
        }
        func within(_ lo: Int, _ hi: Int) -> Double {
            let k = Double(hi - lo), sum = prefix[hi] - prefix[lo]
            return Swift.max(0, prefix2[hi] - prefix2[lo] - sum * sum / k)
        }
        var split = 1, best = Double.infinity
        for k in 1..<n {
            let ss = within(0, k) + within(k, n)
            if ss < best { best = ss; split = k }
        }
        return (split, prefix[split] / Double(split), (prefix[n] - prefix[split]) / Double(n - split), best)
    }

    func startModes(_ state: inout StepLevelState) {
        let m = model
        // A steadier start than the days' medians, which jump between the modes from day to
        // day when a day has few runs: the median of the runs within three days.
        var window: [Double] = []
        var last = median(m.values)
        for t in 0..<m.dayCount {
            window.removeAll(keepingCapacity: true)
            for k in m.dayStart[Swift.max(0, t - 3)]..<m.dayStart[Swift.min(m.dayCount, t + 4)] { window.append(m.values[m.order[k]]) }
            if !window.isEmpty { last = median(window) }
            state.level[t] = last
        }
        var residuals = [[(r: Double, i: Int)]](repeating: [], count: m.blockCount)
        for i in 0..<m.pointCount { residuals[m.blockOfPoint[i]].append((m.values[i] - state.level[m.days[i]], i)) }
        // (A block without two runs starts with its second mode empty, at 2c of its starting σ = 1.)
        state.modeOffset = [Double](repeating: 2 * m.priors.modeSeparation, count: m.blockCount)
        state.modeShare = [Double](repeating: 0.01, count: m.blockCount)
        state.inSecondMode = [Bool](repeating: false, count: m.pointCount)
        for b in 0..<m.blockCount {
            let sorted = residuals[b].sorted { $0.r < $1.r }
            let n = sorted.count
            guard n >= 2 else { continue }
            let (split, lowMean, highMean, best) = Self.twoGroups(sorted.map(\.r))
            let total = sorted.reduce(0) { $0 + $1.r }, totalSquares = sorted.reduce(0) { $0 + $1.r * $1.r }
            let wholeSquares = Swift.max(0, totalSquares - total * total / Double(n))
            let upperIsSecond = 2 * split == n ? abs(lowMean) <= abs(highMean) : 2 * split > n
            let members = upperIsSecond ? sorted[split...] : sorted[..<split]
            let offset = upperIsSecond ? highMean - lowMean : lowMean - highMean
            // Spreads at least half the rounding step and a thousandth of the working scale.
            let spread = Swift.max((best / Double(n)).squareRoot(), m.resolution / 2, 1e-3)
            guard abs(offset) >= m.priors.modeSeparation * spread else {
                let whole = Swift.max((wholeSquares / Double(n)).squareRoot(), m.resolution / 2, 1e-3)
                state.blockPrecision[b] = 1 / (whole * whole)
                state.modeOffset[b] = 2 * m.priors.modeSeparation * whole
                state.modeShare[b] = 0.01
                continue
            }
            state.blockPrecision[b] = 1 / (spread * spread)
            state.modeOffset[b] = offset
            // The level moves to the majority's centre, the second mode's runs sit δ_b above it.
            let centre = upperIsSecond ? lowMean : highMean
            state.modeShare[b] = Double(members.count) / Double(n)
            for x in members {
                state.inSecondMode[x.i] = true
                state.latentValues[x.i] -= state.modeOffset[b]
            }
            for t in 0..<m.dayCount where m.blockOfDay[t] == b { state.level[t] += centre }
        }
    }

    public func step(_ state: inout StepLevelState, rng: inout RandomStream) -> StepLevelStepInfo {
        let failed = !drawLevelAndSlope(&state, rng: &rng)
        moveGlobalScale(&state, rng: &rng)
        moveSlopeScale(&state, rng: &rng)
        drawIncrementScales(&state, rng: &rng)
        swapIncrements(&state, forward: state.sweeps % 2 == 0, rng: &rng)
        shiftTail(&state, rng: &rng)
        if state.sweeps % 2 == 1 { shiftInteriorBlocks(&state, rng: &rng) }
        for e in model.excursions where e.first >= 1 && e.last < model.dayCount - 1 {
            shiftBlock(from: e.first, through: e.last, &state, rng: &rng)
        }
        if !state.modeOffset.isEmpty {
            relabelModes(&state, rng: &rng)
            shiftModes(&state, rng: &rng)
        }
        moveNuAndScales(&state, rng: &rng)
        state.sweeps += 1
        if !state.modeOffset.isEmpty { drawModeLabels(&state, rng: &rng) }
        drawWeights(&state, rng: &rng)
        if !state.modeOffset.isEmpty { drawModeOffsetsAndShares(&state, rng: &rng) }
        drawNoiseScales(&state, rng: &rng)
        rescaleNoise(&state, rng: &rng)
        rescaleWeights(&state, rng: &rng)
        if model.resolution > 0 { drawLatentValues(&state, rng: &rng) }
        return StepLevelStepInfo(levelFactorizationFailed: failed)
    }

    /// Step 1: (μ, β) drawn jointly, a Gaussian whose precision
    /// is banded (half-bandwidth 3) with the days' level and slope
    /// interleaved (`x_{2t} = μ_t`, `x_{2t+1} = β_t`), by a band Cholesky
    /// (``NarrowBandCholesky``). Before it, τ and then κ move to a neighbour on their grids
    /// by Metropolis with (μ, β) integrated out —
    /// accepted with the ratio of `p(τ, κ) p(ỹ | τ, κ, λ, w, σ)`, the
    /// Gaussian marginal likelihood — so that (μ, β) are drawn given the new
    /// value: given the path, neither scale would move, its hundreds of
    /// increments pin it. The factorization of the state kept is the one
    /// the draw uses. Returns false (level and slope unchanged) when the
    /// precision cannot be factored.
    func drawLevelAndSlope(_ state: inout StepLevelState, rng: inout RandomStream) -> Bool {
        let m = model
        let n = m.dayCount
        let p = m.priors
        let size = 2 * n, kd = 3, rows = kd + 1
        if state.band.count != rows * size {
            state.band = [Double](repeating: 0, count: rows * size)
            state.bandProposed = state.band
            state.solve = [Double](repeating: 0, count: size)
            state.solveProposed = state.solve
            state.dayPrecision = [Double](repeating: 0, count: n)
            state.dayMean = [Double](repeating: 0, count: n)
        }
        // Each day's Σ πᵢ and Σ πᵢỹᵢ.
        do {
            let weights = state.weights, latent = state.latentValues, precisions = state.blockPrecision
            state.dayPrecision.withUnsafeMutableBufferPointer { h in
                state.dayMean.withUnsafeMutableBufferPointer { b in
                    for t in 0..<n {
                        var ht = 0.0, bt = 0.0
                        let precision = precisions[m.blockOfDay[t]]
                        for k in m.dayStart[t]..<m.dayStart[t + 1] {
                            let i = m.order[k]
                            let w = weights[i] * precision
                            ht += w
                            bt += w * latent[i]
                        }
                        h[t] = ht
                        b[t] = bt
                    }
                }
            }
        }
        let tauGrid = p.globalScaleGrid, kappaGrid = p.slopeScaleGrid
        var tauIndex = state.globalScaleIndex, kappaIndex = state.slopeScaleIndex
        let fixedTau2 = state.globalScale2
        func tau2Of(_ k: Int?) -> Double { k.map { tauGrid[$0] * tauGrid[$0] } ?? fixedTau2 }
        let localScale2 = state.localScale2, h = state.dayPrecision, b = state.dayMean
        // log λ_t², once for the factorizations of every (τ, κ) tried: an
        // increment's log precision is −log τ² − log λ_t² unless floored.
        // (the same for the slope changes' local scales).
        func fillLogs(_ logs: inout [Double], _ scales: [Double]) {
            if logs.count != n { logs = [Double](repeating: 0, count: n) }
            logs.withUnsafeMutableBufferPointer { logs in
                for t in 1..<n { logs[t] = Double.log(scales[t]) }
            }
        }
        let slopeLocalScale2 = state.slopeLocalScale2
        fillLogs(&state.logLocalScale2, localScale2)
        fillLogs(&state.logSlopeLocalScale2, slopeLocalScale2)
        let logLocalScale2 = state.logLocalScale2, logSlopeLocalScale2 = state.logSlopeLocalScale2
        let slab = 1 / (p.slopeChangeSlab * p.slopeChangeSlab)
        let factor2 = incrementFactor2, logFactor2 = logIncrementFactor2
        let initialLevel = 1 / (p.initialLevelScale * p.initialLevelScale)
        let initialSlope = 1 / (p.initialSlopeScale * p.initialSlopeScale)
        // Assembles and factors the precision for (τ², κ²) into `band`, and
        // `solve` = U⁻ᵀb; returns ½ log|Q_prior| − ½ log|Q| + ½‖U⁻ᵀb‖² (up to
        // terms that depend on neither scale), nil when Q does not factor.
        func factor(_ tau2: Double, _ kappa2: Double, _ band: inout [Double], _ solve: inout [Double]) -> Double? {
            var logDetPrior = 0.0
            let logTau2 = Double.log(tau2), logKappa2 = Double.log(kappa2), logFloor = Double.log(p.minimumIncrementVariance)
            // A horseshoe term's precision, 1/variance floored at the minimum,
            // its normalizer counted in log|Q_prior|.
            func precision(_ variance: Double, log logVariance: Double) -> Double {
                guard variance >= p.minimumIncrementVariance else {
                    logDetPrior -= logFloor
                    return 1 / p.minimumIncrementVariance
                }
                logDetPrior -= logVariance
                return 1 / variance
            }
            let ok = band.withUnsafeMutableBufferPointer { a -> Bool in
                for j in 0..<a.count { a[j] = 0 }
                // Element (i, j), i ≤ j ≤ i + kd, of the upper band.
                func add(_ i: Int, _ j: Int, _ v: Double) { a[kd + i - j + j * rows] += v }
                for t in 0..<n { add(2 * t, 2 * t, h[t]) }
                add(0, 0, initialLevel)
                add(1, 1, initialSlope)
                for t in 1..<n {
                    // η_t = μ_t − μ_{t−1} − β_t with precision q; ζ_t = β_t − β_{t−1} with precision r.
                    let q = precision(tau2 * factor2[t] * localScale2[t], log: logTau2 + logFactor2[t] + logLocalScale2[t])
                    // ζ_t's precision: the horseshoe's 1/(κ²φ_t²) plus the slab's 1/c²
                    // (whose factor has no normalizer: ``StepLevelPriors/slopeChangeSlab``).
                    let r = precision(kappa2 * slopeLocalScale2[t], log: logKappa2 + logSlopeLocalScale2[t]) + slab
                    let mu = 2 * t, muBefore = 2 * t - 2, beta = 2 * t + 1, betaBefore = 2 * t - 1
                    add(mu, mu, q)
                    add(muBefore, muBefore, q)
                    add(beta, beta, q + r)
                    add(betaBefore, betaBefore, r)
                    add(muBefore, mu, -q)
                    add(mu, beta, -q)
                    add(muBefore, beta, q)
                    add(betaBefore, beta, -r)
                }
                return NarrowBandCholesky.factor(a, order: size, bandwidth: kd)
            }
            guard ok else { return nil }
            var quadratic = 0.0
            band.withUnsafeBufferPointer { u in
                solve.withUnsafeMutableBufferPointer { z in
                    for t in 0..<n {
                        z[2 * t] = b[t]
                        z[2 * t + 1] = 0
                    }
                    NarrowBandCholesky.solveTriangular(u, order: size, bandwidth: kd, z, transposed: true)
                    for v in z { quadratic += v * v }
                }
            }
            let logDetPosterior = band.withUnsafeBufferPointer {
                NarrowBandCholesky.logDeterminant($0, order: size, bandwidth: kd)
            }
            guard logDetPosterior.isFinite, quadratic.isFinite else { return nil }
            return 0.5 * (logDetPrior - logDetPosterior + quadratic)
        }
        guard let logCurrent = factor(tau2Of(tauIndex), kappaGrid[kappaIndex] * kappaGrid[kappaIndex],
                                      &state.band, &state.solve) else { return false }
        // τ, then κ: a neighbour on its grid, one or two steps either side
        // with equal probability (none past an end); each accepted state's
        // factorization becomes the current one.
        var logCurrentState = logCurrent
        for movesTau in [true, false] {
            if movesTau && (tauIndex == nil || tauGrid.count < 2) { continue }
            let current = movesTau ? tauIndex! : kappaIndex
            let count = movesTau ? tauGrid.count : kappaGrid.count
            let u = rng.uniform()
            let proposed = current + (u < 0.25 ? -2 : u < 0.5 ? -1 : u < 0.75 ? 1 : 2)
            guard proposed >= 0, proposed < count else { continue }
            let tau2 = movesTau ? tauGrid[proposed] * tauGrid[proposed] : tau2Of(tauIndex)
            let kappa2 = movesTau ? kappaGrid[kappaIndex] * kappaGrid[kappaIndex] : kappaGrid[proposed] * kappaGrid[proposed]
            guard let logProposed = factor(tau2, kappa2, &state.bandProposed, &state.solveProposed) else { continue }
            let logPrior = movesTau ? globalScaleLogPrior[proposed] - globalScaleLogPrior[current]
                                    : slopeScaleLogPrior[proposed] - slopeScaleLogPrior[current]
            let logRatio = logPrior + logProposed - logCurrentState
            guard logRatio.isFinite, logRatio >= 0 || Double.log(rng.uniform()) < logRatio else { continue }
            if movesTau { tauIndex = proposed } else { kappaIndex = proposed }
            logCurrentState = logProposed
            swap(&state.band, &state.bandProposed)
            swap(&state.solve, &state.solveProposed)
        }
        // x = U⁻¹(U⁻ᵀb + ε): mean Q⁻¹b, covariance Q⁻¹.
        state.solve.withUnsafeMutableBufferPointer { z in
            for j in 0..<size { z[j] += rng.zigguratNormal(normalTable) }
            state.band.withUnsafeBufferPointer { u in
                NarrowBandCholesky.solveTriangular(u, order: size, bandwidth: kd, z, transposed: false)
            }
        }
        guard state.solve.allSatisfy(\.isFinite) else { return false }
        let x = state.solve
        state.level.withUnsafeMutableBufferPointer { level in
            state.slope.withUnsafeMutableBufferPointer { slope in
                for t in 0..<n {
                    level[t] = x[2 * t]
                    slope[t] = x[2 * t + 1]
                }
            }
        }
        state.globalScaleIndex = tauIndex
        if let k = tauIndex { state.globalScale2 = tauGrid[k] * tauGrid[k] }
        state.slopeScaleIndex = kappaIndex
        state.slopeScale2 = kappaGrid[kappaIndex] * kappaGrid[kappaIndex]
        return true
    }

    /// Step 1b: τ to a neighbour on its grid (either side with probability
    /// ½; none past an end) with every local scale rescaled so that each
    /// increment's variance τ²λ_t² is kept: `λ_t' = λ_t τ/τ'`. The level and
    /// the data's likelihood are untouched; the move is accepted with the
    /// ratio of the priors — τ's grid weights and the half-Cauchy density of
    /// each λ_t (the auxiliaries integrated out) — times the map's Jacobian
    /// `(τ/τ')^{T−1}`; the auxiliaries are then drawn afresh given the λ_t.
    /// This is the direction Gibbs draws crawl along: given the λ_t, τ hardly
    /// moves (a few hundred local scales pin it), and given τ, neither do they.
    func moveGlobalScale(_ state: inout StepLevelState, rng: inout RandomStream) {
        let grid = model.priors.globalScaleGrid
        guard let current = state.globalScaleIndex,
              let proposed = rescalingMove(grid: grid, logPrior: globalScaleLogPrior, current: current,
                                           localScale2: &state.localScale2, localAux: &state.localAux, rng: &rng)
        else { return }
        state.globalScaleIndex = proposed
        state.globalScale2 = grid[proposed] * grid[proposed]
    }

    /// Step 1c: κ moved the same way, with the slope changes' local scales φ_t
    /// rescaled to keep each ζ_t's variance κ²φ_t².
    func moveSlopeScale(_ state: inout StepLevelState, rng: inout RandomStream) {
        let grid = model.priors.slopeScaleGrid
        guard let proposed = rescalingMove(grid: grid, logPrior: slopeScaleLogPrior, current: state.slopeScaleIndex,
                                           localScale2: &state.slopeLocalScale2, localAux: &state.slopeLocalAux,
                                           rng: &rng)
        else { return }
        state.slopeScaleIndex = proposed
        state.slopeScale2 = grid[proposed] * grid[proposed]
    }

    /// A horseshoe's global scale moved to a neighbour on its grid with the
    /// local scales rescaled (``moveGlobalScale(_:rng:)``); returns the new
    /// index when the move is accepted (the local scales and their
    /// auxiliaries then updated), nil otherwise.
    func rescalingMove(grid: [Double], logPrior: [Double], current: Int, localScale2: inout [Double],
                       localAux: inout [Double], rng: inout RandomStream) -> Int? {
        let n = model.dayCount
        guard grid.count > 1, n > 1 else { return nil }
        let proposed = rng.uniform() < 0.5 ? current - 1 : current + 1
        guard proposed >= 0, proposed < grid.count else { return nil }
        let ratio = grid[current] / grid[proposed], ratio2 = ratio * ratio
        // Σ_t log((1 + λ_t²) / (1 + λ_t² r²)), r = τ/τ'.
        var sum = 0.0
        localScale2.withUnsafeBufferPointer { localScale2 in
            for t in 1..<n {
                let l2 = localScale2[t]
                sum += Double.log((1 + l2) / (1 + l2 * ratio2))
            }
        }
        let logRatio = logPrior[proposed] - logPrior[current] + sum + Double(n - 1) * Double.log(ratio)
        guard logRatio.isFinite, logRatio >= 0 || Double.log(rng.uniform()) < logRatio else { return nil }
        localScale2.withUnsafeMutableBufferPointer { localScale2 in
            localAux.withUnsafeMutableBufferPointer { localAux in
                for t in 1..<n {
                    localScale2[t] = Self.clamped(localScale2[t] * ratio2)
                    // a_t | λ_t ~ IG(1, 1 + 1/λ_t²).
                    localAux[t] = Self.clamped((1 + 1 / localScale2[t]) / rng.zigguratExponential(exponentialTable))
                }
            }
        }
        return proposed
    }

    static func nearestIndex(_ grid: [Double], _ value: Double) -> Int {
        grid.indices.min { abs(Double.log(grid[$0] / value)) < abs(Double.log(grid[$1] / value)) } ?? 0
    }

    /// Step 2: the local scales of the increments given τ, and of the slope's changes given κ.
    func drawIncrementScales(_ state: inout StepLevelState, rng: inout RandomStream) {
        let level = state.level, slope = state.slope
        let factor2 = incrementFactor2
        drawLocalScales(&state.localScale2, &state.localAux, global2: state.globalScale2, factor2: factor2, rng: &rng) { t in
            level[t] - level[t - 1] - slope[t]
        }
        drawLocalScales(&state.slopeLocalScale2, &state.slopeLocalAux, global2: state.slopeScale2, factor2: nil, rng: &rng) { t in
            slope[t] - slope[t - 1]
        }
    }

    /// A horseshoe's local scales given its global scale g and the values x_t
    /// (`increment(t)`, t ≥ 1): `λ_t² ~ IG(1, 1/a_t + x_t²/(2g²))`, then
    /// `a_t ~ IG(1, 1 + 1/λ_t²)`; `IG(1, c)` is `c / Exp(1)`.
    func drawLocalScales(_ localScale2: inout [Double], _ localAux: inout [Double], global2: Double, factor2: [Double]?,
                         rng: inout RandomStream, increment: (Int) -> Double) {
        let n = model.dayCount
        localScale2.withUnsafeMutableBufferPointer { localScale2 in
            localAux.withUnsafeMutableBufferPointer { localAux in
                for t in 1..<Swift.max(1, n) {
                    let x = increment(t)
                    let g2 = factor2.map { global2 * $0[t] } ?? global2
                    let scale2 = (1 / localAux[t] + x * x / (2 * g2)) / rng.zigguratExponential(exponentialTable)
                    localScale2[t] = Self.clamped(scale2)
                    localAux[t] = Self.clamped((1 + 1 / localScale2[t]) / rng.zigguratExponential(exponentialTable))
                }
            }
        }
    }

    /// Step 2b: a Metropolis pass that swaps adjacent days' increments with
    /// their local scales, `(ω_t, λ_t², a_t) ↔ (ω_{t+1}, λ_{t+1}², a_{t+1})`, for
    /// t = 1 … T−2 in turn (forwards on even sweeps, backwards on odd ones).
    /// The prior of those triples is the same on every day, so the swap keeps
    /// it; the level changes on day t alone (`μ_t' = μ_{t−1} + ω_{t+1}`; from
    /// t+1 on the sum of the two increments is unchanged), and the move is
    /// accepted with the likelihood ratio of day t's points (given their
    /// weights). On a day without runs it is always accepted: a step inside a
    /// gap in the data moves freely across the gap, where the plain sweep
    /// holds it on the day it started (the tridiagonal draw keeps the local
    /// scales' pattern), and chains that started it on different days would
    /// never agree. A pass in one direction carries a step across a whole gap.
    func swapIncrements(_ state: inout StepLevelState, forward: Bool, rng: inout RandomStream) {
        let m = model
        let n = m.dayCount
        guard n >= 3 else { return }
        let weights = state.weights, latent = state.latentValues, precisions = state.blockPrecision
        let slope = state.slope, factor2 = incrementFactor2
        state.level.withUnsafeMutableBufferPointer { level in
            state.localScale2.withUnsafeMutableBufferPointer { localScale2 in
                state.localAux.withUnsafeMutableBufferPointer { localAux in
                    func swap(_ t: Int) {
                        // Days whose increments have different priors (either side of the tail's start) keep theirs.
                        guard factor2[t] == factor2[t + 1] else { return }
                        let precision = precisions[m.blockOfDay[t]]
                        // μ_t' = μ_{t−1} + β_t + η_{t+1}, with η_s = μ_s − μ_{s−1} − β_s.
                        let proposed = level[t - 1] + slope[t] + (level[t + 1] - level[t] - slope[t + 1])
                        var logRatio = 0.0
                        for k in m.dayStart[t]..<m.dayStart[t + 1] {
                            let i = m.order[k]
                            let old = latent[i] - level[t]
                            let new = latent[i] - proposed
                            logRatio -= 0.5 * weights[i] * precision * (new * new - old * old)
                        }
                        guard logRatio >= 0 || Double.log(rng.uniform()) < logRatio else { return }
                        level[t] = proposed
                        (localScale2[t], localScale2[t + 1]) = (localScale2[t + 1], localScale2[t])
                        (localAux[t], localAux[t + 1]) = (localAux[t + 1], localAux[t])
                    }
                    if forward {
                        for t in 1..<(n - 1) { swap(t) }
                    } else {
                        for t in stride(from: n - 2, through: 1, by: -1) { swap(t) }
                    }
                }
            }
        }
    }

    /// Keeps a variance inside the doubles' comfortable range: a horseshoe
    /// scale may underflow towards 0 or overflow, and either would make the
    /// next conditional's parameters 0 or infinite.
    @inlinable
    static func clamped(_ variance: Double) -> Double {
        Swift.min(1e150, Swift.max(1e-150, variance.isFinite ? variance : 1e150))
    }

    /// Step 5. Gamma((ν+1)/2, rate) by Marsaglia & Tsang (2000), its
    /// constants once for all the weights (they share their shape) and its
    /// normals from the ziggurat: the weights' draw is the sweep's most frequent.
    func drawWeights(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let nu = state.nu
        let shape = (nu + 1) / 2
        let (d, c) = RandomStream.marsagliaTsangConstants(shape: shape)
        // Shapes below 1 (ν < 1, not on the grid) and invalid rates (NaN) go to ``RandomStream/gamma(shape:rate:)``.
        let shapeValid = shape >= 1 && shape.isFinite
        let latent = state.latentValues, level = state.level, precisions = state.blockPrecision
        state.weights.withUnsafeMutableBufferPointer { weights in
            for i in 0..<m.pointCount {
                let r = latent[i] - level[m.days[i]]
                let rate = Swift.max((nu + r * r * precisions[m.blockOfPoint[i]]) / 2, 1e-300)
                let draw: Double
                if shapeValid && rate > 0 && rate.isFinite {
                    draw = rng.marsagliaTsang(d: d, c: c, rate: rate) { $0.zigguratNormal(normalTable) }
                } else {
                    draw = rng.gamma(shape: shape, rate: rate)
                }
                weights[i] = Swift.max(1e-300, draw)
            }
        }
    }

    /// Step 6: the blocks' precisions, ρ and α.
    func drawNoiseScales(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let p = m.priors
        let blocks = m.blockCount
        if state.blockSums.count != blocks {
            state.blockSums = [Double](repeating: 0, count: blocks)
            state.blockCounts = [Double](repeating: 0, count: blocks)
        }
        for b in 0..<blocks {
            state.blockSums[b] = 0
            state.blockCounts[b] = 0
        }
        for i in 0..<m.pointCount {
            let r = state.latentValues[i] - state.level[m.days[i]]
            let b = m.blockOfPoint[i]
            state.blockSums[b] += state.weights[i] * r * r
            state.blockCounts[b] += 1
        }
        // α | ρ, weights, residuals with the precisions integrated out (so α
        // and the precisions are drawn jointly: given the precisions α would
        // hardly move, and they hardly move given α):
        // ∏_b (αρ)^α Γ(α + n_b/2) / (Γ(α) (αρ + S_b)^{α + n_b/2}), uniform prior.
        let grid = p.poolingGrid
        let rho = state.typicalVariance
        if grid.count > 1 {
            let logp = grid.indices.map { k -> Double in
                let a = grid[k]
                // The terms that depend on α alone, and log Γ(α + n_b/2), computed once.
                let logPrior = a * Double.log(a * rho), logGammaA = logGamma(a)
                var sum = 0.0
                for b in 0..<blocks {
                    let shape = a + state.blockCounts[b] / 2, rate = a * rho + state.blockSums[b] / 2
                    sum += logPrior + poolingLogGamma[k][b] - logGammaA - shape * Double.log(rate)
                    // With two modes, the precision's integral runs from its separation bound.
                    let lower = minimumPrecision(b, state)
                    if lower > 0 { sum += Double.log(regularizedUpperGamma(shape, rate * lower)) }
                }
                return sum
            }
            if let k = Self.categorical(logWeights: logp, rng: &rng) { state.pooling = grid[k] }
        }
        let alpha = state.pooling
        var precisionSum = 0.0
        for b in 0..<blocks {
            let shape = alpha + state.blockCounts[b] / 2, rate = alpha * rho + state.blockSums[b] / 2
            let lower = minimumPrecision(b, state)
            let draw = lower > 0 ? rng.truncatedGamma(shape: shape, rate: rate, lower: lower)
                                 : rng.gamma(shape: shape, rate: rate)
            if let draw, draw.isFinite, draw > 0, separated(b, Self.clamped(draw), state) {
                state.blockPrecision[b] = Self.clamped(draw)
            }
            precisionSum += state.blockPrecision[b]
        }
        let rhoDraw = rng.gamma(shape: p.typicalVarianceShape + Double(blocks) * alpha,
                                rate: p.typicalVarianceRate + alpha * precisionSum)
        if rhoDraw.isFinite, rhoDraw > 0 { state.typicalVariance = Self.clamped(rhoDraw) }
    }

    /// Step 6a: every block's noise scale multiplied by the same factor (and
    /// ρ with them, the blocks' prior kept): `1/σ_b² → u/σ_b²`, `ρ → ρ/u`. When
    /// the blocks are pooled strongly (α large) each precision is held by ρ
    /// and ρ by the precisions, and Gibbs draws of the two crawl; this moves
    /// the whole noise scale at once, as a single σ's draw would. Its
    /// conditional under du/u — the likelihood `u^{n/2} e^{−uS}` with
    /// `S = Σ wᵢrᵢ²/(2σ²_{b(i)})`, the precisions' prior (`u^{−1}` each), ρ's
    /// Gamma(a₀, b₀) prior and the Jacobian `u^{B−1}` — is
    /// `u^{n/2 − a₀ − 1} e^{−uS − b₀ρ/u}`: a Gamma(n/2 − a₀, S) proposal
    /// for its first factors, accepted with the last (independence
    /// Metropolis, accepted nearly always).
    func rescaleNoise(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let p = m.priors
        let shape = Double(m.pointCount) / 2 - p.typicalVarianceShape
        guard shape > 0 else { return }
        var sum = 0.0
        for i in 0..<m.pointCount {
            let r = state.latentValues[i] - state.level[m.days[i]]
            sum += state.weights[i] * state.blockPrecision[m.blockOfPoint[i]] * r * r
        }
        guard sum > 0, sum.isFinite else { return }
        let u = rng.gamma(shape: shape, rate: sum / 2)
        guard u.isFinite, u > 0 else { return }
        let c = p.typicalVarianceRate * state.typicalVariance
        let logAccept = -c / u + c
        guard logAccept >= 0 || Double.log(rng.uniform()) < logAccept else { return }
        guard (0..<m.blockCount).allSatisfy({ separated($0, Self.clamped(state.blockPrecision[$0] * u), state) }) else { return }
        for b in 0..<m.blockCount { state.blockPrecision[b] = Self.clamped(state.blockPrecision[b] * u) }
        state.typicalVariance = Self.clamped(state.typicalVariance / u)
    }

    /// Whether block b's second mode stays separated (|δ_b| ≥ c σ_b) at
    /// `precision`: always without a second mode. The moves of the noise
    /// scales refuse a state that breaks it (the target is 0 there).
    @inline(__always)
    func separated(_ b: Int, _ precision: Double, _ state: StepLevelState) -> Bool {
        guard !state.modeOffset.isEmpty else { return true }
        let c = model.priors.modeSeparation
        return precision * state.modeOffset[b] * state.modeOffset[b] >= c * c
    }

    /// The smallest precision that keeps block b's second mode separated (0 without one).
    func minimumPrecision(_ b: Int, _ state: StepLevelState) -> Double {
        guard !state.modeOffset.isEmpty else { return 0 }
        let c = model.priors.modeSeparation, delta = state.modeOffset[b]
        return c * c / (delta * delta)
    }


    /// Step 6b, parameter expansion block by block (Liu & Wu 1999,
    /// "Parameter expansion for data augmentation"; Meng & van Dyk 1999): in
    /// block b, `wᵢ → g·wᵢ` and `1/σ_b² → (1/σ_b²)/g`, which leaves every
    /// likelihood term `Normal(rᵢ; 0, σ_b²/wᵢ)` unchanged. Under heavy tails
    /// a block's noise scale and its points' weights hold each other in
    /// place (small weights ask for a small σ and the other way round), and
    /// σ's chains crawl, the more so the fewer points a block has; this moves
    /// them together. The conditional of g under the group's Haar measure
    /// dg/g — the weights' Gamma(ν/2, ν/2) prior, the precision's Gamma(α, αρ)
    /// prior and the Jacobian `g^{n_b − 1}` — is
    /// `g^{n_bν/2 − α − 1} e^{−g·νΣwᵢ/2 − αρ/(σ_b² g)}`: a Gamma(n_bν/2 − α, νΣwᵢ/2)
    /// proposal for its first factors, accepted with the last (independence
    /// Metropolis). Blocks whose shape would not be positive (few points under
    /// strong pooling, where ρ holds σ_b anyway) are left alone.
    func rescaleWeights(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let blocks = m.blockCount
        for b in 0..<blocks { state.blockSums[b] = 0 }
        for i in 0..<m.pointCount { state.blockSums[m.blockOfPoint[i]] += state.weights[i] }
        let nu = state.nu, alpha = state.pooling, rho = state.typicalVariance
        if state.blockFactors.count != blocks { state.blockFactors = [Double](repeating: 1, count: blocks) }
        for b in 0..<blocks { state.blockFactors[b] = 1 }
        for b in 0..<blocks {
            let shape = state.blockCounts[b] * nu / 2 - alpha
            let rate = nu * state.blockSums[b] / 2
            guard shape > 0, rate > 0, rate.isFinite else { continue }
            let g = rng.gamma(shape: shape, rate: rate)
            guard g.isFinite, g > 0 else { continue }
            let c = alpha * rho * state.blockPrecision[b]
            let logAccept = -c / g + c
            guard logAccept >= 0 || Double.log(rng.uniform()) < logAccept else { continue }
            guard separated(b, Self.clamped(state.blockPrecision[b] / g), state) else { continue }
            state.blockFactors[b] = g
            state.blockPrecision[b] = Self.clamped(state.blockPrecision[b] / g)
        }
        let factor = state.blockFactors
        state.weights.withUnsafeMutableBufferPointer { weights in
            for i in 0..<m.pointCount { weights[i] = Swift.max(1e-300, weights[i] * factor[m.blockOfPoint[i]]) }
        }
    }

    /// Days at the end of the range that get the shift move: the last three
    /// weeks, which hold D and its comparison days D−7 and D−14.
    public static let shiftWindow = 21

    /// Step 3b (see the type's documentation): the level from day t to the
    /// end shifted by δ.
    func shiftLevel(from t: Int, _ state: inout StepLevelState, rng: inout RandomStream) {
        shiftBlock(from: t, through: model.dayCount - 1, &state, rng: &rng)
    }

    /// Step 3b for each of the last ``shiftWindow`` days in turn. ν and σ
    /// stay fixed meanwhile, so each point's likelihood term is computed once
    /// for the current level and once per proposal (kept when accepted), not
    /// twice per proposal.
    func shiftTail(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let n = m.dayCount
        let firstDay = Swift.max(1, n - Self.shiftWindow)
        guard firstDay < n else { return }
        let base = m.dayStart[firstDay], count = m.dayStart[n] - base
        if state.tailLog.count != count {
            state.tailLog = [Double](repeating: 0, count: count)
            state.tailLogProposed = [Double](repeating: 0, count: count)
        }
        let inverseNu = 1 / state.nu
        // (The copies of the arrays read end with this scope: alive while the level is shifted they
        // would make each accepted shift copy the level.)
        do {
            let latent = state.latentValues, level = state.level, precisions = state.blockPrecision
            state.tailLog.withUnsafeMutableBufferPointer { tailLog in
                for k in 0..<count {
                    let i = m.order[base + k]
                    let r = latent[i] - level[m.days[i]]
                    tailLog[k] = Double.log(1 + r * r * precisions[m.blockOfPoint[i]] * inverseNu)
                }
            }
        }
        for t in firstDay..<n { shiftBlock(from: t, through: n - 1, &state, tailBase: base, rng: &rng) }
    }

    /// Step 3c: the level on the days `t … b` shifted by δ, which changes the
    /// increments ω_t and ω_{b+1} (ω_t alone when b is the last day), with the
    /// weights and those increments' local scales integrated out (Cauchy
    /// priors given their auxiliaries, Student-t likelihoods), then the local
    /// scales drawn afresh. δ is proposed towards the median of the block's
    /// data (the first three days of it, for a block that runs to the end) or
    /// back to the day before's level, half the time each. In the interior it
    /// moves a short excursion of the data (two or three days of an infra
    /// problem) between "the level went there" and "those runs are outliers",
    /// two explanations the plain sweep cannot cross between.
    func shiftBlock(from t: Int, through b: Int, _ state: inout StepLevelState, tailBase: Int? = nil,
                    rng: inout RandomStream) {
        let m = model
        let n = m.dayCount
        guard t >= 1, b >= t, b < n else { return }
        let open = b == n - 1
        // The data that set where the level would move to.
        let lastDay = open ? Swift.min(n - 1, t + 2) : b
        let first = m.dayStart[t], last = m.dayStart[lastDay + 1]
        guard last > first else { return }
        let count = last - first
        let middle: Double
        if open {
            // The median: one spike among the last runs must not set the target.
            state.nearby.removeAll(keepingCapacity: true)
            for k in first..<last { state.nearby.append(state.latentValues[m.order[k]]) }
            state.nearby.sort()
            middle = count % 2 == 1 ? state.nearby[count / 2] : 0.5 * (state.nearby[count / 2 - 1] + state.nearby[count / 2])
        } else {
            // The mean: an interior block is proposed many times a sweep, and
            // an excursion's runs sit together.
            var sum = 0.0
            for k in first..<last { sum += state.latentValues[m.order[k]] }
            middle = sum / Double(count)
        }
        let nu = state.nu
        let spread = 1 / (state.blockPrecision[m.blockOfDay[t]] * Double(count)).squareRoot()
        let towardsData = middle - state.level[t]
        let back = state.level[t - 1] + state.slope[t] - state.level[t]
        let delta = (rng.uniform() < 0.5 ? towardsData : back) + spread * rng.zigguratNormal(normalTable)
        // Mixture proposal and its reverse (the centres move by −δ with the level).
        func mixture(_ x: Double, _ a: Double, _ b: Double) -> Double {
            let za = (x - a) / spread, zb = (x - b) / spread
            return 0.5 * Double.exp(-0.5 * za * za) + 0.5 * Double.exp(-0.5 * zb * zb)
        }
        let forward = mixture(delta, towardsData, back)
        let reverse = mixture(-delta, towardsData - delta, back - delta)
        guard forward > 0, reverse > 0 else {
            drawLocalScale(t, &state, rng: &rng)
            if !open { drawLocalScale(b + 1, &state, rng: &rng) }
            return
        }
        // Target: Student-t likelihood of the block's points, Cauchy priors of the increments.
        var logRatio = Double.log(reverse) - Double.log(forward)
        let inverseNu = 1 / nu
        let from = m.dayStart[t], to = m.dayStart[b + 1]
        // (Scoped: see ``shiftTail(_:rng:)``.)
        do {
            let latent = state.latentValues, level = state.level, precisions = state.blockPrecision
            if let base = tailBase, open {
                // The current terms are cached (``shiftTail(_:rng:)``); only the proposal's are computed.
                var change = 0.0
                let current = state.tailLog
                state.tailLogProposed.withUnsafeMutableBufferPointer { tailLogProposed in
                    for k in from..<to {
                        let i = m.order[k]
                        let shifted = latent[i] - level[m.days[i]] - delta
                        let proposed = Double.log(1 + shifted * shifted * precisions[m.blockOfPoint[i]] * inverseNu)
                        tailLogProposed[k - base] = proposed
                        change += proposed - current[k - base]
                    }
                }
                logRatio -= (nu + 1) / 2 * change
            } else {
                for k in from..<to {
                    let i = m.order[k]
                    let r = latent[i] - level[m.days[i]]
                    let shifted = r - delta
                    let c = precisions[m.blockOfPoint[i]] * inverseNu
                    logRatio -= (nu + 1) / 2 * (Double.log(1 + shifted * shifted * c) - Double.log(1 + r * r * c))
                }
            }
        }
        logRatio += incrementLogRatio(t, delta, state)
        if !open { logRatio += incrementLogRatio(b + 1, -delta, state) }
        if logRatio >= 0 || Double.log(rng.uniform()) < logRatio {
            state.level.withUnsafeMutableBufferPointer { level in
                for s in t...b { level[s] += delta }
            }
            if let base = tailBase, open {
                let proposed = state.tailLogProposed
                state.tailLog.withUnsafeMutableBufferPointer { tailLog in
                    for k in from..<to { tailLog[k - base] = proposed[k - base] }
                }
            }
        }
        drawLocalScale(t, &state, rng: &rng)
        if !open { drawLocalScale(b + 1, &state, rng: &rng) }
    }

    /// log of the ratio of increment t's prior density — λ_t integrated out
    /// given its auxiliary, a Cauchy — after and before the increment changes
    /// by `change`.
    func incrementLogRatio(_ t: Int, _ change: Double, _ state: StepLevelState) -> Double {
        let scale2 = state.globalScale2 * incrementFactor2[t] * 2 / state.localAux[t]
        let omega = state.level[t] - state.level[t - 1] - state.slope[t]
        let omegaNew = omega + change
        return Double.log(1 + omega * omega / scale2) - Double.log(1 + omegaNew * omegaNew / scale2)
    }

    /// Step 3d (two modes): each block's modes swapped — the level over the
    /// block moved by δ_b into the second mode, δ_b → −δ_b, every point's
    /// mode flipped — with π_b drawn afresh from its conditional given the
    /// flipped modes (so the move's ratio is that of the states with π_b
    /// integrated out). No run's likelihood changes, nor δ's symmetric
    /// prior; the increments at the block's ends change (and the first day's
    /// prior, for the first block; λ integrated out, then drawn afresh as in
    /// ``shiftBlock(from:through:_:tailBase:rng:)``), and the modes' prior
    /// with π_b ≤ ½ integrated out, `B(a+n₁, a+n₀) I_½(a+n₁, a+n₀)`, which
    /// swapped is `B(a+n₁, a+n₀) (1 − I_½(a+n₁, a+n₀))`. When the two modes
    /// hold about as many runs each, which is the minority is uncertain and
    /// the posterior has both labellings; the Gibbs steps alone could not
    /// move a whole block's labels at once.
    func relabelModes(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let n = m.dayCount
        let s0 = m.priors.initialLevelScale
        var first = 0
        while first < n {
            let b = m.blockOfDay[first]
            var last = first
            while last + 1 < n && m.blockOfDay[last + 1] == b { last += 1 }
            defer { first = last + 1 }
            let delta = state.modeOffset[b]
            guard delta != 0, delta.isFinite else { continue }
            var second = 0.0, all = 0.0
            for k in m.dayStart[first]..<m.dayStart[last + 1] {
                all += 1
                if state.inSecondMode[m.order[k]] { second += 1 }
            }
            let a = m.priors.modeShareShape
            let kept = regularizedIncompleteBeta(0.5, a: a + second, b: a + all - second)
            guard kept > 0, kept < 1 else { continue }
            var logRatio = Double.log(onePlus: -kept) - Double.log(kept)
            if first >= 1 { logRatio += incrementLogRatio(first, delta, state) } else {
                let mu = state.level[0]
                logRatio -= ((mu + delta) * (mu + delta) - mu * mu) / (2 * s0 * s0)
            }
            if last + 1 < n { logRatio += incrementLogRatio(last + 1, -delta, state) }
            if logRatio >= 0 || Double.log(rng.uniform()) < logRatio {
                state.level.withUnsafeMutableBufferPointer { level in
                    for t in first...last { level[t] += delta }
                }
                state.modeOffset[b] = -delta
                for k in m.dayStart[first]..<m.dayStart[last + 1] {
                    let i = m.order[k]
                    state.inSecondMode[i].toggle()
                    state.latentValues[i] += delta
                }
                state.modeShare[b] = drawShare(inSecond: all - second, all: all, rng: &rng) ?? state.modeShare[b]
            }
            if first >= 1 { drawLocalScale(first, &state, rng: &rng) }
            if last + 1 < n { drawLocalScale(last + 1, &state, rng: &rng) }
        }
    }

    /// Step 3e (two modes): the level on the days `t … e` (all in one block b)
    /// moved by +δ_b or −δ_b (half the time each) with the runs of those days
    /// flipped between modes where the move lets them keep their residual:
    /// moved up by δ, a run of the second mode is now at the level (mode
    /// 1 → 0); moved down, a run at the level is now in the second mode
    /// (0 → 1). Runs already in the mode the move leaves them in keep their
    /// mode, their residual moving by δ. Accepted with the Student-t
    /// likelihood of the moved residuals (weights integrated out), the
    /// modes' prior `π^{n₁} (1−π)^{n₀}` and the Cauchy priors of the
    /// increments at t and e + 1 (none past the run date); their λ drawn
    /// afresh. When a few days' runs all sit in the second mode, "the level
    /// moved by δ" and "these runs are in the second mode" are both
    /// explanations, and the posterior holds both; the other steps cannot
    /// cross between them (the run date's last runs most of all).
    func shiftModes(from t: Int, through e: Int, _ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let n = m.dayCount
        guard t >= 1, e >= t, e < n else { return }
        let b = m.blockOfDay[t]
        guard m.blockOfDay[e] == b else { return }
        let delta = state.modeOffset[b], share = state.modeShare[b]
        guard delta != 0, delta.isFinite, share > 0, share < 1 else { return }
        let c = state.blockPrecision[b] / state.nu, exponent = (state.nu + 1) / 2
        let logOdds = Double.log(share) - Double.log(onePlus: -share)
        let up = rng.uniform() < 0.5
        let s = up ? delta : -delta
        var logRatio = incrementLogRatio(t, s, state)
        if e + 1 < n { logRatio += incrementLogRatio(e + 1, -s, state) }
        for k in m.dayStart[t]..<m.dayStart[e + 1] {
            let i = m.order[k]
            if up == state.inSecondMode[i] {
                // Flipped: its residual stays; the modes' prior changes.
                logRatio += up ? -logOdds : logOdds
            } else {
                let r = state.latentValues[i] - state.level[m.days[i]]
                let moved = r - s
                logRatio -= exponent * (Double.log(1 + moved * moved * c) - Double.log(1 + r * r * c))
            }
        }
        if logRatio >= 0 || Double.log(rng.uniform()) < logRatio {
            for day in t...e { state.level[day] += s }
            for k in m.dayStart[t]..<m.dayStart[e + 1] {
                let i = m.order[k]
                guard state.inSecondMode[i] == up else { continue }
                state.inSecondMode[i] = !up
                state.latentValues[i] += up ? delta : -delta
            }
        }
        drawLocalScale(t, &state, rng: &rng)
        if e + 1 < n { drawLocalScale(e + 1, &state, rng: &rng) }
    }

    /// Step 3e's schedule: every sweep, each of the last ``shiftWindow`` days
    /// moved with everything after it; every other sweep, stretches of the
    /// interior as in ``shiftInteriorBlocks(_:rng:)``.
    func shiftModes(_ state: inout StepLevelState, rng: inout RandomStream) {
        let n = model.dayCount
        for t in Swift.max(1, n - Self.shiftWindow)..<Swift.max(1, n) { shiftModes(from: t, through: n - 1, &state, rng: &rng) }
        guard state.sweeps % 2 == 0 else { return }
        forEachRandomStretch(&rng) { t, e, rng in shiftModes(from: t, through: e, &state, rng: &rng) }
    }

    /// Step 5a (two modes): each point's mode zᵢ with its weight integrated
    /// out — `P(zᵢ = 1) ∝ π_b t_ν(xᵢ − μ − δ_b; σ_b)` against
    /// `(1 − π_b) t_ν(xᵢ − μ; σ_b)`, x the unrounded value — the weights
    /// then drawn given it (a draw of the pair).
    func drawModeLabels(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let exponent = (state.nu + 1) / 2, inverseNu = 1 / state.nu
        let logOddsPrior = state.modeShare.map { Double.log($0) - Double.log(onePlus: -$0) }
        for i in 0..<m.pointCount {
            let b = m.blockOfPoint[i]
            let delta = state.modeOffset[b]
            let x = state.latentValues[i] + (state.inSecondMode[i] ? delta : 0)
            let r0 = x - state.level[m.days[i]], r1 = r0 - delta
            let c = state.blockPrecision[b] * inverseNu
            let logOdds = logOddsPrior[b] - exponent * (Double.log(1 + r1 * r1 * c) - Double.log(1 + r0 * r0 * c))
            let second = rng.uniform() * (1 + Double.exp(-logOdds)) < 1
            state.inSecondMode[i] = second
            state.latentValues[i] = x - (second ? delta : 0)
        }
    }

    /// Step 5b (two modes): δ_b given the runs in block b's second mode, a
    /// Normal (conjugate: precision `Σ wᵢ/σ_b² + 1/s_δ²`, mean
    /// `Σ wᵢ(xᵢ − μ)/σ_b²` over it) truncated to |δ_b| ≥ c σ_b, and π_b
    /// given the modes (``drawShare(inSecond:all:rng:)``).
    func drawModeOffsetsAndShares(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let p = m.priors
        let blocks = m.blockCount
        if state.modeSums.count != 4 * blocks { state.modeSums = [Double](repeating: 0, count: 4 * blocks) }
        for k in state.modeSums.indices { state.modeSums[k] = 0 }
        // Per block: Σ wᵢ/σ², Σ wᵢ rᵢ/σ² and n₁ over the second mode's runs, and n₀ + n₁.
        for i in 0..<m.pointCount {
            let b = m.blockOfPoint[i]
            state.modeSums[4 * b + 3] += 1
            guard state.inSecondMode[i] else { continue }
            let precision = state.weights[i] * state.blockPrecision[b]
            let r = state.latentValues[i] + state.modeOffset[b] - state.level[m.days[i]]
            state.modeSums[4 * b] += precision
            state.modeSums[4 * b + 1] += precision * r
            state.modeSums[4 * b + 2] += 1
        }
        let priorPrecision = 1 / (p.modeOffsetScale * p.modeOffsetScale)
        for b in 0..<blocks {
            let precision = state.modeSums[4 * b] + priorPrecision
            let old = state.modeOffset[b]
            let bound = m.priors.modeSeparation * state.blockSigma(b)
            let draw = rng.normalOutside(mean: state.modeSums[4 * b + 1] / precision, sd: 1 / precision.squareRoot(),
                                         bound: bound)
            if draw.isFinite, abs(draw) >= bound { state.modeOffset[b] = draw }
            let inSecond = state.modeSums[4 * b + 2], all = state.modeSums[4 * b + 3]
            if let share = drawShare(inSecond: inSecond, all: all, rng: &rng) { state.modeShare[b] = share }
            state.modeSums[4 * b] = state.modeOffset[b] - old
        }
        // The second mode's runs follow their block's offset.
        for i in 0..<m.pointCount where state.inSecondMode[i] {
            state.latentValues[i] -= state.modeSums[4 * m.blockOfPoint[i]]
        }
    }

    /// π_b given n₁ of n runs in the second mode: Beta(a + n₁, a + n₀)
    /// truncated to (0, ½], from two gamma draws, retried while above ½ (a
    /// few times: when n₁ ≥ n₀ most draws are), then by inversion of the
    /// Beta's distribution function on (0, I_½) — each way exact. nil when
    /// neither gives a finite value.
    func drawShare(inSecond: Double, all: Double, rng: inout RandomStream) -> Double? {
        let a = model.priors.modeShareShape
        let a1 = a + inSecond, a0 = a + all - inSecond
        var share = Double.nan
        for _ in 0..<4 {
            let g1 = rng.gamma(shape: a1, rate: 1), g0 = rng.gamma(shape: a0, rate: 1)
            let draw = g1 / (g1 + g0)
            if draw <= 0.5 { share = draw; break }
        }
        if !share.isFinite || share > 0.5 {
            let top = regularizedIncompleteBeta(0.5, a: a1, b: a0)
            share = Swift.min(0.5, inverseRegularizedIncompleteBeta(top * rng.uniform(), a: a1, b: a0))
        }
        return share.isFinite ? Swift.min(0.5, Swift.max(1e-12, share)) : nil
    }

    /// Step 3c's schedule, every other sweep: each interior day starts a
    /// block with probability ``blockShare``, its length drawn from ``blockLengths``.
    func shiftInteriorBlocks(_ state: inout StepLevelState, rng: inout RandomStream) {
        forEachRandomStretch(&rng) { t, e, rng in shiftBlock(from: t, through: e, &state, rng: &rng) }
    }

    /// The interior stretches of steps 3c and 3e: each day before the last
    /// ``shiftWindow`` starts one with probability ``blockShare``, its length
    /// drawn from ``blockLengths`` (ending before the run date).
    func forEachRandomStretch(_ rng: inout RandomStream, _ body: (Int, Int, inout RandomStream) -> Void) {
        let n = model.dayCount
        let end = n - Self.shiftWindow
        guard end > 2 else { return }
        for t in 1..<end where rng.uniform() < Self.blockShare {
            let length = Self.blockLengths[Int(rng.uniform() * Double(Self.blockLengths.count)) % Self.blockLengths.count]
            body(t, Swift.min(n - 2, t + length - 1), &rng)
        }
    }

    /// Share of interior days that start a block shift each sweep, and the
    /// blocks' lengths in days (excursions of the data last a day to two weeks).
    public static let blockShare = 0.1
    public static let blockLengths = [1, 2, 3, 4, 6, 9, 14]

    /// λ_t² | ω_t, a_t ~ IG(1, 1/a_t + ω_t²/(2τ²)).
    func drawLocalScale(_ t: Int, _ state: inout StepLevelState, rng: inout RandomStream) {
        let omega = state.level[t] - state.level[t - 1] - state.slope[t]
        state.localScale2[t] = Self.clamped((1 / state.localAux[t] + omega * omega / (2 * state.globalScale2 * incrementFactor2[t]))
                                            / rng.zigguratExponential(exponentialTable))
    }

    /// Step 4: ν and the noise scales moved together, the weights integrated
    /// out. The states `(ν', 1/σ_b'² = u/σ_b², ρ' = ρ/u)` with `u = q_ν'²/q_ν²`
    /// (`q_ν` the upper quartile of t_ν) keep the noise's quartiles where they
    /// are; ν' is drawn among them, one for each ν of the grid, with
    /// probability ∝ target × Jacobian — `∏ᵢ t_ν'(rᵢ; 0, σ'_{b(i)}) · p(ν') ·
    /// (1/u)^{a₀} e^{−b₀ρ/u}` (the precisions' Gamma(α, αρ) prior and the map's
    /// Jacobian cancel but for those factors of ρ's Gamma(a₀, b₀) prior). This
    /// is a Gibbs step on the curve's coordinate, valid because every state
    /// on the curve offers the same set of states. Given the scales ν hardly
    /// moves (a heavier tail wants a smaller σ, and the sweep's σ was drawn
    /// for the current ν), so (ν, σ) crawl along their ridge; this step moves
    /// along it in one go. The weights are drawn afresh after it.
    func moveNuAndScales(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let grid = m.priors.nuGrid
        guard grid.count > 1, let current = grid.firstIndex(of: state.nu) else { return }
        // A neighbour on the grid, either side with probability ½ (none past an end: the state is kept).
        let proposed = rng.uniform() < 0.5 ? current - 1 : current + 1
        guard proposed >= 0, proposed < grid.count else { return }
        // rᵢ²/σ²_{b(i)} once a point, for both densities.
        if state.scaledSquares.count != m.pointCount { state.scaledSquares = [Double](repeating: 0, count: m.pointCount) }
        do {
            let latent = state.latentValues, level = state.level, precisions = state.blockPrecision
            state.scaledSquares.withUnsafeMutableBufferPointer { squares in
                for i in 0..<m.pointCount {
                    let r = latent[i] - level[m.days[i]]
                    squares[i] = r * r * precisions[m.blockOfPoint[i]]
                }
            }
        }
        let logCurrent = curveLogDensity(current, from: current, squares: state.scaledSquares,
                                         typicalVariance: state.typicalVariance)
        let logProposed = curveLogDensity(proposed, from: current, squares: state.scaledSquares,
                                          typicalVariance: state.typicalVariance)
        let logRatio = logProposed - logCurrent
        guard logRatio.isFinite, logRatio >= 0 || Double.log(rng.uniform()) < logRatio else { return }
        let u = (nuQuartile[proposed] * nuQuartile[proposed]) / (nuQuartile[current] * nuQuartile[current])
        guard (0..<m.blockCount).allSatisfy({ separated($0, Self.clamped(state.blockPrecision[$0] * u), state) }) else { return }
        state.nu = grid[proposed]
        for b in 0..<m.blockCount { state.blockPrecision[b] = Self.clamped(state.blockPrecision[b] * u) }
        state.typicalVariance = Self.clamped(state.typicalVariance / u)
    }

    /// The log density, along the curve of ``moveNuAndScales(_:rng:)`` through
    /// the state whose ν is `grid[current]`, of its point with ν = `grid[k]`
    /// (up to terms that do not depend on k, such as `½ Σᵢ log(1/σ²_{b(i)})`).
    func curveLogDensity(_ k: Int, from current: Int, squares: [Double], typicalVariance: Double) -> Double {
        let p = model.priors
        let nu = p.nuGrid[k]
        // u = 1/σ'² over 1/σ²: the quartile σ·q_ν is kept, so σ' = σ·q_ν/q_ν'.
        let u = (nuQuartile[k] * nuQuartile[k]) / (nuQuartile[current] * nuQuartile[current])
        let constant = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi) + 0.5 * Double.log(u)
        let c = u / nu
        var sum = 0.0
        squares.withUnsafeBufferPointer { squares in
            for x in squares { sum += Double.log(1 + x * c) }
        }
        return Double(squares.count) * constant - (nu + 1) / 2 * sum + nuLogPrior[k]
            - p.typicalVarianceShape * Double.log(u) - p.typicalVarianceRate * typicalVariance / u
    }

    /// An index drawn with probability ∝ exp(logWeights); nil when no weight is finite.
    static func categorical(logWeights: [Double], rng: inout RandomStream) -> Int? {
        guard let top = logWeights.filter(\.isFinite).max() else { return nil }
        let weights = logWeights.map { $0.isFinite ? Double.exp($0 - top) : 0 }
        var total = 0.0
        for w in weights { total += w }
        var u = rng.uniform() * total
        for k in weights.indices {
            u -= weights[k]
            if u <= 0 && weights[k] > 0 { return k }
        }
        return logWeights.lastIndex(where: \.isFinite)
    }

    /// Step 7: the unrounded value of each point, Normal(μ, σ²_{b(i)}/wᵢ) truncated to
    /// `[yᵢ − q/2, yᵢ + q/2]`, by inversion of the normal CDF.
    func drawLatentValues(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let half = m.resolution / 2
        let level = state.level, precisions = state.blockPrecision, weights = state.weights
        // The value is drawn around its mode's centre and stored less the mode's offset.
        let offsets = state.modeOffset, second = state.inSecondMode
        state.latentValues.withUnsafeMutableBufferPointer { latentValues in
            for i in 0..<m.pointCount {
                let shift = offsets.isEmpty || !second[i] ? 0 : offsets[m.blockOfPoint[i]]
                let mean = level[m.days[i]] + shift
                let sd = 1 / (precisions[m.blockOfPoint[i]] * weights[i]).squareRoot()
                if half < 0.5 * sd {
                    // A narrow interval: the truncated normal is nearly flat on it. Rejection from the
                    // uniform on the interval, accepted with φ(x)/φ(nearest point to μ): exact, and
                    // accepted at least e^{−½} ≈ 61% of the time (mostly far more); a dozen
                    // proposals in a row refused fall back to the inversion below.
                    let nearest = Swift.min(m.values[i] + half, Swift.max(m.values[i] - half, mean))
                    let zNearest = (nearest - mean) / sd
                    var accepted: Double?
                    for _ in 0..<12 {
                        let x = m.values[i] - half + 2 * half * rng.uniform()
                        let z = (x - mean) / sd
                        if Self.isBelowExp(rng.uniform(), -0.5 * (z * z - zNearest * zNearest)) {
                            accepted = x
                            break
                        }
                    }
                    if let accepted {
                        latentValues[i] = accepted - shift
                        continue
                    }
                }
                let lo = normalCDF((m.values[i] - half - mean) / sd)
                let hi = normalCDF((m.values[i] + half - mean) / sd)
                let value: Double
                if hi - lo > 1e-12 {
                    let u = lo + (hi - lo) * rng.uniform()
                    value = mean + sd * inverseNormalCDF(Swift.min(Swift.max(u, 1e-300), 1 - 1e-16))
                } else {
                    // The interval is far in a tail: its nearer end is where the mass is.
                    value = m.values[i] + (mean > m.values[i] ? half : -half) * (2 * rng.uniform() - 1).magnitude
                }
                latentValues[i] = Swift.min(m.values[i] + half, Swift.max(m.values[i] - half, value)) - shift
            }
        }
    }

    /// `u <= exp(a)`, the same answer as computing the exponential, but
    /// without it when a lower bound already decides: for every a,
    /// `exp(a) ≥ 1 + a + a²/2 + a³/6` (the Taylor remainder `a⁴e^ξ/24` is not
    /// negative), and on `−1 ≤ a ≤ 0` that bound is at least ⅓ and computed to
    /// within ~1e-15 relative, so `u` below it less a 1e-12 relative margin is
    /// below the exponential as computed (within an ulp of the true value).
    /// The rounding sampler's acceptance test is the sweep's only exponential
    /// per point, and it is nearly always accepted close to the level.
    @inlinable
    public static func isBelowExp(_ u: Double, _ a: Double) -> Bool {
        if a >= -1 && a <= 0 {
            let bound = 1 + a * (1 + a * (0.5 + a / 6))
            if u <= bound * (1 - 1e-12) { return true }
        }
        return u <= Double.exp(a)
    }
}
