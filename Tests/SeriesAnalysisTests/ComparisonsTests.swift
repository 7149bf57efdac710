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

    @Test("Alert: P(worse) ≥ threshold and |p50| ≥ minimum change")
    func alert() throws {
        let draws = Self.levelDraws(shift: 2, sd: 1, seed: 21) // P(worse) ≈ 0.977, p50 ≈ 2
        let c = try compareDays(level: draws, day: 1, baseline: 0, direction: .lowerIsBetter)
        #expect(AlertRule().fires(c))
        #expect(AlertRule.defaultThreshold == 0.8 && AlertRule.defaultMinimumChange == 0)
        #expect(!AlertRule(minimumChange: 5).fires(c))
        #expect(!AlertRule(threshold: 0.99).fires(c))
        let improved = try compareDays(level: draws, day: 1, baseline: 0, direction: .higherIsBetter)
        #expect(!AlertRule().fires(improved))
    }

    @Test("Errors: days outside the draws, zero baseline levels")
    func errors() {
        let draws = Self.levelDraws(shift: 0, sd: 1, seed: 3)
        #expect(throws: ComparisonError.dayOutOfRange(day: 5, dayCount: 2)) {
            try compareDays(level: draws, day: 5, baseline: 0, direction: .lowerIsBetter)
        }
        var zero = draws
        zero[0, 17] = 0
        #expect(throws: ComparisonError.undefinedChange(day: 0, draw: 17, level: 0)) {
            try compareDays(level: zero, day: 1, baseline: 0, direction: .lowerIsBetter)
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
