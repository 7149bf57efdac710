import ArgumentParser
import Foundation
import Store
import Ingest
import CommandLineOptions

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read performance results from files into the store.",
        discussion: """
            Formats (detected from content and extension, or named with --format):
              csv, tsv    delimited text with a header. The Treeherder export
                          layout (push_timestamp, value, revision, repository_name,
                          framework_id, machine_platform, test, suite,
                          lower_is_better, measurement_unit) needs no mapping;
                          other layouts take --columns MAPFILE.
              ndjson      one warehouse row per line: time, framework, platform,
                          project, revision, taskId and nested suites[]/subtests[].
              perfherder  a PERFHERDER_DATA document, or a task log with
                          PERFHERDER_DATA: lines; give time and platform with
                          --time/--platform or a sidecar NAME.meta.json.
            Timestamps: unix seconds (milliseconds from 10^11 on), ISO 8601,
            'YYYY-MM-DD HH:MM:SS' or a date; without a zone they are UTC; times
            before 2000-01-01 or more than a day ahead are refused. Files are read
            as streams (memory does not grow with their size); only regular files
            are read. Every file is checked completely before
            anything is stored: a bad row is reported as
            'FILE: line N, field "F": problem' with exit status 2 and the store
            unchanged. Ingesting the same rows again adds nothing.
            """)

    @Argument(help: ArgumentHelp("Files to read.", valueName: "file"), completion: .file())
    var files: [String]

    @Option(help: ArgumentHelp("Input format, instead of detecting it.", valueName: "csv|tsv|ndjson|perfherder"))
    var format: String?

    @Option(help: ArgumentHelp("YAML column map for delimited files (columns: field → header name; defaults: field → value).",
                               valueName: "mapfile"), completion: .file())
    var columns: String?

    @OptionGroup var selectOptions: SelectOptions

    @Option(help: ArgumentHelp("PERFHERDER_DATA: when the task ran (timestamp).", valueName: "time"))
    var time: String?
    @Option(help: ArgumentHelp("PERFHERDER_DATA: machine platform.", valueName: "platform"))
    var platform: String?
    @Option(help: ArgumentHelp("PERFHERDER_DATA: project (repository).", valueName: "project"))
    var project: String?
    @Option(help: ArgumentHelp("PERFHERDER_DATA: revision.", valueName: "revision"))
    var revision: String?
    @Option(name: .customLong("task-id"), help: ArgumentHelp("PERFHERDER_DATA: task id.", valueName: "id"))
    var taskId: String?
    @Option(help: ArgumentHelp("PERFHERDER_DATA: task label.", valueName: "label"))
    var label: String?
    @Option(name: .customLong("app-version"), help: ArgumentHelp("PERFHERDER_DATA: application version, e.g. 77.0b3.", valueName: "version"))
    var appVersion: String?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file to ingest") }
        if let format, InputFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let time {
            guard let instant = TimestampParser.parse(time) else {
                throw ValidationError("--time \(InputQuote.quoted(time)): \(TimestampParser.acceptedForms)")
            }
            if let problem = PlausibleTime.problem(instant) { throw ValidationError("--time \(InputQuote.quoted(time)): \(problem)") }
        }
    }

    func run() throws {
        do {
            let columnMap = try columns.map { (path) throws(ConfigError) in try ColumnMap.load(from: URL(fileURLWithPath: path)) }
                ?? .treeherderExport
            let metadata = PerfherderMetadata(time: time.flatMap(TimestampParser.parse), platform: platform, project: project,
                                              revision: revision, taskId: taskId, label: label, version: appVersion)
            let reader = RecordReader(format: format.flatMap(InputFormat.init(rawValue:)), columnMap: columnMap,
                                      perfherderMetadata: metadata)
            let ingestion = Ingestion(reader: reader, selection: try selectOptions.selection())
            let prepared = try ingestion.prepare(files: files.map { URL(fileURLWithPath: $0) })
            let store = try storeOptions.open()
            let reports = try ingestion.store(prepared, into: store)
            for report in reports { print(Self.summary(report, selecting: ingestion.selection.filters)) }
            if reports.count > 1 {
                let added = reports.reduce(0) { $0 + $1.added }
                let duplicates = reports.reduce(0) { $0 + $1.duplicates }
                print("total: \(reports.reduce(0) { $0 + $1.rowsRead }) rows read, \(added) added, \(duplicates) skipped as duplicates")
            }
        } catch let error as IngestError {
            throw failWithBadInput(error)
        } catch let error as ConfigError {
            throw failWithBadInput(error)
        } catch let error as StoreError {
            throw failWithBadInput(error)
        }
    }

    static func summary(_ report: Ingestion.FileReport, selecting: Bool) -> String {
        var line = "\(report.file) (\(report.format.rawValue)): \(report.rowsRead) rows read, \(report.added) added, "
            + "\(report.duplicates) skipped as duplicates"
        if selecting { line += ", \(report.filteredOut) not selected, \(report.deduplicated) de-duplicated" }
        if report.newSeries > 0 { line += "; \(report.newSeries) new series" }
        return line
    }
}
