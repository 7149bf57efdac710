import Foundation

/// What a PERFHERDER_DATA document does not say about its task: when and where
/// it ran. Given on the command line (`--time`, `--platform`, `--project`,
/// `--revision`, `--task-id`, `--label`, `--version`) or in a sidecar JSON file
/// next to the document; a command-line value wins over the sidecar.
///
/// The sidecar of `DIR/NAME.EXT` is `DIR/NAME.meta.json` (of `DIR/NAME` without an
/// extension, `DIR/NAME.meta.json` too), an object with any of the keys `time`
/// (unix seconds or a ``TimestampParser`` text), `platform`, `project`,
/// `revision`, `taskId`, `label`, `version`:
///
/// ```json
/// {"time": "2020-05-01T10:00:00Z", "platform": "linux64-shippable", "project": "mozilla-beta",
///  "revision": "abc123", "taskId": "DK3nF…"}
/// ```
public struct PerfherderMetadata: Sendable, Equatable {
    public var time: Date?
    public var platform: String?
    public var project: String?
    public var revision: String?
    public var taskId: String?
    public var label: String?
    public var version: String?

    public init(time: Date? = nil, platform: String? = nil, project: String? = nil, revision: String? = nil,
                taskId: String? = nil, label: String? = nil, version: String? = nil) {
        self.time = time
        self.platform = platform
        self.project = project
        self.revision = revision
        self.taskId = taskId
        self.label = label
        self.version = version
    }

    /// Fields of `self` where set, else those of `fallback`.
    public func overriding(_ fallback: PerfherderMetadata) -> PerfherderMetadata {
        PerfherderMetadata(time: time ?? fallback.time, platform: platform ?? fallback.platform,
                           project: project ?? fallback.project, revision: revision ?? fallback.revision,
                           taskId: taskId ?? fallback.taskId, label: label ?? fallback.label,
                           version: version ?? fallback.version)
    }

    /// `DIR/NAME.meta.json` for `DIR/NAME.EXT`.
    public static func sidecarURL(for document: URL) -> URL {
        document.deletingPathExtension().appendingPathExtension("meta.json")
    }

    /// The sidecar's metadata, or empty metadata when there is no sidecar.
    public static func loadSidecar(for document: URL) throws(IngestError) -> PerfherderMetadata {
        let url = sidecarURL(for: document)
        guard FileManager.default.fileExists(atPath: url.path) else { return PerfherderMetadata() }
        let location = IngestLocation(file: url.relativePath)
        let reader = JSONFieldReader(location: location, line: 1)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw reader.fail("(file)", "cannot read the sidecar: \(error.localizedDescription)")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch { throw reader.fail("(file)", "not valid JSON") }
        guard let members = json.objectMembers else {
            throw reader.fail("(file)", "expected a JSON object, found \(json.typeName)")
        }
        let allowed: Set = ["time", "platform", "project", "revision", "taskId", "label", "version"]
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw reader.fail(unknown, "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
        func optional(_ key: String) throws(IngestError) -> String? {
            members[key] == nil ? nil : try reader.text(members[key], key)
        }
        return PerfherderMetadata(
            time: members["time"] == nil ? nil : try reader.time(members["time"], "time"),
            platform: try optional("platform"), project: try optional("project"),
            revision: try optional("revision"), taskId: try optional("taskId"),
            label: try optional("label"), version: try optional("version"))
    }
}
