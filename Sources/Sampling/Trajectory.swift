import NumericCore
import RealModule

/// Builds one NUTS trajectory by repeated doubling (Hoffman & Gelman 2014,
/// with Betancourt's multinomial sampling of states and the generalized
/// no-U-turn criterion checked on every subtree and across the seams between
/// subtrees, as in Stan 2.2x `base_nuts`).
///
/// A subtree of depth `j` is `2^j` leapfrog steps from an edge of the
/// trajectory, built as two subtrees of depth `j − 1` joined by
/// `TrajectorySpan.join`; within it a state is chosen with probability
/// proportional to `exp(−H)` (`multinomialSelects`). A subtree that diverges
/// (`H − H₀ > maxEnergyError`) or turns back is discarded.
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
        /// The state the subtree proposes.
        var proposal: PhasePoint
        /// `log Σ exp(H₀ − H)` over the subtree's states.
        var logSumWeight: Double
        var span: TrajectorySpan
        /// The last state: where the next doubling in this direction starts.
        var edge: PhasePoint
    }

    /// Builds a subtree of `2^depth` leapfrog steps from `start` in `direction`
    /// (+1 forward, −1 backward). Returns nil when the subtree diverged or made
    /// a U-turn (it is then discarded).
    mutating func build(from start: PhasePoint, depth: Int, direction: Double,
                        rng: inout RandomStream) -> Subtree? {
        if depth == 0 { return leaf(from: start, direction: direction) }
        guard let inner = build(from: start, depth: depth - 1, direction: direction, rng: &rng) else { return nil }
        guard let outer = build(from: inner.edge, depth: depth - 1, direction: direction, rng: &rng) else { return nil }

        let logSumWeight = logAddExp(inner.logSumWeight, outer.logSumWeight)
        let proposal = multinomialSelects(logWeight: outer.logSumWeight, logReference: logSumWeight, rng: &rng)
            ? outer.proposal : inner.proposal
        let (span, continues) = TrajectorySpan.join(inner.span, outer.span)
        guard continues else { return nil }
        return Subtree(proposal: proposal, logSumWeight: logSumWeight, span: span, edge: outer.edge)
    }

    /// One leapfrog step: a subtree of depth 0, or nil when it diverged.
    private mutating func leaf(from start: PhasePoint, direction: Double) -> Subtree? {
        var z = start
        Leapfrog.step(&z, epsilon: direction * epsilon, metric: metric, model: model)
        leapfrogSteps += 1
        let h = Leapfrog.hamiltonian(z, metric: metric)
        let delta = initialHamiltonian - h
        if !(h - initialHamiltonian <= maxEnergyError) {
            divergent = true
            return nil
        }
        sumAcceptProbability += delta > 0 ? 1 : Double.exp(delta)
        return Subtree(proposal: z, logSumWeight: delta,
                       span: TrajectorySpan(momentum: z.momentum, velocity: metric.velocity(z.momentum)), edge: z)
    }
}
