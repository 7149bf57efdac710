import NumericCore

/// What the spline model needs of a noise distribution for the residuals
/// `r_i = ỹ_i − μ(x_i)` on the working scale: its log-likelihood with
/// derivatives, the prior of its own parameters, and draws of new noise.
///
/// Besides the scale σ a noise model may have shape parameters (Student-t's
/// ν). They are sampled on the log scale and follow `log σ`, `log τ` in the
/// model's unconstrained vector θ, in the order of `shapeParameterNames`.
/// Adding a noise model is a new conforming type and a case of `NoiseModel`
/// that names it; the model, its density and the predictive draws use it
/// through this protocol. (The conjugate Gibbs sampler needs more — a
/// scale-mixture form of the noise — and knows its noise models itself.)
public protocol NoiseLikelihood: Sendable {
    /// Names of the shape parameters as reported (e.g. `["nu"]`); empty for none.
    var shapeParameterNames: [String] { get }

    /// `ℓ = Σ_i log p(r_i | σ, shape)` over the points of `design` at
    /// coefficients `beta`, with `∂ℓ/∂β` added into `gradientBeta`.
    /// `shape` holds the shape parameters on their natural scale. Returns ℓ,
    /// `∂ℓ/∂log σ` and `∂ℓ/∂shape` (natural scale), or nil when the shape
    /// parameters are outside their domain (density zero).
    func logLikelihood(design: SplineDesign, values: [Double], beta: [Double], sigma: Double, logSigma: Double,
                       shape: [Double], gradientBeta: inout [Double]) -> NoiseLogLikelihood?

    /// The log prior density of the shape parameters as sampled, on the log
    /// scale (Jacobian included), and its gradient with respect to the log
    /// shape parameters, with the likelihood's natural-scale derivatives
    /// `likelihoodGradient` carried through the log transform.
    func logShapePrior(logShape: [Double], likelihoodGradient: [Double], priors: SplinePriors)
        -> (value: Double, gradient: [Double])

    /// Turns `standardNormals` (one per draw) into draws of standardized noise
    /// `ε/σ`, draw `j` at the shape parameters
    /// `shapes[j·c ..< (j+1)·c]` (`c` the number of shape parameters), using
    /// `rng` for anything the normals do not cover.
    func standardizeNoise(_ standardNormals: inout [Double], shapes: [Double], rng: inout RandomStream)

    /// Shape parameters drawn from their prior (simulation from the model).
    func drawShapeParameters(priors: SplinePriors, rng: inout RandomStream) -> [Double]

    /// One draw of standardized noise `ε/σ` at `shapes`.
    func drawStandardizedNoise(shapes: [Double], rng: inout RandomStream) -> Double
}

/// The result of `NoiseLikelihood.logLikelihood`.
public struct NoiseLogLikelihood: Sendable {
    public var value: Double
    public var dLogSigma: Double
    public var dShape: [Double]

    public init(value: Double, dLogSigma: Double, dShape: [Double]) {
        self.value = value
        self.dLogSigma = dLogSigma
        self.dShape = dShape
    }
}

extension NoiseModel {
    /// The likelihood this noise model names.
    public var likelihood: any NoiseLikelihood {
        switch self {
        case .gaussian: return GaussianNoise()
        case .studentT: return StudentTNoise()
        }
    }
}
