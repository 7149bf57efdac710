import Foundation
import Store

/// Which series a report shows (`slowreg report` options). Empty lists do not
/// restrict; a series is shown when its project, suite, test and platform are
/// each among the listed ones.
public struct ReportSelection: Sendable, Equatable {
    public var projects: [String]
    public var suites: [String]
    public var tests: [String]
    public var platforms: [String]
    /// Only series with at least one comparison flagged as a regression (SPEC §8).
    public var regressionsOnly: Bool

    public init(projects: [String] = [], suites: [String] = [], tests: [String] = [], platforms: [String] = [],
                regressionsOnly: Bool = false) {
        self.projects = projects
        self.suites = suites
        self.tests = tests
        self.platforms = platforms
        self.regressionsOnly = regressionsOnly
    }

    func admits(_ series: SeriesRecord) -> Bool {
        func within(_ list: [String], _ value: String) -> Bool { list.isEmpty || list.contains(value) }
        return within(projects, series.project) && within(suites, series.suite) && within(tests, series.test)
            && within(platforms, series.platform)
    }

    /// The restrictions in words, for the report's header ("" when none).
    var summary: String {
        var parts: [String] = []
        for (name, list) in [("project", projects), ("suite", suites), ("test", tests), ("platform", platforms)]
        where !list.isEmpty {
            parts.append("\(name) \(list.joined(separator: ", "))")
        }
        if regressionsOnly { parts.append("regressions only") }
        return parts.joined(separator: "; ")
    }
}

/// One series of a report: what the store holds for it on the run date.
public struct ReportSeries: Sendable {
    public var series: SeriesRecord
    public var results: SeriesResults
    /// Revision of each run of the recent window, by the run's time (from
    /// `measurements`; runs without one are absent), for hover details.
    public var revisions: [Date: String]

    public init(series: SeriesRecord, results: SeriesResults, revisions: [Date: String] = [:]) {
        self.series = series
        self.results = results
        self.revisions = revisions
    }

    /// The highest `P(worse)` over the comparisons; nil without comparisons.
    public var highestProbabilityWorse: Double? { results.comparisons.map(\.pWorse).max() }

    /// Whether any comparison is a regression (SPEC §8).
    public var hasRegression: Bool { results.comparisons.contains(where: \.regression) }

    /// Whether any comparison fired the alert rule of the run.
    public var hasAlert: Bool { results.comparisons.contains(where: \.alert) }

    /// Anchor of the series' section in the page.
    var anchor: String { "series-\(series.id)" }
}

/// Everything `slowreg report` shows for one run date, read from the store.
public struct ReportContent: Sendable {
    public var runDate: String
    /// Where the results were read from, for the header.
    public var storeLocation: String
    public var selection: ReportSelection
    /// Series in report order: highest `P(worse)` first; series without
    /// comparisons (failed fits) last; ties by name.
    public var series: [ReportSeries]
    /// Series the store has for the run date before the selection applied.
    public var storedSeriesCount: Int

    public init(runDate: String, storeLocation: String, selection: ReportSelection, series: [ReportSeries],
                storedSeriesCount: Int) {
        self.runDate = runDate
        self.storeLocation = storeLocation
        self.selection = selection
        self.series = ReportContent.ordered(series)
        self.storedSeriesCount = storedSeriesCount
    }

    /// Reads the results of every selected series for `runDate`.
    /// Throws ``ComparisonQueryError/noRun(_:)`` when nothing is stored for that date.
    public static func load(store: any PerfStore, runDate: String, selection: ReportSelection) throws -> ReportContent {
        guard try store.runDates().contains(runDate) else { throw ComparisonQueryError.noRun(runDate) }
        let stored = try store.seriesWithResults(runDate: runDate)
        // The draws the report shows: D's and its comparison days' (the change distributions).
        var comparisonDates: [Int64: [String]] = [:]
        for (seriesId, row) in try store.comparisons(runDate: runDate) { comparisonDates[seriesId, default: []].append(row.date) }
        var series: [ReportSeries] = []
        for record in try store.listSeries(.all) where stored.contains(record.id) && selection.admits(record) {
            guard let results = try store.results(runDate: runDate, seriesId: record.id,
                                                  drawDates: [runDate] + (comparisonDates[record.id] ?? []))
            else { continue }
            var entry = ReportSeries(series: record, results: results)
            if selection.regressionsOnly && !entry.hasRegression { continue }
            entry.revisions = try recentRevisions(store: store, seriesId: record.id, runDate: runDate)
            series.append(entry)
        }
        return ReportContent(runDate: runDate, storeLocation: store.location, selection: selection, series: series,
                             storedSeriesCount: stored.count)
    }

    /// Revisions of the runs in the charts' recent window, by time.
    static func recentRevisions(store: any PerfStore, seriesId: Int64, runDate: String) throws -> [Date: String] {
        guard let d = StoreTime.daysSinceEpoch(dayText: runDate), case let .recent(n) = SeriesChart.Window.recentDefault
        else { return [:] }
        var revisions: [Date: String] = [:]
        for m in try store.measurements(seriesId: seriesId, from: StoreTime.dayText(daysSinceEpoch: d - n), through: runDate)
        where !m.revision.isEmpty && revisions[m.time] == nil {
            revisions[m.time] = m.revision
        }
        return revisions
    }

    static func ordered(_ series: [ReportSeries]) -> [ReportSeries] {
        series.sorted { a, b in
            let pa = a.highestProbabilityWorse ?? -1
            let pb = b.highestProbabilityWorse ?? -1
            if pa != pb { return pa > pb }
            return a.series.displayName < b.series.displayName
        }
    }

    /// The comparison labels of all series, for the summary table's columns:
    /// most recent comparison day first (`prev_week`, `prev_week2`, then versions).
    var comparisonLabels: [String] {
        var latest: [String: String] = [:]
        for entry in series {
            for c in entry.results.comparisons where c.date > latest[c.label, default: ""] { latest[c.label] = c.date }
        }
        return latest.keys.sorted { (latest[$0]!, $1) > (latest[$1]!, $0) }
    }
}
