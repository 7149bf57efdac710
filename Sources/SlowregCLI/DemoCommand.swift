import ArgumentParser
import Foundation
import Store
import Ingest
import Reports
import Jobs
import CommandLineOptions
import SeriesAnalysis
import Logging

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run slowreg end to end on bundled sample data.",
        discussion: """
            Writes six synthetic series with known behaviour (a step regression, a
            slow drift, a steady series, a higher-is-better score that dropped, an
            improvement, a bimodal series) and ingests them with two real Mozilla
            series into the store, runs the daily job for \(DemoSeries.lastDay),
            and prints the comparison table and the alerts. Running it again reuses
            what is stored (add --replace to refit).
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Refit series already stored for the demo date.")
    var replace = false

    @Option(help: "Threads (series fitted at once).")
    var threads: Int = 0

    func run() async throws {
        let store: SQLStore
        do { store = try storeOptions.open() } catch { throw failWithBadInput("\(error)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slowreg-demo-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try DemoSeries.writeAll(to: directory) + DemoSeries.realSeriesFiles
        let reports = try Ingestion().ingest(files: files, into: store)
        let added = reports.reduce(0) { $0 + $1.added }
        printOut("ingested \(files.count) files into \(store.location): \(added) new rows\n")

        var options = DailyRunOptions(runDate: DemoSeries.lastDay, replace: replace, modelName: "spline-gaussian")
        if threads > 0 { options.concurrency = threads }
        let reporter = ProgressReporter(logger: Logger(label: "slowreg.demo"))
        let summary = try await DailyRun.run(store: store, options: options) { reporter.report($0) }
        reporter.finish()
        printOut(RunSummaryText.table(summary) + "\n")

        let date = DemoSeries.lastDay.description
        let all = try StoredComparisons.stored(store: store, runDate: date, filter: SeriesFilter())
        printOut("comparisons of \(date) (change of the level in %, P(worse) = probability that \(date) is worse):\n")
        printOut(StoredComparisons.table(all))
        let alerts = all.filter(\.alert)
        printOut("\nalerts (P(worse by more than \(AlertRule.defaultMinimumChange)%) ≥ \(AlertRule.defaultThreshold)): \(alerts.count)\n")
        printOut(StoredComparisons.table(alerts))
        printOut("\nwhat the synthetic series were made to show:\n")
        for s in DemoSeries.all { printOut("  \(s.suite) / \(s.platform): \(s.expectation)\n") }
        printOut("\nnext: slowreg compare --date \(date) --store \(store.location)\n")
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
