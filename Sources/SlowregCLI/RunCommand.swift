import ArgumentParser
import Foundation
import Pipeline
import CommandLineOptions
import SeriesAnalysis
import Sampling

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

    @Option(help: ArgumentHelp("The run date D (YYYY-MM-DD).", valueName: "date"))
    var date: String

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
            help: ArgumentHelp("Days whose individual draws are stored: comparison (D and its comparison days), N (those and the N days before D), all, or none.",
                               valueName: "comparison|N|all|none"))
    var keepDraws: KeepDraws = .retention(.comparisonDays)

    @Option(help: ArgumentHelp("Version calendar CSV (date, version, channel); default: versions carried by the data.",
                               valueName: "file"), completion: .file())
    var calendar: String?

    @OptionGroup var alertRule: AlertRuleOptions

    @Option(name: .customLong("max-daily-runs"), help: "Runs kept per calendar day.")
    var maxDailyRuns: Int = SeriesPreparation.defaultMaxDailyRuns

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard CalendarDay(iso8601: date) != nil else { throw ValidationError("--date '\(date)' is not a date (YYYY-MM-DD)") }
        guard historyDays >= 2 else { throw ValidationError("--history-days must be at least 2") }
        guard maxDailyRuns >= 1 else { throw ValidationError("--max-daily-runs must be at least 1") }
    }

    func run() async throws {
        let store: SQLiteStore
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
        let job = SeriesJobOptions(fit: fit, preparation: SeriesPreparation(maxDailyRuns: maxDailyRuns),
                                   alertRule: alertRule.rule,
                                   calendar: calendarValue)
        let options = DailyRunOptions(runDate: CalendarDay(iso8601: date)!, historyDays: historyDays, job: job,
                                      replace: replace,
                                      filter: SeriesFilter(project: project, suite: suite, test: test, platform: platform),
                                      concurrency: model.threads, drawRetention: keepDraws.value,
                                      modelName: model.modelName(definition))
        let reporter = ProgressReporter()
        let summary: DailyRunSummary
        do {
            summary = try await DailyRun.run(store: store, options: options) { reporter.report($0) }
        } catch {
            throw failWithBadInput("\(error)")
        }
        reporter.finish()
        printOut(RunSummaryText.table(summary))
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// A progress bar on a terminal; plain lines every 10% otherwise (logs, CI).
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDecile = -1
    private var drewBar = false

    func report(_ p: DailyRunProgress) {
        lock.lock(); defer { lock.unlock() }
        let fraction = Double(p.done) / Double(Swift.max(1, p.total))
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let name = p.series.displayName.prefix(40)
            FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(p.done)/\(p.total) \(name)".utf8))
            drewBar = true
        } else {
            let decile = Int(fraction * 10)
            if decile > lastDecile || p.done == p.total {
                lastDecile = decile
                FileHandle.standardError.write(Data("slowreg run: \(p.done)/\(p.total) series (\(Int(fraction * 100))%)\n".utf8))
            }
        }
        if case let .failed(message) = p.outcome {
            let prefix = isTerminal ? "\r\u{1B}[K" : ""
            FileHandle.standardError.write(Data("\(prefix)slowreg run: \(p.series.displayName) failed: \(message)\n".utf8))
        }
    }

    func finish() {
        if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

enum RunSummaryText {
    static func table(_ s: DailyRunSummary) -> String {
        var out = "run \(s.runDate)\n"
        let rows: [(String, String)] = [
            ("series", "\(s.series)"), ("fitted", "\(s.fitted)"), ("skipped (already stored)", "\(s.skipped)"),
            ("failed", "\(s.failed)"), ("flagged by diagnostics", "\(s.flagged)"),
            ("regressions found", "\(s.regressions)"), ("alerts", "\(s.alerts)"),
            ("comparisons unavailable", "\(s.unavailableComparisons)"),
            ("wall time", String(format: "%.1f s", s.wallSeconds)),
        ]
        for (k, v) in rows { out += "  " + k.padding(toLength: 26, withPad: " ", startingAt: 0) + v + "\n" }
        for f in s.failures { out += "  failed: \(f)\n" }
        return out
    }
}
