import ArgumentParser
import Foundation
import Reports
import CommandLineOptions

struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Check the store: which run dates and tables are filled or missing, per series.",
        discussion: """
            Prints the schema version and SQLite integrity, row counts, for each run
            date how many series each result table holds and how many fits were
            good / flagged / failed, run dates missing between the first and the
            last, and for each series its data range and latest result.
            Exit status: 0 when healthy, 1 when problems were found, 2 on error.
            """)

    @Option(help: "Output format: table, json (an object with schema_version) or csv (one row per run date).")
    var format: OutputFormat = .table

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let health: StoreHealth
        let location: String
        do {
            let store = try storeOptions.openForReading()
            location = store.location   // a PostgreSQL URL without its password
            health = StoreHealth(try store.coverage())
        } catch {
            throw failWithBadInput("\(error)")
        }
        switch format {
        case .json:
            printOut(try health.json())
        case .csv:
            printOut(health.csv())
        case .table:
            printOut("store \(location): " + health.table())
        }
        if !health.isHealthy { throw ExitCode(1) }
    }
}
