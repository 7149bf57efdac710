import Foundation
import SeriesAnalysis
import Store

/// A health check of the store for `slowreg diagnose`: which run dates are
/// present, whether every result table holds every fitted series on each
/// (writes are atomic, so a gap means a store written by something else or a
/// bug), which days between the first and last run date are missing, failed
/// fits, and series with data but no results on the latest run date.
public struct StoreHealth: Sendable, Encodable {
    public var coverage: StoreCoverage
    public var missing_run_dates: [String]
    public var problems: [String]

    public init(_ coverage: StoreCoverage) {
        self.coverage = coverage
        var problems: [String] = []
        if coverage.integrity != "ok" { problems.append("SQLite integrity check: \(coverage.integrity)") }
        let dates = coverage.run_dates.map(\.run_date)
        var missing: [String] = []
        if let first = dates.first.flatMap(CalendarDay.init(iso8601:)), let last = dates.last.flatMap(CalendarDay.init(iso8601:)) {
            let present = Set(dates)
            var day = first
            while day < last {
                if !present.contains(day.description) { missing.append(day.description) }
                day = day.advanced(by: 1)
            }
        }
        missing_run_dates = missing
        for run in coverage.run_dates {
            let fitted = run.good + run.flagged
            for table in ["model_input", "intervals", "comparisons"] where (run.series_per_table[table] ?? 0) < fitted {
                problems.append("\(run.run_date): \(table) holds \(run.series_per_table[table] ?? 0) series but \(fitted) were fitted")
            }
            if run.failed > 0 { problems.append("\(run.run_date): \(run.failed) series failed (see diagnostics.error)") }
        }
        if let latest = dates.last {
            let without = coverage.series.filter { s in
                s.runs[latest] == nil && (s.last_time.map { String($0.prefix(10)) >= latest } ?? false)
            }
            for s in without {
                problems.append("\(latest): \([s.project, s.suite, s.test, s.platform].filter { !$0.isEmpty }.joined(separator: " / ")) has data but no results")
            }
        }
        self.problems = problems
    }

    public var isHealthy: Bool { problems.isEmpty }

    struct Document: Encodable {
        var schema_version: Int
        var healthy: Bool
        var coverage: StoreCoverage
        var missing_run_dates: [String]
        var problems: [String]
    }

    /// `{"schema_version": 1, "healthy", "coverage": {...}, "missing_run_dates", "problems"}`.
    public func json() throws -> String {
        let document = Document(schema_version: StoredComparisons.schemaVersion, healthy: isHealthy, coverage: coverage,
                                missing_run_dates: missing_run_dates, problems: problems)
        return try PrettyJSON.document(document)
    }

    /// One row per run date: how many series each result table holds and
    /// the fits' statuses.
    public static let csvColumns = ["run_date", "model_input", "intervals", "draws", "comparisons", "diagnostics",
                                    "good", "flagged", "failed"]

    public func csv() -> String {
        var out = Self.csvColumns.joined(separator: ",") + "\n"
        for r in coverage.run_dates {
            let t = r.series_per_table
            out += ([r.run_date] + ["model_input", "intervals", "draws", "comparisons", "diagnostics"].map { "\(t[$0] ?? 0)" }
                    + ["\(r.good)", "\(r.flagged)", "\(r.failed)"]).joined(separator: ",") + "\n"
        }
        return out
    }

    public func table() -> String {
        let c = coverage
        var out = "schema v\(c.store_schema_version), integrity \(c.integrity)\nrows: "
        out += (["series", "measurements"] + ["model_input", "intervals", "draws", "comparisons", "diagnostics"])
            .map { "\($0) \(c.row_counts[$0] ?? 0)" }.joined(separator: ", ") + "\n\n"
        if c.run_dates.isEmpty {
            out += "no run dates stored yet: run `slowreg run --date D`\n"
        } else {
            out += "run date    model_input intervals  draws comparisons diagnostics   good flagged failed\n"
            for r in c.run_dates {
                let t = r.series_per_table
                out += r.run_date + String(format: "  %11d %9d %6d %11d %11d %6d %7d %6d\n", t["model_input"] ?? 0, t["intervals"] ?? 0,
                                           t["draws"] ?? 0, t["comparisons"] ?? 0, t["diagnostics"] ?? 0, r.good, r.flagged, r.failed)
            }
        }
        if !missing_run_dates.isEmpty {
            out += "\nmissing run dates between the first and the last: \(missing_run_dates.joined(separator: ", "))\n"
        }
        out += "\nseries" + String(repeating: " ", count: 44) + "runs  first data  last data   latest run  status\n"
        for s in c.series {
            let name = TerminalText.visible([s.project, s.suite, s.test, s.platform].filter { !$0.isEmpty }.joined(separator: " / "))
            let latest = s.runs.keys.max()
            out += String(name.prefix(49)).padding(toLength: 50, withPad: " ", startingAt: 0)
                + String(format: "%4d", s.runs.count) + "  " + (s.first_time.map { String($0.prefix(10)) } ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0)
                + (s.last_time.map { String($0.prefix(10)) } ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0)
                + (latest ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0) + (latest.flatMap { s.runs[$0] } ?? "-") + "\n"
        }
        out += problems.isEmpty ? "\nhealthy\n" : "\nproblems:\n" + problems.map { "  - \($0)\n" }.joined()
        return out
    }
}
