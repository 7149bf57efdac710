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
/// 4. `λ_a, λ_s | β` from their Gamma conditionals (the level prior's
///    `drawMixtureWeights`);
/// 5. Student-t only: `ν | β, σ, y` with the weights integrated out (slice
///    sampling log ν on the t-likelihood, O(n) per evaluation), then
///    `w_i | β, σ, ν ~ Gamma((ν+1)/2, (ν + r_i²/σ²)/2)`.
///
/// Slice widths are tuned in warm-up and frozen for the kept iterations.
/// A sweep is one step of a `TransitionKernel` (`BandGibbs`, `DiagonalGibbs`),
/// the width tuning the adaptation `GibbsWarmup` around it, and chains run
/// through `ChainRunner.gibbs`.
///
/// With Gaussian noise the data part of `Q` is fixed, and in the
/// Demmler–Reinsch coordinates it is diagonal: the same sweep then runs in
/// O(K) per update without any factorization (`DiagonalGibbsState`, the
/// `.diagonal` solver). The band solver here serves Student-t noise, whose
/// weights change `BᵀWB` every sweep.
public enum ConjugateGibbs {
    /// How the coefficients' conditional is factored.
    public enum CoefficientSolver: String, Sendable, CaseIterable {
        /// A band Cholesky of `Q` (any noise model).
        case band
        /// Diagonal plus rank 2 in the Demmler–Reinsch coordinates (Gaussian
        /// noise only, O(K) per update: `DiagonalGibbsState`).
        case diagonal
    }

    /// The solver a chain on `model` uses: diagonal whenever it is valid.
    public static func solver(for model: SplineModel) -> CoefficientSolver {
        DiagonalGibbs(model: model) == nil ? .band : .diagonal
    }
}

extension ConjugateGibbs {
    /// Sweeps of the pilot run that initializes gradient-based samplers.
    public static let pilotWarmup = 50
    public static let pilotDraws = 100

    /// A short pilot run from an overdispersed start: its last state is a
    /// starting point for NUTS and the variances of its draws (in the model's
    /// unconstrained coordinates) an initial diagonal metric. Without it the
    /// first NUTS warm-up iterations, on a unit metric, hit the maximum tree
    /// depth: the posterior scales of the coordinates differ by orders of
    /// magnitude. The windowed adaptation still estimates the metric afresh.
    public static func pilot(model: SplineModel, rng: inout RandomStream) throws
        -> (start: [Double], inverseMetric: DiagonalMetric) {
        let settings = SamplerSettings(sampler: .gibbs, chains: 1, warmup: pilotWarmup, draws: pilotDraws)
        let run = try ChainRunner.gibbs(model: model, settings: settings, rng: &rng)
        var moments = Array(repeating: RunningMoments(), count: model.dimension)
        for theta in run.positions { for j in theta.indices { moments[j].add(theta[j]) } }
        let inverse = moments.map { m -> Double in
            let v = m.variance
            return v.isFinite && v > 0 ? v : 1
        }
        guard let start = run.positions.last else {
            throw SamplingError.invalidSettings("the Gibbs pilot kept no draws")
        }
        return (start, DiagonalMetric(inverse: inverse))
    }

    /// Posterior medians of σ and τ from a pilot run: the estimates a
    /// `.partial` model's non-centring exponents are set from.
    public static func scaleEstimates(model: SplineModel, rng: inout RandomStream) throws -> (sigma: Double, tau: Double) {
        let settings = SamplerSettings(sampler: .gibbs, chains: 1, warmup: pilotWarmup, draws: pilotDraws)
        let run = try ChainRunner.gibbs(model: model, settings: settings, rng: &rng)
        let parameters = run.parameters ?? run.positions.map { model.parameters($0) }
        return (median(parameters.map(\.sigma)), median(parameters.map(\.tau)))
    }

    /// The full conditional of the coefficients given σ and τ, with the
    /// scale-mixture weights at 1 (unit point weights, `λ_a = λ_s = 1`): the
    /// exactly Gaussian core of the sampler, exposed so it can be checked
    /// against a dense computation. Returns the mean and the band precision `Q`.
    public static func conditionalCoefficients(model: SplineModel, sigma: Double, tau: Double)
        -> (mean: [Double], precision: SymmetricBandMatrix) {
        // Unit weights: the conditional of Gaussian noise.
        let state = GibbsState(model: model, noise: GaussianNoise(), start: GibbsStart(sigma: sigma, tau: tau, nu: 1))
        let q = state.precision(sigma: sigma, tau: tau)
        let mean = (try? BandedCholeskyFactor(q))?.solve(state.btwy.map { $0 / (sigma * sigma) }) ?? []
        return (mean, q)
    }

    /// One exact draw from that conditional (the sampler's step 2), by `solver`
    /// (nil: the one the sampler uses for this model); nil when the band
    /// solver cannot factor the precision (in a sweep: `failedFactorization`).
    public static func drawConditionalCoefficients(model: SplineModel, sigma: Double, tau: Double,
                                                   solver: CoefficientSolver? = nil,
                                                   rng: inout RandomStream) -> [Double]? {
        let start = GibbsStart(sigma: sigma, tau: tau, nu: 1)
        if solver != .band, let kernel = DiagonalGibbs(model: model) {
            var state = kernel.initialState(start)
            state.drawCoefficients(rng: &rng)
            return model.design.coefficients(reparametrized: state.v)
        }
        var state = GibbsState(model: model, noise: GaussianNoise(), start: start)
        return state.drawCoefficients(rng: &rng) ? state.beta : nil
    }
}

extension ConjugateGibbs {
    /// The collapsed log density of log τ (step 1 of the sweep) at σ, with unit
    /// λ, by `solver`: equal up to an additive constant whichever solver
    /// computes it. Returns nil when the solver is not valid for the model.
    public static func collapsedLogTauDensity(model: SplineModel, sigma: Double, logTau: Double,
                                              solver: CoefficientSolver) -> Double? {
        let start = GibbsStart(sigma: sigma, tau: 1, nu: 1)
        switch solver {
        case .band:
            return GibbsState(model: model, noise: GaussianNoise(), start: start).collapsedLogTau(logTau)
        case .diagonal:
            return DiagonalGibbs(model: model)?.initialState(start).collapsedLogTau(logTau)
        }
    }
}

/// Reusable buffers for the τ evaluations of one chain (a class so the
/// slice sampler's closure can use them without copying).
final class GibbsWorkspace {
    var band: [Double]
    var rhs: [Double]
    init(order: Int, bandwidth: Int) {
        band = Array(repeating: 0, count: (bandwidth + 1) * order)
        rhs = Array(repeating: 0, count: order)
    }
}

/// The state of one Gibbs chain and its precomputed structure.
struct GibbsState {
    let model: SplineModel
    let noise: any ConjugateNoise
    let k: Int
    let n: Int
    /// The level prior: its precision given τ and `mixtureWeights`, τ's
    /// prior and the weights' conditional.
    let levelPrior: any LevelPrior

    var beta: [Double]
    var sigma: Double
    var tau: Double
    var nu: Double
    /// The level prior's scale-mixture weights (`λ_a`, `λ_s`), 1 at the start.
    var mixtureWeights: [Double]
    var weights: [Double]?
    // Data cross products for the current weights.
    var btwb: SymmetricBandMatrix
    var btwy: [Double]

    let workspace: GibbsWorkspace

    /// `ỹᵀWỹ` for the current weights.
    var ytwy: Double

    var parameters: SplineParameters {
        SplineParameters(coefficients: beta, sigma: sigma, tau: tau, nu: model.shapeParameterCount > 0 ? nu : nil)
    }

    /// The state at `start`, coefficients zero, unit weights, for noise in
    /// the scale-mixture form `noise`.
    init(model: SplineModel, noise: any ConjugateNoise, start initial: GibbsStart) {
        self.model = model
        self.noise = noise
        k = model.design.count
        n = model.design.pointCount
        levelPrior = model.levelPrior
        mixtureWeights = Array(repeating: 1, count: model.levelPrior.mixtureWeightCount)

        sigma = initial.sigma
        tau = initial.tau
        nu = initial.nu
        beta = Array(repeating: 0, count: k)
        if !noise.hasUnitWeights { weights = Array(repeating: 1, count: n) }
        workspace = GibbsWorkspace(order: k, bandwidth: 3)
        (btwb, btwy) = model.design.weightedCrossProducts(values: model.scaledValues, pointWeights: nil)
        ytwy = model.scaledValues.reduce(0) { $0 + $1 * $1 }
    }

    /// `Q` for the given σ, τ and the current λ, weights, as a matrix (the
    /// sampler's own assembly, `fillPrecision`, copied out of the workspace).
    func precision(sigma: Double, tau: Double) -> SymmetricBandMatrix {
        fillPrecision(sigma: sigma, tau: tau)
        var q = SymmetricBandMatrix(order: k, bandwidth: 3)
        q.band = workspace.band
        return q
    }

    /// Writes `Q` for σ, τ and the current λ, weights into the workspace band:
    /// the data term `BᵀWB/σ²`, then the level prior's precision.
    func fillPrecision(sigma: Double, tau: Double) {
        let invS2 = 1 / (sigma * sigma)
        workspace.band.withUnsafeMutableBufferPointer { q in
            btwb.band.withUnsafeBufferPointer { data in
                for idx in 0..<q.count { q[idx] = data[idx] * invS2 }
            }
            levelPrior.addPrecision(into: q, tau: tau, mixtureWeights: mixtureWeights)
        }
    }

    /// Log of p(τ | σ, λ, w, y) with β integrated out, plus the log-τ Jacobian:
    /// `−r log τ − ½ log|Q| + ½ bᵀQ⁻¹b + log p(τ) + log τ`, `b = BᵀWỹ/σ²`,
    /// `r` the penalty's rank (`K − 2`).
    /// Allocation-free: it runs several times per sweep.
    func collapsedLogTau(_ logTau: Double) -> Double {
        let t = Double.exp(logTau)
        guard t.isFinite, t > 0 else { return -.infinity }
        fillPrecision(sigma: sigma, tau: t)
        let invS2 = 1 / (sigma * sigma)
        let k = self.k
        return workspace.band.withUnsafeMutableBufferPointer { q -> Double in
            guard BandedCholeskyInPlace.factor(q, order: k, bandwidth: 3) else { return -.infinity }
            return workspace.rhs.withUnsafeMutableBufferPointer { c -> Double in
                for j in 0..<k { c[j] = btwy[j] * invS2 }
                BandedCholeskyInPlace.solveTriangular(UnsafeBufferPointer(q), order: k, bandwidth: 3, c, transposed: true)
                var quad = 0.0
                for v in c { quad += v * v }
                let logDet = BandedCholeskyInPlace.logDeterminant(UnsafeBufferPointer(q), order: k, bandwidth: 3)
                return -Double(levelPrior.penaltyRank) * logTau - 0.5 * logDet + 0.5 * quad
                    + levelPrior.scalePriorKernel(t) + logTau
            }
        }
    }

    /// One sweep with slice widths `widths`: steps 1–5 of `ConjugateGibbs`.
    /// When any quantity comes out non-finite (the noise scale collapsing on
    /// tied values makes the weights infinite), the state stays as it was and
    /// the info reports a failed update, which flags the fit.
    mutating func sweep(widths: GibbsSliceWidths, rng: inout RandomStream) -> GibbsInfo {
        let before = self
        let info = unguardedSweep(widths: widths, rng: &rng)
        guard tau.isFinite, sigma.isFinite, sigma > 0, nu.isFinite, mixtureWeights.allSatisfy(\.isFinite),
              beta.allSatisfy(\.isFinite), weights?.allSatisfy(\.isFinite) ?? true else {
            self = before
            return GibbsInfo(logTau: Double.log(tau), logSigma: Double.log(sigma), logNu: nil, failedFactorization: true)
        }
        return info
    }

    private mutating func unguardedSweep(widths: GibbsSliceWidths, rng: inout RandomStream) -> GibbsInfo {
        // 1. τ, collapsed over β.
        let tauUpdate = GibbsSteps.sliceLogScale(tau, width: widths.logTau, rng: &rng) { collapsedLogTau($0) }
        tau = tauUpdate.value

        // 2. β exactly; when Q does not factor, β keeps its value and the info says so.
        let factored = drawCoefficients(rng: &rng)

        // 3. σ given β. The weighted residual sum of squares from the cross
        //    products, O(K): ỹᵀWỹ − 2βᵀBᵀWỹ + βᵀ(BᵀWB)β, not a pass over the points.
        let rss = Swift.max(0, ytwy - 2 * dot(beta, btwy) + dot(beta, btwb.multiply(beta)))
        let sigmaUpdate = GibbsSteps.sigma(sigma, residualSumOfSquares: rss, pointCount: Double(n),
                                             priors: model.priors, width: widths.logSigma, rng: &rng)
        sigma = sigmaUpdate.value

        // 4. The level prior's scale-mixture weights (intercept and trend).
        mixtureWeights = levelPrior.drawMixtureWeights(beta: beta, rng: &rng)

        // 5. The noise's shape parameter and point weights (Student-t: ν with
        //    the weights integrated out, then the weights; see `ConjugateNoise`).
        var logNu: Double?
        var noiseUpdateFailed = false
        if !noise.hasUnitWeights {
            let fitted = model.design.pointLevels(beta)
            let invS2 = 1 / (sigma * sigma)
            var scaledSquares = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let r = model.scaledValues[i] - fitted[i]
                scaledSquares[i] = r * r * invS2
            }
            if let updated = noise.updateShapeAndWeights(shape: nu, standardizedSquares: scaledSquares,
                                                         priors: model.priors, width: widths.logNu, rng: &rng) {
                nu = updated.shape
                logNu = updated.logShape
                let w = updated.weights
                weights = w
                (btwb, btwy) = model.design.weightedCrossProducts(values: model.scaledValues, pointWeights: w)
                var weightedSquares = 0.0
                for i in 0..<n { weightedSquares += w[i] * model.scaledValues[i] * model.scaledValues[i] }
                ytwy = weightedSquares
            } else {
                noiseUpdateFailed = true
            }
        }
        // A skipped update (no factorization, or no finite residuals for the
        // noise) is reported, and flags the fit.
        return GibbsInfo(logTau: tauUpdate.log, logSigma: sigmaUpdate.log, logNu: logNu,
                         failedFactorization: !factored || noiseUpdateFailed)
    }

    /// β ~ Normal(Q⁻¹ BᵀWỹ/σ², Q⁻¹) by one band Cholesky `Q = UᵀU`:
    /// `β = U⁻¹(U⁻ᵀ b + z)`. Returns false, leaving β as it was, when `Q`
    /// is not positive definite in floating point.
    @discardableResult
    mutating func drawCoefficients(rng: inout RandomStream) -> Bool {
        fillPrecision(sigma: sigma, tau: tau)
        let invS2 = 1 / (sigma * sigma)
        let k = self.k
        var z = [Double](repeating: 0, count: k)
        for j in 0..<k { z[j] = rng.standardNormal() }
        let ok = workspace.band.withUnsafeMutableBufferPointer { q -> Bool in
            guard BandedCholeskyInPlace.factor(q, order: k, bandwidth: 3) else { return false }
            return z.withUnsafeMutableBufferPointer { c -> Bool in
                var b = [Double](repeating: 0, count: k)
                for j in 0..<k { b[j] = btwy[j] * invS2 }
                b.withUnsafeMutableBufferPointer { bp in
                    BandedCholeskyInPlace.solveTriangular(UnsafeBufferPointer(q), order: k, bandwidth: 3, bp, transposed: true)
                    for j in 0..<k { c[j] += bp[j] }
                }
                BandedCholeskyInPlace.solveTriangular(UnsafeBufferPointer(q), order: k, bandwidth: 3, c, transposed: false)
                return true
            }
        }
        if ok { beta = z }
        return ok
    }
}
