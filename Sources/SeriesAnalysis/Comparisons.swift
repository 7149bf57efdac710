import NumericCore

/// Which direction of a metric is good.
public enum MetricDirection: Sendable, Equatable {
    /// Times, memory: a higher value is worse.
    case lowerIsBetter
    /// Scores (e.g. speedometer): a lower value is worse.
    case higherIsBetter

    public init(lowerIsBetter: Bool) {
        self = lowerIsBetter ? .lowerIsBetter : .higherIsBetter
    }
}

/// The comparison of run day D with an earlier day c (SPEC §8).
public struct DayComparison: Sendable, Equatable {
    /// Day indices compared: `day` (D) against `baseline` (c).
    public var day: Int
    public var baseline: Int
    public var direction: MetricDirection
    /// Quantiles (R type 7) of `change% = (μ_D − μ_c)/μ_c × 100` over paired draws.
    public var p05: Double
    public var p10: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    /// Share of draws in which D is worse than c.
    public var probabilityWorse: Double
    /// The margin of practical equivalence `m` (percent, ≥ 0) that
    /// ``probabilityWorseBeyondMinimum`` was computed for.
    public var minimumChange: Double
    /// Share of draws in which D is worse than c by more than
    /// ``minimumChange`` percent: `change% > m` when lower is better,
    /// `change% < −m` when higher is better (SPEC §8, the alert rule).
    public var probabilityWorseBeyondMinimum: Double
    public var drawCount: Int
    /// Quantiles of the change in the series' unit, `μ_D − μ_c` (nil when
    /// read back from a store that does not keep them).
    public var absolute: ChangeQuantiles?

    /// SPEC §8 regression: the 80% interval of the change lies wholly on the
    /// worse side (`p10 > 0` when lower is better, `p90 < 0` when higher is better).
    /// A comparison from stored quantiles (e.g. read back from the store).
    public init(day: Int, baseline: Int, direction: MetricDirection, p05: Double, p10: Double, p50: Double,
                p90: Double, p95: Double, probabilityWorse: Double, minimumChange: Double = 0,
                probabilityWorseBeyondMinimum: Double? = nil, drawCount: Int) {
        self.day = day
        self.baseline = baseline
        self.direction = direction
        self.p05 = p05
        self.p10 = p10
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.probabilityWorse = probabilityWorse
        self.minimumChange = minimumChange
        self.probabilityWorseBeyondMinimum = probabilityWorseBeyondMinimum ?? probabilityWorse
        self.drawCount = drawCount
    }

    /// The change in the series' unit, `μ_D − μ_c`: p05, p10, p50, p90, p95.
    public struct ChangeQuantiles: Sendable, Equatable {
        public var p05, p10, p50, p90, p95: Double

        init(sorted: [Double]) {
            p05 = quantile(sorted: sorted, 0.05)
            p10 = quantile(sorted: sorted, 0.10)
            p50 = quantile(sorted: sorted, 0.50)
            p90 = quantile(sorted: sorted, 0.90)
            p95 = quantile(sorted: sorted, 0.95)
        }
    }

    public var isRegression: Bool {
        switch direction {
        case .lowerIsBetter: return p10 > 0
        case .higherIsBetter: return p90 < 0
        }
    }
}

/// Why two days cannot be compared.
public enum ComparisonError: Error, Equatable, Sendable, CustomStringConvertible {
    case dayOutOfRange(day: Int, dayCount: Int)
    case noDraws
    /// A level draw is not finite, or the baseline's is zero, so a percentage change is undefined.
    case undefinedChange(day: Int, draw: Int, level: Double)
    /// The baseline's level is near zero: some draws on either side of it
    /// (or at it), so a percentage of it flips sign or explodes. The change
    /// in the series' unit is given instead.
    case baselineNearZero(day: Int, below: Double, absolute: DayComparison.ChangeQuantiles, probabilityWorse: Double,
                          drawCount: Int)

    public var description: String {
        switch self {
        case let .dayOutOfRange(day, dayCount):
            return "day index \(day) is outside the fitted days 0…\(dayCount - 1)"
        case .noDraws:
            return "the level has no draws to compare"
        case let .undefinedChange(day, draw, level):
            return "the level of day \(day) is \(level) in draw \(draw); the percentage change is undefined"
        case let .baselineNearZero(_, below, a, p, n):
            return String(format: "the baseline level is near zero (%d of %d draws at or below it), so a percent change is undefined; "
                          + "the change in the series' unit is %.4g (80%% interval %.4g to %.4g), P(worse) %.2f",
                          Int((below * Double(n)).rounded()), n, a.p50, a.p10, a.p90, p)
        }
    }
}

/// Compares run day `day` (D) with `baseline` (c) on paired level draws.
///
/// For each draw `d`, `change%_d = (μ_D,d − μ_c,d)/|μ_c,d| × 100`; because draw
/// `d` of both days comes from one posterior draw, these are draws of the
/// change's posterior. D is worse in draw `d` when `μ_D,d > μ_c,d` (lower is
/// better) or `μ_D,d < μ_c,d` (higher is better); equal levels are not worse.
/// It is worse *beyond the minimum* `m` when `change%_d > m` (lower is
/// better) or `change%_d < −m` (higher is better). The change in the series'
/// unit, `μ_D,d − μ_c,d`, comes with it (``DayComparison/absolute``). When
/// the baseline's level is not on one side of zero in every draw, a percent
/// change is undefined: the error ``ComparisonError/baselineNearZero(day:below:absolute:probabilityWorse:drawCount:)``
/// says so and carries the change in the unit and P(worse).
public func compareDays(level: DrawMatrix, day: Int, baseline: Int, direction: MetricDirection,
                        minimumChange: Double = 0) throws(ComparisonError) -> DayComparison {
    for d in [day, baseline] where d < 0 || d >= level.dayCount {
        throw .dayOutOfRange(day: d, dayCount: level.dayCount)
    }
    guard level.drawCount > 0 else { throw .noDraws }
    let now = level.draws(day: day)
    let then = level.draws(day: baseline)
    var changes = [Double]()
    var differences = [Double]()
    changes.reserveCapacity(level.drawCount)
    differences.reserveCapacity(level.drawCount)
    var worse = 0, worseBeyond = 0, positive = 0, negative = 0
    for (k, (a, c)) in zip(now, then).enumerated() {
        guard a.isFinite else { throw .undefinedChange(day: day, draw: k, level: a) }
        guard c.isFinite else { throw .undefinedChange(day: baseline, draw: k, level: c) }
        if c > 0 { positive += 1 } else if c < 0 { negative += 1 }
        differences.append(a - c)
        switch direction {
        case .lowerIsBetter: if a > c { worse += 1 }
        case .higherIsBetter: if a < c { worse += 1 }
        }
    }
    differences.sort()
    let absolute = DayComparison.ChangeQuantiles(sorted: differences)
    let probabilityWorse = Double(worse) / Double(level.drawCount)
    // A percentage of the baseline needs the baseline on one side of zero in
    // every draw; relative to its magnitude, so that a level below zero
    // (a difference of scores, say) keeps "higher" as a positive change.
    guard positive == level.drawCount || negative == level.drawCount else {
        throw .baselineNearZero(day: baseline, below: Double(level.drawCount - positive) / Double(level.drawCount),
                                absolute: absolute, probabilityWorse: probabilityWorse, drawCount: level.drawCount)
    }
    for (a, c) in zip(now, then) {
        let change = (a - c) / abs(c) * 100
        changes.append(change)
        switch direction {
        case .lowerIsBetter: if change > minimumChange { worseBeyond += 1 }
        case .higherIsBetter: if change < -minimumChange { worseBeyond += 1 }
        }
    }
    changes.sort()
    var result = DayComparison(day: day, baseline: baseline, direction: direction,
                               p05: quantile(sorted: changes, 0.05), p10: quantile(sorted: changes, 0.10),
                               p50: quantile(sorted: changes, 0.50), p90: quantile(sorted: changes, 0.90),
                               p95: quantile(sorted: changes, 0.95),
                               probabilityWorse: probabilityWorse,
                               minimumChange: minimumChange,
                               probabilityWorseBeyondMinimum: Double(worseBeyond) / Double(level.drawCount),
                               drawCount: level.drawCount)
    result.absolute = absolute
    return result
}

/// A comparison day of a plan with its result, or why there is none.
public struct ComparisonOutcome: Sendable, Equatable {
    public var comparisonDay: ComparisonDay
    public var result: Result<DayComparison, ComparisonSkip>

    public var label: String { comparisonDay.label }
    /// The comparison, when it was made.
    public var comparison: DayComparison? { try? result.get() }
}

/// Why a planned comparison was not made.
public struct ComparisonSkip: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Runs every comparison of a plan on the level draws of the fitted range
/// (row = day index of the series). Unavailable days and days the draws do
/// not cover are reported as skipped with a reason.
public func runComparisons(level: DrawMatrix, plan: ComparisonPlan, direction: MetricDirection) -> [ComparisonOutcome] {
    plan.days.map { comparisonDay in
        guard let runIndex = plan.runDayIndex else {
            return ComparisonOutcome(comparisonDay: comparisonDay,
                                     result: .failure(ComparisonSkip(reason: plan.messages.first ?? "run date outside the series")))
        }
        switch comparisonDay.availability {
        case let .unavailable(reason):
            return ComparisonOutcome(comparisonDay: comparisonDay, result: .failure(ComparisonSkip(reason: reason)))
        case let .available(index):
            do throws(ComparisonError) {
                let result = try compareDays(level: level, day: runIndex, baseline: index, direction: direction)
                return ComparisonOutcome(comparisonDay: comparisonDay, result: .success(result))
            } catch {
                return ComparisonOutcome(comparisonDay: comparisonDay,
                                         result: .failure(ComparisonSkip(reason: error.description)))
            }
        }
    }
}
