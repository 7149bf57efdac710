import Foundation
import SeriesAnalysis
import Store

/// Reads a flat delimited file with a header row (CSV, TSV; SPEC §3 source 1)
/// into records.
///
/// Rules: UTF-8 (a byte-order mark is skipped), CRLF or LF line ends, RFC 4180
/// quoting, delimiter detected from the header (comma, tab or semicolon) unless
/// given; blank lines before the header are skipped; columns found by
/// ``ColumnMap``; the row must have exactly as many fields as the header; `time`
/// is read by ``TimestampParser`` (zone-less = UTC) and must be a plausible run
/// time (``PlausibleTime``); `value` must be a finite decimal number; `suite` and
/// `platform` must not be empty; no text field may hold a control character
/// (``NameText``); a numeric framework cell is a Treeherder framework id
/// (``TreeherderFrameworks``).
///
/// ``parse(_:file:)`` reads text in memory; ``Stream`` reads a file chunk by
/// chunk and gives records as their rows complete.
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
        var stream = Stream(parser: self, file: file)
        var records: [PerfRecord] = []
        try stream.feed([UInt8](data), into: &records)
        try stream.finish(into: &records)
        return records
    }

    /// Parsing of one file whose bytes arrive in chunks: memory holds the chunk,
    /// the row in progress and the records of the chunk, whatever the file's size.
    public struct Stream: RecordStream {
        let parser: DelimitedRecordParser
        let location: IngestLocation
        /// The latest plausible time, fixed when the file is opened.
        let now: Date
        private var byteOrderMark = ByteOrderMarkFilter()
        /// The start of the text until the first row is whole and the delimiter known.
        private var firstRow: [UInt8] = []
        private var reader: DelimitedTextReader?
        private var rows: [DelimitedTextReader.Row] = []
        private var header: [String]?
        private var headerLine = 1
        private var indices: [RecordField: Int] = [:]
        /// Data rows read so far.
        public private(set) var rowCount = 0

        public init(parser: DelimitedRecordParser, file: String, now: Date = Date()) {
            self.parser = parser
            self.location = IngestLocation(file: file)
            self.now = now
        }

        public mutating func feed(_ chunk: [UInt8], into records: inout [PerfRecord]) throws(IngestError) {
            try consume(byteOrderMark.pass(chunk), into: &records)
        }

        public mutating func finish(into records: inout [PerfRecord]) throws(IngestError) {
            try consume(byteOrderMark.finish(), into: &records)
            if reader == nil { try start(into: &records) }
            do { try reader?.finish(into: &rows) } catch { throw failure(error) }
            try process(into: &records)
            guard header != nil else {
                throw location.error(line: 1, field: "(file)", "the file is empty; expected a header row and data rows")
            }
            guard rowCount > 0 else {
                throw location.error(line: headerLine, field: "(file)", "the file has a header but no data rows")
            }
        }

        private mutating func consume(_ bytes: [UInt8], into records: inout [PerfRecord]) throws(IngestError) {
            guard reader != nil else {
                firstRow += bytes
                if DelimitedTextReader.containsFirstRowEnd(firstRow) { try start(into: &records) }
                return
            }
            do { try reader?.feed(bytes, into: &rows) } catch { throw failure(error) }
            try process(into: &records)
        }

        /// Picks the delimiter from the first row and reads what was held back.
        private mutating func start(into records: inout [PerfRecord]) throws(IngestError) {
            reader = DelimitedTextReader(delimiter: parser.delimiter ?? DelimitedTextReader.detectDelimiter(firstRow))
            let held = firstRow
            firstRow = []
            do { try reader?.feed(held, into: &rows) } catch { throw failure(error) }
            try process(into: &records)
        }

        private mutating func process(into records: inout [PerfRecord]) throws(IngestError) {
            defer { rows.removeAll(keepingCapacity: true) }
            for row in rows {
                if let header {
                    rowCount += 1
                    records.append(try record(row, header: header))
                } else if !row.fields.allSatisfy(InputText.isBlank) {
                    try readHeader(row)
                }
            }
        }

        private mutating func readHeader(_ row: DelimitedTextReader.Row) throws(IngestError) {
            var names: [String] = []
            for (index, cell) in row.fields.enumerated() {
                guard let name = InputText.utf8String(cell) else {
                    throw location.error(line: row.line, field: "(header)", "column \(index + 1) is not valid UTF-8")
                }
                names.append(name.trimmingWhitespace)
            }
            indices = try parser.columnMap.resolve(header: names, location: location)
            for field in RecordField.required where indices[field] == nil && parser.columnMap.defaults[field] == nil {
                throw location.error(line: row.line, field: field.rawValue,
                                     "the header has no \(field.rawValue) column; expected one of "
                                     + field.defaultHeaderNames.joined(separator: ", ")
                                     + " (name it with a column map: --columns FILE)")
            }
            header = names
            headerLine = row.line
        }

        private func failure(_ failure: DelimitedTextReader.Failure) -> IngestError {
            // The header may be among the rows of this chunk, not yet read.
            let names = header ?? rows.first { !$0.fields.allSatisfy(InputText.isBlank) }?.fields
                .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace } ?? []
            func name(_ index: Int) -> String {
                index < names.count ? names[index] : "column \(index + 1)"
            }
            switch failure {
            case let .unterminatedQuote(line, index):
                return location.error(line: line, field: name(index), "a quoted field is never closed (missing \")")
            case let .textAfterClosingQuote(line, index):
                return location.error(line: line, field: name(index), "text after a closing quote; write a literal quote as \"\"")
            }
        }

        private func record(_ row: DelimitedTextReader.Row, header: [String]) throws(IngestError) -> PerfRecord {
            if row.fields.count < header.count {
                throw location.error(line: row.line, field: header[row.fields.count],
                                     "the row has \(row.fields.count) fields but the header has \(header.count); this column is missing")
            }
            if row.fields.count > header.count {
                throw location.error(line: row.line, field: "column \(header.count + 1)",
                                     "the row has \(row.fields.count) fields but the header has \(header.count)")
            }
            let indices = self.indices
            let defaults = parser.columnMap.defaults
            let location = self.location
            func columnName(_ field: RecordField) -> String {
                indices[field].map { header[$0] } ?? field.rawValue
            }
            func text(_ field: RecordField) throws(IngestError) -> String {
                var value = ""
                if let index = indices[field] {
                    guard let decoded = InputText.utf8String(row.fields[index]) else {
                        throw location.error(line: row.line, field: header[index], "not valid UTF-8")
                    }
                    value = decoded.trimmingWhitespace
                }
                if value.isEmpty, let fallback = defaults[field] { value = fallback }
                return value
            }
            /// Free text: a name, an id, a unit; no control characters.
            func name(_ field: RecordField) throws(IngestError) -> String {
                let value = try text(field)
                if let problem = NameText.problem(value) {
                    throw location.error(line: row.line, field: columnName(field), problem)
                }
                return value
            }

            let timeText = try text(.time)
            guard let time = TimestampParser.parse(timeText) else {
                throw location.error(line: row.line, field: columnName(.time),
                                     timeText.isEmpty ? "empty; a timestamp is required"
                                         : "\(InputQuote.quoted(timeText)) is not a timestamp; \(TimestampParser.acceptedForms)")
            }
            if let problem = PlausibleTime.problem(time, now: now) {
                throw location.error(line: row.line, field: columnName(.time), "\(InputQuote.quoted(timeText)): \(problem)")
            }
            let valueText = try text(.value)
            guard let value = ValueParsing.finiteDecimal(valueText) else {
                throw location.error(line: row.line, field: columnName(.value),
                                     valueText.isEmpty ? "empty; a number is required"
                                         : "\(InputQuote.quoted(valueText)) is not a finite number")
            }
            let suite = try name(.suite)
            guard !suite.isEmpty else { throw location.error(line: row.line, field: columnName(.suite), "empty; a suite name is required") }
            let platform = try name(.platform)
            guard !platform.isEmpty else {
                throw location.error(line: row.line, field: columnName(.platform), "empty; a platform is required")
            }
            let lowerText = try text(.lowerIsBetter)
            guard let lowerIsBetter = ValueParsing.optionalBool(lowerText) else {
                throw location.error(line: row.line, field: columnName(.lowerIsBetter),
                                     "\(InputQuote.quoted(lowerText)) is not true or false")
            }
            return PerfRecord(
                time: time, project: try name(.project),
                framework: TreeherderFrameworks.name(forCell: try name(.framework)),
                suite: suite, test: try name(.test), platform: platform, value: value,
                revision: try name(.revision), taskId: try name(.taskId), label: try name(.label),
                extraOptions: try name(.extraOptions), lowerIsBetter: lowerIsBetter,
                unit: try name(.unit), version: try name(.version), signature: try name(.signature))
        }
    }
}

/// A parser of one file's bytes arriving in chunks (``InputFile``): each call
/// appends the records its bytes complete; ``finish(into:)`` ends the file and
/// reports what only the whole file shows (empty, no data rows).
public protocol RecordStream {
    mutating func feed(_ chunk: [UInt8], into records: inout [PerfRecord]) throws(IngestError)
    mutating func finish(into records: inout [PerfRecord]) throws(IngestError)
}
