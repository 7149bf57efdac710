import NumericCore

/// What the spline model and its samplers need of a prior on the level's
/// spline coefficients `β` and of that prior's own hyper-parameters.
///
/// The model's unconstrained vector θ holds the coefficients as penalized
/// coordinates and two null-space coordinates (`β = G[w; c]`, see
/// `SplineDesign`), with `w_j = m_j z_j`, `m_j = τ^{a_j}` (the parametrization,
/// `SplineModel.Parametrization`), and the prior's scale τ as `log τ`. A level
/// prior supplies, for NUTS and Metropolis, its log density in those terms
/// with derivatives; for the conditionally conjugate Gibbs sampler, its
/// precision on `β` given its hyper-parameters (it must be Gaussian given
/// them: a scale mixture of normals), the terms of τ's collapsed conditional,
/// and draws of its scale-mixture weights.
///
/// Adding a level component is a new conforming type and its tests. The
/// Demmler–Reinsch Gibbs solver (`DiagonalGibbsState`) relies on the
/// random-walk structure (penalty diagonal in the Demmler–Reinsch basis, a
/// rank-2 mixture term) and runs only for `RandomWalkPenaltyPrior`; any other
/// conforming type goes through the band solver, which needs the prior's
/// precision within the data's bandwidth 3 (a wider one needs a wider band).
public protocol LevelPrior: Sendable {
    /// Number of penalized coordinates `w` (the rank of the penalty): the
    /// power of τ in the prior's normalizing constant, `τ^{−rank}`.
    var penaltyRank: Int { get }

    /// `log p(β)` of the terms that act on `β` directly (not through the
    /// penalized coordinates), with `∂/∂β` added into `gradientBeta`.
    func logCoefficientPrior(beta: [Double], gradientBeta: inout [Double]) -> Double

    /// Adds `log p(z | τ)` of the penalized coordinates as sampled (`z = θ[0..<rank]`,
    /// `w_j = multipliers[j]·z_j = τ^{exponents[j]} z_j`) to `logDensity`, writes
    /// `∂/∂z_j` into `gradient[j]` given the likelihood's `gradientW = ∂ℓ/∂w`,
    /// and returns the penalty's part of `∂/∂log τ` (including the likelihood's
    /// dependence on τ through `w`).
    func addPenalizedCoordinatePrior(theta: [Double], multipliers: [Double], exponents: [Double], logTau: Double,
                                     gradientW: [Double], logDensity: inout Double, gradient: inout [Double]) -> Double

    /// Adds `log p(log τ)` (Jacobian included) to `logDensity` and its
    /// derivative in log τ to `dLogTau`.
    func addScalePrior(logTau: Double, logDensity: inout Double, dLogTau: inout Double)

    // MARK: Conditionally conjugate (Gibbs) form

    /// Number of scale-mixture weights λ given which the prior is Gaussian.
    var mixtureWeightCount: Int { get }

    /// Adds the prior precision of `β` given τ and the mixture weights `λ`
    /// (`mixtureWeightCount` of them, in the order `drawMixtureWeights` gives)
    /// into the upper band storage `band` of order `K` with 3 super-diagonals
    /// (LAPACK `dsbtrf` layout: `(i, j)`, `i ≤ j`, at `3 + i − j + 4j`), the
    /// bandwidth of the cubic B-spline data term the band solver adds it to.
    func addPrecision(into band: UnsafeMutableBufferPointer<Double>, tau: Double, mixtureWeights: [Double])

    /// `log p(τ)` up to a constant (no Jacobian): the prior's factor of τ's
    /// collapsed conditional, besides `τ^{−rank}`.
    func scalePriorKernel(_ tau: Double) -> Double

    /// Mixture weights drawn from their conditional given `β`.
    func drawMixtureWeights(beta: [Double], rng: inout RandomStream) -> [Double]
}
