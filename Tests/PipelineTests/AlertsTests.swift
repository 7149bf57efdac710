import Foundation
import Store
import Ingest
import Reports
import SeriesAnalysis
import Testing

/// Alerts per series and run date (SPEC §8 v2): a stable id, the fit's
/// status (flagged fits held back), `new` against the previous run date, the
/// rule applied from what `run` stored or from the command line.
@Suite("Alerts: per series and run date, new, held back, stable ids")
struct AlertsTests {
    /// A store with series `a` and `b`; `b` flagged on every date.
    /// `pBeyond[date][series]` is P(worse beyond 2%) of its d14 comparison.
    static func store(_ pBeyond: [String: [String: Double]], label: String = #function) throws -> SQLiteStore {
        let (store, _) = try TestSupport.newStore(label)
        let records = ["a", "b"].map { TestSupport.record("2020-05-01", suite: $0, value: 1) }
        _ = try store.ingest(Selection.keepAll.apply(records).kept)
        let ids = Dictionary(uniqueKeysWithValues: try store.listSeries(.all).map { ($0.suite, $0.id) })
        for (date, bySeries) in pBeyond {
            for (suite, p) in bySeries {
                let id = try #require(ids[suite])
                var results = SeriesResultsTests.results(runDate: date, seriesId: id, status: suite == "b" ? .flagged : .good)
                results.comparisons = [ComparisonRow(label: "d14", date: "2020-05-01", p05: 1, p10: 2, p50: 3, p90: 4, p95: 5,
                                                     pWorse: 0.99, regression: true, alert: p >= 0.8, minChange: 2,
                                                     threshold: 0.8, pWorseBeyond: p)]
                try store.writeResults(results, replace: false)
            }
        }
        return store
    }

    @Test("one alert per series; new unless the series alerted on the previous run date")
    func newAgainstPreviousRunDate() throws {
        let store = try Self.store(["2020-05-09": ["a": 0.9, "b": 0.95], "2020-05-10": ["a": 0.85, "b": 0.9]])
        let report = try Alerts.report(store: store, runDate: "2020-05-10", filter: .all, rule: AlertRuleChoice(),
                                       includeFlagged: true)
        #expect(report.alerts.count == 2)
        #expect(report.alerts.allSatisfy { !$0.new && $0.previous_run_date == "2020-05-09" })
        let first = try Alerts.report(store: store, runDate: "2020-05-09", filter: .all, rule: AlertRuleChoice(),
                                      includeFlagged: true)
        #expect(first.alerts.allSatisfy { $0.new && $0.previous_run_date == nil })
        // A stricter threshold: the series did not alert the day before under it either.
        let strict = try Alerts.report(store: store, runDate: "2020-05-10", filter: .all,
                                       rule: AlertRuleChoice(threshold: 0.88), includeFlagged: true)
        #expect(strict.alerts.map(\.suite) == ["b"] && strict.alerts[0].new == false)
    }

    @Test("a fit flagged by its diagnostics is held back unless asked for, and says so")
    func flaggedHeldBack() throws {
        let store = try Self.store(["2020-05-10": ["a": 0.5, "b": 0.95]])
        let report = try Alerts.report(store: store, runDate: "2020-05-10", filter: .all, rule: AlertRuleChoice(),
                                       includeFlagged: false)
        #expect(report.alerts.isEmpty)
        #expect(report.heldBack.map(\.suite) == ["b"] && report.heldBack[0].status == "flagged")
        #expect(!report.heldBack[0].reasons.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(json["schema_version"] as? Int == 1)
        #expect((json["alerts"] as? [Any])?.isEmpty == true && (json["held_back"] as? [Any])?.count == 1)
    }

    @Test("the id is stable across stores and reruns and differs between series and run dates")
    func stableIds() throws {
        let one = try Self.store(["2020-05-10": ["a": 0.9, "b": 0.9]], label: "one")
        let two = try Self.store(["2020-05-10": ["b": 0.9, "a": 0.9]], label: "two")
        let ids1 = try Alerts.report(store: one, runDate: "2020-05-10", filter: .all, rule: AlertRuleChoice(), includeFlagged: true)
            .alerts.map(\.id).sorted()
        let ids2 = try Alerts.report(store: two, runDate: "2020-05-10", filter: .all, rule: AlertRuleChoice(), includeFlagged: true)
            .alerts.map(\.id).sorted()
        #expect(ids1 == ids2 && Set(ids1).count == 2)
        #expect(ids1.allSatisfy { $0.hasSuffix("-2020-05-10") && $0.count == 16 + 1 + 10 })
        let series = try #require(try one.listSeries(.all).first)
        #expect(Alerts.alertId(series: series, runDate: "2020-05-10") != Alerts.alertId(series: series, runDate: "2020-05-11"))
    }

    @Test("a filter that matches no series is an error, not an empty success")
    func filterMatchingNothing() throws {
        let store = try Self.store(["2020-05-10": ["a": 0.9]])
        var filter = SeriesFilter()
        filter.suite = "typo"
        #expect(throws: ComparisonQueryError.noSeriesMatches("--suite 'typo'")) {
            try Alerts.report(store: store, runDate: "2020-05-10", filter: filter, rule: AlertRuleChoice(), includeFlagged: false)
        }
        filter.suite = "b"
        #expect(throws: ComparisonQueryError.noResultsForFilter(filter: "--suite 'b'", runDate: "2020-05-10")) {
            try Alerts.report(store: store, runDate: "2020-05-10", filter: filter, rule: AlertRuleChoice(), includeFlagged: false)
        }
    }
}
