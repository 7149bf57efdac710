import Foundation
import NumericCore
import SeriesAnalysis
import Store

/// One comparison as `compare` prints it: a stable JSON/CSV record for scripts.
/// A change day of a series on a run date, as `compare` reports it.
public struct SeriesChangeDayRecord: Codable, Sendable, Equatable {
    public var project: String
    public var suite: String
    public var test: String
    public var platform: String
    public var run_date: String
    public var date: String
    public var probability: Double
    public var size_percent: Double
}

public struct ComparisonRecord: Codable, Sendable, Equatable {
    public var project: String
    public var suite: String
    public var test: String
    public var platform: String
    public var run_date: String
    public var label: String
    public var date: String
    public var p05: Double
    public var p10: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    /// P(D worse than c).
    public var p_worse: Double
    /// The alert rule applied: minimum change (percent) and threshold.
    public var min_change: Double
    public var threshold: Double
    /// P(D worse than c by more than `min_change`), which the rule thresholds.
    public var p_worse_beyond: Double
    public var regression: Bool
    public var alert: Bool
    /// The fit's status: `good` or `flagged` (by its diagnostics).
    public var status: String
    public var model: String

    public static let columns = ["project", "suite", "test", "platform", "run_date", "label", "date",
                                 "p05", "p10", "p50", "p90", "p95", "p_worse", "min_change", "threshold",
                                 "p_worse_beyond", "regression", "alert", "status", "model"]
}

/// The alert rule as a command was told it: `--threshold` and `--min-change`
/// when given; what `run` stored (its model definition's rule, per suite)
/// for the rest.
public struct AlertRuleChoice: Sendable, Equatable {
    public var threshold: Double?
    public var minimumChange: Double?

    public init(threshold: Double? = nil, minimumChange: Double? = nil) {
        self.threshold = threshold
        self.minimumChange = minimumChange
    }
}

/// Errors of the stored-comparison queries.
public enum ComparisonQueryError: Error, Equatable, CustomStringConvertible {
    case noRun(String)
    case drawsMissing(series: String, date: String)
    /// The filter matches no series of the store.
    case noSeriesMatches(String)
    /// The filter matches series, but none has results for the run date.
    case noResultsForFilter(filter: String, runDate: String)

    public var description: String {
        switch self {
        case let .noRun(date):
            return "no results are stored for run date \(date); run `slowreg run --date \(date)` first"
        case let .drawsMissing(series, date):
            return "\(series): no stored draws for \(date): the latest run date of a series keeps every fitted day, older run dates only D and their comparison days, and `run --keep-draws comparison|N|none` keeps fewer; compare with the latest run date, or rerun with `slowreg run --replace --date D"
        case let .noSeriesMatches(filter):
            return "no series in the store matches \(filter)"
        case let .noResultsForFilter(filter, runDate):
            return "no series matching \(filter) has results for \(runDate)"
        }
    }
}

/// One stored comparison judged by an alert rule.
struct JudgedComparison {
    var runDate: String
    var series: SeriesRecord
    var row: ComparisonRow
    var diagnostics: DiagnosticsRow?
    var minimumChange: Double
    var threshold: Double
    var probabilityWorseBeyond: Double
    var fires: Bool { probabilityWorseBeyond >= threshold }
}

public enum StoredComparisons {
    /// The comparisons stored by `run` for `runDate`, filtered, judged by the
    /// alert rule `choice` (so thresholds can change without refitting).
    public static func stored(store: any PerfStore, runDate: String, filter: SeriesFilter,
                              rule choice: AlertRuleChoice = AlertRuleChoice()) throws -> [ComparisonRecord] {
        try judged(store: store, runDate: runDate, filter: filter, choice: choice).map(record)
    }

    /// The series `filter` matches; none is an error naming the filter (a
    /// typo must not look like "no alerts").
    static func matchingSeries(store: any PerfStore, filter: SeriesFilter) throws -> [SeriesRecord] {
        let series = try store.listSeries(filter)
        if series.isEmpty && !filter.isUnrestricted { throw ComparisonQueryError.noSeriesMatches(filter.optionText) }
        return series
    }

    /// Every stored comparison of `runDate` for the series `filter` matches,
    /// with the probability the rule thresholds: the stored one when the
    /// minimum change is the one `run` applied, else recomputed from the
    /// stored paired draws of D and c.
    static func judged(store: any PerfStore, runDate: String, filter: SeriesFilter,
                       choice: AlertRuleChoice) throws -> [JudgedComparison] {
        guard try store.runDates().contains(runDate) else { throw ComparisonQueryError.noRun(runDate) }
        let series = try matchingSeries(store: store, filter: filter)
        let wanted = Dictionary(uniqueKeysWithValues: series.map { ($0.id, $0) })
        let diagnostics = Dictionary(try store.diagnostics(runDate: runDate).map { ($0.seriesId, $0.row) },
                                     uniquingKeysWith: { a, _ in a })
        if !filter.isUnrestricted && !wanted.keys.contains(where: { diagnostics[$0] != nil }) {
            throw ComparisonQueryError.noResultsForFilter(filter: filter.optionText, runDate: runDate)
        }
        var drawCache: [Int64: [String: [Float]]] = [:]
        var out: [JudgedComparison] = []
        let stored = try store.comparisons(runDate: runDate)
        var comparisonDates: [Int64: [String]] = [:]
        for (seriesId, row) in stored { comparisonDates[seriesId, default: []].append(row.date) }
        for (seriesId, row) in stored {
            guard let s = wanted[seriesId] else { continue }
            let minimum = choice.minimumChange ?? row.minChange ?? AlertRule.defaultMinimumChange
            let threshold = choice.threshold ?? row.threshold ?? AlertRule.defaultThreshold
            let probability: Double
            if let stored = row.pWorseBeyond, let storedMinimum = row.minChange, storedMinimum == minimum {
                probability = stored
            } else {
                if drawCache[seriesId] == nil {
                    drawCache[seriesId] = try levelDraws(store: store, runDate: runDate, seriesId: seriesId,
                                                         dates: [runDate] + (comparisonDates[seriesId] ?? []))
                }
                let byDate = drawCache[seriesId] ?? [:]
                guard let now = byDate[runDate] else { throw ComparisonQueryError.drawsMissing(series: s.displayName, date: runDate) }
                guard let then = byDate[row.date] else { throw ComparisonQueryError.drawsMissing(series: s.displayName, date: row.date) }
                probability = try compareLevels(now: now, then: then,
                                              direction: MetricDirection(lowerIsBetter: s.lowerIsBetterOrDefault),
                                              minimumChange: minimum).probabilityWorseBeyondMinimum
            }
            out.append(JudgedComparison(runDate: runDate, series: s, row: row, diagnostics: diagnostics[seriesId], minimumChange: minimum,
                                        threshold: threshold, probabilityWorseBeyond: probability))
        }
        return out
    }

    /// The stored level draws of a series for `runDate` on `dates`, by day,
    /// in draw order (paired across days by draw index); days without stored
    /// draws are absent.
    static func levelDraws(store: any PerfStore, runDate: String, seriesId: Int64, dates: [String]) throws -> [String: [Float]] {
        var byDate: [String: [Float]] = [:]
        for day in try store.draws(runDate: runDate, seriesId: seriesId, dates: Array(Set(dates))) { byDate[day.date] = day.level }
        return byDate
    }

    /// The change from `then` to `now` (paired level draws), SPEC §8.
    static func compareLevels(now: [Float], then: [Float], direction: MetricDirection,
                              minimumChange: Double) throws -> DayComparison {
        let count = Swift.min(now.count, then.count)
        let values = now.prefix(count).map(Double.init) + then.prefix(count).map(Double.init)
        return try compareDays(level: DrawMatrix(dayCount: 2, drawCount: count, values: values), day: 0, baseline: 1,
                               direction: direction, minimumChange: minimumChange)
    }

    static func record(_ j: JudgedComparison) -> ComparisonRecord {
        let s = j.series, r = j.row
        return ComparisonRecord(project: s.project, suite: s.suite, test: s.test, platform: s.platform,
                                run_date: j.runDate, label: r.label, date: r.date,
                                p05: r.p05, p10: r.p10, p50: r.p50, p90: r.p90, p95: r.p95, p_worse: r.pWorse,
                                min_change: j.minimumChange, threshold: j.threshold,
                                p_worse_beyond: j.probabilityWorseBeyond, regression: r.regression, alert: j.fires,
                                status: j.diagnostics?.status.rawValue ?? "good", model: j.diagnostics?.model ?? "")
    }

    /// Comparisons of the run date with arbitrary days, computed from the
    /// stored level draws (paired by draw index, as in the fit). The latest
    /// run date of a series keeps the draws of every fitted day
    /// (``StoreRetention``), so any day of its range can be compared, no refit.
    public static func fromDraws(store: any PerfStore, runDate: String, days: [String], filter: SeriesFilter,
                                 rule choice: AlertRuleChoice = AlertRuleChoice()) throws -> [ComparisonRecord] {
        guard try store.runDates().contains(runDate) else { throw ComparisonQueryError.noRun(runDate) }
        let diagnostics = Dictionary(try store.diagnostics(runDate: runDate).map { ($0.seriesId, $0.row) },
                                     uniquingKeysWith: { a, _ in a })
        var storedRules: [Int64: ComparisonRow] = [:]
        for (seriesId, row) in try store.comparisons(runDate: runDate) where storedRules[seriesId] == nil {
            storedRules[seriesId] = row
        }
        let series = try matchingSeries(store: store, filter: filter)
        if !filter.isUnrestricted && !series.contains(where: { diagnostics[$0.id] != nil }) {
            throw ComparisonQueryError.noResultsForFilter(filter: filter.optionText, runDate: runDate)
        }
        var out: [ComparisonRecord] = []
        for s in series {
            guard let fit = diagnostics[s.id], fit.status != .failed else { continue }
            let minimum = choice.minimumChange ?? storedRules[s.id]?.minChange ?? AlertRule.defaultMinimumChange
            let threshold = choice.threshold ?? storedRules[s.id]?.threshold ?? AlertRule.defaultThreshold
            let byDate = try levelDraws(store: store, runDate: runDate, seriesId: s.id, dates: [runDate] + days)
            func levels(_ date: String) throws -> [Float] {
                guard let draws = byDate[date] else { throw ComparisonQueryError.drawsMissing(series: s.displayName, date: date) }
                return draws
            }
            let now = try levels(runDate)
            for day in days {
                let change = try compareLevels(now: now, then: try levels(day),
                                               direction: MetricDirection(lowerIsBetter: s.lowerIsBetterOrDefault),
                                               minimumChange: minimum)
                let row = ComparisonRow(label: day, date: day, p05: change.p05, p10: change.p10, p50: change.p50,
                                        p90: change.p90, p95: change.p95, pWorse: change.probabilityWorse,
                                        regression: change.isRegression, alert: false, minChange: minimum,
                                        threshold: threshold, pWorseBeyond: change.probabilityWorseBeyondMinimum)
                out.append(record(JudgedComparison(runDate: runDate, series: s, row: row, diagnostics: fit,
                                                   minimumChange: minimum, threshold: threshold,
                                                   probabilityWorseBeyond: change.probabilityWorseBeyondMinimum)))
            }
        }
        return out
    }

    // MARK: Rendering

    /// Version of the JSON documents of `compare` and `alert`: raised when a
    /// key is removed or changes meaning (new keys may appear without it).
    public static let schemaVersion = 1

    struct ComparisonsDocument: Encodable {
        var schema_version: Int
        var run_date: String
        var comparisons: [ComparisonRecord]
        var change_days: [SeriesChangeDayRecord]
    }

    /// `{"schema_version": 1, "run_date": D, "comparisons": [...], "change_days": [...]}`.
    public static func json(_ records: [ComparisonRecord], runDate: String,
                            changeDays: [SeriesChangeDayRecord] = []) throws -> String {
        let document = ComparisonsDocument(schema_version: schemaVersion, run_date: runDate, comparisons: records,
                                           change_days: changeDays)
        return try PrettyJSON.document(document)
    }

    /// The change days stored for `runDate` (SPEC §5b) of the series `filter` matches.
    public static func changeDays(store: any PerfStore, runDate: String, filter: SeriesFilter) throws -> [SeriesChangeDayRecord] {
        let series = Dictionary(uniqueKeysWithValues: try store.listSeries(filter).map { ($0.id, $0) })
        return try store.changeDays(runDate: runDate).compactMap { seriesId, row in
            guard let s = series[seriesId] else { return nil }
            return SeriesChangeDayRecord(project: s.project, suite: s.suite, test: s.test, platform: s.platform,
                                         run_date: runDate, date: row.date, probability: row.probability,
                                         size_percent: row.sizePercent)
        }
    }

    /// Lines under the comparisons table: one per change day.
    public static func changeDaysTable(_ days: [SeriesChangeDayRecord]) -> String {
        guard !days.isEmpty else { return "" }
        var out = "\nchange days (a step of the level with its posterior probability and median size):\n"
        for d in days {
            out += "  \(TerminalText.visible("\(d.suite) \(d.test) \(d.platform)"))  \(d.date)  "
                + String(format: "%+.2f%%  p %.2f\n", d.size_percent, d.probability)
        }
        return out
    }

    public static func csv(_ records: [ComparisonRecord]) -> String {
        var out = ComparisonRecord.columns.joined(separator: ",") + "\n"
        for r in records {
            let fields = [r.project, r.suite, r.test, r.platform, r.run_date, r.label, r.date].map(CSVText.field)
                + [r.p05, r.p10, r.p50, r.p90, r.p95, r.p_worse, r.min_change, r.threshold, r.p_worse_beyond].map { String($0) }
                + ["\(r.regression)", "\(r.alert)", r.status, CSVText.field(r.model)]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    public static func table(_ records: [ComparisonRecord]) -> String {
        guard !records.isEmpty else { return "no comparisons\n" }
        var out = "series".padding(toLength: 48, withPad: " ", startingAt: 0) + "label       date         "
            + "   p10     p50     p90  P(worse) P(>min)  verdict\n"
        for r in records.sorted(by: { ($0.p_worse_beyond, $0.p_worse, $0.suite) > ($1.p_worse_beyond, $1.p_worse, $1.suite) }) {
            let name = TerminalText.visible([r.project, r.suite, r.test, r.platform].filter { !$0.isEmpty }.joined(separator: " / "))
            let verdict = [r.regression ? "regression" : nil, r.alert ? "ALERT" : nil,
                           r.status == "flagged" ? "fit flagged" : nil].compactMap { $0 }.joined(separator: ", ")
            out += String(name.prefix(47)).padding(toLength: 48, withPad: " ", startingAt: 0)
                + TerminalText.visible(r.label).padding(toLength: 12, withPad: " ", startingAt: 0)
                + r.date.padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(format: "%8.2f%8.2f%8.2f%10.3f%8.3f", r.p10, r.p50, r.p90, r.p_worse, r.p_worse_beyond)
                + "  " + verdict + "\n"
        }
        return out
    }
}

/// CSV fields as RFC 4180 writes them.
public enum CSVText {
    /// `text`, quoted when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
