import Testing
import NumericCore
import RealModule
import Sampling

/// The leapfrog integrator on a Gaussian target `N(0, diag(1, 4))`, where
/// `H(q, p) = ½ Σ q_i²/s_i² + ½ Σ p_i² m_i⁻¹` is a pair of harmonic oscillators.
private func gaussianPhasePoint(position: [Double], momentum: [Double], target: GaussianTarget) -> PhasePoint {
    var gradient = [Double](repeating: 0, count: position.count)
    let lp = target.logDensityAndGradient(position, gradient: &gradient)
    return PhasePoint(position: position, momentum: momentum, logDensity: lp, gradient: gradient)
}

private func diagonalTarget() throws -> GaussianTarget {
    var covariance = Matrix(rows: 2, columns: 2)
    covariance[0, 0] = 1
    covariance[1, 1] = 4
    return try GaussianTarget(mean: [0, 0], covariance: covariance)
}

/// Integrating forwards `n` steps, negating the momentum and integrating
/// `n` steps more returns to the start with the momentum negated: the map is
/// reversible, up to rounding.
@Test func leapfrogIsReversible() throws {
    let target = try diagonalTarget()
    let metric = DiagonalMetric(inverse: [0.8, 3])
    let start = gaussianPhasePoint(position: [0.7, -1.9], momentum: [1.3, 0.4], target: target)
    var z = start
    for _ in 0..<25 { Leapfrog.step(&z, epsilon: 0.17, metric: metric, model: target) }
    #expect(!z.position[0].isApproximatelyEqual(to: start.position[0], relativeTolerance: 1e-3))
    z.momentum = z.momentum.map { -$0 }
    for _ in 0..<25 { Leapfrog.step(&z, epsilon: 0.17, metric: metric, model: target) }
    for i in 0..<2 {
        #expect(z.position[i].isApproximatelyEqual(to: start.position[i], absoluteTolerance: 1e-12))
        #expect((-z.momentum[i]).isApproximatelyEqual(to: start.momentum[i], absoluteTolerance: 1e-12))
    }
}

/// The largest energy error over a trajectory of fixed length `T = 2` with
/// `T/ε` steps.
private func maxEnergyError(epsilon: Double) throws -> Double {
    let target = try diagonalTarget()
    let metric = DiagonalMetric(inverse: [1, 2])
    var z = gaussianPhasePoint(position: [1, -1], momentum: [0.5, 0.8], target: target)
    let h0 = Leapfrog.hamiltonian(z, metric: metric)
    var worst = 0.0
    for _ in 0..<Int((2 / epsilon).rounded()) {
        Leapfrog.step(&z, epsilon: epsilon, metric: metric, model: target)
        worst = Swift.max(worst, abs(Leapfrog.hamiltonian(z, metric: metric) - h0))
    }
    return worst
}

/// Leapfrog is a second-order method: over a fixed integration time the
/// energy error is `O(ε²)`, so halving `ε` divides it by 4 (to leading order).
@Test func leapfrogEnergyErrorIsSecondOrderInTheStepSize() throws {
    let coarse = try maxEnergyError(epsilon: 0.1)
    let fine = try maxEnergyError(epsilon: 0.05)
    let finer = try maxEnergyError(epsilon: 0.025)
    #expect(coarse > 0 && coarse < 0.05)
    #expect((coarse / fine).isApproximatelyEqual(to: 4, relativeTolerance: 0.05), "ratio \(coarse / fine)")
    #expect((fine / finer).isApproximatelyEqual(to: 4, relativeTolerance: 0.05), "ratio \(fine / finer)")
}

/// The Hamiltonian of a point is `−log π(q) + ½ pᵀM⁻¹p`, and `+∞` where the
/// density is not finite.
@Test func hamiltonianIsPotentialPlusKineticEnergy() throws {
    let target = try diagonalTarget()
    let metric = DiagonalMetric(inverse: [1, 2])
    let z = gaussianPhasePoint(position: [1, 2], momentum: [3, -1], target: target)
    // ½(1 + 4/4) + ½(9·1 + 1·2)
    #expect(Leapfrog.hamiltonian(z, metric: metric).isApproximatelyEqual(to: 1 + 5.5, relativeTolerance: 1e-14))
    var outside = z
    outside.logDensity = -.infinity
    #expect(Leapfrog.hamiltonian(outside, metric: metric) == .infinity)
}
