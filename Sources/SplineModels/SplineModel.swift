import NumericCore
import RealModule

/// The model of SPEC §5 for one series, on centred and scaled data:
///
///     ỹ_i = μ(x_i) + ε_i,   μ(x) = Σ_k β_k B_k(x),   ε ~ Normal(0, σ) or Student-t(ν, 0, σ)
///     Dβ ~ Normal(0, τ² I)            (second-order random walk, K − 2 rows)
///     a = μ(x_c) ~ t(3, 0, 1)         (intercept: level at the centre of the range)
///     s = μ'(x_c)(hi − lo) ~ t(3, 0, 5)   (linear trend, not penalized by D)
///     σ, τ ~ half-t(3, 0, 1),  ν ~ Gamma(2, 0.1)
///
/// with `ỹ = (y − median y)/mad(y)`. On the original scale this is the
/// reference model's `α + f(day)` with the priors of SPEC §5.
///
/// The unconstrained vector is
///
///     θ = [w_1 … w_{K−2}, c₁, c₂, log σ, log τ, (log ν)]
///
/// with `β = G[w; c]` (see `SplineDesign`: `Dβ = Ow`, `O` orthogonal; `c` the
/// level and trend coordinates of the null space), the priors on `a` and `s`
/// evaluated through `β`, and, by `Parametrization`:
/// - `.centred` (default): `w ~ Normal(0, τ² I)`. Best when the data pin the
///   curve down (a year of runs): `w` is then nearly independent of τ.
/// - `.nonCentred`: `w = τz`, `z ~ Normal(0, I)` in θ (as brms parameterizes
///   smooths). Best when the data are weak relative to the prior, where the
///   centred form has a funnel.
/// - `.partial`: each coordinate on its own way between the two,
///   `w_j = τ^{a_j} z_j` with `a_j = (1/τ̂²) / (1/τ̂² + h_j/σ̂²)` the prior's
///   share of the information on `w_j` at estimates σ̂, τ̂ (`h_j` the data
///   precision, `SplineDesign.penalizedDataPrecision`): partial non-centring
///   (Papaspiliopoulos, Roberts & Sköld 2007, "A general framework for the
///   parametrization of hierarchical models", Statistical Science 22(1)).
///   A smoothing spline has both kinds of coordinate — the slow components the
///   data pin down and the wiggly ones only the prior holds — so neither pure
///   form suits all of them; the fit service sets σ̂, τ̂ from a short Gibbs pilot.
///
/// In every form `z_j`'s prior is `Normal(0, τ^{2(1−a_j)})` (a_j = 0 centred,
/// 1 non-centred).
/// One density+gradient costs two dense `K × K` products plus O(n) work over
/// the points.
public struct SplineModel: LogDensityModel {
    public let design: SplineDesign
    public let noise: NoiseModel
    /// The likelihood `noise` names.
    public let likelihood: any NoiseLikelihood
    /// Shape parameters of the noise model (ν for Student-t), after log σ and log τ in θ.
    public let shapeParameterCount: Int
    public let priors: SplinePriors
    /// The prior of the level's coefficients and its scale τ (SPEC §5's
    /// P-spline prior, `RandomWalkPenaltyPrior`); θ's penalized coordinates,
    /// null-space coordinates and `log τ` are its parameters.
    public let levelPrior: any LevelPrior
    /// Data on the working scale `ỹ`.
    public let scaledValues: [Double]
    /// The original-scale transform: `y = centre + scale·ỹ`.
    public let location: Double
    public let scale: Double
    public let parametrization: Parametrization

    /// How the penalized coefficients appear in θ (see the type's documentation).
    public enum Parametrization: String, Sendable, Equatable, Codable {
        case centred
        case nonCentred = "non-centred"
        case partial
    }

    /// Exponents `a_j` of τ in `w_j = τ^{a_j} z_j`, one per penalized coordinate.
    public private(set) var nonCentring: [Double]

    /// Estimates σ̂, τ̂ a `.partial` model starts from until the fit service
    /// gives better ones: the noise about one working-scale unit (the MAD of
    /// the data), a smooth curve (τ a tenth of that).
    public static let defaultNonCentringEstimates = (sigma: 1.0, tau: 0.1)

    /// The same model with `.partial` exponents from the estimates σ̂, τ̂
    /// (other parametrizations are returned unchanged).
    public func withNonCentring(sigma: Double, tau: Double) -> SplineModel {
        guard parametrization == .partial, sigma > 0, tau > 0, sigma.isFinite, tau.isFinite else { return self }
        var copy = self
        copy.nonCentring = Self.partialExponents(dataPrecision: design.penalizedDataPrecision, sigma: sigma, tau: tau)
        return copy
    }

    /// `a_j = (1/τ²) / (1/τ² + h_j/σ²)`.
    static func partialExponents(dataPrecision h: [Double], sigma: Double, tau: Double) -> [Double] {
        let prior = 1 / (tau * tau), unit = 1 / (sigma * sigma)
        return h.map { prior / (prior + Swift.max(0, $0) * unit) }
    }

    /// `τ^{a_j}`: θ's `z_j` times this is `w_j`.
    public func penalizedMultipliers(logTau: Double) -> [Double] {
        let tau = Double.exp(logTau)
        return nonCentring.map { a in a == 0 ? 1 : (a == 1 ? tau : Double.exp(a * logTau)) }
    }

    public var basisCount: Int { design.count }
    public var dimension: Int { design.count + 2 + shapeParameterCount }

    // Positions in θ (`c₁`, `c₂` are the null-space level and trend coordinates).
    public var interceptIndex: Int { design.count - 2 }
    public var trendIndex: Int { design.count - 1 }
    public var logSigmaIndex: Int { design.count }
    public var logTauIndex: Int { design.count + 1 }
    /// The first shape parameter (`SplineParameters.nu`: Student-t's ν, the
    /// only noise model with one).
    public var logNuIndex: Int? { shapeParameterCount > 0 ? design.count + 2 : nil }

    /// Builds the model for points at integer `days` with values `values`.
    /// Throws `ModelError` for empty input, a single distinct day, negative days
    /// or non-finite values.
    public init(days: [Int], values: [Double], noise: NoiseModel = .gaussian,
                priors: SplinePriors = .standard, basisCount: Int? = nil,
                parametrization: Parametrization = .centred,
                workingScale fixedScale: (location: Double, scale: Double)? = nil) throws {
        guard !days.isEmpty else { throw ModelError.emptySeries }
        guard days.count == values.count else { throw ModelError.lengthMismatch(days: days.count, values: values.count) }
        if let i = values.firstIndex(where: { !$0.isFinite }) { throw ModelError.nonFiniteValue(index: i, value: values[i]) }
        if let i = days.firstIndex(where: { $0 < 0 }) { throw ModelError.negativeDay(index: i, day: days[i]) }
        guard priors.studentDF > 0, priors.interceptScale > 0, priors.tauScale > 0, priors.sigmaScale > 0,
              priors.trendScale > 0, priors.nuShape > 0, priors.nuRate > 0 else {
            throw ModelError.invalidPrior("every prior scale, shape and rate must be positive")
        }
        design = try SplineDesign(days: days.map(Double.init), basisCount: basisCount)
        self.noise = noise
        likelihood = noise.likelihood
        shapeParameterCount = likelihood.shapeParameterNames.count
        self.priors = priors
        levelPrior = RandomWalkPenaltyPrior(design: design, priors: priors)
        self.parametrization = parametrization
        switch parametrization {
        case .centred: nonCentring = Array(repeating: 0, count: design.count - 2)
        case .nonCentred: nonCentring = Array(repeating: 1, count: design.count - 2)
        case .partial:
            nonCentring = Self.partialExponents(dataPrecision: design.penalizedDataPrecision,
                                                sigma: Self.defaultNonCentringEstimates.sigma,
                                                tau: Self.defaultNonCentringEstimates.tau)
        }
        // The priors scale with the data (median, MAD) as in the reference; a
        // fixed working scale makes them data-independent (simulation-based calibration).
        let (loc, sc) = fixedScale ?? Self.workingScale(values)
        guard sc > 0, sc.isFinite, loc.isFinite else { throw ModelError.invalidPrior("the working scale must be finite and positive") }
        location = loc
        scale = sc
        scaledValues = values.map { ($0 - loc) / sc }
    }

    /// Centre and scale of the working scale: median and normalized MAD; the
    /// standard deviation when more than half the values are equal (MAD 0); 1
    /// for a constant series (so nothing divides by zero).
    public static func workingScale(_ values: [Double]) -> (location: Double, scale: Double) {
        let m = median(values)
        var s = normalizedMAD(values)
        if !(s > 0) && values.count > 1 { s = variance(values).squareRoot() }
        if !(s > 0) || !s.isFinite { s = Swift.max(abs(m) * 1e-6, 1) }
        return (m, s)
    }

    // MARK: Parameters

    /// The parameters on the working scale for an unconstrained `θ`.
    public func parameters(_ theta: [Double]) -> SplineParameters {
        let k = design.count
        let tau = Double.exp(theta[logTauIndex])
        var v = [Double](repeating: 0, count: k)
        let multipliers = penalizedMultipliers(logTau: theta[logTauIndex])
        for j in 0..<(k - 2) { v[j] = multipliers[j] * theta[j] }
        v[k - 2] = theta[interceptIndex]
        v[k - 1] = theta[trendIndex]
        return SplineParameters(coefficients: design.coefficients(reparametrized: v),
                                sigma: Double.exp(theta[logSigmaIndex]), tau: tau,
                                nu: logNuIndex.map { Double.exp(theta[$0]) })
    }

    /// The unconstrained `θ` of working-scale parameters (inverse of `parameters`).
    public func unconstrained(_ p: SplineParameters) -> [Double] {
        let k = design.count
        let v = design.reparametrized(coefficients: p.coefficients)
        var theta = [Double](repeating: 0, count: dimension)
        let multipliers = penalizedMultipliers(logTau: Double.log(p.tau))
        for j in 0..<(k - 2) { theta[j] = v[j] / multipliers[j] }
        theta[interceptIndex] = v[k - 2]
        theta[trendIndex] = v[k - 1]
        theta[logSigmaIndex] = Double.log(p.sigma)
        theta[logTauIndex] = Double.log(p.tau)
        if let i = logNuIndex { theta[i] = Double.log(p.nu ?? 20) }
        return theta
    }

    // MARK: Density

    public func logDensity(_ theta: [Double]) -> Double {
        var g = [Double](repeating: 0, count: dimension)
        return logDensityAndGradient(theta, gradient: &g)
    }

    public func logDensityAndGradient(_ theta: [Double], gradient: inout [Double]) -> Double {
        let k = design.count
        let logSigma = theta[logSigmaIndex], logTau = theta[logTauIndex]
        let sigma = Double.exp(logSigma), tau = Double.exp(logTau)
        guard sigma.isFinite, sigma > 0, tau.isFinite, tau > 0 else {
            for j in gradient.indices { gradient[j] = 0 }
            return -.infinity
        }

        let multipliers = penalizedMultipliers(logTau: logTau)
        var v = [Double](repeating: 0, count: k)
        for j in 0..<(k - 2) { v[j] = multipliers[j] * theta[j] }
        v[k - 2] = theta[interceptIndex]
        v[k - 1] = theta[trendIndex]
        let beta = design.reparametrization.multiply(v)

        // Likelihood over the points: one pass computing residuals and d/dμ.
        var gradBeta = [Double](repeating: 0, count: k)
        let shapeStart = logTauIndex + 1
        let logShape = Array(theta[shapeStart..<(shapeStart + shapeParameterCount)])
        guard let pointTerms = likelihood.logLikelihood(
            design: design, values: scaledValues, beta: beta, sigma: sigma, logSigma: logSigma,
            shape: logShape.map { Double.exp($0) }, gradientBeta: &gradBeta) else {
            for j in gradient.indices { gradient[j] = 0 }
            return -.infinity
        }

        // The level prior's terms on β (intercept and trend), then on the
        // penalized coordinates through β = G v: ∂/∂v = Gᵀ ∂/∂β.
        var logPrior = levelPrior.logCoefficientPrior(beta: beta, gradientBeta: &gradBeta)
        let gradV = design.reparametrization.multiply(gradBeta, transpose: true)
        let dLogTauFromPenalized = levelPrior.addPenalizedCoordinatePrior(
            theta: theta, multipliers: multipliers, exponents: nonCentring, logTau: logTau, gradientW: gradV,
            logDensity: &logPrior, gradient: &gradient)
        gradient[interceptIndex] = gradV[k - 2]
        gradient[trendIndex] = gradV[k - 1]

        // Scales on the log scale: density of log x is p(x)·x.
        let df = priors.studentDF
        logPrior += halfStudentTLogDensity(sigma, df: df, scale: priors.sigmaScale) + logSigma
        gradient[logSigmaIndex] = pointTerms.dLogSigma
            + sigma * studentTLogDensityGradient(sigma, df: df, location: 0, scale: priors.sigmaScale) + 1
        var dLogTau = dLogTauFromPenalized
        levelPrior.addScalePrior(logTau: logTau, logDensity: &logPrior, dLogTau: &dLogTau)
        gradient[logTauIndex] = dLogTau
        if !logShape.isEmpty {
            let shapePrior = likelihood.logShapePrior(logShape: logShape, likelihoodGradient: pointTerms.dShape,
                                                            priors: priors)
            logPrior += shapePrior.value
            for (j, g) in shapePrior.gradient.enumerated() { gradient[shapeStart + j] = g }
        }
        return pointTerms.value + logPrior
    }
}
