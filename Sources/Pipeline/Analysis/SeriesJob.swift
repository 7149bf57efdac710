import Foundation
import NumericCore
import SplineModels
import Sampling
import Diagnostics
import SeriesAnalysis

/// Everything that turns one series' runs into answers (SPEC §2): preparation
/// (daily cap, day index, outliers), the spline fit, recalibration of the
/// predictive draws, modes, and the comparisons of the run date with the
/// comparison days. Used by `slowreg fit` (one file) and `slowreg run` (the store).
public struct SeriesJobOptions: Sendable {
    public var fit: FitOptions
    public var preparation: SeriesPreparation
    /// Drop outliers (SPEC §4) before fitting; when false every row is fitted.
    public var filterOutliers: Bool
    /// Rescale predictive draws so the 90% interval holds 90% of the points (SPEC §7).
    public var recalibrate: Bool
    public var lowerIsBetter: Bool
    public var alertRule: AlertRule
    /// The run date D; nil means the last day with data.
    public var runDate: CalendarDay?
    /// Explicit comparison days; nil means the default plan (SPEC §8).
    public var comparisonDays: [CalendarDay]?
    public var calendar: VersionCalendar?

    public init(fit: FitOptions = FitOptions(), preparation: SeriesPreparation = SeriesPreparation(),
                filterOutliers: Bool = true, recalibrate: Bool = true, lowerIsBetter: Bool = true,
                alertRule: AlertRule = AlertRule(), runDate: CalendarDay? = nil,
                comparisonDays: [CalendarDay]? = nil, calendar: VersionCalendar? = nil) {
        self.fit = fit
        self.preparation = preparation
        self.filterOutliers = filterOutliers
        self.recalibrate = recalibrate
        self.lowerIsBetter = lowerIsBetter
        self.alertRule = alertRule
        self.runDate = runDate
        self.comparisonDays = comparisonDays
        self.calendar = calendar
    }
}

/// A comparison of the run date with one comparison day, or why there is none.
public struct SeriesComparison: Sendable, Equatable {
    public var label: String
    public var date: CalendarDay?
    /// The change of the level, or nil with `skipReason`.
    public var change: DayComparison?
    public var skipReason: String?
    public var alert: Bool
}

/// The answers for one series.
public struct SeriesJobResult: Sendable {
    public let prepared: PreparedSeries
    public let fit: SplineFit
    /// Calendar day of row 0 of the fit's draw matrices.
    public let fitStart: CalendarDay
    public let runDate: CalendarDay
    /// Each day's level and (raw) predictive draws sorted once, for quantiles.
    public let sortedLevel: SortedDraws
    public let sortedRawPredictive: SortedDraws
    public let recalibration: Recalibration?
    public let calibrationCheck: CalibrationCheck?
    public let modes: ModeAnalysis?
    public let comparisons: [SeriesComparison]
    /// Messages a user should see (skipped comparisons, degenerate recalibration …).
    public let notes: [String]

    public func date(ofRow row: Int) -> CalendarDay { fitStart.advanced(by: row) }

    /// Draw `draw` of the (recalibrated) predictive draws of fit row `row`:
    /// the raw draw rescaled about the day's median by the recalibration
    /// factor (`Recalibration.apply`, one draw at a time: only the stored days
    /// need them), paired with the level draws.
    public func predictiveDraw(row: Int, draw: Int) -> Double {
        let raw = fit.predictive[row, draw]
        guard let factor = recalibration?.factor else { return raw }
        let m = sortedRawPredictive.quantile(day: row, 0.5)
        return m + factor * (raw - m)
    }

    /// Quantiles of the (recalibrated) predictive draws of fit row `row`.
    public func predictiveQuantiles(row: Int, _ ps: [Double]) -> [Double] {
        sortedRawPredictive.quantiles(day: row, ps, rescaledBy: recalibration?.factor ?? 1)
    }
}

/// Errors of the series job a user can act on.
public enum SeriesJobError: Error, Equatable, CustomStringConvertible {
    case preparation(String)
    case tooFewPoints(count: Int)
    /// Every point the model would see has the same value: the noise scale's
    /// posterior collapses onto zero (the likelihood is unbounded there), so
    /// no sampler can be trusted on it.
    case constantSeries(value: Double, count: Int)

    public var description: String {
        switch self {
        case let .preparation(message): return message
        case let .tooFewPoints(count):
            return "only \(count) non-outlier point\(count == 1 ? "" : "s") to fit; at least \(SeriesJob.minimumPoints) on two or more days are needed"
        case let .constantSeries(value, count):
            return "all \(count) points to fit equal \(value): a constant series has no noise to model (its level is \(value) on every day)"
        }
    }
}

public enum SeriesJob {
    /// Fewest model points worth fitting: fewer leave the spline's level and
    /// trend barely identified.
    public static let minimumPoints = 5

    public static func run(_ rows: [SeriesRow], options: SeriesJobOptions) async throws -> SeriesJobResult {
        let prepared: PreparedSeries
        do { prepared = try options.preparation.prepare(rows) } catch { throw SeriesJobError.preparation(error.description) }
        let modelRows = prepared.rows.filter { !options.filterOutliers || !$0.isOutlier }
        guard modelRows.count >= minimumPoints else { throw SeriesJobError.tooFewPoints(count: modelRows.count) }
        if let first = modelRows.first?.value, modelRows.allSatisfy({ $0.value == first }) {
            throw SeriesJobError.constantSeries(value: first, count: modelRows.count)
        }
        let fit = try await SplineFitter.fit(days: modelRows.map(\.day), values: modelRows.map(\.value), options: options.fit)
        let fitStart = prepared.calendarDay(ofIndex: fit.firstDay)
        var notes: [String] = []

        // Recalibration and the calibration check, on the points the model saw.
        let rowDays = modelRows.map { $0.day - fit.firstDay }
        let rowValues = modelRows.map(\.value)
        // Sort each day's draws once; every quantile below is then O(1).
        async let sortingLevel = SortedDraws(fit.level)
        let sortedRaw = SortedDraws(fit.predictive)
        let sortedLevel = await sortingLevel
        var recalibration: Recalibration?
        if options.recalibrate {
            do {
                let r = try Recalibration(sorted: sortedRaw, days: rowDays, values: rowValues)
                recalibration = r
            } catch {
                notes.append("recalibration skipped: \(error)")
            }
        }
        let check = try? CalibrationCheck(sorted: sortedRaw, days: rowDays, values: rowValues,
                                          factor: recalibration?.factor ?? 1)
        let modes = try? ModeAnalysis(values: rowValues)

        // Comparisons of the run date (default: last day with data).
        let runDate = options.runDate ?? fitStart.advanced(by: fit.dayCount - 1)
        let direction = MetricDirection(lowerIsBetter: options.lowerIsBetter)
        var comparisons: [SeriesComparison] = []
        let runIndex = fitStart.distance(to: runDate)
        let plan: [(label: String, date: CalendarDay?, unavailable: String?)]
        if let explicit = options.comparisonDays {
            plan = explicit.map { (label: $0.description, date: $0, unavailable: nil) }
        } else {
            let p = ComparisonDays().plan(runDate: runDate, seriesStart: fitStart, calendar: options.calendar)
            notes.append(contentsOf: p.messages)
            plan = p.days.map { day in
                if case let .unavailable(reason) = day.availability { return (day.label, day.day, reason) }
                return (day.label, day.day, nil)
            }
        }
        for entry in plan {
            if let reason = entry.unavailable {
                comparisons.append(SeriesComparison(label: entry.label, date: entry.date, change: nil, skipReason: reason, alert: false))
                continue
            }
            guard let date = entry.date else { continue }
            let baseline = fitStart.distance(to: date)
            guard runIndex >= 0 && runIndex < fit.dayCount else {
                comparisons.append(SeriesComparison(label: entry.label, date: date, change: nil,
                    skipReason: "run date \(runDate) is outside the fitted days \(fitStart)…\(fitStart.advanced(by: fit.dayCount - 1))",
                    alert: false))
                continue
            }
            guard baseline >= 0 && baseline < fit.dayCount else {
                comparisons.append(SeriesComparison(label: entry.label, date: date, change: nil,
                    skipReason: "\(date) is outside the fitted days \(fitStart)…\(fitStart.advanced(by: fit.dayCount - 1))",
                    alert: false))
                continue
            }
            do {
                let change = try compareDays(level: fit.level, day: runIndex, baseline: baseline, direction: direction,
                                             minimumChange: options.alertRule.minimumChange)
                comparisons.append(SeriesComparison(label: entry.label, date: date, change: change, skipReason: nil,
                                                    alert: options.alertRule.fires(change)))
            } catch {
                comparisons.append(SeriesComparison(label: entry.label, date: date, change: nil,
                                                    skipReason: error.description, alert: false))
            }
        }
        return SeriesJobResult(prepared: prepared, fit: fit, fitStart: fitStart, runDate: runDate,
                               sortedLevel: sortedLevel, sortedRawPredictive: sortedRaw, recalibration: recalibration, calibrationCheck: check, modes: modes,
                               comparisons: comparisons, notes: notes)
    }
}
