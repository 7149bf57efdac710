import NumericCore

/// Why the predictive draws cannot be recalibrated or checked.
public enum RecalibrationError: Error, Equatable, Sendable, CustomStringConvertible {
    case noObservedPoints
    /// `days` and `values` differ in length.
    case mismatchedPoints(days: Int, values: Int)
    /// An observed point's day has no row of draws.
    case pointOutsideDraws(day: Int, dayCount: Int)
    case nonFiniteValue(index: Int, value: Double)
    case noDraws
    /// No finite positive factor gives the target coverage: the predictive
    /// interval has zero width on a day whose point is off its median, or
    /// the points sit on the medians.
    case degenerateFactor(Double)
    /// The target coverage must lie strictly between 0 and 1.
    case invalidTargetCoverage(Double)

    public var description: String {
        switch self {
        case .noObservedPoints:
            return "no observed points to calibrate against"
        case let .mismatchedPoints(days, values):
            return "\(days) day indices but \(values) values were given"
        case let .pointOutsideDraws(day, dayCount):
            return "observed point on day \(day) is outside the predictive draws (days 0…\(dayCount - 1))"
        case let .nonFiniteValue(index, value):
            return "observed point \(index + 1) has the non-finite value \(value)"
        case .noDraws:
            return "the predictive draws are empty"
        case let .invalidTargetCoverage(coverage):
            return "target coverage \(coverage) is not strictly between 0 and 1"
        case let .degenerateFactor(factor):
            return "the recalibration factor would be \(factor): the predictive draws have no spread where the points are"
        }
    }
}

/// Each point's own central interval (lower and upper bounds, in the order
/// of the points), for a recalibration measured leave-one-out.
public struct PointIntervals: Sendable, Equatable {
    public var lower: [Double]
    public var upper: [Double]
    public init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }
}

/// Interval recalibration of SPEC §7.
///
/// Coverage is the share of observed non-outlier points `(day, y)` with
/// `q_lo(day) ≤ y ≤ q_hi(day)`, the R type-7 quantiles of that day's
/// predictive draws (`p05`, `p95` for the 90% interval).
///
/// Rescaling day `t`'s draws about their median `m_t` by `f > 0`
/// (`new = m_t + f·(draw − m_t)`) is increasing and affine, so the new
/// quantiles are exactly `m_t + f·(q − m_t)`. Point `i` is therefore inside the
/// rescaled interval exactly when `f ≥ f_i`, its *required factor*
/// `f_i = (y − m)/(q_hi − m)` above the median, `(m − y)/(m − q_lo)` below it
/// (0 on the median). Coverage after rescaling by `f` is the share of
/// `f_i ≤ f`, a step function of `f`. The factor chosen is the smallest step
/// that reaches the target: with `k = ⌈target·n⌉` points required inside and
/// `f_(1) ≤ … ≤ f_(n)` the sorted required factors,
/// `f = (f_(k) + f_(k+1))/2` (or `f_(n)` when `k = n`) — the middle of the step,
/// so that no point sits on the new interval's edge and rounding cannot move
/// it out; coverage after is then `k/n` (≥ target, within 1/n of it).
///
/// The calibration check counts `a` points inside and `b` outside the 50%
/// interval (`p25 … p75`, edges inside) and reports the 5% and 95% quantiles
/// of Beta(a, b); for calibrated intervals the share inside (½) should usually
/// fall between them.
public struct Recalibration: Sendable, Equatable {
    /// SPEC §7: the 90% predictive interval should hold 90% of the points.
    public static let defaultTargetCoverage = 0.9
    /// The calibration check's interval: the central 50% (SPEC §7).
    public static let checkInterval = (lower: 0.25, upper: 0.75)
    /// The calibration check reports the 5–95% bounds of Beta(a, b) (SPEC §7).
    public static let checkBounds = (lower: 0.05, upper: 0.95)

    /// The factor applied to every day's spread about its median.
    public var factor: Double
    /// The factor that gives the target coverage; differs from ``factor``
    /// when that was bounded (`init(sorted:days:values:pointIntervals:factorBounds:targetCoverage:)`).
    public var requiredFactor: Double
    /// Whether the factor applied was bounded short of the required one.
    public var isBounded: Bool { requiredFactor != factor }
    /// Share of points inside the target interval before and after rescaling.
    public var coverageBefore: Double
    public var coverageAfter: Double
    public var pointCount: Int
    /// How the shares were measured.
    public enum Method: String, Sendable {
        /// Each point against its day's interval (SPEC §7).
        case inSample = "in-sample"
        /// Each point against its own leave-one-out interval.
        case leaveOneOut = "leave-one-out"
    }
    public var method: Method
    /// The rescaled predictive draws (paired as the input); nil when built from
    /// sorted draws, where `apply(to:sorted:)` rescales the paired draws.
    public var draws: DrawMatrix?

    /// Recalibrates `predictive` (day × draw; row = day index) so that the
    /// central `targetCoverage` interval holds that share of the points.
    /// `days[i]`, `values[i]` are the observed non-outliers.
    public init(predictive: DrawMatrix, days: [Int], values: [Double],
                targetCoverage: Double = defaultTargetCoverage) throws(RecalibrationError) {
        let sorted = SortedDraws(predictive)
        try self.init(sorted: sorted, days: days, values: values, targetCoverage: targetCoverage)
        draws = apply(to: predictive, sorted: sorted)
    }

    /// The factor and coverages from each day's sorted draws (each quantile
    /// O(1)); the rescaled draws are not built (see `apply(to:sorted:)`).
    ///
    /// `pointIntervals`, when given, are each point's own central
    /// `targetCoverage` interval in place of its day's — its leave-one-out
    /// predictive interval (the step-level model's; ``PointIntervals``) —
    /// and rescaling still moves them about the day's median: point i is
    /// inside after rescaling by f when `m + f·(lᵢ − m) ≤ yᵢ ≤ m + f·(uᵢ − m)`.
    ///
    /// `factorBounds`, when given, bound the factor applied
    /// (``requiredFactor`` keeps the one the target asked for): a factor far
    /// from 1 says the intervals miss for another reason than their width
    /// (runs in modes the model does not have), which no rescaling mends.
    public init(sorted: SortedDraws, days: [Int], values: [Double], pointIntervals: PointIntervals? = nil,
                factorBounds: ClosedRange<Double>? = nil,
                targetCoverage: Double = defaultTargetCoverage) throws(RecalibrationError) {
        guard targetCoverage > 0, targetCoverage < 1 else { throw .invalidTargetCoverage(targetCoverage) }
        let tail = (1 - targetCoverage) / 2
        try Self.validate(days: days, values: values, dayCount: sorted.dayCount, drawCount: sorted.drawCount,
                          intervals: pointIntervals)
        let n = days.count
        var before = 0
        var required = [Double]()
        required.reserveCapacity(n)
        for (i, (day, y)) in zip(days, values).enumerated() {
            let m = sorted.quantile(day: day, 0.5)
            let (lo, hi) = pointIntervals.map { ($0.lower[i], $0.upper[i]) }
                ?? (sorted.quantile(day: day, tail), sorted.quantile(day: day, 1 - tail))
            if y >= lo && y <= hi { before += 1 }
            if y == m {
                required.append(0)
            } else if y > m {
                required.append(hi > m ? (y - m) / (hi - m) : .infinity)
            } else {
                required.append(lo < m ? (m - y) / (m - lo) : .infinity)
            }
        }
        required.sort()
        let k = Swift.min(n, Swift.max(1, Int((targetCoverage * Double(n)).rounded(.up))))
        // Middle of the step; when the next point needs an infinite factor
        // (zero-width interval on its day), the step's own edge.
        let f = k < n && required[k].isFinite ? 0.5 * (required[k - 1] + required[k]) : required[k - 1]
        guard (f > 0 && f.isFinite) || factorBounds != nil else { throw .degenerateFactor(f) }
        requiredFactor = f
        let applied = factorBounds.map { Swift.min(Swift.max(f, $0.lowerBound), $0.upperBound) } ?? f
        factor = applied
        coverageBefore = Double(before) / Double(n)
        let inside = if let pointIntervals {
            Self.insideCount(sorted, days: days, values: values, intervals: pointIntervals, factor: applied)
        } else {
            try Self.insideCount(sorted, days: days, values: values, lower: tail, upper: 1 - tail, factor: applied)
        }
        coverageAfter = Double(inside) / Double(n)
        pointCount = n
        method = pointIntervals == nil ? .inSample : .leaveOneOut
        draws = nil
    }

    /// Number of points inside their own intervals rescaled about their day's median by `factor`.
    static func insideCount(_ sorted: SortedDraws, days: [Int], values: [Double], intervals: PointIntervals,
                            factor: Double) -> Int {
        var inside = 0
        for (i, (day, y)) in zip(days, values).enumerated() {
            let m = sorted.quantile(day: day, 0.5)
            if y >= m + factor * (intervals.lower[i] - m) && y <= m + factor * (intervals.upper[i] - m) { inside += 1 }
        }
        return inside
    }

    /// `predictive` rescaled about each day's median by `factor`, draw by draw
    /// (the pairing of draws is kept). `sorted` must be `SortedDraws(predictive)`.
    public func apply(to predictive: DrawMatrix, sorted: SortedDraws) -> DrawMatrix {
        var rescaled = predictive
        for day in 0..<predictive.dayCount {
            let m = sorted.quantile(day: day, 0.5)
            for d in 0..<predictive.drawCount {
                rescaled[day, d] = m + factor * (predictive[day, d] - m)
            }
        }
        return rescaled
    }

    /// Share of points with `q_lower(day) ≤ y ≤ q_upper(day)` (R type-7 quantiles of the day's draws).
    public static func coverage(_ predictive: DrawMatrix, days: [Int], values: [Double],
                                lower: Double, upper: Double) throws(RecalibrationError) -> Double {
        guard lower >= 0, upper <= 1, lower <= upper else { throw .invalidTargetCoverage(upper - lower) }
        let inside = try insideCount(SortedDraws(predictive), days: days, values: values, lower: lower, upper: upper)
        return Double(inside) / Double(days.count)
    }

    /// Number of points with `q_lower(day) ≤ y ≤ q_upper(day)`, the quantiles
    /// taken after rescaling each day about its median by `factor`.
    static func insideCount(_ sorted: SortedDraws, days: [Int], values: [Double],
                            lower: Double, upper: Double, factor: Double = 1) throws(RecalibrationError) -> Int {
        try validate(days: days, values: values, dayCount: sorted.dayCount, drawCount: sorted.drawCount)
        var inside = 0
        for (day, y) in zip(days, values) {
            let q = sorted.quantiles(day: day, [lower, upper], rescaledBy: factor)
            if y >= q[0] && y <= q[1] { inside += 1 }
        }
        return inside
    }

    /// Checks the points against the draws' shape, and their own intervals, when given, against the points.
    static func validate(days: [Int], values: [Double], dayCount: Int, drawCount: Int,
                         intervals: PointIntervals? = nil) throws(RecalibrationError) {
        guard days.count == values.count else { throw .mismatchedPoints(days: days.count, values: values.count) }
        if let intervals, intervals.lower.count != days.count || intervals.upper.count != days.count {
            throw .mismatchedPoints(days: days.count, values: intervals.lower.count)
        }
        guard !days.isEmpty else { throw .noObservedPoints }
        guard drawCount > 0, dayCount > 0 else { throw .noDraws }
        for (i, (day, y)) in zip(days, values).enumerated() {
            guard day >= 0, day < dayCount else { throw .pointOutsideDraws(day: day, dayCount: dayCount) }
            guard y.isFinite else { throw .nonFiniteValue(index: i, value: y) }
        }
    }
}

/// The calibration check of SPEC §7: points inside (`a`) and outside (`b`) the
/// 50% predictive interval and the 5% / 95% quantiles of Beta(a, b).
///
/// With zero points on one side Beta(a, b) is the limiting point mass (R's
/// `qbeta` convention): `a = 0` gives bounds 0 and 0, `b = 0` gives 1 and 1.
public struct CalibrationCheck: Sendable, Equatable {
    /// Points inside the 50% interval (`a`).
    public var inside: Int
    /// Points outside it (`b`).
    public var outside: Int
    /// 5% quantile of Beta(a, b).
    public var lowerBound: Double
    /// 95% quantile of Beta(a, b).
    public var upperBound: Double

    /// Whether ½, the share a calibrated 50% interval holds, lies within the bounds.
    public var isConsistentWithCalibration: Bool { lowerBound <= 0.5 && 0.5 <= upperBound }

    public init(predictive: DrawMatrix, days: [Int], values: [Double]) throws(RecalibrationError) {
        try self.init(sorted: SortedDraws(predictive), days: days, values: values)
    }

    /// The check on sorted draws, rescaled about each day's median by `factor`
    /// (1: as given; a recalibration factor: the recalibrated intervals).
    /// `pointIntervals`: each point's own central 50% interval (its
    /// leave-one-out one) in place of its day's.
    public init(sorted: SortedDraws, days: [Int], values: [Double], factor: Double = 1,
                pointIntervals: PointIntervals? = nil) throws(RecalibrationError) {
        try Recalibration.validate(days: days, values: values, dayCount: sorted.dayCount, drawCount: sorted.drawCount,
                                   intervals: pointIntervals)
        let a = if let pointIntervals {
            Recalibration.insideCount(sorted, days: days, values: values, intervals: pointIntervals, factor: factor)
        } else {
            try Recalibration.insideCount(sorted, days: days, values: values,
                                          lower: Recalibration.checkInterval.lower,
                                          upper: Recalibration.checkInterval.upper, factor: factor)
        }
        let b = days.count - a
        inside = a
        outside = b
        lowerBound = inverseRegularizedIncompleteBeta(Recalibration.checkBounds.lower, a: Double(a), b: Double(b))
        upperBound = inverseRegularizedIncompleteBeta(Recalibration.checkBounds.upper, a: Double(a), b: Double(b))
    }
}
