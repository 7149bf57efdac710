import NumericCore
import RealModule

/// The Bayesian P-spline prior of SPEC §5 on the level's coefficients `β`:
///
///     Dβ ~ Normal(0, τ² I)            (second-order random walk, K − 2 rows; Dβ = Ow, O orthogonal)
///     a = b_cᵀβ ~ t(df, 0, A)         (intercept: level at the centre of the range)
///     s = g_cᵀβ ~ t(df, 0, S)         (linear trend, not penalized by D)
///     τ ~ half-t(df, 0, T)
///
/// (`df`, `A`, `S`, `T` from `SplinePriors`). In θ the penalized coordinates
/// are `z_j` with `w_j = m_j z_j`, `m_j = τ^{a_j}`, so
///
///     log p(z_j | τ) = −½ z_j² m_j²/τ² − (1 − a_j) log τ − log √(2π).
///
/// Given τ and the scale-mixture weights of the t priors
/// (`a | λ_a ~ N(0, A²/λ_a)`, `λ_a ~ Gamma(df/2, df/2)`; likewise `s`), the
/// prior is Gaussian with band precision (bandwidth 3)
///
///     DᵀD/τ² + (λ_a/A²) b_c b_cᵀ + (λ_s/S²) g_c g_cᵀ,
///
/// and `λ_a | β ~ Gamma((df+1)/2, (df + (a/A)²)/2)` (likewise `λ_s`).
public struct RandomWalkPenaltyPrior: LevelPrior, Equatable {
    public let studentDF: Double
    public let interceptScale: Double
    public let trendScale: Double
    public let tauScale: Double
    /// Number of coefficients `K`.
    public let order: Int
    /// First index of the four non-zeros of `b_c` and `g_c` (same support).
    public let functionalFirst: Int
    /// The four non-zeros of `b_c` (`SplineDesign.levelRow`) and `g_c` (`trendRow`).
    public let levelValues: [Double]
    public let trendValues: [Double]
    /// `DᵀD` in band storage with bandwidth 3, so that it adds to a data band directly.
    let penaltyBand: [Double]
    /// `b bᵀ/A²` and `g gᵀ/S²` on the four indices `functionalFirst …`, row-major 4 × 4.
    let levelOuter: [Double]
    let trendOuter: [Double]

    /// The prior of SPEC §5 with `priors` on the spline of `design`.
    public init(design: SplineDesign, priors: SplinePriors) {
        studentDF = priors.studentDF
        interceptScale = priors.interceptScale
        trendScale = priors.trendScale
        tauScale = priors.tauScale
        let k = design.count
        order = k
        var p = SymmetricBandMatrix(order: k, bandwidth: 3)
        let dtd = DifferencePenalty.precision(order: k)
        for j in 0..<k { for i in Swift.max(0, j - 2)...j { p[i, j] = dtd[i, j] } }
        penaltyBand = p.band
        let start = design.functionalFirst
        functionalFirst = start
        let level = (0..<4).map { design.levelRow[start + $0] }
        let trend = (0..<4).map { design.trendRow[start + $0] }
        levelValues = level
        trendValues = trend
        let a2 = priors.interceptScale * priors.interceptScale
        let s2 = priors.trendScale * priors.trendScale
        var lo = [Double](repeating: 0, count: 16), to = [Double](repeating: 0, count: 16)
        for i in 0..<4 { for j in 0..<4 {
            lo[4 * i + j] = level[i] * level[j] / a2
            to[4 * i + j] = trend[i] * trend[j] / s2
        } }
        levelOuter = lo
        trendOuter = to
    }

    public var penaltyRank: Int { order - 2 }

    /// The intercept `a = b_cᵀβ` and trend `s = g_cᵀβ`.
    @inlinable
    public func levelAndTrend(_ beta: [Double]) -> (level: Double, trend: Double) {
        var a = 0.0, s = 0.0
        for j in 0..<4 {
            a += levelValues[j] * beta[functionalFirst + j]
            s += trendValues[j] * beta[functionalFirst + j]
        }
        return (a, s)
    }

    /// `log t(a; df, 0, A) + log t(s; df, 0, S)`, gradient `t′(a) b_c + t′(s) g_c`.
    public func logCoefficientPrior(beta: [Double], gradientBeta: inout [Double]) -> Double {
        let (a, s) = levelAndTrend(beta)
        let value = studentTLogDensity(a, df: studentDF, location: 0, scale: interceptScale)
            + studentTLogDensity(s, df: studentDF, location: 0, scale: trendScale)
        let da = studentTLogDensityGradient(a, df: studentDF, location: 0, scale: interceptScale)
        let ds = studentTLogDensityGradient(s, df: studentDF, location: 0, scale: trendScale)
        for j in 0..<4 { gradientBeta[functionalFirst + j] += da * levelValues[j] + ds * trendValues[j] }
        return value
    }

    /// `w_j ~ Normal(0, τ²)` with `w_j = m_j z_j`, `m_j = τ^{a_j}`:
    ///
    ///     log p(z_j) = −½ z_j² m_j²/τ² − (1 − a_j) log τ − log √(2π),
    ///     ∂/∂z_j     = m_j ∂ℓ/∂w_j − z_j m_j²/τ²,
    ///     ∂/∂log τ   = Σ_j (1 − a_j)(z_j² m_j²/τ² − 1) + a_j w_j ∂ℓ/∂w_j
    ///
    /// (a = 0: centred; a = 1: non-centred, w = τz).
    public func addPenalizedCoordinatePrior(theta: [Double], multipliers: [Double], exponents: [Double],
                                            logTau: Double, gradientW: [Double],
                                            logDensity: inout Double, gradient: inout [Double]) -> Double {
        let tau = Double.exp(logTau)
        var dLogTau = 0.0
        let invTau2 = 1 / (tau * tau)
        for j in 0..<penaltyRank {
            let z = theta[j], m = multipliers[j], a = exponents[j]
            let r = m * m * invTau2
            logDensity -= 0.5 * z * z * r + (1 - a) * logTau
            gradient[j] = m * gradientW[j] - z * r
            dLogTau += (1 - a) * (z * z * r - 1) + a * m * z * gradientW[j]
        }
        logDensity -= Double(penaltyRank) * logSqrtTwoPi
        return dLogTau
    }

    /// Adds `log half-t(τ; df, 0, T) + log τ` and its derivative `τ·t′(τ) + 1`.
    public func addScalePrior(logTau: Double, logDensity: inout Double, dLogTau: inout Double) {
        let tau = Double.exp(logTau)
        logDensity += halfStudentTLogDensity(tau, df: studentDF, scale: tauScale) + logTau
        dLogTau = dLogTau + tau * studentTLogDensityGradient(tau, df: studentDF, location: 0, scale: tauScale) + 1
    }

    /// `λ_a`, `λ_s`.
    public var mixtureWeightCount: Int { 2 }

    /// Adds `DᵀD/τ² + (λ_a/A²) b_c b_cᵀ + (λ_s/S²) g_c g_cᵀ`.
    public func addPrecision(into band: UnsafeMutableBufferPointer<Double>, tau: Double, mixtureWeights: [Double]) {
        let invT2 = 1 / (tau * tau)
        let kd = 3
        penaltyBand.withUnsafeBufferPointer { pen in
            for idx in 0..<band.count { band[idx] += pen[idx] * invT2 }
        }
        let lambdaLevel = mixtureWeights[0], lambdaTrend = mixtureWeights[1]
        for i in 0..<4 {
            for j in i..<4 {
                let row = functionalFirst + i, col = functionalFirst + j
                band[kd + row - col + col * (kd + 1)] += lambdaLevel * levelOuter[4 * i + j] + lambdaTrend * trendOuter[4 * i + j]
            }
        }
    }

    /// Log kernel of half-t(df, 0, T) at τ: `−(df+1)/2 · log(1 + (τ/T)²/df)`.
    @inline(__always)
    public func scalePriorKernel(_ tau: Double) -> Double {
        let z = tau / tauScale
        return -0.5 * (studentDF + 1) * Double.log(onePlus: z * z / studentDF)
    }

    public func drawMixtureWeights(beta: [Double], rng: inout RandomStream) -> [Double] {
        let (a, s) = levelAndTrend(beta)
        let weights = drawMixtureWeights(level: a, trend: s, rng: &rng)
        return [weights.level, weights.trend]
    }

    /// `λ ~ Gamma((df+1)/2, (df + (x/scale)²)/2)` for the intercept `a` and the
    /// trend `s` (the Demmler–Reinsch solver has them without forming β).
    public func drawMixtureWeights(level a: Double, trend s: Double, rng: inout RandomStream)
        -> (level: Double, trend: Double) {
        let df = studentDF
        let za = a / interceptScale, zs = s / trendScale
        let level = rng.gamma(shape: (df + 1) / 2, rate: (df + za * za) / 2)
        let trend = rng.gamma(shape: (df + 1) / 2, rate: (df + zs * zs) / 2)
        return (level, trend)
    }
}
