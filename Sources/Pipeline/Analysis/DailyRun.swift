import Foundation
import NumericCore
import Sampling
import SeriesAnalysis

/// Which days' individual draws the daily run stores (intervals are stored
/// for every day regardless). One row per draw and day, so storing every day
/// of every series would cost ~366,000 rows a series a day.
public enum DrawRetention: Sendable, Equatable {
    /// The run date and its comparison days (what alerting and `compare` need).
    case comparisonDays
    /// The run date, its comparison days and the last `n` days before it.
    case recentDays(Int)
    /// Every fitted day.
    case allDays
    case none
}

/// Options of the daily job (SPEC §10 `run`).
public struct DailyRunOptions: Sendable {
    public var runDate: CalendarDay
    /// Days of history fitted, ending with the run date (default 365).
    public var historyDays: Int
    public var job: SeriesJobOptions
    public var replace: Bool
    public var filter: SeriesFilter
    /// Series fitted at once (each with its chains in sequence).
    public var concurrency: Int
    public var drawRetention: DrawRetention
    /// Name of the model definition, recorded with the diagnostics.
    public var modelName: String

    public static let defaultHistoryDays = 365

    public init(runDate: CalendarDay, historyDays: Int = DailyRunOptions.defaultHistoryDays,
                job: SeriesJobOptions = SeriesJobOptions(), replace: Bool = false, filter: SeriesFilter = SeriesFilter(),
                concurrency: Int = SamplerSettings.availableCores, drawRetention: DrawRetention = .comparisonDays,
                modelName: String = "spline") {
        self.runDate = runDate
        self.historyDays = historyDays
        self.job = job
        self.replace = replace
        self.filter = filter
        self.concurrency = concurrency
        self.drawRetention = drawRetention
        self.modelName = modelName
    }
}

/// What happened to one series.
public enum SeriesOutcome: Sendable, Equatable {
    case fitted(status: StoredFitStatus, regressions: Int, alerts: Int, unavailableComparisons: Int)
    case skippedExisting
    case failed(String)
}

/// Progress of a daily run, reported after each series.
public struct DailyRunProgress: Sendable {
    public var done: Int
    public var total: Int
    public var series: SeriesRecord
    public var outcome: SeriesOutcome
}

/// The end-of-run summary table's numbers.
public struct DailyRunSummary: Sendable, Equatable {
    public var runDate: String
    public var series = 0
    public var fitted = 0
    public var skipped = 0
    public var failed = 0
    public var flagged = 0
    public var regressions = 0
    public var alerts = 0
    /// Comparisons that could not be made (day outside the fitted range, no calendar …).
    public var unavailableComparisons = 0
    public var wallSeconds = 0.0
    public var failures: [String] = []
}

public enum DailyRun {
    /// Runs the daily job over every series with data in the history window.
    public static func run(store: any PerfStore, options: DailyRunOptions,
                           progress: @escaping @Sendable (DailyRunProgress) -> Void = { _ in }) async throws -> DailyRunSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let first = options.runDate.advanced(by: -(options.historyDays - 1))
        var filter = options.filter
        filter.withDataSince = first.description
        let all = try store.listSeries(filter)
        let runDate = options.runDate.description
        let counter = ProgressCounter()
        let outcomes = try await parallelMap(count: all.count, threads: options.concurrency) { i -> SeriesOutcome in
            let series = all[i]
            let outcome = await fitAndStore(series, store: store, options: options, from: first)
            progress(DailyRunProgress(done: counter.increment(), total: all.count, series: series, outcome: outcome))
            return outcome
        }
        var summary = DailyRunSummary(runDate: runDate, series: all.count)
        for (series, outcome) in zip(all, outcomes) {
            switch outcome {
            case let .fitted(status, regressions, alerts, unavailable):
                summary.fitted += 1
                summary.unavailableComparisons += unavailable
                if status == .flagged { summary.flagged += 1 }
                summary.regressions += regressions
                summary.alerts += alerts
            case .skippedExisting:
                summary.skipped += 1
            case let .failed(message):
                summary.failed += 1
                summary.failures.append("\(series.displayName): \(message)")
            }
        }
        summary.wallSeconds = seconds(clock.now - start)
        return summary
    }

    /// Fits one series and writes its results in one transaction; a failure
    /// is recorded in `diagnostics` with its error and reported, never thrown.
    static func fitAndStore(_ series: SeriesRecord, store: any PerfStore, options: DailyRunOptions,
                            from first: CalendarDay) async -> SeriesOutcome {
        let runDate = options.runDate.description
        do {
            if !options.replace, try store.hasResults(runDate: runDate, seriesId: series.id) { return .skippedExisting }
        } catch {
            return .failed("\(error)")
        }
        // Each series its own seed, derived from its identity: the same draws
        // whatever the order or concurrency of the run.
        var job = options.job
        job.fit.sampler.seed = options.job.fit.sampler.seed ^ stableHash(series.identityKey)
        job.fit.sampler.threads = 1
        job.runDate = options.runDate
        job.lowerIsBetter = series.lowerIsBetterOrDefault
        return await fitAndStoreAsync(series, store: store, options: options, job: job, from: first)
    }

    static func fitAndStoreAsync(_ series: SeriesRecord, store: any PerfStore, options: DailyRunOptions,
                                 job: SeriesJobOptions, from first: CalendarDay) async -> SeriesOutcome {
        let runDate = options.runDate.description
        var jobOptions = job
        do {
            let measurements = try store.measurements(seriesId: series.id, from: first.description, through: runDate)
            if jobOptions.calendar == nil {
                jobOptions.calendar = try? VersionCalendar(dataRows: measurements.map { ($0.time, $0.version.isEmpty ? nil : $0.version) })
            }
            let rows = measurements.map { SeriesRow(time: $0.time, value: $0.value) }
            let result = try await SeriesJob.run(rows, options: jobOptions)
            let results = StoredResults.make(result, series: series, options: options, job: jobOptions)
            try store.writeResults(results, replace: options.replace)
            let regressions = result.comparisons.filter { $0.change?.isRegression == true }.count
            let alerts = result.comparisons.filter(\.alert).count
            return .fitted(status: results.diagnostics.status, regressions: regressions, alerts: alerts,
                           unavailableComparisons: result.comparisons.filter { $0.change == nil }.count)
        } catch {
            let message = "\(error)"
            let failed = SeriesResults(runDate: runDate, seriesId: series.id,
                                       diagnostics: DiagnosticsRow(model: options.modelName, sampler: job.fit.sampler.sampler.rawValue,
                                                                   noise: job.fit.noise.rawValue, status: .failed, error: message,
                                                                   seed: job.fit.sampler.seed, createdAt: Date()))
            _ = try? store.writeResults(failed, replace: true)
            return .failed(message)
        }
    }
}

/// A thread-safe counter for progress reports.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        count += 1
        return count
    }
}

func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}

extension SeriesRecord {
    /// `project/suite/test/platform`, for messages.
    public var displayName: String {
        [project, suite, test, platform].filter { !$0.isEmpty }.joined(separator: " / ")
    }

    /// A stable key of the series' identity (for per-series seeds).
    var identityKey: String { [project, suite, test, platform].joined(separator: "\u{1F}") }
}
