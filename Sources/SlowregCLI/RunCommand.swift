import ArgumentParser
import Foundation
import Store
import Reports
import Jobs
import CommandLineOptions
import SeriesAnalysis
import Sampling
import Logging

/// How many days' draws `run` keeps, as given on the command line.
enum KeepDraws: ExpressibleByArgument {
    case retention(DrawRetention)

    init?(argument: String) {
        switch argument {
        case "comparison": self = .retention(.comparisonDays)
        case "all": self = .retention(.allDays)
        case "none": self = .retention(.none)
        default:
            guard let n = Int(argument), n >= 0 else { return nil }
            self = .retention(.recentDays(n))
        }
    }

    var value: DrawRetention {
        switch self { case let .retention(r): return r }
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daily job: fit every series with data in the history window and store the answers.",
        discussion: """
            For every series with runs in the --history-days before --date (inclusive):
            prepare (daily cap, outliers), fit, recalibrate, compare D with D-7, D-14
            and the ends of the two previous major versions (from --calendar or the
            version column of the data), and store model input, intervals, draws,
            diagnostics and comparisons in one transaction per series. Series already
            stored for D are skipped unless --replace. A series that fails is
            recorded with its error and the run goes on; the exit status is 1 if any
            failed, 2 on bad input, 0 otherwise.
            """)

    @Option(name: .customLong("date"), help: ArgumentHelp("The run date D: \(dayHelpSuffix).", valueName: "date"))
    var runDate: DayArgument

    @Option(name: .customLong("history-days"), help: "Days of history fitted, ending with D.")
    var historyDays: Int = DailyRunOptions.defaultHistoryDays

    @Option(help: "Only this suite.") var suite: String?
    @Option(help: "Only this platform.") var platform: String?
    @Option(help: "Only this project.") var project: String?
    @Option(help: "Only this test (subtest).") var test: String?

    @OptionGroup var model: ModelOptions

    @Flag(help: "Refit and overwrite series already stored for D.")
    var replace = false

    @Option(name: .customLong("keep-draws"),
            help: ArgumentHelp("Days whose level draws are stored: all (default; compare any two days), comparison (D and its comparison days), N (those and the N days before D), or none. Older run dates keep D and its comparison days.",
                               valueName: "all|comparison|N|none"))
    var keepDraws: KeepDraws = .retention(.allDays)

    @Option(help: ArgumentHelp("Version calendar CSV (date, version, channel); default: versions carried by the data.",
                               valueName: "file"), completion: .file())
    var calendar: String?

    @OptionGroup var alertRule: AlertRuleOptions

    @Option(name: .customLong("max-daily-runs"), help: "Runs kept per calendar day.")
    var maxDailyRuns: Int = SeriesPreparation.defaultMaxDailyRuns

    @Option(help: ArgumentHelp("Stop starting series after this many seconds; series being fitted are finished and stored, the rest are left for the next run (exit 1).",
                               valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("How long a series this process claims stays its own; a killed worker's series are taken over by the others after this. Longer than the slowest fit.",
                               valueName: "seconds"))
    var lease: Double = DailyRunOptions.defaultClaimLease

    @Option(help: "Summary format: table, json (an object with schema_version) or csv (one header row, one value row).")
    var format: OutputFormat = .table

    @OptionGroup var logging: LoggingOptions

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard historyDays >= 2 else { throw ValidationError("--history-days must be at least 2") }
        guard maxDailyRuns >= 1 else { throw ValidationError("--max-daily-runs must be at least 1") }
        if let timeout { guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") } }
        guard lease.isFinite, lease >= 1, lease <= 7 * 86_400 else { throw ValidationError("--lease must be between 1 second and 7 days") }
    }

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "slowreg.run")
        let store: SQLStore
        var calendarValue: VersionCalendar?
        do {
            store = try storeOptions.open()
            if let calendar { calendarValue = try CalendarFile.read(path: calendar) }
        } catch {
            throw failWithBadInput("\(error)")
        }
        let definition = try model.definition()
        var fit = model.fitOptions(from: definition)
        fit.sampler.threads = 1
        if definition.kind == .stepLevel {
            // The step-level model has one sampler (its exact Gibbs sweep) and Student-t noise.
            fit.sampler.sampler = .gibbs
            fit.noise = .studentT
        }
        let job = SeriesJobOptions(model: definition.kind, fit: fit, preparation: SeriesPreparation(maxDailyRuns: maxDailyRuns),
                                   alertRule: alertRule.rule(over: definition.alertRule),
                                   calendar: calendarValue)
        var options = DailyRunOptions(runDate: runDate.day, historyDays: historyDays, job: job,
                                      replace: replace,
                                      filter: SeriesFilter(project: project, suite: suite, test: test, platform: platform),
                                      concurrency: model.threads, drawRetention: keepDraws.value,
                                      modelName: model.modelName(definition))
        options.claimLease = lease
        if let timeout { options.deadline = ContinuousClock().now + .milliseconds(Int64(timeout * 1000)) }
        logger.info("run \(options.runDate): model \(options.modelName), sampler \(fit.sampler.sampler.rawValue), store \(store.location)")
        let reporter = ProgressReporter(logger: logger, drawBar: !logging.quiet && logging.level <= .info)
        let summary: DailyRunSummary
        do {
            summary = try await DailyRun.run(store: store, options: options) { reporter.report($0) }
        } catch {
            reporter.finish()
            throw failWithBadInput("\(error)")
        }
        reporter.finish()
        if summary.notStarted > 0 {
            logger.warning("--timeout of \(timeout ?? 0) s reached: \(summary.notStarted) series not started; the next run fits them")
        }
        logger.info("run \(options.runDate) done: \(summary.fitted) fitted, \(summary.failed) failed, \(summary.alerts) alerts")
        switch format {
        case .table: printOut(RunSummaryText.table(summary))
        case .json: printOut(try RunSummaryText.json(summary, model: options.modelName))
        case .csv: printOut(RunSummaryText.csv(summary, model: options.modelName))
        }
        if summary.failed > 0 || summary.notStarted > 0 { throw ExitCode(ExitStatus.alertOrPartialFailure) }
    }
}

/// A progress bar on a terminal; log lines every 10% otherwise (logs, CI).
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let logger: Logger
    private let isTerminal: Bool
    private var lastDecile = -1
    private var drewBar = false

    init(logger: Logger, drawBar: Bool = true) {
        self.logger = logger
        isTerminal = drawBar && isatty(STDERR_FILENO) != 0
    }

    func report(_ p: DailyRunProgress) {
        lock.lock(); defer { lock.unlock() }
        let fraction = Double(p.done) / Double(Swift.max(1, p.total))
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let name = TerminalText.visible(p.series.displayName).prefix(40)
            FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(p.done)/\(p.total) \(name)".utf8))
            drewBar = true
        } else {
            let decile = Int(fraction * 10)
            if decile > lastDecile || p.done == p.total {
                lastDecile = decile
                logger.info("\(p.done)/\(p.total) series (\(Int(fraction * 100))%)")
            }
        }
        if case let .failed(message) = p.outcome {
            if drewBar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            logger.error("\(TerminalText.visible(p.series.displayName)) failed: \(boundedForErrorLine(TerminalText.visible(message)))")
        }
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
        drewBar = false
    }
}

enum RunSummaryText {
    static func table(_ s: DailyRunSummary) -> String {
        var out = "run \(s.runDate)\n"
        let rows: [(String, String)] = [
            ("series", "\(s.series)"), ("fitted", "\(s.fitted)"), ("skipped (already stored)", "\(s.skipped)"),
            ("claimed by another run", "\(s.claimedElsewhere)"), ("not started (timeout)", "\(s.notStarted)"),
            ("failed", "\(s.failed)"), ("flagged by diagnostics", "\(s.flagged)"),
            ("regressions found", "\(s.regressions)"), ("alerts", "\(s.alerts)"),
            ("comparisons unavailable", "\(s.unavailableComparisons)"),
            ("wall time", String(format: "%.1f s", s.wallSeconds)),
            ("store time", String(format: "%.1f s (summed over jobs)", s.storeSeconds)),
        ]
        for (k, v) in rows { out += "  " + k.padding(toLength: 26, withPad: " ", startingAt: 0) + v + "\n" }
        for f in s.failures { out += "  failed: \(TerminalText.visible(f))\n" }
        return out
    }

    struct Document: Encodable {
        var schema_version: Int
        var run_date: String
        var model: String
        var series, fitted, skipped, claimed_elsewhere, not_started, failed, flagged, regressions, alerts: Int
        var comparisons_unavailable: Int
        var wall_seconds: Double
        /// Time in store calls, summed over the concurrent jobs.
        var store_seconds: Double
        var failures: [String]
    }

    static func document(_ s: DailyRunSummary, model: String) -> Document {
        Document(schema_version: StoredComparisons.schemaVersion, run_date: s.runDate, model: model, series: s.series,
                 fitted: s.fitted, skipped: s.skipped, claimed_elsewhere: s.claimedElsewhere, not_started: s.notStarted,
                 failed: s.failed, flagged: s.flagged, regressions: s.regressions, alerts: s.alerts,
                 comparisons_unavailable: s.unavailableComparisons, wall_seconds: (s.wallSeconds * 1000).rounded() / 1000,
                 store_seconds: (s.storeSeconds * 1000).rounded() / 1000, failures: s.failures)
    }

    /// The summary as one JSON object (`run --format json`).
    static func json(_ s: DailyRunSummary, model: String) throws -> String {
        try PrettyJSON.document(document(s, model: model))
    }

    static let csvColumns = ["run_date", "model", "series", "fitted", "skipped", "claimed_elsewhere", "not_started",
                             "failed", "flagged", "regressions", "alerts", "comparisons_unavailable", "wall_seconds", "store_seconds"]

    static func csv(_ s: DailyRunSummary, model: String) -> String {
        let values = [s.runDate, CSVText.field(model)] + [s.series, s.fitted, s.skipped, s.claimedElsewhere, s.notStarted,
                      s.failed, s.flagged, s.regressions, s.alerts, s.unavailableComparisons].map { "\($0)" }
                      + [String(format: "%.3f", s.wallSeconds), String(format: "%.3f", s.storeSeconds)]
        return csvColumns.joined(separator: ",") + "\n" + values.joined(separator: ",") + "\n"
    }
}
