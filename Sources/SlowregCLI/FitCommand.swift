import ArgumentParser
import Foundation
import NumericCore
import Jobs
import CommandLineOptions
import SeriesAnalysis
import Sampling

struct FitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit one series from a file and print per-day levels, intervals, diagnostics and comparisons.",
        discussion: """
            FILE is a CSV (or TSV) with a header, a time column (time, push_timestamp,
            timestamp or date) and a value column (y or value); other columns are
            ignored. Times without a zone are UTC. Nothing is stored.

            The series is prepared as the daily job does it (at most 5 runs a day,
            outliers flagged by the rolling-median rule and left out of the fit),
            fitted, recalibrated, and the last day (or --run-date) is compared with
            the days given by --compare, or with D-7, D-14 and, with --calendar,
            the ends of the two previous major versions.

            Formats: table (a summary and the last 14 days), json (the full,
            stable contract: model, days, diagnostics, timing, points,
            recalibration, modes, comparisons), csv (one row per day, the
            columns of the reference summaries).
            Exit status: 0 on success (also when diagnostics are flagged: see
            diagnostics.status), 2 on bad input.
            """)

    @Argument(help: ArgumentHelp("The series file.", valueName: "file"), completion: .file())
    var file: String

    @OptionGroup var model: ModelOptions

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Flag(name: .customLong("no-outliers"), help: "Keep outliers in the fit (skip the outlier rule).")
    var noOutliers = false

    @Flag(name: .customLong("no-recalibration"), help: "Report predictive intervals as fitted, without recalibration.")
    var noRecalibration = false

    @Option(name: .customLong("lower-is-better"), help: "Whether lower values are better (true) or higher (false).")
    var lowerIsBetter: Bool = true

    @Option(name: .customLong("max-daily-runs"), help: "Runs kept per calendar day (the first by time).")
    var maxDailyRuns: Int = SeriesPreparation.defaultMaxDailyRuns

    @Option(name: .customLong("run-date"), help: "The day to compare (YYYY-MM-DD, today or yesterday, UTC); default the last day with data.")
    var runDate: String?

    @Option(parsing: .upToNextOption, help: "Compare the run date with these days (YYYY-MM-DD …).")
    var compare: [String] = []

    @Option(help: ArgumentHelp("Version calendar: a CSV of build records (date, version, channel) for the version comparison days.",
                               valueName: "file"), completion: .file())
    var calendar: String?

    @OptionGroup var alertRule: AlertRuleOptions

    @Flag(name: .customLong("omit-timing"), help: "Leave timings out of JSON so the same seed gives byte-identical output.")
    var omitTiming = false

    func validate() throws {
        guard maxDailyRuns >= 1 else { throw ValidationError("--max-daily-runs must be at least 1") }
        if let runDate, CalendarDay(commandLine: runDate) == nil {
            throw ValidationError("--run-date '\(runDate)' is not a day (YYYY-MM-DD, today or yesterday)")
        }
        for day in compare where CalendarDay(commandLine: day) == nil {
            throw ValidationError("--compare '\(day)' is not a day (YYYY-MM-DD, today or yesterday)")
        }
    }

    func run() async throws {
        let rows: [SeriesRow]
        var calendarValue: VersionCalendar?
        do {
            rows = try SeriesFile.read(path: file)
            if let calendar { calendarValue = try CalendarFile.read(path: calendar) }
        } catch {
            throw failWithBadInput("\(error)")
        }
        let definition = try model.definition()
        var options = SeriesJobOptions(model: definition.kind, fit: model.fitOptions(from: definition),
                                       preparation: SeriesPreparation(maxDailyRuns: maxDailyRuns),
                                       filterOutliers: !noOutliers, recalibrate: !noRecalibration,
                                       lowerIsBetter: lowerIsBetter,
                                       alertRule: alertRule.rule(over: definition.alertRule))
        options.runDate = runDate.flatMap { CalendarDay(commandLine: $0) }
        options.comparisonDays = compare.isEmpty ? nil : compare.compactMap { CalendarDay(commandLine: $0) }
        options.calendar = calendarValue
        let result: SeriesJobResult
        do {
            result = try await SeriesJob.run(rows, options: options)
        } catch {
            throw failWithBadInput("\(file): \(error)")
        }
        let report = FitReport(result, options: options, includeTiming: !omitTiming)
        switch format {
        case .json:
            printOut(String(decoding: try report.json(), as: UTF8.self) + "\n")
        case .csv:
            printOut(FitReportText.csv(report))
        case .table:
            printOut(FitReportText.table(report))
        }
        if report.diagnostics.status != "good" {
            FileHandle.standardError.write(Data("slowreg: warning: diagnostics flagged this fit: \(report.diagnostics.warnings.joined(separator: "; "))\n".utf8))
        }
    }
}
