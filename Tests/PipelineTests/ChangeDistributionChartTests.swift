import Foundation
import Reports
import Testing

@Suite("ChangeDistributionChart: the change to D from each comparison day, with P(worse)")
struct ChangeDistributionChartTests {
    @Test("change draws are paired by draw index, whatever the stored order")
    func pairedByDraw() throws {
        let results = ReportFixtures.results()
        let distributions = ChangeDistribution.of(results)
        #expect(distributions.map(\.comparison.label) == ["prev_week", "prev_week2"])
        for d in distributions {
            let changes = try #require(d.changes)
            #expect(changes.count == ReportFixtures.drawCount)
            // The fixture makes draw d of D exactly (1 + 0.01·(d mod 50))% above draw d of the comparison day.
            let expected = (0..<ReportFixtures.drawCount).map { 1 + 0.01 * Double($0 % 50) }.sorted()
            // Draws are stored as Float32: each level is rounded by at most 2⁻²⁴
            // relative, so a change in percent by at most about 2 × 2⁻²⁴ × 100 ≈ 1.2e-5.
            #expect(zip(changes, expected).allSatisfy { abs($0 - $1) < 2e-5 })
        }
    }

    @Test("without the draws of a day, the distribution is marked missing")
    func missingDraws() {
        var results = ReportFixtures.results()
        results.draws.removeAll { $0.date == ReportFixtures.comparisonDates["prev_week2"] }
        let distributions = ChangeDistribution.of(results)
        #expect(distributions[0].changes != nil)
        #expect(distributions[1].changes == nil)
        let svg = ChangeDistributionChart.svg(series: ReportFixtures.series(), results: results, id: "c1") ?? ""
        #expect(svg.contains("(draws not stored)"))
    }

    @Test("one violin per comparison, P(worse) written on each, worse side by direction")
    func violins() throws {
        let results = ReportFixtures.results(pWorse: 0.9, regression: true)
        let svg = try #require(ChangeDistributionChart.svg(series: ReportFixtures.series(), results: results, id: "c1"))
        let chart = try #require(XMLElements.parse(svg))
        #expect(chart.withClass("violin").count == 2)
        #expect(chart.texts.contains("P(worse) = 0.900"))
        #expect(chart.texts.contains("P(worse) = 0.630"))
        #expect(chart.withClass("p-worse").filter { $0.classes.contains("regression") }.count == 1)
        #expect(chart.texts.contains { $0.contains("worse ↑") })
        let higherIsBetter = try #require(ChangeDistributionChart.svg(
            series: ReportFixtures.series(lowerIsBetter: false), results: results, id: "c2"))
        #expect(higherIsBetter.contains("worse ↓"))
    }

    @Test("a series without comparisons has no distribution chart")
    func noComparisons() {
        #expect(ChangeDistributionChart.svg(series: ReportFixtures.series(), results: ReportFixtures.results(status: .failed), id: "c") == nil)
    }
}
