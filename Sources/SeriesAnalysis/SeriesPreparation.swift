import Foundation
import NumericCore

/// One test run of a series as it comes from the store: when it ran and what it measured.
public struct SeriesRow: Sendable, Equatable {
    public var time: Date
    public var value: Double

    public init(time: Date, value: Double) {
        self.time = time
        self.value = value
    }
}

/// A kept run after preparation: the row, its day index, its outlier score
/// and flag. The store keeps every one of these (SPEC §4.4).
public struct PreparedRow: Sendable, Equatable {
    public var time: Date
    public var value: Double
    /// Whole UTC days since the first day of the series (`dayi`).
    public var day: Int
    /// Robust z-score of `OutlierScore`.
    public var z: Double
    /// `|z| > threshold`; outliers are kept here but not given to the model.
    public var isOutlier: Bool

    public init(time: Date, value: Double, day: Int, z: Double, isOutlier: Bool) {
        self.time = time
        self.value = value
        self.day = day
        self.z = z
        self.isOutlier = isOutlier
    }
}

/// A series ready for the model (SPEC §4).
public struct PreparedSeries: Sendable, Equatable {
    /// UTC day of the first run; day index 0.
    public var firstDay: CalendarDay
    /// Every kept run in time order (the daily cap applied), outliers included.
    public var rows: [PreparedRow]
    /// Runs dropped because their day already had `maxDailyRuns` earlier runs.
    public var droppedByDailyCap: Int

    public init(firstDay: CalendarDay, rows: [PreparedRow], droppedByDailyCap: Int) {
        self.firstDay = firstDay
        self.rows = rows
        self.droppedByDailyCap = droppedByDailyCap
    }

    /// Day index of the last kept run (`max(dayi)`).
    public var lastDayIndex: Int { rows.last?.day ?? 0 }

    /// UTC calendar day of a day index.
    public func calendarDay(ofIndex day: Int) -> CalendarDay { firstDay.advanced(by: day) }

    /// Day index of a UTC calendar day (negative before the series starts).
    public func dayIndex(of day: CalendarDay) -> Int { firstDay.distance(to: day) }

    /// Number of rows flagged as outliers.
    public var outlierCount: Int { rows.reduce(0) { $0 + ($1.isOutlier ? 1 : 0) } }

    /// Day indices of the model input (the non-outliers), in time order.
    public var modelDays: [Int] { rows.filter { !$0.isOutlier }.map(\.day) }

    /// Values of the model input (the non-outliers), in time order, aligned with `modelDays`.
    public var modelValues: [Double] { rows.filter { !$0.isOutlier }.map(\.value) }
}

/// Why a series cannot be prepared.
public enum SeriesPreparationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No rows at all.
    case emptySeries
    /// A value or time that is NaN or infinite; `row` is the 1-based position in the input.
    case nonFiniteValue(row: Int, value: Double)
    case nonFiniteTime(row: Int)
    /// The daily cap must allow at least one run.
    case invalidMaxDailyRuns(Int)

    public var description: String {
        switch self {
        case .emptySeries:
            return "the series has no rows; nothing to prepare"
        case let .nonFiniteValue(row, value):
            return "row \(row): value \(value) is not a finite number; remove or fix the row"
        case let .nonFiniteTime(row):
            return "row \(row): the time is not a finite date; remove or fix the row"
        case let .invalidMaxDailyRuns(count):
            return "max daily runs must be at least 1 (got \(count))"
        }
    }
}

/// Series preparation of SPEC §4: sort, daily cap, day index, outlier flags.
///
/// 1. Rows are sorted by time; the sort is stable, so runs with the same
///    timestamp keep their input order.
/// 2. Of each UTC calendar day only the first `maxDailyRuns` runs by time are
///    kept (ties in time: the first in input order).
/// 3. `day` = whole UTC days between the first run's day and the run's day
///    (calendar days, not 24-hour periods: 23:59 and 00:01 are one day apart).
/// 4. `OutlierScore` on the kept values in time order gives `z` and the flag.
///
/// Checked row by row against the reference system's `prep.csv`
/// (`Tests/SeriesAnalysisTests/Fixtures/reference`).
public struct SeriesPreparation: Sendable, Equatable {
    /// Runs kept per UTC day (SPEC §4.1, `--max-daily-runs`): caps the weight of
    /// days with many retriggers, which would otherwise dominate the fit.
    public static let defaultMaxDailyRuns = 5

    public var maxDailyRuns: Int
    public var outlierScore: OutlierScore

    public init(maxDailyRuns: Int = defaultMaxDailyRuns, outlierScore: OutlierScore = OutlierScore()) {
        self.maxDailyRuns = maxDailyRuns
        self.outlierScore = outlierScore
    }

    /// Prepares one series. Rows may come in any order.
    public func prepare(_ input: [SeriesRow]) throws(SeriesPreparationError) -> PreparedSeries {
        guard maxDailyRuns >= 1 else { throw .invalidMaxDailyRuns(maxDailyRuns) }
        guard !input.isEmpty else { throw .emptySeries }
        for (index, row) in input.enumerated() {
            guard row.time.timeIntervalSince1970.isFinite else { throw .nonFiniteTime(row: index + 1) }
            guard row.value.isFinite else { throw .nonFiniteValue(row: index + 1, value: row.value) }
        }

        // Stable sort: ties in time keep input order (Swift's sort is not
        // guaranteed stable, so the input position breaks ties explicitly).
        let order = input.indices.sorted { a, b in
            let ta = input[a].time, tb = input[b].time
            return ta != tb ? ta < tb : a < b
        }
        let firstDay = CalendarDay(input[order[0]].time)

        var kept: [(row: SeriesRow, day: Int)] = []
        kept.reserveCapacity(input.count)
        var currentDay = Int.min
        var runsToday = 0
        var dropped = 0
        for index in order {
            let day = firstDay.distance(to: CalendarDay(input[index].time))
            if day != currentDay {
                currentDay = day
                runsToday = 0
            }
            runsToday += 1
            if runsToday <= maxDailyRuns {
                kept.append((input[index], day))
            } else {
                dropped += 1
            }
        }

        let z = outlierScore.scores(kept.map(\.row.value))
        let rows = kept.indices.map { i in
            PreparedRow(time: kept[i].row.time, value: kept[i].row.value, day: kept[i].day,
                        z: z[i], isOutlier: outlierScore.isOutlier(z[i]))
        }
        return PreparedSeries(firstDay: firstDay, rows: rows, droppedByDailyCap: dropped)
    }
}
