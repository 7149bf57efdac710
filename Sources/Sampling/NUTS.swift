import NumericCore

/// What one transition of a sampler reports: data for adaptation and for the
/// diagnostics, not log lines.
public struct TransitionInfo: Sendable, Equatable {
    /// Mean Metropolis acceptance probability over the trajectory (NUTS), the
    /// acceptance probability of the proposal (Metropolis), or 1 for a Gibbs
    /// sweep (exact conditional draws and slice updates always move to the
    /// drawn point).
    public var acceptance: Double
    public var divergent: Bool
    /// Tree depth reached (NUTS); 0 for other samplers.
    public var treeDepth: Int
    public var hitMaxTreeDepth: Bool
    public var leapfrogSteps: Int
    /// Hamiltonian at the kept state (NUTS), for E-BFMI; NaN otherwise.
    public var energy: Double
    /// Gibbs: the coefficients' conditional precision could not be factored
    /// (not positive definite in floating point), so this sweep left the
    /// coefficients where they were instead of drawing them.
    public var failedFactorization: Bool

    public init(acceptance: Double, divergent: Bool = false, treeDepth: Int = 0, hitMaxTreeDepth: Bool = false,
                leapfrogSteps: Int = 0, energy: Double = .nan, failedFactorization: Bool = false) {
        self.acceptance = acceptance
        self.divergent = divergent
        self.treeDepth = treeDepth
        self.hitMaxTreeDepth = hitMaxTreeDepth
        self.leapfrogSteps = leapfrogSteps
        self.energy = energy
        self.failedFactorization = failedFactorization
    }
}

/// The No-U-Turn Sampler transition kernel (Hoffman & Gelman 2014; Betancourt
/// 2017; Stan's multinomial `base_nuts`): `initialState(position)` gives a
/// state, `step(&state, rng:)` one transition. Step size and metric are
/// supplied from outside (see `NUTSWarmup`), so the kernel holds no
/// adaptation logic.
///
/// One transition draws a momentum `p ~ Normal(0, M)`, then doubles a
/// trajectory in random directions (`TrajectoryBuilder`) until it makes a
/// U-turn, diverges or reaches `2^maxTreeDepth − 1` leapfrog steps; each new
/// subtree's proposal replaces the current one by biased progressive
/// sampling (`multinomialSelects`).
public struct NUTS<Model: LogDensityModel>: TransitionKernel, Sendable {
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
    public func step(_ state: inout PhasePoint, rng: inout RandomStream) -> TransitionInfo {
        var start = state
        start.momentum = metric.drawMomentum(&rng)
        let h0 = Leapfrog.hamiltonian(start, metric: metric)
        var builder = TrajectoryBuilder(model: model, metric: metric, epsilon: stepSize,
                                        initialHamiltonian: h0, maxEnergyError: Self.divergenceThreshold)

        var sample = start
        var logSumWeight = 0.0 // the starting state has weight exp(H0 − H0) = 1
        var backward = start, forward = start
        // The trajectory so far, oriented from its backward to its forward end.
        var span = TrajectorySpan(momentum: start.momentum, velocity: metric.velocity(start.momentum))
        var depth = 0

        while depth < maxTreeDepth {
            let goForward = rng.uniform() < 0.5
            // A subtree that diverges or turns back is discarded; the depth
            // counts only the doublings that were kept (as Stan reports it).
            guard let sub = builder.build(from: goForward ? forward : backward, depth: depth,
                                          direction: goForward ? 1 : -1, rng: &rng) else { break }
            depth += 1
            if multinomialSelects(logWeight: sub.logSumWeight, logReference: logSumWeight, rng: &rng) {
                sample = sub.proposal
            }
            logSumWeight = logAddExp(logSumWeight, sub.logSumWeight)

            // The subtree grew from one end: join it there, seen from the other end.
            let continues: Bool
            if goForward {
                (span, continues) = TrajectorySpan.join(span, sub.span)
                forward = sub.edge
            } else {
                let joined = TrajectorySpan.join(span.reversed, sub.span)
                span = joined.span.reversed
                continues = joined.continues
                backward = sub.edge
            }
            if !continues { break }
        }
        let steps = Swift.max(builder.leapfrogSteps, 1)
        state = sample
        return TransitionInfo(acceptance: builder.sumAcceptProbability / Double(steps),
                              divergent: builder.divergent, treeDepth: depth,
                              hitMaxTreeDepth: depth >= maxTreeDepth,
                              leapfrogSteps: builder.leapfrogSteps,
                              energy: Leapfrog.hamiltonian(sample, metric: metric))
    }
}
