import Testing
import NumericCore
import RealModule
import Sampling

/// The generalized no-U-turn criterion: a segment keeps expanding while the
/// velocities at both ends have a positive projection on its summed momentum.
@Test func uTurnCriterionStopsWhenEitherEndTurnsBack() {
    let rho = [2.0, 0.5]
    #expect(UTurn.continues(velocityBackward: [1, 0], velocityForward: [1, 0.2], rho: rho))
    #expect(!UTurn.continues(velocityBackward: [1, 0], velocityForward: [-1, 0], rho: rho))
    #expect(!UTurn.continues(velocityBackward: [-1, 0.1], velocityForward: [1, 0], rho: rho))
    // Orthogonal counts as turned: the criterion needs strictly positive projections.
    #expect(!UTurn.continues(velocityBackward: [1, 0], velocityForward: [-0.25, 1], rho: rho))
}

private func span(_ momenta: [[Double]]) -> TrajectorySpan {
    // Unit metric: velocity = momentum.
    var joined = TrajectorySpan(momentum: momenta[0], velocity: momenta[0])
    for p in momenta.dropFirst() { joined = TrajectorySpan.join(joined, TrajectorySpan(momentum: p, velocity: p)).span }
    return joined
}

/// Joining keeps the outer ends and sums the momenta; a trajectory moving
/// one way continues, and one whose far half comes back stops.
@Test func joinSumsMomentaAndKeepsTheOuterEnds() {
    let near = span([[1, 0], [1, 0.1]])
    let far = span([[0.9, 0.2], [0.8, 0.3]])
    let (joined, continues) = TrajectorySpan.join(near, far)
    #expect(continues)
    #expect(joined.rho[0].isApproximatelyEqual(to: 3.7, relativeTolerance: 1e-15))
    #expect(joined.rho[1].isApproximatelyEqual(to: 0.6, relativeTolerance: 1e-15))
    #expect(joined.momentumBegin == [1, 0] && joined.momentumEnd == [0.8, 0.3])
    #expect(joined.reversed.velocityBegin == [0.8, 0.3])

    let back = span([[-1.5, 0], [-1.5, 0]])
    #expect(!TrajectorySpan.join(near, back).continues)
}

/// The seam checks catch a turn across the join that the whole span does
/// not show: in `[1,0] [1,0] | [−1,0.2] [5,0]` both ends project positively
/// on the whole span's `ρ = (6, 0.2)`, but `near` extended by the first
/// state of `far` (`ρ = (1, 0.2)`) ends on a velocity pointing back.
@Test func seamCheckCatchesATurnAcrossTheJoin() {
    let near = span([[1, 0], [1, 0]])
    let far = span([[-1, 0.2], [5, 0]])
    #expect(UTurn.continues(velocityBackward: [1, 0], velocityForward: [5, 0], rho: [6, 0.2]))
    #expect(!UTurn.continues(velocityBackward: [1, 0], velocityForward: [-1, 0.2], rho: [1, 0.2]))
    #expect(!TrajectorySpan.join(near, far).continues)
}

/// A point target whose density is zero beyond |q| > 1: every trajectory
/// that leaves the support has infinite energy error and is divergent.
private struct BoundedTarget: LogDensityModel {
    var dimension: Int { 1 }
    func logDensity(_ theta: [Double]) -> Double { abs(theta[0]) < 1 ? -0.5 * theta[0] * theta[0] : -.infinity }
    func logDensityAndGradient(_ theta: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = -theta[0]
        return logDensity(theta)
    }
}

/// Divergences: a step size far too large for a narrow Gaussian diverges
/// (energy error above 1000) at once; a small one on the same target does
/// not; leaving the support of a bounded target diverges and stays put.
@Test func divergenceIsReportedWhenTheEnergyErrorExplodes() throws {
    var covariance = Matrix(rows: 1, columns: 1)
    covariance[0, 0] = 1e-4
    let narrow = try GaussianTarget(mean: [0], covariance: covariance)
    var rng = RandomStream(seed: 3)
    let large = NUTS(model: narrow, stepSize: 10, metric: .unit(1))
    var state = large.initialState([0.01])
    let info = large.step(&state, rng: &rng)
    #expect(info.divergent)
    #expect(info.treeDepth == 0 && info.leapfrogSteps == 1)
    #expect(state.position == [0.01])

    let small = NUTS(model: narrow, stepSize: 0.005, metric: .unit(1))
    var calm = small.initialState([0.01])
    for _ in 0..<20 { #expect(!small.step(&calm, rng: &rng).divergent) }

    let bounded = NUTS(model: BoundedTarget(), stepSize: 50, metric: .unit(1))
    var inside = bounded.initialState([0.5])
    let escaped = bounded.step(&inside, rng: &rng)
    #expect(escaped.divergent && inside.position == [0.5])
}

/// The tree depth stops at the maximum and is reported as reached: with a
/// tiny step size on a wide target no U-turn happens within 2^3 − 1 steps.
@Test func treeDepthStopsAtTheMaximum() throws {
    var covariance = Matrix(rows: 1, columns: 1)
    covariance[0, 0] = 100
    let wide = try GaussianTarget(mean: [0], covariance: covariance)
    let kernel = NUTS(model: wide, stepSize: 1e-3, metric: .unit(1), maxTreeDepth: 3)
    var rng = RandomStream(seed: 8)
    var state = kernel.initialState([0])
    let info = kernel.step(&state, rng: &rng)
    #expect(info.treeDepth == 3 && info.hitMaxTreeDepth && info.leapfrogSteps == 7)
    #expect(!info.divergent)
}
