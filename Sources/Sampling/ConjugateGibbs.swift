import NumericCore
import SplineModels
import RealModule

/// The conditionally-conjugate sampler for `SplineModel` (the default path).
///
/// Given σ and τ the coefficients are Gaussian: with the Student-t priors on
/// the intercept `a` and trend `s` written as scale mixtures
/// (`a | λ_a ~ N(0, A²/λ_a)`, `λ_a ~ Gamma(3/2, 3/2)`) and Student-t noise as
/// `ε_i | w_i ~ N(0, σ²/w_i)`, `w_i ~ Gamma(ν/2, ν/2)` (Andrews & Mallows
/// 1974), the full conditional precision of β is the band matrix
///
///     Q = BᵀWB/σ² + DᵀD/τ² + (λ_a/A²) b_c b_cᵀ + (λ_s/S²) g_c g_cᵀ
///
/// (bandwidth 3), so β is drawn exactly with one banded Cholesky
/// (`β = Q⁻¹BᵀWỹ/σ² + U⁻¹z`, `Q = UᵀU`). One sweep:
///
/// 1. `τ | σ, λ, w, y` with β integrated out (a collapsed, blocked update that
///    avoids the slow τ–β zig-zag of plain Gibbs), by slice sampling log τ;
///    each evaluation is one O(K) band factorization;
/// 2. `β | σ, τ, λ, w, y` exactly;
/// 3. `σ | β, w, y` by slice sampling log σ (O(1) per evaluation);
/// 4. `λ_a, λ_s | β` from their Gamma conditionals;
/// 5. Student-t only: `w_i | β, σ, ν ~ Gamma((ν+1)/2, (ν + r_i²/σ²)/2)` and
///    `ν | w` by slice sampling log ν.
///
/// Slice widths are tuned in warm-up and frozen for the kept iterations.
public enum ConjugateGibbs {
    public static func run(model: SplineModel, settings: SamplerSettings, rng: inout RandomStream) -> ChainResult {
        let clock = ContinuousClock()
        let t0 = clock.now
        var state = GibbsState(model: model, rng: &rng)
        for i in 0..<settings.warmup { state.sweep(rng: &rng, warmupIteration: i) }
        let t1 = clock.now
        var positions: [[Double]] = []
        var infos: [TransitionInfo] = []
        positions.reserveCapacity(settings.draws)
        infos.reserveCapacity(settings.draws)
        for _ in 0..<settings.draws {
            state.sweep(rng: &rng, warmupIteration: nil)
            positions.append(model.unconstrained(state.parameters))
            infos.append(TransitionInfo(acceptance: 1))
        }
        let t2 = clock.now
        return ChainResult(positions: positions, info: infos,
                           warmupSeconds: seconds(t1 - t0), samplingSeconds: seconds(t2 - t1))
    }
}

/// The state of one Gibbs chain and its precomputed structure.
struct GibbsState {
    let model: SplineModel
    let k: Int
    let n: Int
    let df: Double
    /// `DᵀD` stored with bandwidth 3 so that it adds to `BᵀWB` directly.
    let penalty: SymmetricBandMatrix
    /// First index and the four values of `b_c` and `g_c` (same support).
    let functionalFirst: Int
    let levelValues: [Double]
    let trendValues: [Double]

    var beta: [Double]
    var sigma: Double
    var tau: Double
    var nu: Double
    var lambdaLevel = 1.0
    var lambdaTrend = 1.0
    var weights: [Double]?
    // Data cross products for the current weights.
    var btwb: SymmetricBandMatrix
    var btwy: [Double]
    var ytwy: Double
    var sumLogWeights = 0.0

    var tauWidth = SliceWidthTuner(initialWidth: 1)
    var sigmaWidth = SliceWidthTuner(initialWidth: 0.5)
    var nuWidth = SliceWidthTuner(initialWidth: 1)

    var parameters: SplineParameters {
        SplineParameters(coefficients: beta, sigma: sigma, tau: tau, nu: model.noise == .studentT ? nu : nil)
    }

    init(model: SplineModel, rng: inout RandomStream) {
        self.model = model
        k = model.design.count
        n = model.design.pointCount
        df = model.priors.studentDF
        var p = SymmetricBandMatrix(order: k, bandwidth: 3)
        let dtd = DifferencePenalty.precision(order: k)
        for j in 0..<k { for i in Swift.max(0, j - 2)...j { p[i, j] = dtd[i, j] } }
        penalty = p
        let start = model.design.functionalFirst
        functionalFirst = start
        levelValues = (0..<4).map { model.design.levelRow[start + $0] }
        trendValues = (0..<4).map { model.design.trendRow[start + $0] }

        // Overdispersed starting values on the working scale.
        sigma = 0.5 * Double.exp(2 * rng.uniform() - 1)
        tau = 0.1 * Double.exp(4 * rng.uniform() - 2)
        nu = 10 * Double.exp(2 * rng.uniform() - 1)
        beta = Array(repeating: 0, count: k)
        if model.noise == .studentT { weights = Array(repeating: 1, count: n) }
        (btwb, btwy) = model.design.weightedCrossProducts(values: model.scaledValues, pointWeights: nil)
        ytwy = model.scaledValues.reduce(0) { $0 + $1 * $1 }
    }

    /// `Q` for the given σ, τ and the current λ, weights.
    func precision(sigma: Double, tau: Double) -> SymmetricBandMatrix {
        var q = btwb
        let invS2 = 1 / (sigma * sigma)
        let invT2 = 1 / (tau * tau)
        for idx in q.band.indices { q.band[idx] = q.band[idx] * invS2 + penalty.band[idx] * invT2 }
        let a2 = model.priors.interceptScale * model.priors.interceptScale
        let s2 = model.priors.trendScale * model.priors.trendScale
        for i in 0..<4 {
            for j in i..<4 {
                let v = lambdaLevel / a2 * levelValues[i] * levelValues[j] + lambdaTrend / s2 * trendValues[i] * trendValues[j]
                q.add(v, at: functionalFirst + i, functionalFirst + j)
            }
        }
        return q
    }

    /// Log of p(τ | σ, λ, w, y) with β integrated out, plus the log-τ Jacobian.
    func collapsedLogTau(_ logTau: Double) -> Double {
        let t = Double.exp(logTau)
        guard t.isFinite, t > 0 else { return -.infinity }
        guard let chol = try? BandedCholeskyFactor(precision(sigma: sigma, tau: t)) else { return -.infinity }
        let invS2 = 1 / (sigma * sigma)
        let b = btwy.map { $0 * invS2 }
        let c = chol.solveUpperTransposed(b)
        var quad = 0.0
        for v in c { quad += v * v }
        return -Double(k - 2) * logTau - 0.5 * chol.logDeterminant + 0.5 * quad
            + halfStudentTLogDensity(t, df: df, scale: model.priors.tauScale) + logTau
    }

    mutating func sweep(rng: inout RandomStream, warmupIteration: Int?) {
        // 1. τ, collapsed over β.
        let logTau = Double.log(tau)
        let updatedTau = SliceSampler.step(from: logTau, current: collapsedLogTau(logTau), width: tauWidth.width,
                                           rng: &rng, logDensity: { collapsedLogTau($0) })
        tau = Double.exp(updatedTau.x)
        if let i = warmupIteration { tauWidth.observe(updatedTau.x, warmupIteration: i) }

        // 2. β exactly.
        drawCoefficients(rng: &rng)

        // 3. σ given β.
        let fitted = model.design.pointLevels(beta)
        var rss = 0.0
        for i in 0..<n {
            let r = model.scaledValues[i] - fitted[i]
            rss += (weights?[i] ?? 1) * r * r
        }
        let nD = Double(n)
        let sigmaScale = model.priors.sigmaScale
        let dfLocal = df
        let logSigmaTarget: (Double) -> Double = { ls in
            let s = Double.exp(ls)
            return -nD * ls - rss / (2 * s * s) + halfStudentTLogDensity(s, df: dfLocal, scale: sigmaScale) + ls
        }
        let ls = Double.log(sigma)
        let updatedSigma = SliceSampler.step(from: ls, current: logSigmaTarget(ls), width: sigmaWidth.width,
                                             rng: &rng, logDensity: logSigmaTarget)
        sigma = Double.exp(updatedSigma.x)
        if let i = warmupIteration { sigmaWidth.observe(updatedSigma.x, warmupIteration: i) }

        // 4. Scale-mixture weights of the intercept and trend priors.
        let a = levelValues.indices.reduce(0.0) { $0 + levelValues[$1] * beta[functionalFirst + $1] }
        let s = trendValues.indices.reduce(0.0) { $0 + trendValues[$1] * beta[functionalFirst + $1] }
        let za = a / model.priors.interceptScale, zs = s / model.priors.trendScale
        lambdaLevel = rng.gamma(shape: (df + 1) / 2, rate: (df + za * za) / 2)
        lambdaTrend = rng.gamma(shape: (df + 1) / 2, rate: (df + zs * zs) / 2)

        // 5. Student-t: point weights and ν.
        if model.noise == .studentT {
            var w = weights!
            var sumLog = 0.0, sumW = 0.0
            let invS2 = 1 / (sigma * sigma)
            for i in 0..<n {
                let r = model.scaledValues[i] - fitted[i]
                w[i] = rng.gamma(shape: (nu + 1) / 2, rate: (nu + r * r * invS2) / 2)
                sumLog += Double.log(w[i])
                sumW += w[i]
            }
            weights = w
            sumLogWeights = sumLog
            let shape = model.priors.nuShape, rate = model.priors.nuRate
            let logNuTarget: (Double) -> Double = { lv in
                let v = Double.exp(lv)
                guard v.isFinite, v > 0 else { return -.infinity }
                let half = v / 2
                return nD * (half * Double.log(half) - logGamma(half)) + half * (sumLog - sumW)
                    + gammaLogDensity(v, shape: shape, rate: rate) + lv
            }
            let lv = Double.log(nu)
            let updatedNu = SliceSampler.step(from: lv, current: logNuTarget(lv), width: nuWidth.width,
                                              rng: &rng, logDensity: logNuTarget)
            nu = Double.exp(updatedNu.x)
            if let i = warmupIteration { nuWidth.observe(updatedNu.x, warmupIteration: i) }
            (btwb, btwy) = model.design.weightedCrossProducts(values: model.scaledValues, pointWeights: w)
        }
    }

    /// β ~ Normal(Q⁻¹ BᵀWỹ/σ², Q⁻¹) by one band Cholesky `Q = UᵀU`:
    /// `β = U⁻¹(U⁻ᵀ b + z)`.
    mutating func drawCoefficients(rng: inout RandomStream) {
        guard let chol = try? BandedCholeskyFactor(precision(sigma: sigma, tau: tau)) else { return }
        let invS2 = 1 / (sigma * sigma)
        var c = chol.solveUpperTransposed(btwy.map { $0 * invS2 })
        for i in c.indices { c[i] += rng.standardNormal() }
        beta = chol.solveUpper(c)
    }
}
