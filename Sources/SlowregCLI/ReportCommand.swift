import ArgumentParser
import Foundation
import Reports
import CommandLineOptions
import SeriesAnalysis

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the results of a run date as one self-contained HTML page with SVG charts.",
        discussion: """
            Reads what `run` stored for --date and writes one HTML file that needs no
            network to view: a summary of every series (highest P(worse) first, the
            median change against each comparison day, the regression flag and a
            diagnostics badge), then per series the runs, the 50% and 90%
            predictive bands and the median level for every day, markers at the
            comparison days and major-version changes, and the distribution of the
            change against each comparison day with P(worse).
            --suite, --platform, --project and --test may each be given several
            times. Exit status: 0 when written, 2 on bad input (no results for the
            date, unwritable file).
            Example: slowreg report --date 2024-05-06 --out report.html --regressions-only
            """)

    @Option(name: .customLong("date"), help: ArgumentHelp("The stored run date D: \(dayHelpSuffix).", valueName: "date"))
    var runDate: DayArgument
    var date: String { runDate.description }

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file"), completion: .file(extensions: ["html"]))
    var out: String

    @Flag(name: .customLong("regressions-only"), help: "Only series with a comparison flagged as a regression.")
    var regressionsOnly = false

    @Option(help: ArgumentHelp("Only this suite (repeatable).", valueName: "suite")) var suite: [String] = []
    @Option(help: ArgumentHelp("Only this platform (repeatable).", valueName: "platform")) var platform: [String] = []
    @Option(help: ArgumentHelp("Only this project (repeatable).", valueName: "project")) var project: [String] = []
    @Option(help: ArgumentHelp("Only this test (subtest; repeatable).", valueName: "test")) var test: [String] = []

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out needs a file name") }
    }

    func run() throws {
        let selection = ReportSelection(projects: project, suites: suite, tests: test, platforms: platform,
                                        regressionsOnly: regressionsOnly)
        let content: ReportContent
        do {
            content = try ReportContent.load(store: try storeOptions.openForReading(), runDate: date, selection: selection)
        } catch {
            throw failWithBadInput("\(error)")
        }
        do {
            try Data(ReportHTML.render(content).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw failWithBadInput("\(out): cannot write the report: \(error.localizedDescription)")
        }
        let regressions = content.series.filter(\.hasRegression).count
        printOut("\(out): \(content.series.count) series, \(regressions) with a regression\n")
    }
}
