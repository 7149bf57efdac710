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
    /// Which model of SPEC §5 the series gets.
    public var model: LevelModelKind
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

    public init(model: LevelModelKind = .reference, fit: FitOptions = FitOptions(), preparation: SeriesPreparation = SeriesPreparation(),
                filterOutliers: Bool = true, recalibrate: Bool = true, lowerIsBetter: Bool = true,
                alertRule: AlertRule = AlertRule(), runDate: CalendarDay? = nil,
                comparisonDays: [CalendarDay]? = nil, calendar: VersionCalendar? = nil) {
        self.model = model
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

/// The two named models of SPEC §5.
public enum LevelModelKind: String, Sendable, CaseIterable {
    /// SPEC §5 exactly: the seed system's P-spline (what brms agrees with);
    /// every flagged run dropped; the day range ends at the last run.
    case reference
    /// SPEC §5b: ``StepLevelModel`` — a daily level with horseshoe increments
    /// and Student-t noise, the tail rule of SPEC §4.5, the day range ending
    /// at the run date.
    case stepLevel = "step-level"
}

/// A comparison of the run date with one comparison day, or why there is none.
public struct SeriesComparison: Sendable, Equatable {
    public var label: String
    public var date: CalendarDay?
    /// The change of the level, or nil with `skipReason`.
    public var change: DayComparison?
    public var skipReason: String?
    public var alert: Bool
    /// Why the comparison is stale (the run date's level is a prediction
    /// from runs older than ``SeriesJob/staleAfterDays``), or nil.
    public var stale: String? = nil
}

/// The answers for one series.
public struct SeriesJobResult: Sendable {
    public let prepared: PreparedSeries
    public let fit: LevelFit
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
    /// Whether each prepared row reached the model.
    public let modelled: [Bool]
    /// Days the level probably stepped on (``StepLevelFitter``; none for the reference).
    public var changeDays: [ChangeDay] { fit.changeDays }

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
    /// The run date lies further after the last run than a forecast is worth.
    case runDateFarBeyondData(days: Int)

    public var description: String {
        switch self {
        case let .preparation(message): return message
        case let .tooFewPoints(count):
            return "only \(count) non-outlier point\(count == 1 ? "" : "s") to fit; at least \(SeriesJob.minimumPoints) on two or more days are needed"
        case let .constantSeries(value, count):
            return "all \(count) points to fit equal \(value): a constant series has no noise to model (its level is \(value) on every day)"
        case let .runDateFarBeyondData(days):
            return "the run date is \(days) days after the last run; more than \(SeriesJob.maximumForecastDays) days is no longer an answer about the series"
        }
    }
}

public enum SeriesJob {
    /// Fewest model points worth fitting: fewer leave the spline's level and
    /// trend barely identified.
    public static let minimumPoints = 5
    /// A comparison is stale when the last run is more than this many days
    /// before the run date: a week without runs (a weekend, an outage, a merge
    /// gap) is normal, more means the answer about D is a forecast.
    public static let staleAfterDays = 7
    /// Longest forecast from the last run to the run date: beyond a quarter
    /// the level is the prior's guess, not the series'.
    public static let maximumForecastDays = 90
    /// The recalibration factor measured leave-one-out is kept within
    /// these bounds. On the real series it is 0.93–1.05; a factor far
    /// outside says the intervals miss for another reason than their width
    /// (a bimodal microbenchmark fitted with one mode asked for ×25, which
    /// would widen every day's interval to the whole range of the data).
    public static let leaveOneOutFactorBounds = 0.5...2.0

    public static func run(_ rows: [SeriesRow], options: SeriesJobOptions) async throws -> SeriesJobResult {
        let prepared: PreparedSeries
        do { prepared = try options.preparation.prepare(rows) } catch { throw SeriesJobError.preparation(error.description) }
        let modelled: [Bool]
        switch options.model {
        case .reference:
            modelled = prepared.rows.map { !options.filterOutliers || !$0.isOutlier }
        case .stepLevel:
            let dropped = TailRule.dropped(flags: prepared.rows.map(\.isOutlier), window: options.preparation.outlierScore.window)
            modelled = dropped.map { !options.filterOutliers || !$0 }
        }
        let modelRows = zip(prepared.rows, modelled).filter(\.1).map(\.0)
        guard modelRows.count >= minimumPoints else { throw SeriesJobError.tooFewPoints(count: modelRows.count) }
        if let first = modelRows.first?.value, modelRows.allSatisfy({ $0.value == first }) {
            throw SeriesJobError.constantSeries(value: first, count: modelRows.count)
        }
        let fit: LevelFit
        switch options.model {
        case .reference:
            fit = try await SplineFitter.fit(days: modelRows.map(\.day), values: modelRows.map(\.value), options: options.fit).levelFit
        case .stepLevel:
            // The day range runs to the run date, whether or not D has runs.
            let firstDay = modelRows.map(\.day).min() ?? 0
            let lastData = modelRows.map(\.day).max() ?? 0
            let runIndex = options.runDate.map { prepared.firstDay.distance(to: $0) } ?? lastData
            guard runIndex <= lastData + maximumForecastDays else {
                throw SeriesJobError.runDateFarBeyondData(days: runIndex - lastData)
            }
            fit = try await StepLevelFitter.fit(days: modelRows.map(\.day), values: modelRows.map(\.value),
                                                firstDay: firstDay, lastDay: Swift.max(lastData, runIndex), options: options.fit)
        }
        let fitStart = prepared.calendarDay(ofIndex: fit.firstDay)
        var notes: [String] = []
        if let first = fit.extendedFrom {
            notes.append("the chains ran again with \(fit.diagnostics.drawsPerChain) draws each: the first run's were flagged (\(first.reasons.joined(separator: "; ")))")
        }

        // Recalibration and the calibration check, on the points the model saw.
        let rowDays = modelRows.map { $0.day - fit.firstDay }
        let rowValues = modelRows.map(\.value)
        // Sort each day's draws once; every quantile below is then O(1).
        async let sortingLevel = SortedDraws(fit.level)
        let sortedRaw = SortedDraws(fit.predictive)
        let sortedLevel = await sortingLevel
        // The step-level model's shares are measured leave-one-out (a daily
        // level fits each run's own day; ``LeaveOneOutIntervals``).
        let loo = fit.leaveOneOut.flatMap { $0.pointCount == rowDays.count ? $0 : nil }
        var recalibration: Recalibration?
        if options.recalibrate {
            do {
                let r = try Recalibration(sorted: sortedRaw, days: rowDays, values: rowValues,
                                          pointIntervals: loo.map { PointIntervals(lower: $0.lower90, upper: $0.upper90) },
                                          factorBounds: loo == nil ? nil : leaveOneOutFactorBounds)
                recalibration = r
                if r.isBounded {
                    notes.append(String(format: "recalibration bounded: the 90%% intervals would need ×%.3g to hold 90%% of the runs left out one at a time; ×%.3g applied (%.0f%% inside): the misses are not a matter of width (runs in modes or on days the model does not follow)",
                                        r.requiredFactor, r.factor, 100 * r.coverageAfter))
                }
            } catch {
                notes.append("recalibration skipped: \(error)")
            }
        }
        let check = try? CalibrationCheck(sorted: sortedRaw, days: rowDays, values: rowValues,
                                          factor: recalibration?.factor ?? 1,
                                          pointIntervals: loo.map { PointIntervals(lower: $0.lower50, upper: $0.upper50) })
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
        // The last run the model saw, against the run date.
        let lastRunDay = prepared.calendarDay(ofIndex: modelRows.map(\.day).max() ?? 0)
        let daysSinceLastRun = lastRunDay.distance(to: runDate)
        let staleReason: String? = daysSinceLastRun > staleAfterDays
            ? "the last run is \(daysSinceLastRun) days before \(runDate) (\(lastRunDay)): the level on \(runDate) is a forecast"
            : nil
        if let staleReason { notes.append("stale: \(staleReason)") }
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
                                                    alert: options.alertRule.fires(change), stale: staleReason))
            } catch {
                comparisons.append(SeriesComparison(label: entry.label, date: date, change: nil,
                                                    skipReason: error.description, alert: false))
            }
        }
        return SeriesJobResult(prepared: prepared, fit: fit, fitStart: fitStart, runDate: runDate,
                               sortedLevel: sortedLevel, sortedRawPredictive: sortedRaw, recalibration: recalibration, calibrationCheck: check, modes: modes,
                               comparisons: comparisons, notes: notes, modelled: modelled)
    }
}
