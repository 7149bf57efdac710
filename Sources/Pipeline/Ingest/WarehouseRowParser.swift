import Foundation

/// Reads newline-delimited JSON rows of the warehouse table that holds perfherder
/// data (SPEC §3 source 2). Each non-blank line is one object:
///
/// ```json
/// {"time": "2020-05-01T10:00:00Z", "framework": "talos", "platform": "windows10-64-shippable",
///  "project": "mozilla-beta", "revision": "abc123", "taskId": "Xy…", "label": "…",
///  "suites": [{"name": "tabswitch", "value": 12.5, "extraOptions": ["e10s"],
///              "subtests": [{"name": "…", "value": 3.1, "replicates": [3.0, 3.2], "shouldAlert": false}]}]}
/// ```
/// `time` (unix seconds or a ``TimestampParser`` text), `platform` and `suites`
/// are required; `framework` may be a name, a Treeherder id or `{"name": …}`;
/// `label`, `version`, per-suite `lowerIsBetter`/`unit` are read when present.
/// Records come from ``SuiteExpansion``.
public struct WarehouseRowParser: Sendable {
    public init() {}

    public func parse(_ data: Data, file: String) throws(IngestError) -> [PerfRecord] {
        let location = IngestLocation(file: file)
        let lines = InputText.lines(InputText.bytesWithoutBOM(data)).filter { !InputText.isBlank($0.bytes) }
        guard !lines.isEmpty else {
            throw location.error(line: 1, field: "(file)", "the file is empty; expected one JSON object per line")
        }
        var records: [PerfRecord] = []
        for (number, bytes) in lines {
            let reader = JSONFieldReader(location: location, line: number)
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
            records += try SuiteExpansion(reader: reader).records(suites, context: context)
        }
        return records
    }
}
