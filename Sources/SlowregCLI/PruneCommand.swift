import ArgumentParser
import Foundation
import Store
import CommandLineOptions

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the results of old run dates from the store.",
        discussion: """
            Removes whole run dates — their model input references, intervals, draws,
            comparisons, diagnostics and claims — and the model input chunks no other
            run date uses, in one transaction. Measurements and series are kept. A
            run date is kept only when every rule given keeps it: --keep-run-dates N
            keeps the N most recent run dates of the store, --keep-days N those within
            the N days ending with the latest. --dry-run counts what would go and
            changes nothing. --vacuum then gives the freed space back to the file
            system (SQLite VACUUM: rewrites the file; needs that much free space).
            Exit status: 0 done (or dry run), 2 bad input (no rule, N < 1, no store).
            """)

    @Option(name: .customLong("keep-run-dates"), help: ArgumentHelp("Keep the N most recent run dates.", valueName: "N"))
    var keepRunDates: Int?

    @Option(name: .customLong("keep-days"), help: ArgumentHelp("Keep the run dates within the N days ending with the latest run date.",
                                                                valueName: "N"))
    var keepDays: Int?

    @Flag(name: .customLong("dry-run"), help: "Print what would be removed; change nothing.")
    var dryRun = false

    @Flag(help: "After removing, rewrite the file to return the freed space (VACUUM).")
    var vacuum = false

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard keepRunDates != nil || keepDays != nil else {
            throw ValidationError("give --keep-run-dates N or --keep-days N (or both)")
        }
        if let n = keepRunDates, n < 1 { throw ValidationError("--keep-run-dates must be at least 1, not \(n)") }
        if let n = keepDays, n < 1 { throw ValidationError("--keep-days must be at least 1, not \(n)") }
        if dryRun && vacuum { throw ValidationError("--vacuum changes the file; it cannot go with --dry-run") }
    }

    func run() throws {
        let report: PruneReport
        do {
            // Opened read-only first: a missing store (file or empty database) is an error, never created.
            let reader = try storeOptions.openForReading()
            let request = PruneRequest(keepRunDates: keepRunDates, keepDays: keepDays, dryRun: dryRun)
            if dryRun {
                report = try reader.prune(request)
            } else {
                let store = try storeOptions.open()
                report = try store.prune(request)
                if vacuum { try store.vacuum() }
            }
        } catch {
            throw failWithBadInput("\(error)")
        }
        printOut(Self.render(report, format: format))
    }

    static func render(_ report: PruneReport, format: OutputFormat) -> String {
        let tables = report.removedRows.keys.sorted()
        switch format {
        case .json:
            var object = "{\"schema_version\": 1, \"dry_run\": \(report.dryRun), \"kept_run_dates\": \(report.keptRunDates), "
            object += "\"removed_run_dates\": [" + report.removedRunDates.map { "\"\($0)\"" }.joined(separator: ", ") + "], "
            object += "\"removed_rows\": {" + tables.map { "\"\($0)\": \(report.removedRows[$0] ?? 0)" }.joined(separator: ", ") + "}}\n"
            return object
        case .csv:
            var out = "run_date,action\n"
            for date in report.removedRunDates { out += "\(date),\(report.dryRun ? "would remove" : "removed")\n" }
            return out
        case .table:
            let verb = report.dryRun ? "would remove" : "removed"
            guard !report.removedRunDates.isEmpty else { return "nothing to remove; \(report.keptRunDates) run dates kept\n" }
            var out = "\(verb) \(report.removedRunDates.count) run dates (\(report.removedRunDates.first ?? "") … \(report.removedRunDates.last ?? "")); \(report.keptRunDates) kept\n"
            for table in tables { out += "  \(table.padding(toLength: 20, withPad: " ", startingAt: 0)) \(report.removedRows[table] ?? 0) rows\n" }
            return out
        }
    }
}
