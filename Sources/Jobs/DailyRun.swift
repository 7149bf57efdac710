import Foundation
import NumericCore
import Sampling
import SeriesAnalysis
import Store

/// Which days' level draws the daily run stores (predictive draws: D and its
/// comparison days; intervals: every day). The store keeps them while the run
/// date is the latest of the series, then only D and its comparison days
/// (``StoreRetention``).
public enum DrawRetention: Sendable, Equatable {
    /// The run date and its comparison days (what alerting needs).
    case comparisonDays
    /// The run date, its comparison days and the last `n` days before it.
    case recentDays(Int)
    /// Every fitted day (the default: `compare --days` any two days, no refit).
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
    /// Stop starting series at this instant (`run --timeout`); series being
    /// fitted then are finished and stored, the rest are reported not started.
    public var deadline: ContinuousClock.Instant?
    /// How long a claim on a series holds before another process may take it
    /// over (a killed process's series are fitted by the next run after this).
    public var claimLease: TimeInterval
    /// This process's name in `claims`.
    public var claimOwner: String

    public static let defaultHistoryDays = 365
    /// Ten minutes: a fit takes well under a second, a slow NUTS fit of a long
    /// series a minute; a killed run's series wait this long at most.
    public static let defaultClaimLease: TimeInterval = 600

    /// The fit every series of this run gets, as `diagnostics` records it.
    public var fitIdentity: FitIdentity {
        FitIdentity(model: modelName, sampler: job.fit.sampler.sampler.rawValue, noise: job.fit.noise.rawValue)
    }

    public init(runDate: CalendarDay, historyDays: Int = DailyRunOptions.defaultHistoryDays,
                job: SeriesJobOptions = SeriesJobOptions(), replace: Bool = false, filter: SeriesFilter = SeriesFilter(),
                concurrency: Int = SamplerSettings.availableCores, drawRetention: DrawRetention = .allDays,
                modelName: String = "spline") {
        self.runDate = runDate
        self.historyDays = historyDays
        self.job = job
        self.replace = replace
        self.filter = filter
        self.concurrency = concurrency
        self.drawRetention = drawRetention
        self.modelName = modelName
        self.deadline = nil
        self.claimLease = Self.defaultClaimLease
        self.claimOwner = ClaimOwner.current()
    }
}

/// What happened to one series.
public enum SeriesOutcome: Sendable, Equatable {
    case fitted(status: StoredFitStatus, regressions: Int, alerts: Int, unavailableComparisons: Int)
    case skippedExisting
    /// Another process holds the claim on it and is fitting it.
    case claimedElsewhere
    /// The run's time-out came before the series was started.
    case notStarted
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
    /// Series another `run` process was fitting at the same time.
    public var claimedElsewhere = 0
    /// Series not started before `--timeout`.
    public var notStarted = 0
    public var failed = 0
    public var flagged = 0
    public var regressions = 0
    public var alerts = 0
    /// Comparisons that could not be made (day outside the fitted range, no calendar …).
    public var unavailableComparisons = 0
    public var wallSeconds = 0.0
    /// Time spent in the store's calls (claims, reading measurements,
    /// writing results), summed over the concurrent jobs: the database's
    /// share of the run.
    public var storeSeconds = 0.0
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
        filter.withDataThrough = options.runDate.description
        let all = try store.listSeries(filter)
        guard !all.isEmpty else {
            let matching = try store.listSeries(options.filter).count
            throw DailyRunError.nothingToRun(filter: options.filter, matchingSeries: matching,
                                             from: first, through: options.runDate)
        }
        let runDate = options.runDate.description
        let counter = ProgressCounter()
        // Milliseconds, as `diagnostics.created_at` keeps them.
        let now = Date()
        let startedAt = StoreTime.instant(StoreTime.instantText(now)) ?? now
        let timer = StoreTimer()
        let outcomes = try await parallelMap(count: all.count, threads: options.concurrency) { i -> SeriesOutcome in
            let series = all[i]
            let outcome: SeriesOutcome
            if let deadline = options.deadline, ContinuousClock().now >= deadline {
                outcome = .notStarted
            } else {
                outcome = await fitAndStore(series, store: store, options: options, from: first, runStartedAt: startedAt,
                                            timer: timer)
            }
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
            case .claimedElsewhere:
                summary.claimedElsewhere += 1
            case .notStarted:
                summary.notStarted += 1
            case let .failed(message):
                summary.failed += 1
                summary.failures.append("\(series.displayName): \(message)")
            }
        }
        summary.wallSeconds = seconds(clock.now - start)
        summary.storeSeconds = timer.total
        return summary
    }

    /// Fits one series and writes its results in one transaction; a failure
    /// is recorded in `diagnostics` with its error and reported, never thrown.
    static func fitAndStore(_ series: SeriesRecord, store: any PerfStore, options: DailyRunOptions,
                            from first: CalendarDay, runStartedAt: Date = .distantFuture,
                            timer: StoreTimer = StoreTimer()) async -> SeriesOutcome {
        let runDate = options.runDate.description
        do {
            let now = Date()
            let request = ClaimRequest(runDate: runDate, seriesId: series.id, owner: options.claimOwner, now: now,
                                       expiresAt: now.addingTimeInterval(options.claimLease), fit: options.fitIdentity,
                                       replace: options.replace, runStartedAt: runStartedAt)
            switch try timer.time({ () throws(StoreError) in try store.claim(request) }) {
            case .alreadyStored: return .skippedExisting
            case .claimedElsewhere: return .claimedElsewhere
            case .claimed: break
            }
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
        job.alertRule = options.job.alertRule.resolved(forSuite: series.suite)
        return await fitAndStoreAsync(series, store: store, options: options, job: job, from: first, timer: timer)
    }

    static func fitAndStoreAsync(_ series: SeriesRecord, store: any PerfStore, options: DailyRunOptions,
                                 job: SeriesJobOptions, from first: CalendarDay,
                                 timer: StoreTimer = StoreTimer()) async -> SeriesOutcome {
        let runDate = options.runDate.description
        var jobOptions = job
        do {
            let measurements = try timer.time { () throws(StoreError) in
                try store.measurements(seriesId: series.id, from: first.description, through: runDate)
            }
            if jobOptions.calendar == nil {
                jobOptions.calendar = try? VersionCalendar(dataRows: measurements.map { ($0.time, $0.version.isEmpty ? nil : $0.version) })
            }
            let rows = measurements.map { SeriesRow(time: $0.time, value: $0.value) }
            let result = try await SeriesJob.run(rows, options: jobOptions)
            let results = StoredResults.make(result, series: series, options: options, job: jobOptions)
            // The claim decided to fit: what is stored (failed, another model,
            // --replace) gives way, in the same transaction that frees the claim.
            try timer.time { () throws(StoreError) in try store.writeResults(results, replace: true) }
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

/// Why a daily run could not start.
public enum DailyRunError: Error, Equatable, CustomStringConvertible {
    /// No series has data in the window (or the filter matches no series):
    /// a scheduler must hear of it, not get a silent success.
    case nothingToRun(filter: SeriesFilter, matchingSeries: Int, from: CalendarDay, through: CalendarDay)

    public var description: String {
        switch self {
        case let .nothingToRun(filter, matching, from, through):
            if matching == 0 {
                return filter.isUnrestricted ? "the store holds no series; ingest data first"
                    : "no series matches \(filter.optionText)"
            }
            return "none of the \(matching) series\(filter.isUnrestricted ? "" : " matching \(filter.optionText)") has data from \(from) to \(through)"
        }
    }
}

/// The time a run's jobs spend in store calls, summed (thread-safe).
public final class StoreTimer: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds = 0.0

    public init() {}

    public var total: Double {
        lock.lock(); defer { lock.unlock() }
        return seconds
    }

    /// Runs `body` and adds its wall time.
    @discardableResult
    func time<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer {
            let elapsed = Jobs.seconds(clock.now - start)
            lock.lock()
            seconds += elapsed
            lock.unlock()
        }
        return try body()
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
