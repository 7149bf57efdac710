import NumericCore

/// The leapfrog (Störmer–Verlet) integrator for `H(q, p) = −log π(q) + K(p)`:
/// half step in momentum, full step in position, half step in momentum.
/// Volume-preserving and reversible, so Metropolis corrections are exact.
public enum Leapfrog {
    /// One step of size `epsilon` (negative to integrate backwards in time).
    @inlinable
    public static func step<Model: LogDensityModel>(_ z: inout PhasePoint, epsilon: Double,
                                                    metric: DiagonalMetric, model: Model) {
        let d = z.position.count
        let half = 0.5 * epsilon
        for i in 0..<d { z.momentum[i] += half * z.gradient[i] }
        for i in 0..<d { z.position[i] += epsilon * metric.inverse[i] * z.momentum[i] }
        z.logDensity = model.logDensityAndGradient(z.position, gradient: &z.gradient)
        if !z.logDensity.isFinite { z.logDensity = -.infinity; return }
        for i in 0..<d { z.momentum[i] += half * z.gradient[i] }
    }

    /// The Hamiltonian `−log π(q) + K(p)`; `+∞` when the density is not finite.
    @inlinable
    public static func hamiltonian(_ z: PhasePoint, metric: DiagonalMetric) -> Double {
        let h = -z.logDensity + metric.kineticEnergy(z.momentum)
        return h.isNaN ? .infinity : h
    }
}
