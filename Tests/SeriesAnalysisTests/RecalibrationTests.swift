import Foundation
import NumericCore
import SeriesAnalysis
import Testing

/// Interval recalibration and the calibration check (SPEC §7).
struct RecalibrationTests {
    /// Synthetic series: day levels `μ_t = 500 + 10 sin(t/40)`, observations
    /// `y ~ N(μ_t, 5)` (`pointsPerDay` a day), predictive draws
    /// `N(μ_t, 5 · spread)` — `spread` 2 is twice too wide, ½ twice too narrow.
    static func synthetic(spread: Double, days: Int = 1000, pointsPerDay: Int = 5,
                          drawCount: Int = 1000, seed: UInt64) -> (DrawMatrix, [Int], [Double]) {
        var rng = RandomStream(seed: seed)
        let sigma = 5.0
        var draws = DrawMatrix(dayCount: days, drawCount: drawCount)
        var pointDays: [Int] = []
        var values: [Double] = []
        for t in 0..<days {
            let level = 500 + 10 * Foundation.sin(Double(t) / 40)
            for d in 0..<drawCount { draws[t, d] = rng.normal(mean: level, sd: sigma * spread) }
            for _ in 0..<pointsPerDay {
                pointDays.append(t)
                values.append(rng.normal(mean: level, sd: sigma))
            }
        }
        return (draws, pointDays, values)
    }

    // Tolerance: the factor is the 90% quantile of |y − m|/(q95 − m) over
    // n = 5000 points; its relative sd is √(0.09/n)/(2φ(1.645)·1.645) ≈ 1.3%
    // (quantile of |Z|), plus ≈ 0.4% from the per-day q95 of 1000 draws
    // averaged over the points' days. 5% is about 4 standard errors.

    @Test("Draws twice too wide: factor within 5% of ½, coverage from ≈ 99.9% to ≥ 90%")
    func tooWide() throws {
        let (draws, days, values) = Self.synthetic(spread: 2, seed: 101)
        let r = try Recalibration(predictive: draws, days: days, values: values)
        #expect(abs(r.factor / 0.5 - 1) < 0.05, "factor \(r.factor)")
        // P(|Z| < 2·1.645) = 0.99900.
        #expect(r.coverageBefore > 0.995)
        #expect(r.coverageAfter >= 0.9 && r.coverageAfter <= 0.9 + 1.0 / Double(days.count) + 1e-12)
        #expect(r.pointCount == 5000)
    }

    @Test("Draws twice too narrow: factor within 5% of 2, coverage from ≈ 59% to ≥ 90%")
    func tooNarrow() throws {
        let (draws, days, values) = Self.synthetic(spread: 0.5, seed: 202)
        let r = try Recalibration(predictive: draws, days: days, values: values)
        #expect(abs(r.factor / 2 - 1) < 0.05, "factor \(r.factor)")
        // P(|Z| < 1.645/2) = 0.5890; sd of the share over 5000 points ≈ 0.007.
        #expect(abs(r.coverageBefore - 0.589) < 0.03)
        #expect(r.coverageAfter >= 0.9 && r.coverageAfter <= 0.9 + 1.0 / Double(days.count) + 1e-12)
    }

    @Test("Rescaling is about each day's median: medians unchanged, spread times the factor")
    func rescalingAboutMedian() throws {
        let (draws, days, values) = Self.synthetic(spread: 2, days: 50, pointsPerDay: 4, drawCount: 401, seed: 7)
        let r = try Recalibration(predictive: draws, days: days, values: values)
        for day in [0, 17, 49] {
            let before = draws.quantiles(day: day, [0.05, 0.5, 0.95])
            let after = r.draws!.quantiles(day: day, [0.05, 0.5, 0.95])
            #expect(abs(after[1] - before[1]) < 1e-9)
            #expect(abs((after[2] - after[1]) - r.factor * (before[2] - before[1])) < 1e-9)
            #expect(abs((after[1] - after[0]) - r.factor * (before[1] - before[0])) < 1e-9)
        }
    }

    @Test("Hand-computed factor: the middle of the step that reaches 90% of the points")
    func handComputed() throws {
        // One day with draws 0, 1, …, 100: p05 = 5, p50 = 50, p95 = 95.
        let draws = DrawMatrix(dayCount: 1, drawCount: 101, values: (0...100).map(Double.init))
        // Points at 50 ± 45·r need factor r: r = 0.1 … 0.8, 1.2, 2.0 (alternating sides).
        let rs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.2, 2.0]
        let values = rs.enumerated().map { i, r in 50 + (i.isMultiple(of: 2) ? 1 : -1) * 45 * r }
        let r = try Recalibration(predictive: draws, days: Array(repeating: 0, count: 10), values: values)
        // k = ⌈0.9·10⌉ = 9 points must be inside: between f(9) = 1.2 and f(10) = 2.0.
        #expect(abs(r.factor - 1.6) < 1e-12)
        #expect(abs(r.coverageBefore - 0.8) < 1e-12)
        #expect(abs(r.coverageAfter - 0.9) < 1e-12)
    }

    @Test("Errors: no points, points outside the draws, degenerate draws")
    func errors() {
        let draws = DrawMatrix(dayCount: 2, drawCount: 10, values: (0..<20).map(Double.init))
        #expect(throws: RecalibrationError.noObservedPoints) {
            try Recalibration(predictive: draws, days: [], values: [])
        }
        #expect(throws: RecalibrationError.pointOutsideDraws(day: 2, dayCount: 2)) {
            try Recalibration(predictive: draws, days: [0, 2], values: [1, 2])
        }
        #expect(throws: RecalibrationError.mismatchedPoints(days: 1, values: 2)) {
            try Recalibration(predictive: draws, days: [0], values: [1, 2])
        }
        #expect(throws: RecalibrationError.invalidTargetCoverage(1.5)) {
            try Recalibration(predictive: draws, days: [0], values: [1], targetCoverage: 1.5)
        }
        let flat = DrawMatrix(dayCount: 1, drawCount: 10, repeating: 3)
        #expect(throws: RecalibrationError.degenerateFactor(.infinity)) {
            try Recalibration(predictive: flat, days: [0, 0], values: [4, 5])
        }
    }

    @Test("Calibration check: counts inside/outside the 50% interval and Beta(a, b) 5–95% bounds")
    func calibrationCheck() throws {
        // Draws 0 … 100 on one day: p25 = 25, p75 = 75. Six points inside (edges count), four outside.
        let draws = DrawMatrix(dayCount: 1, drawCount: 101, values: (0...100).map(Double.init))
        let values: [Double] = [25, 30, 50, 60, 70, 75, 10, 20, 80, 99]
        let check = try CalibrationCheck(predictive: draws, days: Array(repeating: 0, count: 10), values: values)
        #expect(check.inside == 6 && check.outside == 4)
        // scipy.stats.beta.ppf([0.05, 0.95], 6, 4)
        #expect(abs(check.lowerBound - 0.34494136594370317) < 1e-10)
        #expect(abs(check.upperBound - 0.8312495040126759) < 1e-10)
        #expect(check.isConsistentWithCalibration)
    }

    @Test("Calibration check on calibrated synthetic draws: ≈ half inside, bounds are Beta(a, b)'s quantiles")
    func calibratedCheck() throws {
        let (draws, days, values) = Self.synthetic(spread: 1, days: 200, seed: 303)
        let check = try CalibrationCheck(predictive: draws, days: days, values: values)
        #expect(check.inside + check.outside == 1000)
        // A calibrated 50% interval holds ½ ± 0.016 (1 sd over 1000 points).
        #expect(abs(Double(check.inside) / 1000 - 0.5) < 0.064) // 4 sd
        let (a, b) = (Double(check.inside), Double(check.outside))
        #expect(abs(check.lowerBound - inverseRegularizedIncompleteBeta(0.05, a: a, b: b)) < 1e-15)
        #expect(abs(check.upperBound - inverseRegularizedIncompleteBeta(0.95, a: a, b: b)) < 1e-15)
        // Beta(≈500, ≈500): 5–95% width 2·1.645·√(¼/1001) ≈ 0.052.
        #expect(abs(check.upperBound - check.lowerBound - 0.052) < 0.002)
    }

    @Test("Calibration check with no point outside: Beta(a, 0) is the point mass at 1")
    func allInside() throws {
        let draws = DrawMatrix(dayCount: 1, drawCount: 101, values: (0...100).map(Double.init))
        let check = try CalibrationCheck(predictive: draws, days: [0, 0, 0], values: [40, 50, 60])
        #expect(check.inside == 3 && check.outside == 0)
        #expect(check.lowerBound == 1 && check.upperBound == 1)
        #expect(!check.isConsistentWithCalibration)
    }

    /// One day whose draws are 0 … 100 (median 50); each point has its own interval.
    static let uniformDay = DrawMatrix(dayCount: 1, drawCount: 101, values: (0...100).map(Double.init))

    @Test("Each point's own interval: required factors (y − m)/(uᵢ − m) about the day's median, 'leave-one-out'")
    func pointIntervals() throws {
        // Ten points with intervals [40, 60] (m = 50): point i at 50 + 2i needs factor 2i/10 (0, 0.2, …, 1.8).
        let values = (0..<10).map { 50 + 2 * Double($0) }
        let intervals = PointIntervals(lower: Array(repeating: 40, count: 10), upper: Array(repeating: 60, count: 10))
        let r = try Recalibration(sorted: SortedDraws(Self.uniformDay), days: Array(repeating: 0, count: 10),
                                  values: values, pointIntervals: intervals)
        // k = 9 inside: the middle of the step between 1.6 and 1.8.
        #expect(abs(r.factor - 1.7) < 1e-12)
        #expect(r.requiredFactor == r.factor && !r.isBounded)
        #expect(r.method == .leaveOneOut)
        // Inside [40, 60] before: 50 … 60, six points; after ×1.7 ([33, 67]): nine.
        #expect(abs(r.coverageBefore - 0.6) < 1e-12)
        #expect(abs(r.coverageAfter - 0.9) < 1e-12)
        // The day's own 90% interval [5, 95] would hold all ten: the factor is the points' intervals', not the day's.
        let daily = try Recalibration(sorted: SortedDraws(Self.uniformDay), days: Array(repeating: 0, count: 10), values: values)
        #expect(daily.method == .inSample && daily.factor < 1)
        // Same intervals for the calibration check: inside after ×1.7 are the same nine.
        let check = try CalibrationCheck(sorted: SortedDraws(Self.uniformDay), days: Array(repeating: 0, count: 10),
                                         values: values, factor: r.factor, pointIntervals: intervals)
        #expect(check.inside == 9 && check.outside == 1)
    }

    @Test("Bounded factor: clamped, the required one kept, coverage measured at the one applied")
    func boundedFactor() throws {
        // Points need factors 0, 0.2, …, 1.8 against [40, 60]; bounds 0.5 … 1.2 clamp 1.7 to 1.2.
        let values = (0..<10).map { 50 + 2 * Double($0) }
        let intervals = PointIntervals(lower: Array(repeating: 40, count: 10), upper: Array(repeating: 60, count: 10))
        let r = try Recalibration(sorted: SortedDraws(Self.uniformDay), days: Array(repeating: 0, count: 10),
                                  values: values, pointIntervals: intervals, factorBounds: 0.5...1.2)
        #expect(r.factor == 1.2 && abs(r.requiredFactor - 1.7) < 1e-12 && r.isBounded)
        // ×1.2: [38, 62] holds 50 … 62, seven points.
        #expect(abs(r.coverageAfter - 0.7) < 1e-12)
        // A zero-width interval that would need an infinite factor is bounded too, not an error.
        let flat = PointIntervals(lower: Array(repeating: 50, count: 10), upper: Array(repeating: 50, count: 10))
        let unbounded = try Recalibration(sorted: SortedDraws(Self.uniformDay), days: Array(repeating: 0, count: 10),
                                          values: values, pointIntervals: flat, factorBounds: 0.5...2)
        #expect(unbounded.factor == 2 && unbounded.requiredFactor == .infinity)
        #expect(throws: RecalibrationError.self) {
            try Recalibration(sorted: SortedDraws(Self.uniformDay), days: Array(repeating: 0, count: 10),
                              values: values, pointIntervals: flat)
        }
        // Intervals for another number of points are an error.
        #expect(throws: RecalibrationError.mismatchedPoints(days: 10, values: 3)) {
            try Recalibration(sorted: SortedDraws(Self.uniformDay), days: Array(repeating: 0, count: 10), values: values,
                              pointIntervals: PointIntervals(lower: [0, 0, 0], upper: [1, 1, 1]))
        }
    }
}
