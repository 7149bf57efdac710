/// Limits a fit's diagnostics must meet to be stored as good (SPEC §6).
/// Every default is a named constant with its reason; any of them can be
/// changed per run.
public struct DiagnosticThresholds: Sendable, Equatable {
    /// R̂ above this flags the fit: 1.01 is Vehtari et al. (2021)'s
    /// recommendation for the rank-normalized R̂; the classic 1.1 misses
    /// chains that have plainly not mixed.
    public static let defaultMaxRhat = 1.01
    /// Divergent transitions tolerated: none — a divergence means the
    /// integrator could not follow the posterior's curvature there, so the
    /// draws can be biased (Betancourt 2017, "A conceptual introduction to HMC", §6.2).
    public static let defaultMaxDivergentTransitions = 0
    /// E-BFMI below this in any chain flags the fit: SPEC §6 sets 0.2 (Betancourt
    /// 2016 calls values below ~0.3 a sign of poor energy exploration, where
    /// Stan warns; 0.2 flags only the clearly bad).
    public static let defaultMinBFMI = 0.2
    /// Bulk- and tail-ESS below this flag the fit: with fewer than ~100 effective
    /// draws the MCSE of the mean and of the 5%/95% quantiles — the credible
    /// bands the product reports — are themselves unreliable. Vehtari et al.
    /// (2021) ask for about 100 per chain (400 for 4 chains) before trusting R̂
    /// and the MCSE; 100 in total is the hard floor for an automated daily job.
    public static let defaultMinESS = 100.0
    /// Transitions that stopped at the maximum tree depth tolerated: no limit by
    /// default — saturating the tree depth costs efficiency, not validity (Stan
    /// warns but keeps the draws); low ESS already catches the harm it does.
    public static let defaultMaxTreeDepthHits: Int? = nil

    /// The fit is flagged when the maximum rank-normalized R̂ exceeds this.
    public var maxRhat: Double
    /// The fit is flagged when more divergent transitions than this occurred.
    public var maxDivergentTransitions: Int
    /// The fit is flagged when any chain's E-BFMI is below this.
    public var minBFMI: Double
    /// The fit is flagged when any parameter's bulk-ESS is below this.
    public var minESSBulk: Double
    /// The fit is flagged when any parameter's tail-ESS is below this.
    public var minESSTail: Double
    /// The fit is flagged when more transitions than this hit the maximum tree
    /// depth; `nil` never flags on tree depth.
    public var maxTreeDepthHits: Int?

    public init(
        maxRhat: Double = defaultMaxRhat,
        maxDivergentTransitions: Int = defaultMaxDivergentTransitions,
        minBFMI: Double = defaultMinBFMI,
        minESSBulk: Double = defaultMinESS,
        minESSTail: Double = defaultMinESS,
        maxTreeDepthHits: Int? = defaultMaxTreeDepthHits
    ) {
        self.maxRhat = maxRhat
        self.maxDivergentTransitions = maxDivergentTransitions
        self.minBFMI = minBFMI
        self.minESSBulk = minESSBulk
        self.minESSTail = minESSTail
        self.maxTreeDepthHits = maxTreeDepthHits
    }

    /// SPEC §6 defaults: R̂ ≤ 1.01, no divergence, E-BFMI ≥ 0.2, bulk/tail ESS ≥ 100.
    public static let `default` = DiagnosticThresholds()
}
