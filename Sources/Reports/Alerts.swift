import Foundation
import NumericCore
import SeriesAnalysis
import Store

/// One alert as `slowreg alert` reports it: one series on one run date
/// (SPEC §8 v2), with the comparisons that fire.
public struct AlertRecord: Codable, Sendable, Equatable {
    /// Stable for the series and run date: the same alert has the same id
    /// in every output and on every rerun.
    public var id: String
    public var project: String
    public var suite: String
    public var test: String
    public var platform: String
    public var run_date: String
    public var model: String
    /// The fit's status: `good`, or `flagged` by its diagnostics (then only
    /// reported with `--include-flagged`), with the reasons.
    public var status: String
    public var reasons: String
    /// False when the series also alerted on the previous run date: a script
    /// notifies only on `new` alerts.
    public var new: Bool
    /// The previous run date in the store, if any.
    public var previous_run_date: String?
    /// The comparisons that fire.
    public var comparisons: [ComparisonRecord]
    /// Days the model reports a step on, behind the change (empty for models
    /// without a step component).
    public var change_days: [ChangeDayRecord]
}

/// A day with a material posterior probability of a step.
public struct ChangeDayRecord: Codable, Sendable, Equatable {
    public var date: String
    public var probability: Double
    public var size_percent: Double
}

/// Everything `slowreg alert` prints.
public struct AlertReport: Sendable {
    public var runDate: String
    public var alerts: [AlertRecord]
    /// Alerts of fits flagged by their diagnostics, held back (not in
    /// `alerts`, no exit status 1) unless `--include-flagged`.
    public var heldBack: [AlertRecord]

    struct Document: Encodable {
        var schema_version: Int
        var run_date: String
        var alerts: [AlertRecord]
        var held_back: [AlertRecord]
    }

    /// `{"schema_version": 1, "run_date": D, "alerts": [...], "held_back": [...]}`.
    public func json() throws -> String {
        let document = Document(schema_version: StoredComparisons.schemaVersion, run_date: runDate, alerts: alerts,
                                held_back: heldBack)
        return try PrettyJSON.document(document)
    }

    /// One line per firing comparison, with the alert's id, `new` and status.
    public static let csvColumns = ["id", "new", "status"] + ComparisonRecord.columns

    public func csv() -> String {
        var out = Self.csvColumns.joined(separator: ",") + "\n"
        for alert in alerts {
            for r in alert.comparisons {
                let line = StoredComparisons.csv([r]).split(separator: "\n", omittingEmptySubsequences: false)[1]
                out += "\(alert.id),\(alert.new),\(alert.status),\(line)\n"
            }
        }
        return out
    }

    public func table() -> String {
        var out = alerts.isEmpty ? "no alerts for \(runDate)\n" : ""
        for alert in alerts {
            let name = TerminalText.visible([alert.project, alert.suite, alert.test, alert.platform]
                .filter { !$0.isEmpty }.joined(separator: " / "))
            out += "\(alert.new ? "NEW " : "")ALERT \(alert.id) \(name) (fit \(alert.status), \(TerminalText.visible(alert.model)))\n"
            for r in alert.comparisons {
                out += String(format: "    vs %@ %@: change %+.2f%% (80%% interval %+.2f … %+.2f), P(worse by > %.1f%%) = %.3f\n",
                              TerminalText.visible(r.label), r.date, r.p50, r.p10, r.p90, r.min_change, r.p_worse_beyond)
            }
        }
        if !heldBack.isEmpty {
            out += "\(heldBack.count) alert\(heldBack.count == 1 ? "" : "s") of fits flagged by their diagnostics held back (--include-flagged shows them)\n"
        }
        return out
    }
}

public enum Alerts {
    /// The alerts of `runDate` for the series `filter` matches: one per series
    /// whose stored comparisons fire under `choice` (``StoredComparisons``).
    /// `new` compares with the previous run date in the store, judged by the
    /// same rule.
    public static func report(store: any PerfStore, runDate: String, filter: SeriesFilter,
                              rule choice: AlertRuleChoice, includeFlagged: Bool) throws -> AlertReport {
        let judged = try StoredComparisons.judged(store: store, runDate: runDate, filter: filter, choice: choice)
        let previousRunDate = try store.runDates().filter { $0 < runDate }.max()
        var alertedBefore: Set<Int64> = []
        if let previousRunDate {
            do {
                let before = try StoredComparisons.judged(store: store, runDate: previousRunDate, filter: filter, choice: choice)
                alertedBefore = Set(before.filter { $0.fires && $0.diagnostics?.status != .failed }.map(\.series.id))
            } catch ComparisonQueryError.drawsMissing {
                // The previous run cannot be judged by a rule with another
                // minimum (its draws were not kept): count it by its own flags.
                let before = try store.comparisons(runDate: previousRunDate)
                alertedBefore = Set(before.filter { $0.row.alert }.map(\.seriesId))
            } catch ComparisonQueryError.noResultsForFilter {
                alertedBefore = []
            }
        }
        var bySeries: [Int64: [JudgedComparison]] = [:]
        var order: [Int64] = []
        for j in judged where j.fires {
            if bySeries[j.series.id] == nil { order.append(j.series.id) }
            bySeries[j.series.id, default: []].append(j)
        }
        var changeDays: [Int64: [ChangeDayRow]] = [:]
        for (seriesId, row) in try store.changeDays(runDate: runDate) { changeDays[seriesId, default: []].append(row) }
        var alerts: [AlertRecord] = []
        var heldBack: [AlertRecord] = []
        for id in order {
            guard let firing = bySeries[id], let first = firing.first else { continue }
            let s = first.series
            let status = first.diagnostics?.status ?? .good
            let record = AlertRecord(
                id: alertId(series: s, runDate: runDate), project: s.project, suite: s.suite, test: s.test,
                platform: s.platform, run_date: runDate, model: first.diagnostics?.model ?? "",
                status: status.rawValue, reasons: first.diagnostics?.reasons ?? "",
                new: !alertedBefore.contains(id), previous_run_date: previousRunDate,
                comparisons: firing.map(StoredComparisons.record),
                change_days: behind(firing, changeDays[id] ?? []))
            if status == .flagged && !includeFlagged { heldBack.append(record) } else { alerts.append(record) }
        }
        return AlertReport(runDate: runDate, alerts: alerts, heldBack: heldBack)
    }

    /// The change days behind an alert: those after the earliest day its
    /// firing comparisons compare with, up to the run date.
    static func behind(_ firing: [JudgedComparison], _ days: [ChangeDayRow]) -> [ChangeDayRecord] {
        let record = firing.map(StoredComparisons.record)
        guard let since = record.map(\.date).min() else { return [] }
        return days.filter { $0.date > since }.map {
            ChangeDayRecord(date: $0.date, probability: $0.probability, size_percent: $0.sizePercent)
        }
    }

    /// `<16 hex digits>-<run date>`: FNV-1a (64 bit) of the series' identity
    /// (project, suite, test, platform), then the run date — the same for
    /// every output and rerun, whatever the store's row ids.
    public static func alertId(series: SeriesRecord, runDate: String) -> String {
        let hash = fnv1a64(series.identityKey)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-" + runDate
    }

    /// FNV-1a, 64 bit, of the UTF-8 bytes of `text` (Fowler–Noll–Vo):
    /// `h = (h ⊕ byte) × 1099511628211` from `h = 14695981039346656037`.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        return hash
    }
}
