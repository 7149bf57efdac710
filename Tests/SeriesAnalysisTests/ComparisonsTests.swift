import Foundation
import NumericCore
import SeriesAnalysis
import Testing

/// Day comparisons (SPEC §8) on synthetic draws whose change% is known:
/// the baseline level is `μ_c ~ 100 + N(0, 1)` and the run day's level
/// `μ_D = μ_c · (1 + (s + σ·Z)/100)`, so `change% = s + σ·Z` exactly, with
/// quantiles `s + σ·Φ⁻¹(p)` and `P(change > 0) = Φ(s/σ)`.
struct ComparisonsTests {
    static let drawCount = 20_000

    /// Level draws for days 0 (baseline) and 1 (run day) with change% ~ N(shift, sd).
    static func levelDraws(shift: Double, sd: Double, seed: UInt64) -> DrawMatrix {
        var rng = RandomStream(seed: seed)
        var draws = DrawMatrix(dayCount: 2, drawCount: drawCount)
        for d in 0..<drawCount {
            let baseline = rng.normal(mean: 100, sd: 1)
            draws[0, d] = baseline
            draws[1, d] = baseline * (1 + rng.normal(mean: shift, sd: sd) / 100)
        }
        return draws
    }

    /// Monte Carlo standard error of the sample p-quantile of N(·, sd):
    /// `sd · √(p(1−p)/n) / φ(Φ⁻¹(p))`.
    static func quantileMCSE(_ p: Double, sd: Double) -> Double {
        let z = inverseNormalCDF(p)
        let density = Foundation.exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
        return sd * (p * (1 - p) / Double(drawCount)).squareRoot() / density
    }

    @Test("Quantiles and P(worse) match the analytic values within 4 MCSE", arguments: [
        (1.0, 1.0), (2.0, 1.0), (-0.5, 2.0),
    ])
    func analytic(shift: Double, sd: Double) throws {
        let draws = Self.levelDraws(shift: shift, sd: sd, seed: 20_240_611)
        let c = try compareDays(level: draws, day: 1, baseline: 0, direction: .lowerIsBetter)
        let observed = [c.p05, c.p10, c.p50, c.p90, c.p95]
        for (p, q) in zip([0.05, 0.10, 0.50, 0.90, 0.95], observed) {
            let expected = shift + sd * inverseNormalCDF(p)
            #expect(abs(q - expected) <= 4 * Self.quantileMCSE(p, sd: sd), "p\(p): \(q) vs \(expected)")
        }
        let pWorse = normalCDF(shift / sd)
        let mcse = (pWorse * (1 - pWorse) / Double(Self.drawCount)).squareRoot()
        #expect(abs(c.probabilityWorse - pWorse) <= 4 * mcse)
        #expect(c.drawCount == Self.drawCount)
    }

    @Test("Direction flips P(worse): higher-is-better counts the draws where D is lower")
    func directionFlip() throws {
        let draws = Self.levelDraws(shift: 1, sd: 1, seed: 7)
        let lower = try compareDays(level: draws, day: 1, baseline: 0, direction: .lowerIsBetter)
        let higher = try compareDays(level: draws, day: 1, baseline: 0, direction: MetricDirection(lowerIsBetter: false))
        // No ties in continuous draws: the two shares add to one.
        #expect(abs(lower.probabilityWorse + higher.probabilityWorse - 1) < 1e-12)
        let mcse = (normalCDF(1) * normalCDF(-1) / Double(Self.drawCount)).squareRoot()
        #expect(abs(higher.probabilityWorse - normalCDF(-1)) <= 4 * mcse)
        // The change quantiles do not depend on the direction.
        #expect(lower.p50 == higher.p50)
    }

    @Test("Regression: p10 > 0 when lower is better, p90 < 0 when higher is better")
    func regression() throws {
        // shift 2, sd 1: p10 ≈ 0.72 > 0, p90 ≈ 3.28 > 0.
        let up = Self.levelDraws(shift: 2, sd: 1, seed: 11)
        #expect(try compareDays(level: up, day: 1, baseline: 0, direction: .lowerIsBetter).isRegression)
        #expect(try !compareDays(level: up, day: 1, baseline: 0, direction: .higherIsBetter).isRegression)
        // shift −2: p90 ≈ −0.72 < 0.
        let down = Self.levelDraws(shift: -2, sd: 1, seed: 12)
        #expect(try compareDays(level: down, day: 1, baseline: 0, direction: .higherIsBetter).isRegression)
        #expect(try !compareDays(level: down, day: 1, baseline: 0, direction: .lowerIsBetter).isRegression)
        // shift 1: p10 ≈ −0.28, not a regression although P(worse) ≈ 0.84.
        let small = Self.levelDraws(shift: 1, sd: 1, seed: 13)
        #expect(try !compareDays(level: small, day: 1, baseline: 0, direction: .lowerIsBetter).isRegression)
    }

    @Test("P(worse beyond m) matches Φ((s − m)/σ) within 4 MCSE, both directions", arguments: [
        (2.5, 1.0, 2.0), (3.0, 1.0, 2.0), (1.0, 2.0, 0.5), (0.1, 0.05, 2.0),
    ])
    func probabilityBeyondMinimum(shift: Double, sd: Double, minimum: Double) throws {
        let draws = Self.levelDraws(shift: shift, sd: sd, seed: 31)
        let c = try compareDays(level: draws, day: 1, baseline: 0, direction: .lowerIsBetter, minimumChange: minimum)
        let expected = normalCDF((shift - minimum) / sd)
        let mcse = (expected * (1 - expected) / Double(Self.drawCount)).squareRoot()
        #expect(abs(c.probabilityWorseBeyondMinimum - expected) <= 4 * mcse + 1e-12,
                "P(change > \(minimum)) = \(c.probabilityWorseBeyondMinimum), expected \(expected)")
        #expect(c.minimumChange == minimum)
        // Higher is better: worse beyond m means change% < −m.
        let h = try compareDays(level: draws, day: 1, baseline: 0, direction: .higherIsBetter, minimumChange: minimum)
        let expectedHigher = normalCDF((-minimum - shift) / sd)
        let mcseHigher = (expectedHigher * (1 - expectedHigher) / Double(Self.drawCount)).squareRoot()
        #expect(abs(h.probabilityWorseBeyondMinimum - expectedHigher) <= 4 * mcseHigher + 1e-12)
    }

    @Test("Alert: P(change worse than the minimum) ≥ threshold — a region of practical equivalence")
    func alert() throws {
        #expect(AlertRule.defaultThreshold == 0.8 && AlertRule.defaultMinimumChange == 2)
        // A certain but tiny change (+0.09% ± 0.01%): P(worse) = 1, yet no alert at the 2% minimum.
        let tiny = Self.levelDraws(shift: 0.09, sd: 0.01, seed: 21)
        let t = try compareDays(level: tiny, day: 1, baseline: 0, direction: .lowerIsBetter,
                                minimumChange: AlertRule.defaultMinimumChange)
        #expect(t.probabilityWorse > 0.999)
        #expect(!AlertRule().fires(t))
        // A change of 3.5% ± 1%: P(> 2%) = Φ(1.5) ≈ 0.93 fires at 0.8, not at 0.99.
        let clear = Self.levelDraws(shift: 3.5, sd: 1, seed: 22)
        let c = try compareDays(level: clear, day: 1, baseline: 0, direction: .lowerIsBetter, minimumChange: 2)
        #expect(AlertRule().fires(c))
        #expect(!AlertRule(threshold: 0.99).fires(c))
        // The median is beyond the minimum (2.1%) but the posterior is wide:
        // P(> 2%) ≈ 0.52 does not fire, where a test on the median would.
        let wide = Self.levelDraws(shift: 2.1, sd: 2, seed: 23)
        let w = try compareDays(level: wide, day: 1, baseline: 0, direction: .lowerIsBetter, minimumChange: 2)
        #expect(w.p50 > 2 && w.probabilityWorse > 0.8)
        #expect(!AlertRule().fires(w))
        // An improvement never fires.
        let improved = try compareDays(level: clear, day: 1, baseline: 0, direction: .higherIsBetter, minimumChange: 2)
        #expect(!AlertRule().fires(improved))
    }

    @Test("Per-suite minimum changes: the suite's own, else the rule's")
    func perSuiteMinimum() {
        let rule = AlertRule(threshold: 0.9, minimumChange: 2, minimumChangeBySuite: ["speedometer": 0.5])
        #expect(rule.minimumChange(forSuite: "speedometer") == 0.5)
        #expect(rule.minimumChange(forSuite: "tabpaint") == 2)
        #expect(rule.resolved(forSuite: "speedometer") == AlertRule(threshold: 0.9, minimumChange: 0.5))
    }

    @Test("Errors: days outside the draws, zero baseline levels")
    func errors() {
        let draws = Self.levelDraws(shift: 0, sd: 1, seed: 3)
        #expect(throws: ComparisonError.dayOutOfRange(day: 5, dayCount: 2)) {
            try compareDays(level: draws, day: 5, baseline: 0, direction: .lowerIsBetter)
        }
        var zero = draws
        zero[0, 17] = 0
        do {
            _ = try compareDays(level: zero, day: 1, baseline: 0, direction: .lowerIsBetter)
            Issue.record("a zero baseline draw must not give a percent change")
        } catch {
            guard case let .baselineNearZero(day, below, _, _, _) = error else { Issue.record("\(error)"); return }
            #expect(day == 0 && below == 1 / Double(draws.drawCount))
            #expect(error.description.contains("1 of \(draws.drawCount) draws"), "\(error)")
        }
        var infinite = draws
        infinite[0, 3] = .infinity
        #expect(throws: ComparisonError.undefinedChange(day: 0, draw: 3, level: .infinity)) {
            try compareDays(level: infinite, day: 1, baseline: 0, direction: .lowerIsBetter)
        }
    }

    @Test("A plan's comparisons: available days compared, unavailable ones skipped with the reason")
    func planComparisons() throws {
        // 30 days of level draws rising 1% a day relative to day 0.
        var draws = DrawMatrix(dayCount: 30, drawCount: 200)
        var rng = RandomStream(seed: 5)
        for d in 0..<200 {
            let base = rng.normal(mean: 100, sd: 0.1)
            for day in 0..<30 { draws[day, d] = base * (1 + 0.01 * Double(day)) }
        }
        let start = CalendarDay(iso8601: "2024-05-01")!
        let plan = ComparisonDays().plan(runDate: start.advanced(by: 20), seriesStart: start, calendar: nil)
        let outcomes = runComparisons(level: draws, plan: plan, direction: .lowerIsBetter)
        #expect(outcomes.map(\.label) == ["prev_week", "prev_week2"])
        let week = try #require(outcomes[0].comparison)
        #expect(week.day == 20 && week.baseline == 13)
        #expect(abs(week.p50 - (1.20 / 1.13 - 1) * 100) < 1e-9)
        #expect(week.probabilityWorse == 1)

        let late = ComparisonDays().plan(runDate: start.advanced(by: 10), seriesStart: start, calendar: nil)
        let lateOutcomes = runComparisons(level: draws, plan: late, direction: .lowerIsBetter)
        #expect(lateOutcomes[0].comparison != nil)
        #expect(lateOutcomes[1].comparison == nil)
        guard case let .failure(skip) = lateOutcomes[1].result else { Issue.record("prev_week2 compared"); return }
        #expect(skip.reason.contains("before the series starts"))
    }
}

@Suite("Comparisons near and below zero")
struct ComparisonsNearZeroTests {
    static func matrix(_ now: [Double], _ then: [Double]) -> DrawMatrix {
        var m = DrawMatrix(dayCount: 2, drawCount: now.count)
        for d in now.indices {
            m[0, d] = then[d]
            m[1, d] = now[d]
        }
        return m
    }

    @Test("a baseline straddling zero: no percent, the change in the unit and P(worse) instead")
    func straddlingZero() throws {
        let then = (0..<100).map { Double($0 - 30) / 100 }     // −0.30 … 0.69: 31% at or below zero
        let now = then.map { $0 + 1 }
        #expect(throws: ComparisonError.self) {
            try compareDays(level: Self.matrix(now, then), day: 1, baseline: 0, direction: .lowerIsBetter)
        }
        do {
            _ = try compareDays(level: Self.matrix(now, then), day: 1, baseline: 0, direction: .lowerIsBetter)
        } catch let error as ComparisonError {
            guard case let .baselineNearZero(_, below, absolute, p, _) = error else { Issue.record("\(error)"); return }
            #expect(abs(below - 0.31) < 1e-12 && absolute.p50 == 1 && p == 1)
            #expect(error.description.contains("percent change is undefined") && error.description.contains("series' unit"))
        }
    }

    @Test("a level below zero: the percent is of its magnitude, so higher stays a positive change")
    func negativeLevel() throws {
        let then = [Double](repeating: -10, count: 50)
        let now = [Double](repeating: -9, count: 50)          // higher by 1: +10%
        let c = try compareDays(level: Self.matrix(now, then), day: 1, baseline: 0, direction: .lowerIsBetter)
        #expect(abs(c.p50 - 10) < 1e-12 && c.probabilityWorse == 1, "\(c)")
        #expect(c.absolute?.p50 == 1)
    }
}
