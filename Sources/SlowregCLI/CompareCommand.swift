import ArgumentParser
import Foundation
import Store
import Reports
import CommandLineOptions
import SeriesAnalysis

/// Series filters shared by the commands that read results.
struct SeriesFilterOptions: ParsableArguments {
    @Option(help: "Only this project.") var project: String?
    @Option(help: "Only this suite.") var suite: String?
    @Option(help: "Only this test (subtest).") var test: String?
    @Option(help: "Only this platform.") var platform: String?

    var filter: SeriesFilter { SeriesFilter(project: project, suite: suite, test: test, platform: platform) }
}

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a stored run date with its comparison days, or with any days.",
        discussion: """
            Without --days: the comparisons `run` stored (D-7, D-14, end of the two
            previous major versions). With --days: the change from each given day
            to D, computed from the stored level draws of both days (paired by draw,
            no refit). The latest run date of each series keeps the draws of every
            fitted day (a default `run`), older run dates those of D and their
            comparison days. Change is (level_D - level_day)/level_day in %;
            P(worse) is the share of draws where D is worse, P(>min) the share
            where it is worse by more than --min-change percent.
            """)

    @Option(name: .customLong("date"), help: ArgumentHelp("The stored run date D: \(dayHelpSuffix).", valueName: "date"))
    var runDate: DayArgument
    var date: String { runDate.description }

    @Option(name: .customLong("days"), parsing: .upToNextOption,
            help: ArgumentHelp("Days to compare D with (\(dayHelpSuffix) …).", valueName: "day"))
    var dayArguments: [DayArgument] = []
    var days: [String] { dayArguments.map(\.description) }

    @OptionGroup var seriesFilter: SeriesFilterOptions

    @OptionGroup var alertRule: AlertRuleOptions

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
    }

    func run() async throws {
        let records: [ComparisonRecord]
        let changeDays: [SeriesChangeDayRecord]
        do {
            let store = try storeOptions.openForReading()
            let rule = alertRule.choice
            records = days.isEmpty
                ? try StoredComparisons.stored(store: store, runDate: date, filter: seriesFilter.filter, rule: rule)
                : try StoredComparisons.fromDraws(store: store, runDate: date, days: days, filter: seriesFilter.filter, rule: rule)
            changeDays = try StoredComparisons.changeDays(store: store, runDate: date, filter: seriesFilter.filter)
        } catch {
            throw failWithBadInput("\(error)")
        }
        switch format {
        case .json: printOut(try StoredComparisons.json(records, runDate: date, changeDays: changeDays))
        case .csv: printOut(StoredComparisons.csv(records))
        case .table: printOut(StoredComparisons.table(records) + StoredComparisons.changeDaysTable(changeDays))
        }
    }
}

struct AlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "List the series whose run date is probably worse by more than a minimum change; exit 1 when any alert fires.",
        discussion: """
            A comparison of D with a comparison day fires when the posterior probability
            that D is worse by more than --min-change percent reaches --threshold:
            P(change > min) >= threshold (lower is better; P(change < -min) when higher
            is better). Without the options, the rule `run` applied is used (its model
            definition's, per suite; default threshold \(AlertRule.defaultThreshold), minimum \(AlertRule.defaultMinimumChange)%).
            Alerts are per series and run date, with a stable id, the fit's status,
            the firing comparisons, the change days, and new: false when the series
            also alerted on the previous run date. Fits flagged by their diagnostics
            are held back unless --include-flagged.
            JSON (default): {"schema_version": 1, "run_date", "alerts": [...], "held_back": [...]}.
            Exit status: 1 when any alert fires, 0 when none, 2 on bad input (no
            results for the date, a filter that matches no series).
            """)

    @Option(name: .customLong("date"), help: ArgumentHelp("The stored run date D: \(dayHelpSuffix).", valueName: "date"))
    var runDate: DayArgument
    var date: String { runDate.description }

    @OptionGroup var alertRule: AlertRuleOptions

    @OptionGroup var seriesFilter: SeriesFilterOptions

    @Flag(name: .customLong("include-flagged"), help: "Also report (and exit 1 for) alerts of fits flagged by their diagnostics.")
    var includeFlagged = false

    @Flag(name: .customLong("new-only"), help: "Only alerts that are new (the series did not alert on the previous run date).")
    var newOnly = false

    @Option(help: "Output format: json (default), table or csv.")
    var format: OutputFormat = .json

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        var report: AlertReport
        do {
            let store = try storeOptions.openForReading()
            report = try Alerts.report(store: store, runDate: date, filter: seriesFilter.filter, rule: alertRule.choice,
                                       includeFlagged: includeFlagged)
        } catch {
            throw failWithBadInput("\(error)")
        }
        if newOnly { report.alerts = report.alerts.filter(\.new) }
        switch format {
        case .json: printOut(try report.json())
        case .csv: printOut(report.csv())
        case .table: printOut(report.table())
        }
        if !report.alerts.isEmpty { throw ExitCode(ExitStatus.alertOrPartialFailure) }
    }
}
