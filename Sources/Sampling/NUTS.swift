import NumericCore
import SplineModels

/// What one transition of a sampler reports: data for adaptation and for the
/// diagnostics, not log lines.
public struct TransitionInfo: Sendable, Equatable {
    /// Mean Metropolis acceptance probability over the trajectory (NUTS) or the
    /// acceptance probability of the proposal (Metropolis); 1 for Gibbs.
    public var acceptance: Double
    public var divergent: Bool
    /// Tree depth reached (NUTS); 0 for other samplers.
    public var treeDepth: Int
    public var hitMaxTreeDepth: Bool
    public var leapfrogSteps: Int
    /// Hamiltonian at the kept state (NUTS), for E-BFMI; NaN otherwise.
    public var energy: Double

    public init(acceptance: Double, divergent: Bool = false, treeDepth: Int = 0, hitMaxTreeDepth: Bool = false,
                leapfrogSteps: Int = 0, energy: Double = .nan) {
        self.acceptance = acceptance
        self.divergent = divergent
        self.treeDepth = treeDepth
        self.hitMaxTreeDepth = hitMaxTreeDepth
        self.leapfrogSteps = leapfrogSteps
        self.energy = energy
    }
}

/// The No-U-Turn Sampler transition kernel (Hoffman & Gelman 2014; Betancourt
/// 2017; Stan's multinomial `base_nuts`): `init(position)` gives a state,
/// `step(state, rng)` one transition. Step size and metric are supplied by the
/// caller (see `WindowedAdaptation`), so the kernel holds no adaptation logic.
public struct NUTS<Model: LogDensityModel>: Sendable {
    public let model: Model
    public var stepSize: Double
    public var metric: DiagonalMetric
    /// Maximum tree depth (Stan default 10: at most 1023 leapfrog steps).
    public var maxTreeDepth: Int
    /// Energy error that marks a divergence (Stan: 1000).
    public static var divergenceThreshold: Double { 1000 }

    public init(model: Model, stepSize: Double, metric: DiagonalMetric, maxTreeDepth: Int = 10) {
        self.model = model
        self.stepSize = stepSize
        self.metric = metric
        self.maxTreeDepth = maxTreeDepth
    }

    /// The state at `position`: log density and gradient evaluated once.
    public func initialState(_ position: [Double]) -> PhasePoint {
        var g = [Double](repeating: 0, count: position.count)
        let lp = model.logDensityAndGradient(position, gradient: &g)
        return PhasePoint(position: position, momentum: Array(repeating: 0, count: position.count), logDensity: lp, gradient: g)
    }

    /// One NUTS transition from `state`.
    public func step(_ state: PhasePoint, rng: inout RandomStream) -> (PhasePoint, TransitionInfo) {
        var start = state
        start.momentum = metric.drawMomentum(&rng)
        let h0 = Leapfrog.hamiltonian(start, metric: metric)
        var builder = TrajectoryBuilder(model: model, metric: metric, epsilon: stepSize,
                                        initialHamiltonian: h0, maxEnergyError: Self.divergenceThreshold)

        var sample = start
        var logSumWeight = 0.0 // the starting state has weight exp(H0 − H0) = 1
        var backward = start, forward = start
        var rho = start.momentum
        let v0 = metric.velocity(start.momentum)
        var velocityBackward = v0, velocityForward = v0
        var momentumBackward = start.momentum, momentumForward = start.momentum
        var depth = 0

        while depth < maxTreeDepth {
            let goForward = rng.uniform() < 0.5
            let edge = goForward ? forward : backward
            // A subtree that diverges or turns back is discarded; the depth
            // counts only the doublings that were kept (as Stan reports it).
            guard let sub = builder.build(from: edge, depth: depth, direction: goForward ? 1 : -1, rng: &rng) else { break }
            depth += 1
            // Biased progressive sampling between the old tree and the new subtree.
            if sub.logSumWeight > logSumWeight || rng.uniform() < Double.exp(sub.logSumWeight - logSumWeight) {
                sample = sub.proposal
            }
            logSumWeight = logAddExp(logSumWeight, sub.logSumWeight)

            // Merge the subtree into the trajectory, keeping its ends.
            let oldRho = rho
            for i in rho.indices { rho[i] += sub.rho[i] }
            var persist: Bool
            if goForward {
                persist = UTurn.continues(velocityBackward: velocityBackward, velocityForward: sub.velocityEnd, rho: rho)
                var ext = oldRho
                for i in ext.indices { ext[i] += sub.momentumBegin[i] }
                persist = persist && UTurn.continues(velocityBackward: velocityBackward, velocityForward: sub.velocityBegin, rho: ext)
                ext = sub.rho
                for i in ext.indices { ext[i] += momentumForward[i] }
                persist = persist && UTurn.continues(velocityBackward: velocityForward, velocityForward: sub.velocityEnd, rho: ext)
                forward = sub.edge
                velocityForward = sub.velocityEnd
                momentumForward = sub.momentumEnd
            } else {
                // Backward: the subtree's "begin" is adjacent to the old backward end.
                persist = UTurn.continues(velocityBackward: sub.velocityEnd, velocityForward: velocityForward, rho: rho)
                var ext = oldRho
                for i in ext.indices { ext[i] += sub.momentumBegin[i] }
                persist = persist && UTurn.continues(velocityBackward: sub.velocityBegin, velocityForward: velocityForward, rho: ext)
                ext = sub.rho
                for i in ext.indices { ext[i] += momentumBackward[i] }
                persist = persist && UTurn.continues(velocityBackward: sub.velocityEnd, velocityForward: velocityBackward, rho: ext)
                backward = sub.edge
                velocityBackward = sub.velocityEnd
                momentumBackward = sub.momentumEnd
            }
            if !persist { break }
        }
        let steps = Swift.max(builder.leapfrogSteps, 1)
        let info = TransitionInfo(acceptance: builder.sumAcceptProbability / Double(steps),
                                  divergent: builder.divergent, treeDepth: depth,
                                  hitMaxTreeDepth: depth >= maxTreeDepth,
                                  leapfrogSteps: builder.leapfrogSteps,
                                  energy: Leapfrog.hamiltonian(sample, metric: metric))
        return (sample, info)
    }
}
