import Foundation
import Store

/// Reads `PERFHERDER_DATA` JSON as the test harnesses emit it (SPEC §3 source 3):
/// `{"framework": {"name": "talos"}, "suites": [{"name": …, "value": …, "subtests": […]}]}`,
/// one document per task.
///
/// The file is either one such document (optionally wrapped as
/// `{"performance_data": {…}}`, the Treeherder artifact form), or a task log in
/// which each line containing `PERFHERDER_DATA: ` is followed by a document on
/// the same line. Every document of a file is taken to come from the same task:
/// time, platform and the other run facts come from ``PerfherderMetadata``
/// (`time` and `platform` are required); `application.version` in a document
/// is used when no version is given. Records come from ``SuiteExpansion``.
public struct PerfherderDataParser: Sendable {
    public static let logMarker = "PERFHERDER_DATA:"

    public var metadata: PerfherderMetadata

    public init(metadata: PerfherderMetadata = PerfherderMetadata()) {
        self.metadata = metadata
    }

    public func parse(_ data: Data, file: String) throws(IngestError) -> [PerfRecord] {
        let location = IngestLocation(file: file)
        let bytes = InputText.bytesWithoutBOM(data)
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw location.error(line: 1, field: "(file)", "the file is empty; expected a PERFHERDER_DATA document")
        }
        guard InputText.utf8String(bytes) != nil else {
            let badLine = InputText.lines(bytes).first { InputText.utf8String($0.bytes) == nil }?.number ?? 1
            throw location.error(line: badLine, field: "(document)", "not valid UTF-8")
        }
        let documents = try self.documents(bytes, location: location)
        var records: [PerfRecord] = []
        for (line, document) in documents {
            records += try self.records(document, line: line, location: location)
        }
        return records
    }

    /// The documents of the file with the line each starts on.
    private func documents(_ bytes: [UInt8], location: IngestLocation) throws(IngestError) -> [(Int, JSONValue)] {
        if let whole = try? JSONValue.parse(Data(bytes)) {
            let firstLine = 1 + bytes.prefix { $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }
                .filter { $0 == 0x0A }.count
            return [(firstLine, whole)]
        }
        let marker = Array(Self.logMarker.utf8)
        var documents: [(Int, JSONValue)] = []
        for (number, line) in InputText.lines(bytes) {
            guard let start = Self.firstIndex(of: marker, in: line) else { continue }
            let json = line[(start + marker.count)...]
            do { documents.append((number, try JSONValue.parse(Data(json)))) } catch {
                throw location.error(line: number, field: "(document)", "the JSON after \(Self.logMarker) is not valid")
            }
        }
        guard !documents.isEmpty else {
            throw location.error(line: 1, field: "(document)",
                                 "neither one JSON document nor a log with \(Self.logMarker) lines")
        }
        return documents
    }

    private static func firstIndex(of marker: [UInt8], in line: ArraySlice<UInt8>) -> Int? {
        guard line.count >= marker.count else { return nil }
        var i = line.startIndex
        while i + marker.count <= line.endIndex {
            if line[i..<(i + marker.count)].elementsEqual(marker) { return i }
            i += 1
        }
        return nil
    }

    private func records(_ document: JSONValue, line: Int, location: IngestLocation) throws(IngestError) -> [PerfRecord] {
        let reader = JSONFieldReader(location: location, line: line)
        var document = document
        if let wrapped = document["performance_data"] { document = wrapped }
        guard let members = document.objectMembers else {
            throw reader.fail("(document)", "expected a JSON object, found \(document.typeName)")
        }
        let suites = try reader.list(members["suites"], "suites", required: true)
        let sidecar = PerfherderMetadata.sidecarURL(for: URL(fileURLWithPath: location.file)).lastPathComponent
        guard let time = metadata.time else {
            throw reader.fail("time", "a PERFHERDER_DATA document carries no time; give --time or \"time\" in the sidecar \(sidecar)")
        }
        if let problem = PlausibleTime.problem(time) { throw reader.fail("time", problem) }
        guard let platform = metadata.platform, !platform.isEmpty else {
            throw reader.fail("platform",
                              "a PERFHERDER_DATA document carries no platform; give --platform or \"platform\" in the sidecar \(sidecar)")
        }
        var version = metadata.version ?? ""
        if version.isEmpty, let application = members["application"]?.objectMembers {
            version = try reader.text(application["version"], "application.version")
        }
        let context = SuiteExpansion.Context(
            time: time, project: metadata.project ?? "",
            framework: try reader.framework(members["framework"], "framework"),
            platform: platform, revision: metadata.revision ?? "", taskId: metadata.taskId ?? "",
            label: metadata.label ?? "", version: version)
        return try SuiteExpansion(reader: reader).records(suites, context: context)
    }
}
