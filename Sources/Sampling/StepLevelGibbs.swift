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
    public var globalAux: Double
    public var sigma2: Double
    public var sigmaAux: Double
    /// Student-t mixing weights wᵢ, one per point.
    public var weights: [Double]
    public var nu: Double
    /// The unrounded values inside each point's rounding interval (equal to
    /// the data when the model has no resolution).
    public var latentValues: [Double]
    /// Scratch space of the level draw (not part of the posterior): reused by
    /// every sweep so that a sweep allocates nothing.
    var diagonal: [Double] = []
    var offDiagonal: [Double] = []
    var normals: [Double] = []
    /// Sweeps done, for the steps that run every few sweeps.
    var sweeps = 0
}

/// What one sweep reports: a failed factorization of the level's precision
/// (the sweep then keeps the previous level, and the diagnostics flag the fit).
public struct StepLevelStepInfo: Sendable {
    public var levelFactorizationFailed: Bool
}

/// An exact Gibbs sweep for ``StepLevelModel``: each block drawn from its full
/// conditional, so the posterior is invariant whatever the order.
///
/// 1. μ | ·: Gaussian with tridiagonal precision
///    `Q = Dᵀ diag(1/(τ₀²λ_t²)) D + diag(Σ_{i∈t} wᵢ/σ²) + e₀e₀ᵀ/s₀²`
///    (`D` the first-difference matrix) and `Q m = (Σ_{i∈t} wᵢ ỹᵢ/σ²)_t`,
///    drawn in O(T) by ``TridiagonalGaussian`` (LAPACK `dpttrf`);
/// 2. λ_t² ~ IG(1, 1/a_t + ω_t²/(2τ₀²)), a_t ~ IG(1, 1 + 1/λ_t²)
///    (shape 1: an exponential draw);
/// 3. τ is fixed at τ₀ (see ``StepLevelModel``);
/// 4. ν from its conditional with the weights integrated out (a collapsed
///    step: conditional on the weights ν barely moves, and σ, whose scale
///    depends on ν, moved with it), on the grid:
///    `log p(ν | r, σ) = Σᵢ log t_ν(rᵢ; 0, σ) + log prior(ν)`;
/// 5. wᵢ ~ Gamma((ν+1)/2, (ν + rᵢ²/σ²)/2) — with step 4, a draw of (ν, w)
///    from their joint conditional;
/// 6. σ² ~ IG((n+1)/2, 1/b + Σ wᵢrᵢ²/2), b ~ IG(1, 1/A² + 1/σ²);
/// 3b. for each of the last ``shiftWindow`` days t, a Metropolis–Hastings move
///    that shifts the level from t on by δ (changing the increment ω_t alone),
///    with the weights and λ_t integrated out — `ω_t | a_t ~ Cauchy(0, τ₀√(2/a_t))`
///    and Student-t likelihoods — then λ_t drawn afresh given ω_t (a
///    partially collapsed Gibbs step, van Dyk & Park 2008). δ is proposed
///    towards the median of the next days' data or back to the day before's
///    level, half the time each: between "the last runs are a new level" and
///    "the last runs are outliers" the plain sweep cannot cross (the
///    outliers' tiny weights and a small λ_t hold each other in place);
/// 7. with a resolution q: each unrounded value from Normal(μ, σ²/wᵢ)
///    truncated to its rounding interval `[yᵢ − q/2, yᵢ + q/2]`.
public struct StepLevelGibbs: TransitionKernel, Sendable {
    public let model: StepLevelModel
    /// log prior weight of each ν of the grid.
    let nuLogPrior: [Double]

    public init(model: StepLevelModel) {
        self.model = model
        let p = model.priors
        nuLogPrior = p.nuGrid.map { gammaLogDensity($0, shape: p.nuShape, rate: p.nuRate) }
    }

    /// A start near the data: each day's level the median of its points,
    /// carried over days without points; each increment's local scale large
    /// enough for the step between those medians (so a new level in the data
    /// starts as a step, not as a run of outliers the first sweep would lock
    /// in); the noise at its prior centre, weights 1.
    /// With `steps: false` every local scale starts at 1 (a smooth level):
    /// chains started both ways let R̂ see when the data leave "a new level"
    /// and "a run of outliers" both open and the sampler cannot cross between them.
    /// The kernel protocol's start: a smooth level through the days' medians
    /// (or `position`, a level for every day).
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
        return StepLevelState(level: level,
                              localScale2: local,
                              localAux: [Double](repeating: 1, count: m.dayCount),
                              globalScale2: p.globalScale * p.globalScale, globalAux: 1,
                              sigma2: 1, sigmaAux: 1,
                              weights: [Double](repeating: 1, count: m.pointCount),
                              nu: p.nuGrid[p.nuGrid.count / 2],
                              latentValues: m.values)
    }

    /// `scale / Gamma(shape, 1)`: an inverse-gamma draw.
    @inlinable
    static func inverseGamma(shape: Double, scale: Double, rng: inout RandomStream) -> Double {
        scale / rng.gamma(shape: shape, rate: 1)
    }

    public func step(_ state: inout StepLevelState, rng: inout RandomStream) -> StepLevelStepInfo {
        let failed = !drawLevel(&state, rng: &rng)
        drawIncrementScales(&state, rng: &rng)
        for t in Swift.max(1, model.dayCount - Self.shiftWindow)..<model.dayCount { shiftLevel(from: t, &state, rng: &rng) }
        if state.sweeps % Self.nuEvery == 0 { drawNu(&state, rng: &rng) }
        state.sweeps += 1
        drawWeights(&state, rng: &rng)
        drawSigma(&state, rng: &rng)
        if model.resolution > 0 { drawLatentValues(&state, rng: &rng) }
        return StepLevelStepInfo(levelFactorizationFailed: failed)
    }

    /// Step 1. Returns false (level unchanged) when the precision cannot be factored.
    func drawLevel(_ state: inout StepLevelState, rng: inout RandomStream) -> Bool {
        let m = model
        let n = m.dayCount
        let p = m.priors
        if state.diagonal.count != n {
            state.diagonal = [Double](repeating: 0, count: n)
            state.offDiagonal = [Double](repeating: 0, count: Swift.max(0, n - 1))
            state.normals = [Double](repeating: 0, count: n)
        }
        var mean = [Double](repeating: 0, count: n)
        let inverseSigma2 = 1 / state.sigma2
        for t in 0..<n {
            var h = 0.0, b = 0.0
            for k in m.dayStart[t]..<m.dayStart[t + 1] {
                let i = m.order[k]
                let w = state.weights[i] * inverseSigma2
                h += w
                b += w * state.latentValues[i]
            }
            state.diagonal[t] = h
            mean[t] = b
        }
        state.diagonal[0] += 1 / (p.initialLevelScale * p.initialLevelScale)
        for t in 1..<Swift.max(1, n) {
            let variance = Swift.max(p.minimumIncrementVariance, state.globalScale2 * state.localScale2[t])
            let q = 1 / variance
            state.diagonal[t] += q
            state.diagonal[t - 1] += q
            state.offDiagonal[t - 1] = -q
        }
        for t in 0..<n { state.normals[t] = rng.standardNormal() }
        do {
            try TridiagonalGaussian.draw(diagonal: &state.diagonal, offDiagonal: &state.offDiagonal, mean: &mean,
                                         normals: state.normals)
        } catch {
            return false
        }
        guard mean.allSatisfy(\.isFinite) else { return false }
        state.level = mean
        return true
    }

    /// Step 2: the local scales of the increments (τ fixed at τ₀).
    /// `IG(1, c)` is `c / Exp(1)`.
    func drawIncrementScales(_ state: inout StepLevelState, rng: inout RandomStream) {
        let n = model.dayCount
        let tau2 = state.globalScale2
        for t in 1..<Swift.max(1, n) {
            let omega = state.level[t] - state.level[t - 1]
            let lambda2 = (1 / state.localAux[t] + omega * omega / (2 * tau2)) / rng.exponential()
            state.localScale2[t] = Self.clamped(lambda2)
            state.localAux[t] = Self.clamped((1 + 1 / state.localScale2[t]) / rng.exponential())
        }
    }

    /// Keeps a variance inside the doubles' comfortable range: a horseshoe
    /// scale may underflow towards 0 or overflow, and either would make the
    /// next conditional's parameters 0 or infinite.
    @inlinable
    static func clamped(_ variance: Double) -> Double {
        Swift.min(1e150, Swift.max(1e-150, variance.isFinite ? variance : 1e150))
    }

    /// Step 5.
    func drawWeights(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let nu = state.nu
        for i in 0..<m.pointCount {
            let r = state.latentValues[i] - state.level[m.days[i]]
            let rate = (nu + r * r / state.sigma2) / 2
            state.weights[i] = Swift.max(1e-300, rng.gamma(shape: (nu + 1) / 2, rate: Swift.max(rate, 1e-300)))
        }
    }

    /// Step 6.
    func drawSigma(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        var ss = 0.0
        for i in 0..<m.pointCount {
            let r = state.latentValues[i] - state.level[m.days[i]]
            ss += state.weights[i] * r * r
        }
        let a = m.priors.noiseScale
        state.sigma2 = Self.clamped(Self.inverseGamma(shape: (Double(m.pointCount) + 1) / 2,
                                                      scale: 1 / state.sigmaAux + ss / 2, rng: &rng))
        state.sigmaAux = Self.inverseGamma(shape: 1, scale: 1 / (a * a) + 1 / state.sigma2, rng: &rng)
    }

    /// Days at the end of the range that get the shift move: the last three
    /// weeks, which hold D and its comparison days D−7 and D−14.
    public static let shiftWindow = 21
    /// ν is drawn every this many sweeps: its collapsed conditional costs a
    /// logarithm per point and grid value, more than the rest of a sweep, and
    /// ν moves slowly anyway. Each step leaves the posterior invariant, so a
    /// fixed schedule of steps does too.
    public static let nuEvery = 4

    /// Step 3b (see the type's documentation).
    func shiftLevel(from t: Int, _ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let n = m.dayCount
        // The data of days t … t+2 set where the level would move to.
        let lastDay = Swift.min(n - 1, t + 2)
        let nearby = m.order[m.dayStart[t]..<m.dayStart[lastDay + 1]].map { state.latentValues[$0] }
        guard !nearby.isEmpty else { return }
        let sigma2 = state.sigma2, nu = state.nu
        let spread = (sigma2 / Double(nearby.count)).squareRoot()
        let towardsData = median(nearby) - state.level[t]
        let back = state.level[t - 1] - state.level[t]
        let delta = (rng.uniform() < 0.5 ? towardsData : back) + spread * rng.standardNormal()
        // Mixture proposal and its reverse (the centres move by −δ with the level).
        func mixture(_ x: Double, _ a: Double, _ b: Double) -> Double {
            let za = (x - a) / spread, zb = (x - b) / spread
            return 0.5 * Double.exp(-0.5 * za * za) + 0.5 * Double.exp(-0.5 * zb * zb)
        }
        let forward = mixture(delta, towardsData, back)
        let reverse = mixture(-delta, towardsData - delta, back - delta)
        guard forward > 0, reverse > 0 else { drawLocalScale(t, &state, rng: &rng); return }
        // Target: Student-t likelihood of every point from day t on, Cauchy prior of ω_t.
        var logRatio = Double.log(reverse) - Double.log(forward)
        let c = 1 / (nu * sigma2)
        for k in m.dayStart[t]..<m.dayStart[n] {
            let i = m.order[k]
            let r = state.latentValues[i] - state.level[m.days[i]]
            let shifted = r - delta
            logRatio -= (nu + 1) / 2 * (Double.log(1 + shifted * shifted * c) - Double.log(1 + r * r * c))
        }
        let cauchyScale2 = state.globalScale2 * 2 / state.localAux[t]
        let omega = state.level[t] - state.level[t - 1]
        let omegaNew = omega + delta
        logRatio += Double.log(1 + omega * omega / cauchyScale2) - Double.log(1 + omegaNew * omegaNew / cauchyScale2)
        if logRatio >= 0 || Double.log(rng.uniform()) < logRatio {
            for s in t..<n { state.level[s] += delta }
        }
        drawLocalScale(t, &state, rng: &rng)
    }

    /// λ_t² | ω_t, a_t ~ IG(1, 1/a_t + ω_t²/(2τ²)).
    func drawLocalScale(_ t: Int, _ state: inout StepLevelState, rng: inout RandomStream) {
        let omega = state.level[t] - state.level[t - 1]
        state.localScale2[t] = Self.clamped((1 / state.localAux[t] + omega * omega / (2 * state.globalScale2)) / rng.exponential())
    }

    /// Step 4: ν | residuals, σ on the grid, the weights integrated out.
    func drawNu(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let grid = m.priors.nuGrid
        guard grid.count > 1 else { return }
        let inverseSigma2 = 1 / state.sigma2
        var logp = nuLogPrior
        let n = Double(m.pointCount)
        for (k, nu) in grid.enumerated() {
            // log t_ν(r; 0, σ) = logΓ((ν+1)/2) − logΓ(ν/2) − ½log(νπσ²) − (ν+1)/2 · log(1 + r²/(νσ²))
            let constant = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi)
            let c = inverseSigma2 / nu
            var sum = 0.0
            for i in 0..<m.pointCount {
                let r = state.latentValues[i] - state.level[m.days[i]]
                sum += Double.log(1 + r * r * c)
            }
            logp[k] += n * constant - (nu + 1) / 2 * sum
        }
        let top = logp.max() ?? 0
        var total = 0.0
        for k in grid.indices {
            logp[k] = Double.exp(logp[k] - top)
            total += logp[k]
        }
        var u = rng.uniform() * total
        for k in grid.indices {
            u -= logp[k]
            if u <= 0 { state.nu = grid[k]; return }
        }
        state.nu = grid[grid.count - 1]
    }

    /// Step 7: the unrounded value of each point, Normal(μ, σ²/wᵢ) truncated to
    /// `[yᵢ − q/2, yᵢ + q/2]`, by inversion of the normal CDF.
    func drawLatentValues(_ state: inout StepLevelState, rng: inout RandomStream) {
        let m = model
        let half = m.resolution / 2
        for i in 0..<m.pointCount {
            let mean = state.level[m.days[i]]
            let sd = (state.sigma2 / state.weights[i]).squareRoot()
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
            state.latentValues[i] = Swift.min(m.values[i] + half, Swift.max(m.values[i] - half, value))
        }
    }
}
