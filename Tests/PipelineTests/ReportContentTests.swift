import Foundation
import Store
import Ingest
import Reports
import Testing

@Suite("ReportContent: the series of a run date, selected and ordered")
struct ReportContentTests {
    /// A store with four series on the run date: a regression (P(worse) 0.9),
    /// a flagged fit (0.95, no regression), a steady series (0.2) and a failed fit.
    static func store() throws -> SQLiteStore {
        let (store, _) = try TestSupport.newStore()
        let rows = [("tabswitch", "linux64-shippable"), ("tabpaint", "linux64-shippable"),
                    ("tabpaint", "windows10-64-shippable"), ("sessionrestore", "windows7-32-shippable")]
            .map { TestSupport.record("2024-03-01", suite: $0.0, platform: $0.1, value: 1) }
        _ = try store.ingest(Selection.keepAll.apply(rows).kept)
        let ids = Dictionary(uniqueKeysWithValues: try store.listSeries(.all).map { ("\($0.suite)/\($0.platform)", $0.id) })
        try store.writeResults(ReportFixtures.results(seriesId: ids["tabswitch/linux64-shippable"]!, pWorse: 0.9, regression: true), replace: false)
        try store.writeResults(ReportFixtures.results(seriesId: ids["tabpaint/linux64-shippable"]!, pWorse: 0.95, regression: false,
                                                      status: .flagged), replace: false)
        try store.writeResults(ReportFixtures.results(seriesId: ids["tabpaint/windows10-64-shippable"]!, pWorse: 0.2, regression: false),
                               replace: false)
        try store.writeResults(ReportFixtures.results(seriesId: ids["sessionrestore/windows7-32-shippable"]!, status: .failed), replace: false)
        return store
    }

    @Test("every stored series, highest P(worse) first, failed fits last")
    func orderedByProbabilityWorse() throws {
        let content = try ReportContent.load(store: try Self.store(), runDate: ReportFixtures.runDate, selection: ReportSelection())
        #expect(content.series.map { "\($0.series.suite)/\($0.series.platform)" } == [
            "tabpaint/linux64-shippable", "tabswitch/linux64-shippable", "tabpaint/windows10-64-shippable",
            "sessionrestore/windows7-32-shippable",
        ])
        #expect(content.storedSeriesCount == 4)
        #expect(content.series[0].highestProbabilityWorse == 0.95)
        #expect(content.series[3].highestProbabilityWorse == nil)
    }

    @Test("--regressions-only keeps only series with a regression")
    func regressionsOnly() throws {
        let content = try ReportContent.load(store: try Self.store(), runDate: ReportFixtures.runDate,
                                             selection: ReportSelection(regressionsOnly: true))
        #expect(content.series.map(\.series.suite) == ["tabswitch"])
    }

    @Test("suites and platforms restrict, each list any of its names")
    func suitesAndPlatforms() throws {
        let store = try Self.store()
        let tabpaint = try ReportContent.load(store: store, runDate: ReportFixtures.runDate,
                                              selection: ReportSelection(suites: ["tabpaint"]))
        #expect(tabpaint.series.count == 2)
        let linux = try ReportContent.load(store: store, runDate: ReportFixtures.runDate,
                                           selection: ReportSelection(suites: ["tabpaint", "tabswitch"], platforms: ["linux64-shippable"]))
        #expect(Set(linux.series.map(\.series.suite)) == ["tabpaint", "tabswitch"])
        #expect(linux.series.allSatisfy { $0.series.platform == "linux64-shippable" })
    }

    @Test("a date without results is an error that says what to run")
    func noRun() throws {
        #expect(throws: ComparisonQueryError.noRun("2024-04-01")) {
            try ReportContent.load(store: try Self.store(), runDate: "2024-04-01", selection: ReportSelection())
        }
    }
}
