import Foundation
import SeriesAnalysis

/// Reads a flat delimited file with a header row (CSV, TSV; SPEC §3 source 1)
/// into records. The whole file is checked before anything is returned, so a
/// bad row anywhere rejects the file.
///
/// Rules: UTF-8 (a byte-order mark is skipped), CRLF or LF line ends, RFC 4180
/// quoting, delimiter detected from the header (comma, tab or semicolon) unless
/// given; columns found by ``ColumnMap``; the row must have exactly as many fields
/// as the header; `time` is read by ``TimestampParser`` (zone-less = UTC); `value`
/// must be a finite decimal number; `suite` and `platform` must not be empty;
/// a numeric framework cell is a Treeherder framework id (``TreeherderFrameworks``).
public struct DelimitedRecordParser: Sendable {
    public var columnMap: ColumnMap
    /// `nil` detects the delimiter from the header.
    public var delimiter: UInt8?

    public init(columnMap: ColumnMap = .treeherderExport, delimiter: UInt8? = nil) {
        self.columnMap = columnMap
        self.delimiter = delimiter
    }

    /// Parses `data`; `file` names the source in errors.
    public func parse(_ data: Data, file: String) throws(IngestError) -> [PerfRecord] {
        let location = IngestLocation(file: file)
        let bytes = InputText.bytesWithoutBOM(data)
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw location.error(line: 1, field: "(file)", "the file is empty; expected a header row and data rows")
        }
        let chosenDelimiter = delimiter ?? DelimitedTextReader.detectDelimiter(bytes)
        let reader = DelimitedTextReader(delimiter: chosenDelimiter)

        var header: [String] = []
        let rows: [DelimitedTextReader.Row]
        do {
            rows = try reader.rows(bytes)
        } catch {
            let headerNames = (try? DelimitedTextReader(delimiter: chosenDelimiter).rows(Array(bytes.prefix { $0 != 0x0A })))?
                .first?.fields.map { String(decoding: $0, as: UTF8.self) } ?? []
            switch error {
            case let .unterminatedQuote(line, index):
                throw location.error(line: line, field: Self.name(index, headerNames),
                                     "a quoted field is never closed (missing \")")
            case let .textAfterClosingQuote(line, index):
                throw location.error(line: line, field: Self.name(index, headerNames),
                                     "text after a closing quote; write a literal quote as \"\"")
            }
        }
        guard let headerRow = rows.first else {
            throw location.error(line: 1, field: "(file)", "the file is empty; expected a header row and data rows")
        }
        for (index, cell) in headerRow.fields.enumerated() {
            guard let name = InputText.utf8String(cell) else {
                throw location.error(line: headerRow.line, field: "(header)", "column \(index + 1) is not valid UTF-8")
            }
            header.append(name.trimmingWhitespace)
        }
        let indices = try columnMap.resolve(header: header, location: location)
        for field in RecordField.required where indices[field] == nil && columnMap.defaults[field] == nil {
            throw location.error(line: headerRow.line, field: field.rawValue,
                                 "the header has no \(field.rawValue) column; expected one of "
                                 + field.defaultHeaderNames.joined(separator: ", ")
                                 + " (name it with a column map: --columns FILE)")
        }
        guard rows.count > 1 else {
            throw location.error(line: headerRow.line, field: "(file)", "the file has a header but no data rows")
        }

        var records: [PerfRecord] = []
        records.reserveCapacity(rows.count - 1)
        for row in rows.dropFirst() {
            records.append(try record(row, header: header, indices: indices, location: location))
        }
        return records
    }

    private static func name(_ index: Int, _ header: [String]) -> String {
        index < header.count ? header[index] : "column \(index + 1)"
    }

    private func record(_ row: DelimitedTextReader.Row, header: [String], indices: [RecordField: Int],
                        location: IngestLocation) throws(IngestError) -> PerfRecord {
        if row.fields.count < header.count {
            throw location.error(line: row.line, field: header[row.fields.count],
                                 "the row has \(row.fields.count) fields but the header has \(header.count); this column is missing")
        }
        if row.fields.count > header.count {
            throw location.error(line: row.line, field: "column \(header.count + 1)",
                                 "the row has \(row.fields.count) fields but the header has \(header.count)")
        }
        func text(_ field: RecordField) throws(IngestError) -> String {
            var value = ""
            if let index = indices[field] {
                guard let decoded = InputText.utf8String(row.fields[index]) else {
                    throw location.error(line: row.line, field: header[index], "not valid UTF-8")
                }
                value = decoded.trimmingWhitespace
            }
            if value.isEmpty, let fallback = columnMap.defaults[field] { value = fallback }
            return value
        }
        func columnName(_ field: RecordField) -> String {
            indices[field].map { header[$0] } ?? field.rawValue
        }

        let timeText = try text(.time)
        guard let time = TimestampParser.parse(timeText) else {
            throw location.error(line: row.line, field: columnName(.time),
                                 timeText.isEmpty ? "empty; a timestamp is required"
                                     : "\"\(timeText)\" is not a timestamp; \(TimestampParser.acceptedForms)")
        }
        let valueText = try text(.value)
        guard let value = ValueParsing.finiteDecimal(valueText) else {
            throw location.error(line: row.line, field: columnName(.value),
                                 valueText.isEmpty ? "empty; a number is required"
                                     : "\"\(valueText)\" is not a finite number")
        }
        let suite = try text(.suite)
        guard !suite.isEmpty else { throw location.error(line: row.line, field: columnName(.suite), "empty; a suite name is required") }
        let platform = try text(.platform)
        guard !platform.isEmpty else {
            throw location.error(line: row.line, field: columnName(.platform), "empty; a platform is required")
        }
        let lowerText = try text(.lowerIsBetter)
        guard let lowerIsBetter = ValueParsing.optionalBool(lowerText) else {
            throw location.error(line: row.line, field: columnName(.lowerIsBetter),
                                 "\"\(lowerText)\" is not true or false")
        }
        return PerfRecord(
            time: time, project: try text(.project),
            framework: TreeherderFrameworks.name(forCell: try text(.framework)),
            suite: suite, test: try text(.test), platform: platform, value: value,
            revision: try text(.revision), taskId: try text(.taskId), label: try text(.label),
            extraOptions: try text(.extraOptions), lowerIsBetter: lowerIsBetter,
            unit: try text(.unit), version: try text(.version))
    }
}
