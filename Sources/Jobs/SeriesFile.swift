import Foundation
import SeriesAnalysis
import Store
import Ingest

/// Reads one series for `slowreg fit`: a delimited file with a header, a time
/// column (`time`, `push_timestamp`, `timestamp` or `date`) and a value column
/// (`y` or `value`). Parsing, quoting and error messages are the ingest
/// reader's, so a bad row is reported as `FILE: line N, field "F": problem`,
/// and times outside ``PlausibleTime`` are refused as ingest refuses them.
public enum SeriesFile {
    public static let timeColumns = ["time", "push_timestamp", "timestamp", "date"]
    public static let valueColumns = ["y", "value"]

    public static func read(path: String) throws -> [SeriesRow] {
        // A directory, FIFO or device is named for what it is (ingest's rule).
        let data = try InputFile(url: URL(fileURLWithPath: path)).readAll()
        let header = headerNames(data)
        guard let time = timeColumns.first(where: header.contains) else {
            throw IngestError(file: path, line: 1, field: "(header)",
                              problem: "no time column: expected one of \(timeColumns.joined(separator: ", "))")
        }
        guard let value = valueColumns.first(where: header.contains) else {
            throw IngestError(file: path, line: 1, field: "(header)",
                              problem: "no value column: expected one of \(valueColumns.joined(separator: ", "))")
        }
        // Suite and platform do not matter for one series; fill them in.
        let map = ColumnMap(columns: [.time: time, .value: value],
                            defaults: [.suite: "series", .platform: "series"])
        let records = try DelimitedRecordParser(columnMap: map).parse(data, file: path)
        return records.map { SeriesRow(time: $0.time, value: $0.value) }
    }

    /// Lower-cased header names of the first line (BOM and quotes removed).
    static func headerNames(_ data: Data) -> [String] {
        var text = String(decoding: data.prefix(4096), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let delimiter: Character = firstLine.contains("\t") ? "\t" : ","
        return firstLine.split(separator: delimiter).map {
            $0.trimmingWhitespace.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
        }
    }
}

/// Reads a version calendar from a CSV of build records with a header holding
/// `date` (or `time`), `version` and optionally `channel` (default `beta`).
public enum CalendarFile {
    public static func read(path: String) throws -> VersionCalendar {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IngestError(file: path, line: 0, field: "(file)", problem: "cannot be read: \(error.localizedDescription)")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw IngestError(file: path, line: 1, field: "(header)", problem: "empty file; expected a header with date, version, channel")
        }
        let header = headerLine.split(separator: ",").map { $0.trimmingWhitespace.lowercased() }
        guard let dateIndex = header.firstIndex(of: "date") ?? header.firstIndex(of: "time") else {
            throw IngestError(file: path, line: 1, field: "(header)", problem: "no date column")
        }
        guard let versionIndex = header.firstIndex(of: "version") else {
            throw IngestError(file: path, line: 1, field: "(header)", problem: "no version column")
        }
        let channelIndex = header.firstIndex(of: "channel")
        var records: [BuildRecord] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingWhitespace.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace }
            let needed = Swift.max(dateIndex, versionIndex, channelIndex ?? 0)
            guard fields.count > needed else {
                throw IngestError(file: path, line: offset + 1, field: "(row)", problem: "too few fields")
            }
            guard let date = TimestampParser.parse(fields[dateIndex]) else {
                throw IngestError(file: path, line: offset + 1, field: header[dateIndex],
                                  problem: "\(InputQuote.quoted(fields[dateIndex])) is not a date")
            }
            records.append(BuildRecord(date: date, version: fields[versionIndex],
                                       channel: channelIndex.map { fields[$0] } ?? "beta"))
        }
        do {
            return try VersionCalendar(buildRecords: records)
        } catch {
            throw IngestError(file: path, line: 0, field: "version", problem: error.description)
        }
    }
}
