import Foundation
import NumericCore
import SeriesAnalysis

/// One comparison as `compare` and `alert` print it: a stable JSON/CSV record
/// for scripts.
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
    public var p_worse: Double
    public var regression: Bool
    public var alert: Bool

    public static let columns = ["project", "suite", "test", "platform", "run_date", "label", "date",
                                 "p05", "p10", "p50", "p90", "p95", "p_worse", "regression", "alert"]
}

/// Errors of the stored-comparison queries.
public enum ComparisonQueryError: Error, Equatable, CustomStringConvertible {
    case noRun(String)
    case drawsMissing(series: String, date: String)

    public var description: String {
        switch self {
        case let .noRun(date):
            return "no results are stored for run date \(date); run `slowreg run --date \(date)` first"
        case let .drawsMissing(series, date):
            return "\(series): no stored draws for \(date); rerun with `slowreg run --replace --keep-draws all` (or a larger N) to compare arbitrary days"
        }
    }
}

public enum StoredComparisons {
    /// The comparisons stored by `run` for `runDate`, filtered, with the alert
    /// flag recomputed under `rule` (so thresholds can change without refitting).
    public static func stored(store: any PerfStore, runDate: String, filter: SeriesFilter,
                              rule: AlertRule) throws -> [ComparisonRecord] {
        guard try store.runDates().contains(runDate) else { throw ComparisonQueryError.noRun(runDate) }
        let wanted = Dictionary(uniqueKeysWithValues: try store.listSeries(filter).map { ($0.id, $0) })
        return try store.comparisons(runDate: runDate).compactMap { (seriesId, row) -> ComparisonRecord? in
            guard let s = wanted[seriesId] else { return nil }
            let direction = MetricDirection(lowerIsBetter: s.lowerIsBetterOrDefault)
            let change = DayComparison(day: 0, baseline: 0, direction: direction, p05: row.p05, p10: row.p10, p50: row.p50,
                                       p90: row.p90, p95: row.p95, probabilityWorse: row.pWorse, drawCount: 0)
            return record(s, runDate: runDate, label: row.label, date: row.date, change: change, alert: rule.fires(change))
        }
    }

    /// Comparisons of the run date with arbitrary days, computed from the
    /// stored draws (paired by draw index, as in the fit).
    public static func fromDraws(store: any PerfStore, runDate: String, days: [String], filter: SeriesFilter,
                                 rule: AlertRule) throws -> [ComparisonRecord] {
        guard try store.runDates().contains(runDate) else { throw ComparisonQueryError.noRun(runDate) }
        var out: [ComparisonRecord] = []
        for s in try store.listSeries(filter) {
            guard let results = try store.results(runDate: runDate, seriesId: s.id),
                  results.diagnostics.status != .failed else { continue }
            var byDate: [String: [(Int, Double)]] = [:]
            for d in results.draws { byDate[d.date, default: []].append((d.draw, d.level)) }
            func levels(_ date: String) throws -> [Double] {
                guard let draws = byDate[date] else { throw ComparisonQueryError.drawsMissing(series: s.displayName, date: date) }
                return draws.sorted { $0.0 < $1.0 }.map(\.1)
            }
            let now = try levels(runDate)
            for day in days {
                let then = try levels(day)
                let matrix = DrawMatrix(dayCount: 2, drawCount: now.count, values: now + then)
                let change = try compareDays(level: matrix, day: 0, baseline: 1,
                                             direction: MetricDirection(lowerIsBetter: s.lowerIsBetterOrDefault))
                out.append(record(s, runDate: runDate, label: day, date: day, change: change, alert: rule.fires(change)))
            }
        }
        return out
    }

    static func record(_ s: SeriesRecord, runDate: String, label: String, date: String, change: DayComparison,
                       alert: Bool) -> ComparisonRecord {
        ComparisonRecord(project: s.project, suite: s.suite, test: s.test, platform: s.platform, run_date: runDate,
                         label: label, date: date, p05: change.p05, p10: change.p10, p50: change.p50, p90: change.p90,
                         p95: change.p95, p_worse: change.probabilityWorse, regression: change.isRegression, alert: alert)
    }

    // MARK: Rendering

    public static func json(_ records: [ComparisonRecord]) throws -> String {
        if records.isEmpty { return "[]\n" }
        return String(decoding: try PrettyJSON.encode(records), as: UTF8.self) + "\n"
    }

    public static func csv(_ records: [ComparisonRecord]) -> String {
        func quote(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = ComparisonRecord.columns.joined(separator: ",") + "\n"
        for r in records {
            let fields = [r.project, r.suite, r.test, r.platform, r.run_date, r.label, r.date].map(quote)
                + [r.p05, r.p10, r.p50, r.p90, r.p95, r.p_worse].map { String($0) } + ["\(r.regression)", "\(r.alert)"]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    public static func table(_ records: [ComparisonRecord]) -> String {
        guard !records.isEmpty else { return "no comparisons\n" }
        var out = "series".padding(toLength: 48, withPad: " ", startingAt: 0) + "label       date         "
            + "   p10     p50     p90  P(worse)  verdict\n"
        for r in records.sorted(by: { ($0.p_worse, $0.suite) > ($1.p_worse, $1.suite) }) {
            let name = [r.project, r.suite, r.test, r.platform].filter { !$0.isEmpty }.joined(separator: " / ")
            let verdict = [r.regression ? "regression" : nil, r.alert ? "ALERT" : nil].compactMap { $0 }.joined(separator: ", ")
            out += String(name.prefix(47)).padding(toLength: 48, withPad: " ", startingAt: 0)
                + r.label.padding(toLength: 12, withPad: " ", startingAt: 0) + r.date.padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(format: "%8.2f%8.2f%8.2f%10.3f", r.p10, r.p50, r.p90, r.p_worse) + "  " + verdict + "\n"
        }
        return out
    }
}
