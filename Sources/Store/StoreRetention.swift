import Foundation

/// What the store keeps of each (run date, series), so that a year of daily
/// runs stays small (SPEC §9, issue 14). Backend-independent: every store
/// applies the same policy.
///
/// - The **latest** run date of a series (the newest one whose fit did not
///   fail) keeps everything `run` wrote: intervals for every fitted day and the
///   level draws of every day (so `compare --days` can compare any two days
///   without a refit), the predictive draws of D and its comparison days.
/// - An **older** run date keeps the level draws of D and its comparison days
///   only (no predictive draws: its intervals hold the predictive
///   quantiles), and the intervals of the ``intervalWindowDays``
///   days ending with D and of its comparison days. A run date is trimmed
///   when a newer one of the same series is written; a run date written after
///   a newer one is stored trimmed.
/// - Model input is shared between run dates (``ModelInputChunks``); nothing
///   of it is trimmed. Diagnostics and comparisons are always kept whole.
///
/// `prune` removes whole run dates (``PruneRequest``).
public enum StoreRetention {
    /// Eight weeks of intervals for older run dates: the recent window the
    /// report shows beside the year, and D−7 and D−14 with room to spare.
    public static let intervalWindowDays = 56

    /// What `diagnostics.kept` says of a stored (run date, series).
    public enum Kept: String, Sendable {
        /// Everything `run` wrote (the latest run date).
        case full
        /// Trimmed to D, its comparison days and the interval window.
        case window
    }

    /// The days whose draws an older run date keeps: D and its comparison days.
    public static func keptDrawDates(runDate: String, comparisonDates: [String]) -> Set<String> {
        Set([runDate] + comparisonDates)
    }

    /// The first day of the interval window of `runDate`; `nil` when it is
    /// not a `YYYY-MM-DD` day.
    public static func intervalWindowStart(runDate: String) -> String? {
        StoreTime.daysSinceEpoch(dayText: runDate).map {
            StoreTime.dayText(daysSinceEpoch: $0 - intervalWindowDays + 1)
        }
    }

    /// Whether an older run date keeps the interval of `date`.
    public static func keepsInterval(date: String, runDate: String, comparisonDates: Set<String>) -> Bool {
        if comparisonDates.contains(date) { return true }
        guard let start = intervalWindowStart(runDate: runDate) else { return true }
        return date >= start
    }

    /// `results` as an older run date keeps them.
    public static func trimmed(_ results: SeriesResults) -> SeriesResults {
        var out = results
        let comparisonDates = results.comparisons.map(\.date)
        let drawDates = keptDrawDates(runDate: results.runDate, comparisonDates: comparisonDates)
        let comparisonSet = Set(comparisonDates)
        out.draws = results.draws.filter { drawDates.contains($0.date) }.map {
            DayDraws(day: $0.day, date: $0.date, level: $0.level, predictive: nil)
        }
        out.intervals = results.intervals.filter {
            keepsInterval(date: $0.date, runDate: results.runDate, comparisonDates: comparisonSet)
        }
        return out
    }
}

/// What `prune` removes: whole run dates (every result table's rows of them,
/// and model input chunks no remaining run date uses).
public struct PruneRequest: Sendable, Equatable {
    /// Keep the N most recent run dates of the store.
    public var keepRunDates: Int?
    /// Keep the run dates within the N days ending with the latest one.
    public var keepDays: Int?
    /// Count what would be removed, remove nothing.
    public var dryRun: Bool

    public init(keepRunDates: Int? = nil, keepDays: Int? = nil, dryRun: Bool = false) {
        self.keepRunDates = keepRunDates
        self.keepDays = keepDays
        self.dryRun = dryRun
    }

    /// The run dates of `runDates` (any order) that are removed: those outside
    /// the N most recent, or more than `keepDays` − 1 days before the latest
    /// (a run date is kept only when every given rule keeps it). Ascending.
    public func runDatesToRemove(from runDates: [String]) -> [String] {
        let sorted = Array(Set(runDates)).sorted()
        guard let latest = sorted.last else { return [] }
        var removed = Set<String>()
        if let keepRunDates {
            removed.formUnion(sorted.dropLast(Swift.max(0, keepRunDates)))
        }
        if let keepDays, let latestDay = StoreTime.daysSinceEpoch(dayText: latest) {
            let first = StoreTime.dayText(daysSinceEpoch: latestDay - keepDays + 1)
            removed.formUnion(sorted.filter { $0 < first })
        }
        return removed.sorted()
    }
}

/// What `prune` removed (or, in a dry run, would remove).
public struct PruneReport: Sendable, Equatable {
    public var dryRun: Bool
    /// Run dates removed, ascending.
    public var removedRunDates: [String]
    /// Run dates left.
    public var keptRunDates: Int
    /// Rows removed per table.
    public var removedRows: [String: Int]

    public init(dryRun: Bool, removedRunDates: [String], keptRunDates: Int, removedRows: [String: Int]) {
        self.dryRun = dryRun
        self.removedRunDates = removedRunDates
        self.keptRunDates = keptRunDates
        self.removedRows = removedRows
    }
}
