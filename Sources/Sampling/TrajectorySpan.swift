import NumericCore
import RealModule

/// What the no-U-turn checks need of a stretch of trajectory: the summed
/// momentum `ρ = Σ p` over its states and the momentum and velocity
/// `p♯ = M⁻¹p` at its two ends. "Begin" is the end nearest the state the
/// stretch was grown from, "end" the farthest.
public struct TrajectorySpan: Sendable {
    public var rho: [Double]
    public var momentumBegin: [Double]
    public var velocityBegin: [Double]
    public var momentumEnd: [Double]
    public var velocityEnd: [Double]

    /// The span of one state.
    public init(momentum: [Double], velocity: [Double]) {
        rho = momentum
        momentumBegin = momentum
        velocityBegin = velocity
        momentumEnd = momentum
        velocityEnd = velocity
    }

    public init(rho: [Double], momentumBegin: [Double], velocityBegin: [Double], momentumEnd: [Double],
         velocityEnd: [Double]) {
        self.rho = rho
        self.momentumBegin = momentumBegin
        self.velocityBegin = velocityBegin
        self.momentumEnd = momentumEnd
        self.velocityEnd = velocityEnd
    }

    /// The same states seen from the other end.
    public var reversed: TrajectorySpan {
        TrajectorySpan(rho: rho, momentumBegin: momentumEnd, velocityBegin: velocityEnd,
                       momentumEnd: momentumBegin, velocityEnd: velocityBegin)
    }

    /// Joins `far` onto the end of `near` (so `far.begin` is adjacent to
    /// `near.end`) and checks the generalized no-U-turn criterion on the
    /// joined span and on the two seams, as Stan's `base_nuts` does:
    ///
    /// 1. the whole span, `ρ_near + ρ_far`, between `near.begin` and `far.end`;
    /// 2. `near` extended by the first state of `far`: `ρ_near + p_far.begin`,
    ///    between `near.begin` and `far.begin`;
    /// 3. `far` extended by the last state of `near`: `ρ_far + p_near.end`,
    ///    between `near.end` and `far.end`.
    ///
    /// The seam checks catch a U-turn that happens across the join, which
    /// neither half nor the whole span shows on its own (Stan issue #2800).
    /// This is the one merge of the sampler: subtrees join their halves with
    /// it, and the top level joins each new subtree onto the trajectory.
    public static func join(_ near: TrajectorySpan, _ far: TrajectorySpan) -> (span: TrajectorySpan, continues: Bool) {
        var rho = near.rho
        for i in rho.indices { rho[i] += far.rho[i] }
        var continues = UTurn.continues(velocityBackward: near.velocityBegin, velocityForward: far.velocityEnd, rho: rho)
        var extended = near.rho
        for i in extended.indices { extended[i] += far.momentumBegin[i] }
        continues = continues
            && UTurn.continues(velocityBackward: near.velocityBegin, velocityForward: far.velocityBegin, rho: extended)
        extended = far.rho
        for i in extended.indices { extended[i] += near.momentumEnd[i] }
        continues = continues
            && UTurn.continues(velocityBackward: near.velocityEnd, velocityForward: far.velocityEnd, rho: extended)
        let span = TrajectorySpan(rho: rho, momentumBegin: near.momentumBegin, velocityBegin: near.velocityBegin,
                                  momentumEnd: far.momentumEnd, velocityEnd: far.velocityEnd)
        return (span, continues)
    }
}

/// Multinomial selection between two sets of trajectory states (Betancourt
/// 2017, §A.3): the candidate, of total weight `exp(logWeight)`, replaces the
/// current proposal with probability `min(1, exp(logWeight − logReference))`.
///
/// With `logReference` the log weight of both sets together this is the
/// uniform multinomial choice within a subtree (probability proportional to
/// weight); with it the log weight of the old trajectory alone it is the
/// biased progressive sampling of the top level, which favours new states.
/// A uniform number is drawn only when the probability is below 1.
@inline(__always)
func multinomialSelects(logWeight: Double, logReference: Double, rng: inout RandomStream) -> Bool {
    logWeight > logReference || rng.uniform() < Double.exp(logWeight - logReference)
}
