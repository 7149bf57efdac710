import Foundation
import Store

/// Reads newline-delimited JSON rows of the warehouse table that holds perfherder
/// data (SPEC §3 source 2). Each non-blank line is one object:
///
/// ```json
/// {"time": "2020-05-01T10:00:00Z", "framework": "talos", "platform": "windows10-64-shippable",
///  "project": "mozilla-beta", "revision": "abc123", "taskId": "Xy…", "label": "…",
///  "suites": [{"name": "tabswitch", "value": 12.5, "extraOptions": ["e10s"],
///              "subtests": [{"name": "…", "value": 3.1, "replicates": [3.0, 3.2], "shouldAlert": false}]}]}
/// ```
/// `time` (unix seconds or milliseconds, or a ``TimestampParser`` text; a
/// plausible run time, ``PlausibleTime``), `platform` and `suites` are required;
/// `framework` may be a name, a Treeherder id or `{"name": …}`; `label`,
/// `version`, per-suite `lowerIsBetter`/`unit` are read when present. Records
/// come from ``SuiteExpansion``. ``Stream`` reads a file line by line.
public struct WarehouseRowParser: Sendable {
    public init() {}

    public func parse(_ data: Data, file: String) throws(IngestError) -> [PerfRecord] {
        var stream = Stream(file: file)
        var records: [PerfRecord] = []
        try stream.feed([UInt8](data), into: &records)
        try stream.finish(into: &records)
        return records
    }

    /// Parsing of one file whose bytes arrive in chunks; memory holds the line in
    /// progress and the records of the chunk.
    public struct Stream: RecordStream {
        let location: IngestLocation
        let now: Date
        private var byteOrderMark = ByteOrderMarkFilter()
        private var splitter = LineSplitter()
        private var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        private var sawRow = false

        public init(file: String, now: Date = Date()) {
            location = IngestLocation(file: file)
            self.now = now
        }

        public mutating func feed(_ chunk: [UInt8], into records: inout [PerfRecord]) throws(IngestError) {
            splitter.feed(byteOrderMark.pass(chunk), into: &lines)
            try process(into: &records)
        }

        public mutating func finish(into records: inout [PerfRecord]) throws(IngestError) {
            splitter.feed(byteOrderMark.finish(), into: &lines)
            splitter.finish(into: &lines)
            try process(into: &records)
            guard sawRow else {
                throw location.error(line: 1, field: "(file)", "the file is empty; expected one JSON object per line")
            }
        }

        private mutating func process(into records: inout [PerfRecord]) throws(IngestError) {
            defer { lines.removeAll(keepingCapacity: true) }
            for (number, bytes) in lines where !InputText.isBlank(bytes) {
                sawRow = true
                records += try rowRecords(number: number, bytes: bytes)
            }
        }

        private func rowRecords(number: Int, bytes: ArraySlice<UInt8>) throws(IngestError) -> [PerfRecord] {
            let reader = JSONFieldReader(location: location, line: number, now: now)
            guard InputText.utf8String(bytes) != nil else { throw reader.fail("(row)", "not valid UTF-8") }
            let row: JSONValue
            do { row = try JSONValue.parse(Data(bytes)) } catch {
                throw reader.fail("(row)", "not valid JSON")
            }
            guard let members = row.objectMembers else {
                throw reader.fail("(row)", "expected a JSON object, found \(row.typeName)")
            }
            let suites = try reader.list(members["suites"], "suites", required: true)
            let context = SuiteExpansion.Context(
                time: try reader.time(members["time"], "time"),
                project: try reader.text(members["project"], "project"),
                framework: try reader.framework(members["framework"], "framework"),
                platform: try reader.requiredText(members["platform"], "platform"),
                revision: try reader.text(members["revision"], "revision"),
                taskId: try reader.text(members["taskId"] ?? members["task_id"], "taskId"),
                label: try reader.text(members["label"], "label"),
                version: try reader.text(members["version"], "version"))
            return try SuiteExpansion(reader: reader).records(suites, context: context)
        }
    }
}
