import ArgumentParser
import Foundation
import Reports
import CommandLineOptions

extension WarehouseExport.Table: ExpressibleByArgument {}
extension WarehouseExport.Format: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the comparisons, intervals and draws of a run date as CSV or NDJSON files for warehouse engines.",
        discussion: """
            One file per table, named TABLE.csv or TABLE.ndjson in --out DIR (created
            when missing; each file is written whole or not at all), or one table on
            standard output with --out -. CSV has a header row; NDJSON is one JSON
            object per line with every column as a key (null when absent). Columns
            are listed in the README ("slowreg export"). Draws: one row per draw of
            each stored day (every fitted day for the latest run date of a series:
            about 365,000 rows a series; restrict with --days).
            Exit status: 0 written, 2 bad input (no results for the date, a filter
            that matches no series, a directory that cannot be written).
            """)

    @Option(name: .customLong("date"), help: ArgumentHelp("The stored run date D: \(dayHelpSuffix).", valueName: "date"))
    var runDate: DayArgument

    @Option(name: .customLong("what"), help: ArgumentHelp("A table to export (repeatable): comparisons, intervals, draws. Default: all three.",
                                                     valueName: "table"))
    var tables: [WarehouseExport.Table] = []

    @Option(help: "File format: csv or ndjson.")
    var format: WarehouseExport.Format = .csv

    @Option(help: ArgumentHelp("Directory for the files, or - for standard output (one --what).", valueName: "dir|-"))
    var out: String = "-"

    @Option(name: .customLong("days"), parsing: .upToNextOption,
            help: ArgumentHelp("Only these days of intervals and draws (\(dayHelpSuffix) …).", valueName: "day"))
    var dayArguments: [DayArgument] = []

    @OptionGroup var seriesFilter: SeriesFilterOptions

    @OptionGroup var storeOptions: StoreOptions

    /// The tables asked for, each once, in the order given.
    var chosenTables: [WarehouseExport.Table] {
        guard !tables.isEmpty else { return WarehouseExport.Table.allCases }
        var seen = Set<WarehouseExport.Table>()
        return tables.filter { seen.insert($0).inserted }
    }

    func validate() throws {
        if out == "-" && chosenTables.count != 1 {
            throw ValidationError("--out - writes one table to standard output: give one --what, or --out DIR for several")
        }
    }

    func run() throws {
        let date = runDate.description
        let days = dayArguments.isEmpty ? nil : dayArguments.map(\.description)
        do {
            let store = try storeOptions.openForReading()
            // Before any file or directory is made: nothing to export is bad input.
            guard try store.runDates().contains(date) else { throw ComparisonQueryError.noRun(date) }
            if out == "-" {
                let table = chosenTables[0]
                _ = try WarehouseExport.export(store: store, runDate: date, table: table, format: format,
                                               filter: seriesFilter.filter, days: days) { FileHandle.standardOutput.write($0) }
                return
            }
            let directory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for table in chosenTables {
                try Self.writeFile(directory.appendingPathComponent("\(table.rawValue).\(format.fileExtension)")) { write in
                    _ = try WarehouseExport.export(store: store, runDate: date, table: table, format: format,
                                                   filter: seriesFilter.filter, days: days, write: write)
                }
            }
        } catch {
            throw failWithBadInput("\(error)")
        }
    }

    /// Writes `url` through a temporary file in the same directory, renamed
    /// over it at the end: a failed export leaves no partial file.
    static func writeFile(_ url: URL, _ body: (_ write: (Data) throws -> Void) throws -> Void) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ExportFileError(path: url.path, reason: "cannot create a file in \(url.deletingLastPathComponent().path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try body { try handle.write(contentsOf: $0) }
            try handle.synchronize()
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

struct ExportFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}
