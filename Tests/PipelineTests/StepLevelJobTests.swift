import Testing
import Foundation
import NumericCore
import SeriesAnalysis
import Sampling
import Jobs

/// The step-level model (SPEC §5b, experimental) through the series job: the
/// day range ends at the run date, days after the last run are forecast with
/// growing uncertainty, stale comparisons say so, and flagged runs in the
/// tail reach the model (the reference model moves the run date back and
/// calls the new level no change). Seeds are fixed.
@Suite("Step-level model: the run date and the tail")
struct StepLevelJobTests {
    static func options(runDate: CalendarDay? = nil, compare days: [CalendarDay]) -> SeriesJobOptions {
        var options = SeriesJobOptions(model: .stepLevel)
        options.fit.sampler.warmup = 500
        options.fit.sampler.draws = 500
        options.fit.sampler.threads = 2
        options.runDate = runDate
        options.comparisonDays = days
        return options
    }

    static let firstDay = CalendarDay(daysSince1970: 19_700)

    @Test("the day range ends at the run date: days after the last run are forecast, with growing uncertainty")
    func rangeEndsAtTheRunDate() async throws {
        let input = rows(days: 60, step: 0, seed: 12)
        let last = Self.firstDay.advanced(by: 59)
        let runDate = last.advanced(by: 5)
        let result = try await SeriesJob.run(input, options: Self.options(runDate: runDate, compare: [last.advanced(by: -7)]))
        #expect(result.runDate == runDate)
        #expect(result.fitStart.advanced(by: result.fit.dayCount - 1) == runDate)
        let width = { (row: Int) -> Double in
            result.sortedLevel.quantile(day: row, 0.95) - result.sortedLevel.quantile(day: row, 0.05)
        }
        let lastRow = result.fit.dayCount - 1
        #expect(width(lastRow) > width(lastRow - 5), "the forecast is wider than the last observed day")
        #expect(result.comparisons.first?.change != nil)
        // Stale only beyond a week without runs.
        #expect(result.comparisons.first?.stale == nil)
        let stale = try await SeriesJob.run(input, options: Self.options(runDate: last.advanced(by: 9),
                                                                          compare: [last.advanced(by: -7)]))
        #expect(stale.comparisons.first?.stale?.contains("9 days") == true)
    }

    @Test("recalibration: measured leave-one-out for the step-level model, in sample for the reference")
    func recalibrationMeasure() async throws {
        let input = rows(days: 90, step: 0, seed: 14)
        let step = try await SeriesJob.run(input, options: Self.options(compare: []))
        let r = try #require(step.recalibration)
        let loo = try #require(step.fit.leaveOneOut)
        #expect(r.method == .leaveOneOut)
        #expect(loo.pointCount == step.fit.pointCount)
        // The factor is the one the runs' own leave-one-out intervals ask for (within the bounds).
        let modelRows = zip(step.prepared.rows, step.modelled).filter(\.1).map(\.0)
        let again = try Recalibration(sorted: step.sortedRawPredictive, days: modelRows.map { $0.day - step.fit.firstDay },
                                      values: modelRows.map(\.value),
                                      pointIntervals: PointIntervals(lower: loo.lower90, upper: loo.upper90))
        #expect(again.factor == r.requiredFactor)
        #expect(SeriesJob.leaveOneOutFactorBounds.contains(r.factor))
        #expect(abs(r.coverageAfter - 0.9) < 0.02)
        let reference = try await SeriesJob.run(input, options: SeriesJobOptions())
        #expect(reference.recalibration?.method == .inSample)
        #expect(reference.fit.leaveOneOut == nil)
    }

    @Test("runs 50% above a stable year on the last days: modelled, called worse, run date unchanged")
    func newLevelAtTheEnd() async throws {
        var input = rows(days: 120, step: 0, seed: 13)
        let lastDay = Self.firstDay.advanced(by: 119)
        // The last two days' runs at +50%: the SPEC §4 rule flags them all.
        input = input.map { row in
            CalendarDay(row.time) >= lastDay.advanced(by: -1) ? SeriesRow(time: row.time, value: row.value * 1.5) : row
        }
        let result = try await SeriesJob.run(input, options: Self.options(compare: [lastDay.advanced(by: -14)]))
        #expect(result.runDate == lastDay)
        let tail = zip(result.prepared.rows, result.modelled).filter { CalendarDay($0.0.time) >= lastDay.advanced(by: -1) }
        #expect(tail.allSatisfy { $0.1 }, "flagged runs in the tail reach the model")
        let change = try #require(result.comparisons.first?.change)
        #expect(change.probabilityWorse >= 0.8, "P(worse) \(change.probabilityWorse)")
    }
}
