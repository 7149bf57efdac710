/// The alert rule of SPEC §8 (v2): a region of practical equivalence.
///
/// A comparison of run day D with day c *fires* when the posterior
/// probability that D is worse than c by more than the minimum change `m`
/// reaches the threshold:
///
///     P(change% > m) ≥ threshold        (lower is better)
///     P(change% < −m) ≥ threshold       (higher is better)
///
/// Changes smaller than `m` are practically equivalent to none, however
/// certain: a +0.09% change known to the third decimal is no alert. Unlike a
/// test on the median (`P(worse) ≥ t and |p50| ≥ m`) the rule needs the
/// posterior mass *beyond* `m`, so a wide posterior centred on 2.1% does not
/// fire, and its answer moves continuously with `m`.
///
/// The minimum may differ per suite (`alert.min_change_by_suite` of a model
/// definition): ``resolved(forSuite:)`` gives the rule of one series.
public struct AlertRule: Sendable, Equatable {
    /// SPEC §8: an alert needs 80% posterior probability.
    public static let defaultThreshold = 0.8
    /// SPEC §8 (v2): 2%, a common Perfherder alert threshold — smaller
    /// changes are within what browser tests call noise.
    public static let defaultMinimumChange = 2.0

    /// Probability (of being worse beyond the minimum) at or above which the rule fires.
    public var threshold: Double
    /// The minimum change `m` in percent (≥ 0) for suites without their own.
    public var minimumChange: Double
    /// Per-suite minimum changes, by suite name.
    public var minimumChangeBySuite: [String: Double]

    public init(threshold: Double = defaultThreshold, minimumChange: Double = defaultMinimumChange,
                minimumChangeBySuite: [String: Double] = [:]) {
        self.threshold = threshold
        self.minimumChange = minimumChange
        self.minimumChangeBySuite = minimumChangeBySuite
    }

    /// The minimum change of `suite`: its own, else the rule's.
    public func minimumChange(forSuite suite: String) -> Double {
        minimumChangeBySuite[suite] ?? minimumChange
    }

    /// The rule of one series of `suite`: its minimum, no per-suite table.
    public func resolved(forSuite suite: String) -> AlertRule {
        AlertRule(threshold: threshold, minimumChange: minimumChange(forSuite: suite))
    }

    /// Whether `comparison` fires, given that it was computed with this
    /// rule's minimum change (``compareDays(level:day:baseline:direction:minimumChange:)``).
    public func fires(_ comparison: DayComparison) -> Bool {
        fires(probabilityWorseBeyondMinimum: comparison.probabilityWorseBeyondMinimum)
    }

    public func fires(probabilityWorseBeyondMinimum p: Double) -> Bool {
        p >= threshold
    }
}
