import Foundation
import Store
import Ingest
import Testing

/// Writing and reading the results of one (run date, series) through the store.
@Suite("SeriesResults: atomic per (run date, series), skip or replace")
struct SeriesResultsTests {
    static func seriesId(in store: SQLStore) throws -> Int64 {
        _ = try store.ingest(Selection.keepAll.apply([TestSupport.record("2020-05-01", value: 1)]).kept)
        return try #require(try store.listSeries(.all).first).id
    }

    static func results(runDate: String = "2020-05-10", seriesId: Int64, scale: Double = 1,
                        status: StoredFitStatus = .good) -> SeriesResults {
        let intervals = (0..<3).map { day in
            IntervalRow(day: day, date: "2020-05-0\(day + 1)", levelP05: 1 * scale, levelP25: 2 * scale, levelP50: 3 * scale,
                        levelP75: 4 * scale, levelP95: 5 * scale, p05: 0.5, p15: 1.5, p16: 1.6, p25: 2.5, p50: 3,
                        p75: 3.5, p84: 3.84, p85: 3.85, p95: 5.5, rawP05: 0.4, rawP50: 3, rawP95: 5.6)
        }
        let draws = [0, 2].map { day in
            DayDraws(day: day, date: "2020-05-0\(day + 1)", level: (0..<4).map { Float(Double($0) * scale) },
                     predictive: (0..<4).map { Float($0) + 0.5 })
        }
        let modelInput = [
            ModelInputRow(time: TestSupport.date("2020-05-01T10:00:00Z"), day: 0, y: 10, z: 0.3, outlier: false, majorVersion: 77),
            ModelInputRow(time: TestSupport.date("2020-05-03T10:00:00Z"), day: 2, y: 99, z: 7.5, outlier: true, majorVersion: nil),
            ModelInputRow(time: TestSupport.date("2020-05-03T11:00:00Z"), day: 2, y: 10, z: nil, outlier: false, majorVersion: 78),
        ]
        let diagnostics = DiagnosticsRow(
            model: "pspline", sampler: "nuts", noise: "student-t", status: status,
            reasons: status == .flagged ? "max R̂ 1.02 > 1.01" : "", error: status == .failed ? "too few points" : "",
            nPoints: 3, nOutliers: 1, firstDate: "2020-05-01", lastDate: "2020-05-03", k: 4, nDivergent: 0,
            maxRhat: 1.003, minEssBulk: 812.5, minEssTail: 640.25, nEffRatio: 0.2, exceededMaxTreedepth: 0, minBfmi: 0.9,
            recalibrationFactor: 1.1, coverageBefore: 0.85, coverageAfter: 0.9, betaP05: 0.4, betaP95: 0.6, modesCount: 2,
            modesSummary: "2 modes found; 71% in mode 1; 29% in mode 2", warmupMs: 12.5, samplingMs: 30, totalMs: 45,
            seed: UInt64.max - 5, createdAt: TestSupport.date("2020-05-10T03:00:00Z"))
        let comparisons = [
            ComparisonRow(label: "d7", date: "2020-05-03", p05: -1, p10: -0.5, p50: 0.2 * scale, p90: 1, p95: 1.5,
                          pWorse: 0.6, regression: false, alert: false),
            ComparisonRow(label: "v77", date: "2020-05-01", p05: 1, p10: 1.5, p50: 2, p90: 3, p95: 4,
                          pWorse: 0.95, regression: true, alert: true),
        ]
        return SeriesResults(runDate: runDate, seriesId: seriesId, modelInput: modelInput, intervals: intervals,
                             draws: draws, diagnostics: diagnostics, comparisons: comparisons)
    }

    @Test("results read back exactly as written", arguments: StoreBackend.available)
    func roundTrip(backend: StoreBackend) throws {
        let store = try backend.newStore()
        let id = try Self.seriesId(in: store)
        let written = Self.results(seriesId: id)
        #expect(try store.writeResults(written, replace: false) == .written)
        let read = try #require(try store.results(runDate: "2020-05-10", seriesId: id))
        #expect(read.diagnostics == written.diagnostics)
        #expect(read.intervals == written.intervals)
        #expect(read.draws == written.draws)
        #expect(read.modelInput == written.modelInput)
        #expect(read.comparisons == written.comparisons)
        #expect(try store.hasResults(runDate: "2020-05-10", seriesId: id))
        #expect(try !store.hasResults(runDate: "2020-05-11", seriesId: id))
        #expect(try store.seriesWithResults(runDate: "2020-05-10") == [id])
        #expect(try store.runDates() == ["2020-05-10"])
        #expect(try store.comparisons(runDate: "2020-05-10").map(\.row.label) == ["d7", "v77"])
        #expect(try store.diagnostics(runDate: "2020-05-10").map(\.row.status) == [.good])
        #expect(try store.rowCounts()["draws"] == 2, "one row of blobs per day")
    }

    @Test("change days read back in date order; a replace without them leaves none", arguments: StoreBackend.available)
    func changeDays(backend: StoreBackend) throws {
        let store = try backend.newStore()
        let id = try Self.seriesId(in: store)
        var written = Self.results(seriesId: id)
        written.changeDays = [ChangeDayRow(date: "2020-05-03", probability: 0.93, sizePercent: 3.25),
                              ChangeDayRow(date: "2020-05-02", probability: 0.61, sizePercent: -1.5)]
        try store.writeResults(written, replace: false)
        let read = try #require(try store.results(runDate: "2020-05-10", seriesId: id))
        #expect(read.changeDays == written.changeDays.sorted { $0.date < $1.date })
        // A day given twice is refused by name, before anything is written.
        var twice = Self.results(runDate: "2020-05-11", seriesId: id)
        twice.changeDays = [ChangeDayRow(date: "2020-05-02", probability: 0.7, sizePercent: 2),
                            ChangeDayRow(date: "2020-05-02", probability: 0.8, sizePercent: 2)]
        #expect(throws: StoreError.self) { try store.writeResults(twice, replace: false) }
        #expect(try store.results(runDate: "2020-05-11", seriesId: id) == nil)
        // Replacing with a fit that has none (the reference model) leaves none of the old ones.
        try store.writeResults(Self.results(seriesId: id), replace: true)
        #expect(try store.results(runDate: "2020-05-10", seriesId: id)?.changeDays == [])
    }

    @Test("a second write is skipped unless replace is asked; replace leaves no old rows", arguments: StoreBackend.available)
    func skipOrReplace(backend: StoreBackend) throws {
        let store = try backend.newStore()
        let id = try Self.seriesId(in: store)
        try store.writeResults(Self.results(seriesId: id), replace: false)
        #expect(try store.writeResults(Self.results(seriesId: id, scale: 2), replace: false) == .skippedExisting)
        #expect(try store.results(runDate: "2020-05-10", seriesId: id)?.intervals.first?.levelP05 == 1)

        var smaller = Self.results(seriesId: id, scale: 3, status: .flagged)
        smaller.draws = Array(smaller.draws.prefix(1))
        smaller.comparisons = Array(smaller.comparisons.prefix(1))
        #expect(try store.writeResults(smaller, replace: true) == .replaced)
        let read = try #require(try store.results(runDate: "2020-05-10", seriesId: id))
        #expect(read.intervals.first?.levelP05 == 3)
        #expect(read.draws.count == 1)
        #expect(read.comparisons.map(\.label) == ["d7"])
        #expect(read.diagnostics.status == .flagged)
    }

    @Test("a failed fit is stored with its error and no numbers", arguments: StoreBackend.available)
    func failedFit(backend: StoreBackend) throws {
        let store = try backend.newStore()
        let id = try Self.seriesId(in: store)
        let failed = SeriesResults(runDate: "2020-05-10", seriesId: id,
                                   diagnostics: DiagnosticsRow(model: "pspline", sampler: "nuts", noise: "gaussian",
                                                               status: .failed, error: "only 2 points"))
        try store.writeResults(failed, replace: false)
        let read = try #require(try store.results(runDate: "2020-05-10", seriesId: id))
        #expect(read.diagnostics.status == .failed)
        #expect(read.diagnostics.error == "only 2 points")
        #expect(read.diagnostics.maxRhat == nil)
        #expect(read.diagnostics.createdAt != nil)
    }

    @Test("non-finite optional diagnostics are stored as NULL", arguments: StoreBackend.available)
    func nonFiniteDiagnostics(backend: StoreBackend) throws {
        let store = try backend.newStore()
        let id = try Self.seriesId(in: store)
        var results = Self.results(seriesId: id)
        results.diagnostics.maxRhat = .nan
        try store.writeResults(results, replace: false)
        #expect(try store.results(runDate: "2020-05-10", seriesId: id)?.diagnostics.maxRhat == nil)
    }

    @Test("an invalid result writes nothing at all", arguments: StoreBackend.available, [
        "bad run date", "bad interval date", "NaN draw", "repeated label", "repeated day", "unpaired days",
        "short predictive", "unknown series",
    ])
    func atomicOnInvalid(backend: StoreBackend, problem: String) throws {
        let store = try backend.newStore()
        let id = try Self.seriesId(in: store)
        var results = Self.results(seriesId: id)
        switch problem {
        case "bad run date": results.runDate = "10/05/2020"
        case "bad interval date": results.intervals[1].date = "2020-05-32"
        case "NaN draw": results.draws[1].level[3] = .nan
        case "repeated label": results.comparisons[1].label = "d7"
        case "repeated day": results.draws[1] = results.draws[0]
        case "unpaired days": results.draws[1].level.removeLast()
        case "short predictive": results.draws[0].predictive?.removeLast()
        default: results.seriesId = id + 1000
        }
        let before = try store.rowCounts()
        #expect(throws: StoreError.self) { try store.writeResults(results, replace: false) }
        #expect(try store.rowCounts() == before)
    }

    @Test("results of other dates and series are untouched by a replace", arguments: StoreBackend.available)
    func replaceIsScoped(backend: StoreBackend) throws {
        let store = try backend.newStore()
        let id = try Self.seriesId(in: store)
        _ = try store.ingest(Selection.keepAll.apply([TestSupport.record("2020-05-01", suite: "other", value: 1)]).kept)
        let other = try #require(try store.listSeries(SeriesFilter(suite: "other")).first).id
        try store.writeResults(Self.results(runDate: "2020-05-09", seriesId: id), replace: false)
        try store.writeResults(Self.results(runDate: "2020-05-10", seriesId: other), replace: false)
        try store.writeResults(Self.results(runDate: "2020-05-10", seriesId: id), replace: false)
        try store.writeResults(Self.results(runDate: "2020-05-10", seriesId: id, scale: 5), replace: true)
        #expect(try store.results(runDate: "2020-05-09", seriesId: id)?.intervals.first?.levelP05 == 1)
        #expect(try store.results(runDate: "2020-05-10", seriesId: other)?.intervals.first?.levelP05 == 1)
        #expect(try store.results(runDate: "2020-05-10", seriesId: id)?.intervals.first?.levelP05 == 5)
        #expect(try store.rowCounts()["diagnostics"] == 3)
    }
}
