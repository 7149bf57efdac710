import NumericCore
import SplineModels

/// Builds one NUTS trajectory by repeated doubling (Hoffman & Gelman 2014,
/// with Betancourt's multinomial sampling of states and the generalized
/// no-U-turn criterion checked on every subtree and across the seams between
/// subtrees, as in Stan 2.2x `base_nuts`).
///
/// Within a subtree a state is chosen with probability proportional to
/// `exp(−H)` (multinomial); when a new subtree is joined at the top level its
/// proposal replaces the current one with probability `min(1, w_new/w_old)`
/// (biased progressive sampling), which favours states far from the start.
struct TrajectoryBuilder<Model: LogDensityModel> {
    let model: Model
    let metric: DiagonalMetric
    let epsilon: Double
    let initialHamiltonian: Double
    /// An energy error above this marks the transition divergent (Stan: 1000).
    let maxEnergyError: Double

    var leapfrogSteps = 0
    var divergent = false
    /// Σ min(1, exp(H0 − H)) over the leapfrog states: the adaptation statistic.
    var sumAcceptProbability = 0.0

    init(model: Model, metric: DiagonalMetric, epsilon: Double, initialHamiltonian: Double, maxEnergyError: Double) {
        self.model = model
        self.metric = metric
        self.epsilon = epsilon
        self.initialHamiltonian = initialHamiltonian
        self.maxEnergyError = maxEnergyError
    }

    /// The result of building one subtree.
    struct Subtree {
        var proposal: PhasePoint
        var logSumWeight: Double
        var rho: [Double]
        /// Momentum and velocity at the end nearest the start (beginning) and farthest (end).
        var momentumBegin: [Double]
        var velocityBegin: [Double]
        var momentumEnd: [Double]
        var velocityEnd: [Double]
        var edge: PhasePoint
    }

    /// Builds a subtree of `2^depth` leapfrog steps from `start` in `direction`
    /// (+1 forward, −1 backward). Returns nil when the subtree diverged or made
    /// a U-turn (it is then discarded).
    mutating func build(from start: PhasePoint, depth: Int, direction: Double,
                        rng: inout RandomStream) -> Subtree? {
        if depth == 0 {
            var z = start
            Leapfrog.step(&z, epsilon: direction * epsilon, metric: metric, model: model)
            leapfrogSteps += 1
            let h = Leapfrog.hamiltonian(z, metric: metric)
            let delta = initialHamiltonian - h
            if !(h - initialHamiltonian <= maxEnergyError) {
                divergent = true
                sumAcceptProbability += 0
                return nil
            }
            sumAcceptProbability += delta > 0 ? 1 : Double.exp(delta)
            let v = metric.velocity(z.momentum)
            return Subtree(proposal: z, logSumWeight: delta, rho: z.momentum,
                           momentumBegin: z.momentum, velocityBegin: v,
                           momentumEnd: z.momentum, velocityEnd: v, edge: z)
        }
        guard let inner = build(from: start, depth: depth - 1, direction: direction, rng: &rng) else { return nil }
        guard let outer = build(from: inner.edge, depth: depth - 1, direction: direction, rng: &rng) else { return nil }

        let logSumWeight = logAddExp(inner.logSumWeight, outer.logSumWeight)
        var proposal = inner.proposal
        // Uniform multinomial choice between the halves, by weight.
        if outer.logSumWeight > logSumWeight || rng.uniform() < Double.exp(outer.logSumWeight - logSumWeight) {
            proposal = outer.proposal
        }
        var rho = inner.rho
        for i in rho.indices { rho[i] += outer.rho[i] }

        var persist = UTurn.continues(velocityBackward: inner.velocityBegin, velocityForward: outer.velocityEnd, rho: rho)
        // Seams: the inner half extended by the first state of the outer half,
        // and the outer half extended by the last state of the inner half.
        var extended = inner.rho
        for i in extended.indices { extended[i] += outer.momentumBegin[i] }
        persist = persist && UTurn.continues(velocityBackward: inner.velocityBegin, velocityForward: outer.velocityBegin, rho: extended)
        extended = outer.rho
        for i in extended.indices { extended[i] += inner.momentumEnd[i] }
        persist = persist && UTurn.continues(velocityBackward: inner.velocityEnd, velocityForward: outer.velocityEnd, rho: extended)
        guard persist else { return nil }

        return Subtree(proposal: proposal, logSumWeight: logSumWeight, rho: rho,
                       momentumBegin: inner.momentumBegin, velocityBegin: inner.velocityBegin,
                       momentumEnd: outer.momentumEnd, velocityEnd: outer.velocityEnd, edge: outer.edge)
    }
}
