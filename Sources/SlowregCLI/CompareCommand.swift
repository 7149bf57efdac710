import ArgumentParser
import Foundation
import Pipeline
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
            to D, computed from the stored draws of both days (paired by draw);
            `run` stores draws for D and its comparison days by default, all days
            with --keep-draws all. Change is (level_D - level_day)/level_day in %;
            P(worse) is the share of draws where D is worse.
            """)

    @Option(help: ArgumentHelp("The stored run date D (YYYY-MM-DD).", valueName: "date"))
    var date: String

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Days to compare D with (YYYY-MM-DD …).", valueName: "day"))
    var days: [String] = []

    @OptionGroup var seriesFilter: SeriesFilterOptions

    @OptionGroup var alertRule: AlertRuleOptions

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard CalendarDay(iso8601: date) != nil else { throw ValidationError("--date '\(date)' is not a date (YYYY-MM-DD)") }
        for d in days where CalendarDay(iso8601: d) == nil { throw ValidationError("--days '\(d)' is not a date (YYYY-MM-DD)") }
    }

    func run() async throws {
        let records: [ComparisonRecord]
        do {
            let store = try storeOptions.open()
            let rule = alertRule.rule
            records = days.isEmpty
                ? try StoredComparisons.stored(store: store, runDate: date, filter: seriesFilter.filter, rule: rule)
                : try StoredComparisons.fromDraws(store: store, runDate: date, days: days, filter: seriesFilter.filter, rule: rule)
        } catch {
            throw failWithBadInput("\(error)")
        }
        switch format {
        case .json: printOut(try StoredComparisons.json(records))
        case .csv: printOut(StoredComparisons.csv(records))
        case .table: printOut(StoredComparisons.table(records))
        }
    }
}

struct AlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "List the comparisons of a run date that fire an alert; exit 1 when any does.",
        discussion: """
            An alert fires when P(worse) >= --threshold and |median change| >= --min-change
            (percent). Output (JSON by default) is a list with one object per firing
            comparison: project, suite, test, platform, run_date, label, date, p05,
            p10, p50, p90, p95, p_worse, regression, alert.
            Exit status: 1 when any alert fires, 0 when none, 2 on error.
            """)

    @Option(help: ArgumentHelp("The stored run date D (YYYY-MM-DD).", valueName: "date"))
    var date: String

    @OptionGroup var alertRule: AlertRuleOptions

    @OptionGroup var seriesFilter: SeriesFilterOptions

    @Option(help: "Output format: json (default), table or csv.")
    var format: OutputFormat = .json

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard CalendarDay(iso8601: date) != nil else { throw ValidationError("--date '\(date)' is not a date (YYYY-MM-DD)") }
    }

    func run() async throws {
        let alerts: [ComparisonRecord]
        do {
            let store = try storeOptions.open()
            alerts = try StoredComparisons.stored(store: store, runDate: date, filter: seriesFilter.filter,
                                                  rule: alertRule.rule)
                .filter(\.alert)
        } catch {
            throw failWithBadInput("\(error)")
        }
        switch format {
        case .json: printOut(try StoredComparisons.json(alerts))
        case .csv: printOut(StoredComparisons.csv(alerts))
        case .table: printOut(StoredComparisons.table(alerts))
        }
        if !alerts.isEmpty { throw ExitCode(1) }
    }
}
