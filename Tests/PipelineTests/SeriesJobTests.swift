import Testing
import Foundation
import NumericCore
import SeriesAnalysis
import Sampling
import Jobs

func rows(days: Int, step: Double, seed: UInt64, noise: Double = 0.02) -> [SeriesRow] {
    var rng = RandomStream(seed: seed)
    var out: [SeriesRow] = []
    for d in 0..<days {
        for r in 0..<(1 + Int(4 * rng.uniform())) {
            let level = 100 * (1 + (d >= days - 10 ? step / 100 : 0))
            out.append(SeriesRow(time: Date(timeIntervalSince1970: Double(19_700 + d) * 86_400 + Double(r) * 3_600),
                                 value: level * (1 + noise * rng.standardNormal())))
        }
    }
    return out
}

@Test func outliersAreLeftOutOfTheFitButKeptInThePreparedRows() async throws {
    var input = rows(days: 60, step: 0, seed: 1)
    input[100].value *= 3 // a broken run
    let result = try await SeriesJob.run(input, options: SeriesJobOptions())
    #expect(result.prepared.rows.count == input.count)
    #expect(result.prepared.outlierCount >= 1)
    #expect(result.fit.pointCount == input.count - result.prepared.outlierCount)
    let kept = try await SeriesJob.run(input, options: SeriesJobOptions(filterOutliers: false))
    #expect(kept.fit.pointCount == input.count)
}

@Test func recalibrationBringsNinetyPercentCoverage() async throws {
    let result = try await SeriesJob.run(rows(days: 90, step: 0, seed: 2), options: SeriesJobOptions())
    let r = try #require(result.recalibration)
    #expect(abs(r.coverageAfter - 0.9) < 0.01)
    #expect(r.factor > 0.5 && r.factor < 2)
}

@Test func comparisonDaysOutsideTheFittedRangeAreUnavailableNotGuessed() async throws {
    var options = SeriesJobOptions()
    options.comparisonDays = [CalendarDay(year: 1990, month: 1, day: 1)!]
    let result = try await SeriesJob.run(rows(days: 30, step: 0, seed: 3), options: options)
    #expect(result.comparisons.count == 1)
    #expect(result.comparisons[0].change == nil && result.comparisons[0].skipReason != nil)
}

@Test func higherIsBetterFlipsTheDirectionOfWorse() async throws {
    let input = rows(days: 90, step: -3, seed: 4)
    var options = SeriesJobOptions(lowerIsBetter: false)
    options.comparisonDays = [CalendarDay(Date(timeIntervalSince1970: Double(19_700 + 90 - 15) * 86_400))]
    let lowerScore = try await SeriesJob.run(input, options: options)
    #expect(lowerScore.comparisons[0].change!.probabilityWorse > 0.95, "a 3% lower score is worse when higher is better")
    options.lowerIsBetter = true
    let lowerTime = try await SeriesJob.run(input, options: options)
    #expect(lowerTime.comparisons[0].change!.probabilityWorse < 0.05, "and better when lower is better")
}
