/// What a sampler sees of a model: an unnormalized log posterior density and
/// its gradient on an unconstrained vector `θ ∈ ℝᵈ` (scales on the log scale,
/// with their Jacobian already included), as in Stan's model concept.
///
/// Samplers know nothing else about the model; models know nothing about
/// samplers.
public protocol LogDensityModel: Sendable {
    /// The dimension `d` of the unconstrained vector.
    var dimension: Int { get }

    /// `log p(θ | data)` up to a constant; `-∞` where the density is zero or not finite.
    func logDensity(_ theta: [Double]) -> Double

    /// `log p(θ | data)` and `∇ log p(θ | data)` written into `gradient`
    /// (which must have `dimension` elements).
    func logDensityAndGradient(_ theta: [Double], gradient: inout [Double]) -> Double
}
