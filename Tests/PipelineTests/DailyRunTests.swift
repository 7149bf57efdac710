import Testing
import Foundation
import NumericCore
import SeriesAnalysis
import Sampling
import Store
import Jobs

/// A store in a scratch file with a few synthetic series ending 2024-03-31.
func storeWithSeries(_ specs: [(suite: String, days: Int, step: Double)]) throws -> (SQLiteStore, URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slowreg-daily-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let store = try SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path)
    let lastDay = CalendarDay(year: 2024, month: 3, day: 31)!
    var records: [IngestRecord] = []
    for (index, spec) in specs.enumerated() {
        var rng = RandomStream(seed: 5, stream: UInt64(index))
        for d in 0..<spec.days {
            let day = lastDay.advanced(by: d - spec.days + 1)
            for r in 0..<(1 + Int(3 * rng.uniform())) {
                let level = 200 * (1 + (d >= spec.days - 10 ? spec.step / 100 : 0))
                let time = Date(timeIntervalSince1970: Double(day.daysSince1970 * 86_400 + 3_600 * (r + 1)))
                records.append(IngestRecord(record: PerfRecord(time: time, suite: spec.suite, platform: "linux64",
                                                               value: level * (1 + 0.02 * rng.standardNormal())),
                                            sname: spec.suite, os: "linux"))
            }
        }
    }
    _ = try store.ingest(records)
    return (store, dir)
}

func quickOptions(concurrency: Int = 2) -> DailyRunOptions {
    var job = SeriesJobOptions()
    job.fit.sampler = SamplerSettings(warmup: 300, draws: 300, seed: 9)
    return DailyRunOptions(runDate: CalendarDay(year: 2024, month: 3, day: 31)!, historyDays: 90, job: job,
                           concurrency: concurrency)
}

@Test func aFailingSeriesIsRecordedWithItsErrorAndTheRunGoesOn() async throws {
    // "tiny" has runs on a single day: it cannot be fitted.
    let (store, dir) = try storeWithSeries([("good", 60, 0), ("tiny", 1, 0), ("step", 60, 4)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let summary = try await DailyRun.run(store: store, options: quickOptions())
    #expect(summary.series == 3 && summary.fitted == 2 && summary.failed == 1)
    #expect(summary.failures.count == 1 && summary.failures[0].contains("tiny"))
    let diagnostics = try store.diagnostics(runDate: "2024-03-31")
    let failed = diagnostics.filter { $0.row.status == .failed }
    #expect(failed.count == 1 && !failed[0].row.error.isEmpty)
    #expect(summary.regressions >= 1, "the 4% step is found")
}

@Test func storedResultsDoNotDependOnConcurrencyAndRerunsSkipUnlessReplaced() async throws {
    let (store, dir) = try storeWithSeries([("a", 50, 0), ("b", 50, 2), ("c", 50, -2)])
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try await DailyRun.run(store: store, options: quickOptions(concurrency: 1))
    let sequential = try store.comparisons(runDate: "2024-03-31").sorted { ($0.seriesId, $0.row.label) < ($1.seriesId, $1.row.label) }

    let skipped = try await DailyRun.run(store: store, options: quickOptions(concurrency: 2))
    #expect(skipped.skipped == 3 && skipped.fitted == 0)

    var replace = quickOptions(concurrency: 2)
    replace.replace = true
    let refit = try await DailyRun.run(store: store, options: replace)
    #expect(refit.fitted == 3)
    let parallel = try store.comparisons(runDate: "2024-03-31").sorted { ($0.seriesId, $0.row.label) < ($1.seriesId, $1.row.label) }
    #expect(sequential.map(\.row) == parallel.map(\.row), "the same seed gives the same stored answers at any concurrency")
}

@Test func resultsHoldIntervalsAndLevelDrawsForEveryDayAndPredictiveDrawsForTheComparisonDays() async throws {
    let (store, dir) = try storeWithSeries([("a", 40, 0)])
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try await DailyRun.run(store: store, options: quickOptions())
    let series = try store.listSeries(SeriesFilter())[0]
    let results = try #require(try store.results(runDate: "2024-03-31", seriesId: series.id))
    #expect(results.intervals.count == 40, "one interval row per day, days without runs included")
    #expect(results.draws.map(\.date) == results.intervals.map(\.date), "level draws of every fitted day, in day order")
    #expect(results.draws.allSatisfy { $0.level.count == 1000 })
    let predictiveDates = Set(results.draws.filter { $0.predictive != nil }.map(\.date))
    #expect(predictiveDates == ["2024-03-31", "2024-03-24", "2024-03-17"], "predictive draws of D, D-7 and D-14")
    #expect(results.modelInput.count > 40)
    for row in results.intervals {
        #expect(row.p05 <= row.p25 && row.p25 <= row.p50 && row.p50 <= row.p75 && row.p75 <= row.p95)
        #expect(row.levelP05 <= row.levelP50 && row.levelP50 <= row.levelP95)
    }
}

@Test func theStepLevelModelsChangeDaysAreStoredWithTheRun() async throws {
    // A 6% step 10 days before D (2024-03-22): the step-level model puts a change day on it.
    let (store, dir) = try storeWithSeries([("step", 60, 6), ("flat", 60, 0)])
    defer { try? FileManager.default.removeItem(at: dir) }
    var options = quickOptions()
    options.job.model = .stepLevel
    options.modelName = "step-level v1"
    _ = try await DailyRun.run(store: store, options: options)
    let series = try store.listSeries(SeriesFilter())
    let step = try #require(series.first { $0.suite == "step" })
    let results = try #require(try store.results(runDate: "2024-03-31", seriesId: step.id))
    let near = results.changeDays.filter { abs(StoreTime.daysSinceEpoch(dayText: $0.date)! - StoreTime.daysSinceEpoch(dayText: "2024-03-22")!) <= 1 }
    #expect(!near.isEmpty, "a change day at the step: \(results.changeDays)")
    #expect(near.allSatisfy { $0.sizePercent > 0 && $0.probability >= 0.5 })
    // How its noise model was chosen is stored with it: exactly one chosen, with the reason.
    #expect(results.noiseChoice.filter(\.chosen).count == 1 && results.noiseChoice.allSatisfy { !$0.reason.isEmpty },
            "\(results.noiseChoice)")
    for row in results.noiseChoice where row.elpd != nil {
        #expect(row.se.map { $0 >= 0 } == true && row.elpdDiff.map { $0 >= 0 } == true && row.maxParetoK != nil, "\(row)")
    }
    // The reference model has no change days to store.
    var reference = quickOptions()
    reference.replace = true
    _ = try await DailyRun.run(store: store, options: reference)
    #expect(try store.results(runDate: "2024-03-31", seriesId: step.id)?.changeDays == [])
    #expect(try store.results(runDate: "2024-03-31", seriesId: step.id)?.noiseChoice == [], "replaced with the reference fit")
}

@Test func noiseChoiceRowsAreValidatedBeforeTheyAreStored() throws {
    #expect(StoredResults.noiseChoiceRows(nil).isEmpty, "the reference model stores no noise choice")
    let given = NoiseChoice(chosen: "student-t", reason: "one scale")
    #expect(StoredResults.noiseChoiceRows(given) == [NoiseChoiceRow(candidate: "student-t", chosen: true, reason: "one scale")])
    let (store, dir) = try storeWithSeries([("flat", 60, 0)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let id = try #require(try store.listSeries(SeriesFilter()).first?.id)
    let rows = [NoiseChoiceRow(candidate: "student-t", chosen: true, reason: "highest elpd", elpd: -10, se: 2, pLoo: 3,
                               elpdDiff: 0, dse: 0, maxParetoK: 0.4, paretoKAbove07: 0),
                NoiseChoiceRow(candidate: "student-t, changing scale", chosen: false, reason: "highest elpd", elpd: -12,
                               se: 2, pLoo: 5, elpdDiff: 2, dse: 1.5, maxParetoK: nil, paretoKAbove07: 1)]
    let base = SeriesResults(runDate: "2024-03-31", seriesId: id,
                             diagnostics: DiagnosticsRow(model: "m", sampler: "gibbs", noise: "student-t", status: .good),
                             noiseChoice: rows)
    var twoChosen = base
    twoChosen.noiseChoice[1].chosen = true
    var notFinite = base
    notFinite.noiseChoice[0].elpd = .nan
    for bad in [twoChosen, notFinite] {
        do {
            _ = try store.writeResults(bad, replace: true)
            Issue.record("invalid noise_choice rows were stored")
        } catch {
            #expect("\(error)".contains("noise_choice"), "\(error)")
        }
    }
    #expect(try store.results(runDate: "2024-03-31", seriesId: id) == nil, "nothing half-written")
}
