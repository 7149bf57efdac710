import NumericCore

/// A diagonal Euclidean metric: kinetic energy `K(p) = ½ Σ p_i² m_i⁻¹`, with
/// `m⁻¹` the inverse metric (Stan's `inv_metric`, an estimate of the posterior
/// variances). Momenta are drawn from `Normal(0, M)`, `p_i = z_i / √(m_i⁻¹)`.
public struct DiagonalMetric: Sendable, Equatable {
    public var inverse: [Double]

    public init(inverse: [Double]) { self.inverse = inverse }

    /// The unit metric of dimension `d`.
    public static func unit(_ d: Int) -> DiagonalMetric { DiagonalMetric(inverse: Array(repeating: 1, count: d)) }

    @inlinable
    public func kineticEnergy(_ p: [Double]) -> Double {
        var k = 0.0
        for i in p.indices { k += p[i] * p[i] * inverse[i] }
        return 0.5 * k
    }

    /// `∂K/∂p = M⁻¹ p`, the velocity (Stan's `dtau_dp`, "p sharp").
    @inlinable
    public func velocity(_ p: [Double]) -> [Double] {
        var v = p
        for i in v.indices { v[i] *= inverse[i] }
        return v
    }

    /// A momentum drawn from `Normal(0, M)`.
    public func drawMomentum(_ rng: inout RandomStream) -> [Double] {
        inverse.map { rng.standardNormal() / $0.squareRoot() }
    }
}
